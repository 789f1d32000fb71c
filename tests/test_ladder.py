"""The one proof ladder and the one sampling interface, as both engines use them."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import sympy as sp

from derive.checker.api import check
from derive.checker.kinds import parse_kind
from derive.core.budget import Timeout, time_limit
from derive.core.model import Domain
from derive.numeric.sampling import Variable, draw
from derive.reasoning import ladder
from derive.reasoning.ladder import Rung, proof, symengine_zero

x, y, z = sp.symbols("x y z", real=True)


def test_polynomial_identities_are_proven_by_symengine_first() -> None:
    expr = sp.expand((x + y + z + 1) ** 8) - (x + y + z + 1) ** 8
    if ladder.have_symengine():
        assert proof(expr, budget=30.0) == "SymEngine"
    else:
        assert proof(expr, budget=30.0) == "expanded"


def test_an_expansion_too_large_to_risk_is_left_to_sympy() -> None:
    """SymEngine cannot be interrupted, so it never gets an expansion estimated too large."""
    huge = (x + y + z + 1) ** 1000 * (x - y) - (x + y + z + 1) ** 1000 * x
    assert not symengine_zero(huge)
    if ladder.have_symengine():
        import symengine as se

        numerator, _ = se.sympify(huge).as_numer_denom()
        assert ladder._products(numerator) > ladder.SYMENGINE_TERMS
        assert ladder._products(se.sympify((x + y) ** 3 * (x - y))) == 8


def test_each_rung_is_named_and_trigonometry_goes_through_exp() -> None:
    assert proof(sp.sin(x) ** 2 + sp.cos(x) ** 2 - 1, budget=30.0) == "exp form, cancelled"
    assert proof(1 / (x - 1) - 1 / (x + 1) - 2 / (x**2 - 1), budget=30.0) in (
        "SymEngine",
        "expanded",
    )
    step = sp.Piecewise((x, x > 0), (0, True))  # x times the unit step
    piecewise = sp.Piecewise((x**2 + x, x > 0), (0, True)) - (x + 1) * step
    assert proof(piecewise, budget=30.0) == "branch by branch"
    assert proof(x - y, budget=30.0) is None


def _forever(expr: Any) -> Any:
    while True:  # pure Python: the budget's Timeout can land here
        pass


@pytest.fixture
def stalled(monkeypatch: pytest.MonkeyPatch) -> None:
    """A ladder whose shortcut never ends, followed by a rung that proves anything."""
    rungs = (Rung("stalls", _forever, shortcut=True), Rung("proves", lambda e: 0))
    monkeypatch.setattr(ladder, "RUNGS", rungs)


@pytest.mark.usefixtures("stalled")
def test_a_stalled_shortcut_gets_only_its_share_of_the_budget() -> None:
    assert proof(x - y, budget=0.5) == "proves"


def test_the_budget_stops_a_rung_that_never_ends(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ladder, "RUNGS", (Rung("stalls", _forever),))  # not a shortcut
    assert proof(x - y, budget=0.2) is None


@pytest.mark.usefixtures("stalled")
def test_a_callers_budget_running_out_is_not_swallowed() -> None:
    """Nothing is learned when an enclosing budget cuts the ladder short: its Timeout
    propagates to whoever set it, marked as the enclosing one."""
    with pytest.raises(Timeout) as raised, time_limit(0.05):
        proof(x - y, budget=30.0)
    assert raised.value.enclosing


def test_checker_proofs_climb_the_same_ladder(monkeypatch: pytest.MonkeyPatch) -> None:
    climbed: list[Any] = []
    real = ladder._climb

    def spy(expr: Any, budget: float | None) -> str | None:
        climbed.append(expr)
        return real(expr, budget)

    monkeypatch.setattr(ladder, "_climb", spy)
    assert check("(a + b)^2 = a^2 + 2*a*b + b^2").pairs[0].verdict == "proven"
    assert climbed


@pytest.mark.parametrize(
    ("kind", "variable"),
    [
        ("scalar", Variable(Domain.REAL)),
        ("probability", Variable(Domain.PROBABILITY)),
        ("positive", Variable(Domain.POSITIVE)),
        ("spd 3", Variable(Domain.SPD, (3, 3))),
        ("symmetric 2", Variable(Domain.SYMMETRIC, (2, 2))),
        ("matrix 2 3", Variable(Domain.MATRIX, (2, 3))),
    ],
)
def test_a_kind_and_a_catalog_variable_draw_the_same_values(kind: str, variable: Variable) -> None:
    """One sampling interface: a checker kind and a catalog symbol of the same domain and
    shape get the same value from the same seed."""
    parsed = parse_kind(kind)
    for seed in range(5):
        from_kind = parsed.sample(np.random.default_rng(seed))
        from_variable = draw(np.random.default_rng(seed), variable)
        if variable.sample_shape is None:
            assert from_kind == from_variable
        else:
            assert from_kind == sp.ImmutableMatrix(from_variable)
