"""Least squares by the normal equation: minimise ‖Xθ − y‖², θ = (XᵀX)⁻¹Xᵀy.

>>> [r.name for r in build().results][:3]
['gradient', 'normal equations', 'theta']
"""

from __future__ import annotations

import numpy as np
import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement

from derive.catalog.common import fmt
from derive.catalog.entry import Entry, Exercise, Picture
from derive.catalog.linear_algebra.mistakes import unchecked_product
from derive.catalog.linear_algebra.pieces import (
    dot,
    finite_differences,
    halved_gradient,
    squares,
)
from derive.catalog.steps import ge, given, identity
from derive.core.model import Domain, Formula, Interview, Mistake, Step, Topic, Var
from derive.numeric.derivation import Derivation
from derive.numeric.reference import gradient_difference
from derive.numeric.twin import Arg, Reference, Twin

ENTRY = Entry(
    id="normal-equation",
    topic=Topic.LINEAR_ALGEBRA,
    title="The normal equation for least squares",
    plot=Picture(
        caption=(
            "The least-squares line through eight points: its residuals are orthogonal to the "
            "columns of X, Xᵀ(y − Xθ) = 0."
        ),
        drawing="least_squares_fit",
    ),
    exercise=Exercise(
        question=(
            r"Fit $y \approx X \theta$ by least squares: find the coefficients ${lhs}$ that "
            r"minimise $\lVert X \theta - y \rVert^2$ for {given}."
        ),
        lhs=r"\theta",
    ),
    widget="linear_algebra.normal_equation",
)

N, P = 12, 3  # twin samples: 12 examples, a bias column and two features


def design(rng: np.random.Generator, size: int, n: int = N, p: int = P) -> np.ndarray:
    """Design matrices [1 Z] with Gaussian features."""
    return np.concatenate([np.ones((size, n, 1)), rng.normal(size=(size, n, p - 1))], axis=-1)


def sample_fit(rng: np.random.Generator, size: int) -> dict[str, np.ndarray]:
    """Noisy linear data on a design with a bias column."""
    X = design(rng, size)
    beta = rng.normal(size=(size, P))
    y = np.einsum("...ij,...j->...i", X, beta) + 0.1 * rng.normal(size=(size, N))
    return {"X": X, "y": y}


def sample_gradient(rng: np.random.Generator, size: int) -> dict[str, np.ndarray]:
    """A design, targets and a parameter vector at which to take the gradient."""
    return {**sample_fit(rng, size), "theta": rng.normal(size=(size, P))}


