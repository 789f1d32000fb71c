"""Standardisation: z = (x − μ)/σ has mean 0 and variance 1, for a distribution and for data.

>>> build().result.rhs
0
"""

from __future__ import annotations

import numpy as np
import sympy as sp
from sympy import stats

from derive.catalog.common import decimal, fmt
from derive.catalog.entry import Entry, Exercise, Picture
from derive.catalog.parts import Parts
from derive.catalog.probability_statistics.helpers import (
    INDEX,
    SampleMean,
    at_size,
    entry_symbols,
    representable,
    sizes,
    squared_deviations,
    total,
)
from derive.catalog.steps import identity
from derive.core import lazy
from derive.core.model import Domain, Formula, Interview, Mistake, Step, Topic, Var
from derive.numeric.derivation import Derivation
from derive.numeric.twin import Arg, Reference, Twin

sps = lazy.module("scipy.stats")

ENTRY = Entry(
    id="standardization",
    topic=Topic.PROBABILITY_STATISTICS,
    title="Standardisation (z-scores)",
    plot=Picture(
        caption=(
            "Six values before and after standardising: the same pattern, moved to mean 0 and "
            "scaled to spread 1."
        ),
        drawing="standardized_data",
    ),
    exercise=Exercise(
        question=(
            r"A value $x$ comes from a distribution with mean $\mu$ and standard deviation "
            r"$\sigma$. Compute its z-score ${lhs}$ for {given}."
        ),
        lhs=r"z",
        twin="standardised value",
    ),
)

TWIN_SIZE = 6

E, V = stats.Expectation, stats.Variance

INTUITION = (
    "Standardising re-expresses each value as 'how many standard deviations from the "
    "mean'. Subtracting the mean slides the data so that it balances at zero; dividing "
    "by the standard deviation rescales the spread to one unit. Nothing about the "
    "shape changes, only location and scale, so features measured in metres and in "
    "millimetres become directly comparable, and optimisers see a better-conditioned "
    "problem."
)
NOTES = (
    "scipy.stats.zscore and np.std divide by n by default (ddof=0); pandas' std divides by n − 1.",
)


def _z_by_quantiles(x: np.ndarray, mu: np.ndarray, sigma: np.ndarray) -> np.ndarray:
    """z from probabilities: the standard normal quantile of P(X ≤ x) (upper tail above the
    mean, where it is computed accurately)."""
    law = sps.norm(mu, sigma)
    with np.errstate(all="ignore"):
        upper = sps.norm.isf(law.sf(x))
        lower = sps.norm.ppf(law.cdf(x))
    return np.where(x >= mu, upper, lower)


def _values(rng: np.random.Generator, count: int) -> dict[str, np.ndarray]:
    mu = rng.normal(0.0, 2.0, size=count)
    sigma = rng.uniform(0.5, 4.0, size=count)
    return {"x": mu + sigma * rng.uniform(-8.0, 8.0, size=count), "mu": mu, "sigma": sigma}


def _not_constant(x: np.ndarray) -> np.ndarray:
    with np.errstate(all="ignore"):
        return representable(squared_deviations(x))


