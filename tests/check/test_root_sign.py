"""``√`` as people type it: ``√42``, ``√x``, ``√(x + 1)``, ``2√3``; the reading is shown, and a
bare ``√`` is a one-line error. Verdicts are facts of arithmetic, known by hand."""

from __future__ import annotations

import pytest

import derive


@pytest.mark.parametrize(
    ("steps", "verdict", "read"),
    [
        (["√42", "sqrt(42)"], "correct", "sqrt(42)"),
        (["2√3", "sqrt(12)"], "correct", "2*sqrt(3)"),
        (["√2x", "sqrt(2)*x"], "correct", "sqrt(2)*x"),
        (["√(x^2)", "x"], "correct", "sqrt(x^2)"),
        (["√x √x", "x"], "correct", "sqrt(x)*sqrt(x)"),
        (["√8", "3"], "incorrect", "sqrt(8)"),
    ],
)
def test_the_root_sign_is_read_as_shown(steps: list[str], verdict: str, read: str) -> None:
    result = derive.check(steps, given={"x": "positive"})
    assert result.error is None
    assert result.verdict == verdict
    assert result.read[0] == read


@pytest.mark.parametrize("step", ["√", "√ 2", "√+1"])
def test_a_root_sign_without_its_operand_is_one_line(step: str) -> None:
    result = derive.check([step, "1"])
    assert result.verdict == "unknown"
    assert result.error is not None
    assert "√ takes a number, a name or a bracket right after it" in result.error
