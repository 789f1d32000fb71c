"""The book's drawings for calculus and optimisation; every value plotted comes from a twin.

>>> from derive.catalog import get
>>> activation_slopes(get("chain-rule-activations")).axes[0].get_legend_handles_labels()[1]
['sigmoid′', 'tanh′', 'softplus′']

Each function takes the derivation and returns a Matplotlib figure, finding the twins it needs
by their inputs (``derive.book.drawing``); ``derive.book.plots`` registers them by name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from derive.book.drawing import PlotUnavailable, call, figure, twin_of, twins_of
from derive.numeric.derivation import Derivation

if TYPE_CHECKING:
    from matplotlib.figure import Figure

COLOURS = ("tab:blue", "tab:orange", "tab:green", "tab:red", "tab:purple", "tab:brown")


def activation_slopes(derivation: Derivation) -> Figure:
    """The derivative of each activation (each one-input twin of z) over z."""
    twins = twins_of(derivation, ("z",))
    if not twins:
        raise PlotUnavailable(f"{derivation.id} has no twin of (z)")
    z = np.linspace(-6, 6, 481)
    fig = figure(6.4, 3.8)
    ax = fig.add_subplot()
    for twin, colour in zip(twins, COLOURS, strict=False):
        ax.plot(z, np.broadcast_to(call(twin, z=z), z.shape), color=colour, lw=2, label=twin.name)
    ax.axhline(0, color="0.8", lw=0.8)
    ax.axvline(0, color="0.8", lw=0.8)
    ax.set_xlabel("z")
    ax.set_ylabel("slope")
    ax.legend(fontsize=9, frameon=False, loc="upper left")
    ax.set_title("activation derivatives: sigmoid′ peaks at ¼, so gradients shrink", fontsize=10)
    return fig


def secants_to_tangent(derivation: Derivation) -> Figure:
    """Secants of x³ at x = 1 closing in on the tangent whose slope the power-rule twin gives."""
    twin = twin_of(derivation, ("x", "n"), {"x": 1.0, "n": 2.0}, ())
    x0, n = 1.0, 3.0
    slope = float(call(twin, x=x0, n=n))
    x = np.linspace(-0.2, 2.3, 300)
    fig = figure(6.0, 4.0)
    ax = fig.add_subplot()
    ax.plot(x, x**n, color="black", lw=2, label="f(x) = x³")
    for h, colour in ((1.0, "tab:orange"), (0.5, "tab:green"), (0.2, "tab:purple")):
        secant = ((x0 + h) ** n - x0**n) / h
        ax.plot(
            x,
            x0**n + secant * (x - x0),
            color=colour,
            lw=1,
            label=f"secant, h = {h:g}: slope {secant:.2f}",
        )
        ax.plot([x0 + h], [(x0 + h) ** n], "o", color=colour, ms=4)
    ax.plot(
        x,
        x0**n + slope * (x - x0),
        color="tab:red",
        lw=2,
        ls="--",
        label=f"tangent: slope n·xⁿ⁻¹ = {slope:g}",
    )
    ax.plot([x0], [x0**n], "o", color="black")
    ax.set_ylim(-2, 10)
    ax.set_xlabel("x")
    ax.legend(fontsize=8, frameon=False, loc="upper left")
    ax.set_title("(f(x + h) − f(x))/h → f′(x) as h → 0", fontsize=10)
    return fig


def loss_shapes(derivation: Derivation) -> Figure:
    """Each loss and its derivative over the residual or margin (the (value, slope) twins)."""
    r = np.linspace(-3, 3, 601)
    curves = []
    for names, values in (
        (("yhat", "y"), {"yhat": r, "y": 0.0}),  # against the residual ŷ − y
        (("r", "delta"), {"r": r, "delta": 1.0}),  # Huber with δ = 1
        (("s", "y"), {"s": r, "y": 1.0}),  # against the score, true label +1
        (("z", "y"), {"z": r, "y": 1.0}),  # against the logit, true label 1
    ):
        for twin in twins_of(derivation, names):
            out = call(twin, **values)
            if out.shape == (r.size, 2):
                curves.append((twin.name, out[:, 0], out[:, 1]))
    if not curves:
        raise PlotUnavailable(f"{derivation.id} has no (value, derivative) loss twin")
    fig = figure(7.2, 3.6)
    left, right = fig.subplots(1, 2, sharex=True)
    for (label, value, slope), colour in zip(curves, COLOURS, strict=False):
        left.plot(r, value, color=colour, lw=2, label=label)
        right.plot(r, slope, color=colour, lw=2)
    left.set_ylim(-0.2, 4)
    right.set_ylim(-3.2, 3.2)
    left.set_title("loss", fontsize=10)
    right.set_title("its derivative (what the gradient sees)", fontsize=10)
    for ax in (left, right):
        ax.axhline(0, color="0.85", lw=0.8)
        ax.set_xlabel("residual ŷ − y, r; or score, logit (y = 1)")
    left.legend(fontsize=7, frameon=False, loc="upper center")
    return fig


def logistic_loss(derivation: Derivation) -> Figure:
    """The logistic loss over the logit z for y = 1 and y = 0 (the stable twin)."""
    twin = twin_of(derivation, ("z", "y"), {"z": 0.0, "y": 1.0}, ())
    z = np.linspace(-6, 6, 481)
    fig = figure(6.0, 3.6)
    ax = fig.add_subplot()
    for y, colour in ((1.0, "tab:blue"), (0.0, "tab:orange")):
        loss = call(twin, z=z, y=y)
        ax.plot(z, loss, color=colour, lw=2, label=f"y = {y:g}: −log σ({'' if y else '−'}z)")
        slope = np.gradient(loss, z)
        ax.plot(z, slope, color=colour, lw=1, ls="--", label=f"y = {y:g}: slope σ(z) − y")
    ax.axhline(0, color="0.85", lw=0.8)
    ax.set_ylim(-1.2, 6)
    ax.set_xlabel("logit z = wᵀx + b")
    ax.legend(fontsize=8, frameon=False, loc="upper center")
    ax.set_title(
        "logistic loss: convex, linear for confident mistakes, slope in (−1, 1)", fontsize=10
    )
    return fig


def cross_entropy_slice(derivation: Derivation) -> Figure:
    """Loss and gradient (the twins) along z₁ with z₂, z₃ fixed: the slope is p₁ − y₁."""
    probe = {"z": np.zeros(3), "y": np.array([1.0, 0.0, 0.0])}
    loss = twin_of(derivation, ("z", "y"), probe, ())
    gradient = twin_of(derivation, ("z", "y"), probe, (3,))
    t = np.linspace(-5, 5, 401)
    z = np.stack([t, np.full_like(t, 1.0), np.full_like(t, -0.5)], axis=-1)
    fig = figure(6.4, 3.8)
    ax = fig.add_subplot()
    for k, colour in ((0, "tab:blue"), (1, "tab:orange")):
        y = np.eye(3)[k]
        ax.plot(t, call(loss, z=z, y=y), color=colour, lw=2, label=f"loss, true class {k + 1}")
        ax.plot(
            t,
            call(gradient, z=z, y=y)[:, 0],
            color=colour,
            lw=1,
            ls="--",
            label=f"∂L/∂z₁ = p₁ − y₁, class {k + 1}",
        )
    ax.axhline(0, color="0.85", lw=0.8)
    ax.set_xlabel("z₁ (with z₂ = 1, z₃ = −0.5)")
    ax.legend(fontsize=8, frameon=False, loc="upper center", ncol=2)
    ax.set_ylim(-1.2, 7)
    ax.set_title("softmax cross-entropy along one logit: the slope is p − y", fontsize=10)
    return fig


def hessian_eigenvalues(derivation: Derivation) -> Figure:
    """The Hessian's eigenvalues of f = x⁴ + xy + y² along x (the twin): convex where both ≥ 0."""
    twin = twin_of(derivation, ("v",), {"v": np.zeros(2)}, (2,))
    x = np.linspace(-1, 1, 401)
    values = np.sort(call(twin, v=np.stack([x, np.zeros_like(x)], axis=-1)), axis=-1)
    fig = figure(6.0, 3.6)
    ax = fig.add_subplot()
    ax.plot(x, values[:, 1], color="tab:blue", lw=2, label="larger eigenvalue")
    ax.plot(x, values[:, 0], color="tab:red", lw=2, label="smaller eigenvalue")
    ax.axhline(0, color="0.5", lw=0.8)
    ax.fill_between(
        x,
        -1,
        4,
        where=values[:, 0] < 0,
        color="tab:red",
        alpha=0.12,
        label="not convex here (an eigenvalue < 0)",
    )
    ax.set_ylim(-1, 4)
    ax.set_xlabel("x (the Hessian does not depend on y)")
    fig.legend(fontsize=8, frameon=False, loc="outside lower center", ncol=3)
    ax.set_title("eigenvalues of the Hessian of x⁴ + xy + y²", fontsize=10)
    return fig


