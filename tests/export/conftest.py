"""Fixtures: a sample of the catalog exported once per session (every question type), and a
reader of the LaTeX numbers in the exported text, independent of derive's code."""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path

import pytest

from derive.commands.cli import main

# numerical (scalars), cloze (a matrix, a vector, eigenvalues), multichoice (matrix, vector)
SAMPLE = (
    "dot-product",
    "bayes-theorem",
    "matrix-product-entries",
    "eigenvalues-2x2",
    "normal-equation",
    "inverse-2x2",
    "linear-system-2x2",
)
COUNT = 2
SEED = 5


@pytest.fixture(scope="session")
def moodle_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("moodle") / "quiz.xml"
    args = ["--count", str(COUNT), "--seed", str(SEED), "--out", str(out)]
    assert main(["export", "moodle", *SAMPLE, *args]) == 0
    return out


@pytest.fixture(scope="session")
def qti_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("qti") / "quiz.zip"
    args = ["--count", str(COUNT), "--seed", str(SEED), "--out", str(out)]
    assert main(["export", "qti", *SAMPLE, *args]) == 0
    return out


NUMBER = re.compile(r"^(-)?\s*(?:\\frac\{(\d+)\}\{(\d+)\}|(\d+(?:\.\d+)?))$")


def number(latex: str) -> Fraction:
    """An integer, decimal or ``\\frac{p}{q}`` (optionally negative) as a Fraction."""
    m = NUMBER.match(latex.strip())
    assert m, f"not a plain number: {latex!r}"
    sign = -1 if m.group(1) else 1
    if m.group(2):
        return sign * Fraction(int(m.group(2)), int(m.group(3)))
    return sign * Fraction(m.group(4))


def matrix(latex: str) -> list[list[Fraction]]:
    """The entries of ``\\left[\\begin{matrix}…\\end{matrix}\\right]``."""
    m = re.search(r"\\begin\{matrix\}(.*?)\\end\{matrix\}", latex, re.S)
    assert m, f"no matrix in {latex!r}"
    return [[number(c) for c in row.split("&")] for row in m.group(1).split(r"\\")]


def given(latex_text: str, name: str) -> list[list[Fraction]] | Fraction:
    """The value given for ``name`` in a question (``name = <matrix or number>``)."""
    m = re.search(
        rf"(?<![A-Za-z\\]){re.escape(name)} = (\\left\[\\begin\{{matrix\}}.*?\\end\{{matrix\}}"
        r"\\right\]|-?\s*\\frac\{\d+\}\{\d+\}|-?\d+(?:\.\d+)?)",
        latex_text,
    )
    assert m, f"{name} is not given in {latex_text!r}"
    value = m.group(1)
    return matrix(value) if value.startswith(r"\left[") else number(value)
