"""Vector norms: ‖v‖₂ = √Σvᵢ² = √(vᵀv), ‖v‖₁ = Σ|vᵢ|, and a unit vector has norm 1.

>>> [r.name for r in build().results]
['L2 norm', 'L1 versus L2', 'homogeneity', 'unit vector']
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from derive.catalog.common import fmt
from derive.catalog.entry import Entry, Exercise, Picture
from derive.catalog.linear_algebra.pieces import dot, squares
from derive.catalog.linear_algebra.stable import squares_representable
from derive.catalog.steps import ge, identity
from derive.core.model import Domain, Formula, Interview, Mistake, Step, Topic, Var
from derive.numeric.derivation import Derivation
from derive.numeric.realise import Realiser
from derive.numeric.twin import Arg, Reference, Twin

ENTRY = Entry(
    id="vector-norms",
    topic=Topic.LINEAR_ALGEBRA,
    title="Vector norms",
    plot=Picture(
        caption=(
            "The vectors of norm 1 in the plane: a circle for L2, a diamond with corners on "
            "the axes for L1."
        ),
        drawing="norm_balls",
    ),
    exercise=Exercise(
        question=(
            r"Compute the Euclidean length ${lhs} = \sqrt{{v^\top v}}$ of the vector "
            r"{given}."
        ),
        lhs=r"\lVert v \rVert_2",
    ),
)

L1_SIZE = 5  # the L1 twin works on vectors of this length


def sample(rng: np.random.Generator, size: int) -> dict[str, np.ndarray]:
    """Gaussian vectors of length 6 (the L2 twin takes any length)."""
    return {"v": rng.normal(size=(size, 6))}


def sample_l1(rng: np.random.Generator, size: int) -> dict[str, np.ndarray]:
    """Gaussian vectors of length 5."""
    return {"v": rng.normal(size=(size, L1_SIZE))}


class _Setup:
    """The symbols and expressions the parts of the derivation share."""

    def __init__(self) -> None:
        n = self.n = sp.Symbol("n", integer=True, positive=True)
        i = self.i = sp.Symbol("i", integer=True)
        c = self.c = sp.Symbol("c", real=True)
        v = self.v = sp.MatrixSymbol("v", n, 1)
        self.sum_of_squares = squares(v, i)
        self.l2 = sp.sqrt(dot(v, v))
        self.l1 = sp.Sum(sp.Abs(v[i, 0]), (i, 0, n - 1))
        self.scaled = sp.sqrt(dot(c * v, c * v))
        unit = v / self.l2
        self.unit_norm = sp.sqrt(dot(unit, unit))
        j = sp.Symbol("j", integer=True)
        pairs = ((j, i + 1, n - 1), (i, 0, n - 1))
        self.cross = sp.Sum(2 * sp.Abs(v[i, 0]) * sp.Abs(v[j, 0]), *pairs)
        self.spread = sp.Sum((sp.Abs(v[i, 0]) - sp.Abs(v[j, 0])) ** 2, *pairs)


def build() -> Derivation:
    """Build the derivation."""
    s = _Setup()
    l1, l2 = s.l1, s.l2
    return ENTRY.derivation(
        symbols=(
            Var(s.v, "a real vector of length n", Domain.MATRIX),
            Var(s.c, "a real scalar"),
        ),
        steps=_steps(s),
        results=(
            Formula(sp.sqrt(s.sum_of_squares), l2, name="L2 norm"),
            Formula(l1**2 - s.sum_of_squares, s.cross, name="L1 versus L2"),
            Formula(s.scaled, sp.Abs(s.c) * l2, name="homogeneity"),
            Formula(s.unit_norm, sp.Integer(1), name="unit vector"),
        ),
        twins=_twins(s),
        sizes=({s.n: 3}, {s.n: 5}),
        assumptions=("v ≠ 0 for the unit vector",),
        intuition=INTUITION,
        interview=_interview(),
        mistakes=_mistakes(s),
    )


def _steps(s: _Setup) -> tuple[Step, ...]:
    """The L2 norm and its square, scaling, unit vectors, and ‖v‖₂ ≤ ‖v‖₁ ≤ √n‖v‖₂."""
    v, l1, l2 = s.v, s.l1, s.l2
    return (
        identity(
            sp.sqrt(s.sum_of_squares),
            l2,
            "The Euclidean (L2) norm is Pythagoras in n dimensions, ‖v‖₂ = √(Σvᵢ²); the "
            "sum of squares is the dot product of v with itself, vᵀv.",
        ),
        identity(
            sp.Pow(l2, 2, evaluate=False),
            dot(v, v),
            "So ‖v‖₂² = v·v, with no square root: the form used in least squares and weight decay.",
        ),
        identity(s.scaled, sp.Abs(s.c) * l2, "Scaling v by c scales its length by |c|, not by c."),
        identity(
            s.unit_norm,
            sp.Integer(1),
            "Dividing by the length gives a unit vector (v ≠ 0): ‖v/‖v‖₂‖₂ = 1.",
        ),
        identity(
            l1**2 - s.sum_of_squares,
            s.cross,
            "Compare the L1 (Manhattan) norm Σ|vᵢ| with the L2 norm: squaring Σ|vᵢ| gives "
            "Σvᵢ² plus the cross terms 2|vᵢ||vⱼ|.",
        ),
        ge(
            s.cross,
            sp.Integer(0),
            "The cross terms are ≥ 0, so ‖v‖₁ ≥ ‖v‖₂ (equality when at most one entry is nonzero).",
        ),
        identity(
            s.n * s.sum_of_squares - l1**2,
            s.spread,
            "In the other direction n·Σvᵢ² − (Σ|vᵢ|)² is the sum of the squared "
            "differences (|vᵢ| − |vⱼ|)² over pairs ...",
        ),
        ge(
            s.spread,
            sp.Integer(0),
            "... which is ≥ 0, so ‖v‖₁ ≤ √n‖v‖₂ (equality when all |vᵢ| are equal).",
        ),
    )


def _twins(s: _Setup) -> tuple[Twin, ...]:
    """√(vᵀv) for any length and Σ|vᵢ| for length 5, against ``np.linalg.norm``."""
    realise = Realiser(sizes={s.n: L1_SIZE})
    return (
        Twin(
            name="L2 norm",
            formula=Formula(sp.Symbol("L_2"), s.l2, name="√(vᵀv)"),
            args=(Arg("v", s.v),),
            reference=Reference("np.linalg.norm(ord=2)", lambda v: np.linalg.norm(v, axis=-1)),
            sample=sample,
            domain="vectors (..., n) of any length whose sum of squares is a finite normal "
            "double (entries roughly 1e−150 to 1e150 in magnitude, or 0); NaN outside",
            valid=lambda v: squares_representable(v),
        ),
        Twin(
            name="L1 norm",
            formula=Formula(sp.Symbol("L_1"), realise(s.l1), name=f"Σ|vᵢ| for n = {L1_SIZE}"),
            args=(Arg("v", realise(s.v)),),
            reference=Reference(
                "np.linalg.norm(ord=1)", lambda v: np.linalg.norm(v, ord=1, axis=-1)
            ),
            sample=sample_l1,
            domain=f"vectors (..., {L1_SIZE})",
        ),
    )


def _interview() -> Interview:
    """Both norms and the unit vector of (3, 4); ridge and the lasso."""
    example = sp.ImmutableMatrix([3, 4])
    ex_l2 = example.norm()
    ex_l1 = example.norm(1)
    return Interview(
        question=(
            "Compute the L2 norm, the L1 norm and the unit vector in the direction of "
            "v = (3, 4). "
            "Which norm is used in ridge regression and which in the lasso, and why does the "
            "lasso give sparse weights?"
        ),
        answer=(
            f"‖v‖₂ = √(9 + 16) = {fmt(ex_l2)}, ‖v‖₁ = 3 + 4 = {fmt(ex_l1)}, unit vector "
            f"v/‖v‖₂ = {fmt((example / ex_l2).T)} (its norm is "
            f"{fmt((example / ex_l2).norm())}). Ridge penalises ‖w‖₂², whose gradient 2w "
            "shrinks every weight in proportion; the lasso penalises ‖w‖₁, whose subgradient "
            "sign(w) pushes every weight towards 0 at the same rate, so small weights reach "
            "exactly 0."
        ),
    )


def _mistakes(s: _Setup) -> tuple[Mistake, ...]:
    """No squares, no root, the absolute value outside, and ‖cv‖ = c‖v‖."""
    v, i, n = s.v, s.i, s.n
    return (
        Mistake(
            s.l2,
            sp.Sum(v[i, 0], (i, 0, n - 1)),
            "Square the entries (and take the root): negative entries must not cancel "
            "positive ones.",
            name="sum of entries",
        ),
        Mistake(
            s.l2,
            s.sum_of_squares,
            "Σvᵢ² is ‖v‖₂², the squared norm; the norm needs the square root.",
            name="missing square root",
        ),
        Mistake(
            s.l1,
            sp.Abs(sp.Sum(v[i, 0], (i, 0, n - 1))),
            "The absolute value goes on each entry: Σ|vᵢ|, not |Σvᵢ|.",
            name="absolute value outside",
        ),
        Mistake(
            s.scaled,
            s.c * s.l2,
            "A length is never negative: ‖cv‖ = |c|·‖v‖.",
            name="‖cv‖ = c‖v‖",
        ),
    )


INTUITION = (
    "A norm is a length. The L2 norm is the straight-line distance from the origin, "
    "Pythagoras applied coordinate by coordinate; its square is simply v·v, which is "
    "why squared errors and weight decay are so convenient to differentiate. The L1 "
    "norm is the distance walked along the axes, like city blocks. Both scale with "
    "|c| when v is scaled by c, and dividing a vector by its length keeps its "
    "direction and makes the length 1. The two never disagree by more than a factor "
    "√n."
)
