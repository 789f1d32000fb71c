"""The binomial distribution: the pmf sums to 1, E X = np and Var X = np(1 − p), as a sum of n
independent Bernoulli trials.

>>> build().results[1].rhs
n*p
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
from derive.catalog.probability_statistics.helpers import INDEX, IIDExpectation, sizes, total
from derive.catalog.steps import given, identity
from derive.core import lazy
from derive.core.model import Domain, Formula, Interview, Mistake, Step, Topic, Var
from derive.numeric.derivation import Derivation
from derive.numeric.twin import Arg, Reference, Twin

sps = lazy.module("scipy.stats")

ENTRY = Entry(
    id="binomial",
    topic=Topic.PROBABILITY_STATISTICS,
    title="Binomial distribution: pmf, mean and variance",
    plot=Picture(
        caption=(
            "Binomial probabilities for 12 trials and three success rates, each centred on "
            "its mean np."
        ),
        drawing="binomial_pmfs",
    ),
    exercise=Exercise(
        question=(
            r"$X$ counts the successes in $n$ independent trials, each a success with "
            r"probability $p$. Compute ${lhs}$ for {given}."
        ),
    ),
    widget="probability.distributions",
)

P, E, V = stats.Probability, stats.Expectation, stats.Variance

INTUITION = (
    "A binomial count is n coin flips added up. Any one arrangement of k heads has "
    "probability p^k (1 − p)^(n − k), and there are C(n, k) arrangements; summing over "
    "k is just expanding (p + (1 − p))^n = 1. Because the count is a sum of "
    "independent trials, both the mean and the variance add up trial by trial: np and "
    "np(1 − p). The spread grows like √n while the mean grows like n, which is why "
    "proportions settle down as n grows."
)
NOTES = (
    "sympy.stats cannot evaluate a binomial with a symbolic number of trials, so the "
    "steps quoting it are confirmed at n = 2, …, 6; the mean and variance are proven "
    "for symbolic n as sums of Bernoulli trials.",
)


def _trials(rng: np.random.Generator, count: int) -> dict[str, np.ndarray]:
    n = rng.integers(1, 40, size=count)
    return {
        "k": np.floor(rng.uniform(0, n + 1)).astype(float),
        "n": n.astype(float),
        "p": rng.uniform(0.02, 0.98, size=count),
    }


def _parameters(rng: np.random.Generator, count: int) -> dict[str, np.ndarray]:
    return {
        "n": rng.integers(1, 200, size=count).astype(float),
        "p": rng.uniform(0.0, 1.0, size=count),
    }


def _valid_parameters(n: np.ndarray, p: np.ndarray) -> np.ndarray:
    return (n >= 0) & (n == np.round(n)) & (p >= 0) & (p <= 1)


class _Parts(Parts):
    """The symbols, the pmf and the moments every part of the derivation is built from."""

    intuition = INTUITION
    assumptions = ("0 < p < 1", "n independent, identical trials")
    notes = NOTES

    def __init__(self) -> None:
        self.n = n = sp.Symbol("n", integer=True, positive=True)
        self.k = k = sp.Symbol("k", integer=True, positive=True)
        self.j = j = sp.Symbol("j", integer=True, nonnegative=True)
        self.p = p = sp.Symbol("p", positive=True)
        self.X = stats.Binomial("X", n, p)
        self.B = sp.IndexedBase("B", real=True)
        self.trial = BernoulliDistribution(p, 1, 0)
        self.successes = total(self.B[INDEX], n)
        self.pmf = sp.binomial(n, k) * p**k * (1 - p) ** (n - k)
        self.pmf_j = self.pmf.xreplace({k: j})
        self.mean = sp.factor(self.E_trials(self.successes).doit())
        self.variance = sp.factor_terms(
            self.E_trials(self.successes**2).doit() - self.E_trials(self.successes).doit() ** 2
        )

    def E_trials(self, statistic: sp.Expr) -> IIDExpectation:
        """E[statistic] over the n independent trials."""
        return IIDExpectation(statistic, self.B, self.n, self.trial)

    def symbols(self) -> tuple[Var, ...]:
        return (
            Var(self.X, "the number of successes in n trials"),
            Var(self.B, "the trials B₁, …, Bₙ, independent Bernoulli(p)"),
            Var(self.n, "the number of trials", Domain.COUNT),
            Var(self.k, "a number of successes", Domain.COUNT),
            Var(self.j, "a summation index over 0, …, n"),
            Var(self.p, "the success probability", Domain.PROBABILITY),
        )

    def steps(self) -> tuple[Step, ...]:
        n, k, j, p, X = self.n, self.k, self.j, self.p, self.X
        successes, mean, variance = self.successes, self.mean, self.variance
        E_trials = self.E_trials
        return (
            given(
                sp.Symbol("X"),
                successes,
                "X counts the successes in n independent trials B₁, …, Bₙ, each 1 with "
                "probability p.",
            ),
            identity(
                P(sp.Eq(X, k)),
                self.pmf,
                "A particular sequence with k successes has probability p^k (1 − p)^(n − k), "
                "and C(n, k) sequences have k successes. Checked against sympy.stats at "
                "n = 2, …, 6.",
            ),
            identity(
                sp.Sum(self.pmf_j, (j, 0, n)),
                (p + (1 - p)) ** n,
                "Sum over k: the binomial theorem for (p + (1 − p))^n. Checked at n = 2, …, 6.",
            ),
            Step(rhs=sp.Integer(1), why="So the probabilities add up to 1."),
            identity(
                E_trials(successes),
                mean,
                "Mean: linearity, n trials of mean p each. Proven for symbolic n.",
            ),
            identity(
                E_trials(successes**2) - E_trials(successes) ** 2,
                variance,
                "Variance: the trials are independent, so their variances p(1 − p) add. Proven "
                "for symbolic n.",
            ),
            identity(
                E(X),
                mean,
                "The same mean from the pmf: sympy.stats sums k·P(X = k). Checked at n = 2, …, 6.",
            ),
            identity(V(X), variance, "And the same variance. Checked at n = 2, …, 6."),
        )

    def results(self) -> tuple[Formula, ...]:
        X, k, n, j = self.X, self.k, self.n, self.j
        return (
            Formula(P(sp.Eq(X, k)), self.pmf, name="pmf"),
            Formula(E(X), self.mean, name="mean"),
            Formula(V(X), self.variance, name="variance"),
            Formula(sp.Sum(self.pmf_j, (j, 0, n)), sp.Integer(1), name="total probability"),
        )

    def interview(self) -> Interview:
        n, p, k, pmf = self.n, self.p, self.k, self.pmf
        example = {n: 10, p: sp.Rational(1, 2), k: 7}
        at_least = sum(pmf.xreplace({**example, k: value}) for value in range(7, 11))
        return Interview(
            question="A fair coin is flipped 10 times. What are the mean and variance of the "
            "number of heads, and the probability of exactly 7 heads? Of at least 7?",
            answer=(
                f"Mean np = {fmt(self.mean.xreplace(example))}, variance np(1 − p) = "
                f"{fmt(self.variance.xreplace(example))} (sum of 10 independent trials of "
                f"variance 1/4). P(X = 7) = C(10, 7)/2¹⁰ = {fmt(pmf.xreplace(example))} ≈ "
                f"{decimal(pmf.xreplace(example), 3)}; P(X ≥ 7) = (120 + 45 + 10 + 1)/1024 = "
                f"{fmt(at_least)} ≈ {decimal(at_least, 3)}."
            ),
        )

    def twins(self, results: tuple[Formula, ...]) -> tuple[Twin, ...]:
        k, n, p, X = self.k, self.n, self.p, self.X
        mean = Twin(
            name="mean",
            formula=Formula(E(X), self.mean),
            args=(Arg("n", n), Arg("p", p)),
            reference=Reference("scipy.stats.binom.mean", lambda n, p: sps.binom.mean(n, p)),
            sample=_parameters,
            domain="integer n ≥ 0, 0 ≤ p ≤ 1; NaN outside",
            valid=_valid_parameters,
            rtol=1e-12,
        )
        return (
            Twin(
                name="pmf",
                formula=Formula(P(sp.Eq(X, k)), self.pmf),
                args=(Arg("k", k), Arg("n", n), Arg("p", p)),
                reference=Reference(
                    "scipy.stats.binom.pmf", lambda k, n, p: sps.binom.pmf(k, n, p)
                ),
                sample=_trials,
                domain="integer 0 ≤ k ≤ n, 0 ≤ p ≤ 1; NaN outside",
                valid=lambda k, n, p: (
                    (k >= 0)
                    & (k <= n)
                    & (k == np.round(k))
                    & (n == np.round(n))
                    & (p >= 0)
                    & (p <= 1)
                ),
                rtol=1e-10,
                atol=1e-300,
            ),
            mean,
            replace(
                mean,
                name="variance",
                formula=Formula(V(X), self.variance),
                reference=Reference("scipy.stats.binom.var", lambda n, p: sps.binom.var(n, p)),
            ),
        )

    def mistakes(self) -> tuple[Mistake, ...]:
        n, k, p, X = self.n, self.k, self.p, self.X
        return (
            Mistake(
                V(X),
                n * p,
                "np is the mean; the variance has the extra factor 1 − p.",
                name="variance = np",
            ),
            Mistake(
                V(X),
                n**2 * p * (1 - p),
                "n² p(1 − p) is the variance of n times one trial; independent trials add "
                "their variances, giving n p(1 − p).",
                name="variance of n copies",
            ),
            Mistake(
                P(sp.Eq(X, k)),
                p**k * (1 - p) ** (n - k),
                "That is one particular sequence; C(n, k) sequences have k successes.",
                name="binomial coefficient forgotten",
            ),
            Mistake(
                P(sp.Eq(X, k)),
                sp.binomial(n, k) * p ** (n - k) * (1 - p) ** k,
                "p goes with the k successes and 1 − p with the n − k failures.",
                name="exponents swapped",
            ),
            Mistake(E(X), p, "p is the mean of one trial; n trials give np.", name="mean = p"),
        )

    def sizes(self) -> tuple[dict[sp.Symbol, int], ...]:
        return sizes(self.n)


def build() -> Derivation:
    """Build the derivation."""
    return _Parts().derivation(ENTRY)
