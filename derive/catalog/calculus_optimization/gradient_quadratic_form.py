"""The gradient and Hessian of a quadratic form xᵀAx + bᵀx + c.

>>> build().result.rhs
(A + A.T)*x + b
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from derive.catalog.calculus_optimization.shared import inline
from derive.catalog.common import fmt
from derive.catalog.entry import Entry, Exercise, Picture
from derive.catalog.parts import Parts
from derive.catalog.steps import given, identity
from derive.core.model import Domain, Formula, Interview, Mistake, Step, Topic, Var
from derive.numeric.derivation import Derivation
from derive.numeric.reference import gradient_difference, hessian_difference
from derive.numeric.twin import Arg, Reference, Twin

ENTRY = Entry(
    id="gradient-quadratic-form",
    topic=Topic.CALCULUS_OPTIMIZATION,
    title="Gradient and Hessian of a quadratic form",
    plot=Picture(
        caption=(
            "Level sets of xᵀSx + bᵀx with the gradient 2Sx + b at a grid of points: the "
            "arrows cross the level sets and vanish at the minimum."
        ),
        drawing="quadratic_gradients",
    ),
    exercise=Exercise(
        question=(
            r"For $f(x) = x^\top A x + b^\top x + c$, compute the gradient ${lhs}$ at "
            r"{given}."
        ),
        lhs=r"\nabla f(x)",
    ),
)

N = 4  # the size of the sampled inputs
# f is quadratic, so central differences have no truncation error at all: what remains is
# rounding, ε·|f|/h ≈ 4e-11·|f| with h = ε^(1/3)·max(1, |x|) for the gradient (|f| ≲ 50 here,
# so ≲ 2e-9; rtol 1e-6 with atol 1e-7) and ε·|f|/h² ≈ 1.5e-8·|f| ≲ 1e-6 with h = ε^(1/4) for
# the Hessian (rtol = atol = 1e-5). Replacing A + Aᵀ by 2A or A is off by O(1).
GRAD_RTOL, GRAD_ATOL = 1e-6, 1e-7
HESS_RTOL, HESS_ATOL = 1e-5, 1e-5


def _quadratic(A: np.ndarray, x: np.ndarray, b: np.ndarray) -> np.ndarray:
    """xᵀAx + bᵀx over a batch, with NumPy's einsum (the constant c does not matter)."""
    return np.einsum("...i,...ij,...j->...", x, A, x) + np.einsum("...i,...i->...", b, x)


def _gradient_reference(A: np.ndarray, x: np.ndarray, b: np.ndarray) -> np.ndarray:
    return gradient_difference(lambda v: _quadratic(A, v, b), x)


def _hessian_reference(A: np.ndarray, x: np.ndarray, b: np.ndarray) -> np.ndarray:
    return hessian_difference(lambda v: _quadratic(A, v, b), x)


def _sample(rng: np.random.Generator, size: int) -> dict[str, np.ndarray]:
    return {
        "A": rng.normal(size=(size, N, N)),
        "x": rng.normal(size=(size, N)),
        "b": rng.normal(size=(size, N)),
    }


def _sample_symmetric(rng: np.random.Generator, size: int) -> dict[str, np.ndarray]:
    inputs = _sample(rng, size)
    A = inputs.pop("A")
    return {"S": (A + np.swapaxes(A, -1, -2)) / 2, **inputs}


def _factor_right(total: sp.MatAdd, x: sp.MatrixSymbol) -> sp.MatMul:
    """M₁x + M₂x + … as (M₁ + M₂ + …)x."""
    coefficients = []
    for term in total.args:
        *left, last = term.args
        assert last == x, f"{term} does not end in {x}"
        coefficients.append(sp.MatMul(*left))
    return sp.MatMul(sp.MatAdd(*coefficients), x)


INTUITION = (
    "A quadratic form is the matrix version of ax², and its gradient is the matrix "
    "version of 2ax: each of the two copies of x contributes once, giving Ax from one "
    "and Aᵀx from the other. Only the symmetric part (A + Aᵀ)/2 of A matters, since "
    "xᵀAx = xᵀAᵀx; for symmetric A the two contributions are equal and the answer is "
    "2Ax + b, exactly like 2ax + b. The second derivative is the constant matrix A + Aᵀ, "
    "which is why least squares, ridge regression and Newton's method all lead to a "
    "linear system."
)


