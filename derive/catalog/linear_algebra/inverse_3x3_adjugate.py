"""The inverse of a 3×3 matrix by cofactors: A⁻¹ = adj(A)/det A.

>>> build().result.rhs.shape
(3, 3)
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import sympy as sp

from derive.catalog.common import fmt, random_matrices
from derive.catalog.entry import Entry, Exercise
from derive.catalog.linear_algebra.stable import (
    inverse_twin,
    largest_entry,
    pivoted_check,
    pivoted_inverse,
    rescaled,
    same_as_results,
)
from derive.catalog.steps import given, identity
from derive.core.model import Domain, Formula, Interview, Mistake, Step, Topic, Var
from derive.numeric.derivation import Derivation
from derive.numeric.twin import Twin

ENTRY = Entry(
    id="inverse-3x3-adjugate",
    topic=Topic.LINEAR_ALGEBRA,
    title="Inverse of a 3×3 matrix by cofactors",
    exercise=Exercise(
        question=r"Invert {given} by hand (by the adjugate, or by elimination): compute ${lhs}$.",
    ),
)


def sample(rng: np.random.Generator, size: int) -> dict[str, np.ndarray]:
    """Gaussian 3×3 matrices with condition number at most 100."""
    return {"A": random_matrices(rng, size, 3, max_cond=1e2)}


class _Setup:
    """The symbols and expressions the parts of the derivation share."""

    def __init__(self) -> None:
        self.entries = sp.symbols("a b c d e f g h i", real=True)
        self.A = sp.MatrixSymbol("A", 3, 3)
        self.C = sp.MatrixSymbol("C", 3, 3)
        self.M = sp.ImmutableMatrix(3, 3, self.entries)
        self.cofactors = sp.ImmutableMatrix(self.M.cofactor_matrix())
        self.det = sp.Determinant(self.A)
        self.k = sp.Symbol("k", positive=True)
        self.inverse = sp.MatMul(1 / self.det, self.C.T, evaluate=False)
        self.adjugate_form = sp.ImmutableMatrix(self.cofactors.T / self.M.det())
        scale = largest_entry(self.entries)
        self.scaled_adjugate = rescaled(self.adjugate_form, self.entries, scale, -1)
        pivoted, self.leaves = pivoted_inverse(self.M)
        self.scaled_pivoted = rescaled(pivoted, self.entries, scale, -1)


def build() -> Derivation:
    """Build the derivation."""
    s = _Setup()
    A, k = s.A, s.k
    return ENTRY.derivation(
        symbols=(
            Var(A, "a real 3×3 matrix [[a, b, c], [d, e, f], [g, h, i]]", Domain.MATRIX),
            Var(s.C, "its cofactor matrix", Domain.MATRIX),
            Var(k, "a positive scale"),
        ),
        steps=_steps(s),
        results=(
            Formula(A.I, s.inverse, name="A^{-1}"),
            Formula(sp.Determinant(k * A), k**3 * s.det, name="det(kA)"),
        ),
        twins=_twins(s),
        bindings={A: s.M, s.C: s.cofactors},
        checks=(
            same_as_results(s.scaled_adjugate, s.adjugate_form),
            pivoted_check(s.leaves, s.adjugate_form),
        ),
        assumptions=("det A ≠ 0 (A is invertible)",),
        intuition=INTUITION,
        interview=_interview(),
        mistakes=_mistakes(s),
        notes=NOTES,
    )


def _steps(s: _Setup) -> tuple[Step, ...]:
    """Cofactors, Laplace expansion, A·Cᵀ = (det A)I, and how scaling A acts."""
    A, C, M, det, k = s.A, s.C, s.M, s.det, s.k
    I3 = sp.Identity(3)
    expansion = sum((M[0, j] * s.cofactors[0, j] for j in range(3)), sp.Integer(0))
    return (
        given(A, M, "A general real 3×3 matrix."),
        given(
            C,
            s.cofactors,
            "The cofactor matrix: C_ij is (−1)^(i+j) times the 2×2 determinant left when "
            "row i and column j are deleted (the signs form a checkerboard + − + / − + − / "
            "+ − +).",
        ),
        identity(
            det, expansion, "Laplace expansion along the first row: det A = aC₁₁ + bC₁₂ + cC₁₃."
        ),
        identity(
            A * C.T,
            sp.MatMul(det, I3, evaluate=False),
            "Row i of A against column j of Cᵀ is an expansion along row j with row i's "
            "entries: det A when i = j, and the determinant of a matrix with two equal rows, "
            "0, when i ≠ j.",
        ),
        identity(
            C.T * A, sp.MatMul(det, I3, evaluate=False), "The same with columns: CᵀA = (det A)I."
        ),
        identity(
            A.I,
            s.inverse,
            "So for det A ≠ 0, Cᵀ/det A is a two-sided inverse: A⁻¹ = adj(A)/det A, "
            "where the adjugate adj(A) = Cᵀ is the transposed cofactor matrix.",
        ),
        identity(
            sp.Determinant(k * A),
            k**3 * det,
            "Scaling A by k scales each of the three rows by k, so det(kA) = k³ det A.",
        ),
        identity(
            sp.Inverse(k * A),
            sp.MatMul(1 / k, A.I, evaluate=False),
            "And (kA)⁻¹ = A⁻¹/k: the twins invert A/k, k the largest |entry|, so that no "
            "triple product overflows or underflows.",
        ),
    )


def _twins(s: _Setup) -> tuple[Twin, ...]:
    """The adjugate formula and pivoted elimination, both on A/k, against ``np.linalg.inv``."""
    adjugate = inverse_twin(
        "inverse (adjugate)",
        Formula(s.A.I, s.scaled_adjugate, name="adj(A/k)/(k det(A/k)), k = max |entry|"),
        s.M,
        sample,
        rtol=1e-9,
        atol=1e-10,
    )
    pivoted = Formula(s.A.I, s.scaled_pivoted, name="elimination with partial pivoting")
    return adjugate, replace(adjugate, name="inverse (pivoted elimination)", formula=pivoted)


def _interview() -> Interview:
    """Invert a small integer matrix with cofactors."""
    example = sp.ImmutableMatrix([[1, 2, 3], [0, 1, 4], [5, 6, 0]])
    ex_cof = example.cofactor_matrix()
    ex_det = example.det()
    ex_inverse = ex_cof.T / ex_det
    return Interview(
        question=(
            "Invert A = [[1, 2, 3], [0, 1, 4], [5, 6, 0]] with cofactors. How would you check "
            "the answer, and why is this not how a library inverts a 100×100 matrix?"
        ),
        answer=(
            f"Cofactors C = {fmt(ex_cof)}; expanding along the first row, det A = "
            f"1·({fmt(ex_cof[0, 0])}) + 2·({fmt(ex_cof[0, 1])}) + 3·({fmt(ex_cof[0, 2])}) = "
            f"{fmt(ex_det)}. So A⁻¹ = Cᵀ/{fmt(ex_det)} = {fmt(ex_inverse)}. Check: "
            f"A·A⁻¹ = {fmt(example * ex_inverse)}. Cofactor expansion of an n×n determinant "
            "costs about n! operations and the adjugate formula is not numerically stable for "
            "n ≥ 3; libraries use LU factorisation with pivoting, O(n³)."
        ),
    )


def _mistakes(s: _Setup) -> tuple[Mistake, ...]:
    """A missing transpose or sign, det(2A), and multiplying by det A."""
    A, C, det = s.A, s.C, s.det
    minors = sp.ImmutableMatrix(3, 3, lambda r, c: (-1) ** (r + c) * s.cofactors[r, c])
    return (
        Mistake(
            A.I,
            sp.MatMul(1 / det, C, evaluate=False),
            "The cofactor matrix must be transposed: A⁻¹ = Cᵀ/det A (the adjugate is Cᵀ).",
            name="cofactors not transposed",
        ),
        Mistake(
            A.I,
            sp.MatMul(1 / det, minors.T, evaluate=False),
            "Minors without the checkerboard signs (−1)^(i+j) are not cofactors.",
            name="checkerboard signs missing",
        ),
        Mistake(
            sp.Determinant(2 * A),
            2 * det,
            "Every row is doubled, so det(2A) = 2³ det A = 8 det A for a 3×3 matrix.",
            name="det(2A) = 2 det A",
        ),
        Mistake(
            A.I,
            sp.MatMul(det, C.T, evaluate=False),
            "Divide the adjugate by the determinant, do not multiply.",
            name="multiplied by det A",
        ),
    )


INTUITION = (
    "Each cofactor measures how much the volume spanned by the rows changes when one "
    "entry changes, so the row i of A dotted with the cofactors of row i is the "
    "volume det A, while row i dotted with the cofactors of another row is the volume "
    "of a flattened box with a repeated row: zero. That is exactly the statement "
    "A·Cᵀ = (det A)I, and dividing by the volume gives the inverse. A matrix whose "
    "rows span no volume (det A = 0) squashes space onto a plane or a line and has no "
    "inverse."
)

NOTES = (
    "Two twins. The adjugate twin evaluates the formula above (after scaling by the "
    "largest entry, so entries from 1e−300 to 1e300 work). Its error is about "
    "ε‖A‖³/|det A| = κ(A)ε·σ₁/σ₂ (σ the singular values, κ = σ₁/σ₃ the condition "
    "number): as good as LAPACK when only one singular value is small, but when two "
    "are small (A close to rank 1) every 2×2 cofactor is a difference of nearly equal "
    "products and the result can lose all its digits. The second twin is Gaussian "
    "elimination with partial pivoting written out as one SymPy expression (a "
    "Piecewise over the six pivot orders; each branch is proven equal to A⁻¹): its "
    "error stays within a small multiple of κ(A)ε, as LAPACK's does.",
)
