"""Hypothesis tests for a mean: the z-test with known σ and the one-sample t-test, with
two-sided p-values.

>>> build().results[2].rhs
erfc(sqrt(2)*c/2)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np
import sympy as sp
from sympy import stats

from derive.catalog.common import decimal, fmt
from derive.catalog.entry import Entry, Exercise, Picture
from derive.catalog.parts import Check, Parts
from derive.catalog.probability_statistics.helpers import (
    INDEX,
    IIDExpectation,
    SampleMean,
    at_size,
    entry_symbols,
    normal,
    representable,
    sizes,
    squared_deviations,
    total,
)
from derive.catalog.steps import given, identity, ne
from derive.core import lazy
from derive.core.model import Domain, Formula, Interview, Mistake, Step, Topic, Var
from derive.numeric.derivation import Derivation
from derive.numeric.twin import Arg, Reference, Twin

sps = lazy.module("scipy.stats")

ENTRY = Entry(
    id="hypothesis-tests",
    topic=Topic.PROBABILITY_STATISTICS,
    title="Hypothesis tests for a mean: z and t",
    plot=Picture(
        caption=(
            "The two-sided p-value of a z statistic: it crosses 5% at |z| = 1.96 and 1% at 2.58."
        ),
        drawing="p_value_tails",
    ),
    exercise=Exercise(
        question=(
            r"For the sample {given}, compute the one-sample statistic ${lhs} = "
            r"\frac{{\bar{{x}} - \mu_0}}{{s / \sqrt{{n}}}}$ of the test of mean $\mu_0$, "
            r"where $s$ is the sample standard deviation (dividing by $n - 1$) of the $n$ "
            r"values."
        ),
        lhs=r"t",
    ),
)

TWIN_SIZE = 5  # the t-test twin uses n = 5, i.e. 4 degrees of freedom

INTUITION = (
    "A test statistic measures how far the sample mean lies from the hypothesised mean "
    "in units of its standard error σ/√n, the typical size of that gap if the "
    "hypothesis were true. The p-value is the probability of a gap at least as large, "
    "in either direction, when the hypothesis holds: small values mean the data would "
    "be surprising under it. Estimating σ from the same data adds uncertainty, which "
    "the t distribution's heavier tails account for; with few observations the "
    "difference matters."
)
NOTES = (
    "The t-test p-value is derived in closed form for 4 degrees of freedom (n = 5), "
    "where SymPy integrates the t density exactly.",
)


def _t_sample(rng: np.random.Generator, count: int) -> dict[str, np.ndarray]:
    return {
        "x": rng.normal(1.0, 2.0, size=(count, TWIN_SIZE)),
        "mu0": rng.normal(0.0, 2.0, size=count),
    }


def _spread(x: np.ndarray, mu0: np.ndarray) -> np.ndarray:
    with np.errstate(all="ignore"):
        return representable(squared_deviations(x))


def _size_of_tests(t_test: Twin, z_test: Twin) -> Callable[[np.random.Generator], tuple[bool, str]]:
    """Under the null the t-test rejects 5% of samples; the z-test with s for σ rejects more."""

    def size_of_tests(rng: np.random.Generator) -> tuple[bool, str]:
        reps = 100_000
        samples = rng.normal(3.0, 2.0, size=(reps, TWIN_SIZE))
        t_p = t_test(x=samples, mu0=np.full(reps, 3.0))
        means, sds = samples.mean(axis=1), samples.std(axis=1, ddof=1)
        naive = z_test(c=np.abs(means - 3.0) / (sds / np.sqrt(TWIN_SIZE)))
        error = np.sqrt(0.05 * 0.95 / reps)
        t_rate, naive_rate = float(np.mean(t_p < 0.05)), float(np.mean(naive < 0.05))
        ok = abs(t_rate - 0.05) < 4 * error and naive_rate - 0.05 > 20 * error
        return bool(ok), (
            f"{reps} seeded null samples of n = {TWIN_SIZE}: the t-test rejects "
            f"{t_rate:.4f} at the 5% level (tolerance 4 s.e. = {4 * error:.4f}); the z-test "
            f"with s in place of σ rejects {naive_rate:.4f}, too often"
        )

    return size_of_tests


class _Parts(Parts):
    """The sample under the null, the z and t statistics and their p-values."""

    intuition = INTUITION
    assumptions = (
        "independent normal observations (or n large enough for the central limit theorem)",
        "two-sided alternative μ ≠ μ₀",
    )
    notes = NOTES

    def __init__(self) -> None:
        i = INDEX
        self.n = n = sp.Symbol("n", integer=True, positive=True)
        self.X = sp.IndexedBase("X", real=True)
        self.mu0 = mu0 = sp.Symbol("mu0", real=True)
        self.sigma = sigma = sp.Symbol("sigma", positive=True)
        self.c = c = sp.Symbol("c", positive=True)
        self.u = u = sp.Symbol("u", real=True)
        self.null = normal(mu0, sigma)

        self.Xbar = Xbar = SampleMean(self.X, n)
        self.Z_statistic = (Xbar - mu0) / (sigma / sp.sqrt(n))
        self.Z = stats.Normal("Z", 0, 1)
        above, below = sp.Gt(self.Z, c), sp.Lt(self.Z, -c)
        self.two_sided_z = stats.Probability(above) + stats.Probability(below)
        self.z_value = sp.simplify(stats.P(above) + stats.P(below))

        T = stats.StudentT("T", TWIN_SIZE - 1)
        self.tail = sp.Integral(stats.density(T)(u), (u, c, sp.oo))
        self.t_value = sp.factor(sp.simplify((2 * self.tail.doit()).rewrite(sp.gamma)))

        self.xbar, self.s = xbar, s = sp.Symbol("xbar", real=True), sp.Symbol("s", positive=True)
        self.t_plain = (xbar - mu0) / (s / sp.sqrt(n))
        self.z_plain = (xbar - mu0) / (sigma / sp.sqrt(n))

        self.x = x = sp.IndexedBase("x", real=True)
        sample_sd = sp.sqrt(total((x[i] - SampleMean(x, n)) ** 2, n) / (n - 1))
        self.t_data = at_size(
            (SampleMean(x, n) - mu0) / (sample_sd / sp.sqrt(n)), n, TWIN_SIZE, [x]
        )
        self.p_data = self.t_value.xreplace({c: sp.Abs(self.t_data)})

    def E(self, statistic: sp.Expr) -> IIDExpectation:
        """E[statistic] under the null hypothesis."""
        return IIDExpectation(statistic, self.X, self.n, self.null)

    def symbols(self) -> tuple[Var, ...]:
        return (
            Var(self.X, "the sample X₁, …, Xₙ"),
            Var(self.n, "the sample size", Domain.COUNT),
            Var(self.mu0, "the mean under the null hypothesis"),
            Var(self.sigma, "the known standard deviation", Domain.POSITIVE),
            Var(self.Z, "a standard normal variable"),
            Var(self.c, "an observed |z| or |t|", Domain.POSITIVE),
            Var(self.u, "integration variable"),
            Var(self.xbar, "the observed sample mean"),
            Var(self.s, "the sample standard deviation", Domain.POSITIVE),
            Var(self.x, "observed data x₁, …, xₙ"),
        )

    def steps(self) -> tuple[Step, ...]:
        E, Xbar, Z_statistic, tail = self.E, self.Xbar, self.Z_statistic, self.tail
        return (
            identity(
                E(Xbar),
                self.mu0,
                "Under the null hypothesis X₁, …, Xₙ are independent normal with mean μ₀ and "
                "standard deviation σ; the sample mean is centred at μ₀ …",
            ),
            identity(
                E(Xbar**2) - E(Xbar) ** 2,
                self.sigma**2 / self.n,
                "… with variance σ²/n: its standard error is σ/√n. Proven for symbolic n.",
            ),
            identity(E(Z_statistic), 0, "So z = (X̄ − μ₀)/(σ/√n) has mean 0 …"),
            identity(
                E(Z_statistic**2),
                1,
                "… and variance 1; as a linear combination of normals it is standard normal.",
            ),
            identity(
                self.two_sided_z,
                self.z_value,
                "Two-sided p-value of an observed |z| = c: the chance of a standard normal at "
                "least that far from 0 in either direction (sympy.stats).",
            ),
            given(
                sp.Symbol("t"),
                self.t_plain,
                "With σ unknown, replace it by the sample standard deviation s (dividing by "
                "n − 1). Then t has Student's t distribution with n − 1 degrees of freedom (a "
                "standard fact, used here, not derived).",
            ),
            identity(
                2 * tail,
                self.t_value,
                f"Two-sided p-value for n = {TWIN_SIZE} ({TWIN_SIZE - 1} degrees of freedom): "
                "twice the upper tail beyond |t| = c, integrated in closed form.",
            ),
            ne(
                2 * tail,
                self.z_value,
                "It is larger than the normal tail: the t distribution has heavier tails, "
                "paying for the estimated σ.",
            ),
        )

    def results(self) -> tuple[Formula, ...]:
        E, Xbar = self.E, self.Xbar
        return (
            Formula(E(Xbar**2) - E(Xbar) ** 2, self.sigma**2 / self.n, name="Var X̄"),
            Formula(E(self.Z_statistic**2), 1, name="E[z²]"),
            Formula(self.two_sided_z, self.z_value, name="z-test p-value"),
            Formula(2 * self.tail, self.t_value, name="t-test p-value (4 df)"),
        )

    def interview(self) -> Interview:
        c, mu0 = self.c, self.mu0
        example = {self.xbar: 52, mu0: 50, self.sigma: 5, self.n: 25}
        z_example = self.z_plain.xreplace(example)
        p_example = self.z_value.xreplace({c: abs(z_example)})
        data = [51, 49, 53, 55, 52]
        at_data = {sp.Symbol(f"x_{k}", real=True): v for k, v in enumerate(data, 1)}
        t_example = sp.radsimp(self.t_data.xreplace(at_data).xreplace({mu0: 50}))
        pt_example = self.t_value.xreplace({c: abs(t_example)})
        return Interview(
            question="n = 25 measurements have mean 52; the known σ is 5. Test H₀: μ = 50 at the "
            "5% level. What changes if σ is unknown and estimated — say for the five values "
            "51, 49, 53, 55, 52?",
            answer=(
                f"z = (52 − 50)/(5/√25) = {fmt(z_example)}; the two-sided p-value is "
                f"erfc(2/√2) = {decimal(p_example, 3)} < 0.05, so reject. With σ estimated by s "
                "use t = (x̄ − μ₀)/(s/√n) against Student's t with n − 1 degrees of freedom: for "
                f"the five values x̄ = 52, s = √5, t = {fmt(t_example)} ≈ "
                f"{decimal(t_example, 3)}, p = {decimal(pt_example, 3)} (4 df), not significant. "
                "The t tails are heavier than the normal's, so the same statistic gives a larger "
                "p-value."
            ),
        )

    def twins(self, results: tuple[Formula, ...]) -> tuple[Twin, ...]:
        c = self.c
        statistic = Twin(
            name="t statistic (n = 5)",
            formula=Formula(sp.Symbol("t"), self.t_data),
            args=(Arg("x", entry_symbols(self.x, TWIN_SIZE)), Arg("mu0", self.mu0)),
            reference=Reference(
                "scipy.stats.ttest_1samp(...).statistic",
                lambda x, mu0: sps.ttest_1samp(x, mu0[..., None], axis=-1).statistic,
            ),
            sample=_t_sample,
            domain="data not all equal (s > 0); NaN otherwise",
            valid=_spread,
            rtol=1e-10,
            atol=1e-12,
        )
        p_value = replace(
            statistic,
            name="t-test p-value (n = 5)",
            formula=Formula(2 * self.tail, self.p_data),
            reference=Reference(
                "scipy.stats.ttest_1samp(...).pvalue",
                lambda x, mu0: sps.ttest_1samp(x, mu0[..., None], axis=-1).pvalue,
            ),
            rtol=1e-9,
            atol=1e-14,
        )
        z_test = Twin(
            name="z-test p-value",
            formula=Formula(self.two_sided_z, self.z_value),
            args=(Arg("c", c),),
            reference=Reference("2·scipy.stats.norm.sf(c)", lambda c: 2 * sps.norm.sf(c)),
            sample=lambda rng, count: {"c": rng.uniform(0.0, 5.0, size=count)},
            domain="c = |z| ≥ 0; NaN for c < 0",
            valid=lambda c: c >= 0,
            rtol=1e-10,
            atol=1e-300,
        )
        return (statistic, p_value, z_test)

    def mistakes(self) -> tuple[Mistake, ...]:
        xbar, mu0, s, sigma, n, c = self.xbar, self.mu0, self.s, self.sigma, self.n, self.c
        return (
            Mistake(
                self.t_plain,
                (xbar - mu0) / s,
                "Divide by the standard error s/√n of the mean, not by s.",
                name="standard deviation for standard error",
            ),
            Mistake(
                self.t_plain,
                (xbar - mu0) / (s / n),
                "The standard error shrinks like 1/√n, not 1/n.",
                name="s/n",
            ),
            Mistake(
                self.z_plain,
                (xbar - mu0) / (sigma**2 / sp.sqrt(n)),
                "Use the standard deviation σ, not the variance σ².",
                name="variance in the z statistic",
            ),
            Mistake(
                self.two_sided_z,
                self.z_value / 2,
                "That is the one-sided tail; a two-sided test counts both tails.",
                name="one tail for a two-sided test",
            ),
            Mistake(
                self.two_sided_z,
                sp.erf(sp.sqrt(2) * c / 2),
                "erf(c/√2) is the probability within c, the complement of the p-value.",
                name="coverage for p-value",
            ),
        )

    def sizes(self) -> tuple[dict[sp.Symbol, int], ...]:
        return sizes(self.n)

    def checks(self, results: tuple[Formula, ...], twins: tuple[Twin, ...]) -> tuple[Check, ...]:
        return (
            (
                "seeded null simulation: t-test size 5%, naive z-test oversized",
                _size_of_tests(twins[1], twins[2]),
            ),
        )


def build() -> Derivation:
    """Build the derivation."""
    return _Parts().derivation(ENTRY)
