"""The whole catalog as a learner writes it: each derivation's steps, printed in the checker's
syntax with their relations (``= e`` continuing a chain, an identity as ``lhs`` then ``= rhs``,
``>= e`` / ``<= e``, a hypothesis as a premise ``lhs = rhs`` followed by ``<=> …`` and
``=> …``), is ``correct``; and each recorded mistake put into that working at its line (the
line whose true value the mistake gets wrong) is caught at that line.

The version-2 grammar has no way back from statements to expressions (an expression after a
statement is judged against it), so one derivation is written as a sequence of segments —
expression chains and statement blocks — each a request of its own. The expectation comes
from the catalog (its verifier accepts every step), not from the checker. Segments that need
a feature not landed yet are selected out through PENDING; parametrised over the catalog, so
a new entry is tested by being added.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

import pytest

from derive.catalog import get, ids
from derive.checker.api import check_data
from derive.checker.catalog import request_for
from derive.checker.limits import Limits
from derive.checker.printer import Unprintable
from derive.core.model import Rel

GENEROUS = Limits(budget=120.0, catalog_search=0.0)

# feature -> why its segments are not run yet (remove an entry when the feature lands)
PENDING: dict[str, str] = {}  # statements and chain relations landed in 12d5f0a
# (catalog id, segment number) -> why the checker's answer differs (the catalog is right)
KNOWN_WRONG: dict[tuple[str, int], str] = {}  # dot-product's cos(α − β) = 0: fixed in b6347e4
# catalog id -> (a prefix of names, their kind): an assumption the derivation states in words
# that its symbols' domains do not carry (request_for would declare them real scalars)
ASSUMED: dict[str, tuple[str, str]] = {
    "graph-laplacian": ("w_", "positive"),  # "wᵢⱼ = wⱼᵢ > 0 is the weight of the edge"
}
# catalog id -> why no step of it can be written in the syntax (see tests/test_one_engine.py)
UNWRITABLE: dict[str, str] = {
    "pseudoinverse": "its steps use A⁺ bound to (AᵀA)⁻¹Aᵀ of symbolic size, or are too long "
    "written out entry by entry (test_one_engine: SYMBOLIC_SIZE, TOO_LONG)",
}


@dataclass
class Segment:
    """A request written from consecutive steps: its ``lines`` (texts) and ``given`` (kinds),
    printed together so that every line names things alike, and the feature it needs."""

    statement: bool
    lines: list[str] = field(default_factory=list)
    given: dict[str, str] = field(default_factory=dict)
    feature: str = "v1"

    def request(self, lines: list[str] | None = None) -> dict[str, Any]:
        return {"steps": lines or self.lines, "given": self.given}


@dataclass
class Draft:
    """A segment before printing: its catalog expressions, each with the relation that
    introduces it ('' for the first; for a statement block, (lhs, rhs) pairs)."""

    statement: bool
    items: list[tuple[str, Any]] = field(default_factory=list)


def _text(derivation: Any, *exprs: Any) -> tuple[list[str], dict[str, str]] | None:
    try:
        request = request_for(derivation, exprs)
    except Unprintable:
        return None
    prefix, kind = ASSUMED.get(derivation.id, ("\0", ""))
    given = {name: kind if name.startswith(prefix) else k for name, k in request["given"].items()}
    return request["steps"], given


def _printed(derivation: Any, draft: Draft) -> list[Segment]:
    """The draft as segments: the longest printable prefix, then (for a chain) the rest,
    starting again from the prefix's last line; a line that cannot be printed is left out."""
    items = list(draft.items)
    segments: list[Segment] = []
    while len(items) >= 2:
        for end in range(len(items), 1, -1):
            segment = _segment(derivation, draft.statement, items[:end])
            if segment is not None:
                segments.append(segment)
                break
        else:
            end = 1
        if draft.statement:  # a later statement needs the premise it follows
            break
        rest = items[end - 1 :] if end > 1 else items[1:]
        items = [("", rest[0][1]), *rest[1:]] if len(rest) < len(items) else []
    return segments


def _segment(derivation: Any, statement: bool, items: list[tuple[str, Any]]) -> Segment | None:
    pairs = [pair if statement else (pair,) for _, pair in items]
    exprs = tuple(e for pair in pairs for e in pair)
    printed = _text(derivation, *exprs)
    if printed is None:
        return None
    texts, given = printed
    if statement:
        lines = [
            f"{relation} {texts[2 * k]} = {texts[2 * k + 1]}".strip()
            for k, (relation, _) in enumerate(items)
        ]
        return Segment(True, lines, dict(given), "statements")
    lines = [f"{relation} {text}".strip() for (relation, _), text in zip(items, texts, strict=True)]
    relations = {relation for relation, _ in items[1:]}
    return Segment(False, lines, dict(given), "v1" if relations == {"="} else "chain-relations")


