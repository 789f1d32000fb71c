"""Derivatives of the activations σ, tanh and softplus, by the chain and quotient rules.

>>> [r.name for r in build().results]
['σ′', 'σ′ (stable form)', 'tanh′', 'tanh′ (stable form)', 'softplus′']
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from derive.catalog.calculus_optimization.shared import derivative_reference, product
from derive.catalog.common import decimal, fmt
from derive.catalog.entry import Entry, Exercise, Picture
from derive.catalog.steps import ge, given, identity
from derive.core import lazy
from derive.core.functions import expand_definitions, fold_definitions, sigmoid, softplus
from derive.core.model import Formula, Interview, Mistake, Step, Topic, Var
from derive.numeric.derivation import Derivation
from derive.numeric.twin import Arg, Twin

special = lazy.module("scipy.special")

ENTRY = Entry(
    id="chain-rule-activations",
    topic=Topic.CALCULUS_OPTIMIZATION,
    title="Derivatives of sigmoid, tanh and softplus (chain rule)",
    plot=Picture(
        caption=(
            "The derivatives of sigmoid, tanh and softplus: the sigmoid’s slope is at most ¼, "
            "which is why deep sigmoid stacks shrink gradients."
        ),
        drawing="activation_slopes",
    ),
    exercise=Exercise(
        question=(
            r"For the sigmoid $\sigma(z) = 1 / (1 + e^{{-z}})$, compute its derivative "
            r"${lhs}$ at {given}."
        ),
        lhs=r"\sigma'(z)",
    ),
    widget="calculus.activations",
)

# Central differences use h = ε^(1/3)·max(1, |z|) ≈ 6e-6·max(1, |z|): the truncation error
# h²/6·|f‴| and the rounding error ε·|f|/h are both below 1e-10 for these bounded activations
# (|f| ≤ 1 + |z|, |f‴| ≤ 2), so rtol 1e-6 with atol 1e-9 has a wide margin, while every wrong
# formula listed below is off by at least 1e-3 somewhere in the sampled range.
FD_RTOL = 1e-6
FD_ATOL = 1e-9


def _sample(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    return {"z": rng.normal(scale=3.0, size=n)}


def _sigmoid_steps(z: sp.Symbol) -> tuple[tuple[Step, ...], sp.Expr, sp.Expr]:
    """σ′ by the chain rule, then rewritten in σ itself; returns (steps, σ(1−σ), σ(z)σ(−z))."""
    s, t, u = sp.symbols("s t u", positive=True)
    definition = expand_definitions(sigmoid(z))  # 1/(1 + e^{−z})
    inner = 1 + sp.exp(-z)
    outer = sp.diff(1 / u, u).subs(u, inner)  # d(u⁻¹)/du at u = 1 + e^{−z}
    inner_derivative = sp.diff(inner, z)
    chained = outer * inner_derivative  # e^{−z}/(1 + e^{−z})²
    second = sp.exp(-z) / inner
    # Express e^{−z} through σ: σ = 1/(1 + t) with t = e^{−z} gives t = (1 − σ)/σ.
    (t_of_s,) = sp.solve(sp.Eq(s, 1 / (1 + t)), t)
    first_in_s = fold_definitions(definition, sigmoid)
    second_in_s = sp.simplify((t / (1 + t)).subs(t, t_of_s)).subs(s, sigmoid(z))
    in_sigma = first_in_s * second_in_s  # σ(z)(1 − σ(z))
    one_minus = fold_definitions(sp.simplify(1 - definition), sigmoid)  # σ(−z)
    stable = first_in_s * one_minus
    square = sp.factor(sp.Rational(1, 4) - s * (1 - s)).subs(s, sigmoid(z))
    lhs = sp.Derivative(sigmoid(z), z)
    steps = (
        given(sigmoid(z), definition, "Definition of the sigmoid."),
        identity(
            lhs,
            product(outer, inner_derivative),
            "Chain rule with u = 1 + exp(−z): d(1/u)/du = −1/u², times du/dz = −exp(−z).",
        ),
        Step(rhs=chained, why="The two minus signs cancel."),
        Step(
            rhs=product(definition, second),
            why="Split the fraction into two factors.",
        ),
        Step(
            rhs=in_sigma,
            why="The first factor is σ(z). For the second write t = exp(−z): σ = 1/(1 + t) "
            "gives t = (1 − σ)/σ, so t/(1 + t) = 1 − σ.",
        ),
        Step(
            rhs=stable,
            why="1 − σ(z) = 1/(1 + exp(z)) = σ(−z). The numeric twin evaluates this form: "
            "it stays accurate where σ(z) rounds to 1 and 1 − σ(z) would be 0.",
        ),
        identity(sp.Rational(1, 4) - in_sigma, square, "Complete the square in σ."),
        ge(
            square,
            sp.Integer(0),
            "A square is nonnegative, so σ′ ≤ 1/4, with equality only at σ = 1/2, i.e. z = 0.",
        ),
    )
    return steps, in_sigma, stable


def _tanh_steps(z: sp.Symbol) -> tuple[tuple[Step, ...], sp.Expr, sp.Expr]:
    """tanh′ by the quotient rule; returns (steps, 1 − tanh², 4σ(2z)σ(−2z))."""
    N, D, T, t = sp.symbols("N D T t", positive=True)
    definition = sp.tanh(z).rewrite(sp.exp)
    numerator, denominator = sp.fraction(definition)
    quotient = (
        sp.diff(numerator, z) * denominator - numerator * sp.diff(denominator, z)
    ) / denominator**2
    # N′ = D and D′ = N, so the quotient is (D² − N²)/D²; divide through by D².
    in_nd = (D * D - N * N) / D**2
    split = sp.expand(in_nd)  # 1 − N²/D²
    in_tanh = split.subs(N, T * D).subs(T, sp.tanh(z))
    # tanh as a sigmoid: multiply through by e^{−z}, then partial fractions in t = e^{−2z}.
    scaled = sp.expand(numerator * sp.exp(-z)) / sp.expand(denominator * sp.exp(-z))
    in_t = sp.apart(scaled.subs(sp.exp(-2 * z), t), t)
    as_sigmoid = fold_definitions(in_t.subs(t, sp.exp(-2 * z)), sigmoid)  # 2σ(2z) − 1
    substituted = in_tanh.subs(sp.tanh(z), as_sigmoid)
    s2 = sigmoid(2 * z)
    squares = ((1 - T) * (1 + T)).subs(T, as_sigmoid)  # (2 − 2σ(2z))·2σ(2z)
    one_minus = fold_definitions(sp.simplify(1 - expand_definitions(s2)), sigmoid)
    stable = 4 * s2 * one_minus
    lhs = sp.Derivative(sp.tanh(z), z)
    steps = (
        given(sp.tanh(z), definition, "Definition of tanh by exponentials."),
        identity(
            lhs,
            quotient,
            "Quotient rule; the numerator's derivative is the denominator and vice versa.",
        ),
        Step(
            rhs=split.xreplace({N: numerator, D: denominator}),
            why="Divide both terms of the numerator by the denominator.",
        ),
        Step(rhs=in_tanh, why="The remaining ratio is tanh z itself."),
        identity(
            sp.tanh(z),
            as_sigmoid,
            "tanh is a rescaled sigmoid: multiply top and bottom by exp(−z) and split "
            "(1 − t)/(1 + t) = 2/(1 + t) − 1 with t = exp(−2z).",
        ),
        identity(lhs, substituted, "Substitute it into 1 − tanh²."),
        Step(rhs=squares, why="Difference of squares: 1 − T² = (1 − T)(1 + T)."),
        Step(
            rhs=stable,
            why="1 − σ(2z) = σ(−2z). The twin evaluates this form: 1 − tanh² cancels to 0 "
            "where tanh z rounds to ±1, this product keeps its relative accuracy.",
        ),
    )
    return steps, in_tanh, stable


def _softplus_steps(z: sp.Symbol) -> tuple[tuple[Step, ...], sp.Expr]:
    """softplus′ by the chain rule; returns (steps, σ(z))."""
    t, u = sp.symbols("t u", positive=True)
    definition = expand_definitions(softplus(z))
    inner = 1 + sp.exp(z)
    outer = sp.diff(sp.log(u), u).subs(u, inner)
    inner_derivative = sp.diff(inner, z)
    chained = outer * inner_derivative
    divided = sp.cancel(chained.subs(sp.exp(z), 1 / t)).subs(t, sp.exp(-z))
    folded = fold_definitions(divided, sigmoid)
    steps = (
        given(softplus(z), definition, "Definition of softplus."),
        identity(
            sp.Derivative(softplus(z), z),
            product(outer, inner_derivative),
            "Chain rule with u = 1 + exp(z): d(log u)/du = 1/u, times du/dz = exp(z).",
        ),
        Step(rhs=chained, why="Multiply."),
        Step(rhs=divided, why="Divide numerator and denominator by exp(z)."),
        Step(rhs=folded, why="That is the definition of σ(z): softplus is an antiderivative of σ."),
    )
    return steps, folded


INTUITION = (
    "Each activation is an outer function wrapped around an inner one, and the chain "
    "rule multiplies their rates of change. For the sigmoid the result can be written "
    "with σ itself: the slope σ(1 − σ) is largest (1/4) where the output is most "
    "uncertain, σ = 1/2, and dies off in both saturated tails. tanh is a rescaled "
    "sigmoid, tanh z = 2σ(2z) − 1, so its slope 1 − tanh² has the same shape, peaking at "
    "1. Softplus is a smooth ReLU whose slope is exactly the sigmoid. Because these "
    "derivatives are functions of the forward values, backpropagation can reuse the "
    "activations it already stored."
)
NOTES = (
    "The twins evaluate σ′ as σ(z)σ(−z) and tanh′ as 4σ(2z)σ(−2z): the textbook forms "
    "σ(1 − σ) and 1 − tanh² cancel to exactly 0 once σ(z) or tanh z rounds to 1 (z above "
    "about 37 or 19), losing all relative accuracy, while the stable forms keep it "
    "until the true value underflows.",
)


def _twins(z: sp.Symbol, results: tuple[Formula, ...]) -> tuple[Twin, ...]:
    """Each activation's stable derivative against central differences of its NumPy form."""
    references = (
        derivative_reference("scipy.special.expit", lambda z: special.expit(z)),
        derivative_reference("np.tanh", np.tanh),
        derivative_reference("np.logaddexp(0, z)", lambda v: np.logaddexp(0.0, v)),
    )
    return tuple(
        Twin(name, result, (Arg("z", z),), reference, _sample, rtol=FD_RTOL, atol=FD_ATOL)
        for name, result, reference in zip(
            ("sigmoid′", "tanh′", "softplus′"),
            (results[1], results[3], results[4]),
            references,
            strict=True,
        )
    )


