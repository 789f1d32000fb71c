"""The LaTeX writer: Markdown prose as LaTeX (math kept as written, dollars that are money kept
as text), each block's rows and marks; what pdflatex cannot typeset is a located error; a
document using every kind of prose compiles."""

from __future__ import annotations

from pathlib import Path

import pytest

from derive.documents.checked import check_document
from derive.documents.errors import DocumentError
from derive.documents.latex import document_latex, prose_latex
from derive.documents.reader import Prose, read_document
from derive.render.pdf import compile_pdf
from tests.conftest import require_tool

PROSE = """# A heading
Some *emphasis*, **strong**, `code_1`, a [link](https://example.org), $\\frac{a}{b}$ and
$$\\sum_{i=1}^n x_i$$
It costs $5 and $10 & 50% of #3 is x_1.

- one
- two with $x^2$

1. first
2. second

> quoted

```python
print("a & b")
```
"""


@pytest.mark.parametrize(
    ("fragment", "latex"),
    [
        ("# A heading", r"\section*{A heading}"),
        ("*emphasis*", r"\emph{emphasis}"),
        ("**strong**", r"\textbf{strong}"),
        ("`code_1`", r"\texttt{code\_1}"),
        ("$\\frac{a}{b}$", r"$\frac{a}{b}$"),
        ("$$\\sum_{i=1}^n x_i$$", r"\[\sum_{i=1}^n x_i\]"),
        ("$5 and $10 & 50% of #3 is x_1", r"\$5 and \$10 \& 50\% of \#3 is x\_1"),
        ("- one", r"\begin{itemize}"),
        ("two with $x^2$", r"\item two with $x^2$"),
        ("1. first", r"\begin{enumerate}"),
        ("> quoted", r"\begin{quote}"),
        ('print("a & b")', 'print("a & b")\n\\end{lstlisting}'),
    ],
)
def test_prose_becomes_latex(fragment: str, latex: str) -> None:
    assert fragment in PROSE
    assert latex in prose_latex(Prose(PROSE, 1))


@pytest.mark.parametrize(
    ("text", "line", "column", "what"),
    [
        ("# Title\n\nline\nand 日本\n", 4, 5, "'日'"),
        ("---\ntitle: Über 日\n---\n```derive\nx\n= x\n```\n", 1, 1, "the title"),
        ("```derive\nx\n  = x  # since 日\n```\n", 3, 3, "the why"),
    ],
)
def test_a_character_latex_cannot_typeset_is_located(
    text: str, line: int, column: int, what: str
) -> None:
    checked = check_document(read_document(text, path="u.md"), catalog=False)
    with pytest.raises(DocumentError) as caught:
        document_latex(checked)
    assert (caught.value.line, caught.value.column) == (line, column)
    assert what in caught.value.message


def test_a_document_with_every_kind_of_prose_compiles(tmp_path: Path) -> None:
    require_tool("pdflatex")
    text = (
        PROSE
        + "\n```derive\ngiven: p probability\np(1 - p)\n<= 1/4  # $p(1-p)$ peaks at 1/2\n```\n"
    )
    checked = check_document(read_document(text, path="all.md"), catalog=False)
    assert [line.verdict for line in checked.lines] == [None, "proven"]
    pdf = compile_pdf(document_latex(checked), tmp_path / "all.pdf")
    assert pdf.read_bytes().startswith(b"%PDF-")
