"""Pictures for the book: drawings registered by name; every value plotted comes from a twin.

>>> from derive.catalog import CATALOG, get
>>> picture = CATALOG["inverse-2x2"].plot
>>> figure = DRAWINGS[picture.drawing](get("inverse-2x2"))
>>> len(figure.axes), PLOTS["inverse-2x2"].caption == picture.caption
(1, True)

A catalog entry says which picture illustrates it (``Picture(caption, drawing)`` in its
``ENTRY``); the drawing is a function here, registered in ``DRAWINGS`` under its name, and one
drawing can serve several entries. ``PLOTS`` is the book's view of both: id -> caption and
drawing, for the entries that have a picture. A drawing finds the twin it needs by what the
twin takes and returns (argument names and shapes), so it does not depend on how a twin is
named; when a derivation has no such twin it raises ``PlotUnavailable`` and the book says so on
the page instead of drawing something made up.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING

import numpy as np

from derive.book import plots_calculus, plots_linear, plots_probability
from derive.book.drawing import PlotUnavailable, figure
from derive.catalog import CATALOG
from derive.catalog.entry import Entry
from derive.catalog.plugins import later
from derive.numeric.derivation import Derivation
from derive.numeric.twin import Twin

if TYPE_CHECKING:
    from matplotlib.figure import Figure


@dataclass(frozen=True)
class Plot:
    """A picture of one derivation: what it shows and how to draw it."""

    caption: str
    draw: Callable[[Derivation], Figure]


_figure = figure


def svg(figure: Figure) -> str:
    """The figure as SVG text, byte-stable (no date, fixed ids)."""
    import matplotlib

    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": "derive", "svg.fonttype": "path"}):
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def _names(twin: Twin) -> set[str]:
    return {a.name.lower() for a in twin.args}


def _matrix_twin(derivation: Derivation, rows: int, cols: int, out: tuple[int, ...]) -> Twin:
    """The first twin with one rows×cols matrix input and output of shape ``out``."""
    probe = np.array([[2.0, 1.0], [1.0, 3.0]]) if (rows, cols) == (2, 2) else None
    for twin in derivation.twins:
        if len(twin.args) != 1 or twin.args[0].shape != (rows, cols) or probe is None:
            continue
        result = np.asarray(twin(**{twin.args[0].name: probe}))
        if result.shape == out:
            return twin
    raise PlotUnavailable(f"{derivation.id} has no twin taking a {rows}×{cols} matrix to {out}")


def _scalar_twin(derivation: Derivation, roles: Mapping[str, tuple[str, ...]]) -> tuple[Twin, dict]:
    """A twin of scalar inputs whose names fill each role; returns it and role -> arg name."""
    for twin in derivation.twins:
        if any(a.shape != () for a in twin.args) or len(twin.args) != len(roles):
            continue
        chosen: dict[str, str] = {}
        for role, names in roles.items():
            match = next((a.name for a in twin.args if a.name.lower() in names), None)
            if match is None:
                break
            chosen[role] = match
        else:
            if len(set(chosen.values())) == len(roles):
                probe = np.asarray(twin(**{name: np.array(0.5) for name in chosen.values()}))
                if probe.shape == ():
                    return twin, chosen
    wanted = ", ".join(f"{role} ({'/'.join(n)})" for role, n in roles.items())
    raise PlotUnavailable(f"{derivation.id} has no scalar twin of {wanted}")


CIRCLE = np.linspace(0, 2 * np.pi, 241)


def _circle() -> np.ndarray:
    return np.stack([np.cos(CIRCLE), np.sin(CIRCLE)])


def unit_circle_inverse(derivation: Derivation) -> Figure:
    """The unit circle, its image under A, and A⁻¹ (from the twin) bringing it back."""
    twin = _matrix_twin(derivation, 2, 2, (2, 2))
    A = np.array([[1.6, 0.7], [0.4, 1.1]])
    inverse = np.asarray(twin(**{twin.args[0].name: A}))
    circle = _circle()
    image = A @ circle
    back = inverse @ image[:, ::12]
    figure = _figure()
    ax = figure.add_subplot()
    ax.plot(*circle, color="0.55", lw=1.2, label="unit circle")
    ax.plot(*image, color="tab:blue", lw=2, label="A · circle (an ellipse)")
    ax.scatter(
        back[0],
        back[1],
        color="tab:red",
        s=16,
        zorder=3,
        label="A⁻¹ · (A · circle): back on the circle",
    )
    for k, colour in ((0, "tab:green"), (1, "tab:purple")):
        ax.annotate(
            "",
            xy=(A[0, k], A[1, k]),
            xytext=(0, 0),
            arrowprops={"arrowstyle": "->", "color": colour, "lw": 1.8},
        )
        ax.text(1.08 * A[0, k], 1.08 * A[1, k], f"A e{k + 1}", color=colour, fontsize=10)
    ax.set_aspect("equal")
    ax.axhline(0, color="0.85", lw=0.8, zorder=0)
    ax.axvline(0, color="0.85", lw=0.8, zorder=0)
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=8, frameon=False)
    ax.set_title(f"A = {A.tolist()}", fontsize=10)
    return figure


def unit_circle_eigen(derivation: Derivation) -> Figure:
    """A 2×2 matrix on the unit circle; eigenvectors (from the twin's eigenvalues) only stretch."""
    twin = _matrix_twin(derivation, 2, 2, (2,))
    A = np.array([[2.0, 1.0], [1.0, 3.0]])
    eigenvalues = np.real_if_close(np.asarray(twin(**{twin.args[0].name: A})))
    if np.iscomplexobj(eigenvalues):
        raise PlotUnavailable("the example matrix has complex eigenvalues")
    circle = _circle()
    figure = _figure()
    ax = figure.add_subplot()
    ax.plot(*circle, color="0.55", lw=1.2, label="unit circle")
    ax.plot(*(A @ circle), color="tab:blue", lw=2, label="A · circle")
    for lam, colour in zip(sorted(eigenvalues), ("tab:green", "tab:red"), strict=True):
        # (A − λI)v = 0: the first row b·v₂ = (λ − a)·v₁ gives v ∝ (b, λ − a).
        v = np.array([A[0, 1], lam - A[0, 0]])
        v /= np.linalg.norm(v)
        ax.annotate(
            "", xy=(v[0], v[1]), xytext=(0, 0), arrowprops={"arrowstyle": "->", "color": colour}
        )
        ax.annotate(
            "",
            xy=(lam * v[0], lam * v[1]),
            xytext=(0, 0),
            arrowprops={"arrowstyle": "->", "color": colour, "lw": 2},
        )
        ax.text(1.06 * lam * v[0], 1.06 * lam * v[1], f"λ = {lam:.3g}: Av = λv", color=colour)
    ax.set_aspect("equal")
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=8, frameon=False)
    ax.set_title(f"A = {A.tolist()}", fontsize=10)
    return figure


