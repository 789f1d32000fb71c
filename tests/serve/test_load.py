"""The serve load test of ``derive bench`` on a few requests: every request is answered, the
figures are consistent (timings themselves are not judged)."""

from __future__ import annotations

import pytest

from derive.bench.checker import CORPUS
from derive.bench.serve import load

pytestmark = pytest.mark.slow


def test_a_small_load_test_answers_every_request() -> None:
    count = 2 * len(CORPUS)
    figures = load(count, concurrencies=(1, 4), workers=1)
    assert [level.concurrency for level in figures.levels] == [1, 4]
    for level in figures.levels:
        assert level.requests == level.answered == count
        assert level.statuses == {"200": count}
        assert sum(level.verdicts.values()) == count
        assert set(level.verdicts) <= {"correct", "incorrect", "unknown"}
        assert level.p50_ms <= level.p95_ms <= level.p99_ms
    first, second = figures.levels
    assert first.verdicts == second.verdicts  # the same requests, the same verdicts
    assert figures.rss_before_mb is not None
    assert figures.rss_after_mb is not None
    assert [level.rss_after_mb is not None for level in figures.levels] == [True, True]
    assert figures.levels[-1].rss_after_mb == figures.rss_after_mb
    assert all(level.load is not None for level in figures.levels)
    data = figures.as_dict()
    assert [v["share_answered"] for v in data["serve_levels"]] == [1.0, 1.0]
