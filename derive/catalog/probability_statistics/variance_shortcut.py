"""Var X = E[(X − μ)²] = E[X²] − μ², for a distribution and for data (population and sample).

>>> build().result.rhs
-Expectation(X)**2 + Expectation(X**2)
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import sympy as sp
from sympy import stats

from derive.catalog.common import fmt
from derive.catalog.entry import Entry, Exercise
from derive.catalog.parts import Parts
from derive.catalog.probability_statistics.helpers import (
    INDEX,
    SampleMean,
    at_size,
    entry_symbols,
    sizes,
    total,
)
from derive.catalog.steps import ge, identity
from derive.core import lazy
from derive.core.model import Domain, Formula, Interview, Mistake, Step, Topic, Var
from derive.numeric.derivation import Derivation
from derive.numeric.twin import Arg, Reference, Twin

sps = lazy.module("scipy.stats")

ENTRY = Entry(
    id="variance-shortcut",
    topic=Topic.PROBABILITY_STATISTICS,
    title="Variance shortcut, population and sample variance",
    exercise=Exercise(
        question=(
            r"Compute the population variance ${lhs} = \frac{{1}}{{n}} \sum_i (x_i - "
            r"\bar{{x}})^2$ (dividing by $n$, the number of values) of the data {given}."
        ),
        lhs=r"\sigma^{2}",
    ),
)

TWIN_SIZE = 6
SUPPORT = 3

E, V = stats.Expectation, stats.Variance

INTUITION = (
    "Variance measures spread as the average squared distance from the mean. Expanding "
    "the square splits it into the average of the squares minus the square of the "
    "average: squaring the values and averaging always gives at least as much as "
    "averaging and then squaring, and the excess is exactly the spread. The same "
    "identity holds for data, where the average is over the n points. The sample "
    "variance divides the same sum of squared deviations by n − 1 instead of n, which "
    "makes it an unbiased estimate of the population's variance."
)
NOTES = (
    "In floating point E[X²] − μ² cancels badly when the mean is large compared with "
    "the spread (data near 1e8 with spread 1 lose all digits); np.var subtracts the "
    "mean first. The twins use data with mean 3 and spread 4, where the shortcut is "
    "accurate to about 1e-15.",
)


def _rv_discrete_variance(v: np.ndarray, q: np.ndarray) -> np.ndarray:
    return np.array(sps.rv_discrete(values=(v, q)).var())


def _data_sample(rng: np.random.Generator, count: int) -> dict[str, np.ndarray]:
    return {"x": rng.normal(3.0, 4.0, size=(count, TWIN_SIZE))}


def _distribution_sample(rng: np.random.Generator, count: int) -> dict[str, np.ndarray]:
    return {
        "v": rng.normal(0.0, 3.0, size=(count, SUPPORT)),
        "a": rng.uniform(0.05, 0.95, size=count),
        "b": rng.uniform(0.05, 0.95, size=count),
    }


def _rv_discrete_reference(v: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    q = np.array([a, (1 - a) * b, (1 - a) * (1 - b)])
    return _rv_discrete_variance(v, q)


class _Parts(Parts):
    """A general random variable, a three-point one, and data with their variances."""

    intuition = INTUITION
    assumptions = ("E[X²] is finite", "n ≥ 2 for the sample variance")
    notes = NOTES

    def __init__(self) -> None:
        self.X = X = stats.rv.RandomSymbol(sp.Symbol("X"))
        self.mean = mean = E(X)
        self.shortcut = E(X**2) - mean**2

        self.values = sp.symbols(f"v1:{SUPPORT + 1}", real=True)
        self.a, self.b = a, b = sp.symbols("a b", positive=True)
        probabilities = (a, (1 - a) * b, (1 - a) * (1 - b))
        self.Y = stats.FiniteRV("Y", dict(zip(self.values, probabilities, strict=True)))
        self.discrete_variance = sp.factor(stats.variance(self.Y))

        i = INDEX
        self.n = n = sp.Symbol("n", integer=True, positive=True)
        self.x = x = sp.IndexedBase("x", real=True)
        self.xbar = xbar = SampleMean(x, n)
        self.population = total((x[i] - xbar) ** 2, n) / n
        self.population_shortcut = total(x[i] ** 2, n) / n - xbar**2
        self.sample = total((x[i] - xbar) ** 2, n) / (n - 1)

    def symbols(self) -> tuple[Var, ...]:
        return (
            Var(self.X, "a random variable with finite variance (any distribution)"),
            Var(self.Y, "a random variable taking the values v₁, v₂, v₃"),
            *(Var(v, "a value of Y") for v in self.values),
            Var(self.a, "P(Y = v₁)", Domain.PROBABILITY),
            Var(self.b, "P(Y = v₂ | Y ≠ v₁)", Domain.PROBABILITY),
            Var(self.x, "the data x₁, …, xₙ"),
            Var(self.n, "the number of data points", Domain.COUNT),
        )

    def steps(self) -> tuple[Step, ...]:
        X, Y, mean, n = self.X, self.Y, self.mean, self.n
        return (
            identity(
                V(X),
                E((X - mean) ** 2),
                "Definition: the expected squared distance from the mean μ = E[X].",
            ),
            Step(rhs=E(sp.expand((X - mean) ** 2)), why="Expand the square inside."),
            Step(
                rhs=E(X**2) - 2 * mean * mean + mean**2,
                why="Linearity of expectation; μ is a constant, so E[2μX] = 2μE[X] = 2μ².",
            ),
            Step(rhs=self.shortcut, why="Collect: Var X = E[X²] − μ², for any distribution."),
            identity(
                V(Y),
                self.discrete_variance,
                "A concrete check: Y takes three arbitrary values v₁, v₂, v₃ with arbitrary "
                "probabilities; sympy.stats computes Var Y from the definition.",
            ),
            identity(
                E(Y**2) - E(Y) ** 2,
                self.discrete_variance,
                "The shortcut gives the same polynomial.",
            ),
            ge(
                V(Y),
                0,
                "A variance is never negative (it is an expectation of a square), so "
                "E[Y²] ≥ E[Y]².",
            ),
            identity(
                self.population,
                self.population_shortcut,
                "For data x₁, …, xₙ (the population variance, dividing by n) the same algebra "
                "gives mean of squares minus square of mean. Proven for symbolic n.",
            ),
            identity(
                self.sample,
                n / (n - 1) * self.population_shortcut,
                "The sample variance divides by n − 1 instead (see Bessel's correction): it is "
                "n/(n − 1) times the population variance. Proven for symbolic n.",
            ),
        )

    def results(self) -> tuple[Formula, ...]:
        n = self.n
        return (
            Formula(V(self.X), self.shortcut, name="shortcut"),
            Formula(self.population, self.population_shortcut, name="population variance"),
            Formula(self.sample, n / (n - 1) * self.population_shortcut, name="sample variance"),
        )

    def interview(self) -> Interview:
        i, n, x = INDEX, self.n, self.x
        data = [2, 4, 4, 4, 5, 5, 7, 9]
        at_data = {x[k]: v for k, v in enumerate(data, 1)}

        def example(expr: sp.Expr) -> sp.Expr:
            return expr.xreplace({n: len(data)}).doit().xreplace(at_data)

        example_population = example(self.population)
        example_sample = example(self.sample)
        example_squares = example(total(x[i] ** 2, n) / n)
        example_mean = example(self.xbar)
        return Interview(
            question="Show Var X = E[X²] − (E X)². For 2, 4, 4, 4, 5, 5, 7, 9 compute the "
            "population and the sample variance.",
            answer=(
                "E[(X − μ)²] = E[X²] − 2μE[X] + μ² = E[X²] − μ² by linearity. For the data the "
                f"mean is {fmt(example_mean)} and the mean of squares {fmt(example_squares)}, so "
                f"the population variance is {fmt(example_squares)} − {fmt(example_mean)}² = "
                f"{fmt(example_population)} (np.var) and the sample variance, dividing the same "
                f"sum of squares 32 by n − 1 = 7, is {fmt(example_sample)} (np.var(ddof=1))."
            ),
        )

    def twins(self, results: tuple[Formula, ...]) -> tuple[Twin, ...]:
        n, x, a, b = self.n, self.x, self.a, self.b
        population = Twin(
            name="population variance",
            formula=Formula(
                sp.Symbol("sigma2"), at_size(self.population_shortcut, n, TWIN_SIZE, [x])
            ),
            args=(Arg("x", entry_symbols(x, TWIN_SIZE)),),
            reference=Reference("np.var(ddof=0)", lambda x: np.var(x, axis=-1)),
            sample=_data_sample,
            domain=f"any real data of length {TWIN_SIZE}",
            rtol=1e-10,
        )
        sample = replace(
            population,
            name="sample variance",
            formula=Formula(
                sp.Symbol("s2"),
                at_size(n / (n - 1) * self.population_shortcut, n, TWIN_SIZE, [x]),
            ),
            reference=Reference("np.var(ddof=1)", lambda x: np.var(x, axis=-1, ddof=1)),
        )
        distribution = Twin(
            name="variance of a three-point distribution",
            formula=Formula(V(self.Y), self.discrete_variance),
            args=(Arg("v", sp.ImmutableMatrix(self.values)), Arg("a", a), Arg("b", b)),
            reference=Reference(
                "scipy.stats.rv_discrete(...).var()", _rv_discrete_reference, batched=False
            ),
            sample=_distribution_sample,
            domain="0 < a, b < 1 (probabilities a, (1 − a)b, (1 − a)(1 − b)); NaN outside",
            valid=lambda v, a, b: (a > 0) & (a < 1) & (b > 0) & (b < 1),
            rtol=1e-9,
            atol=1e-12,
        )
        return (population, sample, distribution)

    def mistakes(self) -> tuple[Mistake, ...]:
        Y, i, n, x = self.Y, INDEX, self.n, self.x
        return (
            Mistake(
                V(Y),
                E(Y**2) - E(Y),
                "The mean is squared too: E[Y²] − (E[Y])².",
                name="mean not squared",
            ),
            Mistake(
                V(Y),
                E(Y**2) + E(Y) ** 2,
                "Expanding (Y − μ)² gives −2μY; after taking expectations the μ² is "
                "subtracted, not added.",
                name="wrong sign",
            ),
            Mistake(
                V(Y),
                E(Y) ** 2 - E(Y**2),
                "The order is E[Y²] − (E[Y])², which is never negative.",
                name="order reversed",
            ),
            Mistake(
                V(Y),
                E(Y - E(Y)) ** 2,
                "Squaring after averaging gives (E[Y − μ])² = 0; the square goes inside.",
                name="square outside",
            ),
            Mistake(
                self.population,
                total(x[i] ** 2, n) / (n - 1) - self.xbar**2,
                "The shortcut needs the same divisor in both terms; with n − 1 in the first it "
                "is neither the population nor the sample variance.",
                name="mixed divisors",
            ),
        )

    def sizes(self) -> tuple[dict[sp.Symbol, int], ...]:
        return sizes(self.n)


def build() -> Derivation:
    """Build the derivation."""
    return _Parts().derivation(ENTRY)
