"""``derive book --out DIR``: the derivation book (placeholder until the builder lands)."""

from __future__ import annotations

import argparse
from typing import Any


def register(sub: Any) -> None:
    """Add the ``book`` command."""
    p = sub.add_parser("book", help="build the HTML derivation book")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Build the book."""
    return 1