def lstsq(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``np.linalg.lstsq`` (SVD based) for one problem."""
    return np.asarray(np.linalg.lstsq(X, y, rcond=None)[0])


def loss_gradient(X: np.ndarray, y: np.ndarray, theta: np.ndarray) -> np.ndarray:
    """∇‖Xθ − y‖² by central finite differences of the loss, for one problem."""
    return gradient_difference(lambda t: np.sum((X @ t - y) ** 2), theta)


class _Setup:
    """The symbols and expressions the parts of the derivation share."""

    def __init__(self) -> None:
        n, p = self.n, self.p = sp.symbols("n p", integer=True, positive=True)
        self.i = sp.Symbol("i", integer=True)
        X = self.X = sp.MatrixSymbol("X", n, p)
        y = self.y = sp.MatrixSymbol("y", n, 1)
        theta = self.theta = sp.MatrixSymbol("theta", p, 1)
        self.v = sp.MatrixSymbol("v", p, 1)
        self.Z = sp.MatrixSymbol("Z", n, p - 1)
        self.Xb = sp.MatrixSymbol("X_b", n, p)
        self.ones = sp.OneMatrix(n, 1)
        self.residual = X * theta - y
        self.loss = dot(self.residual, self.residual)
        self.gradient = 2 * X.T * (X * theta - y)
        self.solution = (X.T * X).I * X.T * y
        self.hessian = 2 * X.T * X


def build() -> Derivation:
    """Build the derivation."""
    s = _Setup()
    X, y, theta, loss = s.X, s.y, s.theta, s.loss
    results = (
        Formula(sp.Derivative(loss, theta), s.gradient, name="gradient"),
        Formula(X.T * X * theta, X.T * y, name="normal equations"),
        Formula(theta, s.solution, name="theta"),
        Formula(sp.Derivative(loss, theta, 2), s.hessian, name="Hessian"),
    )
    return ENTRY.derivation(
        symbols=(
            Var(X, "the n×p design matrix (one example per row)", Domain.MATRIX),
            Var(y, "the n targets", Domain.MATRIX),
            Var(theta, "the p parameters", Domain.MATRIX),
            Var(s.v, "any direction in parameter space", Domain.MATRIX),
            Var(s.Xb, "a design matrix with a bias column", Domain.MATRIX),
            Var(s.Z, "the features, without the bias column", Domain.MATRIX),
        ),
        steps=(*_gradient_steps(s), *_solution_steps(s)),
        results=results,
        twins=_twins(s, results),
        bindings={s.Xb: sp.BlockMatrix([[s.ones, s.Z]])},
        sizes=({s.n: 4, s.p: 2}, {s.n: 3, s.p: 1}),
        assumptions=("X has full column rank (n ≥ p, no column a combination of others)",),
        intuition=INTUITION,
        interview=_interview(),
        mistakes=_mistakes(s),
        notes=NOTES,
    )


def _gradient_steps(s: _Setup) -> tuple[Step, ...]:
    """The loss, its gradient and its Hessian, which is positive semidefinite."""
    X, y, theta, loss = s.X, s.y, s.theta, s.loss
    return (
        identity(
            squares(s.residual, s.i),
            loss,
            "The squared error of a linear model ŷ = Xθ over n examples is the squared "
            "length of the residual vector: L(θ) = ‖Xθ − y‖² = (Xθ − y)ᵀ(Xθ − y).",
        ),
        Step(
            rhs=MatrixElement(theta.T * X.T * X * theta, 0, 0)
            - 2 * MatrixElement(y.T * X * theta, 0, 0)
            + dot(y, y),
            why="Multiply out; yᵀXθ and θᵀXᵀy are the same number (a scalar is its own transpose).",
        ),
        identity(
            sp.Derivative(loss, theta),
            2 * X.T * X * theta - 2 * X.T * y,
            "Differentiate entry by entry: ∂(θᵀAθ)/∂θ = (A + Aᵀ)θ = 2XᵀXθ for the "
            "symmetric A = XᵀX, and ∂(yᵀXθ)/∂θ = Xᵀy.",
        ),
        Step(rhs=s.gradient, why="Factor out 2Xᵀ: the gradient is 2Xᵀ(Xθ − y)."),
        identity(
            sp.Derivative(loss, theta, 2),
            s.hessian,
            "Differentiate once more: the Hessian 2XᵀX does not depend on θ.",
        ),
        ge(
            squares(X * s.v, s.i),
            sp.Integer(0),
            "vᵀXᵀXv = ‖Xv‖², a sum of squares, is ≥ 0 for every v: the Hessian is "
            "positive semidefinite, L is convex, and every point where the gradient vanishes "
            "is a global minimum.",
        ),
    )


def _solution_steps(s: _Setup) -> tuple[Step, ...]:
    """Set the gradient to zero and solve; with a bias column the residuals sum to zero."""
    X, y, theta, Xb, ones = s.X, s.y, s.theta, s.Xb, s.ones
    return (
        *halved_gradient(
            s.gradient,
            (X.T * X * theta, X.T * y),
            theta,
            s.solution,
            (
                "So set the gradient to zero.",
                "Divide by 2: the normal equations XᵀXθ = Xᵀy (the residual is orthogonal to "
                "every column of X).",
                "If X has full column rank, XᵀX is invertible (vᵀXᵀXv = ‖Xv‖² > 0 for v ≠ 0) "
                "and θ = (XᵀX)⁻¹Xᵀy.",
            ),
        ),
        given(
            Xb,
            sp.BlockMatrix([[ones, s.Z]]),
            "With a bias (intercept), the first column of X is all ones and θ₁ is the "
            "intercept: X = [1 Z].",
        ),
        identity(
            MatrixElement(Xb.T * (Xb * theta - y), 0, 0),
            dot(ones, Xb * theta - y),
            "The first normal equation is then 1ᵀ(Xθ − y) = 0: at the optimum the "
            "residuals sum to zero, so the fit passes through the mean of the data.",
        ),
    )


def _twins(s: _Setup, results: tuple[Formula, ...]) -> tuple[Twin, ...]:
    """θ against ``np.linalg.lstsq``, and the gradient against finite differences."""
    return (
        Twin(
            name="theta",
            formula=results[2],
            args=(Arg("X", s.X), Arg("y", s.y)),
            reference=Reference("np.linalg.lstsq", lstsq, batched=False),
            sample=sample_fit,
            domain=(
                "X (..., n, p) of full column rank, y (..., n); with a bias, put the column "
                "of ones in X. A rank-deficient X makes XᵀX singular: NumPy raises LinAlgError"
            ),
            rtol=1e-8,
            atol=1e-10,
        ),
        Twin(
            name="gradient",
            formula=results[0],
            args=(Arg("X", s.X), Arg("y", s.y), Arg("theta", s.theta)),
            reference=finite_differences(loss_gradient),
            sample=sample_gradient,
            domain="any X (..., n, p), y (..., n), θ (..., p)",
            rtol=1e-6,
            atol=1e-6,
        ),
    )


def _interview() -> Interview:
    """The seed's example: prices against floor area, with a bias column."""
    ex_X = sp.ImmutableMatrix([[1, 1000], [1, 1500], [1, 2000], [1, 2500]])
    ex_y = sp.ImmutableMatrix([200000, 250000, 300000, 350000])
    gram = ex_X.T * ex_X
    ex_theta = gram.inv() * ex_X.T * ex_y
    return Interview(
        question=(
            "Derive the normal equation for linear regression. Then fit price = θ₁ + θ₂·area "
            "to (1000, 200000), (1500, 250000), (2000, 300000), (2500, 350000), and predict "
            "the price at area 1800. Why might you prefer np.linalg.lstsq?"
        ),
        answer=(
            "L(θ) = ‖Xθ − y‖² has gradient 2Xᵀ(Xθ − y); setting it to zero gives XᵀXθ = Xᵀy "
            f"and θ = (XᵀX)⁻¹Xᵀy. Here XᵀX = {fmt(gram)} and Xᵀy = {fmt(ex_X.T * ex_y)}, so "
            f"θ = {fmt(ex_theta.T)}: intercept {fmt(ex_theta[0])} and "
            f"{fmt(ex_theta[1])} per unit of area, and the prediction at 1800 is "
            f"{fmt(ex_theta[0] + 1800 * ex_theta[1])}. Forming XᵀX squares the condition "
            "number of X, so nearly collinear features lose twice as many digits; lstsq uses "
            "an SVD of X itself (and handles rank deficiency)."
        ),
    )


def _mistakes(s: _Setup) -> tuple[Mistake, ...]:
    """The factor 2, the sign, the shape of the gradient, and the wrong Gram matrix."""
    X, y, theta = s.X, s.y, s.theta
    gradient = sp.Derivative(s.loss, theta)
    return (
        Mistake(
            gradient,
            X.T * (X * theta - y),
            "The derivative of a square brings down a factor 2: ∇ = 2Xᵀ(Xθ − y).",
            name="missing factor 2",
        ),
        Mistake(
            gradient,
            2 * X.T * (y - X * theta),
            "Wrong sign: that is the direction of steepest descent, −∇L.",
            name="gradient sign",
        ),
        Mistake(
            gradient,
            2 * (X * theta - y).T * X,
            "The gradient has the shape of θ (p×1): Xᵀ(Xθ − y), not (Xθ − y)ᵀX.",
            name="gradient as a row",
        ),
        Mistake(
            theta,
            unchecked_product((X * X.T).I, X.T, y),
            "XXᵀ is n×n (and singular when n > p); the p×p matrix XᵀX is the one to invert.",
            name="(XXᵀ)⁻¹Xᵀy",
        ),
    )


INTUITION = (
    "Xθ ranges over the column space of X, a flat subspace; the best fit is the point "
    "of that subspace closest to y, which is the orthogonal projection of y. The "
    "leftover residual y − Xθ must then be perpendicular to every column of X, "
    "Xᵀ(y − Xθ) = 0, and that is the normal equation ('normal' as in perpendicular). "
    "Calculus says the same thing: the loss is a convex bowl whose gradient "
    "2Xᵀ(Xθ − y) is zero exactly at the bottom. With a bias column the residuals "
    "must also sum to zero."
)

NOTES = (
    "The twin evaluates (XᵀX)⁻¹Xᵀy literally. Forming XᵀX squares the condition "
    "number: the relative error of θ is about κ(X)²ε, against κ(X)ε for lstsq's SVD "
    "when the fit is good. Fine for well-scaled features; for nearly collinear ones "
    "use lstsq or QR.",
)
