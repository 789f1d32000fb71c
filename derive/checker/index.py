"""The names each recorded catalog mistake needs, kept on disk between processes.

>>> import tempfile
>>> index = NeedsIndex(Path(tempfile.mkdtemp()) / "needs.json")
>>> index.allows("inverse-2x2", {"A", "B"}) is None  # not indexed yet: build it to know
True
>>> index.store("inverse-2x2", [frozenset({frozenset({"A", "a"}), frozenset({"B"})})])
>>> index.allows("inverse-2x2", {"A", "B"}), index.allows("inverse-2x2", {"x"})
(True, False)

To name a learner's wrong line after a recorded mistake, the checker builds derivations and
realises their mistakes (about 10 s for the whole catalog). Most of them cannot match anyway:
a mistake written with ``X``, ``w`` and ``y`` is not what a learner with ``A`` and ``B`` did.
This index remembers, per derivation, the names its mistakes need, so that a new process
builds only the derivations whose mistakes the learner's names allow. It lives beside the
verification cache (``$DERIVE_CACHE_DIR``, else ``~/.cache/derive``) under a key made of every
source file of the ``derive`` package and the library versions: after any edit the old index is
simply not found. It only ever skips work the name filter would skip, so a missing, stale or
unreadable index costs time, never a different answer; writes are atomic.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterable
from pathlib import Path

from derive.core.cache_dir import default_dir
from derive.core.sources import PACKAGE, versions, write_json

FORMAT = 1
Needs = frozenset[frozenset[str]]


@functools.cache
def _key() -> str:
    """A hash of every ``derive`` source file and the library versions."""
    digest = hashlib.sha256(json.dumps([FORMAT, versions()]).encode())
    for path in sorted(PACKAGE.rglob("*.py")):
        digest.update(path.relative_to(PACKAGE).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:32]


class NeedsIndex:
    """The index in one file: ``{id: [[[name, ...] per need] per mistake]}``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._entries: dict[str, list[Needs]] | None = None

    def _read(self) -> dict[str, list[Needs]]:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            return {
                str(identifier): [
                    frozenset(frozenset(str(n) for n in need) for need in mistake)
                    for mistake in mistakes
                ]
                for identifier, mistakes in raw.items()
            }
        except (OSError, ValueError, TypeError, AttributeError):
            return {}

    @property
    def entries(self) -> dict[str, list[Needs]]:
        if self._entries is None:
            self._entries = self._read()
        return self._entries

    def allows(self, identifier: str, available: set[str]) -> bool | None:
        """Whether some mistake of the derivation is possible with these names; None if the
        derivation is not indexed."""
        mistakes = self.entries.get(identifier)
        if mistakes is None:
            return None
        return any(all(need & available for need in needs) for needs in mistakes)

    def store(self, identifier: str, mistakes: Iterable[Needs]) -> None:
        """Record a derivation's needs (merged with what other processes wrote meanwhile;
        a failure to write is not an error)."""
        self.entries[identifier] = list(mistakes)
        merged = {**self._read(), **self.entries}
        data = {
            identifier: [sorted(sorted(need) for need in needs) for needs in mistakes]
            for identifier, mistakes in sorted(merged.items())
        }
        write_json(self.path, data)


@functools.cache
def default() -> NeedsIndex:
    """The index for this installation's sources, in the cache folder."""
    return NeedsIndex(default_dir() / "check" / f"needs-{_key()}.json")
