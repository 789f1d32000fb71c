"""Notation as learners write it: each input's reading (in the text syntax) or its one-line error.

The readings are written out by hand from the rules in docs/checker.md ("Notation"); the
end-to-end cases compare numbers typed in people's formats with the same number typed plainly.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path

import pytest

from derive.checker.api import check
from derive.checker.errors import InputError
from derive.checker.latex import parse_latex_chain
from derive.checker.parser import declaring, parse_chain
from derive.checker.statements import read_claim, read_step
from derive.checker.tree import unparse

MATRIX_VECTOR = {"A": "matrix 3 3", "x": "vector 3"}
SCALARS = {"a": "scalar", "b": "scalar"}
FUNCTIONS = {"f": "function", "g": "function"}

# (text syntax, declared names, the reading)
TEXT = [
    # numbers as people write them
    ("7,425,000", None, "7425000"),
    ("7,425,000.25", None, "7425000.25"),
    ("1 000", None, "1000"),
    ("21 429 340", None, "21429340"),
    (".4", None, ".4"),
    ("25%", None, "25/100"),
    ("12.5% x", None, "12.5/100*x"),
    ("2.5e-3", None, "2.5e-3"),
    # inside brackets a comma separates arguments: the reading says so
    ("max(1,000)", None, "max(1, 000)"),
    ("[1,000]", None, "[1, 000]"),
    ("[1 000, 2]", None, "[1000, 2]"),
    # a call is never a product
    ("sin(x)", None, "sin(x)"),
    ("softmax(z)", None, "softmax(z)"),
    ("logsumexp(z)", None, "logsumexp(z)"),
    ("ReLU(x)", None, "relu(x)"),
    ("relu(x) + mean(v)", None, "relu(x) + mean(v)"),
    ("max(a, b, c) - min(a, b)", None, "max(a, b, c) - min(a, b)"),
    ("f(x) + g(2x)", FUNCTIONS, "f(x) + g(2*x)"),
    ("f'(g(x)) g'(x)", FUNCTIONS, "f'(g(x))*g'(x)"),
    ("f''(x)", FUNCTIONS, "f''(x)"),
    # a single letter before a bracket is still a product, as is a Greek letter's name
    ("x(1 - x)", None, "x*(1 - x)"),
    ("a(b + c)", None, "a*(b + c)"),
    ("theta(1 - theta)", None, "theta*(1 - theta)"),
    ("x1(x2 + 1)", None, "x1*(x2 + 1)"),
    ("pi(r)", None, "pi*r"),
    ("f(x)", None, "f*x"),  # f undeclared: a product, as in version 1
    # σ(x) is the sigmoid; σ alone is a name; a declared sigma is a name
    ("σ(x)(1 - σ(x))", None, "sigmoid(x)*(1 - sigmoid(x))"),
    ("sigma(x)", None, "sigmoid(x)"),
    ("σ", None, "sigma"),
    ("σ^2", None, "sigma^2"),
    ("σ(x)", {"sigma": "positive"}, "sigma*x"),
    ("relu(x)", {"relu": "scalar"}, "relu*x"),  # a declared name is a name
    # adjacent letters: declared names side by side
    ("2Ax", MATRIX_VECTOR, "2*A*x"),
    ("x.T Ax", MATRIX_VECTOR, "x.T*A*x"),
    ("ab(a + b)", SCALARS, "a*b*(a + b)"),
    ("aab^2", SCALARS, "a*a*b^2"),
    ("ab", None, "ab"),  # nothing declared: one name, as in version 1
    ("ab", {"ab": "scalar", "a": "scalar", "b": "scalar"}, "ab"),  # declared itself
    ("abc", SCALARS, "abc"),  # c is not declared: no split
    # expectations, moments, probabilities
    ("E[X^2] - E[X]^2", None, "E(X^2) - E(X)^2"),
    ("E(X)", None, "E(X)"),
    ("E[E[X]]", None, "E(E(X))"),
    ("E X", None, "E*X"),
    ("E(X)", {"E": "scalar"}, "E*X"),  # a declared E is a name
    ("Var(X) + 2Cov(X, Y)", None, "Var(X) + 2*Cov(X, Y)"),
    ("Var[X]", None, "Var(X)"),
    ("Corr(X, Y)", None, "Corr(X, Y)"),
    ("P(A)", None, "P(A)"),
    ("P(A | B)", None, "P(A | B)"),
    ("Pr(A | B) + ℙ(A)", None, "P(A | B) + P(A)"),
    ("𝔼[X] - E[X]", None, "E(X) - E(X)"),
    ("P(A and B)/P(B)", None, "P(A and B)/P(B)"),
    ("P(A ∩ B) + P(A ∪ B)", None, "P(A and B) + P(A or B)"),
    ("P(not A)", None, "P(not A)"),
    ("P(¬A)", None, "P(not A)"),
    ("P(A^c)", None, "P(not A)"),
    ("P(A or B and C)", None, "P(A or B and C)"),
    ("P((A or B) and C)", None, "P((A or B) and C)"),
    ("P(not (A or B) | C)", None, "P(not (A or B) | C)"),
    ("P(A^c | B^c)", None, "P(not A | not B)"),
    ("A^c", None, "A^c"),  # outside P: a power
    ("P(1 + r)", {"P": "positive"}, "P*(1 + r)"),
]

# (LaTeX, declared names, the reading)
LATEX = [
    (r"\cfrac{1}{1 + \cfrac{1}{x}}", None, "1/(1 + 1/x)"),
    (r"\dfrac{a}{b} + \tfrac12", None, "a/b + 1/2"),
    (
        r"\left[\begin{array}{cc} a & b \\ c & d \end{array}\right]",
        None,
        "[[a, b], [c, d]]",
    ),
    (r"\left(\begin{array}{c} 1 \\ 2 \end{array}\right)", None, "[1, 2]"),
    (r"\begin{array}{|c|c|} 1 & 2 \end{array}", None, "[[1, 2]]"),
    (r"\mathrm{e}^{x}", None, "e^x"),
    (r"\operatorname{softmax}(z)", None, "softmax(z)"),
    (r"\operatorname{relu}(x) + \operatorname{sin} x", None, "relu(x) + sin(x)"),
    (r"\mathrm{Var}[X]", None, "Var(X)"),
    (r"\operatorname{Cov}(X, Y)", None, "Cov(X, Y)"),
    (r"\max(a, b)", None, "max(a, b)"),
    (r"\mathbb{E}[X^2] - \mathbb{E}[X]^2", None, "E(X^2) - E(X)^2"),
    (r"E[X^2] - E[X]^2", None, "E(X^2) - E(X)^2"),
    (r"\Pr(A \mid B)", None, "P(A | B)"),
    (r"P(A \cap B^c)", None, "P(A and not B)"),
    (r"P(\neg A \cup B)", None, "P(not A or B)"),
    (r"P(A^{c})", None, "P(not A)"),
    (r"\frac{d}{dx}\sigma(x)", None, "diff(sigmoid(x), x)"),
    (r"\sigma(x)(1-\sigma(x))", None, "sigmoid(x)*(1 - sigmoid(x))"),
    (r"\sigma^2", None, "sigma^2"),
    (r"f(x) + f'(x)", FUNCTIONS, "f(x) + f'(x)"),
    (r"x(1-x)", None, "x*(1 - x)"),
    (r"\mathrm{loss}(w) + \operatorname{loss}(2w)", {"loss": "function"}, "loss(w) + loss(2*w)"),
    (r"\mathrm{xy}^2", None, "xy^2"),
    (r"14{,}916", None, "14916"),
    (r"1\,000 + 2", None, "1000 + 2"),
    (r"5,\!460", None, "5460"),
    (r"\boxed{14{,}916}", None, "14916"),
    (r"\$4 + \boxed{\frac{1}{2}}", None, "4 + 1/2"),
    (r"7,425,000", None, "7425000"),
    (r"1 000", None, "1000"),
    (r"\frac{1,000}{2}", None, "1000/2"),
    (r"\max(1,000)", None, "max(1, 000)"),
    (r".4", None, ".4"),
    (r"25\%", None, "25/100"),
    (r"\frac{3}{4}\% + x\%", None, "3/4/100 + x/100"),
    (r"2.5e-3", None, "2.5e-3"),
    (r"2e-3", None, "2*e - 3"),  # without a decimal point, e is Euler's number
]

# (source, declared names, a part of the one-line error)
ERRORS = [
    (
        "sinn(x)",
        None,
        'unknown function \'sinn\' — did you mean sin? (declare your own: "sinn": "function")',
    ),
    ("softmaks(z)", None, "unknown function 'softmaks' — did you mean softmax?"),
    ("xy(1 - x)", None, "unknown function 'xy'"),
    ("Sigmoid(x)", None, "did you mean sigmoid?"),
    (r"\operatorname{sinn}(x)", None, "unknown function 'sinn' — did you mean sin?"),
    (r"\mathrm{relux}(x)", None, "unknown function 'relux' — did you mean relu?"),
    ("x | y", None, "write abs(...) or norm(...)"),
    ("x and y", None, "'and' joins statements, or events inside P(...)"),
    ("(x or y)", None, "'or' joins statements, or events inside P(...)"),
    ("P(A, B)", None, "expected ')' or '|'"),
    ("P(A | B | C)", None, "expected ')' or '|'"),
    ("Cov(X)", None, "Cov takes 2 argument(s), got 1"),
    ("1,000,00", None, "unexpected ','"),
    ("(1,000)", None, "inside brackets a comma separates; write 1,000 as 1000"),
    (r"\mathbb{R}", None, r"\mathbb{R} is not supported"),
    ("f'", FUNCTIONS, "write f'(x)"),
]


def _text(source: str, given: Mapping[str, str] | None) -> str:
    return ", ".join(unparse(e) for e in parse_chain(source, declared=given))


def _latex(source: str, given: Mapping[str, str] | None) -> str:
    return ", ".join(unparse(e) for e in parse_latex_chain(source, declared=given))


@pytest.mark.parametrize(("source", "given", "reading"), TEXT)
def test_text_reading(source: str, given: Mapping[str, str] | None, reading: str) -> None:
    assert _text(source, given) == reading


@pytest.mark.parametrize(("source", "given", "reading"), TEXT)
def test_a_reading_reads_back_the_same(
    source: str, given: Mapping[str, str] | None, reading: str
) -> None:
    """``read`` is in the text syntax: reading it again gives the same tree."""
    assert _text(reading, given) == reading


@pytest.mark.parametrize(("source", "given", "reading"), LATEX)
def test_latex_reading(source: str, given: Mapping[str, str] | None, reading: str) -> None:
    assert _latex(source, given) == reading


@pytest.mark.parametrize(("source", "given", "message"), ERRORS)
def test_error(source: str, given: Mapping[str, str] | None, message: str) -> None:
    parse = _latex if "\\" in source else _text
    with pytest.raises(InputError) as caught:
        parse(source, given)
    text = str(caught.value)
    assert message in text
    assert "\n" not in text


def test_declaring_threads_the_names_of_a_request_into_the_readers() -> None:
    with declaring(FUNCTIONS):
        assert read_step("f(x) g(x)", "step 0").text == "f(x)*g(x)"
        assert [s.text for s in read_claim(r"f(x) = \sigma(x)")] == ["f(x)", "sigmoid(x)"]
    assert read_step("f(x) g(x)", "step 0").text == "f*x*g*x"  # outside: nothing declared


@pytest.mark.parametrize(
    ("steps", "given", "read"),
    [
        (["7,425,000", "7425000"], None, ("7425000", "7425000")),
        (["14{,}916", "14916"], None, ("14916", "14916")),
        ([r"1\,000 + .4", "1000.4"], None, ("1000 + .4", "1000.4")),
        (["25%", "1/4"], None, ("25/100", "1/4")),
        (
            [r"\frac{d}{dx}\sigma(x)", r"\sigma(x)(1-\sigma(x))"],
            None,
            ("diff(sigmoid(x), x)", "sigmoid(x)*(1 - sigmoid(x))"),
        ),
        (["diff(x.T A x, x)", "2Ax"], {"A": "symmetric 3", "x": "vector 3"}, None),
        (["(a + b)^2", "aa + 2ab + bb"], SCALARS, ("(a + b)^2", "a*a + 2*a*b + b*b")),
    ],
)
def test_correct_when_read_as_documented(
    steps: list[str], given: dict[str, str] | None, read: tuple[str, ...] | None
) -> None:
    result = check(steps, given, catalog=False)
    assert result.error is None
    assert result.verdict == "correct"
    if read is not None:
        assert result.read == read


def test_a_misread_number_is_refuted_not_accepted() -> None:
    """Inside brackets the comma separates: [1,000] is the vector (1, 0), not 1000."""
    result = check(["[1,000]", "[1000]"], catalog=False)
    assert result.verdict != "correct"
    assert result.read[0] == "[1, 000]"


def test_an_unknown_function_is_an_input_error_at_its_step() -> None:
    result = check(["sinn(x)", "x"], catalog=False)
    assert result.verdict == "unknown"
    assert result.error is not None
    assert result.error.startswith("step 0, column 1: unknown function 'sinn'")


DOCS = Path(__file__).resolve().parents[2] / "docs" / "checker.md"
_ROW = re.compile(r"^\| `(?P<written>.+?)` \| (?:`(?P<given>\{.*?\})` )?\| `(?P<read>.+?)` \|$")


def _documented() -> list[tuple[str, dict[str, str] | None, str]]:
    """The rows of the table in docs/checker.md, "Notation" (``\\|`` is a ``|`` there)."""
    text = DOCS.read_text(encoding="utf-8")
    section = text.split("### Notation", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        match = _ROW.match(line.replace("\\|", "\0"))
        if match:
            given = json.loads(match["given"]) if match["given"] else None
            rows.append(
                (match["written"].replace("\0", "|"), given, match["read"].replace("\0", "|"))
            )
    return rows


def test_the_documented_table_is_found() -> None:
    assert len(_documented()) >= 25


@pytest.mark.parametrize(("written", "given", "reading"), _documented())
def test_documented_reading(written: str, given: dict[str, str] | None, reading: str) -> None:
    """Each example of docs/checker.md is read as it says, by the reader a request uses."""
    with declaring(given):
        assert read_step(written, "step 0").text == reading


def test_a_name_defined_by_let_is_never_split() -> None:
    steps = ["let ab = a + b", "ab^2", "a^2 + 2a b + b^2"]
    result = check(steps, SCALARS, catalog=False)
    assert result.error is None
    assert result.read[1] == "ab^2"
    assert result.verdict == "correct"
