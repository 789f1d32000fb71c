"""``%load_ext derive`` in a real (in-process) IPython shell: the ``%%derive`` magic, the rich
display of ``derive.check`` results and derivations, and what a notebook is shown when a cell
cannot be read. Expected marks are mathematics known by hand; a counterexample is checked by
plain arithmetic, not by the checker."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from fractions import Fraction
from typing import Any

import pytest
from IPython.core.error import UsageError
from IPython.core.interactiveshell import InteractiveShell

import derive
from derive.book import katex
from derive.notebook.display import Typeset

DIVIDED = """x^2 - 3x = 0       # solve for x
<=> x(x - 3) = 0   # factor
<=> x - 3 = 0      # divide by x
<=> x = 3"""
SIGMOID = """given: z scalar
let s = sigmoid(z)          # name the sigmoid
diff(s, z)
= exp(-z)/(1 + exp(-z))^2   # quotient rule
= s(1 - s)"""


@pytest.fixture(scope="module")
def shell() -> Iterator[InteractiveShell]:
    ip = InteractiveShell.instance()
    assert ip.extension_manager.load_extension("derive") is None  # None: loaded
    yield ip
    InteractiveShell.clear_instance()


def marks(html: str) -> list[str]:
    return re.findall(r'class="dw-line[^"]*" data-mark="([a-z]+)"', html)


def test_the_magic_marks_each_line(shell: InteractiveShell) -> None:
    shown = shell.run_cell_magic("derive", "", DIVIDED)
    assert isinstance(shown, Typeset)
    # by hand: a premise; factoring is an equivalence; dividing by x loses x = 0; x - 3 = 0 ⇔ x = 3
    assert shown.marks == ["given", "proven", "refuted", "proven"]
    assert shown.verdict == "incorrect"
    refuted = shown.working.lines[2]
    assert refuted.counterexample is not None
    x = Fraction(refuted.counterexample["x"])
    assert x**2 - 3 * x == 0
    assert x - 3 != 0
    assert refuted.why == "divide by x"
    html = shown._repr_html_()
    assert marks(html) == shown.marks
    assert "counterexample: " in html
    assert "<math" in html
    assert "incorrect: line 3 does not follow" in html
    latex = shown._repr_latex_()
    assert latex.startswith(r"\begin{align*}")
    assert latex.rstrip().endswith(r"\end{align*}")
    assert r"\text{divide by x — refuted: dividing by x loses" in latex


def test_correct_working_with_definitions(shell: InteractiveShell) -> None:
    shown = shell.run_cell_magic("derive", "", SIGMOID)
    # by hand: s' = e^{-z}/(1 + e^{-z})^2 = s(1 - s)
    assert shown.marks == ["defined", "start", "proven", "proven"]
    assert shown.verdict == "correct"
    assert "✓ correct" in shown._repr_html_()
    assert "  ✓ proven    = s*(1 - s)" in repr(shown)


def test_check_results_display_the_same_way(shell: InteractiveShell) -> None:
    result = derive.check(["E[X Y]", "= E[X] E[Y]"], {"X": "random", "Y": "random"})
    data, _ = shell.display_formatter.format(result)
    # E[XY] = E[X]E[Y] needs independence: refuted by a finite distribution
    assert marks(data["text/html"]) == ["start", "refuted"]
    assert "counterexample: " in data["text/html"]
    assert "P = [" in data["text/html"]
    assert "<mi>𝔼</mi>" in data["text/html"]  # double-struck drawn without mathvariant
    assert r"\mathbb{E}[X Y]" in data["text/latex"]
    assert "✗ refuted" in data["text/plain"]


def test_derivations_display_their_verified_steps(shell: InteractiveShell) -> None:
    derivation = derive.get("inverse-2x2")
    data, _ = shell.display_formatter.format(derivation)
    html = data["text/html"]
    assert "<h3>Inverse of a 2×2 matrix</h3>" in html
    assert re.search(r"✓ passed: (\d+) of \1 checks", html)
    givens = sum(step.rel is derive.Rel.GIVEN for step in derivation.steps)
    assert marks(html) == ["given"] * givens + ["proven"] * (len(derivation.steps) - givens) + [
        "result"
    ]
    assert r"\boxed{" in data["text/latex"]


def test_user_text_is_escaped(shell: InteractiveShell) -> None:
    shown = shell.run_cell_magic("derive", "", "x + x\n= 2x   # <script>alert(1)</script> & co")
    html = shown._repr_html_()
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in html
    assert r"\&" in shown._repr_latex_()


@pytest.mark.parametrize(
    ("line", "cell", "message"),
    [
        ("", "x^2 - 1\n= (x - 1)(x + 1\n", "<cell>:2:16: unexpected end of input; expected ')'"),
        ("", "\n\n", "<cell>:"),
        ("--given x", "x + x\n= 2x", "<cell>:1:1: %%derive takes no options"),
    ],
)
def test_an_unreadable_cell_is_one_line(
    shell: InteractiveShell, line: str, cell: str, message: str
) -> None:
    with pytest.raises(UsageError) as caught:
        shell.run_cell_magic("derive", line, cell)
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)


def test_without_katex_the_tex_is_left_for_mathjax(
    shell: InteractiveShell, monkeypatch: pytest.MonkeyPatch
) -> None:
    def missing(*args: Any, **kwargs: Any) -> list[str]:
        raise katex.KatexError("KaTeX not found")

    monkeypatch.setattr(katex, "render", missing)
    html = shell.run_cell_magic("derive", "", "x + x\n= 2x")._repr_html_()
    assert r"\[x + x\]" in html
    assert r"\[= 2 x\]" in html
    assert "<math" not in html


def test_import_derive_loads_neither_sympy_nor_ipython() -> None:
    program = (
        "import sys, derive\n"
        "print(sorted(m for m in ('sympy', 'IPython') if m in sys.modules))\n"
        "print(callable(derive.load_ipython_extension))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True, timeout=120
    ).stdout.split("\n")
    assert out[:2] == ["[]", "True"]


def test_an_unreadable_result_shows_why(shell: InteractiveShell) -> None:
    data, _ = shell.display_formatter.format(derive.check("x + ) = 1"))
    assert marks(data["text/html"]) == []
    assert "could not be checked: claim, column 5: unexpected &#x27;)&#x27;" in data["text/html"]
    assert data["text/latex"].startswith(r"$\text{could not be checked")
