"""The practice worksheet panel driven from Python: type working, press the buttons, read what
the outputs show (the answers computed here from the exercise's inputs)."""

from __future__ import annotations

import re
from fractions import Fraction

import pytest

from derive.render.exercises import exercise_for
from derive.widgets.common import MissingPiece, message_of
from derive.widgets.practice import practice


def det(seed: int) -> Fraction:
    rows = exercise_for("determinant-trace-2x2", seed).inputs["A"].tolist()
    A = [[Fraction(str(v)) for v in row] for row in rows]
    return A[0][0] * A[1][1] - A[0][1] * A[1][0]


def text(widget) -> str:
    return re.sub(r"<[^>]+>", " ", widget.value)


def test_check_hint_solution_next_and_the_score() -> None:
    panel = practice(["determinant-trace-2x2", "inverse-2x2"], seed=3)
    out = panel.outputs
    assert 'data-id="determinant-trace-2x2" data-seed="3"' in out["question"].value
    assert 'data-right="0" data-asked="1"' in out["score"].value
    panel.inputs["working"].value = f"det(A)\n= {det(3) + 1}"
    assert 'data-verdict="wrong" data-line="2"' in out["verdict"].value
    assert "line 2 does not follow from line 1" in text(out["verdict"])
    out["hint_button"].click()
    out["hint_button"].click()
    assert "hint 1 of" in text(out["hints"])
    assert "hint 2 of" in text(out["hints"])
    panel.inputs["working"].value = f"det(A)\n= {det(3)}"
    assert 'data-verdict="right"' in out["verdict"].value
    assert 'data-right="1" data-asked="1"' in out["score"].value
    out["check_button"].click()  # checking again does not count twice
    assert 'data-right="1" data-asked="1"' in out["score"].value
    out["next_button"].click()
    assert 'data-id="inverse-2x2"' in out["question"].value
    assert out["verdict"].value == ""
    assert out["hints"].value == ""
    assert panel.inputs["working"].value == ""
    out["solution_button"].click()
    assert "Worked solution" in out["solution"].value
    assert "inv(A) = 1/(a*d - b*c)*[[d, -b], [-c, a]]" in text(out["solution"])
    out["next_button"].click()
    assert 'data-right="1" data-asked="3"' in out["score"].value
    assert 'data-id="determinant-trace-2x2"' in out["question"].value  # round again


def test_unreadable_working_is_a_message_not_a_verdict() -> None:
    panel = practice(["determinant-trace-2x2"], seed=3)
    panel.inputs["working"].value = "(1 +"
    assert "line 1, column 5" in (message_of(panel.outputs["message"]) or "")
    panel.inputs["working"].value = str(det(3))
    assert message_of(panel.outputs["message"]) is None
    assert 'data-verdict="right"' in panel.outputs["verdict"].value


def test_unknown_id_is_named() -> None:
    with pytest.raises(MissingPiece, match="'inverse-2x'"):
        practice(["inverse-2x"])
