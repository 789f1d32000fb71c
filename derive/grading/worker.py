"""Grading one submission: the checker's request, its result, and the record kept of it.

>>> from derive.grading.key import Entry
>>> from derive.grading.submissions import Submission
>>> task = Task.of(Submission("ada", "sq", ("(a + b)^2", "a^2 + b^2")), Entry("sq"))
>>> record = grade_here(task, budget=5.0, catalog=False)
>>> record["verdict"], record["score"], record["first_error"]
('incorrect', 0.0, 1)

A record is plain JSON (one line of ``graded.jsonl``): the submission, its digest and the key
entry's fingerprint (what a rerun matches), and the checker's verdict, ``score``,
``first_error``, ``error`` and pairs (with their diagnoses).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from derive.grading.key import Entry
from derive.grading.submissions import Submission

_warmed: set[bool] = set()


@dataclass(frozen=True)
class Task:
    """A submission to grade, with the checker request the key makes of it."""

    digest: str
    key: str  # the key entry's fingerprint
    submission: dict[str, Any]
    request: dict[str, Any]

    @classmethod
    def of(cls, submission: Submission, entry: Entry) -> Task:
        return cls(
            submission.digest,
            entry.fingerprint,
            submission.as_dict(),
            entry.request(submission.steps, submission.digest),
        )


def record(task: Task, result: dict[str, Any], ms: float) -> dict[str, Any]:
    """The record kept of a graded submission, from the checker's JSON result."""
    return {
        "digest": task.digest,
        "key": task.key,
        **task.submission,
        "checked": len(task.request["steps"]),  # the steps the checker saw (with an answer)
        "verdict": result.get("verdict", "unknown"),
        "score": float(result.get("score", 0.0)),
        "first_error": result.get("first_error"),
        "error": result.get("error"),
        "pairs": [
            {k: p.get(k) for k in ("from", "to", "verdict", "diagnosis")}
            for p in result.get("pairs", [])
        ],
        "ms": round(ms, 1),
    }


def warm(catalog: bool) -> None:
    """Build the catalog's mistake index, once per process (nothing without the catalog)."""
    if catalog and not _warmed:
        from derive.checker.catalog import warm as build

        build()
        _warmed.add(True)


def grade_here(task: Task, budget: float, catalog: bool) -> dict[str, Any]:
    """Grade in this process (the budget is enforced only in its main thread)."""
    import time

    from derive.checker.api import check_data, internal_error

    warm(catalog)
    start = time.perf_counter()
    try:
        result = check_data(task.request, budget=budget, catalog=catalog).as_dict()
    except Exception as error:  # a bug in the checker: this submission's error, not the run's
        result = internal_error(task.digest, error).as_dict()
    return record(task, result, 1000 * (time.perf_counter() - start))