ETA = ("eta", "η", "lr", "learning_rate", "step_size", "alpha")
CURVATURE = ("a", "curvature")
TIME = ("t", "k", "steps", "iterations")
START = ("w0", "w_0", "x0", "start")


def gradient_descent_paths(derivation: Derivation) -> Figure:
    """wₜ on ½aw² for step sizes below, at and above the 2/a threshold (values from the twin)."""
    twin, role = _scalar_twin(derivation, {"eta": ETA, "a": CURVATURE, "t": TIME, "w0": START})
    a, w0 = 1.0, 1.0
    steps = np.arange(0, 16)
    figure = _figure(6.0, 4.0)
    ax = figure.add_subplot()
    for ratio, colour in (
        (0.5, "tab:green"),
        (1.0, "tab:blue"),
        (1.9, "tab:orange"),
        (2.1, "tab:red"),
    ):
        eta = ratio / a
        path = twin(**{role["eta"]: eta, role["a"]: a, role["t"]: steps, role["w0"]: w0})
        ax.plot(steps, np.asarray(path), "o-", ms=3, color=colour, label=f"η = {ratio:g}/a")
    ax.axhline(0, color="0.8", lw=0.8)
    ax.set_xlabel("iteration t")
    ax.set_ylabel("wₜ")
    ax.set_ylim(-3, 3)
    ax.legend(fontsize=8, frameon=False, ncol=2)
    ax.set_title("gradient descent on ½aw²: converges iff 0 < η < 2/a", fontsize=10)
    return figure


