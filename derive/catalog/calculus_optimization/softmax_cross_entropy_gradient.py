"""The gradient of softmax cross-entropy with respect to the logits: softmax(z) − y.

>>> build().result.rhs
p - y
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import sympy as sp

from derive.catalog.calculus_optimization.shared import inline
from derive.catalog.common import decimal, fmt
from derive.catalog.entry import Entry, Exercise, Picture
from derive.catalog.parts import Parts
from derive.catalog.steps import given, identity
from derive.core import lazy
from derive.core.functions import expand_definitions, logsumexp
from derive.core.model import Domain, Formula, Interview, Mistake, Step, Topic, Var
from derive.numeric.derivation import Derivation
from derive.numeric.reference import gradient_difference
from derive.numeric.twin import Arg, Reference, Twin

special = lazy.module("scipy.special")

ENTRY = Entry(
    id="softmax-cross-entropy-gradient",
    topic=Topic.CALCULUS_OPTIMIZATION,
    title="Softmax cross-entropy: the gradient with respect to the logits",
    plot=Picture(
        caption=(
            "Softmax cross-entropy along one logit: the loss falls as the true class’s logit "
            "grows, and its slope is p₁ − y₁."
        ),
        drawing="cross_entropy_slice",
    ),
    exercise=Exercise(
        question=(
            r"For logits $z$ with $p = \operatorname{{softmax}}(z)$, the cross-entropy loss "
            r"against a one-hot label $y$ is $L = -\sum_i y_i \log p_i$. Compute ${lhs}$ for "
            r"{given}."
        ),
        lhs=r"L",
        draw="one_hot",
    ),
)

K = 3  # classes; the algebra is the same for every K
# Central differences of the loss in z with h = ε^(1/3)·max(1, |zᵢ|): the loss has third
# derivatives ≤ 1 in z, so truncation h²/6 ≲ 1e-10·max(1, |z|)² and rounding ε·|L|/h ≲ 1e-9 on
# logits of scale 5; rtol 1e-6 with atol 1e-8. Dropping the −y changes an entry by yᵢ, up to 1.
FD_RTOL, FD_ATOL = 1e-6, 1e-8


def _loss(z: np.ndarray, y: np.ndarray) -> np.ndarray:
    """−Σ yₖ log softmax(z)ₖ with SciPy's log_softmax."""
    return -np.sum(y * special.log_softmax(z, axis=-1), axis=-1)


def _fd_reference(z: np.ndarray, y: np.ndarray) -> np.ndarray:
    return gradient_difference(lambda v: _loss(v, y), z)


def _sample(rng: np.random.Generator, size: int) -> dict[str, np.ndarray]:
    """Logits of scale 5; targets half one-hot, half soft (Dirichlet), each summing to 1."""
    z = rng.normal(scale=5.0, size=(size, K))
    soft = rng.dirichlet(np.ones(K), size=size)
    hard = np.eye(K)[rng.integers(0, K, size=size)]
    y = np.where(rng.random((size, 1)) < 0.5, hard, soft)
    return {"z": z, "y": y}


