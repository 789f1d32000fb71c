"""The Moore–Penrose pseudoinverse: (AᵀA)⁻¹Aᵀ for tall A, Aᵀ(AAᵀ)⁻¹ for wide A.

>>> [r.name for r in build().results][:4]
['AA⁺A = A', 'A⁺AA⁺ = A⁺', 'AA⁺ symmetric', 'A⁺A symmetric']
"""

from __future__ import annotations

import numpy as np
import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement

from derive.catalog.common import fmt
from derive.catalog.entry import Entry
from derive.catalog.linear_algebra.stable import squares_representable
from derive.core.model import Domain, Formula, Interview, Mistake, Rel, Step, Topic, Var
from derive.numeric.derivation import Derivation
from derive.numeric.twin import Arg, Reference, Twin

ENTRY = Entry(
    id="pseudoinverse",
    topic=Topic.LINEAR_ALGEBRA,
    title="The Moore–Penrose pseudoinverse",
)


def sample_tall(rng: np.random.Generator, size: int) -> dict[str, np.ndarray]:
    """Gaussian 6×3 matrices (full column rank with probability one)."""
    return {"A": rng.normal(size=(size, 6, 3))}


def sample_wide(rng: np.random.Generator, size: int) -> dict[str, np.ndarray]:
    """Gaussian 3×6 matrices (full row rank with probability one)."""
    return {"W": rng.normal(size=(size, 3, 6))}