class _Parts(Parts):
    """The quadratic f = xᵀAx + bᵀx + c, its pieces and their gradients."""

    intuition = INTUITION
    assumptions = ("Gradients are columns shaped like x (denominator layout).",)

    def __init__(self) -> None:
        self.n = n = sp.Symbol("n", integer=True, positive=True)
        self.x = x = sp.MatrixSymbol("x", n, 1)
        self.u = u = sp.MatrixSymbol("u", n, 1)
        self.A = A = sp.MatrixSymbol("A", n, n)
        self.S = S = sp.MatrixSymbol("S", n, n)
        self.b = b = sp.MatrixSymbol("b", n, 1)
        self.c = sp.MatrixSymbol("c", 1, 1)
        self.f = f = x.T * A * x + b.T * x + self.c
        self.f_sym = f.subs(A, S)

        self.left_fixed = sp.diff(u.T * A * x, x)  # Aᵀu
        self.right_fixed = sp.diff(x.T * A * u, x)  # Au
        self.both = (self.left_fixed + self.right_fixed).subs(u, x)  # Ax + Aᵀx
        self.factored = _factor_right(self.both, x)  # (A + Aᵀ)x
        self.linear = sp.diff(b.T * x, x)  # b
        self.zero = sp.ZeroMatrix(n, 1)
        self.gradient = self.factored + self.linear + self.zero
        self.symmetric = self.gradient.subs(A, S).subs(S.T, S).doit()  # 2Sx + b
        self.hessian = sp.diff(self.gradient, x)
        self.hessian_symmetric = sp.diff(self.symmetric, x).subs(S.T, S)

    def steps(self) -> tuple[Step, ...]:
        x, u, A, b, c, f, f_sym = self.x, self.u, self.A, self.b, self.c, self.f, self.f_sym
        both, factored, linear, zero = self.both, self.factored, self.linear, self.zero
        gradient, symmetric, hessian = self.gradient, self.symmetric, self.hessian
        hessian_symmetric = self.hessian_symmetric
        return (
            given(sp.Function("f")(x), f, "The quadratic function."),
            identity(
                sp.Derivative(u.T * A * x, x),
                self.left_fixed,
                "Freeze the left copy of x as u: uᵀAx = (Aᵀu)ᵀx is linear in x, with gradient Aᵀu.",
            ),
            identity(
                sp.Derivative(x.T * A * u, x),
                self.right_fixed,
                "Freeze the right copy instead: xᵀ(Au) is linear in x, with gradient Au.",
            ),
            identity(
                sp.Derivative(x.T * A * x, x),
                both,
                "Product rule: x appears twice, so add the two gradients and set u = x.",
            ),
            Step(rhs=factored, why="Factor out x."),
            identity(
                sp.Derivative(b.T * x, x),
                linear,
                "bᵀx = b₁x₁ + … + bₙxₙ: its partial derivatives are the entries of b.",
            ),
            identity(sp.Derivative(c, x), zero, "The constant c does not change with x."),
            identity(sp.Derivative(f, x), gradient, "Sum rule: add the three gradients."),
            identity(
                sp.Derivative(f_sym, x),
                symmetric,
                "For a symmetric matrix S = Sᵀ the two terms coincide: 2Sx + b.",
            ),
            identity(
                sp.Derivative(f, x, x),
                hessian,
                "Differentiate the gradient once more: the Hessian is the constant, symmetric "
                "matrix A + Aᵀ.",
            ),
            identity(
                sp.Derivative(f_sym, x, x),
                hessian_symmetric,
                "For symmetric S it is 2S: f is convex exactly when S is positive semidefinite.",
            ),
        )

    def results(self) -> tuple[Formula, ...]:
        x, f, f_sym = self.x, self.f, self.f_sym
        return (
            Formula(sp.Derivative(f, x), self.gradient, name="∇f"),
            Formula(sp.Derivative(f_sym, x), self.symmetric, name="∇f (symmetric)"),
            Formula(sp.Derivative(f, x, x), self.hessian, name="Hessian"),
        )

    def twins(self, results: tuple[Formula, ...]) -> tuple[Twin, ...]:
        x, b = self.x, self.b
        args = (Arg("A", self.A), Arg("x", x), Arg("b", b))
        sym_args = (Arg("S", self.S), Arg("x", x), Arg("b", b))
        return (
            Twin(
                "gradient",
                results[0],
                args,
                Reference(
                    "central differences of xᵀAx + bᵀx", _gradient_reference, "finite differences"
                ),
                _sample,
                domain="any square A; x and b of matching size",
                rtol=GRAD_RTOL,
                atol=GRAD_ATOL,
            ),
            Twin(
                "gradient (symmetric)",
                results[1],
                sym_args,
                Reference(
                    "central differences of xᵀSx + bᵀx",
                    lambda S, x, b: _gradient_reference(S, x, b),
                    "finite differences",
                ),
                _sample_symmetric,
                domain="symmetric S",
                rtol=GRAD_RTOL,
                atol=GRAD_ATOL,
            ),
            Twin(
                "Hessian",
                results[2],
                args,
                Reference(
                    "finite-difference Hessian of xᵀAx + bᵀx",
                    _hessian_reference,
                    "finite differences",
                ),
                _sample,
                rtol=HESS_RTOL,
                atol=HESS_ATOL,
            ),
        )

    def mistakes(self) -> tuple[Mistake, ...]:
        x, A, S, b, f, f_sym = self.x, self.A, self.S, self.b, self.f, self.f_sym
        return (
            Mistake(
                sp.Derivative(f, x),
                2 * A * x + b,
                "2Ax + b holds only for symmetric A; in general the gradient is (A + Aᵀ)x + b.",
                name="2Ax for a non-symmetric A",
            ),
            Mistake(
                sp.Derivative(f_sym, x),
                S * x + b,
                "Forgetting the factor 2: x appears twice in xᵀSx, and both copies contribute Sx.",
                name="forgetting the factor 2",
            ),
            Mistake(
                sp.Derivative(f, x),
                A * x + b,
                "Only one copy of x was differentiated (product rule half done).",
                name="product rule half done",
            ),
            Mistake(
                sp.Derivative(f, x),
                x.T * (A + A.T) + b.T,
                "This is the derivative in numerator layout, a row vector; the gradient is a "
                "column shaped like x.",
                name="row instead of column",
            ),
            Mistake(
                sp.Derivative(f, x, x),
                A,
                "The Hessian of xᵀAx is A + Aᵀ (2A if symmetric), not A: only (1/2)xᵀAx with "
                "symmetric A has Hessian A.",
                name="Hessian without the factor 2",
            ),
        )

    def symbols(self) -> tuple[Var, ...]:
        x, A, S, b, c, u = self.x, self.A, self.S, self.b, self.c, self.u
        return (
            Var(x, "the variable, a column vector in ℝⁿ", Domain.MATRIX),
            Var(A, "an n×n real matrix (not necessarily symmetric)", Domain.MATRIX),
            Var(S, "an n×n symmetric matrix", Domain.SYMMETRIC),
            Var(b, "a fixed column vector in ℝⁿ", Domain.MATRIX),
            Var(c, "a constant (a 1×1 matrix, so that it adds to the 1×1 xᵀAx)", Domain.MATRIX),
            Var(u, "a frozen copy of x, for the product rule", Domain.MATRIX),
        )

    def interview(self) -> Interview:
        return _interview()

    def sizes(self) -> tuple[dict[sp.Symbol, int], ...]:
        return ({self.n: 2}, {self.n: 3})


