"""Floating-point-safe forms shared by the explicit-entry twins: scaling by the largest entry.

>>> import sympy as sp

from derive.equivalence import Context
>>> a, b = sp.symbols("a b", real=True)
>>> s = largest_entry((a, b))
>>> rescaled(a * b, (a, b), s, degree=2).doit() == a * b  # homogeneous of degree 2
True
>>> float(s.subs({a: 3, b: -4}))
4.0

Closed forms for small matrices multiply entries together: a 3×3 determinant is a sum of
triple products, which overflows for entries near 1e103 and underflows near 1e-103. Every such
formula is homogeneous, f(A) = sᵏ f(A/s), so evaluating it on A/s with s the largest |entry|
keeps every intermediate product between about 1e-300 and 10. Each entry/s is wrapped in
``UnevaluatedExpr`` so that SymPy cannot recombine (a/s)(d/s) into ad/s², which would
overflow again. The floor 1e-300 keeps s positive for the zero matrix.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
import sympy as sp

from derive.equivalence import Context

# A floor for the scale s, so that the zero matrix has s > 0.
FLOOR = sp.Float("1e-300")

Check = tuple[str, Callable[[np.random.Generator], tuple[bool, str]]]


def largest_entry(entries: Iterable[Any]) -> Any:
    """s = max(|e₁|, …, |eₖ|, 10⁻³⁰⁰), a positive scale for a matrix with these entries."""
    return sp.Max(*(sp.Abs(e) for e in entries), FLOOR)


def rescaled(expr: Any, entries: Iterable[Any], s: Any, degree: int = 0) -> Any:
    """``expr`` with every entry replaced by entry/s (kept as a unit), times s**degree."""
    replaced = expr.xreplace({e: sp.UnevaluatedExpr(e / s) for e in entries})
    return s**degree * replaced if degree else replaced


def same_as_results(twin_expr: Any, results: Any) -> Check:
    """A derivation check: the twin's scaled expression equals the verified results it
    instantiates (λ(A) = s·λ(A/s) with s = max |entry|), decided like any step."""

    def check(rng: np.random.Generator) -> tuple[bool, str]:
        outcome = Context(seed=int(rng.integers(2**31))).equal(results, twin_expr)
        return outcome.passed, f"{outcome.status}: {outcome.detail}"

    return ("the twin's scaled form equals the verified results", check)


def all_finite(A: np.ndarray) -> np.ndarray:
    """Per matrix of a ``(..., m, n)`` stack, whether every entry is finite."""
    return np.asarray(np.isfinite(A).all(axis=(-2, -1)))


def nonsingular(det: Any, matrix: sp.ImmutableMatrix) -> Callable[[np.ndarray], np.ndarray]:
    """A mask ``(..., m, m) -> (...)``: finite entries and det(A/s) ≠ 0, with ``det`` the
    derivation's own determinant (lambdified), evaluated on the scaled entries as the twin is."""
    places: dict[Any, tuple[int, int]] = {}
    for i in range(matrix.rows):
        for j in range(matrix.cols):
            if matrix[i, j].is_Symbol:
                places.setdefault(matrix[i, j], (i, j))
    entries = list(places)
    fn = sp.lambdify(entries, rescaled(det, entries, largest_entry(entries)), modules="numpy")

    def valid(A: np.ndarray) -> np.ndarray:
        with np.errstate(all="ignore"):
            value = fn(*(A[..., i, j] for i, j in places.values()))
        return all_finite(A) & (np.asarray(value) != 0)

    return valid
