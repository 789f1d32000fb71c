"""Cosine similarity a·b/(‖a‖‖b‖) lies in [−1, 1] (Cauchy–Schwarz) and ignores scale.

>>> [r.name for r in build().results]
['Lagrange identity', 'bounded', 'scale invariance']
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from derive.catalog.common import decimal, fmt
from derive.catalog.entry import Entry, Exercise, Picture
from derive.catalog.linear_algebra.pieces import dot
from derive.catalog.linear_algebra.stable import squares_representable
from derive.catalog.steps import ge, identity
from derive.core import lazy
from derive.core.model import Domain, Formula, Interview, Mistake, Step, Topic, Var
from derive.numeric.derivation import Derivation
from derive.numeric.twin import Arg, Reference, Twin

spatial = lazy.module("scipy.spatial")

ENTRY = Entry(
    id="cosine-similarity",
    topic=Topic.LINEAR_ALGEBRA,
    title="Cosine similarity and the Cauchy–Schwarz inequality",
    plot=Picture(
        caption=(
            "Cosine similarity depends only on the angle: turning b around a traces cos θ, "
            "and stretching b changes nothing."
        ),
        drawing="cosine_over_angle",
    ),
    exercise=Exercise(
        question=(
            r"Compute the cosine similarity ${lhs}$ of {given}: the cosine of the angle "
            r"between $a$ and $b$."
        ),
        lhs=r"\frac{a \cdot b}{\lVert a \rVert \, \lVert b \rVert}",
    ),
)


def sample(rng: np.random.Generator, size: int) -> dict[str, np.ndarray]:
    """Pairs of Gaussian vectors of length 6 (the twin takes any length)."""
    return {"a": rng.normal(size=(size, 6)), "b": rng.normal(size=(size, 6))}


def scipy_cosine(a: np.ndarray, b: np.ndarray) -> float:
    """1 − SciPy's cosine distance, for one pair."""
    return 1.0 - float(spatial.distance.cosine(a, b))


def cosine(x: sp.MatrixExpr, y: sp.MatrixExpr) -> sp.Expr:
    """x·y/(‖x‖‖y‖)."""
    return dot(x, y) / (sp.sqrt(dot(x, x)) * sp.sqrt(dot(y, y)))


class _Setup:
    """The symbols and expressions the parts of the derivation share."""

    def __init__(self) -> None:
        n = self.n = sp.Symbol("n", integer=True, positive=True)
        i, j = sp.symbols("i j", integer=True)
        t = self.t = sp.Symbol("t", real=True)
        self.k = sp.Symbol("k", positive=True)
        a, b = self.a, self.b = sp.MatrixSymbol("a", n, 1), sp.MatrixSymbol("b", n, 1)
        self.shifted = sp.Sum((a + t * b)[i, 0] ** 2, (i, 0, n - 1))
        self.lagrange = sp.Sum(
            sp.Sum((a[i, 0] * b[j, 0] - a[j, 0] * b[i, 0]) ** 2, (j, i + 1, n - 1)), (i, 0, n - 1)
        )
        self.bounded = Formula(
            1 - cosine(a, b) ** 2, self.lagrange / (dot(a, a) * dot(b, b)), name="bounded"
        )


def build() -> Derivation:
    """Build the derivation."""
    s = _Setup()
    a, b, k = s.a, s.b, s.k
    return ENTRY.derivation(
        symbols=(
            Var(a, "a nonzero vector of length n", Domain.MATRIX),
            Var(b, "a nonzero vector of length n", Domain.MATRIX),
            Var(s.t, "a real number"),
            Var(k, "a positive scale", Domain.POSITIVE),
        ),
        steps=_steps(s),
        results=(
            Formula(_gap(s), s.lagrange, name="Lagrange identity"),
            s.bounded,
            Formula(cosine(k * a, b), cosine(a, b), name="scale invariance"),
        ),
        twins=(_twin(s),),
        sizes=({s.n: 3}, {s.n: 4}),
        assumptions=("a ≠ 0 and b ≠ 0",),
        intuition=INTUITION,
        interview=_interview(),
        mistakes=_mistakes(s),
    )


def _gap(s: _Setup) -> sp.Expr:
    """‖a‖²‖b‖² − (a·b)², minus a quarter of the discriminant."""
    return dot(s.a, s.a) * dot(s.b, s.b) - dot(s.a, s.b) ** 2


