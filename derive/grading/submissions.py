"""Submissions: one JSON object a line, ``{"student": ..., "exercise": ..., "steps": [...]}``.

>>> import io
>>> text = '{"student": "ada", "exercise": "sq", "steps": ["(a+b)^2", "a^2+b^2"]}\\n'
>>> [s.student for s in parse(io.StringIO(text), "class.jsonl")]
['ada']
>>> list(parse(io.StringIO('{"student": "ada"}\\n'), "class.jsonl"))
Traceback (most recent call last):
...
derive.core.errors.UsageError: class.jsonl:1: a submission needs 'exercise' and 'steps'

Every malformed line is a one-line error naming the file and the line; blank lines are skipped.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from derive.core.errors import UsageError

FIELDS = ("student", "exercise", "steps")
MAX_LINE = 100_000  # characters: a submission is a student's working, not a book


@dataclass(frozen=True)
class Submission:
    """One student's working on one exercise."""

    student: str
    exercise: str
    steps: tuple[str, ...]
    line: int = 0  # where it was read (1-based; 0 if not from a file)

    @property
    def digest(self) -> str:
        """A stable hash of student, exercise and steps: what a rerun recognises as graded."""
        text = json.dumps(
            [self.student, self.exercise, list(self.steps)],
            ensure_ascii=False,
            separators=(",", ":"),
        )
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]

    def as_dict(self) -> dict[str, Any]:
        return {"student": self.student, "exercise": self.exercise, "steps": list(self.steps)}


def _identifier(value: Any, name: str) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ValueError(f"'{name}' must be a string (or an integer)")
    text = str(value).strip()
    if not text or len(text) > 200:
        raise ValueError(f"'{name}' must be 1 to 200 characters")
    return text


def from_json(data: Any, line: int = 0) -> Submission:
    """A submission from parsed JSON; a ValueError saying what is wrong."""
    if not isinstance(data, dict):
        raise ValueError("a submission must be a JSON object")
    unknown = sorted(set(data) - set(FIELDS))
    if unknown:
        raise ValueError(f"unknown field {unknown[0]!r} (a submission has {', '.join(FIELDS)})")
    missing = [f for f in FIELDS if f not in data]
    if missing:
        raise ValueError(f"a submission needs {' and '.join(repr(f) for f in missing)}")
    steps = data["steps"]
    if not isinstance(steps, list) or not all(isinstance(s, str) for s in steps) or not steps:
        raise ValueError("'steps' must be a non-empty list of strings")
    return Submission(
        _identifier(data["student"], "student"),
        _identifier(data["exercise"], "exercise"),
        tuple(steps),
        line,
    )


def parse(lines: Iterable[str], name: str) -> Iterator[Submission]:
    """The submissions in JSON Lines text; a UsageError ``name:line: what`` at the first bad
    line."""
    for number, text in enumerate(lines, 1):
        if not text.strip():
            continue
        where = f"{name}:{number}"
        if len(text) > MAX_LINE:
            raise UsageError(f"{where}: line too long ({len(text)} characters; at most {MAX_LINE})")
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise UsageError(f"{where}: not JSON ({error.msg}, column {error.colno})") from None
        try:
            yield from_json(data, number)
        except ValueError as error:
            raise UsageError(f"{where}: {error}") from None


def read(path: Path) -> list[Submission]:
    """Every submission in a file (see :func:`parse`); an unreadable file is a UsageError."""
    try:
        with path.open(encoding="utf-8") as handle:
            return list(parse(handle, str(path)))
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror or error}") from None
    except UnicodeDecodeError as error:
        raise UsageError(f"{path}: not UTF-8 text ({error.reason})") from None
