"""Bessel's correction: E[Σ(Xᵢ − X̄)²] = (n − 1)σ², so dividing by n − 1 is unbiased.

>>> build().result.rhs
sigma**2*(n - 1)
"""

from __future__ import annotations

import itertools

import numpy as np
import sympy as sp

from derive.catalog.common import fmt
from derive.catalog.entry import Entry
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
from derive.core.model import Domain, Formula, Interview, Mistake, Rel, Step, Topic, Var
from derive.numeric.derivation import Derivation
from derive.numeric.twin import Arg, Reference, Twin

ENTRY = Entry(
    id="bessel-correction",
    topic=Topic.PROBABILITY_STATISTICS,
    title="Bessel's correction: why the sample variance divides by n - 1",
)

TWIN_SIZE = 5
# An asymmetric three-point population (mean 0, variance 1 after scaling) for exact
# enumeration of every possible sample.
_SUPPORT = np.array([-1.0, 0.0, 2.0])
_WEIGHTS = np.array([0.3, 0.5, 0.2])
_MEAN = float(_SUPPORT @ _WEIGHTS)
_SD = float(np.sqrt(((_SUPPORT - _MEAN) ** 2) @ _WEIGHTS))


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


def build() -> Derivation:
    """Build the derivation."""
    i = INDEX
    n = sp.Symbol("n", integer=True, positive=True)
    x = sp.IndexedBase("x", real=True)
    X = sp.IndexedBase("X", real=True)
    mu = sp.Symbol("mu", real=True)
    sigma = sp.Symbol("sigma", positive=True)
    population = normal(mu, sigma)

    def E(statistic: sp.Expr) -> IIDExpectation:
        return IIDExpectation(statistic, X, n, population)

    Xbar = SampleMean(X, n)
    squares = total((X[i] - Xbar) ** 2, n)
    data_squares = total((x[i] - SampleMean(x, n)) ** 2, n)
    data_shortcut = total(x[i] ** 2, n) - n * SampleMean(x, n) ** 2

    one_draw = E(X[1] ** 2).doit()
    mean_square = E(Xbar**2).doit()
    expected = sp.factor(E(squares).doit())

    steps = (
        Step(
            lhs=data_squares,
            rhs=data_shortcut,
            rel=Rel.IDENTITY,
            why="Algebra for any numbers: expand the square and use Σxᵢ = n x̄. Proven for "
            "symbolic n.",
        ),
        Step(
            lhs=E(Xbar),
            rhs=mu,
            rel=Rel.IDENTITY,
            why="Now X₁, …, Xₙ are independent draws with mean μ and variance σ². The sample "
            "mean is unbiased for μ (linearity).",
        ),
        Step(
            lhs=E(X[1] ** 2),
            rhs=one_draw,
            rel=Rel.IDENTITY,
            why="E[X²] = Var X + μ² for a single draw.",
        ),
        Step(
            lhs=E(Xbar**2) - E(Xbar) ** 2,
            rhs=sigma**2 / n,
            rel=Rel.IDENTITY,
            why="Var X̄ = σ²/n: independence kills the n(n − 1) cross terms' covariances.",
        ),
        Step(
            lhs=E(squares),
            rhs=E(total(X[i] ** 2, n)) - n * E(Xbar**2),
            rel=Rel.IDENTITY,
            why="Take expectations of the algebraic identity (linearity).",
        ),
        Step(
            rhs=n * E(X[1] ** 2) - n * E(Xbar**2),
            why="The draws are identically distributed: each E[Xᵢ²] is E[X₁²].",
        ),
        Step(
            rhs=n * one_draw - n * mean_square,
            why="Insert E[X₁²] = σ² + μ² and E[X̄²] = σ²/n + μ².",
        ),
        Step(rhs=expected, why="The μ² terms cancel: one σ² is lost to estimating μ by X̄."),
        Step(
            lhs=E(squares / (n - 1)),
            rhs=sigma**2,
            rel=Rel.IDENTITY,
            why="So dividing by n − 1 gives an unbiased estimate of σ² (n ≥ 2).",
        ),
        Step(
            lhs=E(squares / n),
            rhs=(n - 1) * sigma**2 / n,
            rel=Rel.IDENTITY,
            why="Dividing by n underestimates σ² on average …",
        ),
        Step(rhs=sigma**2 - sigma**2 / n, why="… by exactly σ²/n, which matters for small n."),
    )
    results = (
        Formula(E(squares), expected, name="expected sum of squares"),
        Formula(E(squares / (n - 1)), sigma**2, name="unbiased"),
        Formula(E(squares / n), (n - 1) * sigma**2 / n, name="biased"),
    )

    two = {n: 2}
    pair = sp.expand(at_size(data_squares, n, 2, [x]))
    interview = Interview(
        question="Why does the sample variance divide by n − 1? Prove E[Σ(Xᵢ − X̄)²] = (n − 1)σ².",
        answer=(
            "Σ(Xᵢ − X̄)² = ΣXᵢ² − nX̄². Each E[Xᵢ²] = σ² + μ² and E[X̄²] = Var X̄ + μ² = "
            "σ²/n + μ², so the expectation is n(σ² + μ²) − n(σ²/n + μ²) = (n − 1)σ²: measuring "
            "spread around X̄ instead of the unknown μ loses exactly one σ², because X̄ is "
            f"pulled towards the data. For n = 2 the sum is {fmt(pair)} = (x₁ − x₂)²/2, whose "
            f"expectation is {fmt(sp.factor(E(squares).xreplace(two).doit()))}, so dividing by "
            "n − 1 = 1 is right and dividing by n = 2 would halve the estimate."
        ),
    )

    xs = entry_symbols(x, TWIN_SIZE)
    twins = (
        Twin(
            name="expected variance dividing by n",
            formula=Formula(E(squares / n), (n - 1) * sigma**2 / n),
            args=(Arg("n", n), Arg("sigma", sigma)),
            reference=Reference(
                "exact enumeration of all 3ⁿ samples of a skewed three-point population, "
                "np.var(ddof=0)",
                lambda n, sigma: _enumerated_variance(n, sigma, 0),
                kind="enumeration",
                batched=False,
            ),
            sample=_sizes_and_sigmas,
            domain="integer n ≥ 2, σ > 0; NaN outside",
            valid=lambda n, sigma: (n >= 2) & (n == np.round(n)) & (sigma > 0),
            rtol=1e-12,
        ),
        Twin(
            name="expected variance dividing by n − 1",
            formula=Formula(E(squares / (n - 1)), sigma**2 + 0 * n),
            args=(Arg("n", n), Arg("sigma", sigma)),
            reference=Reference(
                "exact enumeration of all 3ⁿ samples of a skewed three-point population, "
                "np.var(ddof=1)",
                lambda n, sigma: _enumerated_variance(n, sigma, 1),
                kind="enumeration",
                batched=False,
            ),
            sample=_sizes_and_sigmas,
            domain="integer n ≥ 2, σ > 0; NaN outside",
            valid=lambda n, sigma: (n >= 2) & (n == np.round(n)) & (sigma > 0),
            rtol=1e-12,
        ),
        Twin(
            name="sample variance",
            formula=Formula(sp.Symbol("s2"), at_size(data_shortcut / (n - 1), n, TWIN_SIZE, [x])),
            args=(Arg("x", xs),),
            reference=Reference("np.var(ddof=1)", lambda x: np.var(x, axis=-1, ddof=1)),
            sample=lambda rng, count: {"x": rng.normal(2.0, 3.0, size=(count, TWIN_SIZE))},
            domain=f"any real data of length {TWIN_SIZE}",
            rtol=1e-10,
        ),
    )

    def monte_carlo(rng: np.random.Generator) -> tuple[bool, str]:
        size, reps, sd = 3, 200_000, 2.0
        at = {n: size, sigma: sd}
        unbiased, biased = (float(results[k].rhs.xreplace(at)) for k in (1, 2))
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

    return ENTRY.derivation(
        symbols=(
            Var(X, "independent draws X₁, …, Xₙ from a population"),
            Var(x, "numbers x₁, …, xₙ"),
            Var(n, "the sample size", Domain.COUNT),
            Var(mu, "the population mean"),
            Var(sigma, "the population standard deviation", Domain.POSITIVE),
        ),
        steps=steps,
        results=results,
        twins=twins,
        sizes=sizes(n),
        assumptions=(
            "X₁, …, Xₙ independent with mean μ and variance σ² (the symbolic steps draw them "
            "from a normal population; only E[X] = μ and E[X²] = σ² + μ² enter, so any "
            "population with that mean and variance gives the same)",
            "n ≥ 2 for dividing by n − 1",
        ),
        intuition=(
            "The sample mean X̄ is the point closest to the data in squared distance, closer "
            "than the true mean μ. So the squared deviations from X̄ are systematically "
            "smaller than those from μ, and their sum falls short by exactly one σ² on average: "
            "the data spent one degree of freedom on estimating the mean. Dividing by n − 1 "
            "instead of n makes up the shortfall exactly. With n = 2 the effect is a factor of "
            "two; with n = 1000 it hardly matters."
        ),
        interview=interview,
        mistakes=(
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
        ),
        checks=(("seeded Monte Carlo: n − 1 unbiased, n biased", monte_carlo),),
        notes=(
            "Expectations over the sample are proven for symbolic n (linearity and "
            "independence, with moments from sympy.stats) and confirmed by writing the sample "
            "out at n = 2, …, 6.",
        ),
    )
