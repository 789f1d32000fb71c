"""The matrix product entry by entry: (AB)ᵢⱼ = Σₖ AᵢₖBₖⱼ; AB ≠ BA; Hadamard versus matrix product.

>>> [r.name for r in build().results]
['entries of AB', 'entries of A ⊙ C']
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import sympy as sp

from derive.catalog.common import fmt
from derive.catalog.entry import Entry, Exercise
from derive.catalog.linear_algebra.mistakes import unchecked_product
from derive.catalog.steps import identity, ne
from derive.core.model import Domain, Formula, Interview, Mistake, Step, Topic, Var
from derive.numeric.derivation import Derivation
from derive.numeric.realise import Realiser
from derive.numeric.twin import Arg, Reference, Twin

ENTRY = Entry(
    id="matrix-product-entries",
    topic=Topic.LINEAR_ALGEBRA,
    title="The matrix product, entry by entry",
    exercise=Exercise(
        question=(
            r"Multiply the matrices {given}: compute ${lhs}$, whose entry $(i, j)$ is row "
            r"$i$ of $A$ times column $j$ of $B$."
        ),
        lhs=r"A B",
    ),
)


def sample_product(rng: np.random.Generator, size: int) -> dict[str, np.ndarray]:
    """A (4×3) and B (3×5) Gaussian matrices."""
    return {"A": rng.normal(size=(size, 4, 3)), "B": rng.normal(size=(size, 3, 5))}


def sample_hadamard(rng: np.random.Generator, size: int) -> dict[str, np.ndarray]:
    """Two Gaussian matrices of the same shape."""
    return {"A": rng.normal(size=(size, 4, 3)), "C": rng.normal(size=(size, 4, 3))}


class _Setup:
    """The symbols and expressions the parts of the derivation share."""

    def __init__(self) -> None:
        m, n, q = self.m, self.n, self.q = sp.symbols("m n q", integer=True, positive=True)
        self.i, self.j, self.k = sp.symbols("i j k", integer=True)
        A = self.A = sp.MatrixSymbol("A", m, n)
        B = self.B = sp.MatrixSymbol("B", n, q)
        C = self.C = sp.MatrixSymbol("C", m, n)
        self.S, self.T = sp.MatrixSymbol("S", n, n), sp.MatrixSymbol("T", n, n)
        self.entries = self.sums(m, q, lambda i, j, k: A[i, k] * B[k, j])
        i, j = self.i, self.j
        self.hadamard = sp.FunctionMatrix(m, n, sp.Lambda((i, j), A[i, j] * C[i, j]))

    def sums(self, rows: sp.Expr, cols: sp.Expr, term: Callable[..., sp.Expr]) -> sp.Basic:
        """The rows×cols matrix whose entry (i, j) is Σₖ term(i, j, k), k over the n columns."""
        i, j, k = self.i, self.j, self.k
        return sp.FunctionMatrix(
            rows, cols, sp.Lambda((i, j), sp.Sum(term(i, j, k), (k, 0, self.n - 1)))
        )


def build() -> Derivation:
    """Build the derivation."""
    s = _Setup()
    A, B, C, m, n, q = s.A, s.B, s.C, s.m, s.n, s.q
    return ENTRY.derivation(
        symbols=(
            Var(A, "an m×n matrix", Domain.MATRIX),
            Var(B, "an n×q matrix", Domain.MATRIX),
            Var(C, "an m×n matrix", Domain.MATRIX),
            Var(s.S, "a square n×n matrix", Domain.MATRIX),
            Var(s.T, "a square n×n matrix", Domain.MATRIX),
        ),
        steps=_steps(s),
        results=(
            Formula(A * B, s.entries, name="entries of AB"),
            Formula(sp.HadamardProduct(A, C), s.hadamard, name="entries of A ⊙ C"),
        ),
        twins=_twins(s),
        sizes=({m: 2, n: 3, q: 2}, {m: 3, n: 2, q: 4}),
        intuition=INTUITION,
        interview=_interview(),
        mistakes=_mistakes(s),
    )


def _steps(s: _Setup) -> tuple[Step, ...]:
    """Entries of AB and of A ⊙ C; which of the two commutes; the entries of (AB)ᵀ."""
    A, B, C, S, T = s.A, s.B, s.C, s.S, s.T
    return (
        identity(
            A * B,
            s.entries,
            "Entry (i, j) of AB is row i of A dotted with column j of B: Σₖ AᵢₖBₖⱼ. The "
            "sum runs over the n columns of A and the n rows of B, which must match: an "
            "(m×n)(n×q) product is m×q.",
        ),
        identity(
            sp.HadamardProduct(A, C),
            s.hadamard,
            "The Hadamard (entrywise) product ⊙ of two matrices of the same shape "
            "multiplies matching entries, NumPy's A * C.",
        ),
        ne(
            S * T,
            T * S,
            "The matrix product is not commutative, even for square matrices (a "
            "counterexample is found).",
        ),
        ne(S * T, sp.HadamardProduct(S, T), "And it is not the entrywise product."),
        identity(
            sp.HadamardProduct(S, T),
            sp.HadamardProduct(T, S),
            "The entrywise product, on the other hand, is commutative.",
        ),
        identity(
            (A * B).T,
            s.sums(s.q, s.m, lambda i, j, k: B[k, i] * A[j, k]),
            "Reading the same sum with i and j swapped: (AB)ᵀ has entries Σₖ BₖᵢAⱼₖ, "
            "which is BᵀAᵀ.",
        ),
    )


def _twins(s: _Setup) -> tuple[Twin, ...]:
    """The entry formulas themselves, written out at one size, against NumPy."""
    realise = Realiser(sizes={s.m: 4, s.n: 3, s.q: 5})
    A, B, C = s.A, s.B, s.C
    return (
        Twin(
            name="matrix product",
            formula=Formula(A * B, realise(s.entries), name="Σₖ AᵢₖBₖⱼ for 4×3 times 3×5"),
            args=(Arg("A", realise(A)), Arg("B", realise(B))),
            reference=Reference("np.matmul", lambda A, B: np.matmul(A, B)),
            sample=sample_product,
            domain="A (..., 4, 3) and B (..., 3, 5)",
        ),
        Twin(
            name="Hadamard product",
            formula=Formula(sp.HadamardProduct(A, C), realise(s.hadamard), name="AᵢⱼCᵢⱼ, 4×3"),
            args=(Arg("A", realise(A)), Arg("C", realise(C))),
            reference=Reference("NumPy *", lambda A, C: A * C),
            sample=sample_hadamard,
            domain="A and C (..., 4, 3)",
        ),
    )


def _interview() -> Interview:
    """PQ, QP and P ⊙ Q by hand, and one entry of a batch times weights."""
    P = sp.ImmutableMatrix([[1, 2], [3, 4]])
    Q = sp.ImmutableMatrix([[5, 6], [7, 8]])
    X = sp.ImmutableMatrix([[1, 2, 3], [4, 5, 6], [7, 8, 9]])
    W = sp.ImmutableMatrix([[1, 2], [3, 4], [5, 6]]) / 10
    return Interview(
        question=(
            "For P = [[1, 2], [3, 4]] and Q = [[5, 6], [7, 8]] compute PQ, QP and the "
            "entrywise product P ⊙ Q. What is the shape of XW for a 3×3 batch X and 3×2 "
            "weights W, and what is its entry (2, 1)?"
        ),
        answer=(
            f"PQ = {fmt(P * Q)} (e.g. entry (1, 1) = 1·5 + 2·7), QP = {fmt(Q * P)} ≠ PQ, and "
            f"P ⊙ Q = {fmt(P.multiply_elementwise(Q))}. (3×3)(3×2) gives 3×2: XW = "
            f"{fmt(X * W)}, entry (2, 1) = 4·0.1 + 5·0.3 + 6·0.5 = {fmt((X * W)[1, 0])}."
        ),
    )


def _mistakes(s: _Setup) -> tuple[Mistake, ...]:
    """Commuting, the entrywise product, row times row, and factors swapped."""
    S, T = s.S, s.T
    return (
        Mistake(
            S * T,
            T * S,
            "Matrix multiplication does not commute; the order matters.",
            name="AB = BA",
        ),
        Mistake(
            S * T,
            sp.HadamardProduct(S, T),
            "Multiplying matching entries is the Hadamard product, not the matrix product.",
            name="entrywise instead of matrix product",
        ),
        Mistake(
            S * T,
            s.sums(s.n, s.n, lambda i, j, k: S[i, k] * T[j, k]),
            "Row i of S goes with column j of T (Σₖ SᵢₖTₖⱼ), not with row j (that is STᵀ).",
            name="row times row",
        ),
        Mistake(
            s.A * s.B,
            unchecked_product(s.B, s.A),
            "BA is not even defined unless q = m; the shapes must chain (m×n)(n×q).",
            name="factors swapped",
        ),
    )


INTUITION = (
    "Think of AB as 'first B, then A' applied to vectors: each column of B is sent "
    "through A, so entry (i, j) is how row i of A weighs the entries of column j of "
    "B, a dot product. The inner sizes must agree because every entry of a row of A "
    "needs a partner in a column of B. Composing transformations depends on the "
    "order (rotate then shear is not shear then rotate), so AB ≠ BA in general. The "
    "Hadamard product is a different, much simpler operation: it just multiplies "
    "matching entries, like NumPy's *, and is used for masks and gates."
)
