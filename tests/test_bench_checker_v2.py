"""``derive bench --parts checker-v2``: which requests count as statement pairs and which as
expression pairs, per judged pair, and the Cookbook's verdicts — through a stand-in for
``derive check --json`` (no timing is asserted)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from derive.bench import checker

# Answers as the contract says: a premise then '<=>' pairs for statements, '=' pairs for
# expression chains, 'given' marks nothing; a Cookbook claim with 'inv' is left unknown.
SERVER = """
import json, sys
for line in sys.stdin:
    request = json.loads(line)
    steps = request.get("steps") or [request.get("claim", "")]
    if any("<=>" in s for s in steps):
        pairs = [{"verdict": "given", "relation": None}]
        pairs += [{"verdict": "proven", "relation": "<=>"} for s in steps[1:]]
    elif any(">=" in s for s in steps):
        pairs = [{"verdict": "numeric", "relation": ">="}]
    else:
        pairs = [{"verdict": "proven", "relation": "="} for s in steps[1:]] or [
            {"verdict": "proven", "relation": "="}]
    verdict = "unknown" if "inv" in steps[0] else "correct"
    print(json.dumps({"id": request["id"], "verdict": verdict, "pairs": pairs,
                      "error": None}), flush=True)
"""


@pytest.fixture
def stand_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    server = tmp_path / "server.py"
    server.write_text(SERVER)
    monkeypatch.setattr(checker, "command", lambda: [sys.executable, str(server)])


def test_pairs_are_told_apart_and_the_cookbook_counted(stand_in: None) -> None:
    requests = [
        {"steps": ["2x = 4", "<=> x = 2"]},
        {"steps": ["2x = 4", "<=> x = 2", "<=> 2 = x"]},
        {"steps": ["a", "a", "a"]},
        {"steps": ["a", "a"], "given": {"a": "positive"}},
        {"steps": ["a^2", ">= 0"]},  # neither kind
    ]
    cookbook = [{"claim": "diff(det(X), X) = det(X) inv(X).T"}, {"claim": "x = x"}]
    figures = checker.checker_v2(requests, cookbook)
    assert figures.requests == 5
    assert figures.statement_requests == 2
    assert figures.expression_requests == 1  # the one with 'given' only counts in *_all
    assert figures.verdicts == {"correct": 5}
    assert figures.cookbook_verdicts == {"unknown": 1, "correct": 1}
    assert figures.cookbook_not_correct == ("unknown: diff(det(X), X) = det(X) inv(X).T",)
    data = figures.as_dict()
    assert data["check_v2_cookbook_unknown"] == 1
    assert data["check_v2_cookbook_correct"] == 1
    assert data["check_v2_pair_ratio"] == pytest.approx(
        figures.statement_pair_ms / figures.expression_pair_ms
    )
    assert [row["request"] for row in data["check_v2_slowest"]] != []
    assert 0 < figures.median_ms <= figures.p95_ms <= figures.max_ms


def test_a_figure_with_nothing_behind_it_is_null(stand_in: None) -> None:
    figures = checker.checker_v2([{"steps": ["2x = 4", "<=> x = 2"]}], [{"claim": "x = x"}])
    data = figures.as_dict()
    assert data["check_v2_expression_pair_ms"] is None
    assert data["check_v2_pair_ratio"] is None
    assert data["check_v2_statement_requests"] == 1


def test_the_corpus_is_the_test_corpus() -> None:
    requests = checker.corpus_v2()
    assert len(requests) >= 300
    assert all("steps" in r or "claim" in r for r in requests)
    with pytest.raises(RuntimeError, match="no version-2 corpus"):
        checker.corpus_v2(Path("/nonexistent/corpus_v2.jsonl"))
