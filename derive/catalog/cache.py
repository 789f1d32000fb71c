"""Verification results cached on disk, keyed by everything that could change them.

>>> import tempfile
>>> cache = Cache(Path(tempfile.mkdtemp()))
>>> cache.get("inverse-2x2") is None
True
>>> report = cache.verify("inverse-2x2")  # verified, then stored
>>> cache.get("inverse-2x2") == report
True

The key of a derivation is a SHA-256 over: the source of its catalog module and of every
``derive`` module it imports, directly or not (found by reading the ``import`` statements, so
nothing is executed), together with those of ``derive.reasoning.verify``; its id, topic and builder;
the verify parameters; the versions of Python, SymPy, NumPy, SciPy, mpmath and SymEngine;
and the twin backend in force. Edit any of these and the entry is simply not found again: a
stale result cannot be served. Only passing reports are stored (a failure is always checked
afresh), an unreadable or malformed entry is ignored, and entries are written atomically, so
parallel workers and an interrupted run are safe. The cache lives in ``$DERIVE_CACHE_DIR``,
else ``$XDG_CACHE_HOME/derive``, else ``~/.cache/derive``; deleting it only costs time.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from derive.catalog import CATALOG, UnknownDerivation, get
from derive.core import sources
from derive.core.cache_dir import default_dir
from derive.core.sources import closure, versions, write_json
from derive.reasoning.verify import Check, Report, verify

FORMAT = 1


def fingerprint(identifier: str, *, points: int = 12, budget: float = 10.0) -> dict[str, Any]:
    """Everything the key of a derivation's entry is made from (sources by their hashes)."""
    from derive.numeric.fast import backend

    if identifier not in CATALOG:
        raise UnknownDerivation(f"unknown derivation '{identifier}'")
    entry = CATALOG[identifier]
    modules = closure(entry.module, "derive.reasoning.verify")
    return {
        "format": FORMAT,
        "id": identifier,
        "topic": str(entry.topic.value),
        "builder": entry.builder,
        "parameters": {"points": points, "budget": budget},
        "backend": backend(),
        "versions": dict(versions()),
        "sources": {
            name: hashlib.sha256(sources.read_source(path)).hexdigest()
            for name, path in sorted(modules.items())
        },
    }


def key(identifier: str, *, points: int = 12, budget: float = 10.0) -> str:
    """The cache key of a derivation's verification."""
    text = json.dumps(fingerprint(identifier, points=points, budget=budget), sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def _report(data: Any, identifier: str) -> Report | None:
    """A Report from a stored entry, or None if the entry is not a passing report of it."""
    try:
        stored = data["report"]
        checks = tuple(
            Check(str(c["name"]), bool(c["passed"]), str(c["detail"]), str(c["status"]))
            for c in stored["checks"]
        )
        report = Report(str(stored["id"]), checks)
    except (KeyError, TypeError):
        return None
    if data.get("format") != FORMAT or report.id != identifier or not report.passed:
        return None
    return report


@dataclass(frozen=True)
class Cache:
    """The verification cache in one folder (``default_dir()`` unless given)."""

    root: Path
    points: int = 12
    budget: float = 10.0

    @classmethod
    def default(cls) -> Cache:
        """The cache in ``default_dir()``."""
        return cls(default_dir())

    def path(self, identifier: str) -> Path:
        """Where the entry for this derivation's current key is stored."""
        entry = key(identifier, points=self.points, budget=self.budget)
        return self.root / "verify" / f"{identifier}-{entry[:32]}.json"

    def get(self, identifier: str) -> Report | None:
        """The stored passing report under the current key, if there is a readable one.
        Plug-in entries are never cached: the key hashes only ``derive``'s own sources."""
        if identifier in CATALOG and not CATALOG[identifier].builtin:
            return None
        try:
            data = json.loads(self.path(identifier).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return _report(data, identifier)

    def put(self, report: Report) -> None:
        """Store a passing report (atomically; a failure to write is not an error)."""
        if not report.passed or (report.id in CATALOG and not CATALOG[report.id].builtin):
            return
        path = self.path(report.id)
        if not write_json(path, {"format": FORMAT, "report": report.as_dict()}):
            return
        for stale in path.parent.glob(f"{report.id}-*.json"):  # entries under old keys
            if stale != path:
                stale.unlink(missing_ok=True)

    def verify(self, identifier: str) -> Report:
        """The cached report, or verify now (and store the report if it passed)."""
        report = self.get(identifier)
        if report is None:
            report = verify(get(identifier), points=self.points, budget=self.budget)
            self.put(report)
        return report
