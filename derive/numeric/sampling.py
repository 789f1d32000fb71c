"""Seeded exact sample points that honour each symbol's domain.

>>> import numpy as np
>>> from derive.core.model import Domain
>>> rng = np.random.default_rng(0)
>>> value = scalar_value(rng, Domain.PROBABILITY)
>>> 0 < value < 1
True

Values are SymPy Rationals of several magnitudes (integers and fractions), so that a numeric
screen evaluated in exact or 50-digit arithmetic cannot be fooled by cancellation.

Both reasoning engines draw through one interface, :func:`draw`, from anything
:class:`Sampled`: a domain and the shape drawn (None for a scalar). The catalog's symbols plug
in as :class:`Variable` (a ``core.model.Domain`` and, for a matrix symbol, its realised size);
the checker's kinds (``derive.checker.kinds.Kind``) are ``Sampled`` themselves.

>>> draw(np.random.default_rng(1), Variable(Domain.SPD, (2, 2))).is_symmetric()
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import sympy as sp

from derive.core.model import Domain

Shape = tuple[int, int] | None  # rows and columns of a matrix; None for a scalar


class Sampled(Protocol):
    """What a sample value is drawn for: its domain, and its shape (None: a scalar)."""

    @property
    def domain(self) -> Domain: ...

    @property
    def sample_shape(self) -> Shape: ...


@dataclass(frozen=True)
class Variable:
    """A catalog symbol as it is sampled: its domain and, for a matrix, its realised size."""

    domain: Domain
    sample_shape: Shape = None


_DENOMINATORS = (1, 1, 2, 3, 4, 5, 7, 8, 10, 16)
_SCALES = (sp.Rational(1, 100), sp.Rational(1, 10), 1, 1, 1, 10, 100)


def _rational(rng: np.random.Generator) -> sp.Rational:
    """A nonzero rational of magnitude between about 1/1000 and 1000."""
    numerator = int(rng.integers(1, 40))
    denominator = _DENOMINATORS[int(rng.integers(len(_DENOMINATORS)))]
    scale = _SCALES[int(rng.integers(len(_SCALES)))]
    sign = 1 if rng.random() < 0.5 else -1
    return sign * sp.Rational(numerator, denominator) * scale


def scalar_value(rng: np.random.Generator, domain: Domain) -> sp.Rational:
    """One exact value from ``domain``."""
    if domain is Domain.PROBABILITY:
        denominator = int(rng.integers(2, 60))
        return sp.Rational(int(rng.integers(1, denominator)), denominator)
    if domain is Domain.COUNT:
        return sp.Integer(int(rng.integers(1, 9)))
    value = _rational(rng)
    if domain is Domain.POSITIVE:
        return abs(value)
    if domain is Domain.REAL and rng.random() < 0.05:
        return sp.Integer(0)
    return value


def small_rational(rng: np.random.Generator) -> sp.Rational:
    """A modest rational in [-5, 5], for matrix entries."""
    return sp.Rational(int(rng.integers(-20, 21)), int(rng.integers(1, 5)))


def matrix_value(rng: np.random.Generator, rows: int, cols: int, domain: Domain) -> sp.Matrix:
    """One exact matrix from ``domain`` (general, symmetric or symmetric positive definite)."""
    if domain is Domain.SPD:
        B = sp.Matrix(rows, rows, lambda i, j: small_rational(rng))
        return B * B.T + sp.eye(rows)
    M = sp.Matrix(rows, cols, lambda i, j: small_rational(rng))
    if domain is Domain.SYMMETRIC:
        return (M + M.T) / 2
    return M


def draw(rng: np.random.Generator, sampled: Sampled) -> Any:
    """One exact value for ``sampled``: a Rational for a scalar, else a Matrix of its shape.

    >>> draw(np.random.default_rng(0), Variable(Domain.POSITIVE)) > 0
    True
    """
    shape = sampled.sample_shape
    if shape is None:
        return scalar_value(rng, sampled.domain)
    return matrix_value(rng, shape[0], shape[1], sampled.domain)
