"""The common losses and their (sub)gradients: MSE, MAE, cross-entropy, hinge and Huber.

>>> [r.name for r in build().results][:3]
['MSE′', 'MAE′', 'BCE = softplus form']
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import sympy as sp

from derive.catalog.calculus_optimization.shared import inline
from derive.catalog.entry import Entry, Exercise, Picture
from derive.catalog.parts import Parts
from derive.catalog.steps import given, identity
from derive.core import lazy
from derive.core.functions import expand_definitions, fold_definitions, sigmoid, softplus
from derive.core.model import Domain, Formula, Interview, Mistake, Step, Topic, Var
from derive.numeric.derivation import Derivation
from derive.numeric.reference import central_difference, gradient_difference
from derive.numeric.twin import Arg, Reference, Sampler, Twin

special = lazy.module("scipy.special")

ENTRY = Entry(
    id="loss-functions",
    topic=Topic.CALCULUS_OPTIMIZATION,
    title="Loss functions and their gradients",
    plot=Picture(
        caption=(
            "Each loss and its derivative: MSE’s slope grows with the residual, MAE’s and "
            "hinge’s are bounded steps, Huber’s is clipped at δ."
        ),
        drawing="loss_shapes",
    ),
    exercise=Exercise(
        question=(
            r"The squared-error loss of a prediction $\hat{{y}}$ for a target $y$ is $\ell = "
            r"(\hat{{y}} - y)^2$. Compute the loss and its derivative ${lhs}$ for {given}."
        ),
        lhs=r"\ell, \ \partial \ell / \partial \hat{y}",
    ),
)

K = 3  # classes for categorical cross-entropy
# Each twin returns (value, gradient). Values are compared with direct NumPy implementations
# (rtol 1e-10); gradients with central differences of those implementations, h = ε^(1/3)·
# max(1, |x|), whose error on these smooth-away-from-kinks losses (arguments of scale ≤ 10,
# kinks avoided by at least 1e-3) is ≲ 1e-9·max(1, |x|)²: rtol 1e-6 with atol 1e-7. Each
# wrong formula below is off by O(1) on the sampled range.
RTOL, ATOL = 1e-6, 1e-7


def _pair(value: np.ndarray, gradient: np.ndarray) -> np.ndarray:
    return np.stack([value, gradient], axis=-1)


def _away_from(x: np.ndarray, kinks: tuple[float, ...], margin: float = 1e-3) -> np.ndarray:
    """Nudge samples that fall within ``margin`` of a kink (finite differences need smoothness)."""
    for kink in kinks:
        x = np.where(np.abs(x - kink) < margin, x + 10 * margin, x)
    return x


def _regression_sample(rng: np.random.Generator, size: int) -> dict[str, np.ndarray]:
    y = rng.normal(scale=3.0, size=size)
    return {"yhat": y + _away_from(rng.normal(scale=3.0, size=size), (0.0,)), "y": y}


def _mse(yhat: np.ndarray, y: np.ndarray) -> np.ndarray:
    return (yhat - y) ** 2


def _mae(yhat: np.ndarray, y: np.ndarray) -> np.ndarray:
    return np.abs(yhat - y)


def _with_difference(f: object, wrt: str, name: str) -> Reference:
    def fn(**inputs: np.ndarray) -> np.ndarray:
        value = f(**inputs)  # type: ignore[operator]
        slope = central_difference(lambda v: f(**{**inputs, wrt: v}), inputs[wrt])  # type: ignore[operator]
        return _pair(value, slope)

    return Reference(f"{name}; its derivative by central differences", fn, "finite differences")


def _bce(z: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Cross-entropy through probabilities, the textbook way (fine for |z| ≲ 30)."""
    p = special.expit(z)
    return -y * np.log(p) - (1 - y) * np.log1p(-p)


def _hinge(s: np.ndarray, y: np.ndarray) -> np.ndarray:
    return np.maximum(0.0, 1.0 - y * s)


def _huber(r: np.ndarray, delta: np.ndarray) -> np.ndarray:
    small = np.abs(r) <= delta
    return np.where(small, 0.5 * r**2, delta * (np.abs(r) - 0.5 * delta))


def _cce_reference(p: np.ndarray, y: np.ndarray) -> np.ndarray:
    """(−Σ yₖ log pₖ, its gradient in p by central differences)."""
    value = -np.sum(y * np.log(p), axis=-1)
    grad = gradient_difference(lambda q: -np.sum(y * np.log(q), axis=-1), p)
    return np.concatenate([value[..., None], grad], axis=-1)


