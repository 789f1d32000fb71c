"""Linear-algebra panels: a 2×2 matrix explorer and the normal equation on movable points.

>>> panel = matrix_explorer()
>>> panel.inputs["d"].value = 0.5   # A = [[2, 1], [1, 0.5]] is singular
>>> c.message_of(panel.outputs["inverse"])
'singular: det A = ad − bc = 0, so A has no inverse'
"""

from __future__ import annotations

from typing import Any

import numpy as np

from derive.render.tex import tex
from derive.widgets import common as c


def matrix_explorer() -> c.Panel:
    """Sliders for A = [[a, b], [c, d]]: its inverse, its eigenvalues, and the unit circle
    mapped by A."""
    inverse = c.twin("inverse-2x2", "inverse")
    eigenvalues = c.twin("eigenvalues-2x2", "eigenvalues")
    inverse_result = c.derivation("inverse-2x2").result
    eigen_result = c.derivation("eigenvalues-2x2").result
    symmetric_values = c.twin("eigen-symmetric-2x2", "eigenvalues")
    symmetric_vectors = c.twin("eigen-symmetric-2x2", "eigenvectors")
    entries = {
        name: c.slider(name, value, -4.0, 4.0, 0.5)
        for name, value in (("a", 2.0), ("b", 1.0), ("c", 1.0), ("d", 3.0))
    }
    formula = c.output("formula", maths=True)
    formula.value = c.display_math(f"{tex(inverse_result.lhs)} = {tex(inverse_result.rhs)}")
    formula.value += c.display_math(f"{tex(eigen_result.lhs)} \\in {tex(eigen_result.rhs)}")
    shown_inverse = c.output("inverse")
    shown_eigen = c.output("eigenvalues")
    shown_vectors = c.output("eigenvectors")
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
        lam = np.asarray(eigenvalues(A=A))
        if np.iscomplexobj(lam) and np.any(lam.imag != 0):
            shown_eigen.value = (
                "<b>λ = </b>"
                + c.value_html(lam[0].real)
                + " ± "
                + c.value_html(abs(lam[0].imag))
                + " i"
                + c.message_html(
                    "complex pair: tr² < 4 det, so A turns every direction; no real eigenvector",
                    "note",
                )
            )
        else:
            shown_eigen.value = "<b>λ₊, λ₋ =</b> " + ", ".join(
                c.value_html(v) for v in np.real(lam)
            )
        directions = None
        if A[0, 1] != A[1, 0]:
            shown_vectors.value = c.message_html(
                "eigenvector directions are drawn for symmetric A (make b = c)", "note"
            )
        else:
            V = np.asarray(symmetric_vectors(S=A))
            if c.finite(V):
                ascending = np.asarray(symmetric_values(S=A))
                directions = (ascending, V)
                shown_vectors.value = (
                    "<b>unit eigenvectors (columns, for λ = "
                    + ", ".join(c.number(float(v), 6) for v in ascending)
                    + ") =</b>"
                    + c.matrix_html(V)
                )
            else:
                shown_vectors.value = c.message_html(
                    "A = aI: every direction is an eigenvector", "note"
                )
        plot.value = c.figure_png(lambda fig: _draw_map(fig, A, directions))

    controls = c.ipw.VBox(list(entries.values()))
    layout = c.ipw.VBox(
        [
            c.ipw.HBox([c.ipw.VBox([controls, shown_inverse, shown_eigen, shown_vectors]), plot]),
            formula,
        ]
    )
    return c.panel(
        "matrix",
        "A 2×2 matrix: inverse, eigenvalues, eigenvectors",
        "Move the entries of A. The inverse comes from the catalog's verified closed form; "
        "the plot shows where A sends the unit circle.",
        entries,
        {
            "formula": formula,
            "inverse": shown_inverse,
            "eigenvalues": shown_eigen,
            "eigenvectors": shown_vectors,
            "plot": plot,
        },
        layout,
        update,
    )


def _draw_map(
    fig: Any, A: np.ndarray, directions: tuple[np.ndarray, np.ndarray] | None = None
) -> None:
    """The unit circle (dashed), its image under A, and (symmetric A) each unit eigenvector v
    with its image Av = λv on the same line."""
    ax = fig.add_subplot()
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
    if directions is not None:
        values, vectors = directions
        for k in range(2):
            v = vectors[:, k]
            ax.plot([-reach * v[0], reach * v[0]], [-reach * v[1], reach * v[1]], ":", color="C3")
            ax.annotate(
                "", xy=values[k] * v, xytext=(0, 0), arrowprops={"arrowstyle": "->", "color": "C3"}
            )
        ax.plot([], [], ":", color="C3", label="eigenvector lines, arrows λv")
    ax.legend(loc="upper right", fontsize=8)


# The normal equation's twin: θ = (XᵀX)⁻¹Xᵀy for a design matrix X with a bias column.
NORMAL_EQUATION = ("normal-equation", "theta")


