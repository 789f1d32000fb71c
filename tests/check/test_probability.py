"""Random variables and events: E, Var, Cov, Corr, P judged by the checker, against an
evaluator written here — finite distributions enumerated in fractions, no part of derive.

Each case gives the two steps, the declarations and the same two sides as Python functions of
a distribution (a list of (outcome, probability) with outcomes as dicts of values). The
expected verdict is what those functions say over seeded random distributions built here (the
independent names as product spaces); a refutation's counterexample table must refute too.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Callable
from fractions import Fraction

import pytest

from derive import check
from derive.checker.parser import declaring

Outcome = dict[str, Fraction]
Distribution = list[tuple[Outcome, Fraction]]
Side = Callable[[Distribution], float | Fraction]


def E(d: Distribution, f: Callable[[Outcome], Fraction]) -> Fraction:
    return sum((p * f(o) for o, p in d), Fraction(0))


def Var(d: Distribution, f: Callable[[Outcome], Fraction]) -> Fraction:
    m = E(d, f)
    return E(d, lambda o: (f(o) - m) ** 2)


def Cov(d: Distribution, f: Callable[[Outcome], Fraction], g: Callable[[Outcome], Fraction]):
    mf, mg = E(d, f), E(d, g)
    return E(d, lambda o: (f(o) - mf) * (g(o) - mg))


def P(d: Distribution, event: Callable[[Outcome], bool]) -> Fraction:
    return sum((p for o, p in d if event(o)), Fraction(0))


def X(o: Outcome) -> Fraction:
    return o["X"]


def Y(o: Outcome) -> Fraction:
    return o["Y"]


def A(o: Outcome) -> bool:
    return o["A"] == 1


def B(o: Outcome) -> bool:
    return o["B"] == 1


def both(o: Outcome) -> bool:
    return A(o) and B(o)


def either(o: Outcome) -> bool:
    return A(o) or B(o)


def _weights(rng: random.Random, n: int) -> list[Fraction]:
    w = [rng.randint(1, 9) for _ in range(n)]
    return [Fraction(x, sum(w)) for x in w]


def _value(rng: random.Random, name: str) -> Fraction:
    if name in "AB":
        return Fraction(rng.randint(0, 1))
    return Fraction(rng.randint(-7, 7), rng.choice([1, 2, 3]))


def distribution(rng: random.Random, names: str, independent: bool) -> Distribution:
    """A random finite distribution of the names (each an event if A or B); independent names
    are a product of one small distribution each. Events are neither empty nor certain."""
    while True:
        if independent:
            marginals = []
            for name in names:
                size = rng.randint(2, 3)
                values = [_value(rng, name) for _ in range(size)]
                marginals.append(list(zip(values, _weights(rng, size), strict=True)))
            d = []
            for combo in itertools.product(*marginals):
                outcome = {n: v for n, (v, _) in zip(names, combo, strict=True)}
                d.append((outcome, math.prod((p for _, p in combo), start=Fraction(1))))
        else:
            size = rng.randint(2, 4)
            weights = _weights(rng, size)
            d = [({n: _value(rng, n) for n in names}, w) for w in weights]
        if all(0 < P(d, lambda o, n=n: o[n] == 1) < 1 for n in names if n in "AB"):
            return d


def holds(left: Side, right: Side, names: str, independent: bool) -> bool:
    """Whether the two sides agree on 40 seeded random distributions."""
    rng = random.Random(12345)
    for _ in range(40):
        d = distribution(rng, names, independent)
        if not math.isclose(float(left(d)), float(right(d)), rel_tol=1e-12, abs_tol=1e-12):
            return False
    return True


# (steps, given, left, right, names, independent)
CASES = [
    (
        ["E[X Y]", "E[X] E[Y]"],
        {"X": "random", "Y": "random"},
        lambda d: E(d, lambda o: X(o) * Y(o)),
        lambda d: E(d, X) * E(d, Y),
        "XY",
        False,
    ),
    (
        ["E[X Y]", "E[X] E[Y]"],
        {"X, Y": "independent random"},
        lambda d: E(d, lambda o: X(o) * Y(o)),
        lambda d: E(d, X) * E(d, Y),
        "XY",
        True,
    ),
    (
        ["E[X^2] - E[X]^2", "Var(X)"],
        {"X": "random"},
        lambda d: E(d, lambda o: X(o) ** 2) - E(d, X) ** 2,
        lambda d: Var(d, X),
        "X",
        False,
    ),
    (
        ["E[X^2]", "E[X]^2"],
        {"X": "random"},
        lambda d: E(d, lambda o: X(o) ** 2),
        lambda d: E(d, X) ** 2,
        "X",
        False,
    ),
    (
        ["E[2X + 3]", "2E[X] + 3"],
        {"X": "random"},
        lambda d: E(d, lambda o: 2 * X(o) + 3),
        lambda d: 2 * E(d, X) + 3,
        "X",
        False,
    ),
    (
        ["Var(2X + 3)", "4Var(X)"],
        {"X": "random"},
        lambda d: Var(d, lambda o: 2 * X(o) + 3),
        lambda d: 4 * Var(d, X),
        "X",
        False,
    ),
    (
        ["Var(2X)", "2Var(X)"],
        {"X": "random"},
        lambda d: Var(d, lambda o: 2 * X(o)),
        lambda d: 2 * Var(d, X),
        "X",
        False,
    ),
    (
        ["Var(X + Y)", "Var(X) + Var(Y)"],
        {"X": "random", "Y": "random"},
        lambda d: Var(d, lambda o: X(o) + Y(o)),
        lambda d: Var(d, X) + Var(d, Y),
        "XY",
        False,
    ),
    (
        ["Var(X + Y)", "Var(X) + Var(Y)"],
        {"X, Y": "independent random"},
        lambda d: Var(d, lambda o: X(o) + Y(o)),
        lambda d: Var(d, X) + Var(d, Y),
        "XY",
        True,
    ),
    (
        ["Var(X + Y)", "Var(X) + Var(Y) + 2Cov(X, Y)"],
        {"X": "random", "Y": "random"},
        lambda d: Var(d, lambda o: X(o) + Y(o)),
        lambda d: Var(d, X) + Var(d, Y) + 2 * Cov(d, X, Y),
        "XY",
        False,
    ),
    (
        ["Cov(X, Y)", "E[X Y] - E[X] E[Y]"],
        {"X": "random", "Y": "random"},
        lambda d: Cov(d, X, Y),
        lambda d: E(d, lambda o: X(o) * Y(o)) - E(d, X) * E(d, Y),
        "XY",
        False,
    ),
    (
        ["Cov(X, Y)", "0"],
        {"X": "random", "Y": "random"},
        lambda d: Cov(d, X, Y),
        lambda d: 0,
        "XY",
        False,
    ),
    (
        ["Corr(X, Y)", "Cov(X, Y)/sqrt(Var(X) Var(Y))"],
        {"X": "random", "Y": "random"},
        lambda d: float(Cov(d, X, Y)) / math.sqrt(Var(d, X) * Var(d, Y)) if Var(d, X) else 0,
        lambda d: float(Cov(d, X, Y)) / math.sqrt(Var(d, X) * Var(d, Y)) if Var(d, X) else 0,
        "XY",
        False,
    ),
    (
        ["P(A or B)", "P(A) + P(B) - P(A and B)"],
        {"A": "event", "B": "event"},
        lambda d: P(d, either),
        lambda d: P(d, A) + P(d, B) - P(d, both),
        "AB",
        False,
    ),
    (
        ["P(A or B)", "P(A) + P(B)"],
        {"A": "event", "B": "event"},
        lambda d: P(d, either),
        lambda d: P(d, A) + P(d, B),
        "AB",
        False,
    ),
    (
        ["P(A and B)", "P(A) P(B)"],
        {"A": "event", "B": "event"},
        lambda d: P(d, both),
        lambda d: P(d, A) * P(d, B),
        "AB",
        False,
    ),
    (
        ["P(A and B)", "P(A) P(B)"],
        {"A, B": "independent event"},
        lambda d: P(d, both),
        lambda d: P(d, A) * P(d, B),
        "AB",
        True,
    ),
    (
        ["P(A | B)", "P(A and B)/P(B)"],
        {"A": "event", "B": "event"},
        lambda d: P(d, both) / P(d, B),
        lambda d: P(d, both) / P(d, B),
        "AB",
        False,
    ),
    (
        ["P(A | B)", "P(B | A) P(A)/P(B)"],
        {"A": "event", "B": "event"},
        lambda d: P(d, both) / P(d, B),
        lambda d: P(d, both) / P(d, A) * P(d, A) / P(d, B),
        "AB",
        False,
    ),
    (
        ["P(A | B)", "P(B | A)"],
        {"A": "event", "B": "event"},
        lambda d: P(d, both) / P(d, B),
        lambda d: P(d, both) / P(d, A),
        "AB",
        False,
    ),
    (
        ["P(not A)", "1 - P(A)"],
        {"A": "event"},
        lambda d: P(d, lambda o: not A(o)),
        lambda d: 1 - P(d, A),
        "A",
        False,
    ),
    (
        ["P(A | B)", "P(A)"],
        {"A, B": "independent event"},
        lambda d: P(d, both) / P(d, B),
        lambda d: P(d, A),
        "AB",
        True,
    ),
]


def _columns(shown: dict[str, str]) -> tuple[dict[str, list[Fraction]], list[Fraction]]:
    def numbers(text: str) -> list[Fraction]:
        return [Fraction(v) for v in text.strip("[]").split(", ")]

    columns = {n: numbers(v) for n, v in shown.items() if n != "P"}
    return columns, numbers(shown["P"])


@pytest.mark.parametrize(("steps", "given", "left", "right", "names", "independent"), CASES)
def test_verdict_matches_enumeration(steps, given, left, right, names, independent):
    expected = "correct" if holds(left, right, names, independent) else "incorrect"
    with declaring(given):
        result = check(steps, given, catalog=False)
    assert result.error is None
    assert result.verdict == expected, (steps, given, result.pairs)
    if expected == "incorrect":
        # the counterexample is a concrete table of outcomes and probabilities that refutes
        pair = result.pairs[0]
        assert pair.counterexample is not None
        columns, probabilities = _columns(dict(pair.counterexample))
        assert sum(probabilities) == 1
        assert all(p > 0 for p in probabilities)
        assert set(columns) == set(names)
        d = [({n: columns[n][i] for n in names}, p) for i, p in enumerate(probabilities)]
        assert not math.isclose(float(left(d)), float(right(d)), rel_tol=1e-12, abs_tol=1e-12)


PROVEN = [
    (["E[X^2] - E[X]^2", "Var(X)"], {"X": "random"}),
    (["E[X Y]", "E[X] E[Y]"], {"X, Y": "independent random"}),
    (["Cov(X, Y)", "E[X Y] - E[X] E[Y]"], {"X": "random", "Y": "random"}),
    (["P(A or B)", "P(A) + P(B) - P(A and B)"], {"A": "event", "B": "event"}),
    (["P(A and B)", "P(A) P(B)"], {"A, B": "independent event"}),
]


@pytest.mark.parametrize(("steps", "given"), PROVEN)
def test_identities_are_proven(steps, given):
    with declaring(given):
        result = check(steps, given, catalog=False, budget=20)
    assert [p.verdict for p in result.pairs] == ["proven"]


@pytest.mark.parametrize(
    ("steps", "given", "message"),
    [
        (["X + 1", "1 + X"], {"X": "random"}, "X is a random variable"),
        (["P(X)", "1"], {"X": "random"}, "takes events"),
        (["P(A) + A", "1"], {"A": "event"}, "A is an event"),
        (
            ["E[X + Y + Z + U + V + W + Q]", "0"],
            {"X, Y, Z, U, V, W, Q": "independent random"},
            "too many independent",
        ),
    ],
)
def test_misuse_is_a_one_line_error(steps, given, message):
    with declaring(given):
        result = check(steps, given, catalog=False)
    assert result.error is not None
    assert message in result.error
    assert "\n" not in result.error