def _interview(z: sp.Symbol, sigma_prime: sp.Expr) -> Interview:
    # Interview numbers, computed: σ′ peaks where σ″ = 0; its value there; ten layers of it.
    sigma_prime_explicit = expand_definitions(sigma_prime)
    (peak,) = sp.solve(sp.diff(sigma_prime_explicit, z), z)
    peak_value = sp.simplify(sigma_prime_explicit.subs(z, peak))
    ten_layers = peak_value**10
    return Interview(
        question="Show that σ′(z) = σ(z)(1 − σ(z)). What is the largest value σ′ can take, and "
        "what does that imply for the gradient through ten stacked sigmoid layers?",
        answer=(
            "Differentiate 1/(1 + exp(−z)) by the chain rule: exp(−z)/(1 + exp(−z))², which "
            "splits into σ(z) · exp(−z)/(1 + exp(−z)) = σ(z)(1 − σ(z)). As a function of "
            f"σ ∈ (0, 1) the product σ(1 − σ) peaks at σ = 1/2, i.e. z = {fmt(peak)}, with value "
            f"{fmt(peak_value)}. Each sigmoid layer multiplies the backpropagated gradient by at "
            f"most {fmt(peak_value)} (times the weights), so ten layers shrink it by up to "
            f"({fmt(peak_value)})¹⁰ = 1/{fmt(1 / ten_layers)} ≈ {decimal(ten_layers, 2)}: the "
            "vanishing-gradient problem, one reason ReLU-like activations replaced sigmoids in "
            "hidden layers."
        ),
    )


