"""Linearity of expectation: E[aX + b] = aE[X] + b and Var(aX + b) = a² Var X.

>>> build().result.rhs
a*Expectation(X) + b
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import numpy as np
import sympy as sp
from sympy import stats

from derive.catalog.common import fmt
from derive.catalog.entry import Entry, Exercise
from derive.catalog.parts import Parts
from derive.catalog.steps import identity, ne
from derive.core import lazy
from derive.core.model import Domain, Formula, Interview, Mistake, Step, Topic, Var
from derive.numeric.derivation import Derivation
from derive.numeric.twin import Arg, Reference, Twin

integrate = lazy.module("scipy.integrate")
special = lazy.module("scipy.special")

ENTRY = Entry(
    id="expectation-linearity",
    topic=Topic.PROBABILITY_STATISTICS,
    title="Linearity of expectation; variance of an affine map",
    exercise=Exercise(
        question=(
            r"$G$ has a Gamma distribution with shape $k$ and scale $\theta$, and $a, b$ are "
            r"constants. Compute ${lhs}$ for {given}."
        ),
    ),
)

E, V = stats.Expectation, stats.Variance

INTUITION = (
    "An expectation is an average, and averaging commutes with stretching and "
    "sliding: rescale every outcome by a and shift it by b and the average is rescaled "
    "and shifted the same way. Spread is different: sliding a distribution does not "
    "make it wider, so b drops out of the variance, and stretching by a stretches every "
    "deviation by a and every squared deviation by a². Linearity needs no "
    "independence, but it stops at linear maps: the average of squares is not the "
    "square of the average."
)
NOTES = (
    "The references integrate numerically (scipy's quad, asked for 1e-10 relative "
    "accuracy; the worst seen is about 2e-8), hence rtol 1e-7.",
)


def gamma_density(v: Any, k: Any, theta: Any) -> Any:
    """The gamma density v^(k−1) e^(−v/θ) / (Γ(k) θ^k), in logs (scipy.special)."""
    return np.exp(special.xlogy(k - 1, v) - v / theta - special.gammaln(k) - k * np.log(theta))


def _integral(function: Callable[[float], float]) -> float:
    return float(integrate.quad(function, 0, np.inf, epsrel=1e-10, limit=200)[0])


def _gamma_mean(a: np.ndarray, b: np.ndarray, k: np.ndarray, theta: np.ndarray) -> np.ndarray:
    """E[aX + b] by numerical integration (scipy.integrate.quad) against the gamma density."""
    return np.array(_integral(lambda v: (a * v + b) * gamma_density(v, k, theta)))


def _gamma_variance(a: np.ndarray, b: np.ndarray, k: np.ndarray, theta: np.ndarray) -> np.ndarray:
    """Var(aX + b) = E[(aX + b − m)²] by numerical integration."""
    m = _integral(lambda v: (a * v + b) * gamma_density(v, k, theta))
    return np.array(_integral(lambda v: (a * v + b - m) ** 2 * gamma_density(v, k, theta)))


def _inputs(rng: np.random.Generator, count: int) -> dict[str, np.ndarray]:
    return {
        "a": rng.uniform(-3.0, 3.0, size=count),
        "b": rng.uniform(-5.0, 5.0, size=count),
        "k": rng.uniform(0.5, 5.0, size=count),
        "theta": rng.uniform(0.2, 3.0, size=count),
    }


class _Parts(Parts):
    """Two general random variables, an affine map and a concrete gamma variable."""

    intuition = INTUITION
    assumptions = ("E[X²] finite",)
    notes = NOTES

    def __init__(self) -> None:
        self.X = stats.rv.RandomSymbol(sp.Symbol("X"))
        self.Y = stats.rv.RandomSymbol(sp.Symbol("Y"))
        self.a, self.b = a, b = sp.symbols("a b", real=True)
        self.k, self.theta = sp.symbols("k theta", positive=True)
        self.G = G = stats.Gamma("G", self.k, self.theta)

        self.affine_mean = a * E(self.X) + b
        self.gamma_mean = sp.factor(stats.E(a * G + b))
        self.gamma_variance = sp.factor(stats.variance(a * G + b))

    def symbols(self) -> tuple[Var, ...]:
        return (
            Var(self.X, "a random variable with finite variance (any distribution)"),
            Var(self.Y, "another random variable (any dependence on X)"),
            Var(self.a, "a scale"),
            Var(self.b, "a shift"),
            Var(self.G, "a gamma random variable"),
            Var(self.k, "its shape", Domain.POSITIVE),
            Var(self.theta, "its scale", Domain.POSITIVE),
        )

    def steps(self) -> tuple[Step, ...]:
        X, Y, G, a, b = self.X, self.Y, self.G, self.a, self.b
        return (
            identity(
                E(a * X + b),
                self.affine_mean,
                "Expectation is a weighted sum (or integral) of values, so constants factor "
                "out and add through. Holds for any X with a mean.",
            ),
            identity(
                E(X + Y),
                E(X) + E(Y),
                "Likewise for a sum of two random variables, dependent or not.",
            ),
            identity(
                V(a * X + b),
                E((a * X + b - self.affine_mean) ** 2),
                "Variance: expected squared distance of aX + b from its mean aE[X] + b …",
            ),
            Step(rhs=E(a**2 * (X - E(X)) ** 2), why="… b cancels, a comes out of the bracket …"),
            Step(rhs=a**2 * V(X), why="… and out of the expectation squared."),
            identity(
                E(a * G + b),
                self.gamma_mean,
                "A concrete case: G gamma distributed with shape k and scale θ, mean kθ; "
                "sympy.stats integrates against the density.",
            ),
            identity(V(a * G + b), self.gamma_variance, "Its variance kθ², scaled by a²."),
            ne(
                E(G**2),
                E(G) ** 2,
                "Linearity is for linear maps only: E[G²] ≠ (E[G])² (the gap is Var G).",
            ),
        )

    def results(self) -> tuple[Formula, ...]:
        X, G, a, b = self.X, self.G, self.a, self.b
        return (
            Formula(E(a * X + b), self.affine_mean, name="mean of aX + b"),
            Formula(V(a * X + b), a**2 * V(X), name="variance of aX + b"),
            Formula(E(a * G + b), self.gamma_mean, name="gamma: mean"),
            Formula(V(a * G + b), self.gamma_variance, name="gamma: variance"),
        )

    def interview(self) -> Interview:
        X, a, b = self.X, self.a, self.b
        known = {E(X): 3, V(X): 4}
        mean_answer = self.affine_mean.xreplace({a: 2, b: -5}).xreplace(known)
        variance_answer = (a**2 * V(X)).xreplace({a: 2}).xreplace(known)
        flipped = (a**2 * V(X)).xreplace({a: -1}).xreplace(known)
        return Interview(
            question="X has mean 3 and variance 4. Find E[2X − 5], Var(2X − 5) and Var(−X).",
            answer=(
                f"E[2X − 5] = 2·3 − 5 = {fmt(mean_answer)}; Var(2X − 5) = 2²·4 = "
                f"{fmt(variance_answer)} (the shift −5 moves the distribution without spreading "
                f"it); Var(−X) = (−1)²·4 = {fmt(flipped)}: variance is never negative, and "
                "reflecting does not change spread. The standard deviation scales by |a|."
            ),
        )

    def twins(self, results: tuple[Formula, ...]) -> tuple[Twin, ...]:
        G, a, b = self.G, self.a, self.b
        mean = Twin(
            name="E[aG + b]",
            formula=Formula(E(a * G + b), self.gamma_mean),
            args=(Arg("a", a), Arg("b", b), Arg("k", self.k), Arg("theta", self.theta)),
            reference=Reference(
                "scipy.integrate.quad against the gamma density",
                _gamma_mean,
                kind="library",
                batched=False,
            ),
            sample=_inputs,
            domain="k, θ > 0; NaN otherwise",
            valid=lambda a, b, k, theta: (k > 0) & (theta > 0),
            rtol=1e-7,
            atol=1e-9,
        )
        variance = replace(
            mean,
            name="Var(aG + b)",
            formula=Formula(V(a * G + b), self.gamma_variance),
            reference=replace(
                mean.reference,
                name="scipy.integrate.quad of the squared deviation against the gamma density",
                fn=_gamma_variance,
            ),
        )
        return (mean, variance)

    def mistakes(self) -> tuple[Mistake, ...]:
        G, a, b, k, theta = self.G, self.a, self.b, self.k, self.theta
        return (
            Mistake(
                V(a * G + b),
                a * k * theta**2,
                "Variance is quadratic: the scale enters as a², not a (Var(−G) is not −Var G).",
                name="variance scales by a",
            ),
            Mistake(
                V(a * G + b),
                a**2 * k * theta**2 + b,
                "A shift moves the distribution without spreading it: b drops out.",
                name="shift adds to the variance",
            ),
            Mistake(
                V(a * G + b),
                a**2 * k * theta**2 + b**2,
                "b is a constant: it has no variance and no covariance with G.",
                name="shift squared added",
            ),
            Mistake(
                E(a * G + b),
                a * k * theta,
                "The shift b is part of every outcome, so it is part of the mean.",
                name="shift forgotten in the mean",
            ),
            Mistake(
                E(G**2),
                (k * theta) ** 2,
                "E[G²] = Var G + (E G)² = kθ² + k²θ²; the mean of a square is not the square "
                "of the mean.",
                name="E[G²] = (E G)²",
            ),
        )


def build() -> Derivation:
    """Build the derivation."""
    return _Parts().derivation(ENTRY)
