"""The mean minimises the sum of squared deviations; the weighted mean the weighted sum.

>>> build().result.rhs
mean(x)
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import sympy as sp

from derive.catalog.common import fmt
from derive.catalog.entry import Entry, Exercise, Picture
from derive.catalog.parts import Parts
from derive.catalog.probability_statistics.helpers import (
    INDEX,
    SampleMean,
    at_size,
    entry_symbols,
    sizes,
    total,
)
from derive.catalog.steps import ge, given, identity, stationary
from derive.core import lazy
from derive.core.model import Domain, Formula, Interview, Mistake, Step, Topic, Var
from derive.numeric.derivation import Derivation
from derive.numeric.sums import linear_sums
from derive.numeric.twin import Arg, Reference, Twin

optimize = lazy.module("scipy.optimize")

ENTRY = Entry(
    id="mean-least-squares",
    topic=Topic.PROBABILITY_STATISTICS,
    title="The mean minimises squared error",
    plot=Picture(
        caption=("The sum of squared deviations from c is a parabola in c, lowest at the mean."),
        drawing="mean_minimises_squares",
    ),
    exercise=Exercise(
        question=(
            r"Find the number ${lhs}$ that minimises $\sum_i (x_i - c)^2$ for the data "
            r"{given}."
        ),
        lhs=r"c",
    ),
)

TWIN_SIZE = 6

INTUITION = (
    "The mean is the balance point of the data: at c = x̄ the deviations xᵢ − c to the "
    "left and to the right cancel exactly, and the derivative of the squared error is "
    "−2 times that total deviation. Squaring makes the loss a parabola in c, so the "
    "balance point is its unique bottom, and moving away by d costs n·d² more. "
    "Weights say how many copies of each point to count, so the balance point becomes "
    "the weighted mean. Because squares punish large misses heavily, one far outlier "
    "pulls the mean a long way."
)
NOTES = (
    "Steps with sums are proven for symbolic n; the numeric screen also checks them at "
    "n = 2, …, 6.",
)


def _argmin_squares(x: np.ndarray) -> np.ndarray:
    """The minimiser of Σ(xᵢ − c)² found by Brent's method, without any formula for it."""
    result = optimize.minimize_scalar(
        lambda c: float(np.sum((x - c) ** 2)), bracket=(x.min(), x.max()), tol=1e-12
    )
    return np.array(result.x)


def _data_sample(rng: np.random.Generator, size: int) -> dict[str, np.ndarray]:
    return {"x": rng.normal(3.0, 4.0, size=(size, TWIN_SIZE))}


def _weighted_sample(rng: np.random.Generator, size: int) -> dict[str, np.ndarray]:
    return {
        "x": rng.normal(3.0, 4.0, size=(size, TWIN_SIZE)),
        "w": rng.uniform(0.1, 2.0, size=(size, TWIN_SIZE)),
    }