def _steps(s: _Setup) -> tuple[Step, ...]:
    """A quadratic that is never negative gives Cauchy–Schwarz, then the cosine's range."""
    a, b, t, lagrange = s.a, s.b, s.t, s.lagrange
    return (
        identity(
            s.shifted,
            dot(b, b) * t**2 + 2 * dot(a, b) * t + dot(a, a),
            "For any real t, ‖a + tb‖² is a quadratic in t: ‖b‖²t² + 2(a·b)t + ‖a‖².",
        ),
        ge(
            s.shifted,
            sp.Integer(0),
            "It is a sum of squares, so it is ≥ 0 for every t: the quadratic has at most "
            "one real root and its discriminant 4(a·b)² − 4‖a‖²‖b‖² is ≤ 0.",
        ),
        identity(
            _gap(s),
            lagrange,
            "Indeed minus a quarter of the discriminant is a sum of squares (Lagrange's "
            "identity): ‖a‖²‖b‖² − (a·b)² = Σ over i < j of (aᵢbⱼ − aⱼbᵢ)².",
        ),
        ge(
            lagrange,
            sp.Integer(0),
            "So (a·b)² ≤ ‖a‖²‖b‖²: the Cauchy–Schwarz inequality, with equality only when "
            "a and b are parallel (every aᵢbⱼ = aⱼbᵢ).",
        ),
        identity(
            s.bounded.lhs,
            s.bounded.rhs,
            "Divide by ‖a‖²‖b‖² (a, b ≠ 0): 1 − cos² is a sum of squares over a positive "
            "number, so the cosine similarity a·b/(‖a‖‖b‖) lies in [−1, 1] and is the cosine "
            "of an angle.",
        ),
        identity(
            cosine(s.k * a, b),
            cosine(a, b),
            "Scaling a by k > 0 scales a·b and ‖a‖ alike: only directions matter.",
        ),
        identity(
            cosine(-a, b),
            -cosine(a, b),
            "A negative scale flips the sign: the similarity of −a and b is minus that of a and b.",
        ),
    )


def _twin(s: _Setup) -> Twin:
    """a·b/(‖a‖‖b‖) against SciPy's cosine distance."""
    return Twin(
        name="cosine similarity",
        formula=Formula(sp.Symbol("cos_theta"), cosine(s.a, s.b), name="a·b/(‖a‖‖b‖)"),
        args=(Arg("a", s.a), Arg("b", s.b)),
        reference=Reference("1 − scipy.spatial.distance.cosine", scipy_cosine, batched=False),
        sample=sample,
        domain=(
            "nonzero vectors (..., n) of the same length whose sums of squares are finite "
            "normal doubles (entries roughly 1e−150 to 1e150); NaN for a zero vector or outside"
        ),
        valid=lambda a, b: (
            np.any(a != 0, axis=-1)
            & np.any(b != 0, axis=-1)
            & squares_representable(a)
            & squares_representable(b)
        ),
    )


def _interview() -> Interview:
    """Cosine similarities of three word-count vectors."""
    docs = [sp.ImmutableMatrix(d) for d in ([1, 2, 1, 0], [2, 1, 0, 1], [2, 4, 2, 0])]

    def exact_cosine(x: sp.ImmutableMatrix, y: sp.ImmutableMatrix) -> sp.Expr:
        return sp.nsimplify((x.T * y)[0, 0] / (x.norm() * y.norm()))

    c12, c13 = exact_cosine(docs[0], docs[1]), exact_cosine(docs[0], docs[2])
    return Interview(
        question=(
            "Word counts: d₁ = (1, 2, 1, 0), d₂ = (2, 1, 0, 1), d₃ = (2, 4, 2, 0). Compute the "
            "cosine similarities of d₁ with d₂ and with d₃. Why is cosine similarity, not "
            "the dot product, used to compare documents or embeddings?"
        ),
        answer=(
            f"d₁·d₂ = {fmt((docs[0].T * docs[1])[0, 0])}, ‖d₁‖ = {fmt(docs[0].norm())}, "
            f"‖d₂‖ = {fmt(docs[1].norm())}: cos = {fmt(c12)} ≈ {decimal(c12)}. d₃ = 2d₁, so "
            f"cos(d₁, d₃) = {fmt(c13)}: same direction, whatever the length. The dot product "
            "grows with the lengths (a long document has large counts); the cosine only "
            "compares directions, and Cauchy–Schwarz keeps it in [−1, 1]."
        ),
    )


def _mistakes(s: _Setup) -> tuple[Mistake, ...]:
    """Squared norms, no normalisation, a negative scale, and the norm of the sum."""
    a, b = s.a, s.b
    return (
        Mistake(
            cosine(a, b),
            dot(a, b) / (dot(a, a) * dot(b, b)),
            "Divide by the norms ‖a‖‖b‖, not by their squares aᵀa·bᵀb.",
            name="squared norms",
        ),
        Mistake(
            cosine(a, b),
            dot(a, b),
            "The raw dot product is not normalised: it is not bounded by 1 and grows with "
            "the lengths.",
            name="unnormalised",
        ),
        Mistake(
            cosine(-a, b),
            cosine(a, b),
            "Scale invariance holds for positive scales only; −a points the other way.",
            name="negative scale ignored",
        ),
        Mistake(
            cosine(a, b),
            dot(a, b) / dot(a + b, a + b),
            "The denominator is the product of the two lengths, not the length of a + b.",
            name="norm of the sum",
        ),
    )


INTUITION = (
    "Slide along the line a + tb: its squared length can never be negative, and "
    "that single fact, read as 'this quadratic in t has no two real roots', is the "
    "Cauchy–Schwarz inequality |a·b| ≤ ‖a‖‖b‖. So a·b/(‖a‖‖b‖) is always between −1 "
    "and 1 and can be read as the cosine of the angle between the vectors: 1 for the "
    "same direction, 0 for perpendicular, −1 for opposite. Dividing by the lengths "
    "throws away magnitude, so a document and the same document repeated twice are "
    "identical (similarity 1)."
)
