"""A 2×2 linear system Ax = b by Cramer's rule, which agrees with x = A⁻¹b.

>>> build().result.rhs.shape
(2, 1)
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from derive.catalog.common import fmt, random_matrices
from derive.catalog.entry import Entry, Exercise, Picture
from derive.catalog.linear_algebra.stable import (
    largest_entry,
    nonsingular,
    rescaled,
    same_as_results,
    scaled_domain,
)
from derive.catalog.steps import given, implies
from derive.core.model import Domain, Formula, Interview, Mistake, Rel, Step, Topic, Var
from derive.numeric.derivation import Derivation
from derive.numeric.twin import Arg, Condition, Reference, Twin

ENTRY = Entry(
    id="linear-system-2x2",
    topic=Topic.LINEAR_ALGEBRA,
    title="A 2×2 linear system by Cramer's rule",
    plot=Picture(
        caption=(
            "Each equation is a line; the solution is where they cross. Nearly parallel lines "
            "make a nearly singular system."
        ),
        drawing="two_lines",
    ),
    exercise=Exercise(
        question=r"Solve the system $A x = b$ for the vector $x$, where {given}: compute ${lhs}$.",
        lhs=r"x",
    ),
)


def sample(rng: np.random.Generator, size: int) -> dict[str, np.ndarray]:
    """Gaussian systems with condition number at most 1000."""
    return {"A": random_matrices(rng, size, 2), "b": rng.normal(size=(size, 2))}


def solve(A: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``np.linalg.solve`` on stacks of systems, b given as ``(..., 2)``."""
    return np.asarray(np.linalg.solve(A, b[..., None])[..., 0])


class _Setup:
    """The symbols and expressions the parts of the derivation share."""

    def __init__(self) -> None:
        a11, a12, a21, a22 = sp.symbols("a_{11} a_{12} a_{21} a_{22}", real=True)
        b1, b2 = sp.symbols("b_1 b_2", real=True)
        self.entries = (a11, a12, a21, a22)
        self.b1, self.b2 = b1, b2
        self.A = sp.MatrixSymbol("A", 2, 2)
        self.A1 = sp.MatrixSymbol("A_1", 2, 2)
        self.A2 = sp.MatrixSymbol("A_2", 2, 2)
        self.b = sp.MatrixSymbol("b", 2, 1)
        self.x = sp.MatrixSymbol("x", 2, 1)
        self.M = sp.ImmutableMatrix([[a11, a12], [a21, a22]])
        self.bv = sp.ImmutableMatrix([b1, b2])
        self.xv = sp.ImmutableMatrix(sp.symbols("x_1 x_2", real=True))
        self.M1 = sp.ImmutableMatrix([[b1, a12], [b2, a22]])
        self.M2 = sp.ImmutableMatrix([[a11, b1], [a21, b2]])
        self.cramer = self.ratios(self.A1, self.A2)
        scale = largest_entry(self.entries)
        self.explicit = sp.ImmutableMatrix([m.det() / self.M.det() for m in (self.M1, self.M2)])
        self.scaled = rescaled(self.explicit, (*self.entries, b1, b2), scale)

    def ratios(self, first: sp.MatrixSymbol, second: sp.MatrixSymbol) -> sp.ImmutableMatrix:
        """(det first/det A, det second/det A)."""
        det = sp.Determinant
        return sp.ImmutableMatrix([det(first) / det(self.A), det(second) / det(self.A)])


def build() -> Derivation:
    """Build the derivation."""
    s = _Setup()
    return ENTRY.derivation(
        symbols=(
            Var(s.A, "the coefficient matrix", Domain.MATRIX),
            Var(s.b, "the right-hand side", Domain.MATRIX),
            Var(s.x, "the unknowns (x₁, x₂)", Domain.MATRIX),
            Var(s.A1, "A with its first column replaced by b", Domain.MATRIX),
            Var(s.A2, "A with its second column replaced by b", Domain.MATRIX),
        ),
        steps=_steps(s),
        results=(
            Formula(s.xv, s.cramer, name="Cramer's rule"),
            Formula(s.xv, s.A.I * s.b, name="x = A^{-1}b"),
        ),
        twins=(_twin(s),),
        bindings={s.A: s.M, s.b: s.bv, s.A1: s.M1, s.A2: s.M2, s.x: s.xv},
        checks=(same_as_results(s.scaled, s.explicit),),
        assumptions=("det A = a₁₁a₂₂ − a₁₂a₂₁ ≠ 0",),
        intuition=INTUITION,
        interview=_interview(),
        mistakes=_mistakes(s),
        notes=NOTES,
    )