class _Parts(Parts):
    """The symbols, the two losses and their minimisers every part is built from."""

    intuition = INTUITION
    assumptions = ("n ≥ 1", "weights wᵢ > 0")
    notes = NOTES

    def __init__(self) -> None:
        i = INDEX
        self.n = n = sp.Symbol("n", integer=True, positive=True)
        self.x = x = sp.IndexedBase("x", real=True)
        self.w = w = sp.IndexedBase("w", positive=True)
        self.c = c = sp.Symbol("c", real=True)
        self.m = m = sp.Symbol("m", real=True)

        self.loss = loss = total((x[i] - c) ** 2, n)
        self.gradient = linear_sums(sp.diff(loss, c).doit())
        self.condition = sp.expand(self.gradient / 2)
        self.minimiser = sp.solve(self.condition, c)[0]
        self.curvature = sp.diff(loss, c, 2).doit()
        self.mean = SampleMean(x, n)

        self.weighted = weighted = total(w[i] * (x[i] - m) ** 2, n)
        self.weighted_gradient = linear_sums(sp.diff(weighted, m).doit())
        self.weighted_condition = sp.expand(-self.weighted_gradient / 2)
        self.weighted_minimiser = sp.solve(self.weighted_condition, m)[0]
        self.equal_weights = self.weighted_minimiser.replace(
            lambda e: isinstance(e, sp.Indexed) and e.base == w, lambda e: sp.Integer(1)
        )

    def symbols(self) -> tuple[Var, ...]:
        return (
            Var(self.x, "the data x₁, …, xₙ"),
            Var(self.w, "positive weights w₁, …, wₙ", Domain.POSITIVE),
            Var(self.n, "the number of data points", Domain.COUNT),
            Var(self.c, "a candidate centre"),
            Var(self.m, "a candidate weighted centre"),
        )

    def steps(self) -> tuple[Step, ...]:
        i, n, x, c, m = INDEX, self.n, self.x, self.c, self.m
        loss, mean, weighted = self.loss, self.mean, self.weighted
        return (
            given(
                sp.Function("L")(c),
                loss,
                "The squared-error loss of summarising the data x₁, …, xₙ by one number c.",
            ),
            identity(
                sp.Derivative(loss, c),
                self.gradient,
                "Differentiate term by term: d/dc (xᵢ − c)² = −2(xᵢ − c). Proven for symbolic n.",
            ),
            *stationary(
                sp.Derivative(loss, c),
                self.condition,
                sp.Rational(1, 2),
                c,
                self.minimiser,
                (
                    "At a minimum of a differentiable function the derivative vanishes.",
                    "Halve: n c equals the sum of the data.",
                    "Solve the linear equation for c.",
                ),
            ),
            Step(rhs=mean, why="That is the mean x̄ = (1/n) Σ xᵢ."),
            identity(
                sp.Derivative(loss, (c, 2)),
                self.curvature,
                "The second derivative is the constant 2n > 0: L is a convex parabola in c.",
            ),
            ge(self.curvature, 0, "So the stationary point is the global minimum."),
            identity(
                loss,
                total((x[i] - mean) ** 2, n) + n * (c - mean) ** 2,
                "The same in one line: L(c) = L(x̄) + n(c − x̄)², so any c ≠ x̄ costs n(c − x̄)² "
                "more. Proven for symbolic n.",
            ),
            identity(
                sp.Derivative(weighted, m),
                self.weighted_gradient,
                "Weighted loss Σ wᵢ(xᵢ − m)² with weights wᵢ > 0: differentiate term by term.",
            ),
            *stationary(
                sp.Derivative(weighted, m),
                self.weighted_condition,
                sp.Rational(-1, 2),
                m,
                self.weighted_minimiser,
                (
                    "Set the derivative to zero.",
                    "Divide by −2: the weighted deviations balance.",
                    "Solve: the weighted mean Σ wᵢxᵢ / Σ wᵢ.",
                ),
            ),
            identity(
                self.equal_weights,
                mean,
                "With equal weights the weighted mean is the ordinary mean.",
            ),
        )

    def results(self) -> tuple[Formula, ...]:
        return (
            Formula(self.c, self.mean, name="least-squares centre"),
            Formula(self.m, self.weighted_minimiser, name="weighted mean"),
        )

    def interview(self) -> Interview:
        n, x, w = self.n, self.x, self.w
        data = [2, 4, 4, 4, 5, 5, 7, 9]
        example_mean = (
            self.mean.xreplace({n: len(data)})
            .doit()
            .xreplace({x[k]: v for k, v in enumerate(data, 1)})
        )
        scores = [85, 90, 78]
        weights = [sp.Rational(2, 10), sp.Rational(3, 10), sp.Rational(5, 10)]
        example_weighted = (
            self.weighted_minimiser.xreplace({n: 3})
            .doit()
            .xreplace({x[k]: v for k, v in enumerate(scores, 1)})
            .xreplace({w[k]: v for k, v in enumerate(weights, 1)})
        )
        return Interview(
            question="Which single number c minimises Σ(xᵢ − c)²? Prove it, then compute it for "
            "2, 4, 4, 4, 5, 5, 7, 9, and the weighted mean of scores 85, 90, 78 with weights "
            "0.2, 0.3, 0.5.",
            answer=(
                "d/dc Σ(xᵢ − c)² = −2Σ(xᵢ − c) = 2(nc − Σxᵢ) vanishes at c = Σxᵢ/n = x̄, and the "
                "second derivative 2n > 0 makes it the minimum (equivalently "
                f"Σ(xᵢ − c)² = Σ(xᵢ − x̄)² + n(c − x̄)²). Here x̄ = 40/8 = {fmt(example_mean)}. "
                "With weights the same argument gives Σwᵢxᵢ/Σwᵢ = (0.2·85 + 0.3·90 + 0.5·78)/1 = "
                f"{fmt(example_weighted)}."
            ),
        )

    def twins(self, results: tuple[Formula, ...]) -> tuple[Twin, ...]:
        n, x, w, c, m = self.n, self.x, self.w, self.c, self.m
        xs = entry_symbols(x, TWIN_SIZE)
        mean = Twin(
            name="mean",
            formula=Formula(c, at_size(self.mean, n, TWIN_SIZE, [x])),
            args=(Arg("x", xs),),
            reference=Reference("np.mean", lambda x: np.mean(x, axis=-1)),
            sample=_data_sample,
            domain=f"any real data of length {TWIN_SIZE}",
            rtol=1e-12,
        )
        minimiser = replace(
            mean,
            name="least-squares minimiser",
            reference=Reference(
                "scipy.optimize.minimize_scalar of Σ(xᵢ − c)²",
                _argmin_squares,
                kind="optimisation",
                batched=False,
            ),
            rtol=1e-6,  # Brent locates a minimum to about √ε relative: 8e-8 seen
            atol=1e-6,
        )
        weighted = Twin(
            name="weighted mean",
            formula=Formula(m, at_size(self.weighted_minimiser, n, TWIN_SIZE, [x, w])),
            args=(Arg("x", xs), Arg("w", entry_symbols(w, TWIN_SIZE))),
            reference=Reference(
                "np.average(weights=w)", lambda x, w: np.average(x, weights=w, axis=-1)
            ),
            sample=_weighted_sample,
            domain="positive weights; NaN if a weight is not positive",
            valid=lambda x, w: np.all(w > 0, axis=-1),
            rtol=1e-12,
        )
        return (mean, minimiser, weighted)

    def mistakes(self) -> tuple[Mistake, ...]:
        i, n, x, w, c = INDEX, self.n, self.x, self.w, self.c
        return (
            Mistake(
                self.mean,
                total(x[i], n) / (n - 1),
                "The mean divides by n; n − 1 belongs to the unbiased variance, not the mean.",
                name="mean over n − 1",
            ),
            Mistake(
                sp.Derivative(self.loss, c),
                total(2 * (x[i] - c), n),
                "The chain rule brings a factor −1 from the inner −c: the derivative is "
                "−2Σ(xᵢ − c).",
                name="chain-rule sign",
            ),
            Mistake(
                self.weighted_minimiser,
                total(w[i] * x[i], n) / n,
                "A weighted mean divides by the total weight Σwᵢ, not by the count n.",
                name="weighted mean over n",
            ),
            Mistake(
                self.weighted_minimiser,
                total(w[i] * x[i], n),
                "Σwᵢxᵢ is the weighted mean only when the weights sum to 1.",
                name="weights not normalised",
            ),
        )

    def sizes(self) -> tuple[dict[sp.Symbol, int], ...]:
        return sizes(self.n)


def build() -> Derivation:
    """Build the derivation."""
    return _Parts().derivation(ENTRY)
