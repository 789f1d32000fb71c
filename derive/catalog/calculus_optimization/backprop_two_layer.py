"""Backpropagation through a two-layer network, against brute-force differentiation.

>>> build().results[0].rhs.shape
(2, 4)
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import sympy as sp

from derive.catalog.calculus_optimization.shared import sigmoid_slope
from derive.catalog.common import decimal
from derive.catalog.entry import Entry, Exercise
from derive.catalog.parts import Parts
from derive.catalog.steps import given, identity
from derive.core.functions import sigmoid
from derive.core.model import Domain, Formula, Interview, Mistake, Step, Topic, Var
from derive.numeric.derivation import Derivation
from derive.numeric.twin import Arg, Reference, Twin

ENTRY = Entry(
    id="backprop-two-layer",
    topic=Topic.CALCULUS_OPTIMIZATION,
    title="Backpropagation through a two-layer network",
    exercise=Exercise(
        question=(
            r"A network's output $u$ has the squared-error loss $L = \frac{{1}}{{2}} \lVert "
            r"u - y \rVert^2$ against the target $y$. Compute the output error ${lhs}$ for "
            r"{given}."
        ),
        lhs=r"\partial L / \partial u",
    ),
)

N_IN, N_HIDDEN, N_OUT = 3, 4, 2
PARAMETERS = ("W1", "b1", "W2", "b2")
# Central differences of the NumPy loss in each parameter entry, h = ε^(1/3)·max(1, |θ|): the
# loss is smooth with third derivatives ≲ 10² on these inputs (weights and inputs of scale 1),
# so truncation h²/6·|L‴| ≲ 1e-9 and rounding ε·|L|/h ≲ 1e-9; rtol 1e-5 with atol 1e-7. A
# missing σ′ factor, a missing transpose or a swapped outer product is off by O(1).
FD_RTOL, FD_ATOL = 1e-5, 1e-7
# The complex step Im L(θ + ih)/h with h = 1e-30 has no subtraction, so no rounding error and a
# truncation error of order h²: it is exact to a few ulps, also for tiny gradient entries of
# saturated units (where central differences lose all relative accuracy). rtol 1e-10.
CS_RTOL, CS_ATOL = 1e-10, 1e-15


def forward_loss(
    W1: np.ndarray, b1: np.ndarray, W2: np.ndarray, b2: np.ndarray, x: np.ndarray, y: np.ndarray
) -> np.ndarray:
    """½‖W₂σ(W₁x + b₁) + b₂ − y‖² for batches, in plain NumPy (the independent reference).

    Written with np.exp rather than SciPy's expit so that it also runs on complex inputs.
    """
    z = np.einsum("...ij,...j->...i", W1, x) + b1
    h = 1 / (1 + np.exp(-z))
    out = np.einsum("...ij,...j->...i", W2, h) + b2
    return 0.5 * np.sum((out - y) ** 2, axis=-1)


def complex_step_gradient(inputs: dict[str, np.ndarray], name: str) -> np.ndarray:
    """∂L/∂(parameter) by the complex step Im L(θ + ih)/h, one entry at a time, over a batch."""
    value = np.asarray(inputs[name], dtype=float)
    grad = np.empty_like(value)
    step = 1e-30
    for index in np.ndindex(value.shape[1:]):
        shifted = value.astype(complex)
        shifted[(..., *index)] += 1j * step
        grad[(..., *index)] = forward_loss(**{**inputs, name: shifted}).imag / step
    return grad


def finite_difference_gradient(inputs: dict[str, np.ndarray], name: str) -> np.ndarray:
    """∂L/∂(parameter) by central differences, one entry at a time, over a batch."""
    value = np.asarray(inputs[name], dtype=float)
    grad = np.empty_like(value)
    for index in np.ndindex(value.shape[1:]):
        entry = value[(..., *index)]
        h = np.finfo(float).eps ** (1 / 3) * np.maximum(1.0, np.abs(entry))
        up, down = value.copy(), value.copy()
        up[(..., *index)] += h
        down[(..., *index)] -= h
        grad[(..., *index)] = (
            forward_loss(**{**inputs, name: up}) - forward_loss(**{**inputs, name: down})
        ) / (2 * h)
    return grad


def _reference(name: str) -> Reference:
    def fn(**inputs: np.ndarray) -> np.ndarray:
        return finite_difference_gradient(inputs, name)

    return Reference(f"central differences of the network loss in {name}", fn, "finite differences")


def _complex_step(name: str) -> Reference:
    def fn(**inputs: np.ndarray) -> np.ndarray:
        return complex_step_gradient(inputs, name)

    return Reference(
        f"complex-step differences of the network loss in {name}", fn, "finite differences"
    )


def sample(rng: np.random.Generator, size: int) -> dict[str, np.ndarray]:
    """Random networks and examples: weights and inputs of scale 1."""
    return {
        "W1": rng.normal(size=(size, N_HIDDEN, N_IN)),
        "b1": rng.normal(size=(size, N_HIDDEN)),
        "W2": rng.normal(size=(size, N_OUT, N_HIDDEN)),
        "b2": rng.normal(size=(size, N_OUT)),
        "x": rng.normal(size=(size, N_IN)),
        "y": rng.normal(size=(size, N_OUT)),
    }


def _expanded(expr: sp.Basic, bindings: dict[sp.MatrixSymbol, sp.Basic]) -> sp.Basic:
    """``expr`` with the named intermediates (h, ŷ, δ₁, ...) replaced by what they stand for."""
    while expr.atoms(sp.MatrixSymbol) & bindings.keys():
        expr = expr.xreplace(bindings)
    return expr


INTUITION = (
    "Backpropagation is the chain rule organised so that nothing is computed twice. "
    "The error signal δ starts at the output as prediction minus target, and each layer "
    "hands it backwards: through a weight matrix by multiplying with its transpose, "
    "through an activation by multiplying entrywise with its slope. At every layer the "
    "weight gradient is the outer product of the error arriving at the layer's output "
    "and the input the layer saw on the forward pass, so it has exactly the weight's "
    "shape. Saturated sigmoid units (σ′ ≈ 0) block the signal, which is the vanishing "
    "gradient problem in miniature."
)


def _half_square_loss(u: np.ndarray, y: np.ndarray) -> np.ndarray:
    return 0.5 * np.sum((u - y) ** 2, axis=-1)


def _output_error_reference(u: np.ndarray, y: np.ndarray) -> np.ndarray:
    """∂/∂u of (1/2)‖u − y‖² by the complex step, one entry at a time."""
    grad = np.empty_like(np.asarray(u, dtype=float))
    for k in range(u.shape[-1]):
        shifted = np.asarray(u, dtype=complex).copy()
        shifted[..., k] += 1e-30j
        grad[..., k] = _half_square_loss(shifted, y).imag / 1e-30
    return grad


def _interview() -> Interview:
    return Interview(
        question="In a network h = σ(W₁x + b₁), ŷ = W₂h + b₂ with loss (1/2)‖ŷ − y‖², write the "
        "gradients of all four parameters. What are the shapes, and which quantities from the "
        "forward pass does backpropagation reuse?",
        answer=(
            f"With {N_IN} inputs, {N_HIDDEN} hidden units and {N_OUT} outputs: δ₂ = ŷ − y "
            f"({N_OUT}×1); ∂L/∂W₂ = δ₂hᵀ ({N_OUT}×{N_HIDDEN}, the shape of W₂); ∂L/∂b₂ = δ₂; "
            f"δ₁ = (W₂ᵀδ₂) ⊙ h ⊙ (1 − h) ({N_HIDDEN}×1); ∂L/∂W₁ = δ₁xᵀ ({N_HIDDEN}×{N_IN}); "
            "∂L/∂b₁ = δ₁. Every weight gradient is (error at the layer's output) × (input to "
            "the layer)ᵀ, shaped like the weight. The backward pass reuses x, h (which gives "
            "σ′ = h(1 − h) for free) and ŷ, so it costs about as much as the forward pass, "
            f"instead of one pass per parameter ({_count()} here) for finite differences."
        ),
    )


def _notes(dW1: Twin) -> tuple[str, ...]:
    """How far the δ form of ∂L/∂W₁ is from complex-step and central differences."""
    example = sample(np.random.default_rng(0), 1)
    complex_error = float(np.max(np.abs(dW1(**example) - complex_step_gradient(example, "W1"))))
    central_error = float(
        np.max(np.abs(dW1(**example) - finite_difference_gradient(example, "W1")))
    )
    return (
        "The symbolic check differentiates the whole network, written out in its "
        f"{_count() + N_IN + N_OUT} entry symbols, by each entry of W₁ and W₂ and compares "
        "with the δ form. The twins compare the δ form with complex-step differentiation "
        "(Im L(θ + ih)/h, h = 1e-30) and central differences of a plain NumPy forward pass: "
        f"on one seeded network the largest difference in ∂L/∂W₁ is {decimal(complex_error, 2)} "
        f"and {decimal(central_error, 2)} respectively.",
    )


class _Parts(Parts):
    """The network's symbols, its named intermediates (bound to what they stand for) and its
    gradients."""

    intuition = INTUITION
    assumptions = (f"{N_IN} inputs, {N_HIDDEN} hidden units, {N_OUT} outputs.",)

    def __init__(self) -> None:
        self.x = x = sp.MatrixSymbol("x", N_IN, 1)
        self.W1 = W1 = sp.MatrixSymbol("W_1", N_HIDDEN, N_IN)
        self.b1 = b1 = sp.MatrixSymbol("b_1", N_HIDDEN, 1)
        self.W2 = W2 = sp.MatrixSymbol("W_2", N_OUT, N_HIDDEN)
        self.b2 = b2 = sp.MatrixSymbol("b_2", N_OUT, 1)
        self.y = y = sp.MatrixSymbol("y", N_OUT, 1)
        self.u = u = sp.MatrixSymbol("u", N_OUT, 1)  # a free output, to differentiate the loss by
        t = sp.Symbol("t", real=True)
        # Named intermediates; the checks substitute what they stand for (the bindings), so every
        # derivative below is taken of the whole network, entry by entry.
        self.z1 = z1 = sp.MatrixSymbol("z_1", N_HIDDEN, 1)
        self.h = h = sp.MatrixSymbol("h", N_HIDDEN, 1)
        self.out = out = sp.MatrixSymbol("yhat", N_OUT, 1)
        self.L = L = sp.MatrixSymbol("L", 1, 1)
        self.delta2 = delta2 = sp.MatrixSymbol("delta_2", N_OUT, 1)
        self.delta1 = delta1 = sp.MatrixSymbol("delta_1", N_HIDDEN, 1)

        self.half_square = half_square = (u - y).T * (u - y) / 2
        self.d_out = d_out = sp.diff(half_square, u)  # u − y
        # σ′(t) = (1 − σ(t))σ(t) (sigmoid_slope), entry by entry: (1 − h) ⊙ h.
        assert sigmoid_slope(t) == (1 - sigmoid(t)) * sigmoid(t)
        ones = sp.OneMatrix(N_HIDDEN, 1)
        slope_h = sp.HadamardProduct(ones - h, h)
        self.back = back = W2.T * delta2
        self.definitions = {
            z1: W1 * x + b1,
            h: z1.applyfunc(sigmoid),
            out: W2 * h + b2,
            L: (out - y).T * (out - y) / 2,
            delta2: d_out.subs(u, out),
            delta1: sp.HadamardProduct(back, slope_h),
        }
        self.dW2 = delta2 * h.T
        self.dW1 = delta1 * x.T
        # The notes report how close the δ form of ∂L/∂W₁ (the fourth twin) comes to differences.
        self.notes = _notes(self.twins(self.results())[3])

    def steps(self) -> tuple[Step, ...]:
        z1, h, out, L, d_out, delta2 = self.z1, self.h, self.out, self.L, self.d_out, self.delta2
        dW2, delta1, dW1, half_square, u = self.dW2, self.delta1, self.dW1, self.half_square, self.u
        W2, b2, b1, W1 = self.W2, self.b2, self.b1, self.W1
        return (
            self.named(z1, "Hidden pre-activations: an affine map of the input."),
            self.named(h, "Hidden activations: the sigmoid, entry by entry."),
            self.named(out, "Linear output layer."),
            self.named(L, "Squared-error loss L = (1/2)‖ŷ − y‖² (a 1×1 matrix)."),
            identity(
                sp.Derivative(half_square, u),
                d_out,
                "The output error: ∂L/∂ŷ = ŷ − y (the 1/2 cancels the 2 of the square).",
            ),
            self.named(delta2, "Name it δ₂."),
            identity(
                sp.Derivative(L, W2),
                dW2,
                "ŷᵢ = Σⱼ (W₂)ᵢⱼhⱼ + (b₂)ᵢ, so ∂L/∂(W₂)ᵢⱼ = (δ₂)ᵢhⱼ: the outer product δ₂hᵀ. "
                "Checked against differentiating the whole network entry by entry.",
            ),
            identity(
                sp.Derivative(L, b2), delta2, "∂ŷ/∂b₂ is the identity: the bias gradient is δ₂."
            ),
            self.named(
                delta1,
                "Pass the error back through the output layer (multiply by W₂ᵀ) and through the "
                "sigmoid (multiply entrywise by σ′(z₁) = σ(z₁)(1 − σ(z₁)) = h ⊙ (1 − h)).",
            ),
            identity(
                sp.Derivative(L, b1),
                delta1,
                "∂z₁/∂b₁ is the identity, so this says δ₁ = ∂L/∂z₁: the error at the hidden "
                "layer. Checked against the whole network.",
            ),
            identity(
                sp.Derivative(L, W1),
                dW1,
                "z₁ = W₁x + b₁, so ∂L/∂W₁ = δ₁xᵀ. Checked against differentiating the whole "
                f"network entry by entry ({N_HIDDEN * N_IN} partial derivatives).",
            ),
        )

    def results(self) -> tuple[Formula, ...]:
        dW2, delta2, dW1, delta1, d_out = self.dW2, self.delta2, self.dW1, self.delta1, self.d_out
        L, W2, b2, W1, b1 = self.L, self.W2, self.b2, self.W1, self.b1
        half_square, u = self.half_square, self.u
        return (
            Formula(sp.Derivative(L, W2), dW2, name="∂L/∂W₂ = δ₂hᵀ"),
            Formula(sp.Derivative(L, b2), delta2, name="∂L/∂b₂ = δ₂"),
            Formula(sp.Derivative(L, W1), dW1, name="∂L/∂W₁ = δ₁xᵀ"),
            Formula(sp.Derivative(L, b1), delta1, name="∂L/∂b₁ = δ₁"),
            Formula(sp.Derivative(half_square, u), d_out, name="output error ∂L/∂ŷ = ŷ − y"),
        )

    def mistakes(self) -> tuple[Mistake, ...]:
        L, W1, back, W2, h, dW2 = self.L, self.W1, self.back, self.W2, self.h, self.dW2
        dW1, x, delta2 = self.dW1, self.x, self.delta2
        return (
            Mistake(
                sp.Derivative(L, W1),
                back * x.T,
                "Forgetting the activation's derivative: the error must pass through σ′(z₁) = "
                "h ⊙ (1 − h) on its way back.",
                name="missing σ′ in δ₁",
            ),
            Mistake(
                sp.Derivative(L, W1),
                sp.HadamardProduct(back, h) * x.T,
                "Multiplying by the activation σ(z₁) = h instead of its derivative σ′(z₁).",
                name="σ instead of σ′",
            ),
            Mistake(
                sp.Derivative(L, W2),
                h * delta2.T,
                "The outer product the wrong way round: hδ₂ᵀ is 4×2, while the gradient has the "
                "shape of W₂ (2×4).",
                name="transposed outer product",
            ),
            Mistake(
                sp.Derivative(L, W2),
                -dW2,
                "Sign: the output error is ŷ − y, not y − ŷ.",
                name="sign of the output error",
            ),
            Mistake(
                sp.Derivative(L, W1),
                2 * dW1,
                "An extra factor 2: the 1/2 in (1/2)‖ŷ − y‖² cancels the 2 from the square.",
                name="factor 2 with the halved loss",
            ),
        )

    def named(self, lhs: sp.MatrixSymbol, why: str) -> Step:
        """The definition of a named intermediate, from the bindings."""
        bindings = self.definitions
        return given(lhs, bindings[lhs], why)

    def twins(self, results: tuple[Formula, ...]) -> tuple[Twin, ...]:
        """The four parameter gradients against complex-step differences of the network loss
        (∂L/∂W₁ also against central differences), after the output error."""
        u, y, W1, b1, W2, b2, x = self.u, self.y, self.W1, self.b1, self.W2, self.b2, self.x
        bindings = self.definitions
        args = tuple(
            Arg(name, symbol)
            for name, symbol in zip((*PARAMETERS, "x", "y"), (W1, b1, W2, b2, x, y), strict=True)
        )
        gradients = tuple(
            Twin(
                f"∂L/∂{name}",
                Formula(result.lhs, _expanded(result.rhs, bindings), name=result.name),
                args,
                _complex_step(name),
                sample,
                rtol=CS_RTOL,
                atol=CS_ATOL,
            )
            for name, result in zip(("W2", "b2", "W1", "b1"), results[:4], strict=True)
        )
        output_error = Twin(
            "output error",
            results[4],
            (Arg("u", u), Arg("y", y)),
            Reference("complex-step differences of (1/2)‖u − y‖²", _output_error_reference),
            lambda rng, n: {"u": rng.normal(size=(n, N_OUT)), "y": rng.normal(size=(n, N_OUT))},
            rtol=CS_RTOL,
            atol=CS_ATOL,
        )
        central = replace(
            gradients[2],  # ∂L/∂W₁
            name="∂L/∂W1 (central)",
            reference=_reference("W1"),
            rtol=FD_RTOL,
            atol=FD_ATOL,
        )
        # The output error first: the sheets draw their exercise from the first twin, and its
        # exact answer fits on a line, unlike the sums of sigmoids in the parameter gradients.
        return (output_error, *gradients, central)

    def symbols(self) -> tuple[Var, ...]:
        x, W1, b1, W2, b2, y, z1 = self.x, self.W1, self.b1, self.W2, self.b2, self.y, self.z1
        h, out, L, delta2, delta1, u = self.h, self.out, self.L, self.delta2, self.delta1, self.u
        return (
            Var(x, f"the input, {N_IN}×1", Domain.MATRIX),
            Var(W1, f"first-layer weights, {N_HIDDEN}×{N_IN}", Domain.MATRIX),
            Var(b1, f"first-layer bias, {N_HIDDEN}×1", Domain.MATRIX),
            Var(W2, f"second-layer weights, {N_OUT}×{N_HIDDEN}", Domain.MATRIX),
            Var(b2, f"second-layer bias, {N_OUT}×1", Domain.MATRIX),
            Var(y, f"the target, {N_OUT}×1", Domain.MATRIX),
            Var(z1, "hidden pre-activations (a name for W₁x + b₁)", Domain.MATRIX),
            Var(h, "hidden activations (a name for σ(z₁))", Domain.MATRIX),
            Var(out, "the output (a name for W₂h + b₂)", Domain.MATRIX),
            Var(L, "the loss (a name for (1/2)‖ŷ − y‖²)", Domain.MATRIX),
            Var(delta2, "the output error ŷ − y", Domain.MATRIX),
            Var(delta1, "the hidden error (W₂ᵀδ₂) ⊙ h ⊙ (1 − h)", Domain.MATRIX),
            Var(u, "a free output vector (to differentiate the loss by ŷ)", Domain.MATRIX),
        )

    def interview(self) -> Interview:
        return _interview()

    def bindings(self) -> dict[sp.Basic, sp.Basic]:
        return self.definitions


def build() -> Derivation:
    """Build the derivation."""
    return _Parts().derivation(ENTRY)


def _count() -> int:
    """The number of parameters of the network."""
    return N_HIDDEN * N_IN + N_HIDDEN + N_OUT * N_HIDDEN + N_OUT