def _interview() -> Interview:
    """Minimise with a concrete symmetric positive definite matrix."""
    A0 = sp.Matrix([[2, 1], [1, 3]])
    b0 = sp.Matrix([-2, -8])
    x1, x2 = sp.symbols("x1 x2", real=True)
    stationary = sp.solve(list(2 * A0 * sp.Matrix([x1, x2]) + b0), [x1, x2], dict=True)[0]
    x_star = sp.Matrix([stationary[x1], stationary[x2]])
    eigen = sorted((2 * A0).eigenvals(), key=float)
    f_star = (x_star.T * A0 * x_star + b0.T * x_star)[0, 0]
    return Interview(
        question="Minimise f(x) = xᵀAx + bᵀx with A = [[2, 1], [1, 3]] and b = (−2, −8). "
        "Why is the point you find a minimum?",
        answer=(
            f"A is symmetric, so ∇f = 2Ax + b. Setting it to zero gives 2Ax = −b, so x* = "
            f"({fmt(x_star[0])}, {fmt(x_star[1])}) with f(x*) = {fmt(f_star)}. The Hessian 2A "
            f"has eigenvalues {', '.join(inline(e) for e in eigen)}, both positive, so f is "
            "strictly convex and x* is its unique global minimum (in general x* = −A⁻¹b/2)."
        ),
    )


def build() -> Derivation:
    """Build the derivation."""
    return _Parts().derivation(ENTRY)
