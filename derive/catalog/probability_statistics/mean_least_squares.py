"""The mean minimises the sum of squared deviations; the weighted mean the weighted sum.

>>> build().result.rhs
SampleMean(x, n)
"""

from __future__ import annotations

import numpy as np
import sympy as sp
from scipy import optimize

from derive.catalog.common import fmt
from derive.catalog.entry import Entry
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
    id="mean-least-squares",
    topic=Topic.PROBABILITY_STATISTICS,
    title="The mean minimises squared error",
)

TWIN_SIZE = 6


def _argmin_squares(x: np.ndarray) -> np.ndarray:
    """The minimiser of Σ(xᵢ − c)² found by Brent's method, without any formula for it."""
    result = optimize.minimize_scalar(
        lambda c: float(np.sum((x - c) ** 2)), bracket=(x.min(), x.max()), tol=1e-12
    )
    return np.array(result.x)


def build() -> Derivation:
    """Build the derivation."""
    i = INDEX
    n = sp.Symbol("n", integer=True, positive=True)
    x = sp.IndexedBase("x", real=True)
    w = sp.IndexedBase("w", positive=True)
    c = sp.Symbol("c", real=True)
    m = sp.Symbol("m", real=True)

    loss = total((x[i] - c) ** 2, n)
    gradient = linear_sums(sp.diff(loss, c).doit())
    condition = sp.expand(gradient / 2)
    minimiser = sp.solve(condition, c)[0]
    curvature = sp.diff(loss, c, 2).doit()
    mean = SampleMean(x, n)

    weighted = total(w[i] * (x[i] - m) ** 2, n)
    weighted_gradient = linear_sums(sp.diff(weighted, m).doit())
    weighted_condition = sp.expand(-weighted_gradient / 2)
    weighted_minimiser = sp.solve(weighted_condition, m)[0]
    equal_weights = weighted_minimiser.replace(
        lambda e: isinstance(e, sp.Indexed) and e.base == w, lambda e: sp.Integer(1)
    )

    steps = (
        Step(
            lhs=sp.Function("L")(c),
            rhs=loss,
            rel=Rel.GIVEN,
            why="The squared-error loss of summarising the data x₁, …, xₙ by one number c.",
        ),
        Step(
            lhs=sp.Derivative(loss, c),
            rhs=gradient,
            rel=Rel.IDENTITY,
            why="Differentiate term by term: d/dc (xᵢ − c)² = −2(xᵢ − c). Proven for symbolic n.",
        ),
        Step(
            lhs=sp.Derivative(loss, c),
            rhs=0,
            rel=Rel.GIVEN,
            why="At a minimum of a differentiable function the derivative vanishes.",
        ),
        Step(
            lhs=condition,
            rhs=0,
            rel=Rel.IFF,
            by=sp.Rational(1, 2),
            why="Halve: n c equals the sum of the data.",
        ),
        Step(lhs=c, rhs=minimiser, rel=Rel.IMPLIES, why="Solve the linear equation for c."),
        Step(rhs=mean, why="That is the mean x̄ = (1/n) Σ xᵢ."),
        Step(
            lhs=sp.Derivative(loss, (c, 2)),
            rhs=curvature,
            rel=Rel.IDENTITY,
            why="The second derivative is the constant 2n > 0: L is a convex parabola in c.",
        ),
        Step(
            lhs=curvature,
            rhs=0,
            rel=Rel.GE,
            why="So the stationary point is the global minimum.",
        ),
        Step(
            lhs=loss,
            rhs=total((x[i] - mean) ** 2, n) + n * (c - mean) ** 2,
            rel=Rel.IDENTITY,
            why="The same in one line: L(c) = L(x̄) + n(c − x̄)², so any c ≠ x̄ costs n(c − x̄)² "
            "more. Proven for symbolic n.",
        ),
        Step(
            lhs=sp.Derivative(weighted, m),
            rhs=weighted_gradient,
            rel=Rel.IDENTITY,
            why="Weighted loss Σ wᵢ(xᵢ − m)² with weights wᵢ > 0: differentiate term by term.",
        ),
        Step(
            lhs=sp.Derivative(weighted, m),
            rhs=0,
            rel=Rel.GIVEN,
            why="Set the derivative to zero.",
        ),
        Step(
            lhs=weighted_condition,
            rhs=0,
            rel=Rel.IFF,
            by=sp.Rational(-1, 2),
            why="Divide by −2: the weighted deviations balance.",
        ),
        Step(
            lhs=m,
            rhs=weighted_minimiser,
            rel=Rel.IMPLIES,
            why="Solve: the weighted mean Σ wᵢxᵢ / Σ wᵢ.",
        ),
        Step(
            lhs=equal_weights,
            rhs=mean,
            rel=Rel.IDENTITY,
            why="With equal weights the weighted mean is the ordinary mean.",
        ),
    )
    results = (
        Formula(c, mean, name="least-squares centre"),
        Formula(m, weighted_minimiser, name="weighted mean"),
    )

    data = [2, 4, 4, 4, 5, 5, 7, 9]
    example_mean = (
        mean.xreplace({n: len(data)}).doit().xreplace({x[k]: v for k, v in enumerate(data, 1)})
    )
    scores, weights = [85, 90, 78], [sp.Rational(2, 10), sp.Rational(3, 10), sp.Rational(5, 10)]
    example_weighted = (
        weighted_minimiser.xreplace({n: 3})
        .doit()
        .xreplace({x[k]: v for k, v in enumerate(scores, 1)})
        .xreplace({w[k]: v for k, v in enumerate(weights, 1)})
    )
    interview = Interview(
        question="Which single number c minimises Σ(xᵢ − c)²? Prove it, then compute it for "
        "2, 4, 4, 4, 5, 5, 7, 9, and the weighted mean of scores 85, 90, 78 with weights "
        "0.2, 0.3, 0.5.",
        answer=(
            "d/dc Σ(xᵢ − c)² = −2Σ(xᵢ − c) = 2(nc − Σxᵢ) vanishes at c = Σxᵢ/n = x̄, and the "
            "second derivative 2n > 0 makes it the minimum (equivalently "
            f"Σ(xᵢ − c)² = Σ(xᵢ − x̄)² + n(c − x̄)²). Here x̄ = 40/8 = {fmt(example_mean)}. "
            "With weights the same argument gives Σwᵢxᵢ/Σwᵢ = (0.2·85 + 0.3·90 + 0.5·78)/1 = "
            f"{fmt(example_weighted)}."
        ),
    )

    xs = entry_symbols(x, TWIN_SIZE)
    ws = entry_symbols(w, TWIN_SIZE)
    mean_formula = Formula(c, at_size(mean, n, TWIN_SIZE, [x]))

    def data_sample(rng: np.random.Generator, size: int) -> dict[str, np.ndarray]:
        return {"x": rng.normal(3.0, 4.0, size=(size, TWIN_SIZE))}

    def weighted_sample(rng: np.random.Generator, size: int) -> dict[str, np.ndarray]:
        return {
            "x": rng.normal(3.0, 4.0, size=(size, TWIN_SIZE)),
            "w": rng.uniform(0.1, 2.0, size=(size, TWIN_SIZE)),
        }

    twins = (
        Twin(
            name="mean",
            formula=mean_formula,
            args=(Arg("x", xs),),
            reference=Reference("np.mean", lambda x: np.mean(x, axis=-1)),
            sample=data_sample,
            domain=f"any real data of length {TWIN_SIZE}",
            rtol=1e-12,
        ),
        Twin(
            name="least-squares minimiser",
            formula=mean_formula,
            args=(Arg("x", xs),),
            reference=Reference(
                "scipy.optimize.minimize_scalar of Σ(xᵢ − c)²",
                _argmin_squares,
                kind="optimisation",
                batched=False,
            ),
            sample=data_sample,
            domain=f"any real data of length {TWIN_SIZE}",
            rtol=1e-6,  # Brent locates a minimum to about √ε relative: 8e-8 seen
            atol=1e-6,
        ),
        Twin(
            name="weighted mean",
            formula=Formula(m, at_size(weighted_minimiser, n, TWIN_SIZE, [x, w])),
            args=(Arg("x", xs), Arg("w", ws)),
            reference=Reference(
                "np.average(weights=w)", lambda x, w: np.average(x, weights=w, axis=-1)
            ),
            sample=weighted_sample,
            domain="positive weights; NaN if a weight is not positive",
            valid=lambda x, w: np.all(w > 0, axis=-1),
            rtol=1e-12,
        ),
    )

    return ENTRY.derivation(
        symbols=(
            Var(x, "the data x₁, …, xₙ"),
            Var(w, "positive weights w₁, …, wₙ", Domain.POSITIVE),
            Var(n, "the number of data points", Domain.COUNT),
            Var(c, "a candidate centre"),
            Var(m, "a candidate weighted centre"),
        ),
        steps=steps,
        results=results,
        twins=twins,
        sizes=sizes(n),
        assumptions=("n ≥ 1", "weights wᵢ > 0"),
        intuition=(
            "The mean is the balance point of the data: at c = x̄ the deviations xᵢ − c to the "
            "left and to the right cancel exactly, and the derivative of the squared error is "
            "−2 times that total deviation. Squaring makes the loss a parabola in c, so the "
            "balance point is its unique bottom, and moving away by d costs n·d² more. "
            "Weights say how many copies of each point to count, so the balance point becomes "
            "the weighted mean. Because squares punish large misses heavily, one far outlier "
            "pulls the mean a long way."
        ),
        interview=interview,
        mistakes=(
            Mistake(
                mean,
                total(x[i], n) / (n - 1),
                "The mean divides by n; n − 1 belongs to the unbiased variance, not the mean.",
                name="mean over n − 1",
            ),
            Mistake(
                sp.Derivative(loss, c),
                total(2 * (x[i] - c), n),
                "The chain rule brings a factor −1 from the inner −c: the derivative is "
                "−2Σ(xᵢ − c).",
                name="chain-rule sign",
            ),
            Mistake(
                weighted_minimiser,
                total(w[i] * x[i], n) / n,
                "A weighted mean divides by the total weight Σwᵢ, not by the count n.",
                name="weighted mean over n",
            ),
            Mistake(
                weighted_minimiser,
                total(w[i] * x[i], n),
                "Σwᵢxᵢ is the weighted mean only when the weights sum to 1.",
                name="weights not normalised",
            ),
        ),
        notes=(
            "Steps with sums are proven for symbolic n; the numeric screen also checks them at "
            "n = 2, …, 6.",
        ),
    )
