"""The normal distribution: the density integrates to 1, has mean μ and variance σ², the
68–95–99.7 rule via erf, and the maximum-likelihood estimates x̄ and (1/n)Σ(xᵢ − x̄)².

>>> build().results[3].rhs
erf(sqrt(2)*k/2)
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import sympy as sp
from sympy import stats

from derive.catalog.common import decimal
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
from derive.catalog.steps import given, identity, le, stationary
from derive.core import lazy
from derive.core.model import Domain, Formula, Interview, Mistake, Step, Topic, Var
from derive.numeric.derivation import Derivation
from derive.numeric.sums import linear_sums
from derive.numeric.twin import Arg, Reference, Twin

sps = lazy.module("scipy.stats")

ENTRY = Entry(
    id="normal-distribution",
    topic=Topic.PROBABILITY_STATISTICS,
    title="Normal distribution: density, moments, 68–95–99.7, maximum likelihood",
    plot=Picture(
        caption=(
            "The density evaluated by the twin; the shaded areas (integrated numerically from "
            "it) are about 68%, 95% and 99.7%."
        ),
        drawing="normal_bands",
    ),
    exercise=Exercise(
        question=(
            r"$f$ is the density of the normal distribution with mean $\mu$ and standard "
            r"deviation $\sigma$. Compute ${lhs}$ for {given}."
        ),
        lhs=r"f(x)",
    ),
    widget="probability.distributions",
)

TWIN_SIZE = 6

INTUITION = (
    "The normal density is the bell curve exp(−z²/2) in standardised units "
    "z = (x − μ)/σ, scaled so that its area is 1. Shifting by μ moves its centre and "
    "stretching by σ widens it, which is all the two parameters do; so the share of "
    "probability within k standard deviations is the same for every normal "
    "distribution, erf(k/√2). Fitting it by maximum likelihood balances the data: the "
    "centre goes to the sample mean and the squared width to the average squared "
    "deviation."
)
NOTES = (
    "The twins use scipy.special.erf (lambdified with scipy) against scipy's normal "
    "cdf, and the closed-form MLE against scipy.stats.norm.fit.",
)


def _fit(x: np.ndarray) -> np.ndarray:
    loc, scale = sps.norm.fit(x)
    return np.array([loc, scale**2])


def _sum_by_terms(body: sp.Expr, n: sp.Symbol, index: sp.Symbol) -> sp.Expr:
    """Σᵢ body, term by term, factors free of i taken out, squares left unexpanded."""
    out = sp.Integer(0)
    for term in sp.Add.make_args(body):
        factor, rest = term.as_independent(index, as_Add=False)
        out += factor * (n if rest == 1 else total(rest, n, index))
    return out


def _parameters(rng: np.random.Generator, count: int) -> dict[str, np.ndarray]:
    return {"mu": rng.normal(0.0, 2.0, size=count), "sigma": rng.uniform(0.3, 3.0, size=count)}


class _Parts(Parts):
    """The symbols, the density, the k-σ probability and the likelihood every part uses."""

    intuition = INTUITION
    assumptions = ("σ > 0",)
    notes = NOTES

    def __init__(self) -> None:
        self.mu = mu = sp.Symbol("mu", real=True)
        self.sigma = sigma = sp.Symbol("sigma", positive=True)
        self.t = t = sp.Symbol("t", real=True)
        self.k = k = sp.Symbol("k", positive=True)
        self.N = stats.Normal("N", mu, sigma)
        self.density = density = stats.density(self.N)(t)
        self.within = self.integral(density, (t, mu - k * sigma, mu + k * sigma))
        self.within_value = sp.simplify(self.within.doit())
        self.rule = [self.within_value.xreplace({k: j}) for j in (1, 2, 3)]

        i = INDEX
        self.n = n = sp.Symbol("n", integer=True, positive=True)
        self.x = x = sp.IndexedBase("x", real=True)
        log_density = sp.expand_log(sp.log(density.xreplace({t: x[i]})), force=True)
        self.log_likelihood = total(log_density, n)
        self.log_likelihood_sum = _sum_by_terms(log_density, n, i)
        self.score_mu = sp.factor(linear_sums(sp.diff(self.log_likelihood_sum, mu)))
        self.score_sigma = sp.factor(linear_sums(sp.diff(self.log_likelihood_sum, sigma)))
        self.mu_condition = sp.expand(self.score_mu * sigma**2)
        self.sigma_condition = sp.expand(self.score_sigma * sigma**3)
        self.mu_hat = sp.solve(self.mu_condition, mu)[0]
        sigma_hat = [
            s
            for s in sp.solve(self.sigma_condition, sigma)
            if s.could_extract_minus_sign() is False
        ]
        if len(sigma_hat) != 1:
            raise RuntimeError(f"expected one positive root for σ, got {sigma_hat}")
        self.sigma_hat_value = sp.sqrt(total((x[i] - mu) ** 2, n) / n)
        self.variance_mle = total((x[i] - SampleMean(x, n)) ** 2, n) / n

    def integral(self, integrand: sp.Expr, limits: tuple | None = None) -> sp.Integral:
        """∫ integrand over ``limits`` (the whole line by default)."""
        return sp.Integral(integrand, limits or (self.t, -sp.oo, sp.oo))

    def moments(self) -> tuple[sp.Integral, sp.Integral, sp.Integral]:
        """The integrals of the density, of t times it and of (t − μ)² times it."""
        t, mu, density = self.t, self.mu, self.density
        return (
            self.integral(density),
            self.integral(t * density),
            self.integral((t - mu) ** 2 * density),
        )

    def symbols(self) -> tuple[Var, ...]:
        return (
            Var(self.N, "a normal random variable"),
            Var(self.mu, "its mean"),
            Var(self.sigma, "its standard deviation", Domain.POSITIVE),
            Var(self.t, "a point on the real line"),
            Var(self.k, "a number of standard deviations", Domain.POSITIVE),
            Var(self.x, "independent data x₁, …, xₙ from the distribution"),
            Var(self.n, "the number of data points", Domain.COUNT),
        )

    def density_steps(self) -> tuple[Step, ...]:
        mu, sigma, k, within = self.mu, self.sigma, self.k, self.within
        area, first, second = self.moments()
        return (
            given(
                sp.Function("f")(self.t),
                self.density,
                "The normal density with mean μ and standard deviation σ (from sympy.stats).",
            ),
            identity(
                area,
                sp.Integer(1),
                "It integrates to 1 (the Gaussian integral of exp(−u²/2) over the line is √(2π)).",
            ),
            identity(first, mu, "Its mean is μ: the density is symmetric about μ."),
            identity(second, sigma**2, "Its variance is σ² (integrate by parts)."),
            identity(stats.Variance(self.N), sigma**2, "sympy.stats agrees."),
            identity(
                within,
                self.within_value,
                "Within k standard deviations of the mean: substitute u = (t − μ)/σ, leaving "
                "erf(k/√2), whatever μ and σ.",
            ),
            *(
                identity(
                    within.xreplace({k: j}),
                    value,
                    f"k = {j}: {decimal(value, 4)}, the '{share}'.",
                )
                for j, value, share in zip((1, 2, 3), self.rule, ("68", "95", "99.7"), strict=True)
            ),
        )

    def likelihood_steps(self) -> tuple[Step, ...]:
        mu, sigma, log_likelihood_sum = self.mu, self.sigma, self.log_likelihood_sum
        return (
            identity(
                self.log_likelihood,
                log_likelihood_sum,
                "Maximum likelihood for independent data x₁, …, xₙ: the log-likelihood is a sum "
                "of log-densities.",
            ),
            identity(
                sp.Derivative(log_likelihood_sum, mu),
                self.score_mu,
                "Differentiate in μ. Proven for symbolic n.",
            ),
            *stationary(
                self.score_mu,
                self.mu_condition,
                sigma**2,
                mu,
                self.mu_hat,
                ("Set it to zero.", "Multiply by σ² > 0.", "Solve: μ̂ = x̄, the sample mean."),
            ),
            identity(
                sp.Derivative(log_likelihood_sum, sigma),
                self.score_sigma,
                "Differentiate in σ. Proven for symbolic n.",
            ),
            *stationary(
                self.score_sigma,
                self.sigma_condition,
                sigma**3,
                sigma,
                self.sigma_hat_value,
                (
                    "Set it to zero.",
                    "Multiply by σ³ > 0.",
                    "Solve for σ > 0: σ̂² = (1/n)Σ(xᵢ − μ)², evaluated at μ̂ = x̄ — dividing by "
                    "n, so the MLE of the variance is biased (see Bessel's correction).",
                ),
            ),
            le(
                sp.Derivative(log_likelihood_sum, (mu, 2)),
                0,
                "The log-likelihood is concave in μ (second derivative −n/σ²).",
            ),
        )

    def results(self) -> tuple[Formula, ...]:
        mu, sigma = self.mu, self.sigma
        area, first, second = self.moments()
        return (
            Formula(area, sp.Integer(1), name="normalised"),
            Formula(first, mu, name="mean"),
            Formula(second, sigma**2, name="variance"),
            Formula(self.within, self.within_value, name="within k σ"),
            Formula(mu, self.mu_hat, name="MLE of μ"),
            Formula(sigma, self.sigma_hat_value, name="MLE of σ"),
        )

    def interview(self) -> Interview:
        rule = self.rule
        return Interview(
            question="Derive the MLEs of μ and σ² for normal data. What fraction of a normal "
            "distribution lies within 1, 2 and 3 standard deviations of the mean?",
            answer=(
                "ℓ = −n log σ − (n/2) log 2π − Σ(xᵢ − μ)²/(2σ²). ∂ℓ/∂μ = Σ(xᵢ − μ)/σ² = 0 gives "
                "μ̂ = x̄; ∂ℓ/∂σ = −n/σ + Σ(xᵢ − μ)²/σ³ = 0 gives σ̂² = (1/n)Σ(xᵢ − x̄)², which "
                "divides by n and is therefore biased low. P(|X − μ| < kσ) = erf(k/√2): "
                f"{decimal(rule[0], 4)}, {decimal(rule[1], 4)}, {decimal(rule[2], 4)} for k = 1, "
                "2, 3 — the 68–95–99.7 rule (95% exactly needs k ≈ 1.96)."
            ),
        )

    def twins(self, results: tuple[Formula, ...]) -> tuple[Twin, ...]:
        mu, sigma, k, n, x = self.mu, self.sigma, self.k, self.n, self.x
        _, first, second = self.moments()
        mean = Twin(
            name="mean",
            formula=Formula(first, mu),
            args=(Arg("mu", mu), Arg("sigma", sigma)),
            reference=Reference(
                "scipy.stats.norm.mean", lambda mu, sigma: sps.norm.mean(mu, sigma)
            ),
            sample=_parameters,
            domain="σ > 0; NaN otherwise",
            valid=lambda mu, sigma: sigma > 0,
            rtol=1e-12,
        )
        estimates = sp.Tuple(
            at_size(self.mu_hat, n, TWIN_SIZE, [x]), at_size(self.variance_mle, n, TWIN_SIZE, [x])
        )
        return (
            Twin(
                name="pdf",
                formula=Formula(sp.Function("f")(self.t), self.density),
                args=(Arg("x", self.t), Arg("mu", mu), Arg("sigma", sigma)),
                reference=Reference(
                    "scipy.stats.norm.pdf", lambda x, mu, sigma: sps.norm.pdf(x, mu, sigma)
                ),
                sample=lambda rng, count: {
                    "x": rng.normal(0.0, 3.0, size=count),
                    "mu": rng.normal(0.0, 2.0, size=count),
                    "sigma": rng.uniform(0.3, 3.0, size=count),
                },
                domain="σ > 0; NaN otherwise",
                valid=lambda x, mu, sigma: sigma > 0,
                rtol=1e-12,
                atol=1e-300,
            ),
            mean,
            replace(
                mean,
                name="variance",
                formula=Formula(second, sigma**2),
                reference=Reference(
                    "scipy.stats.norm.var", lambda mu, sigma: sps.norm.var(mu, sigma)
                ),
            ),
            Twin(
                name="within k standard deviations",
                formula=Formula(self.within, self.within_value),
                args=(Arg("k", k),),
                reference=Reference(
                    "scipy.stats.norm.cdf(k) − norm.cdf(−k)",
                    lambda k: sps.norm.cdf(k) - sps.norm.cdf(-k),
                ),
                sample=lambda rng, count: {"k": rng.uniform(0.05, 4.0, size=count)},
                domain="k > 0",
                valid=lambda k: k > 0,
                rtol=1e-12,
            ),
            Twin(
                name="maximum-likelihood estimates (mean, variance)",
                formula=Formula(sp.Tuple(mu, sigma**2), estimates),
                args=(Arg("x", entry_symbols(x, TWIN_SIZE)),),
                reference=Reference(
                    "scipy.stats.norm.fit (loc, scale²)", _fit, kind="optimisation", batched=False
                ),
                sample=lambda rng, count: {"x": rng.normal(1.0, 2.0, size=(count, TWIN_SIZE))},
                domain=f"real data of length {TWIN_SIZE}",
                rtol=1e-9,
                atol=1e-12,
            ),
        )

    def mistakes(self) -> tuple[Mistake, ...]:
        i, n, x, t, mu, sigma, k = INDEX, self.n, self.x, self.t, self.mu, self.sigma, self.k
        density, within = self.density, self.within
        return (
            Mistake(
                density,
                sp.exp(-((t - mu) ** 2) / (2 * sigma**2)) / sigma,
                "Without 1/√(2π) the area is √(2π), not 1.",
                name="normalising constant forgotten",
            ),
            Mistake(
                density,
                sp.exp(-((t - mu) ** 2) / sigma**2) / (sigma * sp.sqrt(2 * sp.pi)),
                "The exponent is −(x − μ)²/(2σ²); with σ² alone the variance would be σ²/2.",
                name="factor 2 in the exponent",
            ),
            Mistake(
                density,
                sp.exp(-((t - mu) ** 2) / (2 * sigma**2)) / (sigma**2 * sp.sqrt(2 * sp.pi)),
                "The density is scaled by 1/σ (a length), not 1/σ².",
                name="scaled by the variance",
            ),
            Mistake(
                within,
                sp.erf(k),
                "After u = (t − μ)/σ the integrand is exp(−u²/2); erf needs exp(−v²), so "
                "v = u/√2 and the bound is k/√2.",
                name="erf(k)",
            ),
            Mistake(
                within.xreplace({k: 2}),
                sp.Rational(95, 100),
                "Two standard deviations hold 95.45%; exactly 95% needs 1.96σ.",
                name="exactly 95% within 2σ",
            ),
            Mistake(
                self.variance_mle,
                total((x[i] - SampleMean(x, n)) ** 2, n) / (n - 1),
                "The maximum-likelihood estimate divides by n; n − 1 is the unbiased estimate, "
                "a different estimator.",
                name="MLE divides by n − 1",
            ),
        )

    def steps(self) -> tuple[Step, ...]:
        return self.density_steps() + self.likelihood_steps()

    def sizes(self) -> tuple[dict[sp.Symbol, int], ...]:
        return sizes(self.n)


def build() -> Derivation:
    """Build the derivation."""
    return _Parts().derivation(ENTRY)
