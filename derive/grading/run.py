"""Grading a class from start to end: read, skip what is graded, grade the rest (keeping each
result as it finishes), write the gradebook and the report.

>>> import json, pathlib, tempfile
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> (folder / "class.jsonl").write_text(json.dumps(
...     {"student": "ada", "exercise": "sq", "steps": ["(a+b)^2", "a^2+b^2"]}) + "\\n")
70
>>> outcome = grade(Options(folder / "class.jsonl", None, folder / "out", catalog=False))
>>> outcome.graded, outcome.skipped, [r.first_error for r in outcome.rows]
(1, 0, [1])
>>> grade(Options(folder / "class.jsonl", None, folder / "out", catalog=False)).graded
0
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from derive.grading import gradebook, key, report, submissions
from derive.grading.progress import Progress
from derive.grading.store import Store
from derive.grading.worker import Task


@dataclass(frozen=True)
class Options:
    """What ``derive grade`` was asked."""

    submissions: Path
    key: Path | None
    out: Path
    jobs: int = 1
    dask: str | None = None  # a scheduler address
    budget: float = 5.0  # seconds per submission
    catalog: bool = True  # name recorded catalog mistakes (warming the index once per worker)
    title: str = "Class report"


@dataclass(frozen=True)
class Outcome:
    """What a run did."""

    graded: int  # graded now
    skipped: int  # already in graded.jsonl
    rows: tuple[gradebook.Row, ...]
    files: tuple[Path, ...]


def tasks(options: Options) -> list[Task]:
    """A task per submission (the key's entry applied); errors name file and line."""
    entries = key.read(options.key)
    found = submissions.read(options.submissions)
    where = str(options.submissions)
    return [Task.of(s, key.entry_for(entries, s.exercise, f"{where}:{s.line}")) for s in found]


def backend(options: Options, pending: Sequence[Task]) -> Iterator[dict[str, Any]]:
    """Records of the pending tasks as they finish, from the chosen backend."""
    if options.dask is not None:
        from derive.grading import dask_backend  # Dask is imported only when asked for

        return dask_backend.grade(
            pending, options.dask, budget=options.budget, catalog=options.catalog
        )
    from derive.grading import local

    return local.grade(pending, jobs=options.jobs, budget=options.budget, catalog=options.catalog)


def _failed(record: dict[str, Any]) -> bool:
    """Whether the checker failed on it (an internal error, or a stuck process): such a
    submission is graded again by a rerun."""
    return str(record.get("error") or "").startswith("internal error")


def grade(options: Options) -> Outcome:
    """Grade what is not graded yet, then write the gradebook and the report."""
    all_tasks = tasks(options)
    store = Store(options.out / "graded.jsonl")
    kept = store.load()
    pending, seen = [], set()
    for task in all_tasks:
        cell = (task.digest, task.key)
        if (cell not in kept or _failed(kept[cell])) and cell not in seen:
            seen.add(cell)
            pending.append(task)
    progress = Progress(len(pending))
    try:
        with store:
            for record in backend(options, pending) if pending else ():
                store.add(record)
                kept[record["digest"], record["key"]] = record
                progress.advance()
    finally:
        progress.close()
    records = [kept[t.digest, t.key] for t in all_tasks]
    table = gradebook.rows(records)
    files = gradebook.write(table, options.out)
    page = gradebook.write_text(options.out / "report.html", report.html(table, options.title))
    return Outcome(len(pending), len(all_tasks) - len(pending), tuple(table), (*files, page))
