"""Writing a derivation of your own with the Python API: twins optional (a note, not a
failure), undeclared symbols and vacuous mistakes refused when it is built, and the public
renderers (LaTeX, Markdown, text, HTML)."""

from __future__ import annotations

import dataclasses
import subprocess
from pathlib import Path

import pytest
import sympy as sp

import derive
from derive import Derivation, Formula, Interview, Mistake, Rel, Step, Topic, Var
from tests.tools import require_tool

X = sp.Symbol("x", real=True)
SLOPE = sp.Derivative(sp.tanh(X), X)


def tanh_derivation(**changes: object) -> Derivation:
    """The derivative of tanh, the way docs/authoring.md writes it (no twin)."""
    fields: dict[str, object] = {
        "id": "my-tanh",
        "title": "The derivative of tanh",
        "topic": Topic.CALCULUS_OPTIMIZATION,
        "symbols": (Var(X, "the input"),),
        "steps": (
            Step(
                lhs=SLOPE,
                rhs=sp.Derivative(sp.sinh(X) / sp.cosh(X), X),
                rel=Rel.IDENTITY,
                why="tanh = sinh/cosh.",
            ),
            Step(rhs=(sp.cosh(X) ** 2 - sp.sinh(X) ** 2) / sp.cosh(X) ** 2, why="Quotient rule."),
            Step(rhs=1 - sp.tanh(X) ** 2, why="Divide by cosh²x."),
        ),
        "results": (Formula(SLOPE, 1 - sp.tanh(X) ** 2, name="tanh'"),),
        "twins": (),
        "intuition": "Its slope is 1 at 0 and vanishes as the unit saturates.",
        "interview": Interview("What is tanh'?", "1 − tanh²x."),
        "mistakes": (Mistake(SLOPE, 1 + sp.tanh(X) ** 2, "cosh² − sinh² = 1.", name="1 + tanh²"),),
    }
    fields.update(changes)
    return Derivation(**fields)  # type: ignore[arg-type]


def test_a_derivation_without_twins_passes_with_a_note() -> None:
    report = derive.verify(tanh_derivation())
    assert report.passed
    notes = [c for c in report.checks if c.status == "note"]
    assert len(notes) == 1
    assert notes[0].detail.startswith("no numeric twin")
    assert [c.status for c in report.checks if c.name.startswith("step")] == ["proven"] * 3


def test_a_wrong_step_still_fails_without_twins() -> None:
    """The note does not hide anything else: a wrong step is refuted as before."""
    steps = tanh_derivation().steps
    wrong = (*steps[:2], Step(rhs=1 + sp.tanh(X) ** 2, why="Divide by cosh²x."))
    report = derive.verify(tanh_derivation(steps=wrong))
    assert not report.passed
    assert [c.status for c in report.checks if c.name.startswith("step")] == [
        "proven",
        "proven",
        "refuted",
    ]


def test_the_builtin_catalog_still_requires_twins() -> None:
    bare = dataclasses.replace(derive.get("inverse-2x2"), twins=())
    report = derive.verify(bare)
    assert not report.passed
    content = next(c for c in report.checks if c.name == "teaching content is complete")
    assert content.detail == "missing: numeric twins"


def test_an_undeclared_symbol_in_a_result_is_an_error_naming_it() -> None:
    plain_x = sp.Symbol("x")  # no real=True: a different symbol from the declared x
    result = Formula(sp.Derivative(sp.tanh(plain_x), plain_x), 1 - sp.tanh(plain_x) ** 2)
    with pytest.raises(ValueError, match="my-tanh: result 1") as caught:
        tanh_derivation(results=(result,))
    message = str(caught.value)
    assert "uses x, which is not a declared symbol nor in any step" in message
    assert "Symbol('x', real=True)" in message
    assert "use the same symbol object" in message


