"""Rendered views: every derivation's LaTeX document compiles; prose escaping is strict."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from derive.catalog import get, ids
from derive.render.markdown import markdown
from derive.render.tex import document, prose
from derive.render.text import text
from tests.conftest import require_tool


@pytest.mark.parametrize("identifier", list(ids()))
def test_latex_document_compiles(identifier: str, tmp_path: Path) -> None:
    pdflatex = require_tool("pdflatex")
    source = tmp_path / f"{identifier}.tex"
    source.write_text(document(get(identifier)), encoding="utf-8")
    proc = subprocess.run(
        [pdflatex, "-interaction=nonstopmode", "-halt-on-error", source.name],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    errors = [line for line in proc.stdout.splitlines() if line.startswith("!")]
    assert proc.returncode == 0, errors or proc.stdout[-2000:]
    assert (tmp_path / f"{identifier}.pdf").stat().st_size > 1000


@pytest.mark.parametrize("identifier", list(ids()))
def test_text_and_markdown_views_have_every_step(identifier: str) -> None:
    d = get(identifier)
    md, plain = markdown(d), text(d)
    for step in d.steps:
        assert step.why in md
    assert d.intuition[:40] in plain


def test_prose_escapes_specials_and_rejects_unknown_characters() -> None:
    assert prose("50% & $5") == r"50\% \& \$5"
    with pytest.raises(ValueError, match="U\\+263A"):
        prose("smile ☺")


def test_prose_keeps_comparison_signs_and_bars() -> None:
    # OT1 text fonts print < > | as ¡ ¿ —; they must go through math mode.
    assert prose("|x| < 1 > 0") == (
        r"\ensuremath{|}x\ensuremath{|} \ensuremath{<} 1 \ensuremath{>} 0"
    )


def test_the_ones_vector_and_its_transpose() -> None:
    import sympy as sp

    from derive.render.tex import tex

    n = sp.Symbol("n", integer=True, positive=True)
    assert tex(sp.OneMatrix(n, 1)) == r"\mathbf{1}"
    assert tex(sp.OneMatrix(n, 1).T) == r"\mathbf{1}^{\top}"


def test_transpose_of_a_name_with_a_superscript_is_braced() -> None:
    import sympy as sp

    from derive.render.tex import tex

    assert tex(sp.MatrixSymbol("A^{+}", 2, 3).T) == r"{A^{+}}^{\top}"
