"""How notation is read (version 2): a hand-written table of the cases that version 1 misread,
each with the reading a learner must be shown (``Result.read``, spaces ignored; any of a few
spellings of the same reading) and, for undeclared names, what was assumed. The verdicts of
the same notations are in corpus_v2.jsonl (rows 'notation' and 'numbers'), decided by the
independent oracle; this table checks that the interpretation is stated."""

from __future__ import annotations

from typing import Any

import pytest

from derive.checker.api import check_data

# (step, given, acceptable readings (spaces ignored), why)
READINGS: list[tuple[str, dict[str, str], set[str], str]] = [
    ("σ(x)", {}, {"sigmoid(x)"}, "σ with an argument is the logistic sigmoid"),
    (r"\sigma(x)", {}, {"sigmoid(x)"}, "so is \\sigma(x)"),
    ("σ", {}, {"sigma"}, "σ alone is a name"),
    ("7,425,000", {}, {"7425000"}, "digit groups with commas"),
    ("14{,}916", {}, {"14916"}, "LaTeX's braced comma"),
    (r"1\,000", {}, {"1000"}, "a thin space between groups"),
    ("1 000", {}, {"1000"}, "a space between groups of three"),
    ("25%", {}, {"25/100", "1/4"}, "a percentage"),
    ("2.5e-3", {}, {"2.5e-3", "1/400", "0.0025", "25/10000"}, "scientific notation"),
    (
        "E[X^2] - E[X]^2",
        {"X": "random"},
        {"E(X^2)-E(X)^2", "E[X^2]-E[X]^2"},
        "E is never a product",
    ),
    (r"\mathbb{E}[X]", {"X": "random"}, {"E(X)", "E[X]"}, "blackboard E"),
    (r"\Pr(A \mid B)", {"A": "event", "B": "event"}, {"P(A|B)"}, "\\Pr and \\mid"),
    ("P(A ∩ B)", {"A": "event", "B": "event"}, {"P(AandB)", "P(A∩B)"}, "intersection"),
    ("2Ax", {"A": "matrix 3 3", "x": "vector 3"}, {"2*A*x", "2*(A*x)"}, "shapes conform"),
    ("softmax(z)", {"z": "vector 3"}, {"softmax(z)"}, "an ML function, not a product"),
    (r"\cfrac{1}{2}", {}, {"1/2"}, "a continued-fraction \\cfrac"),
    (
        r"\left[\begin{array}{cc} 1 & 2 \\ 3 & 4 \end{array}\right]",
        {},
        {"[[1,2],[3,4]]"},
        "array inside \\left[ \\right]",
    ),
    (r"\mathrm{e}^{x}", {}, {"exp(x)", "e^x"}, "upright e is Euler's number"),
]


# step -> why its reading is not checked yet (remove when the feature lands)
PENDING: dict[str, str] = {}
RUN = [row for row in READINGS if row[0] not in PENDING]


@pytest.mark.parametrize(("step", "given", "readings", "why"), RUN, ids=[r[0] for r in RUN])
def test_a_notation_is_read_as_people_mean_it(
    step: str, given: dict[str, str], readings: set[str], why: str
) -> None:
    result = check_data({"steps": [step, step], "given": given})  # one step is not a working
    assert result.error is None, (why, result.error)
    read = result.read[0].replace(" ", "")
    assert read in readings, (why, result.read)


@pytest.mark.parametrize(
    ("steps", "assumed"),
    [
        (["σ + x", "x + σ"], {"sigma", "x"}),
        (["σ(x)", "1/(1 + exp(-x))"], {"x"}),
        (["E[X] + c", "c + E[X]"], {"c"}),
    ],
)
def test_undeclared_names_are_said_to_be_assumed_scalars(
    steps: list[str], assumed: set[str]
) -> None:
    request: dict[str, Any] = {
        "steps": steps,
        "given": {"X": "random"} if "E[X]" in steps[0] else {},
    }
    result = check_data(request)
    assert result.error is None
    assert set(result.assumed) == assumed


def test_the_pending_list_is_not_stale() -> None:
    assert set(PENDING) <= {row[0] for row in READINGS}
