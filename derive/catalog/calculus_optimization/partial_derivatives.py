"""Partial derivatives of f(x, y) = x²y + sin(xy), and equal mixed partials.

>>> build().results[0].rhs
2*x*y + y*cos(x*y)
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from derive.catalog.calculus_optimization.shared import inline, product
from derive.catalog.common import fmt
from derive.catalog.entry import Entry
from derive.core.model import Formula, Interview, Mistake, Rel, Step, Topic, Var
from derive.numeric.derivation import Derivation
from derive.numeric.reference import mixed_difference, partial_difference
from derive.numeric.twin import Arg, Reference, Twin

ENTRY = Entry(
    id="partial-derivatives",
    topic=Topic.CALCULUS_OPTIMIZATION,
    title="Partial derivatives and equal mixed partials",
)

# Central differences with h = ε^(1/3)·max(1, |x|) ≈ 6e-6 for first partials: on the sampled
# square |x|, |y| ≤ 2 the truncation error h²/6·|f‴| ≲ 1e-10 and the rounding error ε|f|/h ≲ 4e-10,
# so rtol 1e-7 with atol 1e-8 leaves a margin of 25. The four-point mixed stencil uses
# h = ε^(1/4) ≈ 1.2e-4: truncation and rounding are each ≲ 2e-7 here, so rtol = atol = 1e-5.
# Every wrong formula below is off by more than 0.1 somewhere on the square.
GRAD_RTOL, GRAD_ATOL = 1e-7, 1e-8
MIXED_RTOL, MIXED_ATOL = 1e-5, 1e-5


def _f(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """f in NumPy, written independently of the SymPy expression."""
    return x * x * y + np.sin(x * y)


def _gradient_reference(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    inputs = {"x": x, "y": y}
    return np.stack(
        [partial_difference(_f, inputs, "x"), partial_difference(_f, inputs, "y")], axis=-1
    )


def _mixed_reference(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return mixed_difference(_f, {"x": x, "y": y}, "x", "y")


def _sample(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    return {"x": rng.uniform(-2, 2, size=n), "y": rng.uniform(-2, 2, size=n)}


def build() -> Derivation:
    """Build the derivation."""
    x, y, u = sp.symbols("x y u", real=True)
    polynomial = x**2 * y
    inner = x * y
    wave = sp.sin(inner)
    f = polynomial + wave
    cos_u = sp.diff(sp.sin(u), u).subs(u, inner)  # the outer derivative, at u = xy

    def first_partial(var: sp.Symbol, constant: sp.Expr) -> tuple[Step, ...]:
        """∂f/∂var: sum rule, constant factor and chain rule, evaluated."""
        power = polynomial / constant  # the part of x²y that depends on var
        rules = constant * sp.Derivative(power, var) + product(cos_u, sp.Derivative(inner, var))
        other = "y" if var == x else "x"
        return (
            Step(
                lhs=sp.Derivative(f, var),
                rhs=sp.Derivative(polynomial, var) + sp.Derivative(wave, var),
                rel=Rel.IDENTITY,
                why=f"Sum rule; {other} is held constant.",
            ),
            Step(
                rhs=rules,
                why=f"{other}-factor out of the first term; chain rule with u = xy in the second.",
            ),
            Step(rhs=rules.doit(), why="Differentiate the simple pieces."),
        )

    fx_steps = first_partial(x, y)
    fy_steps = first_partial(y, x**2)
    fx, fy = fx_steps[-1].rhs, fy_steps[-1].rhs

    def mixed(first: sp.Symbol, second: sp.Symbol, partial: sp.Expr) -> tuple[Step, ...]:
        """∂/∂second of ∂f/∂first, by the product rule on the cosine term."""
        terms = sp.Add.make_args(partial)
        plain = [t for t in terms if not t.has(sp.cos)]
        (cosine_term,) = (t for t in terms if t.has(sp.cos))
        factor = cosine_term / cos_u  # y in y·cos(xy), x in x·cos(xy)
        d_cos = product(sp.diff(sp.cos(u), u).subs(u, inner), sp.Derivative(inner, second))
        rule = (
            sum((sp.Derivative(t, second) for t in plain), sp.Integer(0))
            + sp.Derivative(factor, second) * cos_u
            + factor * d_cos
        )
        return (
            Step(
                lhs=sp.Derivative(f, first, second),
                rhs=sp.Derivative(partial, second),
                rel=Rel.IDENTITY,
                why=f"Differentiate ∂f/∂{first} with respect to {second}.",
            ),
            Step(
                rhs=rule,
                why=f"Product rule on {fmt(factor)}·cos(xy), chain rule inside the cosine.",
            ),
            Step(rhs=rule.doit(), why="Evaluate."),
        )

    fxy_steps = mixed(x, y, fx)
    fyx_steps = mixed(y, x, fy)
    fxy = fxy_steps[-1].rhs
    d_xy, d_yx = sp.Derivative(f, x, y), sp.Derivative(f, y, x)
    steps = (
        Step(lhs=sp.Function("f")(x, y), rhs=f, rel=Rel.GIVEN, why="The function."),
        *fx_steps,
        *fy_steps,
        *fxy_steps,
        *fyx_steps,
        Step(
            lhs=d_xy,
            rhs=d_yx,
            rel=Rel.IDENTITY,
            why="Both orders give the same function: f is smooth (C²), so Schwarz's theorem "
            "(Clairaut) applies.",
        ),
    )
    results = (
        Formula(sp.Derivative(f, x), fx, name="∂f/∂x"),
        Formula(sp.Derivative(f, y), fy, name="∂f/∂y"),
        Formula(d_xy, fxy, name="∂²f/∂y∂x"),
        Formula(d_xy, d_yx, name="equal mixed partials"),
    )
    twins = (
        Twin(
            "gradient",
            Formula(sp.Tuple(results[0].lhs, results[1].lhs), sp.Tuple(fx, fy), name="∇f"),
            (Arg("x", x), Arg("y", y)),
            Reference("central differences of f", _gradient_reference, kind="finite differences"),
            _sample,
            rtol=GRAD_RTOL,
            atol=GRAD_ATOL,
        ),
        Twin(
            "mixed partial",
            results[2],
            (Arg("x", x), Arg("y", y)),
            Reference(
                "four-point mixed central differences of f",
                _mixed_reference,
                kind="finite differences",
            ),
            _sample,
            rtol=MIXED_RTOL,
            atol=MIXED_ATOL,
        ),
    )

    point = {x: 1, y: sp.pi}
    interview = Interview(
        question="For f(x, y) = x²y + sin(xy), find ∇f at (1, π) and check that ∂²f/∂x∂y = "
        "∂²f/∂y∂x there.",
        answer=(
            f"∂f/∂x = {inline(fx)} (y is a constant; the chain rule brings out the inner "
            f"derivative y) and ∂f/∂y = {inline(fy)}. At (1, π): ∇f = "
            f"({inline(fx.subs(point))}, {inline(fy.subs(point))}). Both mixed partials are "
            f"{inline(fxy)}, which at (1, π) is {fmt(fxy.subs(point))}."
        ),
    )
    mistakes = (
        Mistake(
            sp.Derivative(f, x),
            2 * x * y + cos_u,
            "Missing the inner derivative: d/dx sin(xy) = y·cos(xy), not cos(xy).",
            name="missing the inner derivative",
        ),
        Mistake(
            sp.Derivative(f, y),
            x**2 + cos_u,
            "Missing the inner derivative: d/dy sin(xy) = x·cos(xy).",
            name="missing the inner derivative in y",
        ),
        Mistake(
            sp.Derivative(f, x),
            sp.diff(x**2, x) + y * cos_u,
            "Dropping the constant factor: ∂/∂x (x²y) = 2xy; y multiplies, it does not vanish.",
            name="constant factor dropped",
        ),
        Mistake(
            d_xy,
            sp.diff(2 * x * y, y) + y * sp.diff(cos_u, y),
            "The product rule on y·cos(xy) has two terms; the cos(xy) term was dropped.",
            name="product rule half done",
        ),
    )

    return ENTRY.derivation(
        symbols=(Var(x, "first input"), Var(y, "second input")),
        steps=steps,
        results=results,
        twins=twins,
        intuition=(
            "A partial derivative is an ordinary derivative taken along one axis: freeze every "
            "other variable, and it becomes a constant (which keeps multiplying, and whose "
            "inner derivatives still appear through the chain rule). Stacking the partials "
            "gives the gradient, the direction of steepest ascent that gradient descent steps "
            "against. Differentiating twice in either order gives the same answer for smooth "
            "functions, so the Hessian of second partials is symmetric."
        ),
        interview=interview,
        mistakes=mistakes,
    )
