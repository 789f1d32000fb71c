"""The key: per exercise, the kinds of its names (``given``), a catalog result the final step
must equal (``against``), or the expected result (``answer``), one JSON object a line.

>>> import io
>>> key = parse(io.StringIO('{"exercise": "sq", "answer": "a^2 + 2*a*b + b^2"}\\n'), "key.jsonl")
>>> key["sq"].request(("(a + b)^2", "a^2 + b^2"))["steps"]
['(a + b)^2', 'a^2 + b^2', 'a^2 + 2*a*b + b^2']

With ``answer`` the expected result is checked as one more step after the student's last, so
a wrong final answer is an error at that virtual line (``len(steps)``), as with ``against``.
An exercise without an entry (or with no key at all) is checked step against step, with
undeclared names as real scalars.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from derive.core.errors import UsageError

FIELDS = ("exercise", "given", "against", "answer")


@dataclass(frozen=True)
class Entry:
    """What the key says about one exercise."""

    exercise: str
    given: Mapping[str, str] = field(default_factory=dict)
    against: str | None = None
    answer: str | None = None

    def request(self, steps: Sequence[str], identifier: Any = None) -> dict[str, Any]:
        """The checker's JSON request for a student's steps on this exercise."""
        request: dict[str, Any] = {
            "id": identifier,
            "steps": [*steps, *([self.answer] if self.answer is not None else [])],
            "given": dict(self.given),
        }
        if self.against is not None:
            request["against"] = self.against
        return request

    @property
    def fingerprint(self) -> str:
        """A hash of the entry: a result graded under another key is graded again."""
        text = json.dumps(
            [self.exercise, sorted(self.given.items()), self.against, self.answer],
            ensure_ascii=False,
        )
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def from_json(data: Any) -> Entry:
    """An entry from parsed JSON; a ValueError saying what is wrong."""
    if not isinstance(data, dict):
        raise ValueError("a key entry must be a JSON object")
    unknown = sorted(set(data) - set(FIELDS))
    if unknown:
        raise ValueError(f"unknown field {unknown[0]!r} (a key entry has {', '.join(FIELDS)})")
    exercise = data.get("exercise")
    if not isinstance(exercise, (str, int)) or isinstance(exercise, bool) or not str(exercise):
        raise ValueError("a key entry needs 'exercise' (a string)")
    given = data.get("given", {})
    if not isinstance(given, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in given.items()
    ):
        raise ValueError('\'given\' must map names to kinds, e.g. {"x": "vector 3"}')
    for name in ("against", "answer"):
        if data.get(name) is not None and not isinstance(data[name], str):
            raise ValueError(f"'{name}' must be a string")
    return Entry(str(exercise).strip(), dict(given), data.get("against"), data.get("answer"))


def parse(lines: Iterable[str], name: str) -> dict[str, Entry]:
    """The key's entries by exercise; a UsageError ``name:line: what`` at the first bad line."""
    entries: dict[str, Entry] = {}
    for number, text in enumerate(lines, 1):
        if not text.strip():
            continue
        where = f"{name}:{number}"
        try:
            entry = from_json(json.loads(text))
        except json.JSONDecodeError as error:
            raise UsageError(f"{where}: not JSON ({error.msg}, column {error.colno})") from None
        except ValueError as error:
            raise UsageError(f"{where}: {error}") from None
        if entry.exercise in entries:
            raise UsageError(f"{where}: exercise {entry.exercise!r} is already in the key")
        entries[entry.exercise] = entry
    return entries


def read(path: Path | None) -> dict[str, Entry]:
    """The key in a file (none: an empty key)."""
    if path is None:
        return {}
    try:
        with path.open(encoding="utf-8") as handle:
            return parse(handle, str(path))
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror or error}") from None


def entry_for(key: Mapping[str, Entry], exercise: str, where: str) -> Entry:
    """The key's entry for an exercise: with a key, a missing one is a UsageError naming the
    closest exercise; without a key, the plain step-against-step entry."""
    if exercise in key:
        return key[exercise]
    if not key:
        return Entry(exercise)
    close = difflib.get_close_matches(exercise, list(key), n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    raise UsageError(f"{where}: exercise {exercise!r} is not in the key{hint}")
