"""Derivatives from the limit of difference quotients: x², x³, xⁿ, eˣ and sin x.

>>> [r.rhs for r in build().results]
[2*x, 3*x**2, n*x**(n - 1), exp(x), cos(x)]
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import sympy as sp

from derive.catalog.calculus_optimization.shared import derivative_reference, inline
from derive.catalog.common import fmt
from derive.catalog.entry import Entry, Exercise, Picture
from derive.catalog.steps import identity
from derive.core.model import Domain, Formula, Interview, Mistake, Step, Topic, Var
from derive.numeric.derivation import Derivation
from derive.numeric.reference import central_difference
from derive.numeric.twin import Arg, Reference, Twin

ENTRY = Entry(
    id="derivative-from-limit",
    topic=Topic.CALCULUS_OPTIMIZATION,
    title="Derivatives from the limit definition",
    plot=Picture(
        caption=(
            "Secants of x³ through x = 1 turn into the tangent as h shrinks; its slope is the "
            "power rule’s n·xⁿ⁻¹ = 3."
        ),
        drawing="secants_to_tangent",
    ),
    exercise=Exercise(
        question=(
            r"Using the limit definition (or the power rule it gives), compute the "
            r"derivative ${lhs}$ of $x^n$ at {given}."
        ),
        lhs=r"\frac{d}{dx} x^{n}",
    ),
    widget="calculus.derivative_explorer",
)

# Central differences with h = ε^(1/3)·max(1, |x|) ≈ 6e-6·max(1, |x|). On the sampled ranges
# (|x| ≤ 3 and n ≤ 6 for powers) the truncation error h²/6·|f‴| is ≲ 1e-8 relative and the
# rounding error ε|f|/h ≲ 1e-10 relative, so rtol 1e-7 with atol 1e-9 holds with a margin;
# the wrong formulas below (x^(n−1), n·xⁿ, −cos x, ...) are off by O(1).
FD_RTOL, FD_ATOL = 1e-7, 1e-9


def _limit_steps(
    f: sp.Expr, x: sp.Symbol, h: sp.Symbol, expand: str
) -> tuple[tuple[Step, ...], sp.Expr]:
    """d/dx f for a polynomial f: the quotient, expanded, divided by h, and the limit."""
    numerator = f.subs(x, x + h) - f
    expanded = sp.expand(numerator)
    divided = sp.cancel(expanded / h)
    derivative = sp.limit(divided, h, 0)
    steps = (
        identity(
            sp.Derivative(f, x),
            sp.Limit(numerator / h, h, 0, "+-"),
            f"Definition of the derivative of {inline(f)}.",
        ),
        Step(rhs=sp.Limit(expanded / h, h, 0, "+-"), why=expand),
        Step(rhs=sp.Limit(divided, h, 0, "+-"), why="Divide by h (h ≠ 0 inside the limit)."),
        Step(rhs=derivative, why="Let h → 0: every term that still has a factor h vanishes."),
    )
    return steps, derivative


def _power_steps(
    x: sp.Symbol, h: sp.Symbol, n: sp.Symbol, k: sp.Symbol
) -> tuple[tuple[Step, ...], sp.Expr]:
    """The power rule for a positive integer n, by the binomial theorem."""
    f = x**n
    quotient = (f.subs(x, x + h) - f) / h
    term = sp.binomial(n, k) * x ** (n - k) * h**k
    divided = sp.Sum(sp.powsimp(term / h), (k, 1, n))
    first = (term / h).subs(k, 1)
    rest = sp.Sum(sp.powsimp(term / h**2), (k, 2, n))
    split = first + h * rest
    derivative = split.subs(h, 0)  # the h-free part; rest is a polynomial in h
    steps = (
        identity(
            sp.Derivative(f, x),
            sp.Limit(quotient, h, 0, "+-"),
            "Definition of the derivative of xⁿ, n a positive integer.",
        ),
        identity((x + h) ** n, sp.Sum(term, (k, 0, n)), "Binomial theorem."),
        identity(
            quotient,
            divided,
            "The k = 0 term is xⁿ and cancels; every other term has a factor h to divide by.",
        ),
        Step(
            rhs=split,
            why="Separate the k = 1 term; the remaining terms keep at least one factor h.",
        ),
        identity(
            sp.Derivative(f, x),
            derivative,
            "As h → 0 the second part, h times a polynomial in h, vanishes: the power rule.",
        ),
    )
    return steps, derivative


def _exp_steps(x: sp.Symbol, h: sp.Symbol) -> tuple[tuple[Step, ...], sp.Expr]:
    quotient = (sp.exp(x + h) - sp.exp(x)) / h
    factored = sp.factor(sp.expand(sp.exp(x + h) - sp.exp(x)))  # eˣ(eʰ − 1)
    ratio = (sp.exp(h) - 1) / h
    rate = sp.limit(ratio, h, 0)
    pulled = sp.exp(x) * sp.Limit(ratio, h, 0, "+-")
    steps = (
        identity(
            sp.Derivative(sp.exp(x), x),
            sp.Limit(quotient, h, 0, "+-"),
            "Definition of the derivative of exp.",
        ),
        Step(
            rhs=sp.Limit(factored / h, h, 0, "+-"),
            why="exp(x + h) = exp(x)·exp(h); factor out exp(x).",
        ),
        Step(rhs=pulled, why="exp(x) does not depend on h."),
        Step(
            rhs=sp.exp(x) * rate,
            why="(exp(h) − 1)/h → 1: the slope of exp at 0 is 1, which is what singles out e.",
        ),
    )
    return steps, sp.exp(x) * rate


def _sin_steps(x: sp.Symbol, h: sp.Symbol) -> tuple[tuple[Step, ...], sp.Expr]:
    quotient = (sp.sin(x + h) - sp.sin(x)) / h
    expanded = sp.expand_trig(sp.sin(x + h)) - sp.sin(x)
    collected = sp.collect(sp.expand(expanded), [sp.sin(x), sp.cos(x)], evaluate=False)
    cos_part = collected[sp.cos(x)] / h  # sin h / h
    sin_part = collected[sp.sin(x)] / h  # (cos h − 1)/h
    regrouped = sp.sin(x) * sin_part + sp.cos(x) * cos_part
    separate = sp.sin(x) * sp.Limit(sin_part, h, 0, "+-") + sp.cos(x) * sp.Limit(
        cos_part, h, 0, "+-"
    )
    evaluated = sp.sin(x) * sp.limit(sin_part, h, 0) + sp.cos(x) * sp.limit(cos_part, h, 0)
    steps = (
        identity(
            sp.Derivative(sp.sin(x), x),
            sp.Limit(quotient, h, 0, "+-"),
            "Definition of the derivative of sin.",
        ),
        Step(
            rhs=sp.Limit(regrouped, h, 0, "+-"),
            why="Angle addition: sin(x + h) = sin x cos h + cos x sin h; group by sin x and cos x.",
        ),
        Step(rhs=separate, why="The limit of a sum is the sum of the limits (both exist)."),
        Step(
            rhs=evaluated,
            why="sin(h)/h → 1 and (cos(h) − 1)/h → 0 (squeeze: cos h ≤ sin(h)/h ≤ 1).",
        ),
    )
    return steps, evaluated


def _sample_power(rng: np.random.Generator, size: int) -> dict[str, np.ndarray]:
    return {"x": rng.uniform(-3, 3, size=size), "n": rng.integers(1, 7, size=size).astype(float)}


def _sample(rng: np.random.Generator, size: int) -> dict[str, np.ndarray]:
    return {"x": rng.uniform(-3, 3, size=size)}


def _power_reference(x: np.ndarray, n: np.ndarray) -> np.ndarray:
    return central_difference(lambda t: t**n, x)


INTUITION = (
    "The derivative is the slope of the secant line through (x, f(x)) and "
    "(x + h, f(x + h)) as the second point slides onto the first. For a polynomial the "
    "difference f(x + h) − f(x) always has a factor h, and once it is cancelled the "
    "limit is found by setting h = 0: that is the power rule. For eˣ and sin x two "
    "standard limits, (eʰ − 1)/h → 1 and sin(h)/h → 1, carry the whole argument. "
    "Numerical differentiation in ML code (gradient checking) is this definition with "
    "a small but finite h."
)
NOTES = (
    "The power-rule steps with the binomial sum are checked numerically for n = 1 to 8 "
    "(SymPy does not simplify a binomial sum of symbolic length); the rule itself is "
    "proven for symbolic n.",
)


def _twins(x: sp.Symbol, n: sp.Symbol, results: tuple[Formula, ...]) -> tuple[Twin, ...]:
    power = Twin(
        "power rule",
        results[2],
        (Arg("x", x), Arg("n", n)),
        Reference("central differences of xⁿ", _power_reference, kind="finite differences"),
        _sample_power,
        domain="real x, positive integer n",
        rtol=FD_RTOL,
        atol=FD_ATOL,
    )
    exp = Twin(
        "exp′",
        results[3],
        (Arg("x", x),),
        derivative_reference("np.exp", np.exp, arg="x"),
        _sample,
        rtol=FD_RTOL,
        atol=FD_ATOL,
    )
    sin = replace(
        exp,
        name="sin′",
        formula=results[4],
        reference=derivative_reference("np.sin", np.sin, arg="x"),
    )
    return (power, exp, sin)


def _interview(h: sp.Symbol) -> Interview:
    at = 2
    quotient = sp.cancel(sp.expand(((at + h) ** 3 - at**3) / h))
    slope = sp.limit(quotient, h, 0)
    return Interview(
        question="Using only the definition of the derivative, find the slope of f(x) = x³ at "
        "x = 2. Why can you not just set h = 0 in the difference quotient?",
        answer=(
            f"((2 + h)³ − 8)/h = (12h + 6h² + h³)/h = {inline(quotient)} for h ≠ 0, which tends "
            f"to {fmt(slope)} as h → 0 (the power rule gives 3x² = {fmt(3 * at**2)}, the same). "
            "Setting h = 0 directly gives 0/0: the limit is about values of h near 0, never at "
            "0, so the factor h has to be cancelled first."
        ),
    )


def _mistakes(x: sp.Symbol, h: sp.Symbol, n: sp.Symbol) -> tuple[Mistake, ...]:
    return (
        Mistake(
            sp.Derivative(x**n, x),
            x ** (n - 1),
            "The exponent comes down as a factor: n·xⁿ⁻¹, not xⁿ⁻¹.",
            name="exponent not brought down",
        ),
        Mistake(
            sp.Derivative(x**n, x),
            n * x**n,
            "The exponent must also drop by one: n·xⁿ⁻¹.",
            name="exponent not reduced",
        ),
        Mistake(
            sp.Derivative(sp.exp(x), x),
            x * sp.exp(x - 1),
            "The power rule is for xⁿ with a fixed exponent; eˣ has a variable exponent and is "
            "its own derivative.",
            name="power rule applied to eˣ",
        ),
        Mistake(
            sp.Derivative(sp.sin(x), x),
            -sp.cos(x),
            "Sign: (sin x)′ = cos x, while (cos x)′ = −sin x.",
            name="sign of the sine derivative",
        ),
        Mistake(
            sp.Derivative(x**2, x),
            2 * x + h,
            "Stopping before the limit: 2x + h is the difference quotient, not the derivative.",
            name="limit not taken",
        ),
    )


def build() -> Derivation:
    """Build the derivation."""
    x, h = sp.symbols("x h", real=True)
    n = sp.Symbol("n", integer=True, positive=True)
    k = sp.Symbol("k", integer=True, nonnegative=True)
    square_steps, square = _limit_steps(
        x**2, x, h, "Expand (x + h)² = x² + 2xh + h²: the x² cancels."
    )
    cube_steps, cube = _limit_steps(
        x**3, x, h, "Expand (x + h)³ = x³ + 3x²h + 3xh² + h³: the x³ cancels."
    )
    power_steps, power = _power_steps(x, h, n, k)
    exp_steps, exp_derivative = _exp_steps(x, h)
    sin_steps, sin_derivative = _sin_steps(x, h)
    results = (
        Formula(sp.Derivative(x**2, x), square, name="(x²)′"),
        Formula(sp.Derivative(x**3, x), cube, name="(x³)′"),
        Formula(sp.Derivative(x**n, x), power, name="power rule"),
        Formula(sp.Derivative(sp.exp(x), x), exp_derivative, name="(eˣ)′"),
        Formula(sp.Derivative(sp.sin(x), x), sin_derivative, name="(sin x)′"),
    )
    return ENTRY.derivation(
        symbols=(
            Var(x, "the point where the slope is taken"),
            Var(h, "the step of the difference quotient (h → 0, h ≠ 0)", Domain.NONZERO),
            Var(n, "the exponent, a positive integer", Domain.COUNT),
            Var(k, "a summation index"),
        ),
        steps=square_steps + cube_steps + power_steps + exp_steps + sin_steps,
        results=results,
        twins=_twins(x, n, results),
        intuition=INTUITION,
        interview=_interview(h),
        mistakes=_mistakes(x, h, n),
        assumptions=("n is a positive integer in the power rule.",),
        notes=NOTES,
    )
