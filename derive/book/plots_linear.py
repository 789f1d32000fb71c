"""The book's drawings for linear algebra; every value plotted comes from a twin.

>>> from derive.catalog import get
>>> [ax.get_title() for ax in determinant_area(get("determinant-trace-2x2")).axes]
['det A = 2.16: keeps orientation', 'det A = -1.56: flips orientation']

Each function takes the derivation and returns a Matplotlib figure, finding the twins it needs
by their inputs (``derive.book.drawing``); ``derive.book.plots`` registers them by name.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

import numpy as np

from derive.book.drawing import PlotUnavailable, call, figure, twin_of, twins_of

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from derive.numeric.derivation import Derivation


def _arrow(
    ax: Axes,
    tip: np.ndarray,
    colour: str,
    label: str,
    start: np.ndarray | None = None,
    width: float = 2.0,
) -> None:
    base = np.zeros(2) if start is None else start
    ax.annotate(
        "",
        xy=(tip[0], tip[1]),
        xytext=(base[0], base[1]),
        arrowprops={"arrowstyle": "->", "color": colour, "lw": width},
    )
    if label:
        ax.text(tip[0] + 0.06, tip[1] + 0.06, label, color=colour, fontsize=10)


def _plane(ax: Axes) -> None:
    ax.axhline(0, color="0.85", lw=0.8, zorder=0)
    ax.axvline(0, color="0.85", lw=0.8, zorder=0)
    ax.set_aspect("equal")


def dot_projection(derivation: Derivation) -> Figure:
    """a, b in the plane and b's projection onto a, of length a·b/‖a‖ (a·b from the twin)."""
    probe = {"a": np.array([1.0, 0.0]), "b": np.array([0.0, 1.0])}
    twin = twin_of(derivation, ("a", "b"), probe, ())
    a, b = np.array([3.0, 1.0]), np.array([1.2, 2.2])
    dot = float(call(twin, a=a, b=b))
    along = dot / float(call(twin, a=a, b=a)) * a
    fig = figure(5.6, 4.0)
    ax = fig.add_subplot()
    _arrow(ax, a, "tab:blue", "a")
    _arrow(ax, b, "tab:orange", "b")
    _arrow(ax, along, "tab:red", "", width=3)
    ax.plot([b[0], along[0]], [b[1], along[1]], color="0.5", ls=":")
    ax.text(
        along[0] - 0.2,
        along[1] - 0.45,
        f"projection: (a·b/a·a) a, a·b = {dot:g}",
        color="tab:red",
        fontsize=9,
    )
    _plane(ax)
    ax.set_xlim(-0.5, 3.8)
    ax.set_ylim(-0.8, 2.8)
    ax.set_title("a·b = ‖a‖ × (the signed length of b along a)", fontsize=10)
    return fig


def cosine_over_angle(derivation: Derivation) -> Figure:
    """cos-similarity of a fixed a and b turned by θ (the twin), and the same b stretched ×3."""
    twin = twin_of(derivation, ("a", "b"))
    theta = np.linspace(0, 2 * np.pi, 361)
    a = np.array([2.0, 0.5])
    turn = np.stack([np.cos(theta), -np.sin(theta), np.sin(theta), np.cos(theta)], axis=-1)
    b = (turn.reshape(-1, 2, 2) @ a) * 0.7
    fig = figure(6.2, 3.6)
    ax = fig.add_subplot()
    ax.plot(
        np.degrees(theta),
        call(twin, a=a, b=b),
        color="tab:blue",
        lw=3,
        label="cos-sim(a, b), b = a turned by θ",
    )
    ax.plot(
        np.degrees(theta),
        call(twin, a=a, b=3 * b),
        color="tab:orange",
        lw=1,
        ls="--",
        label="the same with b × 3 (length does not matter)",
    )
    ax.axhline(0, color="0.85", lw=0.8)
    ax.set_xticks([0, 90, 180, 270, 360])
    ax.set_xlabel("angle θ between a and b (degrees)")
    ax.set_ylim(-1.15, 1.4)
    ax.legend(fontsize=8, frameon=False, loc="upper center", ncol=1)
    ax.set_title("cosine similarity is cos θ: +1 aligned, 0 orthogonal, −1 opposite", fontsize=10)
    return fig


