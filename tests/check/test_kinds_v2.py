"""Kinds of version 2 — function, integer, nonnegative, fullrank m n — and the ML functions
softmax, logsumexp, relu, max, min, mean: verdicts against an evaluator written here (plain
Python and NumPy floats on seeded inputs and on concrete functions with known derivatives),
never derive's engine.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable

import numpy as np
import pytest

from derive import check
from derive.checker.errors import InputError
from derive.checker.kinds import Kind, parse_kind, split_names, with_groups
from derive.checker.parser import declaring

# -- reading kinds -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name", "shape"),
    [
        ("function", "function", (1, 1)),
        ("random", "random", (1, 1)),
        ("event", "event", (1, 1)),
        ("integer", "integer", (1, 1)),
        ("nonnegative", "nonnegative", (1, 1)),
        ("fullrank 3 2", "fullrank", (3, 2)),
        ("fullrank 2x2", "fullrank", (2, 2)),
        ("independent random", "random", (1, 1)),
        ("independent event", "event", (1, 1)),
    ],
)
def test_new_kinds_parse(text: str, name: str, shape: tuple[int, int]) -> None:
    kind = parse_kind(text)
    assert (kind.name, kind.shape) == (name, shape)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("fullrank 2 3", "at least as many rows"),
        ("fullrank 3", "needs 2 size(s)"),
        ("integer 2", "needs 0 size(s)"),
        ("independent scalar", "unknown kind"),
    ],
)
def test_bad_kinds_are_errors(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_kind(text)


def test_a_key_may_name_several_independent_names() -> None:
    given = {"X, Y": "independent random", "Z": "random"}
    kinds: dict[str, Kind] = {n: parse_kind(t) for n, t in split_names(given)}
    grouped = with_groups(kinds, given)
    assert grouped["X"].independent == ("X", "Y")
    assert grouped["Y"].independent == ("X", "Y")
    assert grouped["Z"].independent == ()


# -- an independent evaluator ------------------------------------------------------------

Scalars = dict[str, float]


def agree(left: Callable[..., float], right: Callable[..., float], draw: Callable[..., dict]):
    """Whether two sides agree (to 1e-9 relative) on 30 seeded draws."""
    rng = random.Random(2026)
    for _ in range(30):
        values = draw(rng)
        a, b = left(**values), right(**values)
        if not np.allclose(a, b, rtol=1e-9, atol=1e-9):
            return False
    return True


def reals(*names: str) -> Callable[[random.Random], Scalars]:
    return lambda rng: {n: rng.uniform(-3, 3) for n in names}


# concrete functions with their derivatives, for the abstract f and g
FUNCTIONS = [
    (math.sin, math.cos, lambda t: -math.sin(t)),
    (lambda t: t**3 - 2 * t, lambda t: 3 * t**2 - 2, lambda t: 6 * t),
    (lambda t: math.exp(t / 3), lambda t: math.exp(t / 3) / 3, lambda t: math.exp(t / 3) / 9),
    (
        lambda t: 1 / (1 + t * t),
        lambda t: -2 * t / (1 + t * t) ** 2,
        lambda t: (6 * t * t - 2) / (1 + t * t) ** 3,
    ),
]


def functions(*names: str) -> Callable[[random.Random], dict]:
    def draw(rng: random.Random) -> dict:
        values: dict = {n: rng.uniform(-2, 2) for n in names}
        f, fp, fpp = rng.choice(FUNCTIONS)
        g, gp, _ = rng.choice(FUNCTIONS)
        values.update(f=f, fp=fp, fpp=fpp, g=g, gp=gp)
        return values

    return draw


def _softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max())
    return e / e.sum()


def vector(n: int, *scalars: str) -> Callable[[random.Random], dict]:
    def draw(rng: random.Random) -> dict:
        values: dict = {"z": np.array([rng.uniform(-3, 3) for _ in range(n)])}
        values.update({s: rng.uniform(-3, 3) for s in scalars})
        return values

    return draw


# (steps, given, left, right, draw)
CASES = [
    (
        ["diff(f(g(x)), x)", "f'(g(x)) g'(x)"],
        {"f, g": "function"},
        lambda x, f, fp, fpp, g, gp: fp(g(x)) * gp(x),
        lambda x, f, fp, fpp, g, gp: fp(g(x)) * gp(x),
        functions("x"),
    ),
    (
        ["diff(f(g(x)), x)", "f'(g(x))"],
        {"f, g": "function"},
        lambda x, f, fp, fpp, g, gp: fp(g(x)) * gp(x),
        lambda x, f, fp, fpp, g, gp: fp(g(x)),
        functions("x"),
    ),
    (
        ["diff(f(x), x)", "f'(x)"],
        {"f": "function"},
        lambda x, f, fp, fpp, g, gp: fp(x),
        lambda x, f, fp, fpp, g, gp: fp(x),
        functions("x"),
    ),
    (
        ["diff(f(x), x, 2)", "f''(x)"],
        {"f": "function"},
        lambda x, f, fp, fpp, g, gp: fpp(x),
        lambda x, f, fp, fpp, g, gp: fpp(x),
        functions("x"),
    ),
    (
        ["diff(f(x) g(x), x)", "f'(x) g'(x)"],
        {"f, g": "function"},
        lambda x, f, fp, fpp, g, gp: fp(x) * g(x) + f(x) * gp(x),
        lambda x, f, fp, fpp, g, gp: fp(x) * gp(x),
        functions("x"),
    ),
    (
        ["diff(f(x)^2, x)", "2 f(x) f'(x)"],
        {"f": "function"},
        lambda x, f, fp, fpp, g, gp: 2 * f(x) * fp(x),
        lambda x, f, fp, fpp, g, gp: 2 * f(x) * fp(x),
        functions("x"),
    ),
    (
        ["f(x + y)", "f(x) + f(y)"],
        {"f": "function"},
        lambda x, y, f, fp, fpp, g, gp: f(x + y),
        lambda x, y, f, fp, fpp, g, gp: f(x) + f(y),
        functions("x", "y"),
    ),
    (
        ["diff(f(x, y), x, y)", "diff(f(x, y), y, x)"],
        {"f": "function"},
        # f(x, y) = sin(x) y² + x³ y: both mixed partials are 2 y cos(x) + 3x²
        lambda x, y: 2 * y * math.cos(x) + 3 * x * x,
        lambda x, y: 2 * y * math.cos(x) + 3 * x * x,
        reals("x", "y"),
    ),
    (
        ["f(x, y)", "f(y, x)"],
        {"f": "function"},
        lambda x, y: math.sin(x) * y * y + x**3 * y,
        lambda x, y: math.sin(y) * x * x + y**3 * x,
        reals("x", "y"),
    ),
    (
        ["diff(exp(f(x)), x)", "f'(x) exp(f(x))"],
        {"f": "function"},
        lambda x, f, fp, fpp, g, gp: fp(x) * math.exp(f(x)),
        lambda x, f, fp, fpp, g, gp: fp(x) * math.exp(f(x)),
        functions("x"),
    ),
    (
        ["sin(pi n)", "0"],
        {"n": "integer"},
        lambda n: math.sin(math.pi * n),
        lambda n: 0.0,
        lambda rng: {"n": rng.randint(-50, 50)},
    ),
    (
        ["sin(pi n)", "0"],
        {},
        lambda n: math.sin(math.pi * n),
        lambda n: 0.0,
        reals("n"),
    ),
    (
        ["sqrt(x^2)", "x"],
        {"x": "nonnegative"},
        lambda x: math.sqrt(x * x),
        lambda x: x,
        lambda rng: {"x": rng.uniform(0, 10)},
    ),
    (
        ["sqrt(x^2)", "x"],
        {},
        lambda x: math.sqrt(x * x),
        lambda x: x,
        reals("x"),
    ),
    (
        ["softmax(z)", "exp(z)/sum(exp(z))"],
        {"z": "vector 3"},
        lambda z: _softmax(z),
        lambda z: np.exp(z) / np.exp(z).sum(),
        vector(3),
    ),
    (
        ["softmax(z + c ones(3))", "softmax(z)"],
        {"z": "vector 3"},
        lambda z, c: _softmax(z + c),
        lambda z, c: _softmax(z),
        vector(3, "c"),
    ),
    (
        ["softmax(c z)", "softmax(z)"],
        {"z": "vector 3"},
        lambda z, c: _softmax(c * z),
        lambda z, c: _softmax(z),
        vector(3, "c"),
    ),
    (
        ["sum(softmax(z))", "1"],
        {"z": "vector 3"},
        lambda z: _softmax(z).sum(),
        lambda z: 1.0,
        vector(3),
    ),
    (
        ["logsumexp(z)", "log(sum(exp(z)))"],
        {"z": "vector 3"},
        lambda z: np.log(np.exp(z).sum()),
        lambda z: np.log(np.exp(z).sum()),
        vector(3),
    ),
    (
        ["logsumexp(z)", "max(z)"],
        {"z": "vector 3"},
        lambda z: np.log(np.exp(z).sum()),
        lambda z: z.max(),
        vector(3),
    ),
    (
        ["diff(logsumexp(z), z)", "softmax(z)"],
        {"z": "vector 3"},
        lambda z: _softmax(z),
        lambda z: _softmax(z),
        vector(3),
    ),
    (
        ["relu(x)", "max(x, 0)"],
        {},
        lambda x: max(x, 0.0),
        lambda x: max(x, 0.0),
        reals("x"),
    ),
    (
        ["relu(x)", "x"],
        {},
        lambda x: max(x, 0.0),
        lambda x: x,
        reals("x"),
    ),
    (
        ["max(a, b) + min(a, b)", "a + b"],
        {},
        lambda a, b: max(a, b) + min(a, b),
        lambda a, b: a + b,
        reals("a", "b"),
    ),
    (
        ["max(a, b)", "(a + b + abs(a - b))/2"],
        {},
        lambda a, b: max(a, b),
        lambda a, b: (a + b + abs(a - b)) / 2,
        reals("a", "b"),
    ),
    (
        ["mean(z)", "sum(z)/3"],
        {"z": "vector 3"},
        lambda z: z.mean(),
        lambda z: z.sum() / 3,
        vector(3),
    ),
    (
        ["mean(z)", "sum(z)/2"],
        {"z": "vector 3"},
        lambda z: z.mean(),
        lambda z: z.sum() / 2,
        vector(3),
    ),
]


@pytest.mark.parametrize(("steps", "given", "left", "right", "draw"), CASES)
def test_verdict_matches_evaluator(steps, given, left, right, draw) -> None:
    expected = "correct" if agree(left, right, draw) else "incorrect"
    with declaring(given):
        result = check(steps, given, catalog=False, budget=10)
    assert result.error is None, result.error
    assert result.verdict == expected, (steps, result.pairs)


def test_fullrank_normal_equations() -> None:
    """inv(AᵀA)AᵀA = I for a full-column-rank A, and A inv(AᵀA)Aᵀ (a projection) is not I;
    checked here on NumPy matrices of full column rank first."""
    rng = np.random.default_rng(7)
    a = rng.normal(size=(3, 2))
    assert np.allclose(np.linalg.inv(a.T @ a) @ a.T @ a, np.eye(2))
    assert not np.allclose(a @ np.linalg.inv(a.T @ a) @ a.T, np.eye(3))
    given = {"A": "fullrank 3 2"}
    assert check(["inv(A.T A) A.T A", "eye(2)"], given).verdict == "correct"
    assert check(["A inv(A.T A) A.T", "eye(3)"], given).verdict == "incorrect"


@pytest.mark.parametrize(
    ("steps", "given", "message"),
    [
        (["f + 1", "1"], {"f": "function"}, "f needs an argument"),
        (["softmax(a, b)", "1"], {}, "softmax takes 1"),
        (["mean(A)", "1"], {"A": "matrix 2 2"}, "takes a vector"),
        (["f'(x, y)", "1"], {"f": "function"}, "one argument"),
    ],
)
def test_misuse_is_a_one_line_error(steps, given, message) -> None:
    with declaring(given):
        result = check(steps, given, catalog=False)
    assert result.error is not None
    assert message in result.error
    assert "\n" not in result.error


def test_a_function_counterexample_shows_the_functions_and_is_exact() -> None:
    """The counterexample names the drawn f and g (exact rational functions); recomputing the
    chain rule from them here, with SymPy on the shown text, gives the values the diagnosis
    prints for both steps."""
    import sympy as sp

    given = {"f, g": "function"}
    with declaring(given):
        result = check(["diff(f(g(x)), x)", "f'(g(x))"], given, catalog=False)
    assert result.verdict == "incorrect"
    shown = dict(result.pairs[0].counterexample or {})
    t = sp.Symbol("t")
    f, g = (sp.sympify(shown[n].split("↦")[1].replace("^", "**")) for n in ("f", "g"))
    x = sp.Rational(shown["x"])
    inner = g.subs(t, x)
    right = sp.diff(f, t).subs(t, inner)
    left = right * sp.diff(g, t).subs(t, x)
    diagnosis = result.pairs[0].diagnosis or ""
    assert f"step 0 = {left}" in diagnosis
    assert f"step 1 = {right}" in diagnosis
