"""Reading a derivation document: front matter, Markdown prose, fenced ``derive`` blocks.

>>> document = read_document('''---
... title: The sigmoid's derivative
... given: z positive
... ---
... We differentiate $\\\\sigma(z)$.
...
... ```derive
... diff(sigmoid(z), z)
... = sigmoid(z)(1 - sigmoid(z))   # the chain rule
... ```
... ''', path="sigmoid.md")
>>> document.title, [type(p).__name__ for p in document.parts]
("The sigmoid's derivative", ['Prose', 'Block'])
>>> document.blocks[0].lines[1].number, document.given[0].names
(9, 'z')

The front matter (between ``---`` lines at the top) holds ``key: value`` lines with the keys
``title``, ``id``, ``topic`` and ``given`` (declarations for every block, as in a block's
``given:`` line). A fence whose info string is ``derive`` is a block (see
:mod:`derive.documents.blocks`); every other line is prose, kept as Markdown with ``$…$`` math.
An unknown key, an unclosed front matter or fence, and an unreadable block are each a
:class:`~derive.documents.errors.DocumentError` at their file, line and column.

>>> [m.group(2) for m in MATH.finditer("$x$ costs $5 and $10, $a + b$ and $ c$")]
['x', 'a + b']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from derive.documents.blocks import Block, Given, parse_block, parse_given
from derive.documents.errors import DocumentError

KEYS = ("title", "id", "topic", "given")
# Math in prose, as pandoc reads it: $$…$$ (display), or $…$ whose opening $ is not followed by a
# space and whose closing $ is neither preceded by a space nor followed by a digit ("$5 and $10"
# is text); \$ is a dollar sign.
MATH = re.compile(
    r"(?<!\\)\$\$(.+?)(?<!\\)\$\$|(?<![\\$])\$(?=[^\s$])([^$\n]*?[^\s\\$])\$(?!\d)", re.DOTALL
)
_FENCE = re.compile(r"( {0,3})(`{3,}|~{3,})(.*)$")
_KEY = re.compile(r"([^:\s][^:]*?)\s*:\s*(.*?)\s*$")
_ID = re.compile(r"[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True)
class Prose:
    """Markdown text (with ``$…$`` math) starting on file line ``line``."""

    text: str
    line: int


@dataclass(frozen=True)
class Document:
    """A document: its front matter and its parts in order (prose and blocks)."""

    path: str
    parts: tuple[Prose | Block, ...]
    title: str | None = None
    id: str | None = None
    topic: str | None = None
    given: tuple[Given, ...] = ()

    @property
    def blocks(self) -> tuple[Block, ...]:
        return tuple(p for p in self.parts if isinstance(p, Block))

    @property
    def kinds(self) -> dict[str, str]:
        """The front matter's declarations, as a checker request's ``given``."""
        return {g.names: g.kind for g in self.given}

    @property
    def name(self) -> str:
        """The document's id: the front matter's ``id``, else the file name's stem."""
        return self.id or Path(self.path).stem


def load_document(path: str | Path) -> Document:
    """Read the document in the file ``path`` (UTF-8)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise DocumentError(str(path), 1, 1, f"not UTF-8 text ({error.reason})") from None
    except OSError as error:
        raise DocumentError(str(path), 1, 1, f"cannot read the file ({error.strerror})") from None
    return read_document(text, path=str(path))


def read_document(text: str, *, path: str = "<document>") -> Document:
    """The document in ``text`` (``path`` names it in errors)."""
    lines = text.splitlines()
    meta: dict[str, str] = {}
    given: tuple[Given, ...] = ()
    start = 0
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
        if end is None:
            raise DocumentError(path, 1, 1, "the front matter has no closing '---' line")
        for index in range(1, end):
            raw = lines[index]
            if not raw.strip() or raw.lstrip().startswith("#"):
                continue
            column = len(raw) - len(raw.lstrip()) + 1
            match = _KEY.match(raw.strip())
            if match is None:
                raise DocumentError(path, index + 1, column, "front matter lines are 'key: value'")
            key, value = match.group(1), match.group(2)
            if key not in KEYS:
                raise DocumentError(
                    path,
                    index + 1,
                    column,
                    f"unknown front-matter key {key!r} (known: {', '.join(KEYS)})",
                )
            if key in meta:
                raise DocumentError(path, index + 1, column, f"{key!r} is given twice")
            meta[key] = _unquote(value)
            if key == "given":
                at = column + match.start(2)
                given = parse_given(value, path=path, line=index + 1, column=at)
            if key == "id" and not _ID.match(meta[key]):
                raise DocumentError(
                    path, index + 1, column, "an id is lower-case letters, digits and '-'"
                )
        start = end + 1
    parts: list[Prose | Block] = []
    prose: list[str] = []
    prose_line = start + 1
    index = start
    while index < len(lines):
        fence = _FENCE.match(lines[index])
        if fence is None:
            prose.append(lines[index])
            index += 1
            continue
        marker, info = fence.group(2), fence.group(3).strip()
        if marker[0] == "`" and "`" in info:  # not a fence: inline code
            prose.append(lines[index])
            index += 1
            continue
        close = _closing(lines, index + 1, marker)
        if close is None:
            what = "block" if _is_derive(info) else "code fence"
            raise DocumentError(
                path, index + 1, len(fence.group(1)) + 1, f"unclosed {what}: no closing {marker}"
            )
        if not _is_derive(info):
            prose.extend(lines[index : close + 1])
        else:
            if any(line.strip() for line in prose):
                parts.append(Prose("\n".join(prose).strip("\n"), prose_line))
            body = "\n".join(lines[index + 1 : close])
            try:
                parts.append(parse_block(body, path=path, first_line=index + 2))
            except DocumentError as error:
                if error.message.startswith("an empty block"):
                    raise DocumentError(path, index + 1, 1, error.message) from None
                raise
            prose = []
            prose_line = close + 2
        index = close + 1
    if any(line.strip() for line in prose):
        parts.append(Prose("\n".join(prose).strip("\n"), prose_line))
    return Document(path, tuple(parts), meta.get("title"), meta.get("id"), meta.get("topic"), given)


def _is_derive(info: str) -> bool:
    return info.split()[0] == "derive" if info.split() else False


def _closing(lines: list[str], start: int, marker: str) -> int | None:
    """The index of the line closing a fence opened with ``marker`` (CommonMark's rule)."""
    for index in range(start, len(lines)):
        stripped = lines[index].strip()
        indent = len(lines[index]) - len(lines[index].lstrip())
        fence = stripped and set(stripped) == {marker[0]} and len(stripped) >= len(marker)
        if indent <= 3 and fence:
            return index
    return None


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value
