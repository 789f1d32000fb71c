"""The dot product: a·b = Σaᵢbᵢ = ‖a‖‖b‖cos θ, its algebra, and orthogonality.

>>> [r.name for r in build().results][:2]
['dot product', 'geometric form']
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from derive.catalog.common import fmt
from derive.catalog.entry import Entry, Exercise, Picture
from derive.catalog.linear_algebra.pieces import dot
from derive.catalog.steps import given, identity, implies
from derive.core.model import Domain, Formula, Interview, Mistake, Rel, Step, Topic, Var
from derive.numeric.derivation import Derivation
from derive.numeric.realise import Realiser
from derive.numeric.twin import Arg, Reference, Twin

ENTRY = Entry(
    id="dot-product",
    topic=Topic.LINEAR_ALGEBRA,
    title="The dot product",
    plot=Picture(
        caption=(
            "The dot product measures how far b reaches along a: a·b is ‖a‖ times the signed "
            "length of b’s projection onto a."
        ),
        drawing="dot_projection",
    ),
    exercise=Exercise(
        question=r"Compute the dot product ${lhs} = \sum_i a_i b_i$ of {given}.",
        lhs=r"a \cdot b",
    ),
)


def sample(rng: np.random.Generator, size: int) -> dict[str, np.ndarray]:
    """Pairs of Gaussian vectors of length 7 (the twin takes any length)."""
    return {"a": rng.normal(size=(size, 7)), "b": rng.normal(size=(size, 7))}


def sample_plane(rng: np.random.Generator, size: int) -> dict[str, np.ndarray]:
    """Pairs of Gaussian vectors in the plane."""
    return {"a": rng.normal(size=(size, 2)), "b": rng.normal(size=(size, 2))}


def by_angles(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """‖a‖‖b‖cos(θa − θb) with the polar angles from ``np.arctan2``: the geometric definition."""
    angle_a = np.arctan2(a[..., 1], a[..., 0])
    angle_b = np.arctan2(b[..., 1], b[..., 0])
    lengths = np.hypot(a[..., 0], a[..., 1]) * np.hypot(b[..., 0], b[..., 1])
    return np.asarray(lengths * np.cos(angle_a - angle_b))


class _Setup:
    """The symbols and expressions the parts of the derivation share."""

    def __init__(self) -> None:
        n = self.n = sp.Symbol("n", integer=True, positive=True)
        i = self.i = sp.Symbol("i", integer=True)
        self.k = sp.Symbol("k", real=True)
        self.a, self.b, self.c = (sp.MatrixSymbol(name, n, 1) for name in "abc")
        a, b = self.a, self.b
        r, s = self.r, self.s = sp.symbols("r s", positive=True)
        alpha, beta = self.alpha, self.beta = sp.symbols("alpha beta", real=True)
        self.p, self.q = sp.MatrixSymbol("p", 2, 1), sp.MatrixSymbol("q", 2, 1)
        self.polar_p = sp.ImmutableMatrix([r * sp.cos(alpha), r * sp.sin(alpha)])
        self.polar_q = sp.ImmutableMatrix([s * sp.cos(beta), s * sp.sin(beta)])
        self.by_entries = sp.Sum(a[i, 0] * b[i, 0], (i, 0, n - 1))
        self.geometric = r * s * sp.cos(alpha - beta)


def build() -> Derivation:
    """Build the derivation."""
    s = _Setup()
    a, b, c, p, q = s.a, s.b, s.c, s.p, s.q
    results = (
        Formula(s.by_entries, dot(a, b), name="dot product"),
        Formula(dot(p, q), s.geometric, name="geometric form"),
        Formula(dot(a, b), dot(b, a), name="commutative"),
        Formula(dot(a, b + c), dot(a, b) + dot(a, c), name="distributive"),
    )
    return ENTRY.derivation(
        symbols=(
            Var(a, "a vector of length n", Domain.MATRIX),
            Var(b, "a vector of length n", Domain.MATRIX),
            Var(c, "a vector of length n", Domain.MATRIX),
            Var(s.k, "a scalar"),
            Var(p, "a vector in the plane", Domain.MATRIX),
            Var(q, "a vector in the plane", Domain.MATRIX),
            Var(s.r, "the length of p", Domain.POSITIVE),
            Var(s.s, "the length of q", Domain.POSITIVE),
            Var(s.alpha, "the angle of p"),
            Var(s.beta, "the angle of q"),
        ),
        steps=(*_algebra_steps(s), *_geometry_steps(s)),
        results=results,
        twins=_twins(s, results),
        bindings={p: s.polar_p, q: s.polar_q},
        sizes=({s.n: 3}, {s.n: 4}),
        intuition=INTUITION,
        interview=_interview(),
        mistakes=_mistakes(s),
    )


def _algebra_steps(s: _Setup) -> tuple[Step, ...]:
    """The definition and the algebra: commutative, distributive, scalars come out."""
    a, b, c, k = s.a, s.b, s.c, s.k
    return (
        identity(
            s.by_entries,
            dot(a, b),
            "The dot product multiplies matching entries and adds: a·b = Σaᵢbᵢ = aᵀb.",
        ),
        identity(dot(a, b), dot(b, a), "Commutative: aᵢbᵢ = bᵢaᵢ term by term."),
        identity(dot(a, b + c), dot(a, b) + dot(a, c), "Distributive over addition."),
        identity(dot(k * a, b), k * dot(a, b), "Scalars come out: (ka)·b = k(a·b)."),
    )


def _geometry_steps(s: _Setup) -> tuple[Step, ...]:
    """In the plane, with polar coordinates: ‖a‖‖b‖cos θ, and zero exactly at right angles."""
    p, q, r, alpha, beta = s.p, s.q, s.r, s.alpha, s.beta
    expanded = r * s.s * (sp.cos(alpha) * sp.cos(beta) + sp.sin(alpha) * sp.sin(beta))
    return (
        given(p, s.polar_p, "In the plane write p with its length r and angle α ..."),
        given(q, s.polar_q, "... and q with length s and angle β."),
        identity(dot(p, q), expanded, "Multiply out the two entries."),
        Step(
            rhs=s.geometric,
            why="The angle-difference identity cos α cos β + sin α sin β = cos(α − β): "
            "a·b = ‖a‖‖b‖cos θ, θ the angle between them.",
        ),
        identity(
            sp.sqrt(dot(p, p)),
            r,
            "(r really is the length: ‖p‖ = √(p·p) = r, since cos² + sin² = 1.)",
        ),
        given(dot(p, q), sp.Integer(0), "When is the dot product zero?"),
        Step(
            lhs=sp.cos(alpha - beta),
            rhs=sp.Integer(0),
            rel=Rel.IFF,
            by=1 / (r * s.s),
            why="Divide by rs > 0: for nonzero vectors, a·b = 0 exactly when cos θ = 0.",
        ),
        implies(
            alpha,
            sp.FiniteSet(beta + sp.pi / 2, beta - sp.pi / 2),
            "That is θ = ±90°: orthogonal (perpendicular) vectors.",
        ),
    )


def _twins(s: _Setup, results: tuple[Formula, ...]) -> tuple[Twin, ...]:
    """Σaᵢbᵢ against ``np.dot``, and in the plane against lengths and angles."""
    a, b = s.a, s.b
    realise = Realiser(sizes={s.n: 2})
    return (
        Twin(
            name="dot product",
            formula=results[0],
            args=(Arg("a", a), Arg("b", b)),
            reference=Reference("np.dot", lambda a, b: np.dot(a, b), batched=False),
            sample=sample,
            domain="pairs of vectors (..., n) of the same length",
        ),
        Twin(
            name="dot product in the plane",
            formula=Formula(dot(s.p, s.q), realise(dot(a, b)), name="a₁b₁ + a₂b₂"),
            args=(Arg("a", realise(a)), Arg("b", realise(b))),
            reference=Reference("‖a‖‖b‖cos θ, angles from np.arctan2", by_angles),
            sample=sample_plane,
            domain="pairs of vectors (..., 2)",
        ),
    )


def _interview() -> Interview:
    """A dot product and an angle by hand; orthogonal and obtuse pairs."""
    u = sp.ImmutableMatrix([1, 2, 3])
    w = sp.ImmutableMatrix([4, 5, 6])
    ex_dot = (u.T * w)[0, 0]
    ex_cos = ex_dot / (u.norm() * w.norm())
    return Interview(
        question=(
            "Compute (1, 2, 3)·(4, 5, 6) and the angle between the vectors. Why is "
            "(1, 0)·(0, 1) = 0, and what does a negative dot product mean?"
        ),
        answer=(
            f"1·4 + 2·5 + 3·6 = {fmt(ex_dot)}; ‖a‖ = {fmt(u.norm())}, ‖b‖ = {fmt(w.norm())}, "
            f"so cos θ = {fmt(ex_cos)} ≈ {float(ex_cos):.4f} and θ ≈ "
            f"{float(sp.deg(sp.acos(ex_cos))):.2f}°. The axes are perpendicular, cos 90° = 0. "
            "A negative dot product means the angle is more than 90°: the vectors point in "
            "broadly opposite directions."
        ),
    )


def _mistakes(s: _Setup) -> tuple[Mistake, ...]:
    """The entrywise product, the sine, the sum of angles, and the product of sums."""
    a, b, p, q, i, n = s.a, s.b, s.p, s.q, s.i, s.n
    rs = s.r * s.s
    return (
        Mistake(
            dot(a, b),
            sp.HadamardProduct(a, b),
            "The dot product is a number; the entrywise product a ⊙ b is a vector (sum it "
            "to get a·b).",
            name="entrywise product",
        ),
        Mistake(
            dot(p, q),
            rs * sp.sin(s.alpha - s.beta),
            "The dot product uses the cosine (the 2-D cross product uses the sine).",
            name="sine instead of cosine",
        ),
        Mistake(
            dot(p, q),
            rs * sp.cos(s.alpha + s.beta),
            "The angle between the vectors is the difference of their angles.",
            name="sum of angles",
        ),
        Mistake(
            dot(a, b),
            sp.Sum(a[i, 0], (i, 0, n - 1)) * sp.Sum(b[i, 0], (i, 0, n - 1)),
            "Multiply matching entries before summing, not the two sums.",
            name="product of sums",
        ),
    )


INTUITION = (
    "The dot product measures how much two vectors point the same way. Summing the "
    "products of matching coordinates looks purely algebraic, but in the plane it "
    "equals length × length × cos(angle): rotate both vectors together and neither "
    "the lengths nor the angle change, and neither does the dot product. It is "
    "positive for an acute angle, zero for a right angle and negative for an obtuse "
    "one, which is why it serves as a similarity score (attention, recommendations) "
    "and as the test for orthogonality."
)
