"""Partial derivatives of f(x, y) = x²y + sin(xy), and equal mixed partials.

>>> build().results[0].rhs
2*x*y + y*cos(x*y)
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import sympy as sp

from derive.catalog.calculus_optimization.shared import inline, product
from derive.catalog.common import fmt
from derive.catalog.entry import Entry, Exercise, Picture
from derive.catalog.parts import Parts
from derive.catalog.steps import given, identity
from derive.core.model import Formula, Interview, Mistake, Step, Topic, Var
from derive.numeric.derivation import Derivation
from derive.numeric.reference import mixed_difference, partial_difference
from derive.numeric.twin import Arg, Reference, Twin

ENTRY = Entry(
    id="partial-derivatives",
    topic=Topic.CALCULUS_OPTIMIZATION,
    title="Partial derivatives and equal mixed partials",
    plot=Picture(
        caption=(
            "Level sets of f = x²y + sin(xy) and its gradient (∂f/∂x, ∂f/∂y), which crosses "
            "each level set at right angles."
        ),
        drawing="gradient_field",
    ),
    exercise=Exercise(
        question=r"For $f(x, y) = x^2 y + \sin(x y)$, compute the gradient ${lhs}$ at {given}.",
        lhs=r"(\partial f / \partial x, \ \partial f / \partial y)",
    ),
)

# Central differences with h = ε^(1/3)·max(1, |x|) ≈ 6e-6 for first partials: on the sampled
# square |x|, |y| ≤ 2 the truncation error h²/6·|f‴| ≲ 1e-10 and the rounding error ε|f|/h ≲ 4e-10,
# so rtol 1e-7 with atol 1e-8 leaves a margin of 25. The four-point mixed stencil uses
# h = ε^(1/4) ≈ 1.2e-4: truncation and rounding are each ≲ 2e-7 here, so rtol = atol = 1e-5.
# Every wrong formula below is off by more than 0.1 somewhere on the square.
GRAD_RTOL, GRAD_ATOL = 1e-7, 1e-8
MIXED_RTOL, MIXED_ATOL = 1e-5, 1e-5

INTUITION = (
    "A partial derivative is an ordinary derivative taken along one axis: freeze every "
    "other variable, and it becomes a constant (which keeps multiplying, and whose "
    "inner derivatives still appear through the chain rule). Stacking the partials "
    "gives the gradient, the direction of steepest ascent that gradient descent steps "
    "against. Differentiating twice in either order gives the same answer for smooth "
    "functions, so the Hessian of second partials is symmetric."
)


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


class _Parts(Parts):
    """f = x²y + sin(xy), its pieces, and the steps to its first and mixed partials."""

    intuition = INTUITION

    def __init__(self) -> None:
        self.x, self.y, self.u = x, y, u = sp.symbols("x y u", real=True)
        self.polynomial = x**2 * y
        self.inner = x * y
        self.wave = sp.sin(self.inner)
        self.f = self.polynomial + self.wave
        self.cos_u = sp.diff(sp.sin(u), u).subs(u, self.inner)  # the outer derivative, at u = xy

        self.fx_steps = self.first_partial(x, y)
        self.fy_steps = self.first_partial(y, x**2)
        self.fx, self.fy = self.fx_steps[-1].rhs, self.fy_steps[-1].rhs
        self.fxy_steps = self.mixed(x, y, self.fx)
        self.fyx_steps = self.mixed(y, x, self.fy)
        self.fxy = self.fxy_steps[-1].rhs
        self.d_xy, self.d_yx = sp.Derivative(self.f, x, y), sp.Derivative(self.f, y, x)

    def first_partial(self, var: sp.Symbol, constant: sp.Expr) -> tuple[Step, ...]:
        """∂f/∂var: sum rule, constant factor and chain rule, evaluated."""
        polynomial, inner = self.polynomial, self.inner
        power = polynomial / constant  # the part of x²y that depends on var
        rules = constant * sp.Derivative(power, var) + product(
            self.cos_u, sp.Derivative(inner, var)
        )
        other = "y" if var == self.x else "x"
        return (
            identity(
                sp.Derivative(self.f, var),
                sp.Derivative(polynomial, var) + sp.Derivative(self.wave, var),
                f"Sum rule; {other} is held constant.",
            ),
            Step(
                rhs=rules,
                why=f"{other}-factor out of the first term; chain rule with u = xy in the second.",
            ),
            Step(rhs=rules.doit(), why="Differentiate the simple pieces."),
        )

    def mixed(self, first: sp.Symbol, second: sp.Symbol, partial: sp.Expr) -> tuple[Step, ...]:
        """∂/∂second of ∂f/∂first, by the product rule on the cosine term."""
        u, inner, cos_u = self.u, self.inner, self.cos_u
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
            identity(
                sp.Derivative(self.f, first, second),
                sp.Derivative(partial, second),
                f"Differentiate ∂f/∂{first} with respect to {second}.",
            ),
            Step(
                rhs=rule,
                why=f"Product rule on {fmt(factor)}·cos(xy), chain rule inside the cosine.",
            ),
            Step(rhs=rule.doit(), why="Evaluate."),
        )

    def steps(self) -> tuple[Step, ...]:
        return (
            given(sp.Function("f")(self.x, self.y), self.f, "The function."),
            *self.fx_steps,
            *self.fy_steps,
            *self.fxy_steps,
            *self.fyx_steps,
            identity(
                self.d_xy,
                self.d_yx,
                "Both orders give the same function: f is smooth (C²), so Schwarz's theorem "
                "(Clairaut) applies.",
            ),
        )

    def results(self) -> tuple[Formula, ...]:
        return (
            Formula(sp.Derivative(self.f, self.x), self.fx, name="∂f/∂x"),
            Formula(sp.Derivative(self.f, self.y), self.fy, name="∂f/∂y"),
            Formula(self.d_xy, self.fxy, name="∂²f/∂y∂x"),
            Formula(self.d_xy, self.d_yx, name="equal mixed partials"),
        )

    def twins(self, results: tuple[Formula, ...]) -> tuple[Twin, ...]:
        gradient = Twin(
            "gradient",
            Formula(
                sp.Tuple(results[0].lhs, results[1].lhs), sp.Tuple(self.fx, self.fy), name="∇f"
            ),
            (Arg("x", self.x), Arg("y", self.y)),
            Reference("central differences of f", _gradient_reference, kind="finite differences"),
            _sample,
            rtol=GRAD_RTOL,
            atol=GRAD_ATOL,
        )
        mixed = replace(
            gradient,
            name="mixed partial",
            formula=results[2],
            reference=Reference(
                "four-point mixed central differences of f",
                _mixed_reference,
                kind="finite differences",
            ),
            rtol=MIXED_RTOL,
            atol=MIXED_ATOL,
        )
        return (gradient, mixed)

    def symbols(self) -> tuple[Var, ...]:
        return (Var(self.x, "first input"), Var(self.y, "second input"))

    def interview(self) -> Interview:
        fx, fy, fxy = self.fx, self.fy, self.fxy
        point = {self.x: 1, self.y: sp.pi}
        return Interview(
            question="For f(x, y) = x²y + sin(xy), find ∇f at (1, π) and check that ∂²f/∂x∂y = "
            "∂²f/∂y∂x there.",
            answer=(
                f"∂f/∂x = {inline(fx)} (y is a constant; the chain rule brings out the inner "
                f"derivative y) and ∂f/∂y = {inline(fy)}. At (1, π): ∇f = "
                f"({inline(fx.subs(point))}, {inline(fy.subs(point))}). Both mixed partials are "
                f"{inline(fxy)}, which at (1, π) is {fmt(fxy.subs(point))}."
            ),
        )

    def mistakes(self) -> tuple[Mistake, ...]:
        x, y, f, cos_u = self.x, self.y, self.f, self.cos_u
        return (
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
                self.d_xy,
                sp.diff(2 * x * y, y) + y * sp.diff(cos_u, y),
                "The product rule on y·cos(xy) has two terms; the cos(xy) term was dropped.",
                name="product rule half done",
            ),
        )


def build() -> Derivation:
    """Build the derivation."""
    return _Parts().derivation(ENTRY)
