"""``derive practice`` driven through standard input, as a candidate would type, and the record
it leaves. The expected answers are computed here from the exercise's inputs with exact
fractions (and NumPy for a check), independently of the checker that judges them."""

from __future__ import annotations

import io
import sqlite3
import subprocess
import sys
from contextlib import closing
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from derive.commands.cli import main
from derive.render.exercises import exercise_for

SEED = 1


def inputs(identifier: str) -> dict[str, list[list[Fraction]] | Fraction]:
    """The exercise's inputs as exact fractions (matrices as lists of rows)."""
    out: dict[str, list[list[Fraction]] | Fraction] = {}
    for name, value in exercise_for(identifier, SEED).inputs.items():
        if hasattr(value, "tolist"):
            out[name] = [[Fraction(str(v)) for v in row] for row in value.tolist()]
        else:
            out[name] = Fraction(str(value))
    return out


def determinant() -> Fraction:
    A = inputs("determinant-trace-2x2")["A"]
    assert isinstance(A, list)
    value = A[0][0] * A[1][1] - A[0][1] * A[1][0]
    assert float(value) == pytest.approx(np.linalg.det(np.array(A, dtype=float)))
    return value


def inverse(sign: int = -1) -> str:
    """A⁻¹ as a matrix literal; ``sign=+1`` makes the recorded 'ad + bc' mistake."""
    A = inputs("inverse-2x2")["A"]
    assert isinstance(A, list)
    (a, b), (c, d) = A
    det = a * d + sign * b * c
    rows = [[d / det, -b / det], [-c / det, a / det]]
    if sign == -1:
        assert np.allclose(np.array(rows, dtype=float), np.linalg.inv(np.array(A, dtype=float)))
    return "[" + ", ".join("[" + ", ".join(str(v) for v in row) + "]" for row in rows) + "]"


def bayes() -> Fraction:
    v = inputs("bayes-theorem")
    p, s, f = v["p"], v["s"], v["f"]
    assert isinstance(p, Fraction)
    assert isinstance(s, Fraction)
    assert isinstance(f, Fraction)
    return p * s / (p * s + f * (1 - p))