def norm_balls(derivation: Derivation) -> Figure:
    """The unit balls ‖v‖ = 1 in the plane for the norms the twins compute."""
    grid = np.linspace(-1.5, 1.5, 301)
    X, Y = np.meshgrid(grid, grid)
    fig = figure(4.8, 4.4)
    ax = fig.add_subplot()
    drawn = 0
    for twin, colour in zip(
        derivation.twins, ("tab:blue", "tab:orange", "tab:green"), strict=False
    ):
        if len(twin.args) != 1:
            continue
        size = twin.args[0].shape[0] if twin.args[0].shape else 2
        points = np.zeros((*X.shape, size))  # the plane of the first two coordinates
        points[..., 0], points[..., 1] = X, Y
        norm = call(twin, **{twin.args[0].name: points})
        ax.contour(X, Y, norm, levels=[1.0], colors=[colour], linewidths=2)
        ax.plot([], [], color=colour, lw=2, label=f"{twin.name} = 1")
        drawn += 1
    if not drawn:
        twin_of(derivation, ("v",))  # raises PlotUnavailable
    _plane(ax)
    ax.legend(fontsize=8, frameon=False, loc="upper left")
    ax.set_title("unit balls: L1 a diamond (corners on the axes), L2 a circle", fontsize=10)
    return fig


def determinant_area(derivation: Derivation) -> Figure:
    """The unit square and its image under A: area |det A| (the twin), orientation its sign."""
    twin = twin_of(derivation, ("a",), {"a": np.eye(2) * 2}, ())
    fig = figure(7.2, 3.6)
    for ax, A in zip(
        fig.subplots(1, 2),
        (np.array([[2.0, 0.6], [0.4, 1.2]]), np.array([[0.6, 1.5], [1.2, 0.4]])),
        strict=True,
    ):
        det = float(call(twin, a=A))
        square = np.array([[0, 1, 1, 0, 0], [0, 0, 1, 1, 0]], dtype=float)
        image = A @ square
        ax.fill(*square, color="0.85", label="unit square (area 1)")
        ax.fill(
            *image,
            color="tab:blue" if det > 0 else "tab:red",
            alpha=0.35,
            label=f"A · square: area |det A| = {abs(det):.2f}",
        )
        _arrow(ax, A[:, 0], "tab:green", "Ae₁")
        _arrow(ax, A[:, 1], "tab:purple", "Ae₂")
        _plane(ax)
        ax.set_xlim(-0.3, 3.0)
        ax.set_ylim(-0.3, 2.6)
        ax.legend(fontsize=7, frameon=False, loc="upper left")
        flipped = "flips orientation" if det < 0 else "keeps orientation"
        ax.set_title(f"det A = {det:.2f}: {flipped}", fontsize=10)
    return fig


def two_lines(derivation: Derivation) -> Figure:
    """The two equations as lines; the twin's solution is where they cross."""
    probe = {"a": np.eye(2), "b": np.array([1.0, 2.0])}
    twin = twin_of(derivation, ("a", "b"), probe, (2,))
    fig = figure(7.2, 3.6)
    cases = (
        (np.array([[2.0, 1.0], [1.0, -1.0]]), np.array([4.0, -1.0]), "well conditioned"),
        (np.array([[1.0, 1.0], [1.0, 1.1]]), np.array([2.0, 2.3]), "nearly parallel"),
    )
    x = np.linspace(-4, 6, 200)
    for ax, (A, b, label) in zip(fig.subplots(1, 2), cases, strict=True):
        solution = call(twin, a=A, b=b)
        for row, colour in ((0, "tab:blue"), (1, "tab:orange")):
            a1, a2 = A[row]
            ax.plot(
                x,
                (b[row] - a1 * x) / a2,
                color=colour,
                lw=2,
                label=f"{a1:g}x + {a2:g}y = {b[row]:g}",
            )
        ax.plot(
            *solution,
            "o",
            color="tab:red",
            ms=7,
            label=f"solution ({solution[0]:.3g}, {solution[1]:.3g})",
        )
        ax.set_xlim(-4, 6)
        ax.set_ylim(-4, 6)
        _plane(ax)
        ax.legend(fontsize=7, frameon=False, loc="upper right")
        ax.set_title(label, fontsize=10)
    return fig