def build() -> Derivation:
    """Build the derivation."""
    m, n = sp.symbols("m n", integer=True, positive=True)
    i = sp.Symbol("i", integer=True)
    A = sp.MatrixSymbol("A", m, n)
    Ap = sp.MatrixSymbol("A^{+}", n, m)
    W = sp.MatrixSymbol("W", n, m)
    Wp = sp.MatrixSymbol("W^{+}", m, n)
    b = sp.MatrixSymbol("b", m, 1)
    c = sp.MatrixSymbol("c", n, 1)
    u = sp.MatrixSymbol("u", m, 1)
    x = sp.MatrixSymbol("x", n, 1)
    tall = (A.T * A).I * A.T
    wide = W.T * (W * W.T).I
    In, Im = sp.Identity(n), sp.Identity(m)
    x0 = sp.MatrixSymbol("x_0", m, 1)
    z = sp.MatrixSymbol("z", m, 1)

    def sq(v: sp.MatrixExpr) -> sp.Sum:
        return sp.Sum(v[i, 0] ** 2, (i, 0, v.shape[0] - 1))

    pythagoras_lhs, pythagoras_rhs = sq(x0 + z), sq(x0) + sq(z)

    penrose = (
        (A * Ap * A, A, "AA⁺A = A", "A⁺ acts as an inverse on the column space: AA⁺A = A."),
        (Ap * A * Ap, Ap, "A⁺AA⁺ = A⁺", "... and A on the image of A⁺: A⁺AA⁺ = A⁺."),
        (
            (A * Ap).T,
            A * Ap,
            "AA⁺ symmetric",
            "AA⁺ = A(AᵀA)⁻¹Aᵀ is symmetric: it is the orthogonal projection onto the columns of A.",
        ),
        ((Ap * A).T, Ap * A, "A⁺A symmetric", "A⁺A (here I) is symmetric."),
    )
    steps = (
        Step(
            lhs=Ap,
            rhs=tall,
            rel=Rel.GIVEN,
            why="For a tall A (m ≥ n) with independent columns, AᵀA is invertible; define "
            "A⁺ = (AᵀA)⁻¹Aᵀ.",
        ),
        Step(
            lhs=Ap * A,
            rhs=In,
            rel=Rel.IDENTITY,
            why="It is a left inverse: A⁺A = (AᵀA)⁻¹AᵀA = I (but AA⁺ ≠ I when m > n).",
        ),
        *(Step(lhs=lhs, rhs=rhs, rel=Rel.IDENTITY, why=why) for lhs, rhs, _, why in penrose),
        Step(
            lhs=A.T * A * x,
            rhs=A.T * b,
            rel=Rel.GIVEN,
            why="Least squares: minimising ‖Ax − b‖² leads to the normal equations.",
        ),
        Step(
            lhs=x,
            rhs=Ap * b,
            rel=Rel.IMPLIES,
            why="x = A⁺b solves them: the pseudoinverse gives the least-squares solution.",
        ),
        Step(
            lhs=Wp,
            rhs=wide,
            rel=Rel.GIVEN,
            why="For a wide W (n ≤ m) with independent rows, WWᵀ is invertible; define "
            "W⁺ = Wᵀ(WWᵀ)⁻¹.",
        ),
        Step(
            lhs=W * Wp,
            rhs=In,
            rel=Rel.IDENTITY,
            why="It is a right inverse of W ...",
        ),
        Step(lhs=x0, rhs=Wp * c, rel=Rel.GIVEN, why="... so take x₀ = W⁺c:"),
        Step(
            lhs=W * x0,
            rhs=c,
            rel=Rel.IDENTITY,
            why="it solves the underdetermined system Wx = c.",
        ),
        Step(
            lhs=z,
            rhs=(Im - Wp * W) * u,
            rel=Rel.GIVEN,
            why="Every other solution is x₀ + z with Wz = 0, and every such z has the form "
            "(I − W⁺W)u:",
        ),
        Step(lhs=W * z, rhs=sp.ZeroMatrix(n, 1), rel=Rel.IDENTITY, why="indeed Wz = 0."),
        Step(
            lhs=MatrixElement(x0.T * z, 0, 0),
            rhs=sp.Integer(0),
            rel=Rel.IDENTITY,
            why="x₀ is orthogonal to every such z, because x₀ = Wᵀ(…) lies in the row space "
            "of W ...",
        ),
        Step(
            lhs=pythagoras_lhs,
            rhs=pythagoras_rhs,
            rel=Rel.IDENTITY,
            why="... so by Pythagoras ‖x₀ + z‖² = ‖x₀‖² + ‖z‖² ≥ ‖x₀‖²: W⁺c is the "
            "minimum-norm solution.",
        ),
    )
    results = (
        *(Formula(lhs, rhs, name=name) for lhs, rhs, name, _ in penrose),
        Formula(x, Ap * b, name="least squares"),
        Formula(pythagoras_lhs, pythagoras_rhs, name="minimum norm"),
    )

    ex_A = sp.ImmutableMatrix([[1, 2], [3, 4], [5, 6]])
    ex_pinv = (ex_A.T * ex_A).inv() * ex_A.T
    interview = Interview(
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

    twins = (
        Twin(
            name="pseudoinverse (tall)",
            formula=Formula(Ap, tall, name="(AᵀA)⁻¹Aᵀ"),
            args=(Arg("A", A),),
            reference=Reference("np.linalg.pinv", lambda A: np.linalg.pinv(A)),
            sample=sample_tall,
            domain=(
                "A (..., m, n) with m ≥ n and full column rank, each column's sum of squares a "
                "finite normal double; output (..., n, m); NaN if a column's squares underflow "
                "or overflow; NumPy raises LinAlgError for an exactly singular AᵀA"
            ),
            valid=lambda A: np.asarray(squares_representable(A, axis=-2).all(axis=-1)),
            rtol=1e-8,
            atol=1e-10,
        ),
        Twin(
            name="pseudoinverse (wide)",
            formula=Formula(Wp, wide, name="Wᵀ(WWᵀ)⁻¹"),
            args=(Arg("W", W),),
            reference=Reference("np.linalg.pinv", lambda W: np.linalg.pinv(W)),
            sample=sample_wide,
            domain=(
                "W (..., n, m) with n ≤ m and full row rank, each row's sum of squares a finite "
                "normal double; output (..., m, n); NaN if a row's squares underflow or "
                "overflow; NumPy raises LinAlgError for an exactly singular WWᵀ"
            ),
            valid=lambda W: np.asarray(squares_representable(W, axis=-1).all(axis=-1)),
            rtol=1e-8,
            atol=1e-10,
        ),
    )

    return ENTRY.derivation(
        symbols=(
            Var(A, "a tall m×n matrix with independent columns", Domain.MATRIX),
            Var(Ap, "its pseudoinverse", Domain.MATRIX),
            Var(W, "a wide n×m matrix with independent rows", Domain.MATRIX),
            Var(Wp, "its pseudoinverse", Domain.MATRIX),
            Var(b, "a right-hand side in the column space's ambient space", Domain.MATRIX),
            Var(c, "a right-hand side for the wide system", Domain.MATRIX),
            Var(u, "any vector", Domain.MATRIX),
            Var(x, "an unknown", Domain.MATRIX),
            Var(x0, "the pseudoinverse solution of Wx = c", Domain.MATRIX),
            Var(z, "a vector that W sends to zero", Domain.MATRIX),
        ),
        steps=steps,
        results=results,
        twins=twins,
        bindings={Ap: tall, Wp: wide, x0: Wp * c, z: (Im - Wp * W) * u},
        sizes=({m: 3, n: 2}, {m: 4, n: 1}),
        assumptions=("A has full column rank; W has full row rank",),
        intuition=(
            "A non-square matrix has no inverse, but it has a best substitute. A tall A "
            "maps into a subspace of a bigger space, so Ax = b usually has no solution; A⁺b "
            "picks the x whose image is the closest point (the projection AA⁺b). A wide W "
            "has many solutions, differing by vectors it sends to zero; W⁺c picks the "
            "shortest, the one with no component along that null space. The four Penrose "
            "conditions pin down this single best substitute, and for an invertible matrix "
            "it is just the inverse."
        ),
        interview=interview,
        mistakes=(
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
                Im,
                "A⁺ is only a left inverse of a tall A: AA⁺ projects onto the column space.",
                name="AA⁺ = I",
            ),
            Mistake(
                Ap,
                A.T * (A * A.T).I * A,
                "Mixing the two formulas: for a tall A the matrix to invert is AᵀA.",
                name="mixed formula",
            ),
        ),
    )
