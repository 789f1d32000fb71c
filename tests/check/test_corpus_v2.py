"""The version-2 corpus (corpus_v2.jsonl): every request answered as the independent evaluator
(v2_oracle, through make_corpus_v2) says — verdict, first error, each judged step and the
relation judged, score — or
refused with the expected one-line error.

Rows whose feature has not landed in derive yet are selected out through PENDING (feature →
why), and rows derive answers wrongly through KNOWN_WRONG (id → why): both are explicit, named
lists (the lead's to-do), never weakened expectations.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from derive.checker.api import check_data
from derive.checker.limits import Limits

# Outcomes must not depend on the machine's speed: a budget no request comes near.
GENEROUS = Limits(budget=120.0, catalog_search=0.0)

CORPUS = Path(__file__).with_name("corpus_v2.jsonl")
ROWS: list[dict[str, Any]] = [json.loads(line) for line in CORPUS.read_text().splitlines()]

# feature -> why its rows are not run yet (remove an entry when the feature lands)
PENDING: dict[str, str] = {}

# request id -> why derive's answer differs from the oracle's (checked: the oracle is right)
KNOWN_WRONG: dict[
    str, str
] = {}  # domains-003/004 (x = sqrt(x)^2, x = exp(log(x))): fixed in 078d0da


def selected(row: dict[str, Any]) -> bool:
    return row["feature"] not in PENDING and row["id"] not in KNOWN_WRONG


RUN = [row for row in ROWS if selected(row)]


def test_the_corpus_is_large_and_covers_every_category() -> None:
    assert len(ROWS) >= 300
    categories = Counter(row["category"] for row in ROWS)
    for category in (
        "equations",
        "inequalities",
        "let",
        "functions",
        "random",
        "events",
        "notation",
        "numbers",
        "tolerance",
        "domains",
    ):
        assert categories[category] >= 10, categories
    verdicts = Counter(row.get("verdict", "error") for row in ROWS)
    assert verdicts["correct"] >= 100, verdicts
    assert verdicts["incorrect"] >= 100, verdicts
    mistakes = Counter(row["mistake"] for row in ROWS if row["mistake"])
    for kind in (
        "squared-both-sides",
        "divided-by-variable",
        "sign-dropped",
        "inequality-not-flipped",
        "domain-loss",
        "missing-chain-factor",
        "independence-assumed",
        "wrong-digits",
        "plus-minus-lost",
    ):
        assert mistakes[kind] >= 2, mistakes


def test_the_lists_of_exceptions_are_not_stale() -> None:
    features = {row["feature"] for row in ROWS}
    assert set(PENDING) <= features, set(PENDING) - features
    ids = {row["id"] for row in ROWS}
    assert set(KNOWN_WRONG) <= ids, set(KNOWN_WRONG) - ids


def test_the_committed_corpus_is_what_the_generator_writes(tmp_path: Path) -> None:
    """The expectations are the oracle's: regenerating gives the committed file."""
    from tests.check import make_corpus_v2

    make_corpus_v2.ROWS.clear()
    make_corpus_v2.CORPUS = tmp_path / "corpus_v2.jsonl"
    make_corpus_v2.main()
    assert make_corpus_v2.CORPUS.read_text() == CORPUS.read_text()


def _label(row: dict[str, Any]) -> str:
    return f"{row['id']}-{row['feature']}"


@pytest.mark.parametrize("row", RUN, ids=_label)
def test_derive_answers_as_the_oracle(row: dict[str, Any]) -> None:
    result = check_data(row["request"], limits=GENEROUS, catalog=False)
    if "error" in row:
        assert result.error is not None
        assert row["error"] in result.error, result.error
        assert "\n" not in result.error
        return
    shown = (row["request"]["steps"], [p.as_dict() for p in result.pairs], result.error)
    assert result.error is None, shown
    assert result.verdict == row["verdict"], shown
    assert result.first_error == row["first_error"], shown
    by_target = {p.target: p for p in result.pairs}
    for index, (truth, relation) in enumerate(zip(row["truth"], row["relations"], strict=True)):
        pair = by_target.get(index)
        if relation is not None and pair is not None:  # what was judged: '<=>', '=>', '>=', '≈'
            assert pair.relation == relation, (index, shown)
        if truth == "holds":
            assert pair is not None, (index, shown)
            assert pair.verdict in ("proven", "numeric"), (index, shown)
        elif truth == "fails":
            assert pair is not None, (index, shown)
            assert pair.verdict == "refuted", (index, shown)
            assert pair.counterexample or pair.diagnosis, (index, shown)
        elif pair is not None:  # a premise or a definition is not judged
            assert pair.verdict in ("given", "defined"), (index, shown)
    assert result.score == pytest.approx(row["score"]), shown
