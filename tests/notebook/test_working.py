"""Typesetting a learner's steps (derive.render.working): a hand table of readings, and every
step of the checker's corpora accepted by KaTeX (strict) — the independent judge of the TeX."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from derive.book.katex import render
from derive.render.working import MARKS, step_latex

CORPORA = [
    Path(__file__).parents[1] / "check" / name for name in ("corpus.jsonl", "corpus_v2.jsonl")
]
MATRICES = {"X": "matrix 3 2", "theta": "vector 2", "y": "vector 3", "A": "matrix 2 2"}

# (step as typed, given, the LaTeX a person would write) — written by hand
TABLE = [
    ("diff(x^2*sin(x), x)", None, r"\frac{d}{dx}(x^{2} \sin(x))"),
    ("= 2*x*sin(x) + x^2*cos(x)", None, r"= 2 x \sin(x) + x^{2} \cos(x)"),
    (
        "diff(norm(X theta - y)^2, theta)",
        MATRICES,
        r"\nabla_{\theta} (\mathopen{\lVert}X \theta - y\mathclose{\rVert}^{2})",
    ),
    (
        "=> theta = inv(X.T X) X.T y",
        MATRICES,
        r"\Rightarrow\quad \theta = (X^{\top} X)^{-1} X^{\top} y",
    ),
    ("<=> x = 2 or x = -2", None, r"\Leftrightarrow\quad x = 2 \;\text{or}\; x = {-2}"),
    ("0 < p <= 1", None, r"0 < p \leq 1"),
    ("≈ 4.1231", None, r"\approx 4.1231"),
    ("let s = sigmoid(z)", None, r"\text{let }s = \sigma(z)"),
    ("P(A | B) = P(A and B)/P(B)", None, r"P(A \mid B) = \frac{P(A \cap B)}{P(B)}"),
    ("P(not A) = 1 - P(A)", None, r"P(A^{c}) = 1 - P(A)"),
    (
        "E[X^2] - E[X]^2 = Var(X)",
        None,
        r"\mathbb{E}[X^{2}] - \mathbb{E}[X]^{2} = \operatorname{Var}(X)",
    ),
    ("inv([[a, b], [c, d]])", None, r"\begin{bmatrix}a & b \\ c & d\end{bmatrix}^{-1}"),
    ("log(x^2) = 2 log(x)", None, r"\log(x^{2}) = 2 \log(x)"),
    ("(a + b)^2 >= 4a b", None, r"(a + b)^{2} \geq 4 a b"),
    ("a - (b - c) - (-d)", None, r"a - (b - c) - ({-d})"),
    ("x_1 + theta_0 + yhat", None, r"x_{1} + \theta_{0} + \hat{y}"),
    ("abs(1/x)", None, r"\left| \frac{1}{x} \right|"),
    ("2*(1/2)", None, r"2 \cdot \frac{1}{2}"),
    ("x + ) = 1", None, r"\texttt{x + ) = 1}"),  # unreadable: shown as typed
]


@pytest.mark.parametrize(("text", "given", "expected"), TABLE, ids=[t[0] for t in TABLE])
def test_a_step_reads_as_a_person_writes_it(
    text: str, given: dict[str, str] | None, expected: str
) -> None:
    assert step_latex(text, given) == expected


def corpus_steps() -> list[tuple[str, dict[str, str]]]:
    steps = []
    for path in CORPORA:
        for row in map(json.loads, path.read_text(encoding="utf-8").splitlines()):
            request = row.get("request", row)
            given = request.get("given", {})
            for text in request.get("steps") or [request.get("claim", "")]:
                if isinstance(text, str) and text:
                    steps.append((text, given))
    return steps


def test_katex_accepts_every_corpus_step() -> None:
    steps = corpus_steps()
    assert len(steps) > 1000
    formulas = [(step_latex(text, given), True) for text, given in steps]
    # render raises KatexError naming the first formula KaTeX (strict mode) rejects
    assert len(render(formulas, output="mathml")) == len(formulas)
    typed_as_text = sum(f.startswith(r"\texttt") for f, _ in formulas)
    assert typed_as_text < len(formulas) // 10  # almost every step is typeset as maths


def test_every_verdict_has_words() -> None:
    assert set(MARKS) == {"proven", "numeric", "refuted", "unknown", "given", "defined"}
