"""Every catalog picture draws from its derivation's twins and renders to a non-blank image;
at least half the catalog has one; some drawings show what their derivation says."""

from __future__ import annotations

import io

import numpy as np
import pytest

from derive.book.drawing import PlotUnavailable, twin_of
from derive.book.plots import DRAWINGS, PLOTS, svg
from derive.catalog import CATALOG, get

PICTURED = sorted(PLOTS)


def _pixels(figure: object) -> np.ndarray:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(figure)  # type: ignore[arg-type]
    canvas.draw()
    return np.asarray(canvas.buffer_rgba())[..., :3]


def test_at_least_half_the_catalog_has_a_picture() -> None:
    assert len(CATALOG) == 44
    assert len(PICTURED) >= len(CATALOG) / 2, f"{len(PICTURED)} of {len(CATALOG)} pictured"


@pytest.mark.parametrize("identifier", PICTURED)
def test_picture_renders_and_is_not_blank(identifier: str) -> None:
    figure = PLOTS[identifier].draw(get(identifier))  # PlotUnavailable fails the test
    pixels = _pixels(figure)
    png = io.BytesIO()
    figure.savefig(png, format="png", dpi=50)
    assert png.getvalue()[:8] == b"\x89PNG\r\n\x1a\n"
    inked = np.any(pixels < 235, axis=-1).mean()  # share of pixels that are not (near) white
    colours = len(np.unique(pixels.reshape(-1, 3)[::7], axis=0))
    assert inked > 0.02, f"{identifier}: only {inked:.1%} of the picture is drawn"
    assert colours > 20, f"{identifier}: only {colours} colours"
    text = svg(figure)
    assert text.startswith("<?xml")
    assert text.count("<path") > 10
    assert "nan" not in " ".join(t.get_text().lower() for ax in figure.axes for t in ax.texts)


@pytest.mark.parametrize("identifier", PICTURED)
def test_caption_is_a_sentence(identifier: str) -> None:
    caption = PLOTS[identifier].caption
    assert caption[0].isupper(), caption
    assert caption.endswith("."), caption


def test_bernoulli_picture_peaks_at_a_half() -> None:
    figure = DRAWINGS["bernoulli_variance"](get("bernoulli"))
    p, variance = figure.axes[0].lines[0].get_data()
    assert p[np.argmax(variance)] == pytest.approx(0.5)
    np.testing.assert_allclose(variance, p * (1 - p), atol=1e-12)  # the variance, not the mean


@pytest.mark.parametrize("identifier", ["normal-equation", "simple-linear-regression"])
def test_least_squares_residuals_are_orthogonal(identifier: str) -> None:
    from derive.book.plots_linear import XS, YS

    figure = DRAWINGS["least_squares_fit"](get(identifier))
    xs, ys = figure.axes[0].lines[0].get_data()
    slope, intercept = np.polyfit(XS, YS, 1)  # NumPy's fit, independent of the twins
    np.testing.assert_allclose(ys, intercept + slope * np.asarray(xs), rtol=1e-9)


def test_bessel_picture_shows_the_bias() -> None:
    figure = DRAWINGS["bessel_bias"](get("bessel-correction"))
    biased, unbiased = figure.axes[0].lines[:2]
    n = np.asarray(biased.get_xdata())
    np.testing.assert_allclose(biased.get_ydata(), (n - 1) / n)
    np.testing.assert_allclose(unbiased.get_ydata(), 1.0)


def test_determinant_picture_areas_match_numpy() -> None:
    figure = DRAWINGS["determinant_area"](get("determinant-trace-2x2"))
    titles = [ax.get_title() for ax in figure.axes]
    assert titles == ["det A = 2.16: keeps orientation", "det A = -1.56: flips orientation"]


def test_quadratic_gradient_arrows_are_the_gradient() -> None:
    figure = DRAWINGS["quadratic_gradients"](get("gradient-quadratic-form"))
    quiver = figure.axes[0].collections[-1]
    S = np.array([[2.0, 0.8], [0.8, 1.0]])
    b = np.array([-1.0, 0.5])
    at = quiver.get_offsets()
    np.testing.assert_allclose(np.stack([quiver.U, quiver.V], -1), at @ (2 * S) + b, atol=1e-12)


def test_a_drawing_without_its_twin_is_unavailable() -> None:
    import dataclasses

    bare = dataclasses.replace(get("binomial"), twins=())
    with pytest.raises(PlotUnavailable, match="binomial has no twin of"):
        DRAWINGS["binomial_pmfs"](bare)
    with pytest.raises(PlotUnavailable, match=r"\(p\)"):
        twin_of(bare, ("p",))
