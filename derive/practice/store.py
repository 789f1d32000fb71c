"""The practice record: every attempt, and a Leitner box per derivation, in one SQLite file.

>>> import tempfile, pathlib
>>> store = Store(pathlib.Path(tempfile.mkdtemp()) / "practice.sqlite3")
>>> store.finish("inverse-2x2", 1, "gave up", hints=0, tries=1, seconds=30.0, now=0.0)
>>> store.finish("bernoulli", 1, "right", hints=0, tries=1, seconds=20.0, now=0.0)
>>> store.due(now=4 * DAY)  # the failed one first
['inverse-2x2', 'bernoulli']
>>> store.close()

The file lives in the user's data folder (``platformdirs.user_data_dir("derive")`` — not the
cache, which is safe to delete), or in ``$DERIVE_DATA_DIR``. A derivation answered right at the
first try without hints moves up a box; one answered wrong or given up goes back to box 1; one
answered right after hints or tries keeps its box. Box ``b`` comes due ``INTERVALS[b]`` after the
last attempt, so a failed derivation comes back (tomorrow) before a passed one (in three days).
A file that is not a readable store is moved aside (``*.corrupt``) and a new one started, with a
one-line note; nothing else is touched.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

DAY = 86400.0
INTERVALS = {1: 1 * DAY, 2: 3 * DAY, 3: 7 * DAY, 4: 14 * DAY, 5: 30 * DAY}
OUTCOMES = ("right", "wrong", "gave up", "unfinished")

SCHEMA = """
CREATE TABLE IF NOT EXISTS attempts (
    at REAL NOT NULL, drill TEXT NOT NULL, seed INTEGER NOT NULL,
    verdict TEXT NOT NULL, line INTEGER, diagnosis TEXT, working TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS exercises (
    at REAL NOT NULL, drill TEXT NOT NULL, seed INTEGER NOT NULL, outcome TEXT NOT NULL,
    hints INTEGER NOT NULL, tries INTEGER NOT NULL, seconds REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS boxes (
    drill TEXT PRIMARY KEY, box INTEGER NOT NULL, due REAL NOT NULL
);
"""
TABLES = {"attempts", "exercises", "boxes"}


def default_path() -> Path:
    """``$DERIVE_DATA_DIR/practice.sqlite3``, else the user data folder's."""
    folder = os.environ.get("DERIVE_DATA_DIR")
    if not folder:
        from platformdirs import user_data_dir

        folder = user_data_dir("derive", appauthor=False)
    return Path(folder) / "practice.sqlite3"


@dataclass(frozen=True)
class Line:
    """One derivation's record for ``--stats``."""

    drill: str
    asked: int
    right: int  # answered right (with or without hints and tries)
    first_try: int  # right at the first try, without hints
    gave_up: int
    box: int | None

    @property
    def accuracy(self) -> float:
        return self.right / self.asked if self.asked else 0.0


class Store:
    """The SQLite record (opened once per command; each write is committed at once)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_path()
        self.note: str | None = None  # a one-line note when the store was (re)created
        existed = self.path.exists()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = self._open()
        except sqlite3.DatabaseError as error:
            moved = self.path.with_name(self.path.name + ".corrupt")
            os.replace(self.path, moved)
            self.db = self._open()
            self.note = (
                f"the practice record {self.path} could not be read ({error}); it was moved to "
                f"{moved.name} and a new one started"
            )
            return
        if not existed:
            self.note = f"started a new practice record at {self.path}"

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path)
        try:
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
            if tables and not tables >= TABLES:
                raise sqlite3.DatabaseError("not a derive practice record")
            db.executescript(SCHEMA)
            db.execute("SELECT count(*) FROM attempts, boxes LIMIT 1").fetchall()
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def attempt(
        self,
        drill: str,
        seed: int,
        verdict: str,
        working: str,
        line: int | None = None,
        diagnosis: str | None = None,
        now: float | None = None,
    ) -> None:
        """Record one submission (``right``, ``wrong``, ``unreadable``)."""
        with self.db:
            self.db.execute(
                "INSERT INTO attempts VALUES (?, ?, ?, ?, ?, ?, ?)",
                (_now(now), drill, seed, verdict, line, diagnosis, working),
            )

    def finish(
        self,
        drill: str,
        seed: int,
        outcome: str,
        *,
        hints: int,
        tries: int,
        seconds: float,
        now: float | None = None,
    ) -> None:
        """Record how an exercise ended and move its derivation's Leitner box."""
        if outcome not in OUTCOMES:
            raise ValueError(f"outcome {outcome!r} is not one of {OUTCOMES}")
        at = _now(now)
        with self.db:
            self.db.execute(
                "INSERT INTO exercises VALUES (?, ?, ?, ?, ?, ?, ?)",
                (at, drill, seed, outcome, hints, tries, seconds),
            )
            if outcome == "unfinished":
                return
            box = self.box(drill) or 1
            if outcome == "right" and hints == 0 and tries == 1:
                box = min(box + 1, max(INTERVALS))
            elif outcome != "right" or tries > 1:
                box = 1
            self.db.execute(
                "INSERT OR REPLACE INTO boxes VALUES (?, ?, ?)", (drill, box, at + INTERVALS[box])
            )

    def box(self, drill: str) -> int | None:
        row = self.db.execute("SELECT box FROM boxes WHERE drill = ?", (drill,)).fetchone()
        return None if row is None else int(row[0])

    def due(self, now: float | None = None) -> list[str]:
        """The derivations due for review, lowest box first, then the longest overdue."""
        rows = self.db.execute(
            "SELECT drill FROM boxes WHERE due <= ? ORDER BY box, due, drill", (_now(now),)
        )
        return [row[0] for row in rows]

    def seen(self) -> set[str]:
        return {row[0] for row in self.db.execute("SELECT drill FROM boxes")}

    def stats(self) -> list[Line]:
        """Per derivation: asked (answered, or left after a try), right, right at the first try,
        given up, and its box."""
        rows = self.db.execute(
            "SELECT drill, count(*), sum(outcome = 'right'), "
            "sum(outcome = 'right' AND hints = 0 AND tries = 1), sum(outcome = 'gave up') "
            "FROM exercises WHERE outcome != 'unfinished' OR tries > 0 "
            "GROUP BY drill ORDER BY drill"
        ).fetchall()
        return [Line(d, n, r, f, g, self.box(d)) for d, n, r, f, g in rows]

    def diagnoses(self, top: int = 5) -> list[tuple[str, int]]:
        """The most frequent diagnoses of wrong submissions."""
        rows = self.db.execute(
            "SELECT drill, diagnosis FROM attempts "
            "WHERE verdict = 'wrong' AND diagnosis IS NOT NULL"
        )
        counts = Counter(f"{diagnosis} ({drill})" for drill, diagnosis in rows)
        return counts.most_common(top)

    def attempts(self) -> list[tuple[str, str, int | None, str | None]]:
        """Every submission: derivation, verdict, wrong line, diagnosis (oldest first)."""
        rows = self.db.execute(
            "SELECT drill, verdict, line, diagnosis FROM attempts ORDER BY rowid"
        ).fetchall()
        return [(str(a), str(b), c, d) for a, b, c, d in rows]


def _now(now: float | None) -> float:
    return time.time() if now is None else now
