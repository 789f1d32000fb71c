"""Covariance and correlation: Cov = E[XY] − E[X]E[Y], Var(X + Y) = Var X + Var Y + 2 Cov,
and −1 ≤ ρ ≤ 1; the same for data.

>>> build().result.rhs
Expectation(X*Y) - Expectation(X)*Expectation(Y)
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
    Named,
    SampleMean,
    at_size,
    entry_symbols,
    representable,
    sizes,
    squared_deviations,
    total,
)
from derive.catalog.steps import ge, identity
from derive.core.model import Domain, Formula, Interview, Mistake, Step, Topic, Var
from derive.numeric.derivation import Derivation
from derive.numeric.twin import Arg, Reference, Twin

ENTRY = Entry(
    id="covariance-correlation",
    topic=Topic.PROBABILITY_STATISTICS,
    title="Covariance and correlation",
    plot=Picture(
        caption=(
            "Three samples and their correlation: near +1 and −1 for a clear linear trend, near 0 "
            "without one."
        ),
        drawing="correlation_panels",
    ),
    exercise=Exercise(
        question=(
            r"Compute the sample covariance ${lhs} = \frac{{1}}{{n - 1}} \sum_i (x_i - "
            r"\bar{{x}})(y_i - \bar{{y}})$ of the $n$ paired values {given}."
        ),
        lhs=r"s_{xy}",
    ),
)

TWIN_SIZE = 6
POINTS = 3

E, V, C = stats.Expectation, stats.Variance, stats.Covariance

INTUITION = (
    "Covariance averages the product of the two deviations: positive when X and Y tend "
    "to be above (or below) their means together, negative when one is above as the "
    "other is below. Its size depends on units, so correlation divides by both standard "
    "deviations and lands in [−1, 1]; the bound is Cauchy–Schwarz, the fact that the "
    "standardised sum and difference cannot have negative variance. When two variables "
    "move together, their sum spreads more than the two spreads added (the 2Cov term); "
    "when they offset, less."
)


def _lagrange(K: sp.Expr, values: tuple[sp.Symbol, ...]) -> sp.Expr:
    """The polynomial in K taking values[j] at K = j + 1 (j = 0, 1, 2)."""
    basis = [(K - 2) * (K - 3) / 2, -(K - 1) * (K - 3), (K - 1) * (K - 2) / 2]
    return sp.Add(*(v * b for v, b in zip(values, basis, strict=True)))


def _paired(rng: np.random.Generator, count: int) -> dict[str, np.ndarray]:
    first = rng.normal(1.0, 2.0, size=(count, TWIN_SIZE))
    slope = rng.normal(0.0, 1.0, size=(count, 1))
    return {"x": first, "y": slope * first + rng.normal(0.0, 1.5, size=(count, TWIN_SIZE))}


def _spread(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    with np.errstate(all="ignore"):
        return representable(squared_deviations(x) * squared_deviations(y))


def _joint(rng: np.random.Generator, count: int) -> dict[str, np.ndarray]:
    return {
        "u": rng.normal(0.0, 2.0, size=(count, POINTS)),
        "w": rng.normal(0.0, 2.0, size=(count, POINTS)),
        "a": rng.uniform(0.05, 0.95, size=count),
        "b": rng.uniform(0.05, 0.95, size=count),
    }


def _weighted_cov(u: np.ndarray, w: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    weights = np.array([a, (1 - a) * b, (1 - a) * (1 - b)])
    return np.array(np.cov(np.stack([u, w]), aweights=weights, bias=True)[0, 1])


def _bounds(correlation: Twin) -> Callable[[np.random.Generator], tuple[bool, str]]:
    """r of seeded data lies in [−1, 1], and is ±1 for exact lines."""

    def bounds(rng: np.random.Generator) -> tuple[bool, str]:
        inputs = _paired(rng, 2000)
        values = correlation(**inputs)
        scale = rng.uniform(-3.0, 3.0, size=(200, 1))
        line = rng.normal(size=(200, TWIN_SIZE))
        exact = correlation(x=line, y=scale * line + 1.5)
        ok = bool(np.all(np.abs(values) <= 1 + 1e-12)) and bool(
            np.allclose(exact, np.sign(scale[:, 0]), atol=1e-12)
        )
        return ok, (
            f"2000 seeded data sets: r in [{values.min():.3f}, {values.max():.3f}]; 200 exact "
            "lines y = cx + 1.5 give r = sign(c) to 1e-12"
        )

    return bounds


class _Parts(Parts):
    """The symbols, a concrete three-point joint distribution and the sample statistics."""

    intuition = INTUITION
    assumptions = ("finite variances", "n ≥ 2 for the sample versions")

    def __init__(self) -> None:
        self.X = X = stats.rv.RandomSymbol(sp.Symbol("X"))
        self.Y = Y = stats.rv.RandomSymbol(sp.Symbol("Y"))
        self.covariance = E(X * Y) - E(X) * E(Y)

        # A concrete joint distribution: (U, W) = (u_K, w_K) with K = 1, 2, 3 of probabilities
        # a, (1 − a)b, (1 − a)(1 − b) — three arbitrary points in the plane, arbitrary weights.
        self.a, self.b = a, b = sp.symbols("a b", positive=True)
        self.us = sp.symbols(f"u1:{POINTS + 1}", real=True)
        self.ws = sp.symbols(f"w1:{POINTS + 1}", real=True)
        K = stats.FiniteRV("K", {1: a, 2: (1 - a) * b, 3: (1 - a) * (1 - b)})
        self.U = Named(_lagrange(K, self.us), sp.Symbol("U"))
        self.W = Named(_lagrange(K, self.ws), sp.Symbol("W"))
        self.concrete_covariance = sp.factor(stats.covariance(self.U, self.W))

        i = INDEX
        self.n = n = sp.Symbol("n", integer=True, positive=True)
        self.x = x = sp.IndexedBase("x", real=True)
        self.y = y = sp.IndexedBase("y", real=True)
        self.xbar, self.ybar = xbar, ybar = SampleMean(x, n), SampleMean(y, n)
        self.s_xy = total((x[i] - xbar) * (y[i] - ybar), n) / (n - 1)
        self.s_xx = total((x[i] - xbar) ** 2, n) / (n - 1)
        self.s_yy = total((y[i] - ybar) ** 2, n) / (n - 1)
        self.s_sum = total((x[i] + y[i] - xbar - ybar) ** 2, n) / (n - 1)
        self.r = self.s_xy / sp.sqrt(self.s_xx * self.s_yy)

    def symbols(self) -> tuple[Var, ...]:
        return (
            Var(self.X, "a random variable (any distribution, finite variance)"),
            Var(self.Y, "another, with any dependence on X"),
            Var(self.U, "first coordinate of a three-point joint distribution"),
            Var(self.W, "second coordinate"),
            *(Var(v, "a coordinate of a support point") for v in (*self.us, *self.ws)),
            Var(self.a, "P(K = 1)", Domain.PROBABILITY),
            Var(self.b, "P(K = 2 | K ≠ 1)", Domain.PROBABILITY),
            Var(self.x, "data x₁, …, xₙ"),
            Var(self.y, "paired data y₁, …, yₙ"),
            Var(self.n, "the number of pairs", Domain.COUNT),
        )

    def steps(self) -> tuple[Step, ...]:
        X, Y, U, W = self.X, self.Y, self.U, self.W
        i, n, x, y = INDEX, self.n, self.x, self.y
        s_xy, s_xx, s_yy = self.s_xy, self.s_xx, self.s_yy
        rho = C(X, Y) / (sp.sqrt(V(X)) * sp.sqrt(V(Y)))
        return (
            identity(
                C(X, Y),
                E((X - E(X)) * (Y - E(Y))),
                "Definition: the expected product of the deviations from the means.",
            ),
            Step(rhs=self.covariance, why="Expand and use linearity (any joint distribution)."),
            identity(
                V(X + Y),
                V(X) + V(Y) + 2 * C(X, Y),
                "Variance of a sum: square (X − E X) + (Y − E Y); the cross term is twice the "
                "covariance. It vanishes only for uncorrelated X and Y.",
            ),
            identity(
                V(X / sp.sqrt(V(X)) + Y / sp.sqrt(V(Y))),
                2 + 2 * rho,
                "For correlation ρ = Cov(X, Y)/(σ_X σ_Y): the variance of the sum of the "
                "standardised variables is 2(1 + ρ) …",
            ),
            identity(
                V(X / sp.sqrt(V(X)) - Y / sp.sqrt(V(Y))),
                2 - 2 * rho,
                "… and of their difference 2(1 − ρ). Both are variances, so both are ≥ 0: "
                "−1 ≤ ρ ≤ 1.",
            ),
            identity(
                C(U, W),
                self.concrete_covariance,
                "A concrete check: (U, W) takes three arbitrary points (u_k, w_k) with "
                "arbitrary probabilities; sympy.stats computes the covariance.",
            ),
            ge(
                V(U) * V(W) - C(U, W) ** 2,
                0,
                "Cauchy–Schwarz, Cov² ≤ Var U · Var W, i.e. ρ² ≤ 1, holds for it.",
            ),
            identity(
                s_xy,
                (total(x[i] * y[i], n) - n * self.xbar * self.ybar) / (n - 1),
                "For data, the sample covariance (dividing by n − 1, as np.cov) has the same "
                "shortcut. Proven for symbolic n.",
            ),
            identity(
                self.s_sum,
                s_xx + s_yy + 2 * s_xy,
                "And the sample variance of xᵢ + yᵢ splits the same way. Proven for symbolic n.",
            ),
            identity(
                s_xy / s_xx,
                self.r * sp.sqrt(s_yy) / sp.sqrt(s_xx),
                "The least-squares slope of y on x is s_xy/s_x² = r·s_y/s_x: it equals the "
                "correlation only when both have the same spread.",
            ),
        )

    def results(self) -> tuple[Formula, ...]:
        X, Y = self.X, self.Y
        return (
            Formula(C(X, Y), self.covariance, name="covariance"),
            Formula(V(X + Y), V(X) + V(Y) + 2 * C(X, Y), name="variance of a sum"),
            Formula(
                self.s_sum, self.s_xx + self.s_yy + 2 * self.s_xy, name="sample variance of a sum"
            ),
        )

    def interview(self) -> Interview:
        n, x, y = self.n, self.x, self.y
        xs_example, ys_example = [1, 2, 3, 4], [2, 4, 5, 9]
        data = {**{x[k]: v for k, v in enumerate(xs_example, 1)}}
        data.update({y[k]: v for k, v in enumerate(ys_example, 1)})

        def example(expr: sp.Expr) -> sp.Expr:
            return sp.nsimplify(expr.xreplace({n: len(xs_example)}).doit().xreplace(data))

        r_example = example(self.r)
        slope_example = example(self.s_xy / self.s_xx)
        return Interview(
            question="For x = 1, 2, 3, 4 and y = 2, 4, 5, 9 compute the sample covariance, the "
            "correlation and the regression slope. Why is |ρ| ≤ 1, and what is Var(X + Y)?",
            answer=(
                f"x̄ = {fmt(example(self.xbar))}, ȳ = {fmt(example(self.ybar))}; s_xy = "
                f"Σ(x − x̄)(y − ȳ)/(n − 1) = {fmt(example(self.s_xy))}, s_x² = "
                f"{fmt(example(self.s_xx))}, s_y² = {fmt(example(self.s_yy))}, so r = "
                f"{fmt(r_example)} ≈ {decimal(r_example, 4)} while the slope is s_xy/s_x² = "
                f"{fmt(slope_example)}: the slope carries units, r does not. |ρ| ≤ 1 because "
                "Var(X/σ_X ± Y/σ_Y) = 2(1 ± ρ) cannot be negative (equality exactly for a "
                "linear relation). Var(X + Y) = Var X + Var Y + 2Cov(X, Y); the covariance "
                "term drops only for uncorrelated variables."
            ),
        )

    def twins(self, results: tuple[Formula, ...]) -> tuple[Twin, ...]:
        n, x, y, a, b = self.n, self.x, self.y, self.a, self.b
        s_xy, r, s_sum = self.s_xy, self.r, self.s_sum
        covariance = Twin(
            name="sample covariance",
            formula=Formula(s_xy, at_size(s_xy, n, TWIN_SIZE, [x, y])),
            args=(Arg("x", entry_symbols(x, TWIN_SIZE)), Arg("y", entry_symbols(y, TWIN_SIZE))),
            reference=Reference("np.cov", lambda x, y: np.cov(x, y)[0, 1], batched=False),
            sample=_paired,
            domain=f"paired data of length {TWIN_SIZE}",
            rtol=1e-10,
            atol=1e-12,
        )
        correlation = replace(
            covariance,
            name="sample correlation",
            formula=Formula(r, at_size(r, n, TWIN_SIZE, [x, y])),
            reference=Reference("np.corrcoef", lambda x, y: np.corrcoef(x, y)[0, 1], batched=False),
            domain="neither x nor y constant (and Σ(x − x̄)²·Σ(y − ȳ)² a normal double); NaN "
            "otherwise",
            valid=_spread,
        )
        variance_of_sum = replace(
            covariance,
            name="sample variance of a sum",
            formula=Formula(s_sum, at_size(self.s_xx + self.s_yy + 2 * s_xy, n, TWIN_SIZE, [x, y])),
            reference=Reference(
                "np.var(x + y, ddof=1)", lambda x, y: np.var(x + y, axis=-1, ddof=1)
            ),
        )
        joint = Twin(
            name="covariance of a three-point joint distribution",
            formula=Formula(C(self.U, self.W), self.concrete_covariance),
            args=(
                Arg("u", sp.ImmutableMatrix(self.us)),
                Arg("w", sp.ImmutableMatrix(self.ws)),
                Arg("a", a),
                Arg("b", b),
            ),
            reference=Reference(
                "np.cov(aweights=probabilities, bias=True)", _weighted_cov, batched=False
            ),
            sample=_joint,
            domain="0 < a, b < 1; NaN outside",
            valid=lambda u, w, a, b: (a > 0) & (a < 1) & (b > 0) & (b < 1),
            rtol=1e-9,
            atol=1e-12,
        )
        return (covariance, correlation, variance_of_sum, joint)

    def mistakes(self) -> tuple[Mistake, ...]:
        U, W = self.U, self.W
        i, n, x, y = INDEX, self.n, self.x, self.y
        return (
            Mistake(
                V(U + W),
                V(U) + V(W),
                "Only for uncorrelated variables; in general add 2Cov(U, W).",
                name="variances add for dependent variables",
            ),
            Mistake(
                V(U - W),
                V(U) - V(W),
                "Var(U − W) = Var U + Var W − 2Cov(U, W): a variance can never be subtracted away.",
                name="variance of a difference",
            ),
            Mistake(
                C(U, W),
                E(U * W),
                "The covariance subtracts E[U]E[W]; E[UW] alone changes when U is shifted.",
                name="means forgotten",
            ),
            Mistake(
                C(U, W) / (sp.sqrt(V(U)) * sp.sqrt(V(W))),
                C(U, W) / V(U),
                "Cov/Var U is the regression slope of W on U, not the correlation.",
                name="correlation confused with a slope",
            ),
            Mistake(
                self.s_xy,
                total((x[i] - self.xbar) * (y[i] - self.ybar), n) / n,
                "np.cov divides by n − 1 (the sample covariance); dividing by n is the "
                "population (maximum-likelihood) version.",
                name="sample covariance over n",
            ),
        )

    def sizes(self) -> tuple[dict[sp.Symbol, int], ...]:
        return sizes(self.n)

    def checks(self, results: tuple[Formula, ...], twins: tuple[Twin, ...]) -> tuple[Check, ...]:
        return (("r lies in [−1, 1] and is ±1 for exact lines", _bounds(twins[1])),)


def build() -> Derivation:
    """Build the derivation."""
    return _Parts().derivation(ENTRY)
