"""The Bernoulli distribution: E X = p, Var X = p(1 − p), and the MLE p̂ = k/n.

>>> build().results[2].rhs
-p*(p - 1)
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import sympy as sp
from sympy import stats
from sympy.stats.frv_types import BernoulliDistribution

from derive.catalog.common import decimal, fmt
from derive.catalog.entry import Entry, Exercise, Picture
from derive.catalog.parts import Parts
from derive.catalog.probability_statistics.helpers import IIDExpectation, SampleMean
from derive.catalog.steps import given, identity, le, stationary
from derive.core import lazy
from derive.core.model import Domain, Formula, Interview, Mistake, Step, Topic, Var
from derive.numeric.derivation import Derivation
from derive.numeric.twin import Arg, Reference, Twin

optimize = lazy.module("scipy.optimize")
sps = lazy.module("scipy.stats")

ENTRY = Entry(
    id="bernoulli",
    topic=Topic.PROBABILITY_STATISTICS,
    title="Bernoulli distribution: mean, variance, maximum likelihood",
    plot=Picture(
        caption=(
            "The variance p(1 − p) of a Bernoulli variable: zero when the outcome is certain, "
            "largest at p = ½."
        ),
        drawing="bernoulli_variance",
    ),
    exercise=Exercise(
        question=(
            r"$X$ is a Bernoulli variable: $X = 1$ with probability $p$, else $X = 0$. "
            r"Compute its variance ${lhs}$ for {given}."
        ),
        lhs=r"\operatorname{Var}(X)",
        twin="variance",
    ),
    widget="probability.distributions",
)

P, E, V = stats.Probability, stats.Expectation, stats.Variance

INTUITION = (
    "A Bernoulli variable is a single yes/no trial. Its mean is simply the chance of "
    "yes. Its variance p(1 − p) is largest for a fair coin and vanishes when the outcome "
    "is certain. Maximum likelihood asks which p makes the observed sequence most "
    "probable; balancing the pull of the k successes (towards 1) against the m "
    "failures (towards 0) lands on the observed fraction k/n, and averaging n "
    "independent trials shrinks the variance by n."
)


def _mle_by_optimisation(k: np.ndarray, m: np.ndarray) -> np.ndarray:
    """Maximise the Bernoulli log-likelihood of k ones and m zeros numerically."""
    data = np.r_[np.ones(int(k)), np.zeros(int(m))]
    result = optimize.minimize_scalar(
        lambda p: -float(sps.bernoulli.logpmf(data, p).sum()),
        bounds=(1e-9, 1 - 1e-9),
        method="bounded",
        options={"xatol": 1e-12},
    )
    return np.array(result.x)


def _variance_of_proportion(p: np.ndarray, n: np.ndarray) -> np.ndarray:
    """Var(K/n) for K binomial(n, p), summing over every k with scipy's pmf."""
    size = round(float(n))
    k = np.arange(size + 1)
    pmf = sps.binom.pmf(k, size, float(p))
    mean = pmf @ (k / size)
    return np.array(pmf @ (k / size - mean) ** 2)


def _unit(rng: np.random.Generator, count: int) -> np.ndarray:
    return rng.uniform(0.01, 0.99, size=count)