class _Parts(Parts):
    """A general and a normal random variable, and data with their z-scores."""

    intuition = INTUITION
    assumptions = ("σ > 0 (data not all equal)",)
    notes = NOTES

    def __init__(self) -> None:
        self.X = X = stats.rv.RandomSymbol(sp.Symbol("X"))
        self.spread = sp.sqrt(V(X))
        self.Z = (X - E(X)) / self.spread

        self.mu = mu = sp.Symbol("mu", real=True)
        self.sigma = sigma = sp.Symbol("sigma", positive=True)
        self.value = sp.Symbol("x", real=True)
        self.N = stats.Normal("N", mu, sigma)
        self.standard = (self.N - mu) / sigma

        k = sp.Symbol("k", integer=True, positive=True)  # a second index, for sums inside zᵢ
        self.n = n = sp.Symbol("n", integer=True, positive=True)
        self.x = x = sp.IndexedBase("x", real=True)
        self.xbar = xbar = SampleMean(x, n)
        s = sp.sqrt(total((x[k] - xbar) ** 2, n, k) / n)
        self.z = (x[INDEX] - xbar) / s
        self.s_unbiased = sp.sqrt(total((x[k] - xbar) ** 2, n, k) / (n - 1))
        # The mean square of the z-scores taken with the n − 1 standard deviation.
        self.mixed = total(((x[INDEX] - xbar) / self.s_unbiased) ** 2, n) / n

    def symbols(self) -> tuple[Var, ...]:
        return (
            Var(self.X, "a random variable with finite, positive variance (any distribution)"),
            Var(self.N, "a normal random variable"),
            Var(self.mu, "its mean"),
            Var(self.sigma, "its standard deviation", Domain.POSITIVE),
            Var(self.value, "a value to standardise"),
            Var(self.x, "the data x₁, …, xₙ (not all equal)"),
            Var(self.n, "the number of data points", Domain.COUNT),
        )

    def steps(self) -> tuple[Step, ...]:
        X, Z, z, n, spread = self.X, self.Z, self.z, self.n, self.spread
        return (
            identity(
                E(Z),
                (E(X) - E(X)) / spread,
                "Any X with mean μ = E[X] and standard deviation σ = √Var X > 0: "
                "E[(X − μ)/σ] = (E[X] − μ)/σ by linearity …",
            ),
            Step(rhs=0, why="… = 0."),
            identity(
                V(Z),
                V(X) / spread**2,
                "Shifting does not change a variance and scaling by 1/σ divides it by σ² …",
            ),
            Step(rhs=1, why="… = 1."),
            identity(
                E(self.standard),
                0,
                "For X normal with mean μ and standard deviation σ, sympy.stats integrates "
                "against the density and agrees …",
            ),
            identity(V(self.standard), 1, "… and so for the variance."),
            identity(
                total(z, n) / n,
                0,
                "For data: zᵢ = (xᵢ − x̄)/s with s² = (1/n)Σ(xᵢ − x̄)² (the population "
                "standard deviation, as np.std): the deviations from x̄ sum to zero. Proven for "
                "symbolic n.",
            ),
            identity(
                total(z**2, n) / n,
                1,
                "And the mean square of the z-scores is s²/s² = 1. Proven for symbolic n.",
            ),
            identity(
                self.mixed,
                (n - 1) / n,
                "With the sample standard deviation (dividing by n − 1) the mean square is "
                "(n − 1)/n instead: state which one you use.",
            ),
        )

    def results(self) -> tuple[Formula, ...]:
        Z, z, n = self.Z, self.z, self.n
        return (
            Formula(E(Z), 0, name="mean of z"),
            Formula(V(Z), 1, name="variance of z"),
            Formula(total(z, n) / n, 0, name="mean of z-scores"),
            Formula(total(z**2, n) / n, 1, name="mean square of z-scores"),
        )

    def interview(self) -> Interview:
        x, n, z = self.x, self.n, self.z
        features = ((100, sp.Rational(5, 2)), (150, 3), (200, sp.Rational(7, 2)))
        columns = []
        for column in range(2):
            data = {x[row]: values[column] for row, values in enumerate(features, 1)}
            columns.append(
                [
                    sp.radsimp(z.xreplace({INDEX: row, n: len(features)}).doit().xreplace(data))
                    for row in range(1, len(features) + 1)
                ]
            )
        return Interview(
            question="Standardise the features [[100, 2.5], [150, 3.0], [200, 3.5]] column by "
            "column. Why do the columns end up identical, and what are their mean and variance?",
            answer=(
                f"Column 1: mean 150, population s.d. √(5000/3); the z-scores are "
                f"{', '.join(fmt(v) for v in columns[0])} (≈ {decimal(columns[0][0])}, 0, "
                f"{decimal(columns[0][2])}). Column 2 is an affine image of column 1 "
                f"(2.5 + (x − 100)/100), and standardising removes location and scale, so it "
                f"gives {', '.join(fmt(v) for v in columns[1])} too. Each column has mean 0 and "
                "(dividing by n) variance 1 — which is what makes features on different scales "
                "comparable for gradient descent and distance-based methods."
            ),
        )

    def twins(self, results: tuple[Formula, ...]) -> tuple[Twin, ...]:
        x, n, z, mu, sigma = self.x, self.n, self.z, self.mu, self.sigma
        scores_formula = sp.ImmutableMatrix(
            [
                at_size(z.xreplace({INDEX: row}), n, TWIN_SIZE, [x])
                for row in range(1, TWIN_SIZE + 1)
            ]
        )
        return (
            Twin(
                name="z-scores",
                formula=Formula(sp.Symbol("z"), scores_formula),
                args=(Arg("x", entry_symbols(x, TWIN_SIZE)),),
                reference=Reference("scipy.stats.zscore", lambda x: sps.zscore(x, axis=-1)),
                sample=lambda rng, count: {"x": rng.normal(5.0, 3.0, size=(count, TWIN_SIZE))},
                domain="data that are not all equal (s > 0); NaN otherwise",
                valid=_not_constant,
                rtol=1e-10,
                atol=1e-12,
            ),
            Twin(
                name="standardised value",
                formula=Formula(sp.Symbol("z"), (self.value - mu) / sigma),
                args=(Arg("x", self.value), Arg("mu", mu), Arg("sigma", sigma)),
                reference=Reference(
                    "scipy.stats.norm(mu, sigma) tail probability of x mapped back by the "
                    "standard normal's inverse",
                    _z_by_quantiles,
                ),
                sample=_values,
                domain="σ > 0; NaN otherwise",
                valid=lambda x, mu, sigma: sigma > 0,
                rtol=1e-10,
                atol=1e-8,
            ),
        )

    def mistakes(self) -> tuple[Mistake, ...]:
        value, mu, sigma = self.value, self.mu, self.sigma
        z = (value - mu) / sigma
        return (
            Mistake(
                z,
                (value - mu) / sigma**2,
                "Divide by the standard deviation σ, not the variance σ².",
                name="divided by the variance",
            ),
            Mistake(
                z,
                value / sigma - mu,
                "Subtract the mean before scaling: (x − μ)/σ = x/σ − μ/σ.",
                name="mean not scaled",
            ),
            Mistake(
                z,
                (value - mu) / sp.sqrt(sigma),
                "σ is already the standard deviation; do not take its square root again.",
                name="square root of σ",
            ),
            Mistake(
                self.mixed,
                1,
                "With the n − 1 standard deviation the z-scores' mean square is (n − 1)/n, not 1.",
                name="mixed n and n − 1",
            ),
        )

    def sizes(self) -> tuple[dict[sp.Symbol, int], ...]:
        return sizes(self.n)


def build() -> Derivation:
    """Build the derivation."""
    return _Parts().derivation(ENTRY)
