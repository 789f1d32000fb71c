"""The median minimises the sum of absolute deviations: its subgradient counts points below
minus points above.

>>> build().result.rhs
Sum(sign(c - x[i]), (i, 1, n))
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

import numpy as np
import sympy as sp

from derive.catalog.common import fmt
from derive.catalog.entry import Entry
from derive.catalog.probability_statistics.helpers import (
    INDEX,
    SampleMean,
    at_size,
    entry_symbols,
    sizes,
    total,
)
from derive.core.model import Domain, Formula, Interview, Mistake, Rel, Step, Topic, Var
from derive.numeric.derivation import Derivation
from derive.numeric.reference import partial_difference
from derive.numeric.sums import linear_sums
from derive.numeric.twin import Arg, Reference, Twin

ENTRY = Entry(
    id="median-least-absolute",
    topic=Topic.PROBABILITY_STATISTICS,
    title="The median minimises absolute error",
)

SIZES = (5, 6)


def _distinct(x: np.ndarray) -> np.ndarray:
    ordered = np.sort(x, axis=-1)
    return np.all(np.diff(ordered, axis=-1) > 0, axis=-1)


def _argmin_over_data(x: np.ndarray) -> np.ndarray:
    """Brute force: Σ|xᵢ − c| is piecewise linear with corners at the data, so an odd-length
    sample's minimum is at one of its points; try them all."""
    losses = np.abs(x[..., :, None] - x[..., None, :]).sum(axis=-2)
    return np.take_along_axis(x, np.argmin(losses, axis=-1)[..., None], axis=-1)[..., 0]


def _sorted_values(first: Any, gaps: Sequence[Any]) -> list[Any]:
    values = [first]
    for gap in gaps:
        values.append(values[-1] + gap)
    return values


