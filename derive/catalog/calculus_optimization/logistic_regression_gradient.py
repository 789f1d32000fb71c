"""The gradient of the logistic (binary cross-entropy) loss: (σ(wᵀx + b) − y)x, and in batch.

>>> build().results[0].rhs
-y + sigmoid(z)
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from derive.catalog.calculus_optimization.shared import inline, product, sigmoid_slope
from derive.catalog.common import decimal
from derive.catalog.entry import Entry, Exercise, Picture
from derive.catalog.parts import Parts
from derive.catalog.steps import given, identity
from derive.core import lazy
from derive.core.functions import expand_definitions, fold_definitions, log_sigmoid, sigmoid
from derive.core.model import Domain, Formula, Interview, Mistake, Step, Topic, Var
from derive.numeric.derivation import Derivation
from derive.numeric.reference import gradient_difference
from derive.numeric.twin import Arg, Reference, Twin

special = lazy.module("scipy.special")

ENTRY = Entry(
    id="logistic-regression-gradient",
    topic=Topic.CALCULUS_OPTIMIZATION,
    title="Logistic regression: the cross-entropy gradient",
    plot=Picture(
        caption=(
            "The logistic loss over the logit for each label, and its slope σ(z) − y, which "
            "never exceeds 1 in size."
        ),
        drawing="logistic_loss",
    ),
    exercise=Exercise(
        question=(
            r"For a logit $z$ and a label $y \in \{{0, 1\}}$, the logistic loss is $\ell = "
            r"-y \log \sigma(z) - (1 - y) \log(1 - \sigma(z))$ with $\sigma(z) = 1 / (1 + "
            r"e^{{-z}})$. Compute ${lhs}$ for {given}."
        ),
        lhs=r"\ell",
        draw="binary_label",
    ),
)

N_FEATURES, N_ROWS = 3, 5  # sizes of the sampled inputs
# Central differences of the loss in w, h = ε^(1/3)·max(1, |wᵢ|): the loss is smooth with
# third derivatives ≲ |x|³ ≲ 30 on these samples, so truncation h²/6·|f‴| ≲ 2e-10 and rounding
# ε·|L|/h ≲ 1e-10; rtol 1e-6 with atol 1e-8 has a wide margin. The sign error and the missing
# 1/m are off by O(1) relative.
FD_RTOL, FD_ATOL = 1e-6, 1e-8


def _loss(z: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Binary cross-entropy from the logit, with SciPy's stable log σ."""
    return -y * special.log_expit(z) - (1 - y) * special.log_expit(-z)


def _gradient_reference(w: np.ndarray, x: np.ndarray, b: np.ndarray, y: np.ndarray) -> np.ndarray:
    return gradient_difference(lambda v: _loss(np.einsum("...i,...i->...", v, x) + b[..., 0], y), w)


def _batch_reference(X: np.ndarray, w: np.ndarray, y: np.ndarray) -> np.ndarray:
    return gradient_difference(
        lambda v: _loss(np.einsum("...ij,...j->...i", X, v), y).mean(axis=-1), w
    )


def _sample_loss(rng: np.random.Generator, size: int) -> dict[str, np.ndarray]:
    return {"z": rng.normal(scale=5.0, size=size), "y": rng.uniform(0, 1, size=size)}


def _sample_one(rng: np.random.Generator, size: int) -> dict[str, np.ndarray]:
    return {
        "w": rng.normal(size=(size, N_FEATURES)),
        "x": rng.normal(size=(size, N_FEATURES)),
        "b": rng.normal(size=(size, 1)),
        "y": rng.integers(0, 2, size=size).astype(float),
    }


def _sample_batch(rng: np.random.Generator, size: int) -> dict[str, np.ndarray]:
    return {
        "X": rng.normal(size=(size, N_ROWS, N_FEATURES)),
        "w": rng.normal(size=(size, N_FEATURES)),
        "y": rng.integers(0, 2, size=(size, N_ROWS)).astype(float),
    }


