"""A 2×2 linear system Ax = b by Cramer's rule, which agrees with x = A⁻¹b.

>>> build().result.rhs.shape
(2, 1)
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from derive.catalog.common import fmt, random_matrices
from derive.catalog.entry import Entry
from derive.catalog.linear_algebra.stable import (
    largest_entry,
    nonsingular,
    rescaled,
    same_as_results,
)
from derive.core.model import Domain, Formula, Interview, Mistake, Rel, Step, Topic, Var
from derive.numeric.derivation import Derivation
from derive.numeric.twin import Arg, Condition, Reference, Twin

ENTRY = Entry(
    id="linear-system-2x2",
    topic=Topic.LINEAR_ALGEBRA,
    title="A 2×2 linear system by Cramer's rule",
)


def sample(rng: np.random.Generator, size: int) -> dict[str, np.ndarray]:
    """Gaussian systems with condition number at most 1000."""
    return {"A": random_matrices(rng, size, 2), "b": rng.normal(size=(size, 2))}


def solve(A: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``np.linalg.solve`` on stacks of systems, b given as ``(..., 2)``."""
    return np.asarray(np.linalg.solve(A, b[..., None])[..., 0])


def build() -> Derivation:
    """Build the derivation."""
    a11, a12, a21, a22 = sp.symbols("a_{11} a_{12} a_{21} a_{22}", real=True)
    b1, b2 = sp.symbols("b_1 b_2", real=True)
    x1, x2 = sp.symbols("x_1 x_2", real=True)
    A = sp.MatrixSymbol("A", 2, 2)
    A1 = sp.MatrixSymbol("A_1", 2, 2)
    A2 = sp.MatrixSymbol("A_2", 2, 2)
    b = sp.MatrixSymbol("b", 2, 1)
    x = sp.MatrixSymbol("x", 2, 1)
    M = sp.ImmutableMatrix([[a11, a12], [a21, a22]])
    bv = sp.ImmutableMatrix([b1, b2])
    xv = sp.ImmutableMatrix([x1, x2])
    M1 = sp.ImmutableMatrix([[b1, a12], [b2, a22]])
    M2 = sp.ImmutableMatrix([[a11, b1], [a21, b2]])

    solution = sp.solve(list(M * xv - bv), [x1, x2], dict=True)[0]
    solved = xv.xreplace(solution)
    cramer = sp.ImmutableMatrix(
        [sp.Determinant(A1) / sp.Determinant(A), sp.Determinant(A2) / sp.Determinant(A)]
    )
    entries = (a11, a12, a21, a22)
    scale = largest_entry(entries)
    explicit = sp.ImmutableMatrix([M1.det() / M.det(), M2.det() / M.det()])
    scaled = rescaled(explicit, (*entries, b1, b2), scale)

    steps = (
        Step(lhs=A, rhs=M, rel=Rel.GIVEN, why="The coefficient matrix."),
        Step(lhs=b, rhs=bv, rel=Rel.GIVEN, why="The right-hand side."),
        Step(
            lhs=A * x,
            rhs=b,
            rel=Rel.GIVEN,
            why="The system: find x = (x₁, x₂) with Ax = b.",
        ),
        Step(
            lhs=M * xv,
            rhs=bv,
            rel=Rel.IFF,
            why="Written out: a₁₁x₁ + a₁₂x₂ = b₁ and a₂₁x₁ + a₂₂x₂ = b₂.",
        ),
        Step(
            lhs=xv,
            rhs=solved,
            rel=Rel.IMPLIES,
            why="Eliminate: a₂₂·(first) − a₁₂·(second) removes x₂, a₁₁·(second) − "
            "a₂₁·(first) removes x₁; divide by a₁₁a₂₂ − a₁₂a₂₁ = det A ≠ 0.",
        ),
        Step(
            rhs=cramer,
            why="Cramer's rule: each numerator is the determinant of A with that unknown's "
            "column replaced by b (A₁ and A₂).",
        ),
        Step(
            rhs=A.I * b,
            why="The same as multiplying b by the 2×2 inverse (1/det A)[[a₂₂, −a₁₂], [−a₂₁, a₁₁]].",
        ),
    )
    results = (
        Formula(xv, cramer, name="Cramer's rule"),
        Formula(xv, A.I * b, name="x = A^{-1}b"),
    )

    # The seed's example: 3x + y = 9, x + 2y = 8.
    ex_A = sp.ImmutableMatrix([[3, 1], [1, 2]])
    ex_b = sp.ImmutableMatrix([9, 8])
    ex_1 = sp.ImmutableMatrix([[9, 1], [8, 2]])
    ex_2 = sp.ImmutableMatrix([[3, 9], [1, 8]])
    ex_x = ex_A.LUsolve(ex_b)
    interview = Interview(
        question=(
            "Solve 3x + y = 9, x + 2y = 8 with Cramer's rule. In code, would you compute "
            "inv(A) @ b?"
        ),
        answer=(
            f"det A = 3·2 − 1·1 = {fmt(ex_A.det())}; replacing the first column by b gives "
            f"det = {fmt(ex_1.det())}, the second {fmt(ex_2.det())}; so x = "
            f"{fmt(ex_1.det())}/{fmt(ex_A.det())} = {fmt(ex_x[0])} and y = "
            f"{fmt(ex_2.det())}/{fmt(ex_A.det())} = {fmt(ex_x[1])} (check: 3·{fmt(ex_x[0])} + "
            f"{fmt(ex_x[1])} = {fmt(3 * ex_x[0] + ex_x[1])}). No: np.linalg.solve factorises A "
            "once (LU with pivoting), is cheaper and more accurate than forming the inverse, "
            "and Cramer's rule costs n + 1 determinants; for n = 2 it is fine (and forward "
            "stable), for large n it is not."
        ),
    )

    invertible = nonsingular(M.det(), M)
    twin = Twin(
        name="solution",
        formula=Formula(xv, scaled, name="Cramer's rule on (A/s, b/s), s = max |aᵢⱼ|"),
        args=(Arg("A", M), Arg("b", bv)),
        reference=Reference("np.linalg.solve", solve),
        sample=sample,
        domain=(
            "invertible finite A and finite b, entries of any magnitude; NaN where the scaled "
            "determinant is exactly 0 or an entry is infinite or NaN"
        ),
        valid=Condition(invertible.expr, (Arg("A", M), Arg("b", bv))),
        rtol=1e-10,
    )

    return ENTRY.derivation(
        symbols=(
            Var(A, "the coefficient matrix", Domain.MATRIX),
            Var(b, "the right-hand side", Domain.MATRIX),
            Var(x, "the unknowns (x₁, x₂)", Domain.MATRIX),
            Var(A1, "A with its first column replaced by b", Domain.MATRIX),
            Var(A2, "A with its second column replaced by b", Domain.MATRIX),
        ),
        steps=steps,
        results=results,
        twins=(twin,),
        bindings={A: M, b: bv, A1: M1, A2: M2, x: xv},
        checks=(same_as_results(scaled, explicit),),
        assumptions=("det A = a₁₁a₂₂ − a₁₂a₂₁ ≠ 0",),
        intuition=(
            "Each equation is a line in the plane and the solution is where they cross. "
            "Cramer's rule reads it off areas: det A is the area of the parallelogram spanned "
            "by the columns of A, and replacing column 1 by b measures how much of b lies "
            "along column 1 in units of that area; that ratio is x₁. When det A = 0 the "
            "columns are parallel, the lines are parallel (no solution) or the same line "
            "(infinitely many), and the ratio is undefined."
        ),
        interview=interview,
        mistakes=(
            Mistake(
                A.I * b,
                sp.ImmutableMatrix(
                    [sp.Determinant(A2) / sp.Determinant(A), sp.Determinant(A1) / sp.Determinant(A)]
                ),
                "x₁ uses the matrix with column 1 replaced by b, x₂ the one with column 2.",
                name="numerators swapped",
            ),
            Mistake(
                A.I * b,
                sp.ImmutableMatrix(
                    [
                        sp.ImmutableMatrix([[b1, b2], [a21, a22]]).det() / sp.Determinant(A),
                        sp.ImmutableMatrix([[a11, a12], [b1, b2]]).det() / sp.Determinant(A),
                    ]
                ),
                "Replace a column of A by b, not a row.",
                name="row replaced instead of column",
            ),
            Mistake(
                A.I * b,
                sp.ImmutableMatrix(
                    [sp.Determinant(A) / sp.Determinant(A1), sp.Determinant(A) / sp.Determinant(A2)]
                ),
                "The determinant of A is the denominator, not the numerator.",
                name="ratio inverted",
            ),
            Mistake(
                A.I * b,
                sp.ImmutableMatrix([b1 / a11, b2 / a22]),
                "Dividing by the diagonal ignores the coupling through a₁₂ and a₂₁.",
                name="divide by the diagonal",
            ),
        ),
        notes=(
            "Cramer's rule for n = 2 is forward stable: the error in x is within a small "
            "multiple of κ(A)·ε (κ the condition number), like LAPACK's solve. The twin scales "
            "A and b by the largest |aᵢⱼ| first, so entries from 1e−300 to 1e300 work; it "
            "returns NaN for an exactly singular (scaled) A. For n ≥ 3 Cramer's rule is not "
            "stable and costs far more than elimination.",
        ),
    )
