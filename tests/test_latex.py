"""LaTeX documents: every derivation compiles with pdflatex and shows its twin's code beside
latexify-py's rendering of that same function."""

from __future__ import annotations

import inspect
import subprocess
from pathlib import Path

import pytest

from derive.catalog import get, ids
from derive.commands.cli import main
from derive.render.code import identifier, twin_code
from derive.render.pdf import LatexError, compile_pdf, first_error
from derive.render.tex import document
from tests.conftest import require_tool

ALL = list(ids())


@pytest.mark.parametrize("name", ALL)
def test_document_has_steps_result_and_twin_code(name: str) -> None:
    """(tests/test_render.py compiles every document with pdflatex.)"""
    d = get(name)
    source = document(d)
    assert r"\begin{align*}" in source
    assert source.count(r"\boxed{") == len(d.results)
    assert source.count(r"\begin{lstlisting}") == len(d.twins)
    assert source.count("latexify-py") == len(d.twins)
    for twin in d.twins:
        assert twin_code(twin).source in source


def test_inverse_pdf_shows_code_beside_latexify(tmp_path: Path) -> None:
    require_tool("pdflatex")
    pdf = compile_pdf(document(get("inverse-2x2")), tmp_path / "inverse.pdf")
    assert pdf.read_bytes().startswith(b"%PDF-")
    text = subprocess.run(
        [require_tool("pdftotext"), str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Numeric twin inverse" in " ".join(text.split())
    assert "def inverse(a, b, c, d):" in text
    assert "latexify-py reads the same function" in text
    assert "inverse(a, b, c, d) =" in text


@pytest.mark.parametrize("name", ALL)
def test_twin_code_is_the_function_the_twin_runs(name: str) -> None:
    for twin in get(name).twins:
        function = twin.function()
        assert inspect.getsource(function) == twin.source()
        code = twin_code(twin)
        assert code.source.startswith(f"def {code.name}(")
        assert (
            code.source.replace(code.name, "_lambdifygenerated", 1) == twin.source().rstrip() + "\n"
        )
        if code.latex is not None:
            assert code.name.replace("_", r"\_") in code.latex or code.name in code.latex
        else:
            assert code.problem


def test_latexify_shows_the_inverse_formula() -> None:
    code = twin_code(get("inverse-2x2").twins[0])
    assert code.latex is not None
    assert r"\mathrm{inverse}(a, b, c, d)" in code.latex
    # The twin inverts A scaled by its largest entry: the scaled entries d·k, a·k, b·k, c·k
    # (x1..x4) appear, and the scaled determinant x1·x2 − x3·x4 divides.
    assert (
        r"\frac{\mathrm{x0}}{\mathrm{x1} \cdot \mathrm{x2} - \mathrm{x3} \cdot \mathrm{x4}}"
        in code.latex
    )
    assert code.inputs == ("A = [[a, b], [c, d]]",)


def test_identifier_makes_python_names() -> None:
    assert identifier("inverse") == "inverse"
    assert identifier("σ'(z) check") == "σ_z_check"
    assert identifier("2nd moment") == "f_2nd_moment"


def test_a_latex_error_names_the_problem(tmp_path: Path) -> None:
    require_tool("pdflatex")
    broken = r"\documentclass{article}\begin{document}\nosuchmacro\end{document}"
    with pytest.raises(LatexError, match="Undefined control sequence"):
        compile_pdf(broken, tmp_path / "broken.pdf")
    assert not (tmp_path / "broken.pdf").exists()


def test_first_error_reads_the_log() -> None:
    log = "This is pdfTeX\n! Missing $ inserted.\n<inserted text>\nl.12 x^2\n"
    assert first_error(log) == "Missing $ inserted. (l.12 x^2)"
    assert "no error line" in first_error("all fine")


def test_cli_latex_writes_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "sub" / "inverse.tex"
    assert main(["latex", "inverse-2x2", "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == document(get("inverse-2x2"))
    assert main(["latex", "inverse-2x2"]) == 0
    assert capsys.readouterr().out == document(get("inverse-2x2"))


def test_cli_latex_unknown_id_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["latex", "inverse-2x3"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "did you mean 'inverse-2x2'" in err
