"""Statements: relations between expressions joined by ``and`` / ``or``, and their printer.

>>> from derive.checker.tree import Name, Num
>>> unparse_statement(Logic("or", (Rel("=", Name("x"), Num("1")), Rel("=", Name("x"), Num("2")))))
'x = 1 or x = 2'

A chain ``0 < x <= 1`` is the conjunction of its links; ``and`` binds tighter than ``or``.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from derive.checker.tree import Name, Node, unparse

OPS = ("=", "!=", "<", "<=", ">", ">=", "≈")
CONNECTIVES = ("<=>", "=>")
SYMBOLS = {"<=": "≤", ">=": "≥", "!=": "≠", "<=>": "⇔", "=>": "⇒"}


@dataclass(frozen=True)
class Rel:
    """``left op right`` for one of :data:`OPS`."""

    op: str
    left: Node
    right: Node


@dataclass(frozen=True)
class Logic:
    """``and`` (a system) or ``or`` of statements."""

    op: str
    parts: tuple[Statement, ...]


Statement = Rel | Logic


def unparse_statement(statement: Statement) -> str:
    """The statement in the text syntax (``and`` binds tighter than ``or``)."""
    if isinstance(statement, Rel):
        return f"{unparse(statement.left)} {statement.op} {unparse(statement.right)}"
    parts = statement.parts
    if statement.op == "and" and _is_chain(parts):  # 0 < x <= 1
        links = [f"{r.op} {unparse(r.right)}" for r in parts if isinstance(r, Rel)]
        first = parts[0]
        assert isinstance(first, Rel)
        return " ".join([unparse(first.left), *links])
    return f" {statement.op} ".join(
        unparse_statement(p)
        if not (statement.op == "and" and _has_or(p))
        else f"({unparse_statement(p)})"
        for p in parts
    )


def _is_chain(parts: tuple[Statement, ...]) -> bool:
    if len(parts) < 2 or not all(isinstance(p, Rel) for p in parts):
        return False
    return all(
        isinstance(a, Rel) and isinstance(b, Rel) and a.right == b.left
        for a, b in itertools.pairwise(parts)
    )


def _has_or(statement: Statement) -> bool:
    return isinstance(statement, Logic) and statement.op == "or"


def relations(statement: Statement) -> Iterator[Rel]:
    """Every relation in the statement.

    >>> from derive.checker.tree import Name
    >>> len(list(relations(Logic("and", (Rel("<", Name("a"), Name("b")),) * 2))))
    2
    """
    if isinstance(statement, Rel):
        yield statement
    else:
        for part in statement.parts:
            yield from relations(part)


def branches(statement: Statement) -> list[list[Rel]]:
    """The statement as an ``or`` of ``and``-systems (disjunctive normal form).

    >>> from derive.checker.tree import Name
    >>> a, b = Rel("=", Name("x"), Name("y")), Rel("<", Name("x"), Name("z"))
    >>> [len(b) for b in branches(Logic("or", (a, Logic("and", (a, b)))))]
    [1, 2]
    """
    if isinstance(statement, Rel):
        return [[statement]]
    if statement.op == "or":
        return [branch for part in statement.parts for branch in branches(part)]
    result: list[list[Rel]] = [[]]
    for part in statement.parts:
        result = [left + right for left in result for right in branches(part)]
    return result


def substitute(node: Any, definitions: Mapping[str, Node]) -> Any:
    """``node`` with every name in ``definitions`` replaced by its definition.

    >>> from derive.checker.parser import parse_chain
    >>> unparse(substitute(parse_chain("s(1 - s)")[0], {"s": parse_chain("sigmoid(z)")[0]}))
    'sigmoid(z)*(1 - sigmoid(z))'
    """
    if not definitions:
        return node
    if isinstance(node, Name):
        return definitions.get(node.name, node)
    if isinstance(node, tuple):
        return tuple(substitute(item, definitions) for item in node)
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        changes = {}
        for f in dataclasses.fields(node):
            value = getattr(node, f.name)
            if dataclasses.is_dataclass(value) or isinstance(value, tuple):
                changes[f.name] = substitute(value, definitions)
        return dataclasses.replace(node, **changes) if changes else node
    return node


def _parts(node: Any) -> list[Any]:
    """The subtrees of a node (tuples and nodes; not its text or column)."""
    if isinstance(node, tuple):
        values = list(node)
    elif dataclasses.is_dataclass(node) and not isinstance(node, type):
        values = [getattr(node, f.name) for f in dataclasses.fields(node)]
    else:
        return []
    return [v for v in values if isinstance(v, tuple) or dataclasses.is_dataclass(v)]


def _fold(node: Any, leaf: Any, combine: Any) -> Any:
    """A bottom-up fold over a tree that may share subtrees (each distinct part once),
    iterative so deep trees do not exhaust the stack."""
    memo: dict[int, Any] = {}
    stack: list[tuple[Any, bool]] = [(node, False)]
    while stack:
        current, ready = stack.pop()
        key = id(current)
        if key in memo:
            continue
        parts = _parts(current)
        if ready or not parts:
            memo[key] = combine(current, [memo[id(p)] for p in parts]) if parts else leaf(current)
            continue
        stack.append((current, True))
        stack.extend((p, False) for p in parts if id(p) not in memo)
    return memo[id(node)]


def size(node: Any) -> int:
    """Parts of a tree counted with repetition (a definition used twice counts twice), in time
    linear in the distinct parts.

    >>> from derive.checker.parser import parse_chain
    >>> a = parse_chain("x + x")[0]
    >>> size(a), size(substitute(parse_chain("a * a")[0], {"a": a}))
    (3, 7)
    """

    def leaf(part: Any) -> int:
        return 1 if dataclasses.is_dataclass(part) and not isinstance(part, type) else 0

    def combine(part: Any, sizes: list[int]) -> int:
        return sum(sizes) + (0 if isinstance(part, tuple) else 1)

    return int(_fold(node, leaf, combine))


def mentioned(node: Any) -> frozenset[str]:
    """The names written in a tree or statement (before any reading of kinds).

    >>> from derive.checker.parser import parse_chain
    >>> sorted(mentioned(parse_chain("a + sin(b)")[0]))
    ['a', 'b']
    """

    def leaf(part: Any) -> frozenset[str]:
        return frozenset({part.name}) if isinstance(part, Name) else frozenset()

    def combine(part: Any, found: list[frozenset[str]]) -> frozenset[str]:
        return frozenset().union(*found)

    return frozenset(_fold(node, leaf, combine))
