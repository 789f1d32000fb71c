"""The Moore–Penrose pseudoinverse: (AᵀA)⁻¹Aᵀ for tall A, Aᵀ(AAᵀ)⁻¹ for wide A.

>>> [r.name for r in build().results][:4]
['AA⁺A = A', 'A⁺AA⁺ = A⁺', 'AA⁺ symmetric', 'A⁺A symmetric']
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from derive.catalog.common import fmt
from derive.catalog.entry import Entry, Exercise
from derive.catalog.linear_algebra.pieces import dot, squares
from derive.catalog.linear_algebra.stable import squares_representable
from derive.catalog.steps import given, identity, implies
from derive.core.model import Domain, Formula, Interview, Mistake, Step, Topic, Var
from derive.numeric.derivation import Derivation
from derive.numeric.twin import Arg, Reference, Sampler, Twin

ENTRY = Entry(
    id="pseudoinverse",
    topic=Topic.LINEAR_ALGEBRA,
    title="The Moore–Penrose pseudoinverse",
    exercise=Exercise(
        question=(
            r"Compute the pseudoinverse ${lhs} = (A^\top A)^{{-1}} A^\top$ of the tall "
            r"matrix {given}."
        ),
        lhs=r"A^{+}",
    ),
)


def sample_tall(rng: np.random.Generator, size: int) -> dict[str, np.ndarray]:
    """Gaussian 6×3 matrices (full column rank with probability one)."""
    return {"A": rng.normal(size=(size, 6, 3))}


def sample_wide(rng: np.random.Generator, size: int) -> dict[str, np.ndarray]:
    """Gaussian 3×6 matrices (full row rank with probability one)."""
    return {"W": rng.normal(size=(size, 3, 6))}


class _Setup:
    """The symbols and expressions the parts of the derivation share."""

    def __init__(self) -> None:
        m, n = self.m, self.n = sp.symbols("m n", integer=True, positive=True)
        self.i = sp.Symbol("i", integer=True)
        self.A = sp.MatrixSymbol("A", m, n)
        self.Ap = sp.MatrixSymbol("A^{+}", n, m)
        self.W = sp.MatrixSymbol("W", n, m)
        self.Wp = sp.MatrixSymbol("W^{+}", m, n)
        self.b = sp.MatrixSymbol("b", m, 1)
        self.c = sp.MatrixSymbol("c", n, 1)
        self.u = sp.MatrixSymbol("u", m, 1)
        self.x = sp.MatrixSymbol("x", n, 1)
        self.tall = (self.A.T * self.A).I * self.A.T
        self.wide = self.W.T * (self.W * self.W.T).I
        self.In, self.Im = sp.Identity(n), sp.Identity(m)
        self.x0 = sp.MatrixSymbol("x_0", m, 1)
        self.z = sp.MatrixSymbol("z", m, 1)
        self.pythagoras = (
            squares(self.x0 + self.z, self.i),
            squares(self.x0, self.i) + squares(self.z, self.i),
        )

    def penrose(self) -> tuple[tuple[sp.MatrixExpr, sp.MatrixExpr, str, str], ...]:
        """The four Penrose conditions: (lhs, rhs, name, reason)."""
        A, Ap = self.A, self.Ap
        return (
            (A * Ap * A, A, "AA⁺A = A", "A⁺ acts as an inverse on the column space: AA⁺A = A."),
            (Ap * A * Ap, Ap, "A⁺AA⁺ = A⁺", "... and A on the image of A⁺: A⁺AA⁺ = A⁺."),
            (
                (A * Ap).T,
                A * Ap,
                "AA⁺ symmetric",
                "AA⁺ = A(AᵀA)⁻¹Aᵀ is symmetric: it is the orthogonal projection onto the "
                "columns of A.",
            ),
            ((Ap * A).T, Ap * A, "A⁺A symmetric", "A⁺A (here I) is symmetric."),
        )


def build() -> Derivation:
    """Build the derivation."""
    s = _Setup()
    return ENTRY.derivation(
        symbols=(
            Var(s.A, "a tall m×n matrix with independent columns", Domain.MATRIX),
            Var(s.Ap, "its pseudoinverse", Domain.MATRIX),
            Var(s.W, "a wide n×m matrix with independent rows", Domain.MATRIX),
            Var(s.Wp, "its pseudoinverse", Domain.MATRIX),
            Var(s.b, "a right-hand side in the column space's ambient space", Domain.MATRIX),
            Var(s.c, "a right-hand side for the wide system", Domain.MATRIX),
            Var(s.u, "any vector", Domain.MATRIX),
            Var(s.x, "an unknown", Domain.MATRIX),
            Var(s.x0, "the pseudoinverse solution of Wx = c", Domain.MATRIX),
            Var(s.z, "a vector that W sends to zero", Domain.MATRIX),
        ),
        steps=(*_tall_steps(s), *_wide_steps(s)),
        results=(
            *(Formula(lhs, rhs, name=name) for lhs, rhs, name, _ in s.penrose()),
            Formula(s.x, s.Ap * s.b, name="least squares"),
            Formula(*s.pythagoras, name="minimum norm"),
        ),
        twins=_twins(s),
        bindings={s.Ap: s.tall, s.Wp: s.wide, s.x0: s.Wp * s.c, s.z: (s.Im - s.Wp * s.W) * s.u},
        sizes=({s.m: 3, s.n: 2}, {s.m: 4, s.n: 1}),
        assumptions=("A has full column rank; W has full row rank",),
        intuition=INTUITION,
        interview=_interview(),
        mistakes=_mistakes(s),
    )


def _tall_steps(s: _Setup) -> tuple[Step, ...]:
    """A⁺ of a tall A: a left inverse, the Penrose conditions, least squares."""
    A, Ap, x = s.A, s.Ap, s.x
    return (
        given(
            Ap,
            s.tall,
            "For a tall A (m ≥ n) with independent columns, AᵀA is invertible; define "
            "A⁺ = (AᵀA)⁻¹Aᵀ.",
        ),
        identity(
            Ap * A, s.In, "It is a left inverse: A⁺A = (AᵀA)⁻¹AᵀA = I (but AA⁺ ≠ I when m > n)."
        ),
        *(identity(lhs, rhs, why) for lhs, rhs, _, why in s.penrose()),
        given(
            A.T * A * x,
            A.T * s.b,
            "Least squares: minimising ‖Ax − b‖² leads to the normal equations.",
        ),
        implies(
            x, Ap * s.b, "x = A⁺b solves them: the pseudoinverse gives the least-squares solution."
        ),
    )


def _wide_steps(s: _Setup) -> tuple[Step, ...]:
    """W⁺ of a wide W: a right inverse whose solution of Wx = c is the shortest."""
    W, Wp, x0, z = s.W, s.Wp, s.x0, s.z
    return (
        given(
            Wp,
            s.wide,
            "For a wide W (n ≤ m) with independent rows, WWᵀ is invertible; define W⁺ = Wᵀ(WWᵀ)⁻¹.",
        ),
        identity(W * Wp, s.In, "It is a right inverse of W ..."),
        given(x0, Wp * s.c, "... so take x₀ = W⁺c:"),
        identity(W * x0, s.c, "it solves the underdetermined system Wx = c."),
        given(
            z,
            (s.Im - Wp * W) * s.u,
            "Every other solution is x₀ + z with Wz = 0, and every such z has the form (I − W⁺W)u:",
        ),
        identity(W * z, sp.ZeroMatrix(s.n, 1), "indeed Wz = 0."),
        identity(
            dot(x0, z),
            sp.Integer(0),
            "x₀ is orthogonal to every such z, because x₀ = Wᵀ(…) lies in the row space of W ...",
        ),
        identity(
            s.pythagoras[0],
            s.pythagoras[1],
            "... so by Pythagoras ‖x₀ + z‖² = ‖x₀‖² + ‖z‖² ≥ ‖x₀‖²: W⁺c is the "
            "minimum-norm solution.",
        ),
    )


def _pinv_twin(name: str, arg: Arg, formula: Formula, sample: Sampler, tall: bool) -> Twin:
    """The pseudoinverse of a tall matrix with independent columns or (not ``tall``) of a
    wide one with independent rows, against ``np.linalg.pinv``: one statement, transposed."""
    X = arg.name
    rows, cols, at_least, line = ("m", "n", "≥", "column") if tall else ("n", "m", "≤", "row")
    gram = f"{X}ᵀ{X}" if tall else f"{X}{X}ᵀ"
    axis = -2 if tall else -1  # the axis a column (a row) runs along

    def pinv(**inputs: np.ndarray) -> np.ndarray:
        return np.asarray(np.linalg.pinv(inputs[X]))

    def valid(**inputs: np.ndarray) -> np.ndarray:
        return np.asarray(squares_representable(inputs[X], axis=axis).all(axis=-1))

    return Twin(
        name=name,
        formula=formula,
        args=(arg,),
        reference=Reference("np.linalg.pinv", pinv),
        sample=sample,
        domain=(
            f"{X} (..., {rows}, {cols}) with {rows} {at_least} {cols} and full {line} rank, "
            f"each {line}'s sum of squares a finite normal double; output (..., {cols}, "
            f"{rows}); NaN if a {line}'s squares underflow or overflow; NumPy raises "
            f"LinAlgError for an exactly singular {gram}"
        ),
        valid=valid,
        rtol=1e-8,
        atol=1e-10,
    )


def _twins(s: _Setup) -> tuple[Twin, ...]:
    """The tall and the wide pseudoinverse."""
    return (
        _pinv_twin(
            "pseudoinverse (tall)",
            Arg("A", s.A),
            Formula(s.Ap, s.tall, name="(AᵀA)⁻¹Aᵀ"),
            sample_tall,
            tall=True,
        ),
        _pinv_twin(
            "pseudoinverse (wide)",
            Arg("W", s.W),
            Formula(s.Wp, s.wide, name="Wᵀ(WWᵀ)⁻¹"),
            sample_wide,
            tall=False,
        ),
    )


def _interview() -> Interview:
    """The pseudoinverse of a small tall matrix, and what its solutions mean."""
    ex_A = sp.ImmutableMatrix([[1, 2], [3, 4], [5, 6]])
    ex_pinv = (ex_A.T * ex_A).inv() * ex_A.T
    return Interview(
        question=(
            "Compute the pseudoinverse of A = [[1, 2], [3, 4], [5, 6]]. Is AA⁺ = I? What do "
            "the pseudoinverse solutions of Ax = b mean for a tall A and for a wide A?"
        ),
        answer=(
            f"AᵀA = {fmt(ex_A.T * ex_A)}, so A⁺ = (AᵀA)⁻¹Aᵀ = {fmt(ex_pinv)} (2×3). "
            f"A⁺A = {fmt(ex_pinv * ex_A)}, but AA⁺ = {fmt(ex_A * ex_pinv)} ≠ I: it projects "
            "onto the plane spanned by the columns of A. For a tall A, A⁺b is the "
            "least-squares solution; for a wide A, Aᵀ(AAᵀ)⁻¹b is the solution of smallest "
            "norm. In practice np.linalg.pinv computes A⁺ from the SVD, which also handles "
            "rank deficiency."
        ),
    )


def _mistakes(s: _Setup) -> tuple[Mistake, ...]:
    """A forgotten factor, the transpose, AA⁺ = I, and the two formulas mixed."""
    A, Ap = s.A, s.Ap
    return (
        Mistake(
            Ap,
            (A.T * A).I,
            "(AᵀA)⁻¹ is n×n; the pseudoinverse (n×m) needs the trailing Aᵀ.",
            name="Aᵀ forgotten",
        ),
        Mistake(
            Ap,
            A.T,
            "Aᵀ is the pseudoinverse only when the columns of A are orthonormal.",
            name="transpose as pseudoinverse",
        ),
        Mistake(
            A * Ap,
            s.Im,
            "A⁺ is only a left inverse of a tall A: AA⁺ projects onto the column space.",
            name="AA⁺ = I",
        ),
        Mistake(
            Ap,
            A.T * (A * A.T).I * A,
            "Mixing the two formulas: for a tall A the matrix to invert is AᵀA.",
            name="mixed formula",
        ),
    )


INTUITION = (
    "A non-square matrix has no inverse, but it has a best substitute. A tall A "
    "maps into a subspace of a bigger space, so Ax = b usually has no solution; A⁺b "
    "picks the x whose image is the closest point (the projection AA⁺b). A wide W "
    "has many solutions, differing by vectors it sends to zero; W⁺c picks the "
    "shortest, the one with no component along that null space. The four Penrose "
    "conditions pin down this single best substitute, and for an invertible matrix "
    "it is just the inverse."
)
