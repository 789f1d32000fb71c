"""The corpus of learner requests (corpus.jsonl): each with its expected verdict, first error
and, where one is expected, the diagnosis."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from derive.checker.api import Request, check_request
from derive.checker.limits import Limits

# Outcomes must not depend on the machine's speed: a budget no request comes near.
GENEROUS = Limits(budget=120.0, catalog_search=60.0)

CORPUS = Path(__file__).with_name("corpus.jsonl")
ROWS: list[dict[str, Any]] = [json.loads(line) for line in CORPUS.read_text().splitlines()]


def label(row: dict[str, Any]) -> str:
    request = row["request"]
    return f"{request['id']}-{row['topic']}"


def test_the_corpus_is_large_and_varied() -> None:
    assert len(ROWS) >= 100
    verdicts = Counter(row["verdict"] for row in ROWS)
    assert verdicts["correct"] >= 40
    assert verdicts["incorrect"] >= 40
    assert verdicts["unknown"] >= 2
    topics = {row["topic"] for row in ROWS}
    assert {
        "scalar algebra",
        "calculus",
        "matrix algebra",
        "matrix calculus",
        "probability",
    } <= topics
    assert sum("diagnosis" in row for row in ROWS) >= 30


@pytest.mark.parametrize("row", ROWS, ids=label)
def test_verdict_first_error_and_diagnosis(row: dict[str, Any]) -> None:
    # Only rows about the catalog search it, so that a new catalog entry naming a mistake
    # more precisely does not change the generic diagnoses the other rows expect.
    request = Request.from_json(row["request"])
    result = check_request(request, limits=GENEROUS, catalog=row.get("catalog", False))
    assert result.error is None
    assert result.verdict == row["verdict"], [p.as_dict() for p in result.pairs]
    assert result.first_error == row["first_error"]
    if "diagnosis" in row:
        diagnoses = " | ".join(p.diagnosis or "" for p in result.pairs)
        assert row["diagnosis"] in diagnoses
    if "statuses" in row:
        assert [p.verdict for p in result.pairs] == row["statuses"]
    if row["verdict"] == "incorrect":
        refuted = next(p for p in result.pairs if p.verdict == "refuted")
        assert refuted.target == row["first_error"]
        assert refuted.diagnosis
    else:
        assert all(p.verdict != "refuted" for p in result.pairs)
