"""The kinds a request gives its names, and the values they stand for.

>>> parse_kind("matrix 2 3")
Kind(name='matrix', rows=2, cols=3)
>>> parse_kind("spd 2").domain.value
'spd'

A kind is a shape and a domain. Symbolic values are explicit matrices of real entry symbols
(shared across the diagonal for ``symmetric`` and ``spd``); sample values come from
``derive.numeric.sampling`` and honour the domain (0 < p < 1, positive definite, ...): a kind
is :class:`~derive.numeric.sampling.Sampled`, drawn by the same ``draw`` as the catalog's
symbols.

>>> import numpy as np
>>> parse_kind("probability").sample(np.random.default_rng(0)) < 1
True
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import sympy as sp

from derive.checker.errors import InputError
from derive.checker.limits import LIMITS, Limits
from derive.core.model import Domain
from derive.numeric.sampling import Shape, draw

KIND_NAMES = (
    "scalar",
    "positive",
    "probability",
    "vector",
    "matrix",
    "symmetric",
    "spd",
    "integer",
    "nonnegative",
    "fullrank",
    "function",
    "random",
    "event",
)
EXPECTED = (
    "scalar, positive, nonnegative, integer, probability, vector n, matrix m n, symmetric n, "
    "spd n, fullrank m n, function, random, event, independent random or independent event"
)
_SIZES = {"vector": 1, "matrix": 2, "fullrank": 2, "symmetric": 1, "spd": 1}
# kinds whose values are not numbers drawn name by name: functions, and random variables and
# events, drawn together as one finite probability space per sample point
JOINT = ("function", "random", "event")
_DOMAINS = {
    "scalar": Domain.REAL,
    "integer": Domain.REAL,  # drawn as a real, then rounded down
    "nonnegative": Domain.REAL,  # drawn as a real (0 sometimes), then its absolute value
    "fullrank": Domain.MATRIX,  # a generic matrix has full rank
    "function": Domain.REAL,
    "random": Domain.REAL,
    "event": Domain.REAL,
    "positive": Domain.POSITIVE,
    "probability": Domain.PROBABILITY,
    "vector": Domain.MATRIX,
    "matrix": Domain.MATRIX,
    "symmetric": Domain.SYMMETRIC,
    "spd": Domain.SPD,
}


@dataclass(frozen=True)
class Kind:
    """A named kind with its shape (1×1 for the scalar kinds)."""

    name: str
    rows: int = 1
    cols: int = 1
    independent: tuple[str, ...] = field(default=(), repr=False)  # declared mutually independent

    @property
    def shape(self) -> tuple[int, int]:
        return (self.rows, self.cols)

    @property
    def is_scalar(self) -> bool:
        return self.shape == (1, 1)

    @property
    def domain(self) -> Domain:
        return _DOMAINS[self.name]

    @property
    def is_joint(self) -> bool:
        """A function, random variable or event (drawn by ``derive.checker.probability``)."""
        return self.name in JOINT

    def describe(self) -> str:
        """The kind as a request writes it: ``matrix 2 3``."""
        if self.name == "vector":
            return f"vector {self.rows}"
        if self.name in ("matrix", "fullrank"):
            return f"{self.name} {self.rows} {self.cols}"
        if self.independent:
            return f"independent {self.name}"
        if self.name in ("symmetric", "spd"):
            return f"{self.name} {self.rows}"
        return self.name

    def symbolic(self, name: str) -> Any:
        """The symbolic value: a real (positive) symbol, or a matrix of entry symbols."""
        if self.name == "function":
            return sp.Function(name, real=True)
        if self.name in ("random", "event"):
            return sp.Symbol(name, real=True)  # a stand-in: E[...] builds a joint space
        if self.name == "integer":
            return sp.Symbol(name, integer=True)
        if self.name == "nonnegative":
            return sp.Symbol(name, nonnegative=True)
        if self.is_scalar:
            positive = self.name in ("positive", "probability", "spd")
            return sp.Symbol(name, positive=True) if positive else sp.Symbol(name, real=True)
        symmetric = self.domain in (Domain.SYMMETRIC, Domain.SPD)

        def entry(i: int, j: int) -> sp.Symbol:
            if symmetric and i > j:
                i, j = j, i
            return entry_symbol(name, i, j, self.cols)

        return sp.ImmutableMatrix(self.rows, self.cols, entry)

    @property
    def sample_shape(self) -> Shape:
        """The shape drawn: None (a scalar) for the scalar kinds, else rows × columns (a
        ``vector 1`` is drawn as a 1×1 matrix of its domain, then read as a scalar)."""
        if self.name in ("vector", "matrix", "symmetric", "spd", "fullrank"):
            return self.shape
        return None

    def value(self, drawn: Any) -> Any:
        """A drawn value as the checker holds it: a scalar, or an immutable matrix."""
        if self.name == "integer":
            return sp.floor(drawn)
        if self.name == "nonnegative":
            return abs(drawn)
        if self.sample_shape is None:
            return drawn
        return drawn[0, 0] if self.is_scalar else sp.ImmutableMatrix(drawn)

    def sample(self, rng: np.random.Generator) -> Any:
        """One exact value from the domain."""
        return self.value(draw(rng, self))


SCALAR = Kind("scalar")


def entry_symbol(name: str, i: int, j: int, cols: int) -> sp.Symbol:
    """The real symbol for entry (i, j) of a matrix (``A[1,2]``, ``x[3]``; 1-based)."""
    label = f"{name}[{i + 1}]" if cols == 1 else f"{name}[{i + 1},{j + 1}]"
    return sp.Symbol(label, real=True)


def parse_kind(text: str, limits: Limits = LIMITS) -> Kind:
    """``vector 3``, ``matrix 2 3`` (also ``matrix 2x3``, ``matrix(2, 3)``), ``spd 2``..."""
    words = re.split(r"[\s(),×]+|(?<=\d)x(?=\d)", text.strip().lower())
    words = [w for w in words if w]
    if words[:1] == ["independent"] and words[1:] in (["random"], ["event"]):
        return Kind(words[1], independent=("*",))  # the names are filled in by the request
    if not words or words[0] not in KIND_NAMES:
        raise InputError(f"unknown kind {text!r} (expected {EXPECTED})")
    name, sizes = words[0], words[1:]
    wanted = _SIZES.get(name, 0)
    if len(sizes) != wanted or not all(s.isascii() and s.isdigit() for s in sizes):
        raise InputError(f"kind {text!r} needs {wanted} size(s) (expected {EXPECTED})")
    numbers = [int(s) for s in sizes]
    if any(not 1 <= n <= limits.max_dimension for n in numbers):
        raise InputError(f"sizes must be between 1 and {limits.max_dimension}, got {text!r}")
    if name == "vector":
        return Kind(name, numbers[0], 1)
    if name == "matrix":
        return Kind(name, numbers[0], numbers[1])
    if name == "fullrank":
        if numbers[0] < numbers[1]:
            raise InputError(
                f"kind {text!r}: full column rank needs at least as many rows as columns"
            )
        return Kind(name, numbers[0], numbers[1])
    if name in ("symmetric", "spd"):
        return Kind(name, numbers[0], numbers[0])
    return Kind(name)


def split_names(given: Mapping[str, str]) -> list[tuple[str, str]]:
    """(name, kind) pairs of a request's ``given``: a key may name several names
    (``"X, Y": "independent random"``).

    >>> split_names({"X, Y": "independent random", "x": "scalar"})
    [('X', 'independent random'), ('Y', 'independent random'), ('x', 'scalar')]
    """
    pairs: list[tuple[str, str]] = []
    for key, text in given.items():
        names = [n.strip() for n in key.split(",")] if isinstance(key, str) else [key]
        pairs.extend((name, text) for name in names)
    return pairs


def with_groups(kinds: Mapping[str, Kind], given: Mapping[str, str]) -> dict[str, Kind]:
    """The kinds, each independent one knowing the names declared with it (one key; the
    names declared ``independent`` one per key form one group of their own).

    >>> kinds = {n: parse_kind("independent event") for n in "AB"}
    >>> with_groups(kinds, {"A, B": "independent event"})["A"].independent
    ('A', 'B')
    >>> with_groups(kinds, {"A": "independent event", "B": "independent event"})["B"].independent
    ('A', 'B')
    """
    result = dict(kinds)
    for key in given:
        names = tuple(n.strip() for n in str(key).split(","))
        for name in names:
            kind = result.get(name)
            if kind is not None and kind.independent and len(names) > 1:
                result[name] = replace(kind, independent=names)
    # names declared one by one (``--given X=independent random --given Y=...``): one group
    for kind_name in ("random", "event"):
        alone = tuple(
            sorted(n for n, k in result.items() if k.name == kind_name and k.independent == ("*",))
        )
        for name in alone:
            result[name] = replace(result[name], independent=alone)
    return result