def quadratic_gradients(derivation: Derivation) -> Figure:
    """Level sets of xᵀSx + bᵀx with the twin's gradients 2Sx + b: across the level sets."""
    S = np.array([[2.0, 0.8], [0.8, 1.0]])
    b = np.array([-1.0, 0.5])
    probe = {"s": S, "x": np.zeros(2), "b": b}
    twin = twin_of(derivation, ("s", "x", "b"), probe, (2,))
    grid = np.linspace(-2, 2, 201)
    X, Y = np.meshgrid(grid, grid)
    points = np.stack([X, Y], axis=-1)
    f = np.einsum("...i,ij,...j->...", points, S, points) + points @ b
    fig = figure(5.4, 4.6)
    ax = fig.add_subplot()
    ax.contour(X, Y, f, levels=14, cmap="viridis", linewidths=1)
    arrows = np.linspace(-1.6, 1.6, 7)
    AX, AY = np.meshgrid(arrows, arrows)
    at = np.stack([AX.ravel(), AY.ravel()], axis=-1)
    g = call(twin, s=S, x=at, b=b)
    ax.quiver(at[:, 0], at[:, 1], g[:, 0], g[:, 1], color="tab:red", angles="xy", width=0.004)
    centre = np.linalg.solve(2 * S, -b)
    ax.plot(*centre, "*", color="black", ms=12, label="minimum: 2Sx + b = 0")
    ax.set_aspect("equal")
    ax.legend(fontsize=8, frameon=False, loc="upper left")
    ax.set_title("∇(xᵀSx + bᵀx) = 2Sx + b points across the level sets", fontsize=10)
    return fig


def gradient_field(derivation: Derivation) -> Figure:
    """Level sets of f = x²y + sin(xy) and the twin's gradient, perpendicular to them."""
    twin = twin_of(derivation, ("x", "y"), {"x": 1.0, "y": 1.0}, (2,))
    grid = np.linspace(-2, 2, 201)
    X, Y = np.meshgrid(grid, grid)
    f = X**2 * Y + np.sin(X * Y)
    fig = figure(5.4, 4.6)
    ax = fig.add_subplot()
    ax.contour(X, Y, f, levels=16, cmap="viridis", linewidths=1)
    arrows = np.linspace(-1.75, 1.75, 8)
    AX, AY = np.meshgrid(arrows, arrows)
    g = call(twin, x=AX, y=AY)
    ax.quiver(AX, AY, g[..., 0], g[..., 1], color="tab:red", angles="xy", width=0.004)
    ax.set_aspect("equal")
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.set_title("f = x²y + sin(xy): ∇f = (∂f/∂x, ∂f/∂y) crosses each level set", fontsize=10)
    return fig