def normal_bands(derivation: Derivation) -> Figure:
    """The standard normal density from the twin, with its 1σ, 2σ, 3σ bands and their areas."""
    twin, role = _scalar_twin(
        derivation, {"x": ("x",), "mu": ("mu", "μ", "m"), "sigma": ("sigma", "σ", "s")}
    )
    x = np.linspace(-4, 4, 801)
    density = np.asarray(twin(**{role["x"]: x, role["mu"]: 0.0, role["sigma"]: 1.0}))
    figure = _figure(6.0, 3.8)
    ax = figure.add_subplot()
    ax.plot(x, density, color="black", lw=1.5)
    for k, alpha in ((3, 0.15), (2, 0.25), (1, 0.35)):
        inside = np.abs(x) <= k
        area = float(np.trapezoid(density[inside], x[inside]))
        ax.fill_between(x[inside], density[inside], color="tab:blue", alpha=alpha, lw=0)
        ax.text(0, 0.02 + 0.1 * (3 - k), f"±{k}σ: {100 * area:.1f}%", ha="center", fontsize=9)
    ax.set_xlabel("(x − μ)/σ")
    ax.set_ylabel("density")
    ax.set_title("normal density (twin) with the 68–95–99.7 bands", fontsize=10)
    return figure


def _data_twin(derivation: Derivation) -> tuple[Twin, int]:
    """A twin taking one n×2 data matrix to a 2×2 matrix (a covariance); and its n."""
    for twin in derivation.twins:
        if len(twin.args) != 1:
            continue
        arg = twin.args[0]
        shape = arg.shape
        rows = 200 if shape is None else shape[0]
        if shape is not None and (len(shape) != 2 or shape[1] != 2):
            continue
        if shape is None and not (arg.value.shape[1] == 2 and arg.value.shape[0] != 1):
            continue
        probe = np.random.default_rng(0).normal(size=(rows, 2))
        if np.asarray(twin(**{arg.name: probe})).shape == (2, 2):
            return twin, rows
    raise PlotUnavailable(f"{derivation.id} has no twin taking n×2 data to a 2×2 covariance")


def _eigenvalue_twin(derivation: Derivation) -> Twin:
    """A 2×2 → 2 eigenvalue twin: the derivation's own, else the catalog's eigen entries."""
    from derive.catalog import get

    for source in (derivation.id, "eigen-symmetric-2x2", "eigenvalues-2x2"):
        if source in CATALOG or source == derivation.id:
            try:
                return _matrix_twin(
                    derivation if source == derivation.id else get(source), 2, 2, (2,)
                )
            except PlotUnavailable:
                continue
    raise PlotUnavailable("no eigenvalue twin for a 2×2 matrix in this derivation or the catalog")