def normal_equation() -> c.Panel:
    """Least squares on generated points: θ from the catalog's normal equation; move a point."""
    theta_twin = c.twin(*NORMAL_EQUATION)
    result = c.derivation(NORMAL_EQUATION[0]).result
    count = c.ipw.IntSlider(
        value=8, min=2, max=30, description="points", continuous_update=False, style=c.STYLE
    )
    noise = c.slider("noise", 1.0, 0.0, 4.0, 0.1)
    seed = c.ipw.IntSlider(
        value=1, min=0, max=99, description="seed", continuous_update=False, style=c.STYLE
    )
    which = c.ipw.IntSlider(
        value=0, min=0, max=7, description="move point #", continuous_update=False, style=c.STYLE
    )
    point_x = c.slider("its x", 0.0, -6.0, 6.0, 0.1)
    point_y = c.slider("its y", 0.0, -12.0, 12.0, 0.1)
    formula = c.output("formula", maths=True)
    formula.value = c.display_math(f"{tex(result.lhs)} = {tex(result.rhs)}")
    fit = c.output("fit")
    data = c.output("points")
    plot = c.image("plot")
    points: dict[str, np.ndarray] = {}
    syncing = [False]

    def generate() -> None:
        rng = np.random.default_rng(seed.value)
        x = np.sort(rng.uniform(-5.0, 5.0, count.value))
        points["x"] = x
        points["y"] = 1.5 + 0.8 * x + noise.value * rng.normal(size=x.size)
        which.max = count.value - 1
        select()

    def select() -> None:
        syncing[0] = True  # moving the sliders to the chosen point is not a move of the point
        point_x.value = float(np.round(points["x"][which.value], 1))
        point_y.value = float(np.round(points["y"][which.value], 1))
        syncing[0] = False

    def move() -> None:
        if not syncing[0]:
            points["x"][which.value] = point_x.value
            points["y"][which.value] = point_y.value

    def update() -> None:
        x, y = points["x"], points["y"]
        data.value = (
            '<details><summary>the points</summary><table class="derive-rows">'
            + "".join(
                f"<tr><th>#{i}</th><td>{c.value_html(u, 3)}</td><td>{c.value_html(v, 3)}</td></tr>"
                for i, (u, v) in enumerate(zip(x, y, strict=True))
            )
            + "</table></details>"
        )
        X = np.stack([np.ones_like(x), x], axis=-1)
        try:
            theta = np.asarray(theta_twin(X=X, y=y))
        except np.linalg.LinAlgError:  # the twin's documented answer to a singular XᵀX
            theta = np.full(2, np.nan)
        if not c.finite(theta):
            fit.value = ""
            plot.value = c.figure_png(lambda fig: _draw_fit(fig, x, y, None))
            raise c.BadValue(
                "XᵀX is singular: every point has the same x, so no single line is best"
            )
        fit.value = c.rows_html(
            [("intercept θ₀", c.value_html(theta[0])), ("slope θ₁", c.value_html(theta[1]))]
        )
        plot.value = c.figure_png(lambda fig: _draw_fit(fig, x, y, theta))

    count.observe(lambda _: generate(), names="value")
    noise.observe(lambda _: generate(), names="value")
    seed.observe(lambda _: generate(), names="value")
    which.observe(lambda _: select(), names="value")
    point_x.observe(lambda _: move(), names="value")
    point_y.observe(lambda _: move(), names="value")
    generate()

    inputs = {
        "points": count,
        "noise": noise,
        "seed": seed,
        "which": which,
        "x": point_x,
        "y": point_y,
    }
    controls = c.ipw.VBox([count, noise, seed, which, point_x, point_y])
    layout = c.ipw.VBox([c.ipw.HBox([c.ipw.VBox([controls, fit, data]), plot]), formula])
    return c.panel(
        "normal",
        "The normal equation on points you can move",
        "Generate noisy points around a line, then pick a point and move it: the fitted "
        "line θ₀ + θ₁x comes from the catalog's normal equation θ = (XᵀX)⁻¹Xᵀy with a bias "
        "column in X. Watch one outlier pull the whole line.",
        inputs,
        {"formula": formula, "fit": fit, "points": data, "plot": plot},
        layout,
        update,
    )


def _draw_fit(fig: Any, x: np.ndarray, y: np.ndarray, theta: np.ndarray | None) -> None:
    """The points, the fitted line and the residuals it minimises (squared)."""
    ax = fig.add_subplot()
    ax.scatter(x, y, color="C0", zorder=3, label="points")
    if theta is not None:
        line = np.array([-6.0, 6.0])
        ax.plot(line, theta[0] + theta[1] * line, color="C1", label="least-squares line")
        fitted = theta[0] + theta[1] * x
        ax.vlines(x, fitted, y, color="C3", lw=0.8, label="residuals")
    ax.set_xlim(-6.0, 6.0)
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.legend(loc="upper left", fontsize=8)
