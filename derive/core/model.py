"""The frozen data that every view of a derivation is built from.

>>> import sympy as sp
>>> x = sp.Symbol("x", real=True)
>>> step = Step(rhs=sp.Derivative(x**2, x), lhs=sp.Symbol("f'"), rel=Rel.IDENTITY, why="definition")
>>> step.rel.value
'identity'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Any


class Topic(StrEnum):
    """The three parts of the catalog."""

    LINEAR_ALGEBRA = "linear-algebra"
    PROBABILITY_STATISTICS = "probability-statistics"
    CALCULUS_OPTIMIZATION = "calculus-optimization"


class Domain(StrEnum):
    """Where a symbol's values live; the numeric screens sample from it."""

    REAL = "real"
    NONZERO = "nonzero"
    POSITIVE = "positive"
    PROBABILITY = "probability"  # 0 < p < 1
    COUNT = "count"  # a positive integer
    MATRIX = "matrix"  # a general real matrix (full rank with probability one)
    SYMMETRIC = "symmetric"
    SPD = "spd"  # symmetric positive definite


class Rel(StrEnum):
    """How a step relates to what came before, and therefore how it is verified.

    ``given``     a definition or hypothesis: stated, not derived.
    ``eq``        ``rhs`` equals the previous step's value (a chain ``&= ...``).
    ``identity``  ``lhs = rhs`` holds on its own (``lhs`` is computed, e.g. a derivative).
    ``iff``       the equation ``lhs = rhs`` is the previous equation multiplied by the
                  invertible factor ``by``: residual(this) = by · residual(previous).
    ``implies``   ``lhs`` (the unknowns) ``= rhs`` (a solution, or a FiniteSet of them)
                  satisfies the previous equation.
    ``ge`` / ``le``  the inequality ``lhs ≥ rhs`` / ``lhs ≤ rhs`` holds for every admissible value.
    ``ne``        ``lhs`` and ``rhs`` differ for some admissible value (e.g. AB ≠ BA).
    """

    GIVEN = "given"
    EQ = "eq"
    IDENTITY = "identity"
    IFF = "iff"
    IMPLIES = "implies"
    GE = "ge"
    LE = "le"
    NE = "ne"


@dataclass(frozen=True)
class Var:
    """A symbol of a derivation, what it means, and where its values live."""

    symbol: Any  # sympy Symbol or MatrixSymbol
    meaning: str
    domain: Domain = Domain.REAL


@dataclass(frozen=True)
class Step:
    """One line of a derivation with its one-line justification."""

    rhs: Any
    why: str
    lhs: Any = None
    rel: Rel = Rel.EQ
    by: Any = None  # the invertible factor of an ``iff`` step (default 1)

    @property
    def is_relation(self) -> bool:
        """Whether the step states ``lhs <rel> rhs`` rather than continuing a chain."""
        return self.lhs is not None


@dataclass(frozen=True)
class Formula:
    """A result ``lhs = rhs``: what a derivation establishes."""

    lhs: Any
    rhs: Any
    name: str = ""


@dataclass(frozen=True)
class Mistake:
    """A concrete wrong formula ``lhs = rhs`` (``lhs`` is the true quantity) and why it is wrong."""

    lhs: Any
    rhs: Any
    explanation: str
    name: str = ""


@dataclass(frozen=True)
class Interview:
    """An interview question with its (computed) answer."""

    question: str
    answer: str


def frozen_map(items: Mapping[Any, Any] | None = None) -> Mapping[Any, Any]:
    """A read-only mapping, for dataclass fields."""
    return MappingProxyType(dict(items or {}))
