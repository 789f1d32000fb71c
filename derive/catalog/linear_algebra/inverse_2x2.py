"""The inverse of a 2×2 matrix, by solving AX = I.

>>> build().result.rhs.shape
(2, 2)
"""

from __future__ import annotations

import sympy as sp

from derive.catalog.common import fmt, random_matrices
from derive.catalog.entry import Entry, Exercise, Picture
from derive.catalog.linear_algebra.stable import (
    inverse_twin,
    largest_entry,
    rescaled,
    same_as_results,
)
from derive.catalog.steps import given, identity, implies
from derive.core.model import Domain, Formula, Interview, Mistake, Rel, Step, Topic, Var
from derive.numeric.derivation import Derivation
from derive.numeric.twin import Twin

ENTRY = Entry(
    id="inverse-2x2",
    topic=Topic.LINEAR_ALGEBRA,
    title="Inverse of a 2×2 matrix",
    plot=Picture(
        caption=(
            "The unit circle (grey) and its image under A (blue); the red points are that "
            "ellipse mapped by the twin's A⁻¹, landing back on the circle. The arrows are A's "
            "columns, the images of e₁ and e₂."
        ),
        drawing="unit_circle_inverse",
    ),
    exercise=Exercise(
        question=r"Invert {given} by hand: compute ${lhs}$.",
    ),
    widget="linear_algebra.matrix_explorer",
)


class _Setup:
    """The symbols and expressions the parts of the derivation share."""

    def __init__(self) -> None:
        self.a, self.b, self.c, self.d = sp.symbols("a b c d", real=True)
        self.p, self.q, self.r, self.s = sp.symbols("p q r s", real=True)
        self.A = sp.MatrixSymbol("A", 2, 2)
        self.B = sp.MatrixSymbol("B", 2, 2)
        self.M = sp.ImmutableMatrix([[self.a, self.b], [self.c, self.d]])
        self.X = sp.ImmutableMatrix([[self.p, self.q], [self.r, self.s]])
        self.I2 = sp.ImmutableMatrix(sp.eye(2))
        self.det = self.M.det()
        self.adj = self.M.adjugate()
        unknowns = [self.p, self.q, self.r, self.s]
        solution = sp.solve(list(self.M * self.X - self.I2), unknowns, dict=True)[0]
        self.X_solved = self.X.xreplace(solution)
        self.factored = sp.MatMul(1 / self.det, self.adj, evaluate=False)
        self.k = sp.Symbol("k", positive=True)
        entries = (self.a, self.b, self.c, self.d)
        largest = largest_entry(entries)
        self.scaled = rescaled(sp.ImmutableMatrix(self.factored.doit()), entries, largest, -1)


def build() -> Derivation:
    """Build the derivation."""
    s = _Setup()
    return ENTRY.derivation(
        symbols=(
            Var(s.A, "a 2×2 real matrix", Domain.MATRIX),
            Var(s.B, "a second invertible 2×2 matrix (in a common mistake)", Domain.MATRIX),
            Var(s.a, "top-left entry"),
            Var(s.b, "top-right entry"),
            Var(s.c, "bottom-left entry"),
            Var(s.d, "bottom-right entry"),
            Var(s.X, "the unknown inverse [[p, q], [r, s]]"),
            Var(s.k, "a positive scale"),
        ),
        steps=_steps(s),
        results=(Formula(s.A.I, s.factored, name="A^{-1}"),),
        twins=(_twin(s),),
        bindings={s.A: s.M},
        checks=(same_as_results(s.scaled, s.factored),),
        assumptions=("ad − bc ≠ 0 (A is invertible)",),
        intuition=INTUITION,
        interview=_interview(s),
        mistakes=_mistakes(s),
        notes=NOTES,
    )


def _steps(s: _Setup) -> tuple[Step, ...]:
    """Solve AX = I entry by entry, factor out 1/(ad − bc), and check the result."""
    A, M, X, I2, factored = s.A, s.M, s.X, s.I2, s.factored
    return (
        given(A, M, "Write a general 2×2 matrix with real entries."),
        given(sp.MatMul(A, X), I2, "An inverse X must satisfy AX = I; name its four entries."),
        Step(
            lhs=sp.ImmutableMatrix(list(M * X)),
            rhs=sp.ImmutableMatrix(list(I2)),
            rel=Rel.IFF,
            why="Multiply out: the matrix equation is four linear equations, entry by entry.",
        ),
        implies(
            X,
            s.X_solved,
            "Eliminate: (p, r) and (q, s) each solve a 2×2 system; this needs ad − bc ≠ 0.",
        ),
        Step(rhs=factored, why="Every entry shares the factor 1/(ad − bc); take it out."),
        identity(
            A.I, factored, "So this X is A⁻¹ (and it agrees with SymPy's own matrix inverse)."
        ),
        identity(sp.MatMul(factored, A), I2, "It is also a left inverse: A⁻¹A = I."),
        identity(
            sp.MatMul(A, s.adj),
            sp.MatMul(s.det, I2, evaluate=False),
            "A·adj(A) = (ad − bc)I: if ad = bc, A sends a nonzero column of adj(A) to 0, "
            "so no inverse exists.",
        ),
        identity(
            sp.Inverse(s.k * A),
            sp.MatMul(1 / s.k, A.I, evaluate=False),
            "Scaling: (kA)⁻¹ = A⁻¹/k for k > 0. The twin inverts A/k with k the largest "
            "|entry| and divides by k, so ad − bc can neither overflow nor underflow.",
        ),
    )


