"""Exercises and interview-prep sheets: answers exact, confirmed by the reference, reproducible."""

from __future__ import annotations

import dataclasses
import re
import subprocess
from pathlib import Path

import numpy as np
import pytest
import sympy as sp

from derive.catalog import get, ids
from derive.commands.cli import main
from derive.numeric.twin import Reference
from derive.render.exercises import TEMPLATES, ExerciseError, exercise, exercise_for
from tests.conftest import require_tool

ALL = list(ids())


@pytest.mark.parametrize("name", ALL)
@pytest.mark.parametrize("seed", [0, 1])
def test_every_derivation_gets_a_confirmed_exercise(name: str, seed: int) -> None:
    ex = exercise_for(name, seed)
    d = get(name)
    twin = d.twins[0] if name not in TEMPLATES or not TEMPLATES[name].twin else None
    assert ex.confirmed_by in {t.reference.name for t in d.twins}
    assert ex.error <= max(t.rtol for t in d.twins) + 1e-9 or twin is None
    assert ex.question
    assert ex.answer
    assert ex.plain
    assert ex.inputs
    assert exercise(d, seed) == ex  # same seed, same exercise


def test_inverse_answer_is_exact_and_matches_numpy() -> None:
    ex = exercise_for("inverse-2x2", 4)
    A = ex.inputs["A"]
    assert isinstance(ex.value, sp.MatrixBase)
    assert ex.value * A == sp.eye(2)  # exact, not approximately
    np.testing.assert_allclose(
        np.array(ex.value.tolist(), dtype=float), np.linalg.inv(np.array(A.tolist(), dtype=float))
    )
    assert all(abs(int(v)) <= 5 for v in A)  # small, hand-friendly inputs


def test_seeds_give_different_exercises() -> None:
    drawn = {exercise_for("inverse-2x2", seed).plain for seed in range(6)}
    assert len(drawn) >= 4


def test_a_reference_that_disagrees_is_caught() -> None:
    d = get("inverse-2x2")
    wrong = Reference("transpose instead of inverse", lambda A: np.swapaxes(A, -1, -2))
    twin = dataclasses.replace(d.twins[0], reference=wrong)
    with pytest.raises(ExerciseError, match="transpose instead of inverse"):
        exercise(dataclasses.replace(d, twins=(twin,)), 0)


def test_no_admissible_input_is_an_error() -> None:
    d = get("inverse-2x2")
    twin = dataclasses.replace(d.twins[0], valid=lambda A: np.zeros(A.shape[:-2], dtype=bool))
    with pytest.raises(ExerciseError, match="no admissible input"):
        exercise(dataclasses.replace(d, twins=(twin,)), 0)


def _pdf_text(pdf: Path) -> str:
    text = subprocess.run(
        [require_tool("pdftotext"), str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    # Math minus signs as ASCII, like ``plain`` below; TeX typesets ' as a right quote.
    return text.replace("−", "-").replace("’", "'")


def test_sheet_pdf_has_questions_and_answers(tmp_path: Path) -> None:
    require_tool("pdflatex")
    out = tmp_path / "sheet.pdf"
    assert main(["sheet", "--all", "--seed", "7", "--answers", "--out", str(out)]) == 0
    text = " ".join(_pdf_text(out).split())
    assert "Interview-prep sheet" in text
    assert "Answer key" in text
    for name in ALL:
        d = get(name)
        assert " ".join(d.title.split()) in text
        ex = exercise_for(name, 7)
        for shown in re.findall(r"\\approx \(?([^$)]+)", ex.answer):  # decimals as printed
            first = shown.split(", ")[0]
            if "times" not in first:
                assert first.replace("-", "−") in text, (name, first)
        assert re.fullmatch(r"\$[^$]+\$", ex.answer)  # the key's (b) is maths, nothing else
    assert text.count("confirmed by") == len(ALL)
    assert f"confirmed by {exercise_for('inverse-2x2', 7).confirmed_by}" in text
    first_question = " ".join(get(ALL[0]).interview.question.split())[:40]
    assert first_question in text


def test_sheet_without_answers_has_no_key(tmp_path: Path) -> None:
    require_tool("pdflatex")
    out = tmp_path / "q.pdf"
    assert main(["sheet", "--topic", "linear-algebra", "--out", str(out)]) == 0
    text = _pdf_text(out)
    assert "Answer key" not in text
    assert "confirmed by" not in text


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    require_tool("pdflatex")
    a, b, c = tmp_path / "a.pdf", tmp_path / "b.pdf", tmp_path / "c.pdf"
    assert main(["sheet", "--seed", "3", "--answers", "--out", str(a)]) == 0
    assert main(["sheet", "--seed", "3", "--answers", "--out", str(b)]) == 0
    assert main(["sheet", "--seed", "4", "--answers", "--out", str(c)]) == 0
    assert a.read_bytes() == b.read_bytes()
    assert a.read_bytes() != c.read_bytes()


def test_sheet_renders_to_png(tmp_path: Path) -> None:
    require_tool("pdflatex")
    pdftoppm = require_tool("pdftoppm")
    out = tmp_path / "sheet.pdf"
    assert main(["sheet", "--seed", "1", "--answers", "--out", str(out)]) == 0
    subprocess.run(
        [pdftoppm, "-r", "50", "-png", "-f", "1", "-l", "1", str(out), str(tmp_path / "p")],
        check=True,
    )
    png = next(tmp_path.glob("p*.png"))
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert png.stat().st_size > 5000


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["sheet", "--out", "x.txt"], "must name a .pdf"),
        (["sheet", "--seed", "-1", "--out", "x.pdf"], "--seed must be at least 0"),
        (["sheet", "--all", "--topic", "linear-algebra", "--out", "x.pdf"], "not allowed with"),
        (["sheet", "--topic", "algebra", "--out", "x.pdf"], "invalid choice"),
    ],
)
def test_sheet_usage_errors(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err
    assert err.count("\n") == 1