XS = np.array([0.5, 1.0, 1.8, 2.5, 3.1, 3.9, 4.6, 5.2])
YS = np.array([1.9, 2.2, 3.6, 3.3, 4.9, 5.2, 6.6, 6.4])


def _line(derivation: Derivation, X: np.ndarray) -> np.ndarray:
    """(intercept, slope): from a θ twin of (X, y), else from two scalar twins of (x, y) —
    told apart by the line passing through the means, ȳ = intercept + slope·x̄."""
    try:
        return call(twin_of(derivation, ("x", "y"), {"x": X, "y": YS}, (2,)), x=X, y=YS)
    except PlotUnavailable:
        pass
    values = [
        float(out)
        for twin in twins_of(derivation, ("x", "y"))
        if (out := call(twin, x=XS, y=YS)).shape == ()
    ]
    for intercept, slope in itertools.permutations(values, 2):
        if np.isclose(YS.mean(), intercept + slope * XS.mean()):
            return np.array([intercept, slope])
    raise PlotUnavailable(
        f"{derivation.id} has no twin of (X, y) giving θ, nor slope and intercept twins of (x, y)"
    )


def least_squares_fit(derivation: Derivation) -> Figure:
    """Points, the least-squares line (θ from the twin) and the residuals, orthogonal to Xᵀ."""
    X = np.stack([np.ones_like(XS), XS], axis=-1)
    theta = _line(derivation, X)
    fitted = X @ theta
    residual = YS - fitted
    fig = figure(6.0, 4.0)
    ax = fig.add_subplot()
    ax.scatter(XS, YS, color="black", zorder=3, label="data (xᵢ, yᵢ)")
    line = np.linspace(0, 5.6, 2)
    ax.plot(
        line,
        theta[0] + theta[1] * line,
        color="tab:blue",
        lw=2,
        label=f"fit: y = {theta[0]:.2f} + {theta[1]:.2f}x",
    )
    for x, y, f in zip(XS, YS, fitted, strict=True):
        ax.plot([x, x], [y, f], color="tab:red", lw=1.2)
    ax.plot([], [], color="tab:red", label="residuals: Σrᵢ = Σxᵢrᵢ = 0")
    check = X.T @ residual
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.legend(fontsize=8, frameon=False, loc="upper left")
    ax.set_title(f"least squares: Xᵀ(y − Xθ) = ({check[0]:.0e}, {check[1]:.0e}) ≈ 0", fontsize=10)
    return fig


def softmax_temperature(derivation: Derivation) -> Figure:
    """softmax(z / T) for one score vector and several T (the twin): large scores → one-hot."""
    twin = twin_of(derivation, ("z",), {"z": np.zeros(4)}, (4,))
    z = np.array([2.0, 1.0, 0.5, -1.0])
    fig = figure(6.4, 3.6)
    ax = fig.add_subplot()
    temperatures = (0.25, 1.0, 4.0, 16.0)
    width = 0.8 / len(temperatures)
    colours = ("tab:red", "tab:orange", "tab:blue", "tab:green")
    for k, (T, colour) in enumerate(zip(temperatures, colours, strict=True)):
        p = call(twin, z=z / T)
        ax.bar(
            np.arange(4) + (k - 1.5) * width,
            p,
            width=width,
            color=colour,
            label=f"softmax(z / {T:g})",
        )
    ax.set_xticks(np.arange(4), [f"z{i + 1} = {v:g}" for i, v in enumerate(z)])
    ax.set_ylabel("probability")
    ax.legend(fontsize=8, frameon=False)
    ax.set_title("dividing scores by √d keeps softmax away from one-hot", fontsize=10)
    return fig