INTUITION = (
    "A loss turns 'how wrong' into a number, and its gradient says how hard and in which "
    "direction each prediction is pushed. Squared error pushes in proportion to the "
    "error, absolute error with constant force, Huber like squared error up to δ and "
    "like absolute error beyond. Cross-entropy on a logit pushes with σ(z) − y, the "
    "probability gap, which stays large while a confident prediction is wrong; the "
    "hinge loss pushes with constant force until the example is beyond the margin and "
    "then ignores it."
)


def _value_and_gradient(value: Formula, gradient: Formula, name: str) -> Formula:
    """A loss and its gradient as one formula of two results."""
    return Formula(sp.Tuple(value.lhs, gradient.lhs), sp.Tuple(value.rhs, gradient.rhs), name)


def _loss_twin(
    name: str,
    formula: Formula,
    args: tuple[Arg, ...],
    reference: tuple[Callable[..., np.ndarray], str, str],
    sample: Sampler,
    domain: str = "all real inputs",
) -> Twin:
    """A (value, derivative) twin against a NumPy loss (f, the input to differentiate by, its
    description) and central differences of it."""
    return Twin(
        name, formula, args, _with_difference(*reference), sample, domain, rtol=RTOL, atol=ATOL
    )


class _Parts(Parts):
    """The five losses, their pieces and their (sub)gradients."""

    intuition = INTUITION
    notes = (
        "The binary cross-entropy twin evaluates y·softplus(−z) + (1 − y)·softplus(z) with a "
        "stable softplus: a sum of two nonnegative terms, so it neither overflows nor "
        "cancels, even for logits in the thousands where σ(z) rounds to 0 or 1.",
    )

    def __init__(self) -> None:
        self.yhat, self.y, self.z, self.s, self.r = yhat, y, z, s, r = sp.symbols(
            "yhat y z s r", real=True
        )
        self.delta = delta = sp.Symbol("delta", positive=True)
        t = sp.Symbol("t", positive=True)
        self.ps = ps = sp.symbols(f"p1:{K + 1}", positive=True)
        self.ys = ys = sp.symbols(f"y1:{K + 1}", real=True)

        self.mse = mse = (yhat - y) ** 2
        self.mae = mae = sp.Abs(yhat - y)
        self.d_mse, self.d_mae = sp.diff(mse, yhat), sp.diff(mae, yhat)

        # Binary cross-entropy from the logit: log σ(z) = −softplus(−z),
        # log(1 − σ(z)) = −softplus(z).
        self.bce = -y * sp.log(sigmoid(z)) - (1 - y) * sp.log(1 - sigmoid(z))
        sigma = expand_definitions(sigmoid(z))
        log_p = fold_definitions(sp.expand_log(sp.log(sigma), force=True), softplus)
        log_q = fold_definitions(
            sp.expand_log(sp.log(sp.simplify(1 - sigma)), force=True), softplus
        )
        self.bce_softplus = bce_softplus = (
            -y * log_p - (1 - y) * log_q
        )  # y·softplus(−z) + (1 − y)·softplus(z)
        flipped = fold_definitions(
            sp.expand_log(sp.log(sp.factor(expand_definitions(softplus(-z)).args[0])), force=True),
            softplus,
        )  # softplus(−z) = softplus(z) − z
        self.bce_short = sp.expand(bce_softplus.subs(softplus(-z), flipped))  # softplus(z) − yz
        softplus_slope = sp.diff(expand_definitions(softplus(z)), z)  # e^z/(1 + e^z)
        as_sigma = fold_definitions(
            sp.cancel(softplus_slope.subs(sp.exp(z), 1 / t)).subs(t, sp.exp(-z)), sigmoid
        )
        self.d_bce = as_sigma - sp.diff(y * z, z)

        self.cce = cce = -sum(yk * sp.log(pk) for yk, pk in zip(ys, ps, strict=True))
        self.p_vector = sp.MatrixSymbol("p", K, 1)  # stands for (p1, …, pK), see the bindings
        self.d_cce = sp.ImmutableMatrix([sp.diff(cce, pk) for pk in ps])

        self.hinge = hinge = sp.Max(0, 1 - y * s)
        self.d_hinge = d_hinge = sp.diff(hinge, s)
        self.d_hinge_cases = d_hinge.rewrite(sp.Piecewise)

        self.huber = huber = sp.Piecewise(
            (r**2 / 2, sp.Abs(r) <= delta), (delta * (sp.Abs(r) - delta / 2), True)
        )
        self.d_huber = sp.diff(huber, r)
        self.clipped = sp.Max(-delta, sp.Min(delta, r))
        self.inner, self.outer = huber.args[0][0], huber.args[1][0]

    def steps(self) -> tuple[Step, ...]:
        mse, d_mse, mae, d_mae, bce = self.mse, self.d_mse, self.mae, self.d_mae, self.bce
        d_bce, cce, d_cce, hinge = self.d_bce, self.cce, self.d_cce, self.hinge
        d_hinge, huber, d_huber, yhat, y = self.d_hinge, self.huber, self.d_huber, self.yhat, self.y
        z, bce_softplus, bce_short = self.z, self.bce_softplus, self.bce_short
        p_vector, s, d_hinge_cases, r = self.p_vector, self.s, self.d_hinge_cases, self.r
        inner, delta, outer, clipped = self.inner, self.delta, self.outer, self.clipped
        return (
            given(sp.Function("MSE")(yhat, y), mse, "Squared error."),
            identity(sp.Derivative(mse, yhat), d_mse, "Chain rule: 2 times the residual."),
            given(sp.Function("MAE")(yhat, y), mae, "Absolute error."),
            identity(
                sp.Derivative(mae, yhat),
                d_mae,
                "The sign of the residual (ŷ ≠ y); at ŷ = y any value in [−1, 1] is a subgradient.",
            ),
            given(
                sp.Function("BCE")(z, y),
                bce,
                "Binary cross-entropy of p = σ(z) for a label 0 ≤ y ≤ 1.",
            ),
            Step(
                rhs=bce_softplus,
                why="log σ(z) = −log(1 + exp(−z)) = −softplus(−z) and 1 − σ(z) = σ(−z), so "
                "log(1 − σ(z)) = −softplus(z). Both terms are ≥ 0: the twin evaluates this form.",
            ),
            Step(
                rhs=bce_short,
                why="softplus(−z) = log(exp(−z)(1 + exp(z))) = softplus(z) − z.",
            ),
            identity(
                sp.Derivative(bce_short, z),
                d_bce,
                "softplus′ = σ (chain-rule-activations): the gradient is σ(z) − y.",
            ),
            given(
                sp.Function("CCE")(p_vector),
                cce,
                f"Categorical cross-entropy of predicted probabilities p against a target y "
                f"({K} classes).",
            ),
            identity(
                sp.Derivative(cce, p_vector),
                d_cce,
                "Each term depends on one pₖ: ∂/∂pₖ = −yₖ/pₖ (with respect to the logits it "
                "becomes softmax − y, see softmax-cross-entropy-gradient).",
            ),
            given(sp.Function("hinge")(s, y), hinge, "Hinge loss of a score s for a label y = ±1."),
            identity(
                sp.Derivative(hinge, s),
                d_hinge,
                "Slope −y while the margin ys is below 1, else 0 (θ is the unit step).",
            ),
            Step(
                rhs=d_hinge_cases,
                why="Case by case; at the kink ys = 1 any value between −y and 0 is a subgradient "
                "(SymPy's step takes the midpoint).",
            ),
            given(
                sp.Function("Huber")(r),
                huber,
                "Huber loss of a residual r with threshold δ: quadratic near 0, linear beyond.",
            ),
            identity(
                sp.Subs(inner, r, delta),
                sp.Subs(outer, r, delta),
                "The pieces meet at |r| = δ: the loss is continuous.",
            ),
            identity(
                sp.Derivative(huber, r),
                d_huber,
                "Differentiate each piece: r inside, δ·sign(r) outside (also continuous at δ).",
            ),
            Step(rhs=clipped, why="That is r clipped to [−δ, δ]: large residuals pull no harder."),
        )

    def results(self) -> tuple[Formula, ...]:
        d_mse, d_mae, bce_softplus, d_bce = self.d_mse, self.d_mae, self.bce_softplus, self.d_bce
        d_cce, d_hinge_cases, clipped, mse = self.d_cce, self.d_hinge_cases, self.clipped, self.mse
        yhat, mae, z, y, bce_short = self.yhat, self.mae, self.z, self.y, self.bce_short
        cce, p_vector, hinge, s, huber = self.cce, self.p_vector, self.hinge, self.s, self.huber
        r = self.r
        return (
            Formula(sp.Derivative(mse, yhat), d_mse, name="MSE′"),
            Formula(sp.Derivative(mae, yhat), d_mae, name="MAE′"),
            Formula(sp.Function("BCE")(z, y), bce_softplus, name="BCE = softplus form"),
            Formula(sp.Derivative(bce_short, z), d_bce, name="BCE′"),
            Formula(sp.Derivative(cce, p_vector), d_cce, name="CCE gradient"),
            Formula(sp.Derivative(hinge, s), d_hinge_cases, name="hinge subgradient"),
            Formula(sp.Derivative(huber, r), clipped, name="Huber′"),
        )

    def interview(self) -> Interview:
        yhat, y, r, delta, mse, mae = self.yhat, self.y, self.r, self.delta, self.mse, self.mae
        huber, d_mse, d_mae, clipped = self.huber, self.d_mse, self.d_mae, self.clipped
        point = {yhat: 3, y: 0, r: 3, delta: 1}
        values = [inline(e.subs(point)) for e in (mse, mae, huber)]
        slopes = [inline(e.subs(point)) for e in (d_mse, d_mae, clipped)]
        return Interview(
            question="A regression model predicts ŷ = 3 where the target is y = 0. Compare the "
            "squared, absolute and Huber (δ = 1) losses and their gradients. When would you pick "
            "each?",
            answer=(
                f"Squared error {values[0]} with gradient 2(ŷ − y) = {slopes[0]}; absolute error "
                f"{values[1]} with gradient sign(ŷ − y) = {slopes[1]}; Huber {values[2]} with "
                f"gradient clip(r, −δ, δ) = {slopes[2]}. Squared error punishes large errors "
                "hardest (it estimates the mean, and is smooth); absolute error pulls equally hard "
                "at every size (it estimates the median and shrugs off outliers, but its gradient "
                "jumps at 0); Huber is quadratic for small residuals and linear for large ones, so "
                "it is smooth and robust at once. For classification the cross-entropies and the "
                "hinge loss act on scores instead: cross-entropy's gradient σ(z) − y never "
                "vanishes while the answer is wrong, hinge stops once the margin reaches 1."
            ),
        )

    def mistakes(self) -> tuple[Mistake, ...]:
        r, mse, yhat, y, bce_short, z = self.r, self.mse, self.yhat, self.y, self.bce_short, self.z
        bce, cce, p_vector, hinge, s = self.bce, self.cce, self.p_vector, self.hinge, self.s
        huber, ps, ys = self.huber, self.ps, self.ys
        return (
            Mistake(
                sp.Derivative(mse, yhat),
                yhat - y,
                "Forgetting the factor 2 of the square (harmless in practice only if the loss is "
                "defined with a 1/2).",
                name="forgetting the factor 2",
            ),
            Mistake(
                sp.Derivative(bce_short, z),
                y - sigmoid(z),
                "Sign: σ(z) − y, prediction minus target; y − σ(z) is the log-likelihood's "
                "gradient.",
                name="sign of the logistic gradient",
            ),
            Mistake(
                sp.Derivative(bce, z),
                -y / sigmoid(z) - (1 - y) / (1 - sigmoid(z)),
                "The derivative of log(1 − p) is −1/(1 − p), so the second term enters with a "
                "plus sign; and p = σ(z) still needs its inner derivative σ′(z).",
                name="derivative of log(1 − p)",
            ),
            Mistake(
                sp.Derivative(cce, p_vector),
                sp.ImmutableMatrix(ps) - sp.ImmutableMatrix(ys),
                "p − y is the gradient with respect to the logits z, not the probabilities p.",
                name="gradient in p confused with gradient in z",
            ),
            Mistake(
                sp.Derivative(hinge, s),
                -y,
                "Forgetting the margin: once ys ≥ 1 the hinge loss is flat and its gradient 0.",
                name="hinge without the margin condition",
            ),
            Mistake(
                sp.Derivative(huber, r),
                r,
                "Forgetting the clip: beyond |r| = δ the Huber gradient is δ·sign(r), not r.",
                name="Huber without the clip",
            ),
        )

    def twins(self, results: tuple[Formula, ...]) -> tuple[Twin, ...]:
        """Each loss and its gradient, against NumPy and central differences."""
        yhat, y, mse, mae, z, cce = self.yhat, self.y, self.mse, self.mae, self.z, self.cce
        hinge, s, huber, r, delta = self.hinge, self.s, self.huber, self.r, self.delta
        d_cce, ps, ys = self.d_cce, self.ps, self.ys
        steps = self.steps()
        regression_args = (Arg("yhat", yhat), Arg("y", y))
        return (
            _loss_twin(
                "MSE",
                _value_and_gradient(Formula(steps[0].lhs, mse), results[0], "MSE and MSE′"),
                regression_args,
                (_mse, "yhat", "(ŷ − y)² in NumPy"),
                _regression_sample,
            ),
            _loss_twin(
                "MAE",
                _value_and_gradient(Formula(steps[2].lhs, mae), results[1], "MAE and MAE′"),
                regression_args,
                (_mae, "yhat", "np.abs(ŷ − y)"),
                _regression_sample,
            ),
            _loss_twin(
                "binary cross-entropy",
                _value_and_gradient(results[2], results[3], "BCE and BCE′"),
                (Arg("z", z), Arg("y", y)),
                (_bce, "z", "−y log σ(z) − (1 − y) log1p(−σ(z)) with scipy expit"),
                lambda rng, n: {"z": rng.normal(scale=4.0, size=n), "y": rng.uniform(0, 1, size=n)},
                domain="any logit z, label 0 ≤ y ≤ 1",
            ),
            Twin(
                "categorical cross-entropy",
                Formula(
                    sp.Tuple(steps[8].lhs, results[4].lhs),
                    sp.Tuple(cce, *d_cce),
                    name="CCE and its gradient",
                ),
                (Arg("p", sp.ImmutableMatrix(ps)), Arg("y", sp.ImmutableMatrix(ys))),
                Reference("−Σ y log p in NumPy; gradient by central differences", _cce_reference),
                lambda rng, n: {
                    "p": rng.dirichlet(np.ones(K), size=n),
                    "y": np.eye(K)[rng.integers(0, K, size=n)],
                },
                domain="probabilities p > 0",
                rtol=RTOL,
                atol=ATOL,
            ),
            _loss_twin(
                "hinge",
                _value_and_gradient(
                    Formula(steps[10].lhs, hinge), results[5], "hinge and its subgradient"
                ),
                (Arg("s", s), Arg("y", y)),
                (_hinge, "s", "np.maximum(0, 1 − ys)"),
                lambda rng, n: {
                    "s": _away_from(rng.normal(scale=2.0, size=n), (-1.0, 1.0)),
                    "y": rng.choice([-1.0, 1.0], size=n),
                },
                domain="labels y = ±1 (margins off the kink ys = 1)",
            ),
            _loss_twin(
                "Huber",
                _value_and_gradient(Formula(steps[13].lhs, huber), results[6], "Huber and Huber′"),
                (Arg("r", r), Arg("delta", delta)),
                (_huber, "r", "np.where(|r| ≤ δ, r²/2, δ(|r| − δ/2))"),
                lambda rng, n: {
                    "r": rng.normal(scale=3.0, size=n),
                    "delta": rng.uniform(0.5, 2.0, size=n),
                },
                domain="δ > 0",
            ),
        )

    def symbols(self) -> tuple[Var, ...]:
        yhat, y, z, s, r, delta = self.yhat, self.y, self.z, self.s, self.r, self.delta
        p_vector, ps, ys = self.p_vector, self.ps, self.ys
        return (
            Var(yhat, "a prediction"),
            Var(y, "a target (for BCE a label in [0, 1], for hinge ±1)"),
            Var(z, "a logit"),
            Var(s, "a classifier score"),
            Var(r, "a residual ŷ − y"),
            Var(delta, "the Huber threshold δ > 0", Domain.POSITIVE),
            Var(p_vector, f"the predicted class probabilities (p1, …, p{K})", Domain.MATRIX),
            *(Var(pk, "a predicted class probability", Domain.PROBABILITY) for pk in ps),
            *(Var(yk, "a target class probability", Domain.PROBABILITY) for yk in ys),
        )

    def bindings(self) -> dict[sp.Basic, sp.Basic]:
        return {self.p_vector: sp.ImmutableMatrix(self.ps)}


def build() -> Derivation:
    """Build the derivation."""
    return _Parts().derivation(ENTRY)
