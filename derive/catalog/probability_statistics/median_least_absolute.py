"""The median minimises the sum of absolute deviations: its subgradient counts points below
minus points above.

>>> build().result.rhs
Sum(sign(c - x[_i]), (_i, 1, n))
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

import numpy as np
import sympy as sp

from derive.catalog.common import fmt
from derive.catalog.entry import Entry, Exercise, Picture
from derive.catalog.parts import Check, Parts
from derive.catalog.probability_statistics.helpers import (
    INDEX,
    SampleMean,
    at_size,
    entry_symbols,
    sizes,
    total,
)
from derive.catalog.steps import ge, given, identity
from derive.core.model import Domain, Formula, Interview, Mistake, Step, Topic, Var
from derive.numeric.derivation import Derivation
from derive.numeric.reference import partial_difference
from derive.numeric.sums import linear_sums
from derive.numeric.twin import Arg, Reference, Twin

ENTRY = Entry(
    id="median-least-absolute",
    topic=Topic.PROBABILITY_STATISTICS,
    title="The median minimises absolute error",
    plot=Picture(
        caption=(
            "The sum of absolute deviations from c is piecewise linear, with a kink at each data "
            "point, and lowest at the median."
        ),
        drawing="median_minimises_absolute",
    ),
    exercise=Exercise(
        question=(
            r"Find the number ${lhs}$ that minimises $\sum_i \lvert x_i - m \rvert$ for the "
            r"data {given}."
        ),
        lhs=r"m",
    ),
)

SIZES = (5, 6)

INTUITION = (
    "Slide a candidate c along the line. Each step to the right brings c closer to "
    "every point above it and further from every point below it, so the total absolute "
    "distance changes at rate (#below − #above). While fewer than half the points are "
    "below, moving right helps; once more than half are, it hurts. The best place is "
    "where the counts balance: the middle of the sorted data. Only the order of the "
    "points matters, not how far away they are, which is why one wild outlier cannot "
    "drag the median the way it drags the mean."
)
NOTES = (
    "The subgradient step is proven for symbolic n; the odd/even rules and robustness "
    "are proven on sorted data with positive gaps, and optimality there is checked by "
    "the exact screen. The candidate formula m on unsorted data is checked against "
    "np.median and brute-force minimisation.",
)


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


def _data(size: int) -> Callable[[np.random.Generator, int], dict[str, Any]]:
    """A sampler of data sets of this size."""

    def sample(rng: np.random.Generator, count: int) -> dict[str, Any]:
        return {"x": rng.normal(0.0, 5.0, size=(count, size))}

    return sample


def _slope_sample(rng: np.random.Generator, count: int) -> dict[str, Any]:
    data = rng.normal(0.0, 5.0, size=(count, SIZES[0]))
    centre = rng.normal(0.0, 6.0, size=count)
    close = np.min(np.abs(data - centre[:, None]), axis=-1) < 1e-3
    centre[close] += 0.5  # keep finite differences away from the corners
    return {"x": data, "c": centre}


def _loss_of(x: np.ndarray, c: np.ndarray) -> np.ndarray:
    return np.abs(x - c[..., None]).sum(axis=-1)


def _grid(medians: dict[int, Twin]) -> Callable[[np.random.Generator], tuple[bool, str]]:
    """No point of a fine grid beats the derived median (one twin per data size)."""

    def grid(rng: np.random.Generator) -> tuple[bool, str]:
        worst = 0.0
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

    return grid


def _robustness(twin: Twin) -> Callable[[np.random.Generator], tuple[bool, str]]:
    """Pushing the largest point up moves the mean by jump/n and the median not at all."""

    def robustness(rng: np.random.Generator) -> tuple[bool, str]:
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

    return robustness


class _Parts(Parts):
    """The symbols, the loss, its slope and the candidate-average minimiser m."""

    intuition = INTUITION
    assumptions = ("n ≥ 1",)
    notes = NOTES

    def __init__(self) -> None:
        i = INDEX
        self.j = j = sp.Symbol("j", integer=True, positive=True)
        self.n = n = sp.Symbol("n", integer=True, positive=True)
        self.x = x = sp.IndexedBase("x", real=True)
        self.c, self.t = c, t = sp.symbols("c t", real=True)

        self.loss = loss = total(sp.Abs(x[i] - c), n)
        self.one_term = sp.diff(sp.Abs(t - c), c)
        self.slope = slope = linear_sums(sp.diff(loss, c).doit())
        self.counted = total(sp.Heaviside(c - x[i]), n) - total(sp.Heaviside(x[i] - c), n)
        ties = total(1 - sp.Abs(sp.sign(c - x[i])), n)

        # A data point x_j minimises L iff 0 lies in [g − k, g + k] there (g, k integers): the
        # unit step of k − |g| + 1/2 is 1 exactly then. Average such points.
        at_point = {c: x[j]}
        margin = ties.xreplace(at_point) - sp.Abs(slope.xreplace(at_point))
        candidate = sp.Heaviside(margin + sp.Rational(1, 2))
        self.minimiser = total(x[j] * candidate, n, j) / total(candidate, n, j)

        self.a = a = sp.Symbol("a", real=True)
        self.d = d = sp.symbols("d1:6", positive=True)
        self.h = h = sp.Symbol("h", positive=True)
        self.odd = odd = tuple(_sorted_values(a, d[:4]))
        self.even = tuple(_sorted_values(a, d[:5]))
        self.moved = (*odd[:-1], odd[-1] + h)
        self.odd_median = self.median_of(odd)
        self.even_median = self.median_of(self.even)

    def median_of(self, values: tuple[Any, ...]) -> Any:
        """m for these sorted data values, simplified."""
        x = self.x
        swap = dict(zip(entry_symbols(x, len(values)), values, strict=True))
        return sp.simplify(at_size(self.minimiser, self.n, len(values), [x]).xreplace(swap))

    def symbols(self) -> tuple[Var, ...]:
        return (
            Var(self.x, "the data x₁, …, xₙ"),
            Var(self.n, "the number of data points", Domain.COUNT),
            Var(self.c, "a candidate centre"),
            Var(self.t, "one data value"),
            Var(self.a, "the smallest value x(1) of sorted data"),
            *(Var(g, "a gap between consecutive sorted values", Domain.POSITIVE) for g in self.d),
            Var(self.h, "how far the largest point is pushed", Domain.POSITIVE),
        )

    def slope_steps(self) -> tuple[Step, ...]:
        c, t, loss = self.c, self.t, self.loss
        return (
            given(
                sp.Function("L")(c),
                loss,
                "The absolute-error loss of summarising x₁, …, xₙ by one number c.",
            ),
            identity(
                sp.Derivative(sp.Abs(t - c), c),
                self.one_term,
                "One term: |t − c| has slope +1 when c > t and −1 when c < t (no derivative at "
                "c = t).",
            ),
            identity(
                self.one_term,
                sp.Heaviside(c - t) - sp.Heaviside(t - c),
                "Written with unit steps: +1 for a point below c, −1 for a point above.",
            ),
            identity(
                sp.Derivative(loss, c),
                self.slope,
                "Sum the terms (away from the data points). Proven for symbolic n.",
            ),
            Step(
                rhs=self.counted,
                why="So the slope is (number of points below c) − (number above c). Checked at "
                "n = 2, …, 6.",
            ),
            given(
                sp.Symbol("m"),
                self.minimiser,
                "L is convex, so c minimises it iff 0 lies in its subdifferential "
                "[g − k, g + k] at c (g the slope above, k the number of points equal to c). "
                "Candidates: the data points x_j where it does (k − |g| ≥ 0, an integer, so the "
                "unit step of k − |g| + 1/2 picks them); m averages them.",
            ),
        )

    def rule_steps(self) -> tuple[Step, ...]:
        c, odd, even, moved = self.c, self.odd, self.even, self.moved
        odd_loss = sp.Add(*(sp.Abs(v - c) for v in odd))
        even_loss = sp.Add(*(sp.Abs(v - c) for v in even))
        return (
            ge(
                odd_loss,
                odd_loss.xreplace({c: odd[2]}),
                "Odd n = 5, sorted data x(1) < … < x(5) with gaps d > 0: no c beats the middle "
                "value x(3).",
            ),
            identity(
                self.odd_median,
                odd[2],
                "The candidate average m picks exactly that middle value.",
            ),
            identity(
                self.even_median,
                (even[2] + even[3]) / 2,
                "Even n = 6: L is flat between x(3) and x(4), both are candidates, and m is "
                "their midpoint (the usual convention).",
            ),
            ge(
                even_loss,
                even_loss.xreplace({c: (even[2] + even[3]) / 2}),
                "No c beats the midpoint either.",
            ),
            identity(
                self.median_of(moved),
                self.odd_median,
                "Robustness: push the largest point up by any h > 0 and the median stays put.",
            ),
            identity(
                sp.Add(*moved) / len(moved) - sp.Add(*odd) / len(odd),
                self.h / 5,
                "The mean instead moves by h/n, without bound as h grows.",
            ),
        )

    def results(self) -> tuple[Formula, ...]:
        odd, even = self.odd, self.even
        return (
            Formula(sp.Derivative(self.loss, self.c), self.slope, name="subgradient"),
            Formula(self.odd_median, odd[2], name="odd rule"),
            Formula(self.even_median, (even[2] + even[3]) / 2, name="even rule"),
        )

    def example(self, values: Sequence[int]) -> Any:
        """m for these data values."""
        swap = dict(zip(entry_symbols(self.x, len(values)), values, strict=True))
        return at_size(self.minimiser, self.n, len(values), [self.x]).xreplace(swap)

    def interview(self) -> Interview:
        outlier = [1, 2, 3, 4, 1000]
        return Interview(
            question="Show that the median minimises Σ|xᵢ − c|. What is it for 1, 3, 3, 6, 7, "
            "8, 9 and for 1, 2, 3, 4, 5, 6? Why is it called robust?",
            answer=(
                "d/dc |xᵢ − c| = sign(c − xᵢ), so the slope of Σ|xᵢ − c| is (#points below c) − "
                "(#points above c): negative while fewer than half the points are below, "
                "positive once more than half are. The minimum is where it changes sign, the "
                "middle of the sorted data: "
                f"{fmt(self.example([1, 3, 3, 6, 7, 8, 9]))} for the first set; for an even "
                "count every c between the two middle values is optimal and the convention is "
                f"their midpoint, {fmt(self.example([1, 2, 3, 4, 5, 6]))}. Robust: for 1, 2, 3, "
                f"4, 1000 the median is {fmt(self.example(outlier))} while the mean is "
                f"{fmt(sp.Rational(sum(outlier), len(outlier)))}; moving the outlier further "
                "changes the mean without bound and the median not at all."
            ),
        )

    def twins(self, results: tuple[Formula, ...]) -> tuple[Twin, ...]:
        n, x, c = self.n, self.x, self.c
        twins: list[Twin] = []
        for size in SIZES:
            median = Twin(
                name=f"median (n = {size})",
                formula=Formula(sp.Symbol("m"), at_size(self.minimiser, n, size, [x])),
                args=(Arg("x", entry_symbols(x, size)),),
                reference=Reference("np.median", lambda x: np.median(x, axis=-1)),
                sample=_data(size),
                domain="distinct values (NaN if two are equal: then np.median's midpoint "
                "convention may differ from the average of the optimal points)",
                valid=_distinct,
                rtol=1e-12,
            )
            twins.append(median)
            if size % 2:
                twins.append(
                    replace(
                        median,
                        name=f"least-absolute minimiser (n = {size})",
                        reference=Reference(
                            "brute-force minimisation over the data points",
                            _argmin_over_data,
                            kind="enumeration",
                        ),
                        domain="distinct values",
                    )
                )
        size = SIZES[0]
        twins.append(
            Twin(
                name="subgradient count",
                formula=Formula(sp.Derivative(self.loss, c), at_size(self.slope, n, size, [x])),
                args=(Arg("x", entry_symbols(x, size)), Arg("c", c)),
                reference=Reference(
                    "central finite differences of Σ|xᵢ − c|",
                    lambda x, c: partial_difference(_loss_of, {"x": x, "c": c}, "c"),
                    kind="finite differences",
                ),
                sample=_slope_sample,
                domain="c away from the data points (the slope jumps there)",
                rtol=1e-6,
                atol=1e-6,
            )
        )
        return tuple(twins)

    def mistakes(self) -> tuple[Mistake, ...]:
        i, n, x, c, t = INDEX, self.n, self.x, self.c, self.t
        return (
            Mistake(
                sp.Derivative(sp.Abs(t - c), c),
                sp.sign(t - c),
                "The chain rule brings a −1 from the inner −c: the slope is sign(c − t).",
                name="sign flipped",
            ),
            Mistake(
                sp.Derivative(self.loss, c),
                total(2 * (c - x[i]), n),
                "That is the derivative of the squared loss; the absolute loss only counts signs.",
                name="squared-loss derivative",
            ),
            Mistake(
                self.minimiser,
                SampleMean(x, n),
                "The mean minimises squared error; absolute error is minimised by the median.",
                name="mean for median",
            ),
            Mistake(
                self.even_median,
                self.even[3],
                "For an even count the conventional median is the midpoint of the two middle "
                "values, not one of them.",
                name="even count: one middle value",
            ),
        )

    def steps(self) -> tuple[Step, ...]:
        return self.slope_steps() + self.rule_steps()

    def sizes(self) -> tuple[dict[sp.Symbol, int], ...]:
        return sizes(self.n)

    def checks(self, results: tuple[Formula, ...], twins: tuple[Twin, ...]) -> tuple[Check, ...]:
        medians = dict(zip(SIZES, (twins[0], twins[2]), strict=True))
        return (
            (
                "grid minimisation never beats the median",
                _grid(medians),
            ),
            ("an outlier moves the mean but not the median", _robustness(twins[0])),
        )


def build() -> Derivation:
    """Build the derivation."""
    return _Parts().derivation(ENTRY)
