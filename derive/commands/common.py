"""Helpers shared by commands: resolving ids, writing JSON, choosing colours.

>>> topic_choices()[:1]
['linear-algebra']
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from derive.core.errors import UsageError

TOPICS = ("linear-algebra", "probability-statistics", "calculus-optimization")

# each verdict as the terminal shows it (derive check, derive check NOTES.md)
MARKS: dict[str | None, str] = {
    "proven": "✓ proven",
    "numeric": "✓ numeric",
    "refuted": "✗ refuted",
    "unknown": "? unknown",
    "given": "· given",
    "defined": "· defined",
}


def topic_choices() -> list[str]:
    """The topic names accepted by ``--topic``."""
    return list(TOPICS)


def resolve(identifiers: list[str]) -> list[str]:
    """Check ids against the catalog; an unknown one is a UsageError naming the closest id."""
    from derive.catalog import CATALOG, UnknownDerivation, get

    for identifier in identifiers:
        if identifier not in CATALOG:
            try:
                get(identifier)
            except UnknownDerivation as error:
                raise UsageError(str(error)) from None
    return identifiers


def print_json(value: Any) -> None:
    """Pretty JSON on stdout."""
    json.dump(value, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


def write_text(path: Path, text: str) -> None:
    """Write a file, creating its folder; a path that cannot be written is a UsageError."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise UsageError(f"cannot write {path}: {error.strerror or error}") from None
