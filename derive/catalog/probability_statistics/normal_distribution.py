"""The normal distribution: the density integrates to 1, has mean μ and variance σ², the
68–95–99.7 rule via erf, and the maximum-likelihood estimates x̄ and (1/n)Σ(xᵢ − x̄)².

>>> build().results[3].rhs
erf(sqrt(2)*k/2)
"""

from __future__ import annotations

import numpy as np
import sympy as sp
from scipy import stats as sps
from sympy import stats

from derive.catalog.common import decimal
from derive.catalog.entry import Entry, Picture
from derive.catalog.probability_statistics.helpers import (
    INDEX,
    SampleMean,
    at_size,
    entry_symbols,
    sizes,
    total,
)
from derive.core.model import Domain, Formula, Interview, Mistake, Rel, Step, Topic, Var
from derive.numeric.derivation import Derivation
from derive.numeric.sums import linear_sums
from derive.numeric.twin import Arg, Reference, Twin

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
    widget="probability.distributions",
)

TWIN_SIZE = 6


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


def build() -> Derivation:
    """Build the derivation."""
    V = stats.Variance
    mu = sp.Symbol("mu", real=True)
    sigma = sp.Symbol("sigma", positive=True)
    t = sp.Symbol("t", real=True)
    k = sp.Symbol("k", positive=True)
    N = stats.Normal("N", mu, sigma)
    density = stats.density(N)(t)
    line = (t, -sp.oo, sp.oo)

    def integral(integrand: sp.Expr, limits: tuple = line) -> sp.Integral:
        return sp.Integral(integrand, limits)

    within = integral(density, (t, mu - k * sigma, mu + k * sigma))
    within_value = sp.simplify(within.doit())
    rule = [within_value.xreplace({k: j}) for j in (1, 2, 3)]

    i = INDEX
    n = sp.Symbol("n", integer=True, positive=True)
    x = sp.IndexedBase("x", real=True)
    log_density = sp.expand_log(sp.log(density.xreplace({t: x[i]})), force=True)
    log_likelihood = total(log_density, n)
    log_likelihood_sum = _sum_by_terms(log_density, n, i)
    score_mu = sp.factor(linear_sums(sp.diff(log_likelihood_sum, mu)))
    score_sigma = sp.factor(linear_sums(sp.diff(log_likelihood_sum, sigma)))
    mu_condition = sp.expand(score_mu * sigma**2)
    sigma_condition = sp.expand(score_sigma * sigma**3)
    mu_hat = sp.solve(mu_condition, mu)[0]
    sigma_hat = [
        s for s in sp.solve(sigma_condition, sigma) if s.could_extract_minus_sign() is False
    ]
    sigma_hat_value = sp.sqrt(total((x[i] - mu) ** 2, n) / n)
    variance_mle = total((x[i] - SampleMean(x, n)) ** 2, n) / n

    steps = (
        Step(
            lhs=sp.Function("f")(t),
            rhs=density,
            rel=Rel.GIVEN,
            why="The normal density with mean μ and standard deviation σ (from sympy.stats).",
        ),
        Step(
            lhs=integral(density),
            rhs=sp.Integer(1),
            rel=Rel.IDENTITY,
            why="It integrates to 1 (the Gaussian integral of exp(−u²/2) over the line is √(2π)).",
        ),
        Step(
            lhs=integral(t * density),
            rhs=mu,
            rel=Rel.IDENTITY,
            why="Its mean is μ: the density is symmetric about μ.",
        ),
        Step(
            lhs=integral((t - mu) ** 2 * density),
            rhs=sigma**2,
            rel=Rel.IDENTITY,
            why="Its variance is σ² (integrate by parts).",
        ),
        Step(lhs=V(N), rhs=sigma**2, rel=Rel.IDENTITY, why="sympy.stats agrees."),
        Step(
            lhs=within,
            rhs=within_value,
            rel=Rel.IDENTITY,
            why="Within k standard deviations of the mean: substitute u = (t − μ)/σ, leaving "
            "erf(k/√2), whatever μ and σ.",
        ),
        Step(
            lhs=within.xreplace({k: 1}),
            rhs=rule[0],
            rel=Rel.IDENTITY,
            why=f"k = 1: {decimal(rule[0], 4)}, the '68'.",
        ),
        Step(
            lhs=within.xreplace({k: 2}),
            rhs=rule[1],
            rel=Rel.IDENTITY,
            why=f"k = 2: {decimal(rule[1], 4)}, the '95'.",
        ),
        Step(
            lhs=within.xreplace({k: 3}),
            rhs=rule[2],
            rel=Rel.IDENTITY,
            why=f"k = 3: {decimal(rule[2], 4)}, the '99.7'.",
        ),
        Step(
            lhs=log_likelihood,
            rhs=log_likelihood_sum,
            rel=Rel.IDENTITY,
            why="Maximum likelihood for independent data x₁, …, xₙ: the log-likelihood is a sum "
            "of log-densities.",
        ),
        Step(
            lhs=sp.Derivative(log_likelihood_sum, mu),
            rhs=score_mu,
            rel=Rel.IDENTITY,
            why="Differentiate in μ. Proven for symbolic n.",
        ),
        Step(lhs=score_mu, rhs=0, rel=Rel.GIVEN, why="Set it to zero."),
        Step(
            lhs=mu_condition,
            rhs=0,
            rel=Rel.IFF,
            by=sigma**2,
            why="Multiply by σ² > 0.",
        ),
        Step(lhs=mu, rhs=mu_hat, rel=Rel.IMPLIES, why="Solve: μ̂ = x̄, the sample mean."),
        Step(
            lhs=sp.Derivative(log_likelihood_sum, sigma),
            rhs=score_sigma,
            rel=Rel.IDENTITY,
            why="Differentiate in σ. Proven for symbolic n.",
        ),
        Step(lhs=score_sigma, rhs=0, rel=Rel.GIVEN, why="Set it to zero."),
        Step(
            lhs=sigma_condition,
            rhs=0,
            rel=Rel.IFF,
            by=sigma**3,
            why="Multiply by σ³ > 0.",
        ),
        Step(
            lhs=sigma,
            rhs=sigma_hat_value,
            rel=Rel.IMPLIES,
            why="Solve for σ > 0: σ̂² = (1/n)Σ(xᵢ − μ)², evaluated at μ̂ = x̄ — dividing by n, "
            "so the MLE of the variance is biased (see Bessel's correction).",
        ),
        Step(
            lhs=sp.Derivative(log_likelihood_sum, (mu, 2)),
            rhs=0,
            rel=Rel.LE,
            why="The log-likelihood is concave in μ (second derivative −n/σ²).",
        ),
    )
    if len(sigma_hat) != 1:
        raise RuntimeError(f"expected one positive root for σ, got {sigma_hat}")
    results = (
        Formula(integral(density), sp.Integer(1), name="normalised"),
        Formula(integral(t * density), mu, name="mean"),
        Formula(integral((t - mu) ** 2 * density), sigma**2, name="variance"),
        Formula(within, within_value, name="within k σ"),
        Formula(mu, mu_hat, name="MLE of μ"),
        Formula(sigma, sigma_hat_value, name="MLE of σ"),
    )

    interview = Interview(
        question="Derive the MLEs of μ and σ² for normal data. What fraction of a normal "
        "distribution lies within 1, 2 and 3 standard deviations of the mean?",
        answer=(
            "ℓ = −n log σ − (n/2) log 2π − Σ(xᵢ − μ)²/(2σ²). ∂ℓ/∂μ = Σ(xᵢ − μ)/σ² = 0 gives "
            "μ̂ = x̄; ∂ℓ/∂σ = −n/σ + Σ(xᵢ − μ)²/σ³ = 0 gives σ̂² = (1/n)Σ(xᵢ − x̄)², which "
            "divides by n and is therefore biased low. P(|X − μ| < kσ) = erf(k/√2): "
            f"{decimal(rule[0], 4)}, {decimal(rule[1], 4)}, {decimal(rule[2], 4)} for k = 1, 2, "
            "3 — the 68–95–99.7 rule (95% exactly needs k ≈ 1.96)."
        ),
    )

    def parameters(rng: np.random.Generator, count: int) -> dict[str, np.ndarray]:
        return {"mu": rng.normal(0.0, 2.0, size=count), "sigma": rng.uniform(0.3, 3.0, size=count)}

    xs = entry_symbols(x, TWIN_SIZE)
    estimates = sp.Tuple(
        at_size(mu_hat, n, TWIN_SIZE, [x]), at_size(variance_mle, n, TWIN_SIZE, [x])
    )
    twins = (
        Twin(
            name="pdf",
            formula=Formula(sp.Function("f")(t), density),
            args=(Arg("x", t), Arg("mu", mu), Arg("sigma", sigma)),
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
        Twin(
            name="mean",
            formula=Formula(integral(t * density), mu),
            args=(Arg("mu", mu), Arg("sigma", sigma)),
            reference=Reference(
                "scipy.stats.norm.mean", lambda mu, sigma: sps.norm.mean(mu, sigma)
            ),
            sample=parameters,
            domain="σ > 0; NaN otherwise",
            valid=lambda mu, sigma: sigma > 0,
            rtol=1e-12,
        ),
        Twin(
            name="variance",
            formula=Formula(integral((t - mu) ** 2 * density), sigma**2),
            args=(Arg("mu", mu), Arg("sigma", sigma)),
            reference=Reference("scipy.stats.norm.var", lambda mu, sigma: sps.norm.var(mu, sigma)),
            sample=parameters,
            domain="σ > 0; NaN otherwise",
            valid=lambda mu, sigma: sigma > 0,
            rtol=1e-12,
        ),
        Twin(
            name="within k standard deviations",
            formula=Formula(within, within_value),
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
            args=(Arg("x", xs),),
            reference=Reference(
                "scipy.stats.norm.fit (loc, scale²)", _fit, kind="optimisation", batched=False
            ),
            sample=lambda rng, count: {"x": rng.normal(1.0, 2.0, size=(count, TWIN_SIZE))},
            domain=f"real data of length {TWIN_SIZE}",
            rtol=1e-9,
            atol=1e-12,
        ),
    )

    return ENTRY.derivation(
        symbols=(
            Var(N, "a normal random variable"),
            Var(mu, "its mean"),
            Var(sigma, "its standard deviation", Domain.POSITIVE),
            Var(t, "a point on the real line"),
            Var(k, "a number of standard deviations", Domain.POSITIVE),
            Var(x, "independent data x₁, …, xₙ from the distribution"),
            Var(n, "the number of data points", Domain.COUNT),
        ),
        steps=steps,
        results=results,
        twins=twins,
        sizes=sizes(n),
        assumptions=("σ > 0",),
        intuition=(
            "The normal density is the bell curve exp(−z²/2) in standardised units "
            "z = (x − μ)/σ, scaled so that its area is 1. Shifting by μ moves its centre and "
            "stretching by σ widens it, which is all the two parameters do; so the share of "
            "probability within k standard deviations is the same for every normal "
            "distribution, erf(k/√2). Fitting it by maximum likelihood balances the data: the "
            "centre goes to the sample mean and the squared width to the average squared "
            "deviation."
        ),
        interview=interview,
        mistakes=(
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
                variance_mle,
                total((x[i] - SampleMean(x, n)) ** 2, n) / (n - 1),
                "The maximum-likelihood estimate divides by n; n − 1 is the unbiased estimate, "
                "a different estimator.",
                name="MLE divides by n − 1",
            ),
        ),
        notes=(
            "The twins use scipy.special.erf (lambdified with scipy) against scipy's normal "
            "cdf, and the closed-form MLE against scipy.stats.norm.fit.",
        ),
    )
