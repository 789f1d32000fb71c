"""``DIR/graded.jsonl``: every graded submission, appended as it finishes, so that a rerun
grades only what is missing.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> with Store(folder / "graded.jsonl") as store:
...     store.add({"digest": "d1", "key": "k1", "score": 1.0})
>>> sorted(Store(folder / "graded.jsonl").load())
[('d1', 'k1')]

A record is matched by the submission's digest and the key entry's fingerprint (a changed key
grades again). A last line cut short (the run was killed while writing it) is dropped before
appending.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from derive.core.errors import UsageError


class Store:
    """The records of a grading folder."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.handle: IO[str] | None = None

    def load(self) -> dict[tuple[str, str], dict[str, Any]]:
        """The records kept so far, by (digest, key fingerprint); the last one wins."""
        records: dict[tuple[str, str], dict[str, Any]] = {}
        if not self.path.exists():
            return records
        try:
            text = self.path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise UsageError(f"cannot read {self.path}: {error}") from None
        lines = text.split("\n")
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
                records[data["digest"], data["key"]] = data
            except (json.JSONDecodeError, KeyError, TypeError):
                if number == len(lines):  # cut short by an interruption: graded again
                    continue
                raise UsageError(
                    f"{self.path}:{number}: not a graded record (delete the file to grade "
                    "everything again)"
                ) from None
        return records

    def _open(self) -> IO[str]:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if self.path.exists():
                data = self.path.read_bytes()
                if data and not data.endswith(b"\n"):  # drop a line cut short
                    with self.path.open("r+b") as raw:
                        raw.truncate(data.rfind(b"\n") + 1)
            return self.path.open("a", encoding="utf-8")
        except OSError as error:
            raise UsageError(f"cannot write {self.path}: {error.strerror or error}") from None

    def add(self, record: dict[str, Any]) -> None:
        """Append one record (flushed at once)."""
        if self.handle is None:
            self.handle = self._open()
        self.handle.write(json.dumps(record, ensure_ascii=False, allow_nan=False) + "\n")
        self.handle.flush()

    def close(self) -> None:
        if self.handle is not None:
            self.handle.close()
            self.handle = None

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
