"""The syntax tree both parsers produce, and its printer back to the text syntax.

>>> unparse(Bin("*", Num("2", 1), Call("sin", (Name("x", 7),), 3), 2))
'2*sin(x)'

Nodes are frozen dataclasses carrying the 1-based column where they start, for error
messages. The tree says nothing about shapes: ``*`` is resolved to a matrix product or a
scaling, ``^T`` to a transpose and ``^-1`` to an inverse only when types are known.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Num:
    """A number literal, kept as written (``0.1`` is read as exactly 1/10)."""

    text: str
    column: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Name:
    """A variable or a constant (``e``, ``pi`` unless declared)."""

    name: str
    column: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Neg:
    """Unary minus."""

    operand: Node
    column: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Bin:
    """A binary operation: ``+ - * / ^`` (``@`` and juxtaposition are ``*``)."""

    op: str
    left: Node
    right: Node
    column: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Transpose:
    """``A.T``, ``A'``, ``A^T``, ``A^\\top``."""

    operand: Node
    column: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Call:
    """A function applied to arguments: ``sin(x)``, ``det(A)``, ``diff(f, x)``."""

    func: str
    args: tuple[Node, ...]
    column: int = field(default=0, compare=False)


@dataclass(frozen=True)
class MatrixLit:
    """A matrix literal, row by row; ``[a, b]`` is the column ``[[a], [b]]``."""

    rows: tuple[tuple[Node, ...], ...]
    column: int = field(default=0, compare=False)


Node = Num | Name | Neg | Bin | Transpose | Call | MatrixLit

_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2, "neg": 3, "^": 4, "atom": 5}


def _level(node: Node) -> int:
    if isinstance(node, Bin):
        return _PRECEDENCE[node.op]
    if isinstance(node, Neg):
        return _PRECEDENCE["neg"]
    return _PRECEDENCE["atom"]


def _wrap(node: Node, above: int, *, strict: bool = False) -> str:
    text = unparse(node)
    level = _level(node)
    return f"({text})" if level < above or (strict and level == above) else text


def unparse(node: Node) -> str:
    """The node in the checker's text syntax, with only the parentheses it needs."""
    if isinstance(node, Num):
        return node.text
    if isinstance(node, Name):
        return node.name
    if isinstance(node, Neg):
        return "-" + _wrap(node.operand, _PRECEDENCE["neg"])
    if isinstance(node, Transpose):
        if isinstance(node.operand, Num):  # 2.T would read as the number 2. times T
            return f"({node.operand.text}).T"
        return _wrap(node.operand, _PRECEDENCE["atom"]) + ".T"
    if isinstance(node, Call):
        if node.func in ("P", "and", "or", "not"):  # events, as the parser reads them
            return _event(node)
        return f"{node.func}({', '.join(unparse(a) for a in node.args)})"
    if isinstance(node, MatrixLit):
        if all(len(row) == 1 for row in node.rows):
            return "[" + ", ".join(unparse(row[0]) for row in node.rows) + "]"
        rows = ("[" + ", ".join(unparse(e) for e in row) + "]" for row in node.rows)
        return "[" + ", ".join(rows) + "]"
    level = _PRECEDENCE[node.op]
    if node.op == "^":  # right-associative
        return f"{_wrap(node.left, level, strict=True)}^{_wrap(node.right, level)}"
    left = _wrap(node.left, level)
    right = _wrap(node.right, level, strict=True)  # operators are read left to right
    if node.op == "+" and right.startswith("-"):
        return f"{left} + ({right})"
    return f"{left} {node.op} {right}" if level == 1 else f"{left}{node.op}{right}"


def _event(node: Call) -> str:
    """``P(A | B)``, ``A and not B``: probability and event operators in their own syntax."""
    if node.func == "P":
        return f"P({' | '.join(_event_operand(a, 0) for a in node.args)})"
    if node.func == "not":
        return "not " + _event_operand(node.args[0], 3)
    level = 1 if node.func == "or" else 2
    left, right = (_event_operand(a, level) for a in node.args)
    return f"{left} {node.func} {right}"


def _event_operand(node: Node, above: int) -> str:
    levels = {"or": 1, "and": 2, "not": 3}
    if isinstance(node, Call) and node.func in levels:
        text = _event(node)
        return f"({text})" if levels[node.func] < above else text
    return unparse(node)


def children(node: Node) -> tuple[Node, ...]:
    """The direct subtrees of a node."""
    if isinstance(node, (Neg, Transpose)):
        return (node.operand,)
    if isinstance(node, Bin):
        return (node.left, node.right)
    if isinstance(node, Call):
        return node.args
    if isinstance(node, MatrixLit):
        return tuple(e for row in node.rows for e in row)
    return ()


def walk(node: Node) -> Iterator[Node]:
    """Every node of the tree, parents before children."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(children(current)))
