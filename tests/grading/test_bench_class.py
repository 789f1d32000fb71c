"""The benchmark's synthetic class (``derive.bench.grading``) is valid input for
``derive grade``: every submission and key line reads, and every exercise is in the key."""

from __future__ import annotations

from derive.bench.grading import classroom
from derive.grading import key, submissions


def test_the_benchmark_class_reads() -> None:
    found, entries = classroom(200)
    read = [submissions.from_json(s) for s in found]
    exercises = {key.from_json(e).exercise for e in entries}
    assert len(read) == 200
    assert {s.exercise for s in read} <= exercises
    assert len({s.digest for s in read}) == 200  # no two submissions are the same
