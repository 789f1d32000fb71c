"""Every recorded catalog mistake, printed in the checker's syntax and submitted as a
learner's two steps, is refuted and named; every catalog result checks against itself.
Parametrised over the whole catalog, so a new entry is tested by being added."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pytest

from derive.catalog import derivations, get
from derive.checker.api import check_data
from derive.checker.catalog import mistake_request, request_for, warm
from derive.checker.limits import Limits
from derive.checker.printer import Unprintable

# Outcomes must not depend on the machine's speed: a budget no request comes near.
GENEROUS = Limits(budget=120.0, catalog_search=60.0)

MISTAKES = [(d.id, i) for d in derivations() for i in range(len(d.mistakes))]


def _request(identifier: str, index: int) -> dict[str, Any] | str:
    derivation = get(identifier)
    try:
        return mistake_request(derivation, derivation.mistakes[index])
    except Unprintable as reason:
        return str(reason)


REQUESTS = {(identifier, index): _request(identifier, index) for identifier, index in MISTAKES}
# Only mistakes the syntax can say are submitted; the rest are counted below, not skipped.
PRINTABLE = [key for key, request in REQUESTS.items() if isinstance(request, dict)]


def _titles_by_formula() -> dict[tuple[str, ...], set[str]]:
    """Recorded mistakes that print the same (any of them is a right name)."""
    titles: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for (identifier, index), request in REQUESTS.items():
        if isinstance(request, dict):
            mistake = get(identifier).mistakes[index]
            titles[tuple(request["steps"])].add(
                f"{mistake.name or 'a recorded mistake'} ({identifier})"
            )
    return titles


TITLES = _titles_by_formula()


@pytest.fixture(scope="module", autouse=True)
def _warm() -> None:
    """Build the catalog's mistake index first: these tests are about naming mistakes, not
    about the first request's cold start (which the time budget may cut short)."""
    warm()


@pytest.mark.parametrize(("identifier", "index"), PRINTABLE)
def test_a_recorded_mistake_is_refuted_and_named(identifier: str, index: int) -> None:
    request = REQUESTS[identifier, index]
    assert isinstance(request, dict)
    result = check_data(request, limits=GENEROUS)
    if result.error is not None:  # a non-conformable formula: a shape error at its column
        assert "column" in result.error
        assert "cannot" in result.error or "needs a square matrix" in result.error
        return
    assert result.verdict == "incorrect", (request, [p.as_dict() for p in result.pairs])
    assert result.first_error == 1
    diagnosis = result.pairs[0].diagnosis or ""
    assert any(title in diagnosis for title in TITLES[tuple(request["steps"])]), diagnosis


def test_most_recorded_mistakes_can_be_written_in_the_syntax() -> None:
    assert len(PRINTABLE) >= 0.8 * len(MISTAKES)


@pytest.mark.parametrize("key", [key for key in MISTAKES if key not in PRINTABLE])
def test_an_unprintable_mistake_says_why(key: tuple[str, int]) -> None:
    """A mistake the syntax cannot say is refused with a reason a reader can act on."""
    reason = REQUESTS[key]
    assert isinstance(reason, str)
    assert "spelling" in reason or "too long" in reason or "cannot be written" in reason


def _result_request(identifier: str) -> dict[str, Any] | None:
    derivation = get(identifier)
    rhs = derivation.result.rhs
    try:
        return request_for(derivation, (rhs, rhs))
    except Unprintable:
        return None


RESULTS = {d.id: _result_request(d.id) for d in derivations()}


def test_most_results_can_be_written_in_the_syntax() -> None:
    assert sum(r is not None for r in RESULTS.values()) >= 0.8 * len(RESULTS)


@pytest.mark.parametrize("identifier", [i for i, r in RESULTS.items() if r is not None])
def test_the_result_checks_against_itself(identifier: str) -> None:
    """The result's right-hand side, written by a learner and checked ``against`` the
    derivation, is never refuted."""
    request = RESULTS[identifier]
    assert request is not None
    result = check_data({**request, "against": identifier}, limits=GENEROUS)
    assert result.error is None
    assert result.verdict in ("correct", "unknown")
    assert all(p.verdict != "refuted" for p in result.pairs)
    assert result.pairs[0].verdict == "proven"
