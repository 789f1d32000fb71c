"""The catalog's recorded mistakes, prepared ahead of time and kept on disk between processes.

>>> import tempfile
>>> index = NeedsIndex(Path(tempfile.mkdtemp()) / "needs.json")
>>> index.allows("inverse-2x2", {"A", "B"}) is None  # not indexed yet: build it to know
True
>>> index.store("inverse-2x2", [frozenset({frozenset({"[A]", "a"}), frozenset({"[B]"})})])
>>> index.allows("inverse-2x2", typed({"A": MATRIX, "B": MATRIX}))
True
>>> index.allows("inverse-2x2", typed({"A": SCALAR, "B": SCALAR}))  # A and B are numbers
False

To name a learner's wrong line after a recorded mistake, the checker builds derivations and
realises their mistakes (about 15 s for the whole catalog; 0.2–0.8 s for one derivation).
Most of them cannot match anyway: a mistake written with a matrix ``X`` and vectors ``w`` and
``y`` is not what a learner with numbers ``a`` and ``b`` did. So this module keeps two things,
both prepared once (by ``derive verify``, ``derive check --warm`` or the first refuted request
that needs them) and read by every later process:

- the **needs** of each derivation's mistakes (``needs.json``): the names each mistake needs,
  each need a few alternatives, a matrix name written ``[A]`` (the learner's ``A`` must then be
  a matrix or a vector) and a scalar name plain (the learner's must be a number). A derivation
  none of whose mistakes the learner's names allow is skipped without being built;
- the **mistakes themselves** (``<id>.pickle``): each recorded mistake with its needs and only
  what realising it takes of its derivation (id, bindings, sizes), so a derivation the names do
  allow is read back in milliseconds instead of being built.

Both live in ``$DERIVE_CACHE_DIR`` (else ``~/.cache/derive``) under ``check/mistakes-<key>``,
the key a hash of every source file of the ``derive`` package and the library versions: after
any edit the old folder is simply not found. The index only ever skips work the name filter
would skip, and what it reads back is what building would give, so a missing, stale or
unreadable entry costs time, never a different answer; writes are atomic. The pickles are
read from your own cache folder only (like any pickle, do not put someone else's there).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import pickle
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from derive.core.cache_dir import default_dir
from derive.core.sources import PACKAGE, versions, write_json

FORMAT = 2
Needs = frozenset[frozenset[str]]
SCALAR, MATRIX = False, True  # what a learner's name is, for ``typed``


def matrix_name(name: str) -> str:
    """How a need names a matrix alternative: ``[A]``.

    >>> matrix_name("A")
    '[A]'
    """
    return f"[{name}]"


def typed(kinds: Mapping[str, Any]) -> set[str]:
    """A learner's names as needs see them: a number by its name, a matrix or vector (a kind
    that is not 1×1, or ``MATRIX``) as ``[name]``.

    >>> sorted(typed({"x": SCALAR, "A": MATRIX}))
    ['[A]', 'x']
    """
    names = set()
    for name, kind in kinds.items():
        is_matrix = kind if isinstance(kind, bool) else not kind.is_scalar
        names.add(matrix_name(name) if is_matrix else name)
    return names


@functools.cache
def _key() -> str:
    """A hash of every ``derive`` source file and the library versions."""
    digest = hashlib.sha256(json.dumps([FORMAT, versions()]).encode())
    for path in sorted(PACKAGE.rglob("*.py")):
        digest.update(path.relative_to(PACKAGE).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:32]


class NeedsIndex:
    """The needs in one file, ``{id: [[[name, ...] per need] per mistake]}``, and beside it
    each derivation's prepared mistakes (``load``/``store``)."""

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
        """Whether some mistake of the derivation is possible with these (``typed``) names;
        None if the derivation is not indexed."""
        mistakes = self.entries.get(identifier)
        if mistakes is None:
            return None
        return any(all(need & available for need in needs) for needs in mistakes)

    def store(self, identifier: str, mistakes: Iterable[Needs], prepared: Any = None) -> None:
        """Record a derivation's needs (merged with what other processes wrote meanwhile),
        and its prepared mistakes if given; a failure to write is not an error."""
        if prepared is not None:
            self._write_pickle(identifier, prepared)
        self.entries[identifier] = list(mistakes)
        merged = {**self._read(), **self.entries}
        data = {
            identifier: [sorted(sorted(need) for need in needs) for needs in mistakes]
            for identifier, mistakes in sorted(merged.items())
        }
        write_json(self.path, data)

    def has(self, identifier: str) -> bool:
        """Whether the derivation's needs and prepared mistakes are both stored."""
        return identifier in self.entries and self._pickle(identifier).is_file()

    def _pickle(self, identifier: str) -> Path:
        return self.path.with_name(f"{identifier}.pickle")

    def _write_pickle(self, identifier: str, prepared: Any) -> None:
        target = self._pickle(identifier)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(
                "wb", dir=target.parent, suffix=".tmp", delete=False
            ) as handle:
                pickle.dump(prepared, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(handle.name, target)
        except (OSError, pickle.PicklingError, TypeError, AttributeError):
            return

    def load(self, identifier: str) -> Any:
        """A derivation's prepared mistakes as stored, or None (not stored, or unreadable)."""
        try:
            with self._pickle(identifier).open("rb") as handle:
                return pickle.load(handle)
        except (
            OSError,
            EOFError,
            pickle.UnpicklingError,
            AttributeError,
            ImportError,
            IndexError,
            TypeError,
            ValueError,
        ):
            return None


@functools.cache
def default() -> NeedsIndex:
    """The index for this installation's sources, in the cache folder."""
    return NeedsIndex(default_dir() / "check" / f"mistakes-{_key()}" / "needs.json")
