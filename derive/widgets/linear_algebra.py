"""Linear-algebra panels: a 2×2 matrix explorer and the normal equation on movable points.

>>> panel = matrix_explorer()
>>> panel.inputs["d"].value = 0.5   # A = [[2, 1], [1, 0.5]] is singular
>>> c.message_of(panel.outputs["inverse"])
'singular: det A = ad − bc = 0, so A has no inverse'
"""

from __future__ import annotations

import numpy as np

from derive.render.tex import tex
from derive.widgets import common as c


def matrix_explorer() -> c.Panel:
    """Sliders for A = [[a, b], [c, d]]: its inverse, and the unit circle mapped by A."""
    inverse = c.twin("inverse-2x2", "inverse")
    entries = {
        name: c.slider(name, value, -4.0, 4.0, 0.5)
        for name, value in (("a", 2.0), ("b", 1.0), ("c", 1.0), ("d", 3.0))
    }
    formula = c.output("formula", maths=True)
    formula.value = c.display_math(f"{tex(inverse.formula.lhs)} = {tex(inverse.formula.rhs)}")
    shown_inverse = c.output("inverse")
    plot = c.image("plot")

    def update() -> None:
        A = np.array(
            [[entries["a"].value, entries["b"].value], [entries["c"].value, entries["d"].value]]
        )
        A_inv = inverse(A=A)
        if c.finite(A_inv):
            shown_inverse.value = "<b>A⁻¹ =</b>" + c.matrix_html(A_inv)
        else:
            shown_inverse.value = c.message_html(
                "singular: det A = ad − bc = 0, so A has no inverse"
            )
        plot.value = c.figure_png(lambda fig: _draw_map(fig, A))

    controls = c.ipw.VBox(list(entries.values()))
    layout = c.ipw.HBox([c.ipw.VBox([controls, formula, shown_inverse]), plot])
    return c.panel(
        "matrix",
        "A 2×2 matrix: inverse and eigenvectors",
        "Move the entries of A. The inverse comes from the catalog's verified closed form; "
        "the plot shows where A sends the unit circle.",
        entries,
        {"formula": formula, "inverse": shown_inverse, "plot": plot},
        layout,
        update,
    )


def _draw_map(fig: object, A: np.ndarray) -> None:
    """The unit circle (dashed) and its image under A."""
    ax = fig.add_subplot()  # type: ignore[attr-defined]
    t = np.linspace(0.0, 2.0 * np.pi, 241)
    circle = np.stack([np.cos(t), np.sin(t)])
    image = A @ circle
    ax.plot(*circle, "--", color="0.6", label="unit circle")
    ax.plot(*image, color="C0", label="A · circle")
    reach = max(1.5, float(np.abs(image).max()) * 1.1)
    ax.set_xlim(-reach, reach)
    ax.set_ylim(-reach, reach)
    ax.set_aspect("equal")
    ax.axhline(0, color="0.85", lw=0.8)
    ax.axvline(0, color="0.85", lw=0.8)
    ax.legend(loc="upper right", fontsize=8)