def pca_axes(derivation: Derivation) -> Figure:
    """A correlated scatter with its principal axes: covariance and eigenvalues from twins."""
    covariance_twin, rows = _data_twin(derivation)
    eigen_twin = _eigenvalue_twin(derivation)
    rng = np.random.default_rng(20241124)
    data = rng.normal(size=(rows, 2)) @ np.array([[2.0, 0.0], [1.2, 0.6]]) + np.array([1.0, -0.5])
    S = np.asarray(covariance_twin(**{covariance_twin.args[0].name: data}))
    eigenvalues = np.sort(np.real(np.asarray(eigen_twin(**{eigen_twin.args[0].name: S}))))[::-1]
    centre = data.mean(axis=0)
    figure = _figure(6.4, 4.6)
    ax = figure.add_subplot()
    ax.scatter(data[:, 0], data[:, 1], s=8, color="0.6", label="data")
    total = float(eigenvalues.sum())
    for lam, colour in zip(eigenvalues, ("tab:red", "tab:blue"), strict=True):
        # (S − λI)v = 0: the first row gives v ∝ (S₀₁, λ − S₀₀).
        v = np.array([S[0, 1], lam - S[0, 0]])
        v /= np.linalg.norm(v)
        tip = centre + 2 * np.sqrt(lam) * v
        ax.annotate(
            "",
            xy=(tip[0], tip[1]),
            xytext=(centre[0], centre[1]),
            arrowprops={"arrowstyle": "->", "color": colour, "lw": 2},
        )
        ax.text(
            tip[0],
            tip[1],
            f"λ = {lam:.2f} ({100 * lam / total:.0f}% of variance)",
            color=colour,
            fontsize=9,
        )
        ax.update_datalim([tip, 2 * centre - tip])
    ax.autoscale_view()
    ax.set_aspect("equal", adjustable="datalim")
    ax.set_title("principal axes: eigenvectors of the covariance, length 2√λ", fontsize=10)
    return figure


# drawing name -> function; catalog entries name these in their Picture.
DRAWINGS: Mapping[str, Callable[[Derivation], Figure]] = MappingProxyType(
    {
        draw.__name__: draw
        for draw in (
            unit_circle_inverse,
            unit_circle_eigen,
            gradient_descent_paths,
            normal_bands,
            pca_axes,
            plots_linear.dot_projection,
            plots_linear.cosine_over_angle,
            plots_linear.norm_balls,
            plots_linear.determinant_area,
            plots_linear.two_lines,
            plots_linear.least_squares_fit,
            plots_linear.softmax_temperature,
            plots_calculus.activation_slopes,
            plots_calculus.secants_to_tangent,
            plots_calculus.loss_shapes,
            plots_calculus.logistic_loss,
            plots_calculus.cross_entropy_slice,
            plots_calculus.hessian_eigenvalues,
            plots_calculus.quadratic_gradients,
            plots_calculus.gradient_field,
            plots_probability.bernoulli_variance,
            plots_probability.binomial_pmfs,
            plots_probability.bayes_posterior,
            plots_probability.bessel_bias,
            plots_probability.p_value_tails,
            plots_probability.standardized_data,
            plots_probability.mean_minimises_squares,
            plots_probability.median_minimises_absolute,
            plots_probability.correlation_panels,
        )
    }
)


def plot_for(entry: Entry) -> Plot | None:
    """The entry's picture as a caption and a drawing function (None if it has none).

    >>> from derive.catalog import CATALOG
    >>> plot_for(CATALOG["pca-2d"]).draw is pca_axes
    True
    """
    if entry.plot is None:
        return None
    drawing = DRAWINGS.get(entry.plot.drawing)
    if drawing is None:
        raise LookupError(
            f"{entry.module}: its Picture names the drawing {entry.plot.drawing!r}; "
            f"derive.book.plots has {', '.join(DRAWINGS)}"
        )
    return Plot(entry.plot.caption, drawing)


def _plot_or_report(entry: Entry) -> Plot | None:
    """``plot_for``, except that a plug-in entry naming an unknown drawing is reported (one
    line, ``derive.catalog.problems()``) and drawn without its picture."""
    try:
        return plot_for(entry)
    except LookupError as error:
        if entry.builtin:
            raise
        later(entry, error)
        return None


# id -> picture, for the catalog entries that have one (read from the entries, not stated here).
PLOTS: Mapping[str, Plot] = MappingProxyType(
    {i: plot for i, entry in CATALOG.items() if (plot := _plot_or_report(entry)) is not None}
)
