"""The verifier catches broken derivations: every kind of check can fail."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import sympy as sp

from derive.catalog import get
from derive.core.model import Formula, Mistake, Rel, Step
from derive.numeric.twin import Reference
from derive.reasoning.verify import verify


def failing(derivation: object) -> list[str]:
    return [c.name for c in verify(derivation).checks if not c.passed]  # type: ignore[arg-type]


@pytest.fixture
def inverse():
    return get("inverse-2x2")


def test_correct_derivation_passes(inverse) -> None:
    assert failing(inverse) == []


def test_a_wrong_chain_step_is_refuted(inverse) -> None:
    steps = list(inverse.steps)
    k = next(i for i, s in enumerate(steps) if s.rel is Rel.EQ)
    steps[k] = dataclasses.replace(steps[k], rhs=steps[k].rhs * 2)
    broken = dataclasses.replace(inverse, steps=tuple(steps))
    assert any(name.startswith(f"step {k + 1}:") for name in failing(broken))


def test_a_wrong_identity_is_refuted(inverse) -> None:
    a = sp.Symbol("a", real=True)
    bad = Step(lhs=a**2, rhs=2 * a, rel=Rel.IDENTITY, why="not true")
    broken = dataclasses.replace(inverse, steps=(*inverse.steps, bad))
    assert f"step {len(broken.steps)}: not true" in failing(broken)


def test_a_wrong_implication_is_refuted(inverse) -> None:
    steps = list(inverse.steps)
    k = next(i for i, s in enumerate(steps) if s.rel is Rel.IMPLIES)
    steps[k] = dataclasses.replace(steps[k], rhs=steps[k].rhs.T)
    broken = dataclasses.replace(inverse, steps=tuple(steps))
    assert any(name.startswith(f"step {k + 1}:") for name in failing(broken))


def test_an_iff_with_a_singular_factor_is_refuted(inverse) -> None:
    steps = list(inverse.steps)
    k = next(i for i, s in enumerate(steps) if s.rel is Rel.IFF)
    steps[k] = dataclasses.replace(steps[k], by=0)
    broken = dataclasses.replace(inverse, steps=tuple(steps))
    assert any(name.startswith(f"step {k + 1}:") for name in failing(broken))


def test_a_result_not_established_by_any_step_fails(inverse) -> None:
    wrong = Formula(inverse.result.lhs, inverse.result.rhs.T, name="wrong")
    broken = dataclasses.replace(inverse, results=(wrong,))
    assert any(name.startswith("result wrong") for name in failing(broken))


def test_a_twin_disagreeing_with_its_reference_fails(inverse) -> None:
    twin = inverse.twins[0]
    bad_reference = Reference("transposed inverse", lambda A: np.swapaxes(np.linalg.inv(A), -1, -2))
    broken = dataclasses.replace(
        inverse, twins=(dataclasses.replace(twin, reference=bad_reference),)
    )
    assert any(name.startswith("twin inverse") for name in failing(broken))


def test_a_mistake_that_is_actually_correct_fails(inverse) -> None:
    not_a_mistake = Mistake(inverse.result.lhs, inverse.result.rhs, "this is the right answer")
    broken = dataclasses.replace(inverse, mistakes=(not_a_mistake,))
    assert any(name.startswith("mistake 1") for name in failing(broken))


def test_missing_teaching_content_fails(inverse) -> None:
    broken = dataclasses.replace(inverse, intuition="")
    assert "teaching content is complete" in failing(broken)
