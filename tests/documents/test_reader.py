"""Reading documents: front matter, prose kept as Markdown, ``derive`` fences as blocks at
their file lines; bad documents as one located error."""

from __future__ import annotations

from pathlib import Path

import pytest

from derive.documents.blocks import Block
from derive.documents.errors import DocumentError
from derive.documents.reader import Prose, load_document, read_document

EXAMPLES = sorted((Path(__file__).parents[2] / "examples" / "documents").glob("*.md"))

TEXT = """---
title: "Two blocks"
id: two-blocks
topic: calculus
given: x positive, n integer
---
Some prose with $\\frac{a}{b}$ and a fence of another language:

```python
print("not a block")
```

```derive
given: y scalar
x + x
= 2x   # doubling
```
Between.

~~~~ derive extra words
y
= y
~~~~
"""


def test_front_matter_prose_and_blocks_in_order() -> None:
    document = read_document(TEXT, path="t.md")
    assert (document.title, document.id, document.topic) == ("Two blocks", "two-blocks", "calculus")
    assert document.kinds == {"x": "positive", "n": "integer"}
    assert [type(p) for p in document.parts] == [Prose, Block, Prose, Block]
    first, second = document.blocks
    assert [line.number for line in first.lines] == [15, 16]
    assert first.kinds == {"y": "scalar"}
    assert first.lines[1].why == "doubling"
    assert [line.number for line in second.lines] == [21, 22]
    prose = document.parts[0]
    assert isinstance(prose, Prose)
    assert prose.line == 7
    assert "$\\frac{a}{b}$" in prose.text
    assert 'print("not a block")' in prose.text


@pytest.mark.parametrize(
    ("text", "line", "column", "message"),
    [
        ("---\ntitle: x\n  author: me\n---\n", 3, 3, "unknown front-matter key 'author'"),
        ("---\ntitle: x\n", 1, 1, "no closing '---'"),
        ("---\ntitle: x\ntitle: y\n---\n", 3, 1, "'title' is given twice"),
        ("---\nid: Not An Id\n---\n", 2, 1, "an id is lower-case"),
        ("---\njust words\n---\n", 2, 1, "'key: value'"),
        ("---\ngiven: x positive, y\n---\n", 2, 20, "'y' has no kind"),
        ("Text\n\n```derive\nx + x\n= 2x\n", 3, 1, "unclosed block"),
        ("Text\n\n   ````derive\nx\n```\n", 3, 4, "unclosed block: no closing ````"),
        ("```python\nx\n", 1, 1, "unclosed code fence"),
        ("```derive\n\n```\n", 1, 1, "an empty block"),
        ("```derive\ngiven: x matrix 2\nx\n```\n", 2, 8, "needs 2 size"),
    ],
)
def test_a_bad_document_is_one_located_error(
    text: str, line: int, column: int, message: str
) -> None:
    with pytest.raises(DocumentError) as caught:
        read_document(text, path="bad.md")
    error = caught.value
    assert (error.line, error.column) == (line, column), str(error)
    assert message in error.message
    assert "\n" not in str(error)
    assert str(error).startswith(f"bad.md:{line}:{column}: ")


def test_a_file_that_is_not_text_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "binary.md"
    path.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(DocumentError, match=r"binary.md:1:1: not UTF-8 text"):
        load_document(path)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_the_examples_read_with_a_title_and_blocks(path: Path) -> None:
    document = load_document(path)
    assert document.title
    assert document.id
    assert document.topic
    assert len(document.blocks) >= 2
