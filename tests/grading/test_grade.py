"""``derive grade`` on a generated class with planted mistakes: scores, first errors and the
report's most common mistakes are what was planted, with one job and with two."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.grading.classroom import EXERCISES, Planted
from tests.grading.conftest import grade


@pytest.fixture(scope="module", params=["1", "2"], ids=["jobs1", "jobs2"])
def graded(
    request: pytest.FixtureRequest,
    graded_one: Path,
    class_files: tuple[Path, Path],
    tmp_path_factory: pytest.TempPathFactory,
) -> Path:
    if request.param == "1":
        return graded_one
    out = tmp_path_factory.mktemp("jobs2")
    grade(class_files, out, "--jobs", request.param)
    return out


def _rows(folder: Path) -> dict[tuple[str, str], dict[str, Any]]:
    import json

    book = json.loads((folder / "gradebook.json").read_text())
    return {(r["student"], r["exercise"]): r for r in book["rows"]}


def test_every_score_and_first_error_is_the_planted_one(
    graded: Path, planted: list[Planted]
) -> None:
    rows = _rows(graded)
    assert len(rows) == len(planted)
    wrong = []
    for p in planted:
        row = rows[p.student, p.exercise.id]
        got = (row["score"], row["first_error"], row["mistake"])
        want = (round(p.variant.score, 4), p.variant.first_error, p.variant.mistake)
        if got != want:
            wrong.append((p.exercise.id, p.variant.name, got, want))
    assert not wrong, wrong[:5]


def test_the_verdicts_follow_the_planted_mistakes(graded: Path, planted: list[Planted]) -> None:
    rows = _rows(graded)
    verdicts = Counter(rows[p.student, p.exercise.id]["verdict"] for p in planted)
    expected = Counter(
        "correct" if p.variant.mistake is None
        else "unreadable" if not p.variant.readable
        else "incorrect"
        for p in planted
    )  # fmt: skip
    assert verdicts == expected


def _report(folder: Path) -> dict[str, list[tuple[str, int]]]:
    """Per exercise, the mistakes the report lists, in its order, with their counts."""
    text = (folder / "report.html").read_text()
    found = {}
    for section in re.findall(r'<section class="exercise" id="([^"]+)">(.*?)</section>', text):
        identifier, body = section
        found[identifier] = [
            (kind, int(count))
            for kind, count in re.findall(
                r'<tr class="mistake" data-kind="([^"]+)" data-count="(\d+)">', body
            )
        ]
    return found


def test_the_report_puts_the_planted_mistakes_first(graded: Path) -> None:
    import html

    report = _report(graded)
    assert set(report) == {e.id for e in EXERCISES}
    for exercise in EXERCISES:
        listed = [(html.unescape(kind), count) for kind, count in report[exercise.id]]
        planted = sorted(
            ((v.mistake, v.count) for v in exercise.variants if v.mistake),
            key=lambda item: (-item[1], item[0]),
        )
        assert listed == planted
        assert listed[0] == (exercise.top.mistake, exercise.top.count)


def test_the_report_shows_where_students_go_wrong(graded: Path) -> None:
    text = (graded / "report.html").read_text()
    for exercise in EXERCISES:
        body = text.split(f'id="{exercise.id}">', 1)[1].split("</section>", 1)[0]
        lines = [
            (int(a), int(b)) for a, b in re.findall(r'data-line="(\d+)" data-count="(\d+)"', body)
        ]
        at = Counter()
        for v in exercise.variants:
            if v.first_error is not None:
                at[v.first_error] += v.count
        assert lines == sorted(at.items(), key=lambda item: (-item[1], item[0]))


def test_the_report_is_self_contained(graded: Path) -> None:
    text = (graded / "report.html").read_text()
    assert text.count("<svg") == 1 + len(EXERCISES)  # the overview and a chart per exercise
    assert "<script" not in text
    assert "<link" not in text
    assert re.findall(r"(?:src|href)=", text) == []
    assert set(re.findall(r"https?://[^\"' ]+", text)) == {"http://www.w3.org/2000/svg"}


def test_the_csv_has_a_row_per_student_and_exercise(graded: Path, planted: list[Planted]) -> None:
    rows = list(csv.DictReader(io.StringIO((graded / "gradebook.csv").read_text())))
    assert len(rows) == len(planted)
    assert list(rows[0]) == [
        "student", "exercise", "score", "verdict", "first_error", "line", "mistake",
        "diagnosis", "attempts",
    ]  # fmt: skip
    by_cell = {(r["student"], r["exercise"]): r for r in rows}
    for p in planted:
        row = by_cell[p.student, p.exercise.id]
        assert float(row["score"]) == pytest.approx(p.variant.score, abs=1e-4)
        first = p.variant.first_error
        assert row["first_error"] == ("" if first is None else str(first))
        if first is not None and first < len(p.variant.steps):
            assert row["line"] == p.variant.steps[first]


def test_one_job_and_two_give_the_same_gradebook(graded: Path, graded_one: Path) -> None:
    assert (graded / "gradebook.json").read_text() == (graded_one / "gradebook.json").read_text()
    assert (graded / "report.html").read_text() == (graded_one / "report.html").read_text()
