"""Property tests: any text is either read or refused with an InputError (nothing else
escapes), and printed trees read back as themselves."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from derive.checker.api import check
from derive.checker.errors import InputError
from derive.checker.latex import parse_latex_chain
from derive.checker.parser import parse_chain
from derive.checker.tree import Bin, Call, Name, Neg, Node, Num, Transpose, unparse

ALPHABET = st.sampled_from([*"xyzAB0123456789+-*/^().,=[]'T _e", "sin(", "diff(", "λ"])
LATEX_ALPHABET = st.sampled_from(
    [*"xy12+-^_{}()=|&", r"\frac", r"\sqrt", r"\sin", r"\top", r"\left(", r"\right)", r"\\"]
)


def read_or_refused(parse: object, source: str) -> None:
    """Either a tree list or an InputError of one line; anything else fails the test."""
    try:
        parse(source)  # type: ignore[operator]
    except InputError as error:
        message = str(error)
    else:
        message = ""
    assert "\n" not in message


@given(st.lists(ALPHABET, max_size=30).map("".join))
def test_text_is_read_or_refused(source: str) -> None:
    read_or_refused(parse_chain, source)


@given(st.lists(LATEX_ALPHABET, max_size=30).map("".join))
def test_latex_is_read_or_refused(source: str) -> None:
    read_or_refused(parse_latex_chain, source)


@given(st.text(max_size=40))
def test_any_unicode_gets_a_result(source: str) -> None:
    result = check(["x", source], budget=60.0)  # never reached: no alarm under Hypothesis
    assert result.verdict in ("correct", "incorrect", "unknown")
    assert result.error is None or "\n" not in result.error


def trees() -> st.SearchStrategy[Node]:
    leaves = st.one_of(
        st.sampled_from(["0", "1", "2", "10", "0.5"]).map(Num),
        st.sampled_from(["x", "y", "alpha", "A"]).map(Name),
    )

    def extend(inner: st.SearchStrategy[Node]) -> st.SearchStrategy[Node]:
        return st.one_of(
            st.builds(Bin, st.sampled_from(["+", "-", "*", "/", "^"]), inner, inner),
            st.builds(Neg, inner),
            st.builds(Transpose, inner),
            st.builds(lambda a: Call("sin", (a,)), inner),
            st.builds(lambda a, b: Call("diff", (a, b)), inner, st.just(Name("x"))),
        )

    return st.recursive(leaves, extend, max_leaves=12)


@given(trees())
def test_printed_trees_read_back(tree: Node) -> None:
    assert parse_chain(unparse(tree)) == [tree]