def _steps(s: _Setup) -> tuple[Step, ...]:
    """Write the system out, eliminate, and read the solution as Cramer's rule and A⁻¹b."""
    A, b, M, xv, bv = s.A, s.b, s.M, s.xv, s.bv
    solution = sp.solve(list(M * xv - bv), list(xv), dict=True)[0]
    return (
        given(A, M, "The coefficient matrix."),
        given(b, bv, "The right-hand side."),
        given(A * s.x, b, "The system: find x = (x₁, x₂) with Ax = b."),
        Step(
            lhs=M * xv,
            rhs=bv,
            rel=Rel.IFF,
            why="Written out: a₁₁x₁ + a₁₂x₂ = b₁ and a₂₁x₁ + a₂₂x₂ = b₂.",
        ),
        implies(
            xv,
            xv.xreplace(solution),
            "Eliminate: a₂₂·(first) − a₁₂·(second) removes x₂, a₁₁·(second) − "
            "a₂₁·(first) removes x₁; divide by a₁₁a₂₂ − a₁₂a₂₁ = det A ≠ 0.",
        ),
        Step(
            rhs=s.cramer,
            why="Cramer's rule: each numerator is the determinant of A with that unknown's "
            "column replaced by b (A₁ and A₂).",
        ),
        Step(
            rhs=A.I * b,
            why="The same as multiplying b by the 2×2 inverse (1/det A)[[a₂₂, −a₁₂], [−a₂₁, a₁₁]].",
        ),
    )


def _twin(s: _Setup) -> Twin:
    """Cramer's rule on the scaled system against ``np.linalg.solve``."""
    args = (Arg("A", s.M), Arg("b", s.bv))
    return Twin(
        name="solution",
        formula=Formula(s.xv, s.scaled, name="Cramer's rule on (A/s, b/s), s = max |aᵢⱼ|"),
        args=args,
        reference=Reference("np.linalg.solve", solve),
        sample=sample,
        domain=scaled_domain("invertible finite A and finite b"),
        valid=Condition(nonsingular(s.M.det(), s.M).expr, args),
        rtol=1e-10,
    )


def _interview() -> Interview:
    """Solve the seed's example, 3x + y = 9, x + 2y = 8, with Cramer's rule."""
    ex_A = sp.ImmutableMatrix([[3, 1], [1, 2]])
    ex_b = sp.ImmutableMatrix([9, 8])
    ex_1 = sp.ImmutableMatrix([[9, 1], [8, 2]])
    ex_2 = sp.ImmutableMatrix([[3, 9], [1, 8]])
    ex_x = ex_A.LUsolve(ex_b)
    return Interview(
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


def _mistakes(s: _Setup) -> tuple[Mistake, ...]:
    """Swapped or inverted ratios, a replaced row, and dividing by the diagonal."""
    a11, a12, a21, a22 = s.entries
    b1, b2, truth, det_A = s.b1, s.b2, s.A.I * s.b, sp.Determinant(s.A)
    by_rows = ([[b1, b2], [a21, a22]], [[a11, a12], [b1, b2]])
    return (
        Mistake(
            truth,
            s.ratios(s.A2, s.A1),
            "x₁ uses the matrix with column 1 replaced by b, x₂ the one with column 2.",
            name="numerators swapped",
        ),
        Mistake(
            truth,
            sp.ImmutableMatrix([sp.ImmutableMatrix(m).det() / det_A for m in by_rows]),
            "Replace a column of A by b, not a row.",
            name="row replaced instead of column",
        ),
        Mistake(
            truth,
            s.ratios(s.A1, s.A2).applyfunc(lambda r: 1 / r),
            "The determinant of A is the denominator, not the numerator.",
            name="ratio inverted",
        ),
        Mistake(
            truth,
            sp.ImmutableMatrix([b1 / a11, b2 / a22]),
            "Dividing by the diagonal ignores the coupling through a₁₂ and a₂₁.",
            name="divide by the diagonal",
        ),
    )


INTUITION = (
    "Each equation is a line in the plane and the solution is where they cross. "
    "Cramer's rule reads it off areas: det A is the area of the parallelogram spanned "
    "by the columns of A, and replacing column 1 by b measures how much of b lies "
    "along column 1 in units of that area; that ratio is x₁. When det A = 0 the "
    "columns are parallel, the lines are parallel (no solution) or the same line "
    "(infinitely many), and the ratio is undefined."
)

NOTES = (
    "Cramer's rule for n = 2 is forward stable: the error in x is within a small "
    "multiple of κ(A)·ε (κ the condition number), like LAPACK's solve. The twin scales "
    "A and b by the largest |aᵢⱼ| first, so entries from 1e−300 to 1e300 work; it "
    "returns NaN for an exactly singular (scaled) A. For n ≥ 3 Cramer's rule is not "
    "stable and costs far more than elimination.",
)
