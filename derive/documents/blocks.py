"""A ``derive`` block: steps in the checker's syntax, one per line, checked line by line.

>>> block = parse_block('''given: z positive
... let s = sigmoid(z)   # name the sigmoid
... diff(s, z)
... = s(1 - s)           # the chain rule
... = s^2''', path="notes.md", first_line=10)
>>> [line.number for line in block.lines], block.lines[2].why
([11, 12, 13, 14], 'the chain rule')
>>> checked = check_block(block, catalog=False)
>>> [line.verdict for line in checked.lines]
['defined', None, 'proven', 'refuted']
>>> checked.verdict, checked.lines[3].counterexample is not None
('incorrect', True)

Each line holds one step (``let`` definitions, expressions, ``= e`` / ``<= e`` continuing the
chain, statements with ``<=>`` / ``=>``); text after ``#`` is the line's *why* (a leading
``why:`` is dropped). ``given:`` lines declare kinds as ``derive check --given`` does, names
before their kind: ``given: x positive, A matrix 3 3, X, Y independent random`` (``x =
positive`` also reads). Blank lines and lines holding only a ``#`` comment are skipped. Whatever
cannot be read is a :class:`DocumentError` at its file, line and column.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from derive.checker.api import PairVerdict, Result, check, read_kinds
from derive.checker.errors import InputError
from derive.checker.limits import LIMITS
from derive.documents.errors import DocumentError

_NAME = r"[A-Za-z][A-Za-z0-9_]*"
_BARE = re.compile(rf"\s*({_NAME})\s*$")
_DECLARED = re.compile(rf"\s*({_NAME})\s*(?:=|:|\s)\s*(\S.*?)\s*$")
_GIVEN = re.compile(r"\s*given\s*:", re.IGNORECASE)
_WHY = re.compile(r"\s*why\s*:\s*", re.IGNORECASE)
_STEP_ERROR = re.compile(r"step (\d+)(?:, column (\d+))?: (.*)", re.DOTALL)
_JSON_GIVEN = re.compile(r'"([A-Za-z][A-Za-z0-9_]*)": "([a-z][a-z0-9 ]*)"')
_GIVEN_ERROR = re.compile(r"given '([^']*)'(?:, column \d+)?: (.*)", re.DOTALL)


@dataclass(frozen=True)
class Given:
    """One declaration: ``names`` (one name, or several as ``"X, Y"``) are of ``kind``;
    ``line`` and ``column`` locate it in its file."""

    names: str
    kind: str
    line: int
    column: int


@dataclass(frozen=True)
class Line:
    """One step as written: its text, its *why* (or None), and where it starts."""

    text: str
    why: str | None
    number: int
    column: int


@dataclass(frozen=True)
class Block:
    """A block's steps and declarations, and where it is (``first_line`` is the file line of
    the block's first line of text)."""

    lines: tuple[Line, ...]
    given: tuple[Given, ...] = ()
    path: str = "<cell>"
    first_line: int = 1

    @property
    def kinds(self) -> dict[str, str]:
        """The declarations as a checker request's ``given`` (later ones win)."""
        return {g.names: g.kind for g in self.given}

    @property
    def steps(self) -> tuple[str, ...]:
        return tuple(line.text for line in self.lines)


Mark = PairVerdict | None  # None: the expression a chain starts from (nothing to judge)


@dataclass(frozen=True)
class CheckedLine:
    """A line with its verdict: ``proven`` / ``numeric`` / ``refuted`` / ``unknown``, or
    ``given`` (a premise), ``defined`` (a ``let``), None (the start of a chain); the relation
    judged, the checker's reason (diagnosis and note, its "step N" said as the file's "line
    L"), and a refuted line's counterexample."""

    line: Line
    read: str
    verdict: Mark = None
    relation: str | None = None
    reason: str | None = None
    counterexample: Mapping[str, str] | None = None

    @property
    def mark(self) -> str:
        """The verdict as a word: ``start`` for the expression a chain starts from."""
        return self.verdict or "start"


@dataclass(frozen=True)
class CheckedBlock:
    """A block and the checker's result on it, line by line."""

    block: Block
    result: Result
    lines: tuple[CheckedLine, ...]

    @property
    def verdict(self) -> str:
        return self.result.verdict

    @property
    def status(self) -> int:
        """As ``derive check``: 0 correct, 1 incorrect or unknown, 3 an internal error."""
        return self.result.status

    @property
    def assumed(self) -> tuple[str, ...]:
        """Undeclared names the checker took as real scalars."""
        return self.result.assumed

    def as_dict(self) -> dict[str, Any]:
        """The checker's JSON result, with where the block is (``id`` ``path:line`` unless
        given) and each step's file line."""
        data = self.result.as_dict()
        if data["id"] is None:
            data["id"] = f"{self.block.path}:{self.block.first_line}"
        data["path"] = self.block.path
        data["line"] = self.block.first_line
        data["lines"] = [line.line.number for line in self.lines]
        return data


