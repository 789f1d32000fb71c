"""Bessel's correction: E[Σ(Xᵢ − X̄)²] = (n − 1)σ², so dividing by n − 1 is unbiased.

>>> build().result.rhs
sigma**2*(n - 1)
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import replace

import numpy as np
import sympy as sp

from derive.catalog.common import fmt
from derive.catalog.entry import Entry, Exercise, Picture
from derive.catalog.parts import Check, Parts
from derive.catalog.probability_statistics.helpers import (
    INDEX,
    IIDExpectation,
    SampleMean,
    at_size,
    entry_symbols,
    normal,
    sizes,
    total,
)
from derive.catalog.steps import identity
from derive.core.model import Domain, Formula, Interview, Mistake, Step, Topic, Var
from derive.numeric.derivation import Derivation
from derive.numeric.twin import Arg, Reference, Twin

ENTRY = Entry(
    id="bessel-correction",
    topic=Topic.PROBABILITY_STATISTICS,
    title="Bessel's correction: why the sample variance divides by n - 1",
    plot=Picture(
        caption=(
            "The expected variance estimate over the sample size: dividing by n falls short "
            "by the factor (n − 1)/n, dividing by n − 1 does not."
        ),
        drawing="bessel_bias",
    ),
    exercise=Exercise(
        question=(
            r"$X_1, \dots, X_n$ are independent with variance $\sigma^2$ and mean "
            r"$\bar{{X}}$, and $\hat{{\sigma}}^2 = \frac{{1}}{{n}} \sum_i (X_i - "
            r"\bar{{X}})^2$ divides by $n$. Compute its expected value ${lhs}$ for {given}."
        ),
        lhs=r"\operatorname{E}[\hat{\sigma}^{2}]",
    ),
)

TWIN_SIZE = 5
# An asymmetric three-point population (mean 0, variance 1 after scaling) for exact
# enumeration of every possible sample.
_SUPPORT = np.array([-1.0, 0.0, 2.0])
_WEIGHTS = np.array([0.3, 0.5, 0.2])
_MEAN = float(_SUPPORT @ _WEIGHTS)
_SD = float(np.sqrt(((_SUPPORT - _MEAN) ** 2) @ _WEIGHTS))

ASSUMPTIONS = (
    "X₁, …, Xₙ independent with mean μ and variance σ² (the symbolic steps draw them "
    "from a normal population; only E[X] = μ and E[X²] = σ² + μ² enter, so any "
    "population with that mean and variance gives the same)",
    "n ≥ 2 for dividing by n − 1",
)
INTUITION = (
    "The sample mean X̄ is the point closest to the data in squared distance, closer "
    "than the true mean μ. So the squared deviations from X̄ are systematically "
    "smaller than those from μ, and their sum falls short by exactly one σ² on average: "
    "the data spent one degree of freedom on estimating the mean. Dividing by n − 1 "
    "instead of n makes up the shortfall exactly. With n = 2 the effect is a factor of "
    "two; with n = 1000 it hardly matters."
)
NOTES = (
    "Expectations over the sample are proven for symbolic n (linearity and "
    "independence, with moments from sympy.stats) and confirmed by writing the sample "
    "out at n = 2, …, 6.",
)


def _enumerated_variance(n: np.ndarray, sigma: np.ndarray, ddof: int) -> np.ndarray:
    """E[np.var(sample, ddof)] over every one of the 3ⁿ samples of size n, exactly weighted."""
    size = round(float(n))
    values = (_SUPPORT - _MEAN) / _SD * float(sigma) + 1.7
    samples = np.array(list(itertools.product(values, repeat=size)))
    weights = np.prod(np.array(list(itertools.product(_WEIGHTS, repeat=size))), axis=1)
    return np.array(weights @ np.var(samples, axis=1, ddof=ddof))


def _sizes_and_sigmas(rng: np.random.Generator, count: int) -> dict[str, np.ndarray]:
    return {
        "n": rng.integers(2, 7, size=count).astype(float),
        "sigma": rng.uniform(0.2, 5.0, size=count),
    }


def _enumeration(ddof: int) -> Reference:
    """E[np.var(ddof)] by enumerating every sample of the skewed three-point population."""
    return Reference(
        "exact enumeration of all 3ⁿ samples of a skewed three-point population, "
        f"np.var(ddof={ddof})",
        lambda n, sigma: _enumerated_variance(n, sigma, ddof),
        kind="enumeration",
        batched=False,
    )


def _monte_carlo(
    unbiased: float, biased: float
) -> Callable[[np.random.Generator], tuple[bool, str]]:
    """Seeded samples of n = 3, σ = 2: their variances average to the derived expectations."""

    def monte_carlo(rng: np.random.Generator) -> tuple[bool, str]:
        size, reps, sd = 3, 200_000, 2.0
        samples = rng.normal(1.0, sd, size=(reps, size))
        lines, ok = [], True
        for ddof, target in ((1, unbiased), (0, biased)):
            estimates = np.var(samples, axis=1, ddof=ddof)
            mean = float(estimates.mean())
            error = float(estimates.std(ddof=1) / np.sqrt(reps))
            ok &= abs(mean - target) < 4 * error
            lines.append(f"ddof={ddof}: {mean:.4f} ± {error:.4f} (derived {target:.4f})")
        return ok and abs(biased - unbiased) > 20 * error, (
            f"n = {size}, σ² = {sd**2:g}, {reps} seeded samples: "
            + "; ".join(lines)
            + f"; the two targets are {abs(biased - unbiased) / error:.0f} s.e. apart "
            "(tolerance 4 s.e.)"
        )

    return monte_carlo


class _Parts(Parts):
    """The sample, its sum of squared deviations and their expectations."""

    intuition = INTUITION
    assumptions = ASSUMPTIONS
    notes = NOTES

    def __init__(self) -> None:
        i = INDEX
        self.n = n = sp.Symbol("n", integer=True, positive=True)
        self.x = x = sp.IndexedBase("x", real=True)
        self.X = X = sp.IndexedBase("X", real=True)
        self.mu = mu = sp.Symbol("mu", real=True)
        self.sigma = sigma = sp.Symbol("sigma", positive=True)
        self.population = normal(mu, sigma)

        self.Xbar = Xbar = SampleMean(X, n)
        self.squares = total((X[i] - Xbar) ** 2, n)
        self.data_squares = total((x[i] - SampleMean(x, n)) ** 2, n)
        self.data_shortcut = total(x[i] ** 2, n) - n * SampleMean(x, n) ** 2

        self.one_draw = self.E(X[1] ** 2).doit()
        self.mean_square = self.E(Xbar**2).doit()
        self.expected = sp.factor(self.E(self.squares).doit())

    def E(self, statistic: sp.Expr) -> IIDExpectation:
        """E[statistic] over the sample."""
        return IIDExpectation(statistic, self.X, self.n, self.population)

    def symbols(self) -> tuple[Var, ...]:
        return (
            Var(self.X, "independent draws X₁, …, Xₙ from a population"),
            Var(self.x, "numbers x₁, …, xₙ"),
            Var(self.n, "the sample size", Domain.COUNT),
            Var(self.mu, "the population mean"),
            Var(self.sigma, "the population standard deviation", Domain.POSITIVE),
        )

    def steps(self) -> tuple[Step, ...]:
        E, X, Xbar, squares = self.E, self.X, self.Xbar, self.squares
        i, n, sigma = INDEX, self.n, self.sigma
        return (
            identity(
                self.data_squares,
                self.data_shortcut,
                "Algebra for any numbers: expand the square and use Σxᵢ = n x̄. Proven for "
                "symbolic n.",
            ),
            identity(
                E(Xbar),
                self.mu,
                "Now X₁, …, Xₙ are independent draws with mean μ and variance σ². The sample "
                "mean is unbiased for μ (linearity).",
            ),
            identity(E(X[1] ** 2), self.one_draw, "E[X²] = Var X + μ² for a single draw."),
            identity(
                E(Xbar**2) - E(Xbar) ** 2,
                sigma**2 / n,
                "Var X̄ = σ²/n: independence kills the n(n − 1) cross terms' covariances.",
            ),
            identity(
                E(squares),
                E(total(X[i] ** 2, n)) - n * E(Xbar**2),
                "Take expectations of the algebraic identity (linearity).",
            ),
            Step(
                rhs=n * E(X[1] ** 2) - n * E(Xbar**2),
                why="The draws are identically distributed: each E[Xᵢ²] is E[X₁²].",
            ),
            Step(
                rhs=n * self.one_draw - n * self.mean_square,
                why="Insert E[X₁²] = σ² + μ² and E[X̄²] = σ²/n + μ².",
            ),
            Step(
                rhs=self.expected, why="The μ² terms cancel: one σ² is lost to estimating μ by X̄."
            ),
            identity(
                E(squares / (n - 1)),
                sigma**2,
                "So dividing by n − 1 gives an unbiased estimate of σ² (n ≥ 2).",
            ),
            identity(
                E(squares / n),
                (n - 1) * sigma**2 / n,
                "Dividing by n underestimates σ² on average …",
            ),
            Step(rhs=sigma**2 - sigma**2 / n, why="… by exactly σ²/n, which matters for small n."),
        )

    def results(self) -> tuple[Formula, ...]:
        E, squares, n, sigma = self.E, self.squares, self.n, self.sigma
        return (
            Formula(E(squares), self.expected, name="expected sum of squares"),
            Formula(E(squares / (n - 1)), sigma**2, name="unbiased"),
            Formula(E(squares / n), (n - 1) * sigma**2 / n, name="biased"),
        )

    def interview(self) -> Interview:
        n, x = self.n, self.x
        pair = sp.expand(at_size(self.data_squares, n, 2, [x]))
        return Interview(
            question="Why does the sample variance divide by n − 1? Prove "
            "E[Σ(Xᵢ − X̄)²] = (n − 1)σ².",
            answer=(
                "Σ(Xᵢ − X̄)² = ΣXᵢ² − nX̄². Each E[Xᵢ²] = σ² + μ² and E[X̄²] = Var X̄ + μ² = "
                "σ²/n + μ², so the expectation is n(σ² + μ²) − n(σ²/n + μ²) = (n − 1)σ²: "
                "measuring spread around X̄ instead of the unknown μ loses exactly one σ², "
                f"because X̄ is pulled towards the data. For n = 2 the sum is {fmt(pair)} = "
                "(x₁ − x₂)²/2, whose expectation is "
                f"{fmt(sp.factor(self.E(self.squares).xreplace({n: 2}).doit()))}, so dividing "
                "by n − 1 = 1 is right and dividing by n = 2 would halve the estimate."
            ),
        )

    def twins(self, results: tuple[Formula, ...]) -> tuple[Twin, ...]:
        E, squares, n, sigma, x = self.E, self.squares, self.n, self.sigma, self.x
        biased = Twin(
            name="expected variance dividing by n",
            formula=Formula(E(squares / n), (n - 1) * sigma**2 / n),
            args=(Arg("n", n), Arg("sigma", sigma)),
            reference=_enumeration(0),
            sample=_sizes_and_sigmas,
            domain="integer n ≥ 2, σ > 0; NaN outside",
            valid=lambda n, sigma: (n >= 2) & (n == np.round(n)) & (sigma > 0),
            rtol=1e-12,
        )
        unbiased = replace(
            biased,
            name="expected variance dividing by n − 1",
            formula=Formula(E(squares / (n - 1)), sigma**2 + 0 * n),
            reference=_enumeration(1),
        )
        sample_variance = Twin(
            name="sample variance",
            formula=Formula(
                sp.Symbol("s2"), at_size(self.data_shortcut / (n - 1), n, TWIN_SIZE, [x])
            ),
            args=(Arg("x", entry_symbols(x, TWIN_SIZE)),),
            reference=Reference("np.var(ddof=1)", lambda x: np.var(x, axis=-1, ddof=1)),
            sample=lambda rng, count: {"x": rng.normal(2.0, 3.0, size=(count, TWIN_SIZE))},
            domain=f"any real data of length {TWIN_SIZE}",
            rtol=1e-10,
        )
        return (biased, unbiased, sample_variance)

    def mistakes(self) -> tuple[Mistake, ...]:
        E, squares, Xbar, n, sigma = self.E, self.squares, self.Xbar, self.n, self.sigma
        return (
            Mistake(
                E(squares),
                n * sigma**2,
                "Deviations are measured from X̄, not μ; that costs one σ².",
                name="sum of squares is nσ²",
            ),
            Mistake(
                E(squares / n),
                sigma**2,
                "Dividing by n is biased low by σ²/n; n − 1 is unbiased.",
                name="dividing by n is unbiased",
            ),
            Mistake(
                E(Xbar**2) - E(Xbar) ** 2,
                sigma**2,
                "Averaging n independent draws divides the variance by n.",
                name="Var X̄ = σ²",
            ),
            Mistake(
                E(Xbar**2) - E(Xbar) ** 2,
                sigma**2 / n**2,
                "Var(ΣXᵢ/n) = (1/n²)·nσ²: there are n terms, so σ²/n.",
                name="Var X̄ = σ²/n²",
            ),
        )

    def sizes(self) -> tuple[dict[sp.Symbol, int], ...]:
        return sizes(self.n)

    def checks(self, results: tuple[Formula, ...], twins: tuple[Twin, ...]) -> tuple[Check, ...]:
        at = {self.n: 3, self.sigma: 2.0}
        unbiased, biased = (float(results[k].rhs.xreplace(at)) for k in (1, 2))
        return (("seeded Monte Carlo: n − 1 unbiased, n biased", _monte_carlo(unbiased, biased)),)


def build() -> Derivation:
    """Build the derivation."""
    return _Parts().derivation(ENTRY)
