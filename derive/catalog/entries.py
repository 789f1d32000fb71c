"""Read a catalog module's ``ENTRY`` from its source, without importing the module.

>>> entry = read("linear_algebra.inverse_2x2")
>>> entry.id, entry.topic.value, entry.plot.drawing
('inverse-2x2', 'linear-algebra', 'unit_circle_inverse')

A catalog module imports SymPy and builds its derivation on demand; what the catalog needs to
list it (id, topic, title, picture, exercise, widget) is the ``ENTRY = Entry(...)`` statement
near its top, written with literals only: strings, ``None``, ``Topic.X`` and the data classes
of ``derive.catalog.entry``. This module finds that statement, parses just it and evaluates it
by those rules, so ``derive list`` reads the catalog in milliseconds. Anything else in the
statement (a name, an expression) is an :class:`EntryError` naming the file and line.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

from derive.catalog.entry import Entry, Exercise, Picture
from derive.core.model import Topic

HERE = Path(__file__).resolve().parent
CLASSES: dict[str, type] = {"Entry": Entry, "Exercise": Exercise, "Picture": Picture}
START = "ENTRY = "


class EntryError(ValueError):
    """A catalog module whose ``ENTRY`` is missing, not literal, or named against its file."""


def path_of(module: str) -> Path:
    """The source file of a catalog module named relative to ``derive.catalog``.

    >>> path_of("linear_algebra.pagerank").name
    'pagerank.py'
    """
    return HERE.joinpath(*module.split(".")).with_suffix(".py")


def _statement(source: str, where: str) -> ast.Assign:
    """The top-level ``ENTRY = ...`` statement: parsed alone when it can be found as text (the
    first column-0 line that closes it), else from the whole module."""
    lines = source.splitlines(keepends=True)
    starts = [i for i, line in enumerate(lines) if line.startswith(START)]
    if len(starts) == 1:
        first = starts[0]
        for last in range(first, len(lines)):
            if last > first and lines[last][:1] in (" ", "\t", "\n"):
                continue
            try:
                tree = ast.parse("".join(lines[first : last + 1]))
            except SyntaxError:
                continue
            if len(tree.body) == 1 and isinstance(tree.body[0], ast.Assign):
                node = tree.body[0]
                ast.increment_lineno(node, first)
                return node
            break
    found = [
        node
        for node in ast.parse(source, where).body
        if isinstance(node, ast.Assign)
        and [getattr(t, "id", None) for t in node.targets] == ["ENTRY"]
    ]
    if len(found) != 1:
        raise EntryError(f"{where}: needs exactly one top-level `ENTRY = Entry(...)`")
    return found[0]


def _value(node: ast.expr, where: str) -> Any:
    """A literal, ``Topic.X`` or a call of an entry class with such arguments."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in CLASSES:
        args = [_value(a, where) for a in node.args]
        if any(k.arg is None for k in node.keywords):
            raise EntryError(f"{where}:{node.lineno}: no ** in an entry")
        kwargs = {str(k.arg): _value(k.value, where) for k in node.keywords}
        return CLASSES[node.func.id](*args, **kwargs)
    if (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "Topic"
        and node.attr in Topic.__members__
    ):
        return Topic[node.attr]
    try:
        return ast.literal_eval(node)
    except ValueError:
        raise EntryError(
            f"{where}:{node.lineno}: an entry is written with literals only, "
            f"not {ast.unparse(node)!r}"
        ) from None


def parse(source: str, where: str = "<catalog module>") -> Entry:
    """The ``ENTRY`` declared in a module's source, evaluated by the literal rules above.

    >>> parse('ENTRY = Entry(id="pagerank", topic=Topic.LINEAR_ALGEBRA, title="PageRank")').title
    'PageRank'
    """
    node = _statement(source, where)
    entry = _value(node.value, where)
    if not isinstance(entry, Entry):
        raise EntryError(f"{where}:{node.lineno}: ENTRY must be an Entry(...)")
    return entry


def read(module: str) -> Entry:
    """The ``ENTRY`` of a catalog module (``topic_folder.file``), read from its source."""
    path = path_of(module)
    where = str(path)
    entry = parse(path.read_text(encoding="utf-8"), where)
    if entry.module != f"derive.catalog.{module}":
        raise EntryError(
            f"{where}: the entry {entry.id!r} in topic {entry.topic.value!r} belongs in "
            f"{entry.module}, by the file-name convention"
        )
    return entry
