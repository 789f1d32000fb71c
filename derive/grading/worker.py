"""A submission to grade (:class:`Task`) and the record kept of its result.

>>> from derive.grading.key import Entry
>>> from derive.grading.submissions import Submission
>>> task = Task.of(Submission("ada", "sq", ("(a + b)^2", "a^2 + b^2")), Entry("sq"))
>>> task.request["steps"], task.request["id"] == task.digest
(['(a + b)^2', 'a^2 + b^2'], True)
>>> from derive.checker.api import check_data
>>> kept = record(task, check_data(task.request).as_dict(), ms=3.0)
>>> kept["verdict"], kept["score"], kept["first_error"], kept["pairs"][0]["diagnosis"][:22]
('incorrect', 0.0, 1, 'a term dropped: 2*a*b;')

A record is plain JSON (one line of ``graded.jsonl``): the submission, its digest and the key
entry's fingerprint (what a rerun matches), and the checker's verdict, ``score``,
``first_error``, ``error`` and pairs (with their diagnoses).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from derive.grading.key import Entry
from derive.grading.submissions import Submission


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
