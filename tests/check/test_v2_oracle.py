"""The corpus's independent evaluator is itself checked on facts known by hand: a separating
point for every classic mistake, none for a correct step."""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

import pytest
import sympy as sp

from tests.check import v2_oracle as oracle
from tests.check.v2_oracle import Statement, World

x, y = sp.symbols("x y", real=True)


def eq(lhs: object, rhs: object) -> Statement:
    return Statement(((lhs, "=", rhs),))


def either(*atoms: tuple[object, str, object]) -> Statement:
    return Statement((atoms[0],), tuple((atom,) for atom in atoms[1:]))


@pytest.mark.parametrize(
    ("first", "second", "same", "implies"),
    [
        (eq(sp.sqrt(x + 7), x + 1), eq(x + 7, (x + 1) ** 2), False, True),  # squared: x = -3
        (eq(x**2, 3 * x), eq(x, 3), False, False),  # divided by x: x = 0 lost
        (eq(x**2, 9), either((x, "=", 3), (x, "=", -3)), True, True),
        (eq(x**4, 81), eq(x**2, 9), True, True),  # over the reals
        (eq((x**2 - 1) / (x - 1), 2), eq(x + 1, 2), False, True),  # x = 1 is not a solution
        (Statement(((x, "<", 2),)), Statement(((x, "<=", 2),)), False, True),  # the boundary
        (Statement(((-2 * x, "<", 4),)), Statement(((x, ">", -2),)), True, True),
        (Statement(((-2 * x, "<", 4),)), Statement(((x, "<", -2),)), False, False),
        (
            Statement(((x + y, "=", 3), (x - y, "=", 1))),
            Statement(((x, "=", 2), (y, "=", 1))),
            True,
            True,
        ),
        (
            Statement(((x + y, "=", 3), (x - y, "=", 1))),
            Statement(((x, "=", 1), (y, "=", 2))),
            False,
            False,
        ),
    ],
)
def test_solution_sets(first: Statement, second: Statement, same: bool, implies: bool) -> None:
    variables = sorted(
        {s for e in (*first.exprs(), *second.exprs()) for s in e.free_symbols}, key=str
    )
    assert oracle.equivalent(first, second, variables)[0] is same
    assert oracle.implies(first, second, variables)[0] is implies
    if not same:
        point = oracle.equivalent(first, second, variables)[1]
        assert point is not None


@pytest.mark.parametrize(
    ("before", "after", "same"),
    [
        (sp.log(x**2), 2 * sp.log(x), False),  # domain loss at x < 0
        (sp.exp(sp.log(x), evaluate=False), x, True),  # the later step is defined on more
        (x, sp.Pow(sp.sqrt(x), 2, evaluate=False), False),  # x < 0 lost
        ((x**2 - 1) / (x - 1), x + 1, True),  # equal but at one point
        (sp.sin(x) ** 2 + sp.cos(x) ** 2, sp.Integer(1), True),
        (sp.sqrt(x**2), x, False),
    ],
)
def test_expressions_with_domains(before: object, after: object, same: bool) -> None:
    points = oracle.sample_points([x], 5, 30)
    assert oracle.same_everywhere(before, after, points)[0] is same


def test_distributions() -> None:
    def X(o: Mapping[str, Fraction]) -> Fraction:
        return o["X"]

    def Y(o: Mapping[str, Fraction]) -> Fraction:
        return o["Y"]

    def product(w: World) -> Fraction:
        return w.E(lambda o: X(o) * Y(o))

    def factored(w: World) -> Fraction:
        return w.E(X) * w.E(Y)

    assert oracle.distributions_agree(product, factored, ["X", "Y"], 1)[0] is False
    assert oracle.distributions_agree(product, factored, ["X", "Y"], 1, independent=True)[0]
    shortcut = oracle.distributions_agree(
        lambda w: w.E(lambda o: X(o) ** 2) - w.E(X) ** 2, lambda w: w.Var(X), ["X"], 2
    )
    assert shortcut == (True, None)
    for world in oracle.worlds(["A", "B"], 3, independent=False, events=True):
        assert sum(p for _, p in world.outcomes) == Fraction(1)


def test_digits() -> None:
    assert oracle.digits_match(sp.sqrt(17), "4.1231")
    assert oracle.digits_miss(sp.sqrt(17), "4.1234")
    assert not oracle.digits_miss(sp.sqrt(17), "4.1232")  # within two units: not asked
