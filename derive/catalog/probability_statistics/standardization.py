"""Standardisation: z = (x − μ)/σ has mean 0 and variance 1, for a distribution and for data.

>>> build().result.rhs
0
"""

from __future__ import annotations

import numpy as np
import sympy as sp
from scipy import stats as sps
from sympy import stats

from derive.catalog.common import decimal, fmt
from derive.catalog.entry import Entry
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
from derive.core.model import Domain, Formula, Interview, Mistake, Rel, Step, Topic, Var
from derive.numeric.derivation import Derivation
from derive.numeric.twin import Arg, Reference, Twin

ENTRY = Entry(
    id="standardization",
    topic=Topic.PROBABILITY_STATISTICS,
    title="Standardisation (z-scores)",
)

TWIN_SIZE = 6


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


def build() -> Derivation:
    """Build the derivation."""
    E, V = stats.Expectation, stats.Variance
    X = stats.rv.RandomSymbol(sp.Symbol("X"))
    spread = sp.sqrt(V(X))
    Z = (X - E(X)) / spread

    mu = sp.Symbol("mu", real=True)
    sigma = sp.Symbol("sigma", positive=True)
    value = sp.Symbol("x", real=True)
    N = stats.Normal("N", mu, sigma)
    standard = (N - mu) / sigma

    i = INDEX
    k = sp.Symbol("k", integer=True, positive=True)  # a second index, for sums inside zᵢ
    n = sp.Symbol("n", integer=True, positive=True)
    x = sp.IndexedBase("x", real=True)
    xbar = SampleMean(x, n)
    s = sp.sqrt(total((x[k] - xbar) ** 2, n, k) / n)
    z = (x[i] - xbar) / s
    s_unbiased = sp.sqrt(total((x[k] - xbar) ** 2, n, k) / (n - 1))

    steps = (
        Step(
            lhs=E(Z),
            rhs=(E(X) - E(X)) / spread,
            rel=Rel.IDENTITY,
            why="Any X with mean μ = E[X] and standard deviation σ = √Var X > 0: "
            "E[(X − μ)/σ] = (E[X] − μ)/σ by linearity …",
        ),
        Step(rhs=0, why="… = 0."),
        Step(
            lhs=V(Z),
            rhs=V(X) / spread**2,
            rel=Rel.IDENTITY,
            why="Shifting does not change a variance and scaling by 1/σ divides it by σ² …",
        ),
        Step(rhs=1, why="… = 1."),
        Step(
            lhs=E(standard),
            rhs=0,
            rel=Rel.IDENTITY,
            why="For X normal with mean μ and standard deviation σ, sympy.stats integrates "
            "against the density and agrees …",
        ),
        Step(lhs=V(standard), rhs=1, rel=Rel.IDENTITY, why="… and so for the variance."),
        Step(
            lhs=total(z, n) / n,
            rhs=0,
            rel=Rel.IDENTITY,
            why="For data: zᵢ = (xᵢ − x̄)/s with s² = (1/n)Σ(xᵢ − x̄)² (the population "
            "standard deviation, as np.std): the deviations from x̄ sum to zero. Proven for "
            "symbolic n.",
        ),
        Step(
            lhs=total(z**2, n) / n,
            rhs=1,
            rel=Rel.IDENTITY,
            why="And the mean square of the z-scores is s²/s² = 1. Proven for symbolic n.",
        ),
        Step(
            lhs=total(((x[i] - xbar) / s_unbiased) ** 2, n) / n,
            rhs=(n - 1) / n,
            rel=Rel.IDENTITY,
            why="With the sample standard deviation (dividing by n − 1) the mean square is "
            "(n − 1)/n instead: state which one you use.",
        ),
    )
    results = (
        Formula(E(Z), 0, name="mean of z"),
        Formula(V(Z), 1, name="variance of z"),
        Formula(total(z, n) / n, 0, name="mean of z-scores"),
        Formula(total(z**2, n) / n, 1, name="mean square of z-scores"),
    )

    features = ((100, sp.Rational(5, 2)), (150, 3), (200, sp.Rational(7, 2)))
    columns = []
    for column in range(2):
        data = {x[row]: values[column] for row, values in enumerate(features, 1)}
        columns.append(
            [
                sp.radsimp(z.xreplace({i: row, n: len(features)}).doit().xreplace(data))
                for row in range(1, len(features) + 1)
            ]
        )
    interview = Interview(
        question="Standardise the features [[100, 2.5], [150, 3.0], [200, 3.5]] column by "
        "column. Why do the columns end up identical, and what are their mean and variance?",
        answer=(
            f"Column 1: mean 150, population s.d. √(5000/3); the z-scores are "
            f"{', '.join(fmt(v) for v in columns[0])} (≈ {decimal(columns[0][0])}, 0, "
            f"{decimal(columns[0][2])}). Column 2 is an affine image of column 1 "
            f"(2.5 + (x − 100)/100), and standardising removes location and scale, so it gives "
            f"{', '.join(fmt(v) for v in columns[1])} too. Each column has mean 0 and (dividing "
            "by n) variance 1 — which is what makes features on different scales comparable "
            "for gradient descent and distance-based methods."
        ),
    )

    xs = entry_symbols(x, TWIN_SIZE)
    scores_formula = sp.ImmutableMatrix(
        [at_size(z.xreplace({i: row}), n, TWIN_SIZE, [x]) for row in range(1, TWIN_SIZE + 1)]
    )

    def not_constant(x: np.ndarray) -> np.ndarray:
        with np.errstate(all="ignore"):
            return representable(squared_deviations(x))

    twins = (
        Twin(
            name="z-scores",
            formula=Formula(sp.Symbol("z"), scores_formula),
            args=(Arg("x", xs),),
            reference=Reference("scipy.stats.zscore", lambda x: sps.zscore(x, axis=-1)),
            sample=lambda rng, count: {"x": rng.normal(5.0, 3.0, size=(count, TWIN_SIZE))},
            domain="data that are not all equal (s > 0); NaN otherwise",
            valid=not_constant,
            rtol=1e-10,
            atol=1e-12,
        ),
        Twin(
            name="standardised value",
            formula=Formula(sp.Symbol("z"), (value - mu) / sigma),
            args=(Arg("x", value), Arg("mu", mu), Arg("sigma", sigma)),
            reference=Reference(
                "scipy.stats.norm(mu, sigma) tail probability of x mapped back by the standard "
                "normal's inverse",
                _z_by_quantiles,
            ),
            sample=_values,
            domain="σ > 0; NaN otherwise",
            valid=lambda x, mu, sigma: sigma > 0,
            rtol=1e-10,
            atol=1e-8,
        ),
    )

    return ENTRY.derivation(
        symbols=(
            Var(X, "a random variable with finite, positive variance (any distribution)"),
            Var(N, "a normal random variable"),
            Var(mu, "its mean"),
            Var(sigma, "its standard deviation", Domain.POSITIVE),
            Var(value, "a value to standardise"),
            Var(x, "the data x₁, …, xₙ (not all equal)"),
            Var(n, "the number of data points", Domain.COUNT),
        ),
        steps=steps,
        results=results,
        twins=twins,
        sizes=sizes(n),
        assumptions=("σ > 0 (data not all equal)",),
        intuition=(
            "Standardising re-expresses each value as 'how many standard deviations from the "
            "mean'. Subtracting the mean slides the data so that it balances at zero; dividing "
            "by the standard deviation rescales the spread to one unit. Nothing about the "
            "shape changes, only location and scale, so features measured in metres and in "
            "millimetres become directly comparable, and optimisers see a better-conditioned "
            "problem."
        ),
        interview=interview,
        mistakes=(
            Mistake(
                (value - mu) / sigma,
                (value - mu) / sigma**2,
                "Divide by the standard deviation σ, not the variance σ².",
                name="divided by the variance",
            ),
            Mistake(
                (value - mu) / sigma,
                value / sigma - mu,
                "Subtract the mean before scaling: (x − μ)/σ = x/σ − μ/σ.",
                name="mean not scaled",
            ),
            Mistake(
                (value - mu) / sigma,
                (value - mu) / sp.sqrt(sigma),
                "σ is already the standard deviation; do not take its square root again.",
                name="square root of σ",
            ),
            Mistake(
                total(((x[i] - xbar) / s_unbiased) ** 2, n) / n,
                1,
                "With the n − 1 standard deviation the z-scores' mean square is (n − 1)/n, not 1.",
                name="mixed n and n − 1",
            ),
        ),
        notes=(
            "scipy.stats.zscore and np.std divide by n by default (ddof=0); pandas' std "
            "divides by n − 1.",
        ),
    )
