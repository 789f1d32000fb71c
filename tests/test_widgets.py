"""Worksheet panels driven from Python: set input widgets, read what the outputs show.

The expected values come from the catalog twins directly, so a panel that showed anything
else (a stale value, a second implementation, a wrong entry order) would fail.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import numpy as np
import pytest

import derive.widgets
from derive.catalog import get
from derive.widgets import linear_algebra
from derive.widgets.common import MissingPiece, message_of, shown_values, twin

WIDGET_MODULES = sorted(
    m.name for m in pkgutil.iter_modules(derive.widgets.__path__, "derive.widgets.")
)


@pytest.mark.parametrize("name", ["derive.widgets", *WIDGET_MODULES])
def test_doctests(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


def test_missing_catalog_pieces_fail_loudly() -> None:
    with pytest.raises(MissingPiece, match="'no-such-thing'"):
        twin("no-such-thing", "x")
    with pytest.raises(MissingPiece, match="has \\['inverse'\\]"):
        twin("inverse-2x2", "no-such-twin")


def matrix(panel: derive.widgets.Panel) -> np.ndarray:
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
