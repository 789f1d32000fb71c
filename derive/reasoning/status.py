"""The verdicts on a claim: one vocabulary for the catalog's verifier and the learner's checker.

>>> STATUSES
('proven', 'numeric', 'refuted', 'unknown')
>>> passed("numeric"), passed("refuted")
(True, False)

``proven``: a rung of the proof ladder (``derive.reasoning.ladder``) rewrote the difference to
0. ``numeric``: the sides agree at every usable seeded exact sample point, but no proof was
found. ``refuted``: a sample point where they differ (the counterexample). ``unknown``: too
few usable points, a side that cannot be evaluated, or a time budget that ran out. The
verdicts are plain strings, so they print and serialise (JSON) as themselves.
"""

from __future__ import annotations

from typing import Literal, get_args

Status = Literal["proven", "numeric", "refuted", "unknown"]
STATUSES: tuple[Status, ...] = get_args(Status)
PASSING: frozenset[Status] = frozenset({"proven", "numeric"})


def passed(status: str) -> bool:
    """Whether a verdict accepts the claim: proven, or agreeing at every sample point."""
    return status in PASSING
