"""Gradients of L2 and L1 penalties, and ridge regression θ = (XᵀX + λI)⁻¹Xᵀy.

>>> [r.name for r in build().results]
['L2 gradient', 'L1 subgradient', 'weight decay', 'ridge gradient', 'ridge solution']
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import sympy as sp

from derive.catalog.common import fmt
from derive.catalog.entry import Entry, Exercise
from derive.catalog.linear_algebra.pieces import (
    dot,
    finite_differences,
    halved_gradient,
    squares,
)
from derive.catalog.steps import ge, identity
from derive.core.model import Domain, Formula, Interview, Mistake, Step, Topic, Var
from derive.numeric.derivation import Derivation
from derive.numeric.realise import Realiser
from derive.numeric.reference import gradient_difference
from derive.numeric.twin import Arg, Reference, Twin

ENTRY = Entry(
    id="regularization-gradients",
    topic=Topic.LINEAR_ALGEBRA,
    title="Gradients of L2 and L1 regularisation, and ridge regression",
    exercise=Exercise(
        question=(
            r"Compute the gradient ${lhs}$ of the L2 penalty $\lambda \lVert w \rVert^2$ at "
            r"{given}."
        ),
        lhs=r"\nabla_{w} \, \lambda \lVert w \rVert^{2}",
    ),
)

L1_SIZE = 5


def sample_weights(rng: np.random.Generator, size: int) -> dict[str, np.ndarray]:
    """Weight vectors of length 6 and penalty strengths."""
    return {"w": rng.normal(size=(size, 6)), "lam": rng.uniform(0.01, 3.0, size)}


def sample_l1(rng: np.random.Generator, size: int) -> dict[str, np.ndarray]:
    """Weight vectors of length 5 whose entries stay away from 0 (where |w| has a kink)."""
    w = rng.uniform(0.1, 2.0, size=(size, L1_SIZE)) * rng.choice([-1.0, 1.0], (size, L1_SIZE))
    return {"w": w, "lam": rng.uniform(0.01, 3.0, size)}


def sample_ridge(rng: np.random.Generator, size: int) -> dict[str, np.ndarray]:
    """Regression problems with 10 examples, 3 features and a penalty."""
    return {
        "X": rng.normal(size=(size, 10, 3)),
        "y": rng.normal(size=(size, 10)),
        "lam": rng.uniform(0.01, 3.0, size),
    }


def l2_difference(w: np.ndarray, lam: float) -> np.ndarray:
    """∇ λ‖w‖² by central finite differences, for one w."""
    return gradient_difference(lambda v: lam * np.sum(v**2), w)


def l1_difference(w: np.ndarray, lam: float) -> np.ndarray:
    """∇ λ‖w‖₁ by central finite differences, for one w with no zero entry."""
    return gradient_difference(lambda v: lam * np.sum(np.abs(v)), w)


def ridge_solve(X: np.ndarray, y: np.ndarray, lam: np.ndarray) -> np.ndarray:
    """``np.linalg.solve((XᵀX + λI), Xᵀy)`` on a batch."""
    Xt = np.swapaxes(X, -1, -2)
    gram = Xt @ X + lam[..., None, None] * np.eye(X.shape[-1])
    return np.asarray(np.linalg.solve(gram, (Xt @ y[..., None]))[..., 0])


class _Setup:
    """The symbols and expressions the parts of the derivation share."""

    def __init__(self) -> None:
        n, p = self.n, self.p = sp.symbols("n p", integer=True, positive=True)
        i = self.i = sp.Symbol("i", integer=True)
        lam = self.lam = sp.Symbol("lambda", positive=True)
        self.eta = sp.Symbol("eta", positive=True)
        w = self.w = sp.MatrixSymbol("w", p, 1)
        X = self.X = sp.MatrixSymbol("X", n, p)
        y = self.y = sp.MatrixSymbol("y", n, 1)
        theta = self.theta = sp.MatrixSymbol("theta", p, 1)
        self.Ip = sp.Identity(p)

        self.l2 = lam * dot(w, w)
        self.l1 = lam * sp.Sum(sp.Abs(w[i, 0]), (i, 0, p - 1))
        self.signs = w.applyfunc(sp.sign)
        residual = X * theta - y
        self.ridge = dot(residual, residual) + lam * dot(theta, theta)
        self.ridge_gradient = 2 * X.T * (X * theta - y) + 2 * lam * theta
        self.solution = (X.T * X + lam * self.Ip).I * X.T * y
        self.decay = w - self.eta * 2 * lam * w


def build() -> Derivation:
    """Build the derivation."""
    s = _Setup()
    w, lam, theta = s.w, s.lam, s.theta
    results = (
        Formula(sp.Derivative(s.l2, w), 2 * lam * w, name="L2 gradient"),
        Formula(sp.Derivative(s.l1, w), lam * s.signs, name="L1 subgradient"),
        Formula(s.decay, (1 - 2 * s.eta * lam) * w, name="weight decay"),
        Formula(sp.Derivative(s.ridge, theta), s.ridge_gradient, name="ridge gradient"),
        Formula(theta, s.solution, name="ridge solution"),
    )
    return ENTRY.derivation(
        symbols=(
            Var(w, "the weights", Domain.MATRIX),
            Var(lam, "the regularisation strength", Domain.POSITIVE),
            Var(s.eta, "the learning rate", Domain.POSITIVE),
            Var(s.X, "the n×p design matrix", Domain.MATRIX),
            Var(s.y, "the targets", Domain.MATRIX),
            Var(theta, "the ridge parameters", Domain.MATRIX),
        ),
        steps=(*_penalty_steps(s), *_ridge_steps(s)),
        results=results,
        twins=_twins(s, results),
        sizes=({s.n: 4, s.p: 2}, {s.n: 3, s.p: 1}),
        assumptions=("λ > 0; the L1 derivative needs every wᵢ ≠ 0",),
        intuition=INTUITION,
        interview=_interview(),
        mistakes=_mistakes(s),
    )


def _penalty_steps(s: _Setup) -> tuple[Step, ...]:
    """The gradients of the two penalties, and what a gradient step does with them."""
    w, lam = s.w, s.lam
    return (
        identity(
            sp.Derivative(s.l2, w),
            2 * lam * w,
            "The L2 penalty λ‖w‖² = λΣwᵢ² has partial derivatives 2λwᵢ: its gradient is 2λw.",
        ),
        identity(
            sp.Derivative(s.l1, w),
            lam * s.signs,
            "The L1 penalty λΣ|wᵢ| has partial derivatives λ sign(wᵢ) wherever wᵢ ≠ 0 "
            "(at 0 any value in [−λ, λ] is a subgradient).",
        ),
        identity(
            s.decay,
            (1 - 2 * s.eta * lam) * w,
            "A gradient step on the L2 penalty shrinks every weight by the same factor "
            "(weight decay); the L1 step instead moves every weight towards 0 by the same "
            "amount ηλ, so small weights reach 0 (sparsity).",
        ),
    )


def _ridge_steps(s: _Setup) -> tuple[Step, ...]:
    """Ridge regression: its gradient, set to zero and solved, always solvable for λ > 0."""
    X, y, w, lam, theta = s.X, s.y, s.w, s.lam, s.theta
    return (
        identity(
            sp.Derivative(s.ridge, theta),
            s.ridge_gradient,
            "Ridge regression adds λ‖θ‖² to the squared error: the gradient gains 2λθ.",
        ),
        *halved_gradient(
            s.ridge_gradient,
            ((X.T * X + lam * s.Ip) * theta, X.T * y),
            theta,
            s.solution,
            (
                "Set it to zero (the objective is strictly convex for λ > 0).",
                "Divide by 2 and collect θ: (XᵀX + λI)θ = Xᵀy.",
                "Solve: θ = (XᵀX + λI)⁻¹Xᵀy.",
            ),
        ),
        ge(
            squares(X * w, s.i) + lam * squares(w, s.i),
            sp.Integer(0),
            "wᵀ(XᵀX + λI)w = ‖Xw‖² + λ‖w‖², which is > 0 for w ≠ 0: the matrix is "
            "always invertible for λ > 0, even when XᵀX is singular (more features than "
            "examples, or collinear ones).",
        ),
    )


def _twins(s: _Setup, results: tuple[Formula, ...]) -> tuple[Twin, ...]:
    """Both penalty gradients against finite differences; ridge against a linear solve."""
    realise = Realiser(sizes={s.p: L1_SIZE})
    l2 = Twin(
        name="L2 gradient",
        formula=results[0],
        args=(Arg("w", s.w), Arg("lam", s.lam)),
        reference=finite_differences(l2_difference),
        sample=sample_weights,
        domain="w (..., p), λ > 0",
        rtol=1e-7,
        atol=1e-8,
    )
    l1 = replace(
        l2,
        name="L1 subgradient",
        formula=Formula(
            sp.Derivative(s.l1, s.w), realise(s.lam * s.signs), name="λ sign(w), p = 5"
        ),
        args=(Arg("w", realise(s.w)), Arg("lam", s.lam)),
        reference=finite_differences(l1_difference),
        sample=sample_l1,
        domain=f"w (..., {L1_SIZE}), λ > 0; at wᵢ = 0 it returns 0, one valid subgradient",
    )
    ridge = Twin(
        name="ridge",
        formula=results[4],
        args=(Arg("X", s.X), Arg("y", s.y), Arg("lam", s.lam)),
        reference=Reference("np.linalg.solve(XᵀX + λI, Xᵀy)", ridge_solve),
        sample=sample_ridge,
        domain="X (..., n, p), y (..., n), λ > 0; output (..., p)",
        rtol=1e-9,
    )
    return l2, l1, ridge


def _interview() -> Interview:
    """Both penalty gradients at one w, and a small ridge fit."""
    ex_w = sp.ImmutableMatrix([3, -1, 0])
    ex_lam = sp.Rational(1, 10)
    ex_X = sp.ImmutableMatrix([[1, 1], [1, 2], [1, 3]])
    ex_y = sp.ImmutableMatrix([1, 2, 2])
    ex_theta = (ex_X.T * ex_X + sp.eye(2)).inv() * ex_X.T * ex_y
    return Interview(
        question=(
            "For w = (3, −1, 0) and λ = 0.1, give the gradient of λ‖w‖² and a subgradient of "
            "λ‖w‖₁. Then solve ridge regression with λ = 1 for X = [[1, 1], [1, 2], [1, 3]], "
            "y = (1, 2, 2). Why does the lasso produce exact zeros and ridge does not?"
        ),
        answer=(
            f"∇λ‖w‖² = 2λw = {fmt((2 * ex_lam * ex_w).T)}; a subgradient of λ‖w‖₁ is "
            f"λ sign(w) = {fmt((ex_lam * ex_w.applyfunc(sp.sign)).T)} (any value in "
            "[−0.1, 0.1] for the zero entry). Ridge: (XᵀX + I)θ = Xᵀy with XᵀX + I = "
            f"{fmt(ex_X.T * ex_X + sp.eye(2))} and Xᵀy = {fmt((ex_X.T * ex_y).T)}, so θ = "
            f"{fmt(ex_theta.T)}. Ridge's pull 2λw fades as w → 0, so weights shrink but stay "
            "nonzero; the lasso's pull λ sign(w) keeps its full strength near 0 and can hold "
            "a weight exactly at 0."
        ),
    )


def _mistakes(s: _Setup) -> tuple[Mistake, ...]:
    """Missing factors 2, the L1 gradient as λw, and the sign of λI."""
    X, y, w, lam, theta = s.X, s.y, s.w, s.lam, s.theta
    return (
        Mistake(
            sp.Derivative(s.l2, w),
            lam * w,
            "d(w²)/dw = 2w: the gradient of λ‖w‖² is 2λw.",
            name="missing factor 2",
        ),
        Mistake(
            sp.Derivative(s.l1, w),
            lam * w,
            "The derivative of |w| is sign(w), not w: its size does not depend on |w|.",
            name="L1 gradient λw",
        ),
        Mistake(
            theta,
            (X.T * X - lam * s.Ip).I * X.T * y,
            "The penalty adds λ to the diagonal: XᵀX + λI.",
            name="minus λI",
        ),
        Mistake(
            sp.Derivative(s.ridge, theta),
            2 * X.T * (X * theta - y) + lam * theta,
            "Both terms are squares, so both gradients carry the factor 2.",
            name="penalty gradient without 2",
        ),
    )


INTUITION = (
    "A penalty is a second force on the weights during training. The L2 penalty is "
    "a bowl centred at 0 whose slope 2λw is proportional to the weight: every step "
    "shrinks the weights by a constant factor (weight decay), and in ridge regression "
    "it adds λ to the diagonal of XᵀX, which makes the system always solvable and "
    "tames nearly collinear features. The L1 penalty is a cone whose slope has the "
    "same size λ everywhere except at the tip; that constant pull is strong enough to "
    "park small weights exactly at 0, which is why the lasso selects features."
)
