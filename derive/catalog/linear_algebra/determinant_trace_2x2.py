"""Determinant and trace of 2×2 matrices: det = ad − bc, tr = a + d, det(AB) = det A det B.

>>> [r.name for r in build().results]
['determinant', 'trace', 'det(AB)', 'tr(AB)', 'det(kA)']
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import sympy as sp

from derive.catalog.common import fmt
from derive.catalog.entry import Entry, Exercise, Picture
from derive.catalog.steps import given, identity, ne
from derive.core.model import Domain, Formula, Interview, Mistake, Step, Topic, Var
from derive.numeric.derivation import Derivation
from derive.numeric.twin import Arg, Reference, Twin

ENTRY = Entry(
    id="determinant-trace-2x2",
    topic=Topic.LINEAR_ALGEBRA,
    title="Determinant and trace of a 2×2 matrix",
    plot=Picture(
        caption=(
            "A 2×2 matrix maps the unit square to a parallelogram of area |det A|; a negative "
            "determinant flips the orientation."
        ),
        drawing="determinant_area",
    ),
    exercise=Exercise(
        question=r"Compute the determinant ${lhs}$ of {given}.",
        lhs=r"\det A",
    ),
)


def sample_one(rng: np.random.Generator, size: int) -> dict[str, np.ndarray]:
    """Gaussian 2×2 matrices."""
    return {"A": rng.normal(size=(size, 2, 2))}


def sample_two(rng: np.random.Generator, size: int) -> dict[str, np.ndarray]:
    """Pairs of Gaussian 2×2 matrices."""
    return {"A": rng.normal(size=(size, 2, 2)), "B": rng.normal(size=(size, 2, 2))}


class _Setup:
    """The symbols and matrices the parts of the derivation share."""

    def __init__(self) -> None:
        a, b, c, d = self.a, self.b, self.c, self.d = sp.symbols("a b c d", real=True)
        e, f, g, h = sp.symbols("e f g h", real=True)
        self.k = sp.Symbol("k", real=True)
        self.A, self.B = sp.MatrixSymbol("A", 2, 2), sp.MatrixSymbol("B", 2, 2)
        self.MA = sp.ImmutableMatrix([[a, b], [c, d]])
        self.MB = sp.ImmutableMatrix([[e, f], [g, h]])


def build() -> Derivation:
    """Build the derivation."""
    s = _Setup()
    A, B, k = s.A, s.B, s.k
    det, tr = sp.Determinant, sp.Trace
    results = (
        Formula(det(A), s.MA.det(), name="determinant"),
        Formula(tr(A), s.MA.trace(), name="trace"),
        Formula(det(A * B), det(A) * det(B), name="det(AB)"),
        Formula(tr(A * B), tr(B * A), name="tr(AB)"),
        Formula(det(k * A), k**2 * det(A), name="det(kA)"),
    )
    return ENTRY.derivation(
        symbols=(
            Var(A, "a real 2×2 matrix [[a, b], [c, d]]", Domain.MATRIX),
            Var(B, "a real 2×2 matrix [[e, f], [g, h]]", Domain.MATRIX),
            Var(k, "a scalar"),
        ),
        steps=_steps(s),
        results=results,
        twins=_twins(s, results),
        bindings={A: s.MA, B: s.MB},
        intuition=INTUITION,
        interview=_interview(),
        mistakes=_mistakes(s),
    )


def _steps(s: _Setup) -> tuple[Step, ...]:
    """det and tr on the entries, then how each treats products, transposes, sums and k."""
    A, B, k, MA = s.A, s.B, s.k, s.MA
    det, tr = sp.Determinant, sp.Trace
    return (
        given(A, MA, "Two general real 2×2 matrices ..."),
        given(B, s.MB, "... A and B."),
        identity(
            det(A),
            MA.det(),
            "The determinant: the product of the diagonal minus the product of the "
            "anti-diagonal. |det A| is the area of the parallelogram spanned by the columns.",
        ),
        identity(tr(A), MA.trace(), "The trace: the sum of the diagonal entries."),
        identity(
            det(A * B),
            det(A) * det(B),
            "Multiply out AB and expand: the determinant is multiplicative (areas scale "
            "by det B, then by det A).",
        ),
        identity(
            tr(A * B),
            tr(B * A),
            "tr(AB) = ae + bg + cf + dh, symmetric in the roles of A and B, although AB ≠ BA.",
        ),
        identity(det(A.T), det(A), "Transposing swaps b and c, which leaves ad − bc unchanged."),
        identity(
            det(k * A),
            k**2 * det(A),
            "Scaling the matrix by k scales both columns, so the area by k²: det(kA) = "
            "k² det A for 2×2 (kⁿ for n×n).",
        ),
        identity(tr(A + k * B), tr(A) + k * tr(B), "The trace is linear ..."),
        ne(det(A + B), det(A) + det(B), "... the determinant is not (a counterexample is found)."),
    )


def _twins(s: _Setup, results: tuple[Formula, ...]) -> tuple[Twin, ...]:
    """det and tr of one matrix, and det(AB) of two, against NumPy."""
    determinant = Twin(
        name="determinant",
        formula=results[0],
        args=(Arg("A", s.MA),),
        reference=Reference("np.linalg.det", lambda A: np.linalg.det(A)),
        sample=sample_one,
        domain="2×2 matrices (..., 2, 2)",
    )
    trace = Reference("np.trace", lambda A: np.trace(A, axis1=-2, axis2=-1))
    return (
        determinant,
        replace(determinant, name="trace", formula=results[1], reference=trace),
        Twin(
            name="det(AB)",
            formula=Formula(
                sp.Determinant(s.A * s.B), s.MA.det() * s.MB.det(), name="det A · det B"
            ),
            args=(Arg("A", s.MA), Arg("B", s.MB)),
            reference=Reference("np.linalg.det(A @ B)", lambda A, B: np.linalg.det(A @ B)),
            sample=sample_two,
            domain="pairs of 2×2 matrices",
        ),
    )


def _interview() -> Interview:
    """det, tr, det(2A) and det(A⁻¹) of a small example, and a negative determinant."""
    P = sp.ImmutableMatrix([[1, 2], [3, 4]])
    return Interview(
        question=(
            "For A = [[1, 2], [3, 4]] give det A, tr A, det(2A) and det(A⁻¹). What does a "
            "negative determinant mean geometrically?"
        ),
        answer=(
            f"det A = 1·4 − 2·3 = {fmt(P.det())}, tr A = 1 + 4 = {fmt(P.trace())}, det(2A) "
            f"= 2²·det A = {fmt((2 * P).det())} (not {fmt(2 * P.det())}), det(A⁻¹) = 1/det A "
            f"= {fmt(P.inv().det())}. A negative determinant means the map flips orientation "
            "(a reflection is involved); the unit square becomes a parallelogram of area "
            f"|det A| = {fmt(abs(P.det()))}."
        ),
    )


def _mistakes(s: _Setup) -> tuple[Mistake, ...]:
    """Additivity, det(2A), the sign of bc, and tr(AB) = tr A tr B."""
    A, B = s.A, s.B
    det, tr = sp.Determinant, sp.Trace
    return (
        Mistake(
            det(A + B),
            det(A) + det(B),
            "The determinant is multiplicative, not additive.",
            name="det(A + B) = det A + det B",
        ),
        Mistake(
            det(2 * A),
            2 * det(A),
            "Both columns are doubled: det(2A) = 4 det A for a 2×2 matrix.",
            name="det(2A) = 2 det A",
        ),
        Mistake(
            det(A),
            s.a * s.d + s.b * s.c,
            "The anti-diagonal product is subtracted: ad − bc.",
            name="ad + bc",
        ),
        Mistake(
            tr(A * B),
            tr(A) * tr(B),
            "The trace of a product is not the product of the traces.",
            name="tr(AB) = tr A tr B",
        ),
    )


INTUITION = (
    "The determinant is the signed area factor of the map: the unit square goes to a "
    "parallelogram with area |ad − bc|, and the sign says whether orientation is "
    "kept. Doing two maps in a row multiplies the area factors, so det(AB) = det A "
    "det B, and scaling a 2×2 matrix by k scales areas by k². The trace, the sum of "
    "the diagonal, is linear and does not care about the order of a product, "
    "tr(AB) = tr(BA). Both reappear as the sum and product of the eigenvalues."
)
