"""Which catalog entries the worksheets read have landed (others build in parallel).

A panel whose entry is missing must refuse loudly (``MissingPiece``); its behavioural tests
skip with the name of what they wait for, and run as soon as the entry is in the catalog.
"""

from __future__ import annotations

import derive
from derive.catalog import CATALOG


def available(piece: str) -> bool:
    """Whether a catalog id (or ``derive.check``) is in this installation."""
    return hasattr(derive, "check") if piece == "derive.check" else piece in CATALOG


def missing(*pieces: str) -> list[str]:
    """The pieces that have not landed."""
    return [p for p in pieces if not available(p)]
