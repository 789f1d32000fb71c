"""Calculus and optimisation panels: secant → derivative, activation derivatives, gradient descent.

>>> panel = activations()
>>> panel.inputs["function"].value = "tanh"
>>> panel.inputs["z"].value = 0.0
>>> c.shown_values(panel.outputs["values"])   # tanh(0) and tanh′(0)
[0.0, 1.0]
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from derive.core.functions import stable_sigmoid, stable_softplus
from derive.render.tex import tex
from derive.widgets import common as c

# Functions of derivative-from-limit: label -> (the twin of f′, its other inputs, and f itself
# as a NumPy definition).
FUNCTIONS: dict[str, tuple[str, dict[str, float], Callable[[Any], Any]]] = {
    "x²": ("power rule", {"n": 2.0}, np.square),
    "x³": ("power rule", {"n": 3.0}, lambda x: np.asarray(x) ** 3),
    "exp(x)": ("exp′", {}, np.exp),
    "sin(x)": ("sin′", {}, np.sin),
}

# The activation itself is a definition (derive.core.functions); its derivative is the catalog's.
ACTIVATIONS: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "sigmoid": ("sigmoid′", stable_sigmoid),
    "tanh": ("tanh′", np.tanh),
    "softplus": ("softplus′", stable_softplus),
}


def activations() -> c.Panel:
    """An activation, its derivative from ``chain-rule-activations``, and the tangent at z."""
    twins = {key: c.twin("chain-rule-activations", name) for key, (name, _) in ACTIVATIONS.items()}
    function = c.ipw.Dropdown(
        options=list(ACTIVATIONS), value="sigmoid", description="activation", style=c.STYLE
    )
    z = c.slider("z", 1.0, -6.0, 6.0, 0.1)
    formula = c.output("formula", maths=True)
    values = c.output("values")
    plot = c.image("plot")

    def update() -> None:
        key = function.value
        derivative = twins[key]
        f = ACTIVATIONS[key][1]
        at = float(z.value)
        slope = c.scalar(derivative(z=np.float64(at)))
        height = float(f(at))
        formula.value = c.display_math(
            f"{tex(derivative.formula.lhs)} = {tex(derivative.formula.rhs)}"
        )
        values.value = c.rows_html(
            [
                (f"{key}(z)", c.value_html(height)),
                (f"{key}′(z)", c.value_html(slope)),
            ]
        )
        grid = np.linspace(-6.0, 6.0, 241)
        curve_slope = derivative(z=grid)

        def draw(fig: Any) -> None:
            ax = fig.add_subplot()
            ax.plot(grid, f(grid), color="C0", label=f"{key}(z)")
            ax.plot(grid, curve_slope, color="C1", label=f"{key}′(z) (catalog twin)")
            near = np.linspace(at - 1.5, at + 1.5, 2)
            ax.plot(near, height + slope * (near - at), "--", color="C2", label="tangent")
            ax.plot([at], [height], "o", color="C2")
            ax.axhline(0, color="0.85", lw=0.8)
            ax.set_xlabel("z")
            ax.legend(loc="upper left", fontsize=8)

        plot.value = c.figure_png(draw)

    inputs = {"function": function, "z": z}
    layout = c.ipw.VBox([c.ipw.HBox([c.ipw.VBox([function, z, values]), plot]), formula])
    return c.panel(
        "activations",
        "Chain rule for the activations",
        "Pick an activation and move z: the orange curve is its derivative, derived by the "
        "chain rule in the catalog; the dashed line is the tangent with that slope.",
        inputs,
        {"formula": formula, "values": values, "plot": plot},
        layout,
        update,
    )


def derivative_explorer() -> c.Panel:
    """The secant slope (f(x + h) − f(x))/h approaching f′(x) from ``derivative-from-limit``."""
    twins = {key: c.twin("derivative-from-limit", spec[0]) for key, spec in FUNCTIONS.items()}
    function = c.ipw.Dropdown(
        options=list(FUNCTIONS), value="x²", description="f(x)", style=c.STYLE
    )
    x = c.slider("x", 1.0, -3.0, 3.0, 0.1)
    h = c.ipw.FloatLogSlider(
        value=0.5,
        base=10,
        min=-10,
        max=0,
        step=0.1,
        description="h",
        continuous_update=False,
        readout_format=".1e",
        style=c.STYLE,
        layout=c.WIDE,
    )
    formula = c.output("formula", maths=True)
    values = c.output("values")
    table = c.output("table")
    plot = c.image("plot")

    def update() -> None:
        key = function.value
        derivative = twins[key]
        _, extra, f = FUNCTIONS[key]
        at, step = float(x.value), float(h.value)
        slope = c.scalar(derivative(x=np.float64(at), **extra))
        secant = (f(at + step) - f(at)) / step  # the difference quotient being illustrated
        formula.value = c.display_math(
            f"{tex(derivative.formula.lhs)} = {tex(derivative.formula.rhs)}"
        )
        values.value = c.rows_html(
            [
                ("secant slope (f(x+h) − f(x))/h", c.value_html(secant)),
                ("derivative f′(x) (catalog)", c.value_html(slope)),
                ("gap", c.value_html(secant - slope, 3)),
            ]
        )
        steps = 10.0 ** -np.arange(1, 11)
        quotients = (f(at + steps) - f(at)) / steps
        table.value = (
            '<table class="derive-rows"><tr><th>h</th><th>secant − f′(x)</th></tr>'
            + "".join(
                f"<tr><td>{c.number(s, 1)}</td><td>{c.value_html(q - slope, 3)}</td></tr>"
                for s, q in zip(steps, quotients, strict=True)
            )
            + "</table><small>The gap shrinks like h, until h is so small that rounding in "
            "f(x + h) − f(x) takes over (float64 keeps about 16 digits).</small>"
        )

        def draw(fig: Any) -> None:
            ax = fig.add_subplot()
            grid = np.linspace(-3.2, 3.2, 321)
            ax.plot(grid, f(grid), color="C0", label="f(x)")
            near = np.array([at - 1.5, at + 1.5])
            ax.plot(near, f(at) + slope * (near - at), color="C2", label="tangent, slope f′(x)")
            ax.plot(near, f(at) + secant * (near - at), "--", color="C1", label="secant")
            ax.plot([at, at + step], [f(at), f(at + step)], "o", color="C1")
            low, high = float(np.min(f(grid))), float(np.max(f(grid)))
            ax.set_ylim(low - 0.1 * (high - low), high + 0.1 * (high - low))
            ax.set_xlabel("x")
            ax.legend(loc="upper left", fontsize=8)

        plot.value = c.figure_png(draw)

    inputs = {"function": function, "x": x, "h": h}
    layout = c.ipw.VBox([c.ipw.HBox([c.ipw.VBox([function, x, h, values, table]), plot]), formula])
    return c.panel(
        "limit",
        "The derivative as the limit of secant slopes",
        "Shrink h: the secant through (x, f(x)) and (x + h, f(x + h)) turns into the tangent, "
        "whose slope is the derivative derived in the catalog.",
        inputs,
        {"formula": formula, "values": values, "table": table, "plot": plot},
        layout,
        update,
    )


# gradient-descent-convergence twins: wₜ on ½aw², η's bound 2/a, and the same on ½wᵀHw.
DESCENT = "gradient-descent-convergence"
DESCENT_TWINS = {
    "iterate": "iterate",
    "bound": "learning-rate bound",
    "iterate 2-D": "iterate 2-D",
    "bound 2-D": "learning-rate bound 2-D",
}


def gradient_descent() -> c.Panel:
    """Gradient descent on ½aw² and on ½wᵀHw: convergence for η below 2/a (2/λmax)."""
    twins = {key: c.twin(DESCENT, name) for key, name in DESCENT_TWINS.items()}
    a = c.slider("curvature a", 1.0, 0.1, 4.0, 0.1)
    eta = c.slider("learning rate η", 0.5, 0.01, 2.5, 0.01)
    w0 = c.slider("start w₀", 2.0, -3.0, 3.0, 0.1)
    steps = c.ipw.IntSlider(
        value=20, min=1, max=60, description="steps", continuous_update=False, style=c.STYLE
    )
    h12 = c.slider("H off-diagonal", 0.6, -1.5, 1.5, 0.1)
    h22 = c.slider("H₂₂", 3.0, 0.1, 4.0, 0.1)
    verdict = c.output("verdict")
    values = c.output("values")
    plot = c.image("plot", (9.0, 3.8))

    def update() -> None:
        t = np.arange(steps.value + 1, dtype=float)
        curvature, rate, start = float(a.value), float(eta.value), float(w0.value)
        path = np.asarray(twins["iterate"](a=curvature, eta=rate, w0=start, t=t))
        bound = c.scalar(twins["bound"](a=np.float64(curvature)))
        H = np.array([[curvature, h12.value], [h12.value, h22.value]])
        start2 = np.array([start, 1.0])
        path2 = np.asarray(twins["iterate 2-D"](H=H[None], eta=rate, w0=start2[None], t=t))
        bound2 = c.scalar(twins["bound 2-D"](H=H))
        if not c.finite(bound2):
            raise c.BadValue("H is not positive definite: ½wᵀHw has no minimum to descend to")
        converges = rate < bound
        word = ("converges", "derive-ok") if converges else ("diverges", "derive-bad")
        verdict.value = (
            f'<span class="{word[1]}" data-verdict="{word[0]}">1-D: η = {c.number(rate)} '
            f"{'<' if converges else '≥'} 2/a: gradient descent {word[0]}</span>"
        )
        values.value = c.rows_html(
            [
                ("bound 2/a", c.value_html(bound)),
                (f"w after {steps.value} steps", c.value_html(path[-1])),
                ("2-D bound 2/λmax(H)", c.value_html(bound2)),
                (f"‖w‖ after {steps.value} steps (2-D)", c.value_html(np.hypot(*path2[-1]))),
            ]
        )
        plot.value = c.figure_png(lambda fig: _draw_descent(fig, t, path, H, path2), (9.0, 3.8))

    inputs = {"a": a, "eta": eta, "w0": w0, "steps": steps, "h12": h12, "h22": h22}
    controls = c.ipw.VBox([a, eta, w0, steps, h12, h22])
    layout = c.ipw.VBox([c.ipw.HBox([controls, c.ipw.VBox([verdict, values])]), plot])
    return c.panel(
        "descent",
        "Gradient descent and the learning rate",
        "On ½aw² each step multiplies w by (1 − ηa): below η = 2/a the iterates shrink, above "
        "it they grow. On ½wᵀHw (H = [[a, h], [h, H₂₂]]) the largest eigenvalue sets the limit.",
        inputs,
        {"verdict": verdict, "values": values, "plot": plot},
        layout,
        update,
    )


def _draw_descent(
    fig: Any, t: np.ndarray, path: np.ndarray, H: np.ndarray, path2: np.ndarray
) -> None:
    """Left: wₜ against t. Right: the 2-D iterates over the contours of ½wᵀHw."""
    left, right = fig.subplots(1, 2)
    left.plot(t, path, "o-", color="C0", ms=3)
    left.axhline(0, color="0.8", lw=0.8)
    left.set_xlabel("step t")
    left.set_ylabel("wₜ")
    left.set_yscale("symlog", linthresh=1e-2)
    grid = np.linspace(-3.5, 3.5, 161)
    X, Y = np.meshgrid(grid, grid)
    Z = 0.5 * (H[0, 0] * X**2 + 2 * H[0, 1] * X * Y + H[1, 1] * Y**2)
    right.contour(X, Y, Z, levels=12, colors="0.7", linewidths=0.7)
    shown = np.clip(path2, -3.5, 3.5)
    right.plot(shown[:, 0], shown[:, 1], "o-", color="C1", ms=3)
    right.set_xlim(-3.5, 3.5)
    right.set_ylim(-3.5, 3.5)
    right.set_aspect("equal")
    right.set_title("½wᵀHw", fontsize=9)