def _twin(s: _Setup) -> Twin:
    """The closed form on A/k, k the largest |entry|, against ``np.linalg.inv``."""
    return inverse_twin(
        "inverse",
        Formula(s.A.I, s.scaled, name="(A/k)⁻¹/k, k = max |entry|"),
        s.M,
        lambda rng, n: {"A": random_matrices(rng, n, 2)},
        "the scaled determinant ad − bc",
        rtol=1e-10,
    )


def _interview(s: _Setup) -> Interview:
    """Invert a small integer matrix by hand."""
    example = {s.a: 4, s.b: 7, s.c: 2, s.d: 6}
    example_det = s.det.xreplace(example)
    example_adj = s.adj.xreplace(example)
    example_inverse = sp.ImmutableMatrix(s.factored.doit().xreplace(example))
    return Interview(
        question="Invert A = [[4, 7], [2, 6]] by hand. When does a 2×2 matrix have no inverse?",
        answer=(
            f"det A = 4·6 − 7·2 = {fmt(example_det)}, so A⁻¹ = (1/{fmt(example_det)})·"
            f"{fmt(example_adj)} = {fmt(example_inverse)}: swap the diagonal, negate the "
            "off-diagonal, divide by the determinant. There is no inverse exactly when "
            "ad − bc = 0, i.e. the rows (and columns) are proportional."
        ),
    )


def _mistakes(s: _Setup) -> tuple[Mistake, ...]:
    """Wrong entries, a wrong determinant, and the order of (AB)⁻¹."""
    a, b, c, d, A, det = s.a, s.b, s.c, s.d, s.A, s.det
    return (
        Mistake(
            A.I,
            sp.MatMul(1 / det, sp.ImmutableMatrix([[a, -b], [-c, d]]), evaluate=False),
            "Negating the off-diagonal but forgetting to swap a and d.",
            name="diagonal not swapped",
        ),
        Mistake(
            A.I,
            sp.MatMul(1 / det, sp.ImmutableMatrix([[-d, b], [c, -a]]), evaluate=False),
            "Negating the diagonal instead of the off-diagonal gives −A⁻¹.",
            name="wrong entries negated",
        ),
        Mistake(
            A.I,
            sp.MatMul(1 / (a * d + b * c), s.adj, evaluate=False),
            "The determinant is ad − bc, not ad + bc.",
            name="determinant sign",
        ),
        Mistake(
            A.I,
            sp.ImmutableMatrix([[1 / a, 1 / b], [1 / c, 1 / d]]),
            "A matrix inverse is not the entrywise reciprocal.",
            name="entrywise reciprocal",
        ),
        Mistake(
            sp.Inverse(sp.MatMul(A, s.B)),
            sp.MatMul(A.I, s.B.I),
            "(AB)x applies B first and A second, so undoing it applies A⁻¹ first and B⁻¹ "
            "second: (AB)⁻¹ = B⁻¹A⁻¹. A⁻¹B⁻¹ is right only when A and B commute.",
            name="(AB)⁻¹ = A⁻¹B⁻¹",
        ),
    )


INTUITION = (
    "A 2×2 matrix maps the unit square to a parallelogram whose signed area is "
    "ad − bc. Undoing the map swaps the two diagonal entries, negates the two "
    "off-diagonal (shear) entries and divides by that area. When the area is zero the "
    "plane is flattened onto a line, two different points land on the same place, and "
    "nothing can undo it: the matrix is singular."
)

NOTES = (
    "Accuracy: each entry of the closed form is ±(an entry)/(ad − bc), so its relative "
    "error is that of the determinant, at most about κ(A)·ε (κ the condition number, "
    "ε = 2.2e−16): rounding in ad and bc is amplified only by the cancellation "
    "between them, and |ad| + |bc| ≤ κ(A)·|ad − bc| for a 2×2 matrix. That is an "
    "entrywise bound, better than LAPACK's normwise one. The twin scales A by its "
    "largest entry first, so entries from 1e−300 to 1e300 work; it returns NaN only "
    "for an exactly zero (scaled) determinant.",
)
