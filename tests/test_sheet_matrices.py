"""The sheets' interview questions and answers write matrices as matrices, not nested lists."""

from __future__ import annotations

import pytest

from derive.catalog import get, ids
from derive.render.matrices import matrix_prose
from derive.render.sheet import sheet_latex


@pytest.mark.parametrize("name", ids())
def test_no_nested_list_left_in_a_sheet(name: str) -> None:
    source = sheet_latex([get(name)], seed=7, answers=True)
    assert "[[" not in source
    assert "sqrt(" not in source


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[[1, 2], [3, 4]]", r"1 & 2\\ 3 & 4"),
        ("[[−1/6, 0.5]]", r"-\tfrac{1}{6} & 0.5"),
        ("[[−sqrt(2)/2, 12·x²]]", r"-\tfrac{\sqrt{2}}{2} & 12x^{2}"),
    ],
)
def test_entries_are_typeset(text: str, expected: str) -> None:
    assert expected in matrix_prose(text)


@pytest.mark.parametrize("text", ["[[1, 2], [3]]", "[[a + b, 1]]", "[[1, f(x)]]"])
def test_an_unreadable_literal_stays_text(text: str) -> None:
    assert "smallmatrix" not in matrix_prose(text)
    assert "[" in matrix_prose(text)
