"""The Bernoulli distribution: E X = p, Var X = p(1 − p), and the MLE p̂ = k/n.

>>> build().results[2].rhs
p*(1 - p)
"""

from __future__ import annotations

import numpy as np
import sympy as sp
from scipy import optimize
from scipy import stats as sps
from sympy import stats
from sympy.stats.frv_types import BernoulliDistribution

from derive.catalog.common import decimal, fmt
from derive.catalog.entry import Entry
from derive.catalog.probability_statistics.helpers import IIDExpectation, SampleMean
from derive.core.model import Domain, Formula, Interview, Mistake, Rel, Step, Topic, Var
from derive.numeric.derivation import Derivation
from derive.numeric.twin import Arg, Reference, Twin

ENTRY = Entry(
    id="bernoulli",
    topic=Topic.PROBABILITY_STATISTICS,
    title="Bernoulli distribution: mean, variance, maximum likelihood",
    widget="probability.distributions",
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


def build() -> Derivation:
    """Build the derivation."""
    P, E, V = stats.Probability, stats.Expectation, stats.Variance
    p = sp.Symbol("p", positive=True)
    X = stats.Bernoulli("X", p)
    k, m, n = sp.symbols("k m n", integer=True, positive=True)
    j = sp.Symbol("j", integer=True, nonnegative=True)  # a value of X
    # The pmf from the two values: p^j (1 − p)^(1 − j) on {0, 1}, zero elsewhere.
    pmf = sp.Piecewise((p**j * (1 - p) ** (1 - j), sp.Eq(j, 0) | sp.Eq(j, 1)), (0, True))

    by_values = sp.Add(
        sp.Mul(0, 1 - p, evaluate=False), sp.Mul(1, p, evaluate=False), evaluate=False
    )
    variance = sp.factor(stats.E(X**2) - stats.E(X) ** 2)

    likelihood = p**k * (1 - p) ** m
    log_likelihood = sp.expand_log(sp.log(likelihood), force=True)
    score = sp.diff(log_likelihood, p)
    cleared = sp.expand(sp.cancel(score * p * (1 - p)))
    mle = sp.solve(cleared, p)[0]
    curvature = sp.diff(log_likelihood, p, 2)

    X_ = sp.IndexedBase("X", real=True)
    p_hat = SampleMean(X_, n)
    population = BernoulliDistribution(p, 1, 0)

    def E_sample(statistic: sp.Expr) -> IIDExpectation:
        return IIDExpectation(statistic, X_, n, population)

    steps = (
        Step(
            lhs=P(sp.Eq(X, j)),
            rhs=pmf,
            rel=Rel.IDENTITY,
            why="X is 1 with probability p and 0 with probability 1 − p: one formula for both "
            "values, zero elsewhere.",
        ),
        Step(
            lhs=E(X),
            rhs=by_values,
            rel=Rel.IDENTITY,
            why="X is 1 with probability p and 0 otherwise: weight each value by its probability.",
        ),
        Step(rhs=p, why="So the mean is p."),
        Step(lhs=E(X**2), rhs=p, rel=Rel.IDENTITY, why="X² = X for a 0/1 variable."),
        Step(
            lhs=V(X),
            rhs=E(X**2) - E(X) ** 2,
            rel=Rel.IDENTITY,
            why="Variance shortcut E[X²] − (E X)² …",
        ),
        Step(rhs=p - p**2, why="… = p − p² …"),
        Step(rhs=variance, why="… = p(1 − p): largest at p = 1/2, zero at p = 0 or 1."),
        Step(
            lhs=sp.Function("ell")(p),
            rhs=sp.log(likelihood),
            rel=Rel.GIVEN,
            why="Data: k ones and m zeros in n = k + m independent trials. The likelihood is "
            "p^k (1 − p)^m; take its logarithm.",
        ),
        Step(
            lhs=sp.log(likelihood),
            rhs=log_likelihood,
            rel=Rel.IDENTITY,
            why="The log turns the product into a sum.",
        ),
        Step(
            lhs=sp.Derivative(log_likelihood, p),
            rhs=score,
            rel=Rel.IDENTITY,
            why="Differentiate (chain rule on log(1 − p) gives the minus sign).",
        ),
        Step(lhs=score, rhs=0, rel=Rel.GIVEN, why="At the maximum the derivative vanishes."),
        Step(
            lhs=cleared,
            rhs=0,
            rel=Rel.IFF,
            by=p * (1 - p),
            why="Multiply by p(1 − p) ≠ 0.",
        ),
        Step(lhs=p, rhs=mle, rel=Rel.IMPLIES, why="Solve: p̂ = k/(k + m) = k/n."),
        Step(
            lhs=curvature,
            rhs=0,
            rel=Rel.LE,
            why="The second derivative is negative for 0 < p < 1: a maximum.",
        ),
        Step(
            lhs=E_sample(p_hat),
            rhs=p,
            rel=Rel.IDENTITY,
            why="p̂ is the sample mean of the 0/1 outcomes, so it is unbiased. Proven for "
            "symbolic n.",
        ),
        Step(
            lhs=E_sample(p_hat**2) - E_sample(p_hat) ** 2,
            rhs=variance / n,
            rel=Rel.IDENTITY,
            why="Its variance is p(1 − p)/n, the square of its standard error. Proven for "
            "symbolic n.",
        ),
    )
    results = (
        Formula(P(sp.Eq(X, j)), pmf, name="pmf"),
        Formula(E(X), p, name="mean"),
        Formula(V(X), variance, name="variance"),
        Formula(p, mle, name="MLE"),
        Formula(E_sample(p_hat**2) - E_sample(p_hat) ** 2, variance / n, name="Var p̂"),
    )

    heads, tails = 7, 3
    estimate = mle.xreplace({k: heads, m: tails})
    standard_error = sp.sqrt((variance / n).xreplace({p: estimate, n: heads + tails}))
    interview = Interview(
        question="A coin lands heads 7 times in 10 flips. Derive the maximum-likelihood "
        "estimate of p and its standard error. What are the mean and variance of one flip?",
        answer=(
            "ℓ(p) = 7 log p + 3 log(1 − p); ℓ′(p) = 7/p − 3/(1 − p) = 0 gives "
            f"p̂ = 7/10 = {fmt(estimate)} (and ℓ″ < 0, so it is a maximum). One flip has mean "
            "p and variance p(1 − p); p̂ averages 10 flips, so Var p̂ = p(1 − p)/10 and the "
            f"standard error is √(0.7·0.3/10) = {fmt(standard_error)} ≈ "
            f"{decimal(standard_error, 3)}."
        ),
    )

    twins = (
        Twin(
            name="mean",
            formula=Formula(E(X), p),
            args=(Arg("p", p),),
            reference=Reference("scipy.stats.bernoulli.mean", lambda p: sps.bernoulli.mean(p)),
            sample=lambda rng, count: {"p": _unit(rng, count)},
            domain="0 ≤ p ≤ 1; NaN outside",
            valid=lambda p: (p >= 0) & (p <= 1),
            rtol=1e-12,
        ),
        Twin(
            name="pmf",
            formula=Formula(P(sp.Eq(X, j)), pmf),
            args=(Arg("k", j), Arg("p", p)),
            reference=Reference("scipy.stats.bernoulli.pmf", lambda k, p: sps.bernoulli.pmf(k, p)),
            sample=lambda rng, count: {
                "k": rng.integers(0, 3, size=count).astype(float),
                "p": _unit(rng, count),
            },
            domain="0 ≤ p ≤ 1; NaN outside (the pmf is 0 off {0, 1})",
            valid=lambda k, p: (p >= 0) & (p <= 1),
            rtol=1e-12,
        ),
        Twin(
            name="variance",
            formula=Formula(V(X), variance),
            args=(Arg("p", p),),
            reference=Reference("scipy.stats.bernoulli.var", lambda p: sps.bernoulli.var(p)),
            sample=lambda rng, count: {"p": _unit(rng, count)},
            domain="0 ≤ p ≤ 1; NaN outside",
            valid=lambda p: (p >= 0) & (p <= 1),
            rtol=1e-12,
        ),
        Twin(
            name="maximum-likelihood estimate",
            formula=Formula(p, mle),
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
        ),
        Twin(
            name="variance of the proportion",
            formula=Formula(sp.Symbol("Var_phat"), variance / n),
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
        ),
    )

    return ENTRY.derivation(
        symbols=(
            Var(X, "a Bernoulli variable: 1 with probability p, else 0"),
            Var(p, "the success probability", Domain.PROBABILITY),
            Var(j, "a value of X", Domain.COUNT),
            Var(k, "the number of ones observed", Domain.COUNT),
            Var(m, "the number of zeros observed", Domain.COUNT),
            Var(n, "the number of trials", Domain.COUNT),
            Var(X_, "the outcomes X₁, …, Xₙ of independent trials"),
        ),
        steps=steps,
        results=results,
        twins=twins,
        assumptions=("0 < p < 1", "k, m ≥ 1 for an interior maximum"),
        intuition=(
            "A Bernoulli variable is a single yes/no trial. Its mean is simply the chance of "
            "yes. Its variance p(1 − p) is largest for a fair coin and vanishes when the outcome "
            "is certain. Maximum likelihood asks which p makes the observed sequence most "
            "probable; balancing the pull of the k successes (towards 1) against the m "
            "failures (towards 0) lands on the observed fraction k/n, and averaging n "
            "independent trials shrinks the variance by n."
        ),
        interview=interview,
        mistakes=(
            Mistake(V(X), p, "p is the mean; the variance is p(1 − p).", name="variance = p"),
            Mistake(
                E(X**2),
                p**2,
                "X² = X for a 0/1 variable, so E[X²] = p, not (E X)².",
                name="E[X²] = p²",
            ),
            Mistake(
                mle,
                k / m,
                "k/m is the odds (successes per failure); the MLE is the fraction k/(k + m).",
                name="odds for probability",
            ),
            Mistake(
                sp.Derivative(log_likelihood, p),
                k / p + m / (1 - p),
                "d/dp log(1 − p) = −1/(1 − p): the chain rule brings a minus sign.",
                name="chain-rule sign",
            ),
            Mistake(
                E_sample(p_hat**2) - E_sample(p_hat) ** 2,
                variance,
                "Averaging n independent trials divides the variance by n.",
                name="Var p̂ = p(1 − p)",
            ),
        ),
    )