def _mistakes(z: sp.Symbol) -> tuple[Mistake, ...]:
    d_sigmoid = sp.Derivative(sigmoid(z), z)
    d_tanh = sp.Derivative(sp.tanh(z), z)
    d_softplus = sp.Derivative(softplus(z), z)
    return (
        Mistake(
            d_sigmoid,
            -sigmoid(z) * (1 - sigmoid(z)),
            "The inner derivative of exp(−z) is −exp(−z); dropping its minus sign flips the "
            "sign. "
            "σ is increasing, so σ′ > 0.",
            name="sign of the inner derivative",
        ),
        Mistake(
            d_sigmoid,
            1 - sigmoid(z) ** 2,
            "1 − σ² is the tanh pattern; for σ the factors are σ and 1 − σ.",
            name="tanh rule applied to σ",
        ),
        Mistake(
            d_sigmoid,
            -(expand_definitions(sigmoid(z)) ** 2),
            "Missing the inner derivative: d/dz of 1/(1 + exp(−z)) is −1/(1 + exp(−z))² times "
            "the derivative of 1 + exp(−z), which is −exp(−z).",
            name="missing the inner derivative",
        ),
        Mistake(
            d_tanh,
            1 + sp.tanh(z) ** 2,
            "1 + tan² is the derivative of tan; for tanh the sign is minus (tanh′ ≤ 1).",
            name="tan rule applied to tanh",
        ),
        Mistake(
            d_softplus,
            1 / (1 + sp.exp(z)),
            "Missing the inner derivative: d/dz log(1 + exp(z)) = exp(z)/(1 + exp(z)), not "
            "1/(1 + exp(z)) (which is σ(−z)).",
            name="missing the inner derivative",
        ),
        Mistake(
            d_softplus,
            softplus(z),
            "softplus is not its own derivative (exp is); its derivative is σ(z).",
            name="softplus as its own derivative",
        ),
    )


