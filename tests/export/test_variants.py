"""Every exported exercise, over the whole catalog: self-contained (each symbol of the quantity
asked is given or named in the question's words), not degenerate (the answer is not zero, not
an input, no two number inputs equal), its numbers what the exact answer says, and distinct
variants. The symbol check is the sheets' own reader (tests/test_sheet_wording.py), which reads
the LaTeX independently of how the exercise was made."""

from __future__ import annotations

import dataclasses

import pytest
import sympy as sp

from derive.catalog import CATALOG, get, ids
from derive.export.variants import STRIDE, variants
from derive.render.exercises import template_for
from derive.render.tex import tex
from tests.test_sheet_wording import problems

SEED = 1  # generator seeds 10000, 10001, …: not the sheets' tested seeds


# the built-in catalog (each entry has a numeric twin); a plug-in's derivation may have none,
# and then no randomised exercise to export
WITH_TWINS = [name for name in ids() if CATALOG[name].builtin]


def test_a_derivation_without_twins_has_no_variants() -> None:
    bare = dataclasses.replace(get("dot-product"), twins=())
    assert variants(bare, count=3, seed=0) == ()


@pytest.mark.parametrize("name", WITH_TWINS)
def test_exported_variants_are_self_contained_and_worth_asking(name: str) -> None:
    found = variants(get(name), count=2, seed=SEED)
    assert len(found) == 2, f"{name}: {len(found)} variants"
    template = template_for(CATALOG[name])
    lhs = template.lhs or tex(get(name).twins[0].formula.lhs)
    inputs = []
    for v in found:
        assert STRIDE * SEED <= v.seed < STRIDE * (SEED + 1)
        ex = v.exercise
        assert v.question.startswith(ex.question)
        undefined = problems(name, template.question, lhs, list(ex.inputs), ex.question)
        assert not undefined, f"{name} #{v.number}: {undefined}: {ex.question}"
        values = list(ex.value) if isinstance(ex.value, (tuple, sp.MatrixBase)) else [ex.value]
        assert any(sp.sympify(x) != 0 for x in values), f"{name}: the answer is 0"
        for arg, value in ex.inputs.items():
            assert value != ex.value, f"{name}: the answer is the input {arg}"
        numbers = [x for x in ex.inputs.values() if not isinstance(x, sp.MatrixBase)]
        assert len(set(numbers)) == len(numbers), f"{name}: equal inputs {numbers}"
        # the numbers a student enters are the exact answer's (in the order asked)
        exact = sorted(float(sp.N(x)) for x in values)
        assert sorted(p.value for p in v.parts) == pytest.approx(exact, rel=1e-12, abs=1e-15)
        if v.kind == "multichoice":
            assert sum(c.correct for c in v.choices) == 1
            assert len({c.latex for c in v.choices}) == len(v.choices) >= 3
            assert all(c.feedback for c in v.choices)
        inputs.append(repr(sorted(ex.inputs.items())))
    assert len(set(inputs)) == len(inputs), f"{name}: two variants are the same instance"
