"""The practice loop with injected input, output and clock; the Leitner schedule; every
catalog exercise answerable."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path

import pytest
import sympy as sp

from derive.catalog import CATALOG, get
from derive.practice import Session, Store, drill, judge
from derive.practice.drills import NoExercise
from derive.practice.store import DAY
from derive.render.exercises import exercise_for


def scripted(*lines: str | BaseException) -> Callable[[str], str]:
    """``read`` giving ``lines`` in turn (an exception is raised), then end of input."""
    feed: Iterator[str | BaseException] = iter(lines)

    def read(_prompt: str) -> str:
        item = next(feed, EOFError())
        if isinstance(item, BaseException):
            raise item
        return item

    return read


def run(*lines: str | BaseException, **options) -> tuple[list[str], Session]:
    out: list[str] = []
    session = Session(
        options.pop("questions", [("determinant-trace-2x2", 1)]),
        read=scripted(*lines),
        write=lambda text, style=None: out.append(text),
        **options,
    )
    session.run()
    return out, session


def test_ctrl_c_at_the_prompt_ends_with_the_summary(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    store = Store(tmp_path / "p.sqlite3")
    request.addfinalizer(store.close)
    out, session = run("?", KeyboardInterrupt(), store=store)
    assert out[-1] == "Score: 0 of 1 right"
    assert [r.outcome for r in session.records] == ["unfinished"]
    assert [(r.hints, r.tries) for r in session.records] == [(1, 0)]
    assert store.box("determinant-trace-2x2") is None  # unfinished: no box moves


def test_timed_session_stops_when_time_is_up() -> None:
    ticks = iter([0.0, 0.0, 10.0, 61.0, 61.0, 61.0])
    out, session = run(
        "?",
        "?",
        questions=[("determinant-trace-2x2", 1), ("inverse-2x2", 1)],
        minutes=1,
        clock=lambda: next(ticks, 61.0),
    )
    assert "Time is up (1 min)." in out
    assert re.search(r"\(determinant-trace-2x2\) · [01]:\d\d left$", out[1])
    assert [r.outcome for r in session.records] == ["unfinished"]
    assert not any("Question 2" in line for line in out)
    assert "of 1 min" in out[-2]
    assert "per question" in out[-2]


def test_questions_without_an_exercise_are_skipped_with_a_note() -> None:
    missing = "no-such-exercise"

    def fake(identifier: str, seed: int):  # a plug-in derivation without a numeric twin
        if identifier == missing:
            raise NoExercise(f"{identifier} has no numeric twin, so no exercise")
        return drill(identifier, seed)

    import derive.practice.session as module

    original = module.drill
    module.drill = fake  # type: ignore[assignment]
    try:
        out, session = run("!", questions=[(missing, 1), ("determinant-trace-2x2", 1)], count=1)
    finally:
        module.drill = original
    assert f"skipped {missing}: {missing} has no numeric twin, so no exercise" in out
    assert [r.id for r in session.records] == ["determinant-trace-2x2"]
    assert "Question 1 of 1 · Determinant and trace of a 2×2 matrix (determinant-trace-2x2)" in out


def test_schedule_brings_failed_back_before_passed(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    store = Store(tmp_path / "p.sqlite3")
    request.addfinalizer(store.close)
    # both seen at time 0: one passed at the first try, one given up
    store.finish("bernoulli", 1, "right", hints=0, tries=1, seconds=5, now=0)
    store.finish("inverse-2x2", 1, "gave up", hints=1, tries=0, seconds=5, now=0)
    assert store.due(now=0.5 * DAY) == []
    assert store.due(now=1.5 * DAY) == ["inverse-2x2"]  # the failed one first, alone
    assert store.due(now=3.5 * DAY) == ["inverse-2x2", "bernoulli"]
    # passing it again and again moves it up; failing drops it to box 1
    for day in (2, 5, 12):
        store.finish("inverse-2x2", 1, "right", hints=0, tries=1, seconds=5, now=day * DAY)
    assert store.box("inverse-2x2") == 4
    store.finish("inverse-2x2", 1, "right", hints=0, tries=2, seconds=5, now=30 * DAY)
    assert store.box("inverse-2x2") == 1
    store.close()
    with Store(tmp_path / "p.sqlite3") as reopened:
        assert reopened.note is None
        assert reopened.box("bernoulli") == 2


def test_a_foreign_database_is_not_mistaken_for_the_record(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "p.sqlite3"
    with closing(sqlite3.connect(path)) as db, db:
        db.execute("CREATE TABLE other (x)")
    with Store(path) as store:
        assert store.note is not None
        assert "not a derive practice record" in store.note
    assert (tmp_path / "p.sqlite3.corrupt").exists()


def test_eigenvalues_in_any_order() -> None:
    A = sp.Matrix(exercise_for("eigenvalues-2x2", 1).inputs["A"])
    roots = sorted(A.eigenvals(), key=float)  # independent of the checker and the drill
    d = drill("eigenvalues-2x2", 1)
    for order in (roots, roots[::-1]):
        assert judge(d, [", ".join(map(str, order))]).right
    wrong = judge(d, [f"{roots[0]}, {roots[1] + 1}"])
    assert not wrong.right
    assert wrong.line == 1
    assert judge(d, [str(roots[0])]).unreadable  # one value where two are asked


@pytest.mark.parametrize("identifier", list(CATALOG))
def test_every_exercise_takes_its_own_answer(identifier: str) -> None:
    """The sheet's exact answer, typed in its plain form, is judged right; it is also what the
    worked solution ends with. (A derivation without a numeric twin has no exercise.)"""
    if not get(identifier).twins:
        with pytest.raises(NoExercise):
            drill(identifier, 1)
        return
    ex = exercise_for(identifier, 1)
    d = drill(identifier, 1)
    # SymPy's plain text, with its E spelled as the checker's e
    typed = re.sub(r"\bE\b", "exp(1)", ex.plain.replace("−", "-"))
    assert judge(d, [typed]).right, (typed, judge(d, [typed]).messages)
    assert d.solution[-2].startswith("  = ")
    assert d.hints, "a hint is the derivation's next step"


def test_working_is_a_chain_of_equal_values() -> None:
    """A statement would be a premise to the checker, taken as given: in practice it is
    refused, so that no equation or inequality can pass for an answer."""
    d = drill("determinant-trace-2x2", 1)
    value = det_value()
    for lines in (["0 = 0"], ["1 < 2"], [f"{value}", "< 100"], ["A x = b <=> x = 1"]):
        verdict = judge(d, lines)
        assert not verdict.right, lines
    assert "equations, inequalities" in judge(d, ["1 < 2"]).messages[0]
    # a chain on one line, and the quantity asked named first, are working
    assert judge(d, [f"det(A) = {value}"]).right
    assert judge(d, [f"D = {value}"]).right
    wrong = judge(d, [f"det(A) = {value + 1}"])
    assert wrong.line == 1
    assert "line 1 (part 2) does not follow from line 1 (part 1)" in wrong.messages[0]
    assert all(f"= {value}" not in m for m in wrong.messages)  # the answer is not given away


def det_value() -> sp.Expr:
    A = sp.Matrix(exercise_for("determinant-trace-2x2", 1).inputs["A"])
    return A[0, 0] * A[1, 1] - A[0, 1] * A[1, 0]


def test_a_short_decimal_is_told_the_digits_it_needs() -> None:
    v = exercise_for("bayes-theorem", 1).inputs
    answer = v["p"] * v["s"] / (v["p"] * v["s"] + v["f"] * (1 - v["p"]))  # exact, here
    two = f"{float(answer):.2g}"  # two significant digits: outside the stated tolerance
    verdict = judge(drill("bayes-theorem", 1), [two])
    assert not verdict.right
    assert f"needs 3 significant digits; {two} has 2" in verdict.messages[-1]
    assert judge(drill("bayes-theorem", 1), [f"{float(answer):.3g}"]).right
