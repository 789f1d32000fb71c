"""The inverse of a 3×3 matrix by cofactors: A⁻¹ = adj(A)/det A.

>>> build().result.rhs.shape
(3, 3)
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from derive.catalog.common import fmt, random_matrices
from derive.catalog.entry import Entry
from derive.catalog.linear_algebra.stable import (
    largest_entry,
    nonsingular,
    pivoted_check,
    pivoted_inverse,
    rescaled,
    same_as_results,
)
from derive.core.model import Domain, Formula, Interview, Mistake, Rel, Step, Topic, Var
from derive.numeric.derivation import Derivation
from derive.numeric.twin import Arg, Reference, Twin

ENTRY = Entry(
    id="inverse-3x3-adjugate",
    topic=Topic.LINEAR_ALGEBRA,
    title="Inverse of a 3×3 matrix by cofactors",
)


def sample(rng: np.random.Generator, size: int) -> dict[str, np.ndarray]:
    """Gaussian 3×3 matrices with condition number at most 100."""
    return {"A": random_matrices(rng, size, 3, max_cond=1e2)}


def build() -> Derivation:
    """Build the derivation."""
    entries = sp.symbols("a b c d e f g h i", real=True)
    A = sp.MatrixSymbol("A", 3, 3)
    C = sp.MatrixSymbol("C", 3, 3)
    M = sp.ImmutableMatrix(3, 3, entries)
    cofactors = sp.ImmutableMatrix(M.cofactor_matrix())
    minors = sp.ImmutableMatrix(3, 3, lambda r, s: (-1) ** (r + s) * cofactors[r, s])
    det = sp.Determinant(A)
    expansion = sum((M[0, j] * cofactors[0, j] for j in range(3)), sp.Integer(0))
    I3 = sp.Identity(3)
    k = sp.Symbol("k", positive=True)
    inverse = sp.MatMul(1 / det, C.T, evaluate=False)

    adjugate_form = sp.ImmutableMatrix(cofactors.T / M.det())
    scale = largest_entry(entries)
    scaled_adjugate = rescaled(adjugate_form, entries, scale, -1)
    pivoted, leaves = pivoted_inverse(M)
    scaled_pivoted = rescaled(pivoted, entries, scale, -1)

    steps = (
        Step(lhs=A, rhs=M, rel=Rel.GIVEN, why="A general real 3×3 matrix."),
        Step(
            lhs=C,
            rhs=cofactors,
            rel=Rel.GIVEN,
            why="The cofactor matrix: C_ij is (−1)^(i+j) times the 2×2 determinant left when "
            "row i and column j are deleted (the signs form a checkerboard + − + / − + − / "
            "+ − +).",
        ),
        Step(
            lhs=det,
            rhs=expansion,
            rel=Rel.IDENTITY,
            why="Laplace expansion along the first row: det A = aC₁₁ + bC₁₂ + cC₁₃.",
        ),
        Step(
            lhs=A * C.T,
            rhs=sp.MatMul(det, I3, evaluate=False),
            rel=Rel.IDENTITY,
            why="Row i of A against column j of Cᵀ is an expansion along row j with row i's "
            "entries: det A when i = j, and the determinant of a matrix with two equal rows, "
            "0, when i ≠ j.",
        ),
        Step(
            lhs=C.T * A,
            rhs=sp.MatMul(det, I3, evaluate=False),
            rel=Rel.IDENTITY,
            why="The same with columns: CᵀA = (det A)I.",
        ),
        Step(
            lhs=A.I,
            rhs=inverse,
            rel=Rel.IDENTITY,
            why="So for det A ≠ 0, Cᵀ/det A is a two-sided inverse: A⁻¹ = adj(A)/det A, "
            "where the adjugate adj(A) = Cᵀ is the transposed cofactor matrix.",
        ),
        Step(
            lhs=sp.Determinant(k * A),
            rhs=k**3 * det,
            rel=Rel.IDENTITY,
            why="Scaling A by k scales each of the three rows by k, so det(kA) = k³ det A.",
        ),
        Step(
            lhs=sp.Inverse(k * A),
            rhs=sp.MatMul(1 / k, A.I, evaluate=False),
            rel=Rel.IDENTITY,
            why="And (kA)⁻¹ = A⁻¹/k: the twins invert A/k, k the largest |entry|, so that no "
            "triple product overflows or underflows.",
        ),
    )
    result = Formula(A.I, inverse, name="A^{-1}")
    results = (result, Formula(sp.Determinant(k * A), k**3 * det, name="det(kA)"))

    example = sp.ImmutableMatrix([[1, 2, 3], [0, 1, 4], [5, 6, 0]])
    ex_cof = example.cofactor_matrix()
    ex_det = example.det()
    ex_inverse = ex_cof.T / ex_det
    interview = Interview(
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

    det_M = M.det()
    twins = (
        Twin(
            name="inverse (adjugate)",
            formula=Formula(A.I, scaled_adjugate, name="adj(A/k)/(k det(A/k)), k = max |entry|"),
            args=(Arg("A", M),),
            reference=Reference("np.linalg.inv", lambda A: np.linalg.inv(A)),
            sample=sample,
            domain=(
                "invertible finite 3×3 matrices, entries of any magnitude; NaN where the "
                "scaled determinant is exactly 0 or an entry is infinite or NaN"
            ),
            valid=nonsingular(det_M, M),
            rtol=1e-9,
            atol=1e-10,
        ),
        Twin(
            name="inverse (pivoted elimination)",
            formula=Formula(A.I, scaled_pivoted, name="elimination with partial pivoting"),
            args=(Arg("A", M),),
            reference=Reference("np.linalg.inv", lambda A: np.linalg.inv(A)),
            sample=sample,
            domain=(
                "invertible finite 3×3 matrices, entries of any magnitude; NaN where the "
                "scaled determinant is exactly 0 or an entry is infinite or NaN"
            ),
            valid=nonsingular(det_M, M),
            rtol=1e-9,
            atol=1e-10,
        ),
    )

    return ENTRY.derivation(
        symbols=(
            Var(A, "a real 3×3 matrix [[a, b, c], [d, e, f], [g, h, i]]", Domain.MATRIX),
            Var(C, "its cofactor matrix", Domain.MATRIX),
            Var(k, "a positive scale"),
        ),
        steps=steps,
        results=results,
        twins=twins,
        bindings={A: M, C: cofactors},
        checks=(
            same_as_results(scaled_adjugate, adjugate_form),
            pivoted_check(leaves, adjugate_form),
        ),
        assumptions=("det A ≠ 0 (A is invertible)",),
        intuition=(
            "Each cofactor measures how much the volume spanned by the rows changes when one "
            "entry changes, so the row i of A dotted with the cofactors of row i is the "
            "volume det A, while row i dotted with the cofactors of another row is the volume "
            "of a flattened box with a repeated row: zero. That is exactly the statement "
            "A·Cᵀ = (det A)I, and dividing by the volume gives the inverse. A matrix whose "
            "rows span no volume (det A = 0) squashes space onto a plane or a line and has no "
            "inverse."
        ),
        interview=interview,
        mistakes=(
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
        ),
        notes=(
            "Two twins. The adjugate twin evaluates the formula above (after scaling by the "
            "largest entry, so entries from 1e−300 to 1e300 work). Its error is about "
            "ε‖A‖³/|det A| = κ(A)ε·σ₁/σ₂ (σ the singular values, κ = σ₁/σ₃ the condition "
            "number): as good as LAPACK when only one singular value is small, but when two "
            "are small (A close to rank 1) every 2×2 cofactor is a difference of nearly equal "
            "products and the result can lose all its digits. The second twin is Gaussian "
            "elimination with partial pivoting written out as one SymPy expression (a "
            "Piecewise over the six pivot orders; each branch is proven equal to A⁻¹): its "
            "error stays within a small multiple of κ(A)ε, as LAPACK's does.",
        ),
    )
