"""Which derivations a practice session asks: what is due first, then what was never asked.

>>> import random
>>> choose(["a", "b", "c", "d"], due=["c"], seen={"a", "c"}, count=3, rng=random.Random(1))
['c', 'd', 'b']
"""

from __future__ import annotations

import random
from collections.abc import Collection, Sequence


def choose(
    pool: Sequence[str],
    *,
    due: Sequence[str],
    seen: Collection[str],
    count: int,
    rng: random.Random,
) -> list[str]:
    """``count`` ids from ``pool``: those due (in the schedule's order), then unseen ones, then
    the rest (each group shuffled by ``rng``)."""
    first = [i for i in due if i in pool]
    fresh = [i for i in pool if i not in seen and i not in first]
    rest = [i for i in pool if i in seen and i not in first]
    rng.shuffle(fresh)
    rng.shuffle(rest)
    return (first + fresh + rest)[:count]