def test_a_new_name_in_a_result_is_an_error_suggesting_a_declaration() -> None:
    y = sp.Symbol("y", real=True)
    with pytest.raises(ValueError, match=r"uses y, .* declare it with Var\(\.\.\.\) in symbols"):
        tanh_derivation(results=(Formula(SLOPE, 1 - sp.tanh(y) ** 2),))


def test_a_vacuous_mistake_is_an_error() -> None:
    name = sp.Symbol("f'", real=True)  # a bare name: "refuted" at any point whatever it says
    vacuous = Mistake(name, 1 - sp.tanh(X) ** 2, "the right answer, recorded as a mistake")
    with pytest.raises(ValueError, match=r"mistake 1 .* bare symbol"):
        tanh_derivation(mistakes=(vacuous,))


def test_a_symbol_solved_by_a_step_is_a_valid_mistake_left_side() -> None:
    """theta = (XXᵀ)⁻¹Xᵀy in the built-in normal equation: θ is solved for by a step."""
    built = derive.get("normal-equation")
    assert any(m.lhs == built.steps[8].lhs for m in built.mistakes)


def test_renderers_are_public_and_agree_with_the_derivation() -> None:
    d = tanh_derivation()
    assert derive.to_markdown(d).splitlines()[0] == "# The derivative of tanh"
    assert "1 - tanh" in derive.to_text(d).replace("−", "-")
    page = derive.to_html(d)
    assert page.startswith('<article class="derive-derivation" id="my-tanh">')
    assert r"\tanh^{2}{\left(x \right)}" in page
    assert "no numeric twin" in page
    body = derive.to_latex(d, standalone=False)
    assert body.startswith(r"\section*{The derivative of tanh}")
    whole = derive.to_latex(d)
    assert whole.startswith(r"\documentclass")
    assert body in whole


def test_the_latex_compiles(tmp_path: Path) -> None:
    pdflatex = require_tool("pdflatex")
    pdftotext = require_tool("pdftotext")
    (tmp_path / "d.tex").write_text(derive.to_latex(tanh_derivation()), encoding="utf-8")
    subprocess.run(
        [pdflatex, "-interaction=nonstopmode", "-halt-on-error", "d.tex"],
        cwd=tmp_path,
        capture_output=True,
        timeout=120,
        check=True,
    )
    text = subprocess.run(
        [pdftotext, str(tmp_path / "d.pdf"), "-"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    assert "The derivative of tanh" in text
    assert "no numeric twin" in text


def _solve_for_t(mistake: Mistake) -> Derivation:
    """2t = 4 ⇒ t = 2, with one recorded mistake whose left side is t (solved for)."""
    t = sp.Symbol("t", real=True)
    return Derivation(
        id="solve-t",
        title="Solve 2t = 4",
        topic=Topic.CALCULUS_OPTIMIZATION,
        symbols=(Var(t, "the unknown"),),
        steps=(
            Step(lhs=2 * t, rhs=4, rel=Rel.GIVEN, why="The equation."),
            Step(lhs=t, rhs=2, rel=Rel.IMPLIES, why="Divide both sides by 2."),
        ),
        results=(Formula(t, 2),),
        twins=(),
        intuition="Undo the multiplication.",
        interview=Interview("Solve 2t = 4.", "t = 2."),
        mistakes=(mistake,),
    )


@pytest.mark.parametrize(("wrong", "refuted"), [(4, True), (2, False)])
def test_a_mistake_about_a_solved_name_is_compared_with_its_value(
    wrong: int, refuted: bool
) -> None:
    """t = 4 is refuted and "t = 2" (the right answer) is not: the mistake is compared with
    the value the result gives t, not with a free t, which any formula would "refute"."""
    t = sp.Symbol("t", real=True)
    report = derive.verify(_solve_for_t(Mistake(t, wrong, "a recorded answer")))
    mistake = next(c for c in report.checks if c.name.startswith("mistake 1"))
    assert mistake.passed is refuted
    assert report.passed is refuted