INTUITION = (
    "The gradient is the prediction error times the input: (σ(z) − y)x. If the model "
    "says 0.9 for a positive example the error is −0.1 and the weights move a little "
    "along x; if it says 0.1 the error is −0.9 and they move a lot. The sigmoid's own "
    "slope never appears, because the log in cross-entropy undoes the exponential in "
    "the sigmoid; this is also why the same (prediction − target) form reappears for "
    "softmax with cross-entropy and for linear regression with squared error."
)


class _Parts(Parts):
    """The cross-entropy loss of σ(z), through the logit wᵀx + b and over a batch."""

    intuition = INTUITION
    notes = (
        "The twins evaluate log σ stably (log σ(z) = min(z, 0) − log1p(exp(−|z|))), so the "
        "loss stays finite for logits in the thousands where log(σ(z)) would be log(0).",
    )

    def __init__(self) -> None:
        self.z = z = sp.Symbol("z", real=True)
        self.p = p = sp.Symbol("p", positive=True)
        self.y = y = sp.Symbol("y", real=True)
        self.m, self.n = m, n = sp.symbols("m n", integer=True, positive=True)
        self.w = w = sp.MatrixSymbol("w", n, 1)
        self.x = x = sp.MatrixSymbol("x", n, 1)
        self.b = b = sp.MatrixSymbol("b", 1, 1)
        self.X = X = sp.MatrixSymbol("X", m, n)
        self.labels = labels = sp.MatrixSymbol("y", m, 1)
        self.L = sp.Function("L")

        self.in_p = in_p = -y * sp.log(p) - (1 - y) * sp.log(1 - p)
        self.loss = loss = in_p.subs(p, sigmoid(z))
        self.d_in_p = d_in_p = sp.diff(in_p, p)
        self.combined = sp.factor(sp.together(d_in_p))
        self.slope = slope = sigmoid_slope(z)
        self.chained = product(d_in_p.subs(p, sigmoid(z)), slope)
        self.d_loss = d_loss = sp.cancel(d_in_p * p * (1 - p)).subs(p, sigmoid(z))  # σ(z) − y
        one_minus = fold_definitions(sp.simplify(1 - expand_definitions(sigmoid(z))), sigmoid)
        wv = sp.Wild("wv")
        self.stable = stable = loss.subs(1 - sigmoid(z), one_minus).replace(
            sp.log(sigmoid(wv)), log_sigmoid(wv)
        )

        self.logit = logit = w.T * x + b
        self.d_logit = d_logit = sp.diff(logit, w)  # x
        self.loss_w = stable.subs(z, logit)
        self.gradient_w = d_loss.subs(z, logit) * d_logit
        self.gradient_b = d_loss.subs(z, logit) * sp.diff(logit, b)

        ones = sp.OneMatrix(m, 1)
        self.batch_loss = (
            -(
                labels.T * (X * w).applyfunc(log_sigmoid)
                + (ones - labels).T * (-X * w).applyfunc(log_sigmoid)
            )
            / m
        )
        self.residual = residual = (X * w).applyfunc(
            sigmoid
        ) - labels  # entry i: dL/dzᵢ = σ(zᵢ) − yᵢ
        self.batch_gradient = sp.diff(X * w, w) * residual / m

    def steps(self) -> tuple[Step, ...]:
        loss, d_in_p, slope, chained = self.loss, self.d_in_p, self.slope, self.chained
        stable, d_logit, gradient_w = self.stable, self.d_logit, self.gradient_w
        gradient_b, batch_loss = self.gradient_b, self.batch_loss
        batch_gradient, L, z, in_p, p = self.batch_gradient, self.L, self.z, self.in_p, self.p
        combined, d_loss, logit, w = self.combined, self.d_loss, self.logit, self.w
        loss_w, b = self.loss_w, self.b
        return (
            given(
                L(z),
                loss,
                "Binary cross-entropy of the predicted probability p = σ(z) against the label y, "
                "for the logit z = wᵀx + b.",
            ),
            identity(
                sp.Derivative(in_p, p),
                d_in_p,
                "Differentiate in p: d(log p)/dp = 1/p, d log(1 − p)/dp = −1/(1 − p).",
            ),
            Step(rhs=combined, why="Common denominator."),
            identity(
                sp.Derivative(sigmoid(z), z),
                slope,
                "The sigmoid's slope (see chain-rule-activations).",
            ),
            identity(
                sp.Derivative(loss, z), chained, "Chain rule: dL/dz = dL/dp · dp/dz at p = σ(z)."
            ),
            Step(rhs=d_loss, why="The factor p(1 − p) cancels against the denominator."),
            identity(
                loss,
                stable,
                "Since 1 − σ(z) = σ(−z) the loss is −y log σ(z) − (1 − y) log σ(−z); the twin "
                "evaluates this with a stable log σ, finite even where σ(z) rounds to 0 or 1.",
            ),
            identity(
                sp.Derivative(logit, w), d_logit, "The logit is linear in w: ∂(wᵀx + b)/∂w = x."
            ),
            identity(
                sp.Derivative(loss_w, w),
                gradient_w,
                "Chain rule through z = wᵀx + b: (dL/dz)·∂z/∂w.",
            ),
            identity(
                sp.Derivative(loss_w, b),
                gradient_b,
                "And ∂z/∂b = 1: the bias gradient is the residual itself.",
            ),
            given(
                sp.Function("L")(w),
                batch_loss,
                "For m examples (rows of X, labels y) the loss is the mean of the per-example "
                "losses, in the stable form above.",
            ),
            identity(
                sp.Derivative(batch_loss, w),
                batch_gradient,
                "Row i contributes (σ(xᵢᵀw) − yᵢ)xᵢ; summing rows times residuals is Xᵀ times "
                "the residual vector, and the mean divides by m.",
            ),
        )

    def results(self) -> tuple[Formula, ...]:
        d_loss, gradient_w, gradient_b = self.d_loss, self.gradient_w, self.gradient_b
        batch_gradient, loss, stable, z = self.batch_gradient, self.loss, self.stable, self.z
        loss_w, w, b, batch_loss = self.loss_w, self.w, self.b, self.batch_loss
        return (
            Formula(sp.Derivative(loss, z), d_loss, name="dL/dz"),
            Formula(sp.Derivative(loss_w, w), gradient_w, name="∇_w L"),
            Formula(sp.Derivative(loss_w, b), gradient_b, name="∂L/∂b"),
            Formula(sp.Derivative(batch_loss, w), batch_gradient, name="batch ∇_w L"),
            Formula(loss, stable, name="stable loss"),
        )

    def twins(self, results: tuple[Formula, ...]) -> tuple[Twin, ...]:
        z, y, w, x, b, X, labels = self.z, self.y, self.w, self.x, self.b, self.X, self.labels
        return (
            Twin(
                "loss (stable)",
                results[4],
                (Arg("z", z), Arg("y", y)),
                Reference("−y·log_expit(z) − (1 − y)·log_expit(−z) (SciPy)", _loss),
                _sample_loss,
                domain="any real logit z, label 0 ≤ y ≤ 1",
                rtol=1e-12,
                atol=1e-15,
            ),
            Twin(
                "gradient",
                results[1],
                (Arg("w", w), Arg("x", x), Arg("b", b), Arg("y", y)),
                Reference(
                    "central differences of the loss in w",
                    _gradient_reference,
                    "finite differences",
                ),
                _sample_one,
                rtol=FD_RTOL,
                atol=FD_ATOL,
            ),
            Twin(
                "batch gradient",
                results[3],
                (Arg("X", X), Arg("w", w), Arg("y", labels)),
                Reference(
                    "central differences of the mean loss in w",
                    _batch_reference,
                    "finite differences",
                ),
                _sample_batch,
                rtol=FD_RTOL,
                atol=FD_ATOL,
            ),
        )

    def interview(self) -> Interview:
        d_loss, z, y = self.d_loss, self.z, self.y
        w0, x0, b0, y0 = (1, -2), (2, 1), sp.Rational(1, 2), 1
        z0 = sum(a * c for a, c in zip(w0, x0, strict=True)) + b0
        residual0 = d_loss.subs({z: z0, y: y0})
        value0 = expand_definitions(residual0)
        return Interview(
            question="A logistic-regression model with w = (1, −2) and b = 1/2 sees x = (2, 1) "
            "with label y = 1. What is the gradient of the cross-entropy loss with respect to w "
            "and b, and why is there no σ′ factor in it?",
            answer=(
                f"z = wᵀx + b = {inline(z0)}, so the residual is σ({inline(z0)}) − 1 ≈ "
                f"{decimal(value0, 4)}. The gradient is (σ(z) − y)x ≈ "
                f"({decimal(value0 * x0[0], 4)}, {decimal(value0 * x0[1], 4)}) for w and "
                f"{decimal(value0, 4)} for b: both push the score up, towards the label. The chain "
                "rule multiplies dL/dp = (p − y)/(p(1 − p)) by σ′ = p(1 − p), which cancels "
                "exactly; that is why cross-entropy, unlike squared error, does not stall when σ "
                "saturates."
            ),
        )

    def mistakes(self) -> tuple[Mistake, ...]:
        # The derivative a learner gets from −y log p − log(1 − p), by the same chain rule.
        p, z, y, loss_w, w = self.p, self.z, self.y, self.loss_w, self.w
        gradient_w, loss, d_loss, slope = self.gradient_w, self.loss, self.d_loss, self.slope
        batch_loss, residual, X = self.batch_loss, self.residual, self.X
        unweighted = -y * sp.log(p) - sp.log(1 - p)
        dropped_weight = sp.cancel(sp.diff(unweighted, p) * p * (1 - p)).subs(p, sigmoid(z))
        return (
            Mistake(
                sp.Derivative(loss_w, w),
                -gradient_w,
                "Sign: (y − σ)x is the gradient of the log-likelihood; the loss is its negative, "
                "with gradient (σ − y)x.",
                name="sign of the logistic gradient",
            ),
            Mistake(
                sp.Derivative(loss, z),
                d_loss * slope,
                "An extra σ′ = σ(1 − σ) factor: that is the gradient of squared error through a "
                "sigmoid. For cross-entropy it cancels.",
                name="extra σ′ factor",
            ),
            Mistake(
                sp.Derivative(batch_loss, w),
                sp.diff(X * w, w) * residual,
                "Forgetting the 1/m of the mean: Xᵀ(σ(Xw) − y) is the gradient of the summed loss.",
                name="forgetting the 1/n",
            ),
            Mistake(
                sp.Derivative(loss, z),
                dropped_weight,
                "Dropping the (1 − y) weight on log(1 − p): the two terms of the loss carry "
                "weights y and 1 − y, and only together do they give σ(z) − y.",
                name="label weight dropped",
            ),
        )

    def symbols(self) -> tuple[Var, ...]:
        z, p, y, w, x, b, X = self.z, self.p, self.y, self.w, self.x, self.b, self.X
        labels = self.labels
        return (
            Var(z, "the logit wᵀx + b"),
            Var(p, "the predicted probability σ(z)", Domain.PROBABILITY),
            Var(y, "the label (0 or 1; any 0 ≤ y ≤ 1 works)", Domain.PROBABILITY),
            Var(w, "the weights, n×1", Domain.MATRIX),
            Var(x, "one example's features, n×1", Domain.MATRIX),
            Var(b, "the bias (a 1×1 matrix, so it adds to wᵀx)", Domain.MATRIX),
            Var(X, "the m×n design matrix, one example per row", Domain.MATRIX),
            Var(labels, "the m labels", Domain.MATRIX),
        )

    def sizes(self) -> tuple[dict[sp.Symbol, int], ...]:
        return ({self.n: 2, self.m: 3}, {self.n: 3, self.m: 2})


def build() -> Derivation:
    """Build the derivation."""
    return _Parts().derivation(ENTRY)