def build() -> Derivation:
    """Build the derivation."""
    z = sp.Symbol("z", real=True)
    sigmoid_steps, sigma_prime, sigma_prime_stable = _sigmoid_steps(z)
    tanh_steps, tanh_prime, tanh_prime_stable = _tanh_steps(z)
    softplus_steps, softplus_prime = _softplus_steps(z)
    d_sigmoid = sp.Derivative(sigmoid(z), z)
    d_tanh = sp.Derivative(sp.tanh(z), z)
    results = (
        Formula(d_sigmoid, sigma_prime, name="σ′"),
        Formula(d_sigmoid, sigma_prime_stable, name="σ′ (stable form)"),
        Formula(d_tanh, tanh_prime, name="tanh′"),
        Formula(d_tanh, tanh_prime_stable, name="tanh′ (stable form)"),
        Formula(sp.Derivative(softplus(z), z), softplus_prime, name="softplus′"),
    )
    return ENTRY.derivation(
        symbols=(Var(z, "the pre-activation (a real number)"),),
        steps=sigmoid_steps + tanh_steps + softplus_steps,
        results=results,
        twins=_twins(z, results),
        intuition=INTUITION,
        interview=_interview(z, sigma_prime),
        mistakes=_mistakes(z),
        notes=NOTES,
    )