def _valid(z: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Targets that are a probability vector (nonnegative, summing to 1): the loss is
    LSE(z) − yᵀz only then."""
    return np.all(y >= 0, axis=-1) & np.isclose(y.sum(axis=-1), 1.0, rtol=0, atol=1e-12)


INTUITION = (
    "For a hard label, cross-entropy with softmax is LSE(z) minus the correct class's "
    "logit: that logit is pushed up directly, while the log-sum-exp term, whose gradient "
    "is the "
    "softmax itself, pushes every logit down in proportion to the probability it "
    "currently gets. Their sum is prediction minus target, p − y, the same form as for "
    "logistic regression (the K = 2 case) and for squared error with a linear output. "
    "The gradient entries always sum to zero, because adding the same constant to every "
    "logit leaves softmax unchanged."
)


class _Parts(Parts):
    """Softmax of the logits, the cross-entropy against a target and its gradient."""

    intuition = INTUITION
    assumptions = (f"K = {K} classes in the explicit form; y1 + … + yK = 1.",)
    notes = (
        "The twins use log-sum-exp with the largest logit shifted out, "
        "LSE(z) = max z + log Σ exp(zₖ − max z), and pᵢ = exp(zᵢ − LSE(z)): finite for any "
        "finite logits. The loss LSE(z) − yᵀz is then accurate to about ε·max|z| in "
        "absolute terms, which is the conditioning of the loss itself.",
    )

    def __init__(self) -> None:
        self.zs = zs = sp.symbols(f"z1:{K + 1}", real=True)
        self.ys = ys = sp.symbols(f"y1:{K + 1}", real=True)
        self.z = z = sp.MatrixSymbol("z", K, 1)
        self.y = sp.MatrixSymbol("y", K, 1)
        self.p = sp.MatrixSymbol("p", K, 1)
        self.z_entries = sp.ImmutableMatrix(zs)
        self.y_entries = sp.ImmutableMatrix(ys)
        self.constraint = {ys[-1]: 1 - sum(ys[:-1])}  # the targets sum to one

        total = sum(sp.exp(v) for v in zs)
        self.probabilities = probabilities = sp.ImmutableMatrix([sp.exp(v) / total for v in zs])
        self.lse = lse = logsumexp(*zs)
        self.ps = ps = sp.symbols(f"p1:{K + 1}", positive=True)
        self.loss = loss = -sum(yk * sp.log(pk) for yk, pk in zip(ys, ps, strict=True))
        logs = sp.expand_log(loss.xreplace(dict(zip(ps, probabilities, strict=True))), force=True)
        self.collected = collected = sp.collect(sp.expand(logs), sp.log(total)).xreplace(
            {sp.log(total): lse}
        )
        self.folded = folded = collected.subs(sum(ys), 1)
        self.lse_gradient = lse_gradient = sp.ImmutableMatrix(
            [sp.diff(expand_definitions(lse), v) for v in zs]
        )
        linear_gradient = sp.ImmutableMatrix(
            [sp.diff(-sum(a * b for a, b in zip(ys, zs, strict=True)), v) for v in zs]
        )
        self.gradient = lse_gradient + linear_gradient
        self.stable = sp.ImmutableMatrix(
            [
                sp.exp(sp.expand_log(sp.log(q), force=True).xreplace({sp.log(total): lse})) - yk
                for q, yk in zip(probabilities, ys, strict=True)
            ]
        )
        self.d_loss = sp.Derivative(folded, z)

    def steps(self) -> tuple[Step, ...]:
        probabilities, loss, lse_gradient = self.probabilities, self.loss, self.lse_gradient
        d_loss, gradient, ps, ys, z = self.d_loss, self.gradient, self.ps, self.ys, self.z
        collected, folded, lse, stable = self.collected, self.folded, self.lse, self.stable
        p, y = self.p, self.y
        return (
            given(
                sp.ImmutableMatrix(ps),
                probabilities,
                "Softmax turns the logits into probabilities: pₖ = exp(zₖ)/Σⱼ exp(zⱼ).",
            ),
            given(
                sum(ys),
                sp.Integer(1),
                "The target y is a probability vector (one-hot for a hard label).",
            ),
            given(
                sp.Function("L")(z),
                loss,
                "Cross-entropy of the prediction against the target: L = −Σₖ yₖ log pₖ.",
            ),
            Step(
                rhs=collected,
                why="log pₖ = zₖ − log Σⱼ exp(zⱼ) = zₖ − LSE(z), with LSE the log-sum-exp; "
                "collect.",
            ),
            Step(
                rhs=folded,
                why="Σₖ yₖ = 1 leaves L = LSE(z) − Σₖ yₖzₖ.",
            ),
            identity(
                sp.Derivative(lse, z),
                lse_gradient,
                "The chain rule on log Σⱼ exp(zⱼ): ∂/∂zᵢ = exp(zᵢ)/Σⱼ exp(zⱼ). The gradient of "
                "log-sum-exp is softmax.",
            ),
            identity(d_loss, gradient, "∂/∂zᵢ of −Σₖ yₖzₖ is −yᵢ."),
            Step(rhs=p - y, why="So ∂L/∂zᵢ = pᵢ − yᵢ: prediction minus target."),
            Step(
                rhs=stable,
                why="pᵢ = exp(zᵢ − LSE(z)): the twin evaluates this form, whose exponent is never "
                "positive, so nothing overflows even for logits in the thousands.",
            ),
            identity(
                sp.OneMatrix(1, K) * (p - y),
                sp.ZeroMatrix(1, 1),
                "The entries sum to Σp − Σy = 1 − 1 = 0: adding a constant to every logit "
                "changes nothing.",
            ),
        )

    def results(self) -> tuple[Formula, ...]:
        d_loss, stable, lse_gradient = self.d_loss, self.stable, self.lse_gradient
        folded, p, y, lse, z = self.folded, self.p, self.y, self.lse, self.z
        return (
            Formula(d_loss, p - y, name="∇_z L"),
            Formula(d_loss, stable, name="∇_z L (stable form)"),
            Formula(sp.Derivative(lse, z), lse_gradient, name="∇ LSE = softmax"),
            Formula(sp.Function("L")(z), folded, name="L = LSE(z) − yᵀz"),
        )

    def twins(self, results: tuple[Formula, ...]) -> tuple[Twin, ...]:
        z_entries, y_entries = self.z_entries, self.y_entries
        gradient = Twin(
            "gradient",
            results[1],
            (Arg("z", z_entries), Arg("y", y_entries)),
            Reference("scipy.special.softmax(z) − y", lambda z, y: special.softmax(z, axis=-1) - y),
            _sample,
            valid=_valid,
            rtol=1e-12,
            atol=1e-14,
        )
        loss = replace(
            gradient,
            name="loss (stable)",
            formula=results[3],
            reference=Reference("−Σ y·scipy.special.log_softmax(z)", _loss),
            domain="any real logits; targets ≥ 0 summing to 1 (NaN otherwise)",
            atol=1e-12,
        )
        by_differences = replace(
            gradient,
            name="gradient by differences",
            reference=Reference(
                "central differences of the loss", _fd_reference, "finite differences"
            ),
            rtol=FD_RTOL,
            atol=FD_ATOL,
        )
        return (loss, gradient, by_differences)

    def interview(self) -> Interview:
        zs, ys, probabilities, gradient = self.zs, self.ys, self.probabilities, self.gradient
        folded = self.folded
        example = {zs[0]: 2, zs[1]: 1, zs[2]: 0, ys[0]: 1, ys[1]: 0, ys[2]: 0}
        p_example = probabilities.xreplace(example)
        g_example = gradient.xreplace(example)
        loss_example = expand_definitions(folded.xreplace(example))
        return Interview(
            question="A 3-class classifier outputs logits z = (2, 1, 0) and the true class is the "
            "first. What are the cross-entropy loss and its gradient with respect to z? Why does "
            "nobody compute log(softmax(z)) literally?",
            answer=(
                f"softmax(z) ≈ ({', '.join(decimal(v, 3) for v in p_example)}). The loss is "
                f"−log p₁ = LSE(z) − z₁ = {inline(loss_example)} ≈ {decimal(loss_example, 4)}, and "
                f"the gradient is p − y ≈ ({', '.join(decimal(v, 3) for v in g_example)}): lower "
                "the correct logit, raise the others, in proportion to the probability they took. "
                f"The entries sum to {fmt(sp.simplify(sum(g_example)))}. Computing exp(zₖ) first "
                "overflows for logits above about 709, and log of a probability that underflowed "
                "to 0 is −∞; writing log pₖ = zₖ − LSE(z) and shifting by max z avoids both."
            ),
        )

    def mistakes(self) -> tuple[Mistake, ...]:
        d_loss, lse_gradient, gradient, ys = self.d_loss, self.lse_gradient, self.gradient, self.ys
        probabilities = self.probabilities
        return (
            Mistake(
                d_loss,
                lse_gradient,
                "The softmax gradient without the −y: that is the gradient of log-sum-exp alone, "
                "forgetting the −yᵀz term.",
                name="softmax gradient without the −y",
            ),
            Mistake(
                d_loss,
                -gradient,
                "Sign: y − softmax(z) is the direction that decreases the loss (the negative "
                "gradient).",
                name="sign of the softmax gradient",
            ),
            Mistake(
                d_loss,
                sp.ImmutableMatrix(
                    [yk * pk - yk for yk, pk in zip(ys, probabilities, strict=True)]
                ),
                "Only the diagonal of the softmax Jacobian: ∂pₖ/∂zᵢ = pₖ(δᵢₖ − pᵢ) is not zero "
                "for i ≠ k, and those terms turn −yᵢ(1 − pᵢ) into pᵢ − yᵢ.",
                name="diagonal Jacobian only",
            ),
        )

    def symbols(self) -> tuple[Var, ...]:
        z, y, p, ys = self.z, self.y, self.p, self.ys
        return (
            Var(z, f"the logits (z1, …, z{K})", Domain.MATRIX),
            Var(
                y,
                f"the target distribution (y1, …, y{K}), summing to 1, so y{K} stands for "
                f"1 − y1 − … − y{K - 1} in every check",
                Domain.MATRIX,
            ),
            Var(p, f"the predicted probabilities (p1, …, p{K}) = softmax(z)", Domain.MATRIX),
            *(Var(v, "a target probability", Domain.PROBABILITY) for v in ys[:-1]),
        )

    def bindings(self) -> dict[sp.Basic, sp.Basic]:
        z, y, p, z_entries, y_entries = self.z, self.y, self.p, self.z_entries, self.y_entries
        constraint, ps, probabilities = self.constraint, self.ps, self.probabilities
        return {
            z: z_entries,
            y: y_entries,
            p: sp.ImmutableMatrix(ps),
            **dict(zip(ps, probabilities, strict=True)),
            **constraint,
        }


def build() -> Derivation:
    """Build the derivation."""
    return _Parts().derivation(ENTRY)
