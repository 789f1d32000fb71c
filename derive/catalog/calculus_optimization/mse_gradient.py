"""The gradient of the mean squared error (2/n)Xᵀ(Xw − y), and the MAE subgradient.

>>> build().result.rhs
(2/n)*X.T*(X*w - y)
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import sympy as sp

from derive.catalog.calculus_optimization.shared import inline
from derive.catalog.common import fmt
from derive.catalog.entry import Entry, Exercise
from derive.catalog.parts import Parts
from derive.catalog.steps import given, identity
from derive.core.model import Domain, Formula, Interview, Mistake, Step, Topic, Var
from derive.numeric.derivation import Derivation
from derive.numeric.reference import gradient_difference
from derive.numeric.twin import Arg, Reference, Twin

ENTRY = Entry(
    id="mse-gradient",
    topic=Topic.CALCULUS_OPTIMIZATION,
    title="Gradient of the mean squared error (and the MAE subgradient)",
    exercise=Exercise(
        question=(
            r"For the mean squared error $L(w) = \frac{{1}}{{n}} \lVert X w - y \rVert^2$ "
            r"over the $n$ rows of $X$, compute the gradient ${lhs}$ at {given}."
        ),
        lhs=r"\nabla L(w)",
    ),
)

N_ROWS, N_FEATURES = 6, 3  # sizes of the sampled inputs
# Central differences of the mean loss in w, h = ε^(1/3)·max(1, |wⱼ|). The MSE is quadratic, so
# only rounding remains, ε·|L|/h ≲ 4e-11·|L| ≲ 1e-9; the MAE is piecewise linear, exact away
# from its kinks, which the sampler keeps at least 1e-3 away (h·|X| ≲ 1e-4). rtol 1e-6 with
# atol 1e-8 still separates the missing factor 2 or 1/n (off by a factor) by far.
FD_RTOL, FD_ATOL = 1e-6, 1e-8


def _mse(X: np.ndarray, w: np.ndarray, y: np.ndarray) -> np.ndarray:
    return np.mean((np.einsum("...ij,...j->...i", X, w) - y) ** 2, axis=-1)


def _mae(X: np.ndarray, w: np.ndarray, y: np.ndarray) -> np.ndarray:
    return np.mean(np.abs(np.einsum("...ij,...j->...i", X, w) - y), axis=-1)


def _sample(rng: np.random.Generator, size: int) -> dict[str, np.ndarray]:
    """Random problems whose residuals are all at least 1e-3 away from 0 (off the MAE kinks)."""
    X = rng.normal(size=(size, N_ROWS, N_FEATURES))
    w = rng.normal(size=(size, N_FEATURES))
    y = rng.normal(size=(size, N_ROWS))
    residual = np.einsum("...ij,...j->...i", X, w) - y
    y = np.where(np.abs(residual) < 1e-3, y + 0.01, y)
    return {"X": X, "w": w, "y": y}


INTUITION = (
    "Each example pulls w along its own feature row, in proportion to how wrong its "
    "prediction is (the residual) and in the direction that reduces the error; the "
    "gradient is the average pull, times 2 from the square. Setting it to zero gives "
    "the normal equation XᵀXw = Xᵀy. With absolute error every example pulls with the "
    "same strength, only the direction (the sign of its residual) matters, so a single "
    "huge outlier cannot dominate: the minimiser behaves like a median, not a mean."
)


class _Parts(Parts):
    """The mean squared and absolute errors of Xw against y, and their (sub)gradients."""

    intuition = INTUITION
    assumptions = ("For MAE, no residual is exactly 0 (else sign gives one valid subgradient).",)

    def __init__(self) -> None:
        self.n, self.d = n, d = sp.symbols("n d", integer=True, positive=True)
        self.X = X = sp.MatrixSymbol("X", n, d)
        self.w = w = sp.MatrixSymbol("w", d, 1)
        self.y = y = sp.MatrixSymbol("y", n, 1)
        self.r = r = sp.Symbol("r", real=True)
        self.residual = residual = X * w - y
        self.square = square = residual.T * residual
        self.mse = square / n
        self.expanded = expanded = sp.expand(square)
        self.pieces = pieces = [
            sp.diff(t, w) if t.has(w) else sp.ZeroMatrix(*w.shape) for t in expanded.args
        ]
        self.summed = sp.MatAdd(*pieces) / n
        self.gradient = 2 * X.T * residual / n  # the same, with 2Xᵀ factored out
        self.mae = sp.OneMatrix(1, n) * residual.applyfunc(sp.Abs) / n
        self.kink = sp.diff(sp.Abs(r), r)
        self.subgradient = X.T * residual.applyfunc(sp.sign) / n

    def steps(self) -> tuple[Step, ...]:
        mse, square, expanded, summed = self.mse, self.square, self.expanded, self.summed
        mae, kink, subgradient, w = self.mae, self.kink, self.subgradient, self.w
        gradient, r, pieces, X, y = self.gradient, self.r, self.pieces, self.X, self.y
        return (
            given(sp.Function("L")(w), mse, "Mean squared error of Xw as a prediction of y."),
            identity(square, expanded, "Multiply out the squared norm."),
            *(
                identity(sp.Derivative(term, w), piece, why)
                for term, piece, why in zip(
                    expanded.args,
                    pieces,
                    _term_reasons(expanded.args, X, w, y),
                    strict=True,
                )
            ),
            identity(sp.Derivative(mse, w), summed, "Add the pieces and divide by n."),
            Step(rhs=gradient, why="Factor out 2Xᵀ: the gradient is (2/n)Xᵀ times the residual."),
            given(
                sp.Function("L_1")(w),
                mae,
                "Mean absolute error: the mean of |residual| over the n rows.",
            ),
            identity(
                sp.Derivative(sp.Abs(r), r),
                kink,
                "|r| has slope sign(r) for r ≠ 0; at r = 0 any value in [−1, 1] is a subgradient.",
            ),
            identity(
                sp.Derivative(mae, w),
                subgradient,
                "Chain rule through each residual (Xw − y)ᵢ, whose gradient is row i of X.",
            ),
        )

    def results(self) -> tuple[Formula, ...]:
        gradient, subgradient, mse, w = self.gradient, self.subgradient, self.mse, self.w
        mae = self.mae
        return (
            Formula(sp.Derivative(mse, w), gradient, name="∇ MSE"),
            Formula(sp.Derivative(mae, w), subgradient, name="∇ MAE (residuals ≠ 0)"),
        )

    def twins(self, results: tuple[Formula, ...]) -> tuple[Twin, ...]:
        X, w, y = self.X, self.w, self.y
        mse = Twin(
            "MSE gradient",
            results[0],
            (Arg("X", X), Arg("w", w), Arg("y", y)),
            Reference(
                "central differences of np.mean((Xw − y)²)",
                lambda X, w, y: gradient_difference(lambda v: _mse(X, v, y), w),
                "finite differences",
            ),
            _sample,
            domain="X of any shape n×d; n is read off X",
            rtol=FD_RTOL,
            atol=FD_ATOL,
        )
        mae = replace(
            mse,
            name="MAE subgradient",
            formula=results[1],
            reference=replace(
                mse.reference,
                name="central differences of np.mean(|Xw − y|)",
                fn=lambda X, w, y: gradient_difference(lambda v: _mae(X, v, y), w),
            ),
            domain="residuals away from 0 (at a kink sign gives 0, one valid subgradient)",
        )
        return (mse, mae)

    def mistakes(self) -> tuple[Mistake, ...]:
        mse, w, n, residual, mae, X = self.mse, self.w, self.n, self.residual, self.mae, self.X
        y = self.y
        return (
            Mistake(
                sp.Derivative(mse, w),
                X.T * residual / n,
                "Forgetting the factor 2 from differentiating the square.",
                name="forgetting the factor 2",
            ),
            Mistake(
                sp.Derivative(mse, w),
                2 * X.T * residual,
                "Forgetting the 1/n of the mean: 2Xᵀ(Xw − y) is the gradient of the sum.",
                name="forgetting the 1/n",
            ),
            Mistake(
                sp.Derivative(mse, w),
                2 * X.T * (y - X * w) / n,
                "Sign: the residual is Xw − y (prediction minus target); (2/n)Xᵀ(y − Xw) is the "
                "negative gradient, the direction gradient descent moves in.",
                name="sign of the residual",
            ),
            Mistake(
                sp.Derivative(mse, w),
                2 * residual.T * X / n,
                "A row vector (numerator layout); the gradient is a column shaped like w.",
                name="row instead of column",
            ),
            Mistake(
                sp.Derivative(mae, w),
                X.T * residual / n,
                "The MAE gradient uses only the signs of the residuals, not their sizes.",
                name="MAE treated like MSE",
            ),
        )

    def symbols(self) -> tuple[Var, ...]:
        X, w, y, r = self.X, self.w, self.y, self.r
        return (
            Var(X, "the n×d design matrix, one example per row", Domain.MATRIX),
            Var(w, "the d weights", Domain.MATRIX),
            Var(y, "the n targets", Domain.MATRIX),
            Var(r, "one residual"),
        )

    def interview(self) -> Interview:
        return _interview()

    def sizes(self) -> tuple[dict[sp.Symbol, int], ...]:
        return ({self.n: 3, self.d: 2}, {self.n: 4, self.d: 3})


def _interview() -> Interview:
    """Fit y ≈ wx to three points by the gradient."""
    X0 = sp.Matrix([[1], [2], [3]])
    y0 = sp.Matrix([2, 4, 7])
    w0 = sp.Symbol("w", real=True)
    g0 = (2 * X0.T * (X0 * sp.Matrix([w0]) - y0) / X0.rows)[0, 0]
    (best,) = sp.solve(g0, w0)
    return Interview(
        question="Fit y ≈ wx without intercept to the points (1, 2), (2, 4), (3, 7) by "
        "minimising the mean squared error. What is the gradient at w = 0, and where is it "
        "zero?",
        answer=(
            f"∇L = (2/n)Xᵀ(Xw − y) = {inline(sp.expand(g0))} here (n = 3, Xᵀ = (1, 2, 3)), so "
            f"at w = 0 it is {fmt(g0.subs(w0, 0))}: negative, so increase w. It vanishes at "
            f"w = Σxy/Σx² = {fmt(best)}, the least-squares slope (the normal equation "
            "XᵀXw = Xᵀy). With MAE the gradient would be (1/n)Xᵀ sign(Xw − y): only the signs "
            "of the residuals count, which is why MAE is robust to outliers."
        ),
    )


def build() -> Derivation:
    """Build the derivation."""
    return _Parts().derivation(ENTRY)


def _term_reasons(terms: tuple[sp.Basic, ...], X: sp.Basic, w: sp.Basic, y: sp.Basic) -> list[str]:
    """One justification per term of the expanded square."""
    reasons = {
        w.T * X.T * X * w: "A quadratic form in w with the symmetric matrix XᵀX: gradient 2XᵀXw.",
        -(w.T * X.T * y): "Linear in w: wᵀ(Xᵀy) has gradient Xᵀy.",
        -(y.T * X * w): "Linear in w: (Xᵀy)ᵀw has gradient Xᵀy.",
        y.T * y: "Does not depend on w.",
    }
    return [reasons.get(term, "Differentiate the term.") for term in terms]
