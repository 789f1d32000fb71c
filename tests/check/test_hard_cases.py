"""Hard cases of the learner checker: Cookbook-size matrix derivatives, a row vector
differentiated by a vector, limits by cost, powers at non-real points, diagnoses that fit the
values they print, and ``against`` with a single step."""

from __future__ import annotations

import pytest

from derive.checker.api import check, check_data
from derive.checker.diagnose import Case, diagnose
from derive.checker.engine import Session, Settings, TreeOperand
from derive.checker.parser import parse_chain

# -- diagnoses consistent with the values they print ------------------------------------


@pytest.mark.parametrize("seed", [2, 3, 8, 17])
def test_no_constant_factor_for_values_of_opposite_sign(seed: int) -> None:
    # at these seeds the first usable points all have x + 100 > 0 (the sides agree there), and
    # the counterexample is where they have opposite signs: a "1 times" diagnosis was printed
    session = Session({}, settings=Settings(seed=seed))
    before, after = (TreeOperand(session, t) for t in parse_chain("abs(x + 100) = x + 100"))
    comparison = session.compare(before, after)
    assert comparison.status == "refuted"
    case = Case(session, before, after, ("step 0", "step 1"), comparison.point, (before,))
    text = diagnose(case)
    assert "times" not in text
    assert "additive" not in text
    assert text.startswith("step 1 does not equal step 0; at the counterexample")


def test_a_true_constant_factor_still_diagnosed() -> None:
    result = check(["diff(x^2, x)", "x"])
    diagnosis = result.pairs[0].diagnosis or ""
    assert diagnosis.startswith("off by a constant factor: step 1 is 1/2 times step 0")


# -- against with a single step ---------------------------------------------------------

RIGHT = "1/(a d - b c) [[d, -b], [-c, a]]"
WRONG = "1/(a d - b c) [[-d, b], [c, -a]]"


@pytest.mark.parametrize(
    ("request_", "verdict"),
    [
        ({"steps": [RIGHT], "against": "inverse-2x2"}, "correct"),
        ({"steps": [WRONG], "against": "inverse-2x2"}, "incorrect"),
        ({"claim": RIGHT, "against": "inverse-2x2"}, "correct"),
    ],
)
def test_against_with_one_step(request_: dict[str, object], verdict: str) -> None:
    result = check_data(request_)
    assert result.error is None
    assert result.verdict == verdict
    assert [(p.source, p.target) for p in result.pairs] == [(0, 1)]
    if verdict == "incorrect":
        assert result.first_error == 1
        assert "inverse-2x2" in (result.pairs[0].diagnosis or "")


def test_one_step_without_against_is_an_error() -> None:
    error = check(["x + 1"]).error
    assert error is not None
    assert "at least two steps" in error
