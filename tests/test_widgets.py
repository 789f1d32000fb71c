"""Worksheet panels driven from Python: set input widgets, read what the outputs show.

The expected values come from the catalog twins directly, so a panel that showed anything
else (a stale value, a second implementation, a wrong entry order) would fail.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil
from typing import Any

import numpy as np
import pytest

import derive.widgets
from derive.catalog import get
from derive.core.functions import stable_sigmoid, stable_softplus
from derive.widgets import calculus, checking, linear_algebra, probability
from derive.widgets.common import MissingPiece, Panel, message_of, shown_values, twin

WIDGET_MODULES = sorted(
    m.name for m in pkgutil.iter_modules(derive.widgets.__path__, "derive.widgets.")
)


@pytest.mark.parametrize("name", ["derive.widgets", *WIDGET_MODULES])
def test_doctests(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0


def test_missing_catalog_pieces_fail_loudly() -> None:
    with pytest.raises(MissingPiece, match="'no-such-thing'"):
        twin("no-such-thing", "x")
    with pytest.raises(MissingPiece, match="has \\['inverse'\\]"):
        twin("inverse-2x2", "no-such-twin")


def named(identifier: str, name: str) -> Any:
    return next(t for t in get(identifier).twins if t.name == name)


def matrix(panel: Panel) -> np.ndarray:
    v = {k: panel.inputs[k].value for k in "abcd"}
    return np.array([[v["a"], v["b"]], [v["c"], v["d"]]])


def test_matrix_explorer_inverse_follows_the_sliders() -> None:
    panel = linear_algebra.matrix_explorer()
    inverse = get("inverse-2x2").twins[0]
    seen = []
    for name, value in [("a", 3.5), ("b", -2.0), ("c", 0.5), ("d", -1.5)]:
        panel.inputs[name].value = value
        shown = shown_values(panel.outputs["inverse"])
        np.testing.assert_allclose(shown, inverse(A=matrix(panel)).ravel(), rtol=1e-15)
        seen.append(shown)
        assert message_of(panel.outputs["message"]) is None
    assert len({tuple(s) for s in seen}) == len(seen)  # every move changed the inverse


def test_matrix_explorer_singular_matrix_is_a_message() -> None:
    panel = linear_algebra.matrix_explorer()
    before = panel.outputs["plot"].value
    panel.inputs["a"].value = 1.0
    panel.inputs["b"].value = 2.0
    panel.inputs["c"].value = 1.5
    panel.inputs["d"].value = 3.0  # rows proportional: det = 0
    assert shown_values(panel.outputs["inverse"]) == []
    assert message_of(panel.outputs["inverse"]) == (
        "singular: det A = ad − bc = 0, so A has no inverse"
    )
    assert panel.outputs["plot"].value != before  # the collapsed circle is still drawn
    panel.inputs["d"].value = 2.5
    assert message_of(panel.outputs["inverse"]) is None
    assert len(shown_values(panel.outputs["inverse"])) == 4


def test_panel_displays_as_its_view() -> None:
    panel = linear_algebra.matrix_explorer()
    bundle = panel._repr_mimebundle_()
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == panel.view.model_id


def test_matrix_explorer_eigenvalues_real_and_complex() -> None:
    panel = linear_algebra.matrix_explorer()
    eigenvalues = named("eigenvalues-2x2", "eigenvalues")
    np.testing.assert_allclose(
        shown_values(panel.outputs["eigenvalues"]), eigenvalues(A=matrix(panel)), rtol=1e-15
    )
    panel.inputs["b"].value = -2.0  # [[2, −2], [1, 3]]: tr² − 4 det = 25 − 32 < 0
    lam = eigenvalues(A=matrix(panel))
    assert np.iscomplexobj(lam)
    np.testing.assert_allclose(
        shown_values(panel.outputs["eigenvalues"]), [lam[0].real, abs(lam[0].imag)], rtol=1e-15
    )
    assert "complex pair" in panel.outputs["eigenvalues"].value


def points(panel: Panel) -> tuple[np.ndarray, np.ndarray]:
    values = np.array(shown_values(panel.outputs["points"])).reshape(-1, 2)
    return values[:, 0], values[:, 1]


def test_normal_equation_fits_the_shown_points_and_follows_a_moved_point() -> None:
    panel = linear_algebra.normal_equation()
    theta = named(*linear_algebra.NORMAL_EQUATION)

    def expected() -> np.ndarray:
        x, y = points(panel)
        return np.asarray(theta(X=np.stack([np.ones_like(x), x], axis=-1), y=y))

    np.testing.assert_allclose(shown_values(panel.outputs["fit"]), expected(), rtol=1e-12)
    before = shown_values(panel.outputs["fit"])
    panel.inputs["which"].value = 3
    panel.inputs["y"].value = 11.0  # drag point #3 far up: an outlier
    assert points(panel)[1][3] == 11.0
    np.testing.assert_allclose(shown_values(panel.outputs["fit"]), expected(), rtol=1e-12)
    assert shown_values(panel.outputs["fit"]) != before
    panel.inputs["points"].value = 2
    panel.inputs["which"].value = 1
    panel.inputs["x"].value = points(panel)[0][0]  # both points at one x: XᵀX singular
    assert "XᵀX is singular" in (message_of(panel.outputs["message"]) or "")


def test_bayes_counts_from_the_twins_and_bad_probabilities_are_messages() -> None:
    panel = probability.bayes()
    posterior = named(*probability.POSTERIOR)
    evidence = named(*probability.EVIDENCE)
    assert shown_values(panel.outputs["numbers"]) == pytest.approx(
        [float(evidence(p=0.01, s=0.99, f=0.05)), float(posterior(p=0.01, s=0.99, f=0.05))],
        rel=1e-15,
    )
    assert shown_values(panel.outputs["numbers"])[1] == pytest.approx(1 / 6)
    panel.inputs["prevalence"].value = 0.2
    assert shown_values(panel.outputs["numbers"]) == pytest.approx(
        [float(evidence(p=0.2, s=0.99, f=0.05)), float(posterior(p=0.2, s=0.99, f=0.05))],
        rel=1e-15,
    )
    assert "200 ill; 238 test positive, of whom 198 are ill" in panel.outputs["numbers"].value
    panel.inputs["false_positive"].value = -0.1
    assert message_of(panel.outputs["message"]) == (
        "false-positive must be a probability strictly between 0 and 1 (got -0.1)"
    )
    panel.inputs["false_positive"].value = 0.05
    assert message_of(panel.outputs["message"]) is None
    panel.inputs["prevalence"].value = 1.0
    assert "prevalence must be a probability" in (message_of(panel.outputs["message"]) or "")


@pytest.mark.parametrize("label", list(probability.DISTRIBUTIONS))
def test_distributions_mean_and_variance_from_the_twins(label: str) -> None:
    spec = probability.DISTRIBUTIONS[label]
    panel = probability.distributions()
    panel.inputs["family"].value = label
    for name, value in {"p": 0.7, "n": 12, "mu": -1.0, "sigma": 2.0}.items():
        panel.inputs[name].value = value
        args = {k: float(panel.inputs[k].value) for k in spec["params"]}
        expected = [float(named(spec["id"], role)(**args)) for role in ("mean", "variance")]
        assert shown_values(panel.outputs["values"]) == pytest.approx(expected, rel=1e-15)


def test_derivative_explorer_secant_converges_to_the_catalog_derivative() -> None:
    panel = calculus.derivative_explorer()
    for label, (name, extra, f) in calculus.FUNCTIONS.items():
        panel.inputs["function"].value = label
        panel.inputs["x"].value = 0.7
        slope = float(named("derivative-from-limit", name)(x=0.7, **extra))
        gaps = []
        for h in (0.1, 0.01, 0.001):
            panel.inputs["h"].value = h
            secant, shown_slope, gap = shown_values(panel.outputs["values"])
            assert shown_slope == slope
            assert secant == pytest.approx((f(0.7 + h) - f(0.7)) / h, rel=1e-12)
            gaps.append(abs(gap))
        assert gaps[0] > gaps[1] > gaps[2]  # the secant slope converges to f′(x)


@pytest.mark.parametrize("key", list(calculus.ACTIVATIONS))
def test_activations_show_the_twin_derivative(key: str) -> None:
    panel = calculus.activations()
    name, f = calculus.ACTIVATIONS[key]
    derivative = named("chain-rule-activations", name)
    panel.inputs["function"].value = key
    for z in (-4.0, -0.3, 0.0, 2.5):
        panel.inputs["z"].value = z
        assert shown_values(panel.outputs["values"]) == pytest.approx(
            [float(f(z)), float(derivative(z=z))], rel=1e-15
        )
    assert {"sigmoid": stable_sigmoid, "softplus": stable_softplus}.get(key, np.tanh) is f


def test_gradient_descent_converges_below_2_over_a_and_diverges_above() -> None:
    panel = calculus.gradient_descent()
    twins = {k: named(calculus.DESCENT, v) for k, v in calculus.DESCENT_TWINS.items()}
    panel.inputs["a"].value = 2.0
    bound = float(twins["bound"](a=2.0))
    for eta, verdict in ((0.9 * bound, "converges"), (1.1 * bound, "diverges")):
        panel.inputs["eta"].value = round(eta, 2)
        assert f'data-verdict="{verdict}"' in panel.outputs["verdict"].value
        shown = shown_values(panel.outputs["values"])
        w_t = float(twins["iterate"](a=2.0, eta=round(eta, 2), w0=2.0, t=20.0))
        assert shown[:2] == pytest.approx([bound, w_t], rel=1e-12)
    panel.inputs["a"].value = 0.1
    panel.inputs["h12"].value = 1.5  # H = [[0.1, 1.5], [1.5, 3]] is indefinite
    assert "not positive definite" in (message_of(panel.outputs["message"]) or "")


def test_check_working_marks_the_first_wrong_line() -> None:
    panel = checking.check_working()
    assert 'data-verdict="incorrect"' in panel.outputs["verdict"].value  # the example's slip
    assert "step 3 does not follow" in panel.outputs["verdict"].value
    assert 'data-verdict="refuted"' in panel.outputs["lines"].value
    panel.inputs["steps"].value = "diff(x^2 * exp(x), x)\n2*x*exp(x) + x^2*exp(x)"
    assert 'data-verdict="correct"' in panel.outputs["verdict"].value
    panel.inputs["steps"].value = "  \n "
    assert message_of(panel.outputs["message"]) == "steps: empty; write one expression per line"
    panel.inputs["steps"].value = "x\nx"
    panel.inputs["given"].value = "x is a scalar"
    assert "kinds: cannot read 'x is a scalar'" in (message_of(panel.outputs["message"]) or "")


def test_a_bug_in_a_panel_is_one_line_on_the_page_and_still_raises() -> None:
    from derive.widgets import common

    box = common.ipw.FloatText(value=1.0)

    def update() -> None:
        if box.value < 0:
            raise common.BadValue(f"x must be ≥ 0 (got {box.value:g})")
        if box.value > 10:
            raise KeyError("x")

    panel = common.panel("t", "T", "", {"x": box}, {}, common.ipw.VBox([box]), update)
    box.value = -1.0
    assert message_of(panel.outputs["message"]) == "x must be ≥ 0 (got -1)"
    with pytest.raises(KeyError):
        box.value = 11.0
    assert message_of(panel.outputs["message"]) == "internal error (a bug): KeyError: 'x'"
    box.value = 2.0
    assert message_of(panel.outputs["message"]) is None


def test_matrix_explorer_eigenvectors_for_symmetric_matrices() -> None:
    panel = linear_algebra.matrix_explorer()
    vectors = named("eigen-symmetric-2x2", "eigenvectors")
    np.testing.assert_allclose(  # the start [[2, 1], [1, 3]] is symmetric
        shown_values(panel.outputs["eigenvectors"]), vectors(S=matrix(panel)).ravel(), rtol=1e-15
    )
    # each column is labelled with its own eigenvalue: S v = λ v, in the order shown
    label = panel.outputs["eigenvectors"].value.split("=")[1]
    values = [float(v) for v in label.replace(")", "").split(",")]
    V = vectors(S=matrix(panel))
    for k, value in enumerate(values):
        np.testing.assert_allclose(matrix(panel) @ V[:, k], value * V[:, k], rtol=1e-5)
    panel.inputs["c"].value = 0.5
    assert "make b = c" in (message_of(panel.outputs["eigenvectors"]) or "")
    for name, value in (("a", 2.0), ("b", 0.0), ("c", 0.0), ("d", 2.0)):
        panel.inputs[name].value = value  # 2I: every direction is an eigenvector
    assert "every direction" in (message_of(panel.outputs["eigenvectors"]) or "")


def test_a_bad_value_is_shown_above_the_panel_and_dims_its_stale_outputs() -> None:
    panel = probability.bayes()
    _heading, message, body = panel.view.children
    assert message is panel.outputs["message"]  # above the inputs and outputs, not below
    assert "derive-stale" not in body._dom_classes
    panel.inputs["prevalence"].value = 1.0
    assert "prevalence must be a probability" in (message_of(message) or "")
    assert "derive-stale" in body._dom_classes  # the last good numbers, dimmed
    panel.inputs["prevalence"].value = 0.2
    assert message_of(message) is None
    assert "derive-stale" not in body._dom_classes
