"""Floating-point-safe forms shared by the explicit-entry twins: scaling by the largest entry.

>>> import sympy as sp
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
``Scaled`` (an ``UnevaluatedExpr``) so that SymPy cannot recombine (a/s)(d/s) into ad/s²,
which would overflow again. The floor 1e-300 keeps s positive for the zero matrix.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
import sympy as sp

from derive.core.model import Formula
from derive.numeric.twin import Arg, Condition, Reference, Sampler, Twin
from derive.reasoning.equivalence import Context

# A floor for the scale s, so that the zero matrix has s > 0.
FLOOR = sp.Float("1e-300")

Check = tuple[str, Callable[[np.random.Generator], tuple[bool, str]]]


class Scaled(sp.UnevaluatedExpr):
    """entry/s kept as one unit (SymPy's UnevaluatedExpr, which also knows it is real)."""

    def _eval_is_extended_real(self) -> bool | None:
        return bool(self.args[0].is_extended_real) if self.args[0].is_extended_real else None


def largest_entry(entries: Iterable[Any]) -> Any:
    """s = max(|e₁|, …, |eₖ|, 10⁻³⁰⁰), a positive scale for a matrix with these entries."""
    return sp.Max(*(sp.Abs(e) for e in entries), FLOOR)


def rescaled(expr: Any, entries: Iterable[Any], s: Any, degree: int = 0) -> Any:
    """``expr`` with every entry replaced by entry/s (kept as a unit), times s**degree."""
    replaced = expr.xreplace({e: Scaled(e / s) for e in entries})
    return s**degree * replaced if degree else replaced


def same_as_results(twin_expr: Any, results: Any) -> Check:
    """A derivation check: the twin's scaled expression equals the verified results it
    instantiates. Every scale max(…) in it is replaced by its own positive symbol first: an
    identity f(A) = k·f(A/k) proven for every k > 0 covers k = max |entry|, and is quick to
    prove."""

    def check(rng: np.random.Generator) -> tuple[bool, str]:
        scales = {m: sp.Dummy("k", positive=True) for m in twin_expr.atoms(sp.Max)}
        general = twin_expr.xreplace(scales).doit()
        outcome = Context(seed=int(rng.integers(2**31)), budget=2.0).equal(results, general)
        return outcome.passed, f"{outcome.status} for every scale k > 0: {outcome.detail}"

    return ("the twin's scaled form equals the verified results", check)


def all_finite(A: np.ndarray) -> np.ndarray:
    """Per matrix of a ``(..., m, n)`` stack, whether every entry is finite."""
    return np.asarray(np.isfinite(A).all(axis=(-2, -1)))


def nonsingular(det: Any, matrix: sp.ImmutableMatrix, name: str = "A") -> Condition:
    """The condition ``(..., m, m) -> (...)``: finite entries and det(A/s) ≠ 0, with ``det``
    the derivation's own determinant, evaluated on the scaled entries as the twin is (and
    compiled into the twin's fast kernel when it is the twin's ``valid``)."""
    entries = list(dict.fromkeys(e for e in matrix if e.is_Symbol))
    scaled = rescaled(det, entries, largest_entry(entries))
    return Condition(sp.Ne(scaled, 0), (Arg(name, matrix),))


def scaled_domain(inputs: str, determinant: str = "the scaled determinant") -> str:
    """The domain of a twin that scales its inputs by the largest entry and divides by a
    determinant: ``inputs`` with entries of any magnitude, NaN where ``determinant`` is 0."""
    return (
        f"{inputs}, entries of any magnitude; NaN where {determinant} is exactly 0 or an "
        "entry is infinite or NaN"
    )


def numpy_inverse(A: np.ndarray) -> np.ndarray:
    """``np.linalg.inv`` on a stack of matrices (the reference of the inverse twins)."""
    return np.asarray(np.linalg.inv(A))


def inverse_twin(
    name: str,
    formula: Formula,
    matrix: sp.ImmutableMatrix,
    sample: Sampler,
    determinant: str = "the scaled determinant",
    *,
    rtol: float = Twin.rtol,
    atol: float = Twin.atol,
) -> Twin:
    """A twin of A⁻¹, A the square ``matrix`` of symbols, checked against ``np.linalg.inv``:
    defined for finite entries of any magnitude with a nonzero scaled determinant."""
    size = f"{matrix.rows}×{matrix.cols}"
    return Twin(
        name=name,
        formula=formula,
        args=(Arg("A", matrix),),
        reference=Reference("np.linalg.inv", numpy_inverse),
        sample=sample,
        domain=scaled_domain(f"invertible finite {size} matrices", determinant),
        valid=nonsingular(matrix.det(), matrix),
        rtol=rtol,
        atol=atol,
    )


def pivoted_inverse(M: sp.ImmutableMatrix) -> tuple[sp.ImmutableMatrix, list[Any]]:
    """A⁻¹ as Gaussian elimination with partial pivoting would compute it, written out.

    Returns the inverse as a matrix of ``Piecewise`` entries (one branch per pivot order,
    chosen as LAPACK's ``getrf`` does: the first entry of largest magnitude) and the list of
    branch matrices. Nothing is simplified, so the expression keeps the order of operations
    of elimination on [A | I] and back substitution, which is what makes it stable; each
    branch is, exactly, A⁻¹.
    """
    n = M.rows
    leaves: list[tuple[Any, sp.ImmutableMatrix]] = []

    def back_substitute(W: list[list[Any]]) -> sp.ImmutableMatrix:
        X: list[list[Any]] = [[sp.Integer(0)] * n for _ in range(n)]
        for col in range(n):
            for i in reversed(range(n)):
                partial = W[i][n + col] - sum(
                    (W[i][k] * X[k][col] for k in range(i + 1, n)), sp.Integer(0)
                )
                X[i][col] = partial / W[i][i]
        return sp.ImmutableMatrix(X)

    def eliminate(W: list[list[Any]], stage: int, condition: Any) -> None:
        if stage == n - 1:
            leaves.append((condition, back_substitute(W)))
            return
        column = [sp.Abs(W[r][stage]) for r in range(n)]
        for p in range(stage, n):
            wins = [column[p] > column[q] for q in range(stage, p)]
            wins += [column[p] >= column[q] for q in range(p + 1, n)]
            V = [list(row) for row in W]
            V[stage], V[p] = V[p], V[stage]
            pivot = V[stage][stage]
            for q in range(stage + 1, n):
                multiplier = V[q][stage] / pivot
                V[q] = [
                    sp.Integer(0) if j <= stage else V[q][j] - multiplier * V[stage][j]
                    for j in range(2 * n)
                ]
            eliminate(V, stage + 1, sp.And(condition, *wins))

    start = [
        [M[i, j] for j in range(n)] + [sp.Integer(int(i == j)) for j in range(n)] for i in range(n)
    ]
    eliminate(start, 0, sp.true)
    entries = [
        [
            sp.Piecewise(*((X[i, j], cond) for cond, X in leaves[:-1]), (leaves[-1][1][i, j], True))
            for j in range(n)
        ]
        for i in range(n)
    ]
    return sp.ImmutableMatrix(entries), [X for _, X in leaves]


def pivoted_check(leaves: list[Any], inverse: Any) -> Check:
    """A derivation check: every pivot order of the elimination gives exactly ``inverse``."""

    def check(rng: np.random.Generator) -> tuple[bool, str]:
        seed = int(rng.integers(2**31))
        outcomes = [Context(seed=seed, points=6).equal(X, inverse) for X in leaves]
        statuses = [o.status for o in outcomes]
        passed = all(o.passed for o in outcomes)
        counts = ", ".join(f"{statuses.count(s)} {s}" for s in dict.fromkeys(statuses))
        return passed, f"{len(leaves)} pivot orders, each equal to A⁻¹: {counts}"

    return ("every pivot order of the elimination twin gives A⁻¹", check)


TINY = float(np.finfo(float).tiny)


def squares_representable(x: np.ndarray, axis: int = -1) -> np.ndarray:
    """Whether Σxᵢ² along ``axis`` is finite and, unless x is zero, a normal double: the
    domain of twins built on xᵀx (entries of magnitude roughly 1e−150 to 1e150). Outside
    it, a sum of squares underflows to 0 or overflows to inf and the twin returns NaN."""
    with np.errstate(all="ignore"):
        total = np.sum(np.square(x), axis=axis)
    return np.asarray(np.isfinite(total) & ((total >= TINY) | ~np.any(x != 0, axis=axis)))