def parse_given(
    text: str, *, path: str = "<cell>", line: int = 1, column: int = 1
) -> tuple[Given, ...]:
    """Declarations ``x positive, A matrix 3 3, X, Y independent random`` (``column``: where
    ``text`` starts on its ``line``).

    >>> [(g.names, g.kind, g.column) for g in parse_given("x positive, X, Y random", column=8)]
    [('x', 'positive', 8), ('X, Y', 'random', 20)]
    """
    found: list[Given] = []
    pending: list[tuple[str, int]] = []
    offset = 0
    for piece in text.split(","):
        at = column + offset + len(piece) - len(piece.lstrip())
        offset += len(piece) + 1
        if not piece.strip():
            raise DocumentError(path, line, at, "an empty declaration (write 'NAME KIND')")
        bare, declared = _BARE.match(piece), _DECLARED.match(piece)
        if bare:
            pending.append((bare.group(1), at))
        elif declared:
            names = [*(n for n, _ in pending), declared.group(1)]
            start = pending[0][1] if pending else at
            pending = []
            given = Given(", ".join(names), declared.group(2), line, start)
            try:
                read_kinds({given.names: given.kind}, LIMITS)
            except InputError as error:
                raise DocumentError(path, line, start, error.message) from None
            found.append(given)
        else:
            wanted = "write 'NAME KIND', e.g. 'x positive'"
            raise DocumentError(path, line, at, f"cannot read {piece.strip()!r}: {wanted}")
    if pending:
        name, at = pending[-1]
        raise DocumentError(path, line, at, f"{name!r} has no kind (e.g. '{name} positive')")
    return tuple(found)


def parse_block(text: str, *, path: str = "<cell>", first_line: int = 1) -> Block:
    """The block in ``text``, whose first line is line ``first_line`` of ``path``."""
    lines: list[Line] = []
    given: list[Given] = []
    for number, raw in enumerate(text.splitlines(), first_line):
        body, hash_sign, comment = raw.partition("#")
        why = _WHY.sub("", comment, count=1).strip() if hash_sign else ""
        if not body.strip():
            continue
        indent = len(body) - len(body.lstrip())
        declaration = _GIVEN.match(body)
        if declaration:
            if hash_sign:
                raise DocumentError(path, number, len(body) + 1, "a 'given:' line has no why")
            start = declaration.end()
            given.extend(parse_given(body[start:], path=path, line=number, column=start + 1))
            continue
        lines.append(Line(body.strip(), why or None, number, indent + 1))
    if not lines:
        raise DocumentError(path, first_line, 1, "an empty block (write one step per line)")
    return Block(tuple(lines), tuple(given), path, first_line)


def check_block(
    block: Block,
    *,
    given: Mapping[str, str] | None = None,
    budget: float | None = None,
    catalog: bool = True,
) -> CheckedBlock:
    """Check ``block`` (with ``given``: declarations it inherits, e.g. a document's front
    matter; its own come after and win). A block that cannot be read raises
    :class:`DocumentError` at the place the checker names."""
    kinds = {**(given or {}), **block.kinds}
    result = check(list(block.steps), kinds, budget=budget, catalog=catalog)
    if result.error is not None and not result.internal:
        raise locate(block, result.error)
    pairs = {p.target: p for p in result.pairs}
    checked = []
    for index, line in enumerate(block.lines):
        read = result.steps[index] if index < len(result.steps) else line.text
        pair = pairs.get(index)
        if pair is None:
            checked.append(CheckedLine(line, read))
            continue
        reasons = [_lines_named(r, block) for r in (pair.diagnosis, pair.note) if r]
        checked.append(
            CheckedLine(
                line,
                read,
                pair.verdict,
                pair.relation if pair.judged else None,
                "; ".join(reasons) or None,
                pair.counterexample,
            )
        )
    return CheckedBlock(block, result, tuple(checked))


def _lines_named(text: str, block: Block) -> str:
    """The checker's "step N" (0-based, within the block) said as the file's "line L"."""

    def line(match: re.Match[str]) -> str:
        index = int(match.group(1))
        if index < len(block.lines):
            return f"line {block.lines[index].number}"
        return match.group(0)

    return re.sub(r"\bstep (\d+)\b", line, text)


def counterexample_text(shown: Mapping[str, str]) -> str:
    """A counterexample on one line: ``z = -39``, or a distribution's table as rows.

    >>> counterexample_text({"X": "[1, 2]", "P": "[1/2, 1/2]"})
    'X = 1, 2 with P = 1/2, 1/2'
    >>> counterexample_text({"a": "1", "b": "-2"})
    'a = 1, b = -2'
    """
    if "P" in shown:
        rest = ", ".join(f"{n} = {v.strip('[]')}" for n, v in shown.items() if n != "P")
        return f"{rest} with P = {shown['P'].strip('[]')}"
    return ", ".join(f"{name} = {value}" for name, value in shown.items())


def locate(block: Block, message: str) -> DocumentError:
    """The checker's error ``message`` (``step 2, column 5: …``) at its file line and column.

    >>> block = parse_block("x\\n  = (x + ", path="a.md", first_line=4)
    >>> str(locate(block, "step 1, column 8: unexpected end of input"))
    'a.md:5:10: unexpected end of input'
    >>> str(locate(block, 'step 0, column 1: unknown f (declare your own: "f": "function")'))
    "a.md:4:1: unknown f (declare your own: 'given: f function')"
    """
    message = _JSON_GIVEN.sub(r"'given: \1 \2'", message)  # a document declares on a line
    step = _STEP_ERROR.fullmatch(message)
    if step and int(step.group(1)) < len(block.lines):
        line = block.lines[int(step.group(1))]
        column = line.column + int(step.group(2) or 1) - 1
        return DocumentError(block.path, line.number, column, step.group(3))
    declared = _GIVEN_ERROR.fullmatch(message)
    if declared:
        for given in block.given:
            if declared.group(1) in [n.strip() for n in given.names.split(",")]:
                return DocumentError(block.path, given.line, given.column, declared.group(2))
    first = block.lines[0]
    return DocumentError(block.path, first.number, first.column, message)