def practice(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], typed: str, *args: str
) -> tuple[int, str, str]:
    """Run ``derive practice ARGS`` with ``typed`` on standard input."""
    monkeypatch.setattr(sys, "stdin", io.StringIO(typed))
    status = main(["practice", "--seed", str(SEED), *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def record(folder: Path, query: str) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(folder / "practice.sqlite3")) as db:
        return db.execute(query).fetchall()


def test_right_answer(monkeypatch, capsys, data_dir) -> None:
    status, out, err = practice(
        monkeypatch, capsys, f"{determinant()}\n\n", "determinant-trace-2x2"
    )
    assert status == 0
    assert err == ""
    assert f"✓ right: {determinant()}" in out
    assert "Score: 1 of 1 right" in out
    assert record(data_dir, "SELECT drill, verdict, line FROM attempts") == [
        ("determinant-trace-2x2", "right", None)
    ]
    assert record(data_dir, "SELECT drill, box FROM boxes") == [("determinant-trace-2x2", 2)]


def test_wrong_at_a_known_line(monkeypatch, capsys, data_dir) -> None:
    """Working whose first two lines are right and whose third is off by one: line 3 is
    named (without the value of line 2, which is the answer); then the end of input ends the
    session with its summary."""
    value = determinant()
    typed = f"det(A)\n= {value}\n= {value + 1}\n\n"
    status, out, _ = practice(monkeypatch, capsys, typed, "determinant-trace-2x2")
    assert status == 0
    assert f"✗ line 3 does not follow from line 2: {value + 1}" in out
    assert "line 2 =" not in out
    assert "unfinished" in out
    assert "Score: 0 of 1 right" in out
    assert record(data_dir, "SELECT verdict, line FROM attempts") == [("wrong", 3)]
    assert record(data_dir, "SELECT outcome, tries FROM exercises") == [("unfinished", 1)]


def test_recorded_mistake_is_named(monkeypatch, capsys, data_dir) -> None:
    """1/(ad + bc) · adj(A) is the catalog's 'determinant sign' mistake at these inputs."""
    typed = f"{inverse(sign=+1)}\n\n{inverse()}\n\n"
    status, out, _ = practice(monkeypatch, capsys, typed, "inverse-2x2")
    assert status == 0
    assert "✗ line 1 does not equal the answer" in out
    assert "recorded mistake: determinant sign" in out
    assert "✓ right" in out
    assert record(data_dir, "SELECT verdict, diagnosis FROM attempts") == [
        ("wrong", "determinant sign"),
        ("right", None),
    ]
    # right only at the second try: back to box 1
    assert record(data_dir, "SELECT outcome, tries FROM exercises") == [("right", 2)]
    assert record(data_dir, "SELECT box FROM boxes") == [(1,)]


def test_hint_then_right(monkeypatch, capsys, data_dir) -> None:
    typed = f"?\n?\n{float(bayes()):.4f}\n\n"
    status, out, _ = practice(monkeypatch, capsys, typed, "bayes-theorem")
    assert status == 0
    assert "hint 1 of" in out
    assert "hint 2 of" in out
    assert "hint 3 of" not in out
    assert f"✓ right: {float(bayes()):.4f}" in out
    assert f"exact answer: {bayes()}" in out
    assert record(data_dir, "SELECT outcome, hints, tries FROM exercises") == [("right", 2, 1)]
    assert record(data_dir, "SELECT box FROM boxes") == [(1,)]  # hints: the box stays


def test_decimal_outside_the_tolerance_is_wrong(monkeypatch, capsys) -> None:
    shown = f"{float(bayes()) * 1.01:.4f}"  # 1 % off: wrong at 3 significant digits
    _status, out, _ = practice(monkeypatch, capsys, f"{shown}\n\n", "bayes-theorem")
    assert f"✗ line 1 does not equal the answer: {shown}" in out


def test_give_up_shows_the_worked_solution(monkeypatch, capsys, data_dir) -> None:
    status, out, _ = practice(monkeypatch, capsys, "!\n", "inverse-2x2")
    assert status == 0
    assert "Worked solution:" in out
    assert "inv(A) = 1/(a*d - b*c)*[[d, -b], [-c, a]]" in out
    assert f"= {inverse()}" in out
    assert record(data_dir, "SELECT outcome FROM exercises") == [("gave up",)]
    assert record(data_dir, "SELECT box FROM boxes") == [(1,)]


def test_garbage_is_one_line_and_not_an_attempt(monkeypatch, capsys, data_dir) -> None:
    typed = f"(1 + \nfoo(2)\n\n{determinant()}\n\n"
    status, out, err = practice(monkeypatch, capsys, typed, "determinant-trace-2x2")
    assert status == 0
    assert err == ""
    assert "line 1, column 5: unexpected end of input" in out
    assert "Traceback" not in out
    assert "✓ right" in out
    # the unreadable working is kept, but is not a try
    assert record(data_dir, "SELECT verdict FROM attempts") == [("unreadable",), ("right",)]
    assert record(data_dir, "SELECT tries FROM exercises") == [(1,)]


def test_end_of_input_and_quit_end_with_the_summary(monkeypatch, capsys, data_dir) -> None:
    status, out, _ = practice(monkeypatch, capsys, "", "inverse-2x2", "bayes-theorem")
    assert status == 0
    assert "Question 1 of 2" in out
    assert "Question 2 of 2" not in out
    assert "unfinished" in out
    assert "Score: 0 of 1 right" in out
    status, out, _ = practice(monkeypatch, capsys, "q\n", "inverse-2x2", "bayes-theorem")
    assert status == 0
    assert "Question 2 of 2" not in out
    assert "Score: 0 of 1 right" in out
    # unfinished questions do not move a box
    assert record(data_dir, "SELECT count(*) FROM boxes") == [(0,)]


def test_review_brings_back_what_failed(monkeypatch, capsys, data_dir) -> None:
    practice(monkeypatch, capsys, "!\n", "inverse-2x2")
    practice(monkeypatch, capsys, f"{determinant()}\n\n", "determinant-trace-2x2")
    with closing(sqlite3.connect(data_dir / "practice.sqlite3")) as db, db:  # 1.5 days later
        db.execute("UPDATE boxes SET due = due - 1.5 * 86400")
    status, out, _ = practice(monkeypatch, capsys, "", "--review")
    assert status == 0
    assert "(inverse-2x2)" in out
    assert "(determinant-trace-2x2)" not in out
    status, out, _ = practice(monkeypatch, capsys, "", "--stats")
    assert "inverse-2x2" in out
    assert "determinant-trace-2x2" in out
    assert "Due for review now: inverse-2x2" in out


def test_stats_name_the_frequent_diagnoses(monkeypatch, capsys) -> None:
    typed = f"{inverse(sign=+1)}\n\n{inverse(sign=+1)}\n\n!\n"
    practice(monkeypatch, capsys, typed, "inverse-2x2")
    status, out, _ = practice(monkeypatch, capsys, "", "--stats")
    assert status == 0
    assert "2 × determinant sign (inverse-2x2)" in out
    line = next(x for x in out.splitlines() if x.startswith("inverse-2x2"))
    assert line.split()[1:5] == ["1", "0", "0", "1"]  # asked, right, first try, gave up


def test_corrupt_record_is_moved_aside(monkeypatch, capsys, data_dir) -> None:
    data_dir.mkdir()
    (data_dir / "practice.sqlite3").write_bytes(b"this is not a database" * 100)
    status, out, err = practice(
        monkeypatch, capsys, f"{determinant()}\n\n", "determinant-trace-2x2"
    )
    assert status == 0
    assert err == ""
    notes = [line for line in out.splitlines() if line.startswith("note:")]
    assert len(notes) == 1
    assert "could not be read" in notes[0]
    assert (data_dir / "practice.sqlite3.corrupt").read_bytes().startswith(b"this is not")
    assert record(data_dir, "SELECT verdict FROM attempts") == [("right",)]


def test_missing_record_is_created_with_a_note(monkeypatch, capsys, data_dir) -> None:
    _, out, _ = practice(monkeypatch, capsys, "", "--stats")
    assert out.startswith("note: started a new practice record at")
    _, out, _ = practice(monkeypatch, capsys, "", "--stats")
    assert "note:" not in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--count", "0"], "--count must be between 1 and 100"),
        (["inverse-2x", "--count", "1"], "did you mean 'inverse-2x2'?"),
        (["inverse-2x2", "--topic", "linear-algebra"], "not both"),
        (["--minutes", "-1"], "--minutes must be between 0 and 600"),
    ],
)
def test_bad_arguments(monkeypatch, capsys, args, message) -> None:
    status, _out, err = practice(monkeypatch, capsys, "", *args)
    assert status == 2
    assert err.count("\n") == 1
    assert message in err
    assert err.startswith("derive: error:")


def test_a_real_pipe(tmp_path: Path) -> None:
    """The installed command reading a pipe: the typed lines are echoed (a readable
    transcript), colour is off, and the exit status is 0."""
    typed = f"{determinant() + 1}\n\n{determinant()}\n\n"
    done = subprocess.run(
        [sys.executable, "-m", "derive", "practice", "determinant-trace-2x2", "--seed", "1"],
        input=typed,
        capture_output=True,
        text=True,
        timeout=120,
        env={"DERIVE_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin", "TERM": "dumb"},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "\x1b[" not in done.stdout
    assert f"> {determinant() + 1}\n" in done.stdout
    assert "✗ line 1 does not equal the answer" in done.stdout
    assert "✓ right" in done.stdout