@functools.cache
def working(identifier: str) -> tuple[Segment, ...]:
    """The derivation as a learner's segments (steps the syntax cannot say are left out, and
    the chain they were in is closed)."""
    derivation = get(identifier)
    bound = {getattr(key, "name", None) for key in derivation.bindings}
    drafts: list[Draft] = []
    current: Draft | None = None
    previous = None
    for step in derivation.steps:
        rel = step.rel
        if rel is Rel.GIVEN and getattr(step.lhs, "name", None) not in bound:
            current = Draft(True, [("", (step.lhs, step.rhs))])
        elif rel in (Rel.IFF, Rel.IMPLIES) and current is not None and current.statement:
            current.items.append(("<=>" if rel is Rel.IFF else "=>", (step.lhs, step.rhs)))
        elif rel is Rel.EQ and current is not None and not current.statement:
            current.items.append(("=", step.rhs))
        elif rel is Rel.EQ and previous is not None and previous.rhs is not None:
            current = Draft(False, [("", previous.rhs), ("=", step.rhs)])
        elif rel is Rel.IDENTITY:
            current = Draft(False, [("", step.lhs), ("=", step.rhs)])
        elif rel in (Rel.GE, Rel.LE):
            current = Draft(False, [("", step.lhs), (">=" if rel is Rel.GE else "<=", step.rhs)])
        else:
            current = None
        if current is not None and (not drafts or drafts[-1] is not current):
            drafts.append(current)
        previous = step
    return tuple(s for draft in drafts for s in _printed(derivation, draft))


def _runs(identifier: str, number: int, segment: Segment) -> bool:
    return segment.feature not in PENDING and (identifier, number) not in KNOWN_WRONG


@pytest.mark.parametrize("identifier", ids())
def test_the_derivation_as_a_learner_writes_it_is_correct(identifier: str) -> None:
    segments = working(identifier)
    assert bool(segments) != (identifier in UNWRITABLE), UNWRITABLE.get(identifier, "no segment")
    failures = []
    for number, segment in enumerate(segments):
        if not _runs(identifier, number, segment):
            continue
        result = check_data(segment.request(), limits=GENEROUS, catalog=False)
        if result.error is not None or result.verdict != "correct":
            undecided = [p.as_dict() for p in result.pairs if p.verdict in ("refuted", "unknown")]
            failures.append((number, segment.lines, result.error, undecided))
    assert not failures, failures


def _placements(identifier: str) -> list[tuple[int, int, int, list[str]]]:
    """(mistake index, segment, line, the working with the mistake at that line): a mistake
    whose true side is printed as a line of an expression chain (or as the line before it,
    for an identity) replaces that line."""
    derivation = get(identifier)
    found = []
    for index, mistake in enumerate(derivation.mistakes):
        printed = _text(derivation, mistake.lhs, mistake.rhs)
        if printed is None:
            continue
        (true, wrong), given = printed
        for number, segment in enumerate(working(identifier)):
            if segment.statement or any(segment.given.get(k, v) != v for k, v in given.items()):
                continue
            texts = [
                line.removeprefix("= ").removeprefix(">= ").removeprefix("<= ")
                for line in segment.lines
            ]
            for line in range(1, len(texts)):
                if texts[line] == true or (
                    line == 1 and texts[0] == true and segment.lines[1].startswith("= ")
                ):
                    lines = list(segment.lines)
                    lines[line] = f"= {wrong}"
                    found.append((index, number, line, lines))
                    break
            else:
                continue
            break
    return found


PLACED = [(i, *rest) for i in ids() for rest in _placements(i)]


@pytest.mark.parametrize(
    ("identifier", "mistake", "segment", "line", "lines"),
    PLACED,
    ids=[f"{p[0]}-{p[1]}" for p in PLACED],
)
def test_a_recorded_mistake_is_caught_at_its_line(
    identifier: str, mistake: int, segment: int, line: int, lines: list[str]
) -> None:
    written = working(identifier)[segment]
    if not _runs(identifier, segment, written):
        pytest.skip(PENDING.get(written.feature, "known wrong"))
    result = check_data(written.request(lines), limits=GENEROUS, catalog=False)
    shown = (lines, [p.as_dict() for p in result.pairs], result.error)
    assert result.error is None, shown
    assert result.verdict == "incorrect", shown
    assert result.first_error == line, shown


def test_the_lists_of_exceptions_are_not_stale() -> None:
    assert all(key[1] < len(working(key[0])) for key in KNOWN_WRONG)
    assert set(ASSUMED) <= set(ids())


def test_most_of_the_catalog_can_be_written_as_a_learner_would() -> None:
    assert sum(bool(working(i)) for i in ids()) >= 40
    assert len(PLACED) >= 60, len(PLACED)
