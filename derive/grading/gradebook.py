"""The gradebook: one row per student and exercise (the latest submission counts), as CSV and
JSON.

>>> record = {"student": "ada", "exercise": "sq", "steps": ["(a+b)^2", "a^2+b^2"],
...           "checked": 2, "verdict": "incorrect", "score": 0.0, "first_error": 1,
...           "error": None, "pairs": [{"from": 0, "to": 1, "verdict": "refuted",
...           "diagnosis": "a term dropped: 2*a*b"}]}
>>> row = rows([record])[0]
>>> row.score, row.first_error, row.line, row.mistake
(0.0, 1, 'a^2+b^2', 'a term dropped')

``score`` is the checker's partial credit with the error carried forward (every step is judged
against the one before it, so a correct step after a wrong one still counts); ``first_error``
is the 0-based line of the first wrong step (the student's last line + 1 when only the final
answer disagrees with the key).
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from statistics import fmean
from typing import Any

from derive.core.errors import UsageError
from derive.grading.mistakes import first_error


@dataclass(frozen=True)
class Row:
    """One student's grade on one exercise."""

    student: str
    exercise: str
    score: float
    verdict: str
    first_error: int | None
    line: str | None  # the text of the first wrong line
    mistake: str | None  # its kind (see derive.grading.mistakes)
    diagnosis: str | None
    attempts: int


def line_text(record: dict[str, Any], line: int | None) -> str | None:
    """What the student wrote at ``line`` (the key's answer is a line after their last)."""
    steps = record["steps"]
    if line is None:
        return None
    if line < len(steps):
        return str(steps[line])
    return f"{steps[-1]} (the final answer does not match the key)"


def rows(records: Iterable[dict[str, Any]]) -> list[Row]:
    """Rows from graded records in submission order: a later submission for the same student
    and exercise replaces an earlier one (``attempts`` counts them)."""
    latest: dict[tuple[str, str], dict[str, Any]] = {}
    attempts: Counter[tuple[str, str]] = Counter()
    for record in records:
        cell = (record["student"], record["exercise"])
        latest.pop(cell, None)  # keep the order of the latest submissions
        latest[cell] = record
        attempts[cell] += 1
    out = []
    for cell, record in sorted(latest.items()):
        line, mistake, diagnosis = first_error(record)
        out.append(
            Row(
                record["student"],
                record["exercise"],
                round(float(record["score"]), 4),
                record["verdict"] if not record.get("error") else "unreadable",
                line,
                line_text(record, line),
                mistake,
                diagnosis,
                attempts[cell],
            )
        )
    return out


def as_csv(table: Sequence[Row]) -> str:
    """The gradebook as CSV (a header, then one row per student and exercise)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([f.name for f in fields(Row)])
    for row in table:
        writer.writerow(["" if v is None else v for v in asdict(row).values()])
    return out.getvalue()


def as_json(table: Sequence[Row]) -> dict[str, Any]:
    """The gradebook as JSON: the rows, and each student's and exercise's mean score."""
    students: dict[str, list[float]] = {}
    exercises: dict[str, list[Row]] = {}
    for row in table:
        students.setdefault(row.student, []).append(row.score)
        exercises.setdefault(row.exercise, []).append(row)
    return {
        "rows": [asdict(row) for row in table],
        "students": {
            s: {"exercises": len(scores), "mean_score": round(fmean(scores), 4)}
            for s, scores in students.items()
        },
        "exercises": {
            e: {
                "students": len(group),
                "mean_score": round(fmean(r.score for r in group), 4),
                "correct": sum(r.verdict == "correct" for r in group),
            }
            for e, group in exercises.items()
        },
    }


def write_text(path: Path, text: str) -> Path:
    """Write a file, creating its folder; one that cannot be written is a UsageError."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise UsageError(f"cannot write {path}: {error.strerror or error}") from None
    return path


def write(table: Sequence[Row], folder: Path) -> tuple[Path, Path]:
    """Write ``gradebook.csv`` and ``gradebook.json`` in ``folder``."""
    text = json.dumps(as_json(table), indent=2, ensure_ascii=False) + "\n"
    return (
        write_text(folder / "gradebook.csv", as_csv(table)),
        write_text(folder / "gradebook.json", text),
    )
