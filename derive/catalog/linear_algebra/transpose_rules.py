"""Transpose rules, entry by entry: (Aᵀ)ᵀ = A, (A + B)ᵀ = Aᵀ + Bᵀ, (AC)ᵀ = CᵀAᵀ.

>>> [r.name for r in build().results]
['double transpose', 'sum', 'product', 'inverse']
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from derive.catalog.common import fmt
from derive.catalog.entry import Entry, Exercise
from derive.catalog.linear_algebra.mistakes import unchecked_product
from derive.catalog.steps import identity
from derive.core.model import Domain, Formula, Interview, Mistake, Step, Topic, Var
from derive.numeric.derivation import Derivation
from derive.numeric.twin import Arg, Reference, Twin

ENTRY = Entry(
    id="transpose-rules",
    topic=Topic.LINEAR_ALGEBRA,
    title="Rules for the transpose",
    exercise=Exercise(
        question=r"For {given}, compute ${lhs}$ (the transpose of the product $A C$).",
        lhs=r"(A C)^{\top}",
    ),
)


def sample(rng: np.random.Generator, size: int) -> dict[str, np.ndarray]:
    """A (4×3) and C (3×2) Gaussian matrices (the twin takes any fitting sizes)."""
    return {"A": rng.normal(size=(size, 4, 3)), "C": rng.normal(size=(size, 3, 2))}


class _Setup:
    """The symbols the parts of the derivation share."""

    def __init__(self) -> None:
        m, n, q = self.m, self.n, self.q = sp.symbols("m n q", integer=True, positive=True)
        self.k = sp.Symbol("k", real=True)
        self.A = sp.MatrixSymbol("A", m, n)
        self.B = sp.MatrixSymbol("B", m, n)
        self.C = sp.MatrixSymbol("C", n, q)
        self.D = sp.MatrixSymbol("D", q, m)
        self.S, self.T = sp.MatrixSymbol("S", n, n), sp.MatrixSymbol("T", n, n)


def build() -> Derivation:
    """Build the derivation."""
    s = _Setup()
    A, B, C, S = s.A, s.B, s.C, s.S
    results = (
        Formula(sp.Transpose(sp.Transpose(A)), A, name="double transpose"),
        Formula(sp.Transpose(A + B), A.T + B.T, name="sum"),
        Formula(sp.Transpose(A * C), C.T * A.T, name="product"),
        Formula(sp.Transpose(S.I), sp.Inverse(S.T), name="inverse"),
    )
    return ENTRY.derivation(
        symbols=(
            Var(A, "an m×n matrix", Domain.MATRIX),
            Var(B, "an m×n matrix", Domain.MATRIX),
            Var(C, "an n×q matrix", Domain.MATRIX),
            Var(s.D, "a q×m matrix", Domain.MATRIX),
            Var(S, "an invertible n×n matrix", Domain.MATRIX),
            Var(s.T, "an n×n matrix", Domain.MATRIX),
            Var(s.k, "a scalar"),
        ),
        steps=_steps(s),
        results=results,
        twins=(
            Twin(
                name="transpose of a product",
                formula=results[2],
                args=(Arg("A", A), Arg("C", C)),
                reference=Reference("NumPy (A @ C).T", lambda A, C: np.swapaxes(A @ C, -1, -2)),
                sample=sample,
                domain="A (..., m, n) and C (..., n, q) of any fitting sizes; output (..., q, m)",
            ),
        ),
        sizes=({s.m: 2, s.n: 3, s.q: 2}, {s.m: 3, s.n: 2, s.q: 4}),
        intuition=INTUITION,
        interview=_interview(),
        mistakes=_mistakes(s),
    )


def _steps(s: _Setup) -> tuple[Step, ...]:
    """Entry by entry: swapping twice, linearity, the reversed product, the inverse."""
    A, B, C, D, S = s.A, s.B, s.C, s.D, s.S
    i, j = sp.symbols("i j", integer=True)
    return (
        identity(
            sp.Transpose(A),
            sp.FunctionMatrix(s.n, s.m, sp.Lambda((i, j), A[j, i])),
            "The transpose swaps rows and columns: (Aᵀ)ᵢⱼ = Aⱼᵢ, so an m×n matrix becomes n×m.",
        ),
        identity(sp.Transpose(sp.Transpose(A)), A, "Swapping twice changes nothing."),
        identity(
            sp.Transpose(A + B),
            A.T + B.T,
            "Entry by entry (A + B)ⱼᵢ = Aⱼᵢ + Bⱼᵢ: transposing is linear ...",
        ),
        identity(sp.Transpose(s.k * A), s.k * A.T, "... and scalars pass through."),
        identity(
            sp.Transpose(A * C),
            C.T * A.T,
            "((AC)ᵀ)ᵢⱼ = (AC)ⱼᵢ = Σₖ AⱼₖCₖᵢ = Σₖ (Cᵀ)ᵢₖ(Aᵀ)ₖⱼ: the order reverses. The "
            "shapes force it: (m×n)(n×q) transposed is (q×n)(n×m).",
        ),
        identity(
            sp.Transpose(A * C * D),
            D.T * C.T * A.T,
            "Applied twice: (ACD)ᵀ = DᵀCᵀAᵀ, like taking off socks and shoes.",
        ),
        identity(
            sp.Transpose(A.T * A),
            A.T * A,
            "Hence AᵀA (the Gram matrix of least squares) is always symmetric.",
        ),
        identity(
            sp.Transpose(S.I),
            sp.Inverse(S.T),
            "And for an invertible square S, (S⁻¹)ᵀ = (Sᵀ)⁻¹: transpose SS⁻¹ = I to get "
            "(S⁻¹)ᵀSᵀ = I.",
        ),
    )


def _interview() -> Interview:
    """(AB)ᵀ = BᵀAᵀ shown and checked on an example; why AᵀA is symmetric."""
    P = sp.ImmutableMatrix([[1, 2], [3, 4]])
    Q = sp.ImmutableMatrix([[0, 1], [1, 1]])
    return Interview(
        question=(
            "Show that (AB)ᵀ = BᵀAᵀ, and check it for A = [[1, 2], [3, 4]], B = [[0, 1], "
            "[1, 1]]. Why is AᵀA symmetric for any A?"
        ),
        answer=(
            "Entry (i, j) of (AB)ᵀ is entry (j, i) of AB, Σₖ AⱼₖBₖᵢ = Σₖ (Bᵀ)ᵢₖ(Aᵀ)ₖⱼ, entry "
            f"(i, j) of BᵀAᵀ. Here AB = {fmt(P * Q)}, (AB)ᵀ = {fmt((P * Q).T)}, BᵀAᵀ = "
            f"{fmt(Q.T * P.T)}, while AᵀBᵀ = {fmt(P.T * Q.T)} is different. (AᵀA)ᵀ = "
            "Aᵀ(Aᵀ)ᵀ = AᵀA."
        ),
    )


def _mistakes(s: _Setup) -> tuple[Mistake, ...]:
    """The order kept, for square and for rectangular factors; the inverse; a sign."""
    A, B, C, S, T = s.A, s.B, s.C, s.S, s.T
    return (
        Mistake(
            sp.Transpose(S * T),
            S.T * T.T,
            "The order reverses: (ST)ᵀ = TᵀSᵀ. Keeping the order works only if Sᵀ and Tᵀ commute.",
            name="(AB)ᵀ = AᵀBᵀ",
        ),
        Mistake(
            sp.Transpose(A * C),
            unchecked_product(A.T, C.T),
            "For non-square factors AᵀCᵀ does not even fit: (n×m)(q×n).",
            name="order kept for rectangular factors",
        ),
        Mistake(
            sp.Transpose(S.I),
            S,
            "The transpose is not the inverse (except for orthogonal matrices).",
            name="transpose of the inverse",
        ),
        Mistake(
            sp.Transpose(A + B),
            A.T - B.T,
            "Transposing is linear: the signs do not change.",
            name="sign flip",
        ),
    )


INTUITION = (
    "Transposing mirrors a matrix across its diagonal, turning rows into columns. A "
    "product AC applies C first and then A; its transpose must undo the shapes in "
    "the opposite order, which is why (AC)ᵀ = CᵀAᵀ: the only arrangement in which "
    "the sizes even fit. The same reversal appears for inverses, (AC)⁻¹ = C⁻¹A⁻¹, "
    "and it is why backpropagation multiplies by transposed weight matrices in the "
    "reverse order of the forward pass."
)