def build() -> Derivation:
    """Build the derivation."""
    i = INDEX
    j = sp.Symbol("j", integer=True, positive=True)
    n = sp.Symbol("n", integer=True, positive=True)
    x = sp.IndexedBase("x", real=True)
    c, t = sp.symbols("c t", real=True)

    loss = total(sp.Abs(x[i] - c), n)
    one_term = sp.diff(sp.Abs(t - c), c)
    slope = linear_sums(sp.diff(loss, c).doit())
    counted = total(sp.Heaviside(c - x[i]), n) - total(sp.Heaviside(x[i] - c), n)
    ties = total(1 - sp.Abs(sp.sign(c - x[i])), n)

    # A data point x_j minimises L iff 0 lies in [g − k, g + k] there (g, k integers): the
    # unit step of k − |g| + 1/2 is 1 exactly then. Average such points.
    at_point = {c: x[j]}
    margin = ties.xreplace(at_point) - sp.Abs(slope.xreplace(at_point))
    candidate = sp.Heaviside(margin + sp.Rational(1, 2))
    minimiser = total(x[j] * candidate, n, j) / total(candidate, n, j)

    a = sp.Symbol("a", real=True)
    d = sp.symbols("d1:6", positive=True)
    h = sp.Symbol("h", positive=True)
    odd = tuple(_sorted_values(a, d[:4]))
    even = tuple(_sorted_values(a, d[:5]))

    @functools.cache
    def median_of(values: tuple[Any, ...]) -> Any:
        swap = dict(zip(entry_symbols(x, len(values)), values, strict=True))
        return sp.simplify(at_size(minimiser, n, len(values), [x]).xreplace(swap))

    def mean_of(values: Sequence[Any]) -> Any:
        return sp.Add(*values) / len(values)

    odd_median = median_of(odd)
    odd_loss = sp.Add(*(sp.Abs(v - c) for v in odd))
    even_loss = sp.Add(*(sp.Abs(v - c) for v in even))
    moved = (*odd[:-1], odd[-1] + h)

    steps = (
        Step(
            lhs=sp.Function("L")(c),
            rhs=loss,
            rel=Rel.GIVEN,
            why="The absolute-error loss of summarising x₁, …, xₙ by one number c.",
        ),
        Step(
            lhs=sp.Derivative(sp.Abs(t - c), c),
            rhs=one_term,
            rel=Rel.IDENTITY,
            why="One term: |t − c| has slope +1 when c > t and −1 when c < t (no derivative at "
            "c = t).",
        ),
        Step(
            lhs=one_term,
            rhs=sp.Heaviside(c - t) - sp.Heaviside(t - c),
            rel=Rel.IDENTITY,
            why="Written with unit steps: +1 for a point below c, −1 for a point above.",
        ),
        Step(
            lhs=sp.Derivative(loss, c),
            rhs=slope,
            rel=Rel.IDENTITY,
            why="Sum the terms (away from the data points). Proven for symbolic n.",
        ),
        Step(
            rhs=counted,
            why="So the slope is (number of points below c) − (number above c). Checked at "
            "n = 2, …, 6.",
        ),
        Step(
            lhs=sp.Symbol("m"),
            rhs=minimiser,
            rel=Rel.GIVEN,
            why="L is convex, so c minimises it iff 0 lies in its subdifferential "
            "[g − k, g + k] at c (g the slope above, k the number of points equal to c). "
            "Candidates: the data points x_j where it does (k − |g| ≥ 0, an integer, so the "
            "unit step of k − |g| + 1/2 picks them); m averages them.",
        ),
        Step(
            lhs=odd_loss,
            rhs=odd_loss.xreplace({c: odd[2]}),
            rel=Rel.GE,
            why="Odd n = 5, sorted data x(1) < … < x(5) with gaps d > 0: no c beats the middle "
            "value x(3).",
        ),
        Step(
            lhs=median_of(odd),
            rhs=odd[2],
            rel=Rel.IDENTITY,
            why="The candidate average m picks exactly that middle value.",
        ),
        Step(
            lhs=median_of(even),
            rhs=(even[2] + even[3]) / 2,
            rel=Rel.IDENTITY,
            why="Even n = 6: L is flat between x(3) and x(4), both are candidates, and m is "
            "their midpoint (the usual convention).",
        ),
        Step(
            lhs=even_loss,
            rhs=even_loss.xreplace({c: (even[2] + even[3]) / 2}),
            rel=Rel.GE,
            why="No c beats the midpoint either.",
        ),
        Step(
            lhs=median_of(moved),
            rhs=odd_median,
            rel=Rel.IDENTITY,
            why="Robustness: push the largest point up by any h > 0 and the median stays put.",
        ),
        Step(
            lhs=mean_of(moved) - mean_of(odd),
            rhs=h / 5,
            rel=Rel.IDENTITY,
            why="The mean instead moves by h/n, without bound as h grows.",
        ),
    )
    results = (
        Formula(sp.Derivative(loss, c), slope, name="subgradient"),
        Formula(median_of(odd), odd[2], name="odd rule"),
        Formula(median_of(even), (even[2] + even[3]) / 2, name="even rule"),
    )

    def example(values: Sequence[int]) -> Any:
        swap = dict(zip(entry_symbols(x, len(values)), values, strict=True))
        return at_size(minimiser, n, len(values), [x]).xreplace(swap)

    outlier = [1, 2, 3, 4, 1000]
    interview = Interview(
        question="Show that the median minimises Σ|xᵢ − c|. What is it for 1, 3, 3, 6, 7, 8, 9 "
        "and for 1, 2, 3, 4, 5, 6? Why is it called robust?",
        answer=(
            "d/dc |xᵢ − c| = sign(c − xᵢ), so the slope of Σ|xᵢ − c| is (#points below c) − "
            "(#points above c): negative while fewer than half the points are below, positive "
            "once more than half are. The minimum is where it changes sign, the middle of the "
            f"sorted data: {fmt(example([1, 3, 3, 6, 7, 8, 9]))} for the first set; for an even "
            "count every c between the two middle values is optimal and the convention is "
            f"their midpoint, {fmt(example([1, 2, 3, 4, 5, 6]))}. Robust: for 1, 2, 3, 4, 1000 "
            f"the median is {fmt(example(outlier))} while the mean is "
            f"{fmt(sp.Rational(sum(outlier), len(outlier)))}; moving the outlier further "
            "changes the mean without bound and the median not at all."
        ),
    )

    twins: list[Twin] = []
    for size in SIZES:
        xs = entry_symbols(x, size)
        formula = Formula(sp.Symbol("m"), at_size(minimiser, n, size, [x]))

        def sample(rng: np.random.Generator, count: int, size: int = size) -> dict[str, Any]:
            return {"x": rng.normal(0.0, 5.0, size=(count, size))}

        twins.append(
            Twin(
                name=f"median (n = {size})",
                formula=formula,
                args=(Arg("x", xs),),
                reference=Reference("np.median", lambda x: np.median(x, axis=-1)),
                sample=sample,
                domain="distinct values (NaN if two are equal: then np.median's midpoint "
                "convention may differ from the average of the optimal points)",
                valid=_distinct,
                rtol=1e-12,
            )
        )
        if size % 2:
            twins.append(
                Twin(
                    name=f"least-absolute minimiser (n = {size})",
                    formula=formula,
                    args=(Arg("x", xs),),
                    reference=Reference(
                        "brute-force minimisation over the data points",
                        _argmin_over_data,
                        kind="enumeration",
                    ),
                    sample=sample,
                    domain="distinct values",
                    valid=_distinct,
                    rtol=1e-12,
                )
            )
    size = SIZES[0]
    xs = entry_symbols(x, size)
    slope_formula = Formula(sp.Derivative(loss, c), at_size(slope, n, size, [x]))

    def slope_sample(rng: np.random.Generator, count: int) -> dict[str, Any]:
        data = rng.normal(0.0, 5.0, size=(count, size))
        centre = rng.normal(0.0, 6.0, size=count)
        close = np.min(np.abs(data - centre[:, None]), axis=-1) < 1e-3
        centre[close] += 0.5  # keep finite differences away from the corners
        return {"x": data, "c": centre}

    def loss_of(x: np.ndarray, c: np.ndarray) -> np.ndarray:
        return np.abs(x - c[..., None]).sum(axis=-1)

    twins.append(
        Twin(
            name="subgradient count",
            formula=slope_formula,
            args=(Arg("x", xs), Arg("c", c)),
            reference=Reference(
                "central finite differences of Σ|xᵢ − c|",
                lambda x, c: partial_difference(loss_of, {"x": x, "c": c}, "c"),
                kind="finite differences",
            ),
            sample=slope_sample,
            domain="c away from the data points (the slope jumps there)",
            rtol=1e-6,
            atol=1e-6,
        )
    )

    def grid(rng: np.random.Generator) -> tuple[bool, str]:
        worst = 0.0
        medians = {size: twin for size, twin in zip(SIZES, (twins[0], twins[2]), strict=True)}
        for size, twin in medians.items():
            for _ in range(20):
                data = rng.normal(0.0, 5.0, size=size)
                centres = np.linspace(data.min() - 1, data.max() + 1, 20001)
                losses = np.abs(data[None, :] - centres[:, None]).sum(axis=-1)
                median = float(twin(x=data))
                worst = max(worst, float(np.abs(data - median).sum() - losses.min()))
        return worst <= 1e-12, (
            "the derived median (n = 5, 6) on 20 seeded data sets each: no point of a "
            f"20001-point grid does better; worst L(median) − min L = {worst:.1e}"
        )

    def robustness(rng: np.random.Generator) -> tuple[bool, str]:
        twin = twins[0]
        data = rng.normal(0.0, 1.0, size=(200, SIZES[0]))
        moved = data.copy()
        top = np.argmax(moved, axis=-1)
        jumps = rng.uniform(1.0, 1e6, size=200)
        moved[np.arange(200), top] += jumps
        median_shift = np.max(np.abs(twin(x=moved) - twin(x=data)))
        mean_shift = np.mean(moved, axis=-1) - np.mean(data, axis=-1)
        ok = bool(median_shift == 0) and bool(np.allclose(mean_shift, jumps / SIZES[0]))
        return ok, (
            f"200 seeded samples, largest point pushed up by up to 1e6: median moved by at "
            f"most {median_shift:g}, mean by exactly jump/n"
        )

    return ENTRY.derivation(
        symbols=(
            Var(x, "the data x₁, …, xₙ"),
            Var(n, "the number of data points", Domain.COUNT),
            Var(c, "a candidate centre"),
            Var(t, "one data value"),
            Var(a, "the smallest value x(1) of sorted data"),
            *(Var(g, "a gap between consecutive sorted values", Domain.POSITIVE) for g in d),
            Var(h, "how far the largest point is pushed", Domain.POSITIVE),
        ),
        steps=steps,
        results=results,
        twins=tuple(twins),
        sizes=sizes(n),
        assumptions=("n ≥ 1",),
        intuition=(
            "Slide a candidate c along the line. Each step to the right brings c closer to "
            "every point above it and further from every point below it, so the total absolute "
            "distance changes at rate (#below − #above). While fewer than half the points are "
            "below, moving right helps; once more than half are, it hurts. The best place is "
            "where the counts balance: the middle of the sorted data. Only the order of the "
            "points matters, not how far away they are, which is why one wild outlier cannot "
            "drag the median the way it drags the mean."
        ),
        interview=interview,
        mistakes=(
            Mistake(
                sp.Derivative(sp.Abs(t - c), c),
                sp.sign(t - c),
                "The chain rule brings a −1 from the inner −c: the slope is sign(c − t).",
                name="sign flipped",
            ),
            Mistake(
                sp.Derivative(loss, c),
                total(2 * (c - x[i]), n),
                "That is the derivative of the squared loss; the absolute loss only counts signs.",
                name="squared-loss derivative",
            ),
            Mistake(
                minimiser,
                SampleMean(x, n),
                "The mean minimises squared error; absolute error is minimised by the median.",
                name="mean for median",
            ),
            Mistake(
                median_of(even),
                even[3],
                "For an even count the conventional median is the midpoint of the two middle "
                "values, not one of them.",
                name="even count: one middle value",
            ),
        ),
        checks=(
            ("grid minimisation never beats the median", grid),
            ("an outlier moves the mean but not the median", robustness),
        ),
        notes=(
            "The subgradient step is proven for symbolic n; the odd/even rules and robustness "
            "are proven on sorted data with positive gaps, and optimality there is checked by "
            "the exact screen. The candidate formula m on unsorted data is checked against "
            "np.median and brute-force minimisation.",
        ),
    )
