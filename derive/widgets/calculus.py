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

from derive.functions import stable_sigmoid, stable_softplus
from derive.render.tex import tex
from derive.widgets import common as c

# The activation itself is a definition (derive.functions); its derivative is the catalog's.
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
    layout = c.ipw.HBox([c.ipw.VBox([function, z, formula, values]), plot])
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