class _Parts(Parts):
    """The symbols, the moments and the likelihood every part of the derivation is built from."""

    intuition = INTUITION
    assumptions = ("0 < p < 1", "k, m ≥ 1 for an interior maximum")

    def __init__(self) -> None:
        self.p = p = sp.Symbol("p", positive=True)
        self.X = X = stats.Bernoulli("X", p)
        k, m, n = sp.symbols("k m n", integer=True, positive=True)
        self.k, self.m, self.n = k, m, n
        self.j = j = sp.Symbol("j", integer=True, nonnegative=True)  # a value of X
        # The pmf from the two values: p^j (1 − p)^(1 − j) on {0, 1}, zero elsewhere.
        self.pmf = sp.Piecewise((p**j * (1 - p) ** (1 - j), sp.Eq(j, 0) | sp.Eq(j, 1)), (0, True))
        self.variance = sp.factor(stats.E(X**2) - stats.E(X) ** 2)

        self.likelihood = p**k * (1 - p) ** m
        self.log_likelihood = sp.expand_log(sp.log(self.likelihood), force=True)
        self.score = sp.diff(self.log_likelihood, p)
        self.cleared = sp.expand(sp.cancel(self.score * p * (1 - p)))
        self.mle = sp.solve(self.cleared, p)[0]
        self.curvature = sp.diff(self.log_likelihood, p, 2)

        self.X_ = sp.IndexedBase("X", real=True)
        self.p_hat = SampleMean(self.X_, self.n)
        self.population = BernoulliDistribution(p, 1, 0)

    def E_sample(self, statistic: sp.Expr) -> IIDExpectation:
        """E[statistic] over n independent trials."""
        return IIDExpectation(statistic, self.X_, self.n, self.population)

    def var_p_hat(self) -> sp.Expr:
        """Var p̂ written as E[p̂²] − (E p̂)²."""
        return self.E_sample(self.p_hat**2) - self.E_sample(self.p_hat) ** 2

    def symbols(self) -> tuple[Var, ...]:
        return (
            Var(self.X, "a Bernoulli variable: 1 with probability p, else 0"),
            Var(self.p, "the success probability", Domain.PROBABILITY),
            Var(self.j, "a value of X", Domain.COUNT),
            Var(self.k, "the number of ones observed", Domain.COUNT),
            Var(self.m, "the number of zeros observed", Domain.COUNT),
            Var(self.n, "the number of trials", Domain.COUNT),
            Var(self.X_, "the outcomes X₁, …, Xₙ of independent trials"),
        )

    def moment_steps(self) -> tuple[Step, ...]:
        p, X = self.p, self.X
        by_values = sp.Add(
            sp.Mul(0, 1 - p, evaluate=False), sp.Mul(1, p, evaluate=False), evaluate=False
        )
        return (
            identity(
                P(sp.Eq(X, self.j)),
                self.pmf,
                "X is 1 with probability p and 0 with probability 1 − p: one formula for both "
                "values, zero elsewhere.",
            ),
            identity(
                E(X),
                by_values,
                "X is 1 with probability p and 0 otherwise: weight each value by its probability.",
            ),
            Step(rhs=p, why="So the mean is p."),
            identity(E(X**2), p, "X² = X for a 0/1 variable."),
            identity(V(X), E(X**2) - E(X) ** 2, "Variance shortcut E[X²] − (E X)² …"),
            Step(rhs=p - p**2, why="… = p − p² …"),
            Step(rhs=self.variance, why="… = p(1 − p): largest at p = 1/2, zero at p = 0 or 1."),
        )

    def likelihood_steps(self) -> tuple[Step, ...]:
        p, likelihood, log_likelihood = self.p, self.likelihood, self.log_likelihood
        return (
            given(
                sp.Function("ell")(p),
                sp.log(likelihood),
                "Data: k ones and m zeros in n = k + m independent trials. The likelihood is "
                "p^k (1 − p)^m; take its logarithm.",
            ),
            identity(sp.log(likelihood), log_likelihood, "The log turns the product into a sum."),
            identity(
                sp.Derivative(log_likelihood, p),
                self.score,
                "Differentiate (chain rule on log(1 − p) gives the minus sign).",
            ),
            *stationary(
                self.score,
                self.cleared,
                p * (1 - p),
                p,
                self.mle,
                (
                    "At the maximum the derivative vanishes.",
                    "Multiply by p(1 − p) ≠ 0.",
                    "Solve: p̂ = k/(k + m) = k/n.",
                ),
            ),
            le(
                self.curvature,
                0,
                "The second derivative is negative for 0 < p < 1: a maximum.",
            ),
            identity(
                self.E_sample(self.p_hat),
                p,
                "p̂ is the sample mean of the 0/1 outcomes, so it is unbiased. Proven for "
                "symbolic n.",
            ),
            identity(
                self.var_p_hat(),
                self.variance / self.n,
                "Its variance is p(1 − p)/n, the square of its standard error. Proven for "
                "symbolic n.",
            ),
        )

    def results(self) -> tuple[Formula, ...]:
        p, X = self.p, self.X
        return (
            Formula(P(sp.Eq(X, self.j)), self.pmf, name="pmf"),
            Formula(E(X), p, name="mean"),
            Formula(V(X), self.variance, name="variance"),
            Formula(p, self.mle, name="MLE"),
            Formula(self.var_p_hat(), self.variance / self.n, name="Var p̂"),
        )

    def interview(self) -> Interview:
        heads, tails = 7, 3
        estimate = self.mle.xreplace({self.k: heads, self.m: tails})
        standard_error = sp.sqrt(
            (self.variance / self.n).xreplace({self.p: estimate, self.n: heads + tails})
        )
        return Interview(
            question="A coin lands heads 7 times in 10 flips. Derive the maximum-likelihood "
            "estimate of p and its standard error. What are the mean and variance of one flip?",
            answer=(
                "ℓ(p) = 7 log p + 3 log(1 − p); ℓ′(p) = 7/p − 3/(1 − p) = 0 gives "
                f"p̂ = 7/10 = {fmt(estimate)} (and ℓ″ < 0, so it is a maximum). One flip has "
                "mean p and variance p(1 − p); p̂ averages 10 flips, so Var p̂ = p(1 − p)/10 and "
                f"the standard error is √(0.7·0.3/10) = {fmt(standard_error)} ≈ "
                f"{decimal(standard_error, 3)}."
            ),
        )

    def twins(self, results: tuple[Formula, ...]) -> tuple[Twin, ...]:
        p, X, k, m, n = self.p, self.X, self.k, self.m, self.n
        mean = Twin(
            name="mean",
            formula=Formula(E(X), p),
            args=(Arg("p", p),),
            reference=Reference("scipy.stats.bernoulli.mean", lambda p: sps.bernoulli.mean(p)),
            sample=lambda rng, count: {"p": _unit(rng, count)},
            domain="0 ≤ p ≤ 1; NaN outside",
            valid=lambda p: (p >= 0) & (p <= 1),
            rtol=1e-12,
        )
        pmf = Twin(
            name="pmf",
            formula=Formula(P(sp.Eq(X, self.j)), self.pmf),
            args=(Arg("k", self.j), Arg("p", p)),
            reference=Reference("scipy.stats.bernoulli.pmf", lambda k, p: sps.bernoulli.pmf(k, p)),
            sample=lambda rng, count: {
                "k": rng.integers(0, 3, size=count).astype(float),
                "p": _unit(rng, count),
            },
            domain="0 ≤ p ≤ 1; NaN outside (the pmf is 0 off {0, 1})",
            valid=lambda k, p: (p >= 0) & (p <= 1),
            rtol=1e-12,
        )
        variance = replace(
            mean,
            name="variance",
            formula=Formula(V(X), self.variance),
            reference=Reference("scipy.stats.bernoulli.var", lambda p: sps.bernoulli.var(p)),
        )
        mle = Twin(
            name="maximum-likelihood estimate",
            formula=Formula(p, self.mle),
            args=(Arg("k", k), Arg("m", m)),
            reference=Reference(
                "scipy.optimize.minimize_scalar of −Σ bernoulli.logpmf",
                _mle_by_optimisation,
                kind="optimisation",
                batched=False,
            ),
            sample=lambda rng, count: {
                "k": rng.integers(1, 40, size=count).astype(float),
                "m": rng.integers(1, 40, size=count).astype(float),
            },
            domain="k, m ≥ 1 successes and failures (with k = 0 or m = 0 the maximum is at "
            "the boundary p = 0 or 1)",
            valid=lambda k, m: (k >= 1) & (m >= 1),
            rtol=1e-6,  # bounded Brent: 3e-8 seen
            atol=1e-9,
        )
        proportion = Twin(
            name="variance of the proportion",
            formula=Formula(sp.Symbol("Var_phat"), self.variance / n),
            args=(Arg("p", p), Arg("n", n)),
            reference=Reference(
                "summing (k/n − E)² over k with scipy.stats.binom.pmf",
                _variance_of_proportion,
                kind="enumeration",
                batched=False,
            ),
            sample=lambda rng, count: {
                "p": _unit(rng, count),
                "n": rng.integers(1, 60, size=count).astype(float),
            },
            domain="0 ≤ p ≤ 1, integer n ≥ 1; NaN outside",
            valid=lambda p, n: (p >= 0) & (p <= 1) & (n >= 1) & (n == np.round(n)),
            rtol=1e-10,
            atol=1e-14,
        )
        return (mean, pmf, variance, mle, proportion)

    def mistakes(self) -> tuple[Mistake, ...]:
        p, X, k, m = self.p, self.X, self.k, self.m
        return (
            Mistake(V(X), p, "p is the mean; the variance is p(1 − p).", name="variance = p"),
            Mistake(
                E(X**2),
                p**2,
                "X² = X for a 0/1 variable, so E[X²] = p, not (E X)².",
                name="E[X²] = p²",
            ),
            Mistake(
                self.mle,
                k / m,
                "k/m is the odds (successes per failure); the MLE is the fraction k/(k + m).",
                name="odds for probability",
            ),
            Mistake(
                sp.Derivative(self.log_likelihood, p),
                k / p + m / (1 - p),
                "d/dp log(1 − p) = −1/(1 − p): the chain rule brings a minus sign.",
                name="chain-rule sign",
            ),
            Mistake(
                self.var_p_hat(),
                self.variance,
                "Averaging n independent trials divides the variance by n.",
                name="Var p̂ = p(1 − p)",
            ),
        )

    def steps(self) -> tuple[Step, ...]:
        return self.moment_steps() + self.likelihood_steps()


def build() -> Derivation:
    """Build the derivation."""
    return _Parts().derivation(ENTRY)
