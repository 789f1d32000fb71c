"""Blocks: lines, whys and declarations read at their file places; each line's verdict as a
hand derivation says it should be; a refuted line's counterexample really breaks it."""

from __future__ import annotations

import math

import pytest

from derive.documents.blocks import check_block, parse_block, parse_given
from derive.documents.errors import DocumentError


def test_lines_keep_their_file_line_column_and_why() -> None:
    block = parse_block(
        "\n  given: x positive\n\nlog(x^2)   # why: square inside\n   = 2 log(x)  # power rule\n",
        path="n.md",
        first_line=7,
    )
    assert [(line.number, line.column, line.text) for line in block.lines] == [
        (10, 1, "log(x^2)"),
        (11, 4, "= 2 log(x)"),
    ]
    assert [line.why for line in block.lines] == ["square inside", "power rule"]
    assert block.kinds == {"x": "positive"}
    assert (block.given[0].line, block.given[0].column) == (8, 10)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("x positive", {"x": "positive"}),
        ("x = positive, A matrix 3 3", {"x": "positive", "A": "matrix 3 3"}),
        (
            "X, Y independent random, p probability",
            {"X, Y": "independent random", "p": "probability"},
        ),
        ("theta vector 3", {"theta": "vector 3"}),
    ],
)
def test_given_reads_names_before_their_kind(text: str, expected: dict[str, str]) -> None:
    assert {g.names: g.kind for g in parse_given(text)} == expected


@pytest.mark.parametrize(
    ("text", "column", "message"),
    [
        ("x positive, y", 13, "'y' has no kind"),
        ("x positive,, y scalar", 12, "an empty declaration"),
        ("A matrix 3", 1, "needs 2 size"),
        ("x wobbly", 1, "wobbly"),
        ("x positive, 3 scalar", 13, "cannot read '3 scalar'"),
    ],
)
def test_a_bad_declaration_is_located(text: str, column: int, message: str) -> None:
    with pytest.raises(DocumentError) as caught:
        parse_given(text, path="d.md", line=4, column=1)
    assert (caught.value.line, caught.value.column) == (4, column)
    assert message in caught.value.message
    assert str(caught.value).startswith(f"d.md:4:{column}: ")


# Expected marks worked out by hand (None: the expression a chain starts from; "holds": the
# line follows, proven symbolically or at every test point).
CASES = [
    ("x + x\n= 2x\n= 3x", {}, [None, "proven", "refuted"]),
    ("(a + b)^2\n= a^2 + 2a b + b^2\n>= 4a b", {}, [None, "proven", "proven"]),
    ("let s = sigmoid(z)\ndiff(s, z)\n= s(1 - s)", {}, ["defined", None, "proven"]),
    ("x^2 = 4\n<=> x = 2", {}, ["given", "refuted"]),
    ("x^2 = 4\n<=> x = 2 or x = -2", {}, ["given", "holds"]),
    ("given: x positive\nlog(x^2)\n= 2 log(x)", {}, [None, "proven"]),
    ("log(x^2)\n= 2 log(x)", {}, [None, "refuted"]),
    ("inv(A B)\n= inv(B) inv(A)", {"A, B": "matrix 2 2"}, [None, "proven"]),
]


@pytest.mark.parametrize(("text", "given", "marks"), CASES)
def test_each_line_gets_the_verdict_worked_out_by_hand(
    text: str, given: dict[str, str], marks: list[str | None]
) -> None:
    checked = check_block(parse_block(text), given=given, catalog=False)
    follows = {"proven": "holds", "numeric": "holds"}
    shown = [line.verdict for line in checked.lines]
    seen = [follows.get(v, v) if m == "holds" else v for v, m in zip(shown, marks, strict=True)]
    assert seen == marks
    assert checked.status == (1 if "refuted" in marks else 0)


def test_a_refuted_line_comes_with_a_counterexample_that_breaks_it() -> None:
    checked = check_block(parse_block("x + x\n= 2x\n= x^2 + 1"), catalog=False)
    wrong = checked.lines[2]
    assert wrong.verdict == "refuted"
    assert wrong.counterexample is not None
    x = float(wrong.counterexample["x"])
    assert not math.isclose(2 * x, x**2 + 1)  # evaluated here, not by the checker
    assert wrong.reason is not None
    assert "line 3" in wrong.reason
    assert "step" not in wrong.reason


@pytest.mark.parametrize(
    ("text", "line", "column", "message"),
    [
        ("x\n  = (2x + ", 6, 10, "unexpected end of input"),
        ("x\n= sinn(x)", 6, 3, "unknown function 'sinn'"),
        ("x + x", 5, 1, "at least two steps"),
        ("\n\n# only a comment\n", 5, 1, "an empty block"),
    ],
)
def test_an_unreadable_block_is_located(text: str, line: int, column: int, message: str) -> None:
    with pytest.raises(DocumentError) as caught:
        check_block(parse_block(text, path="w.md", first_line=5), catalog=False)
    assert (caught.value.path, caught.value.line, caught.value.column) == ("w.md", line, column)
    assert message in caught.value.message


def test_an_undeclared_function_is_told_how_to_declare_it_in_a_block() -> None:
    with pytest.raises(DocumentError, match="'given: sinn function'"):
        check_block(parse_block("sinn(x)\n= 1"), catalog=False)
