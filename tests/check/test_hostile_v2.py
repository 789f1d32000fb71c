"""Hostile input in the version-2 syntax: ``let`` cycles and long chains of definitions,
nested ``E[...]``, huge distributions, connectives, ``and``/``or``/``±`` everywhere, odd
tolerances, injection through definitions and kinds. Each is answered within its budget — an
input error (one line) or a verdict, never a hang or a traceback — with nothing executed."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy.f2py  # noqa: F401  (imported before the spy: it evals code reading its caller's locals)
import pytest

from derive.checker.api import check_data
from tests.check.test_hostile import GENEROUS, MARKERS, SENTINEL, TOUCH, spy

__all__ = ["spy"]  # the fixture, shared with test_hostile

DOUBLING = [f"let u{k + 1} = u{k} + u{k}" for k in range(38)]
SQUARING = [f"let u{k + 1} = u{k}^2" for k in range(38)]
NESTING = [f"let u{k + 1} = (u{k} + 1)(u{k} - 1)" for k in range(38)]
RANDOMS = {f"X{k}": "random" for k in range(38)}
INDEPENDENT = {", ".join(f"X{k}" for k in range(38)): "independent random"}
EVENTS = {", ".join(f"A{k}" for k in range(38)): "independent event"}
PRODUCT = " ".join(f"X{k}" for k in range(38))
UNION = " or ".join(f"A{k}" for k in range(38))

REQUESTS: list[dict[str, Any]] = [
    {"id": "let cycle", "steps": ["let a = b + 1", "let b = a + 1", "a", "= b + 1"]},
    {"id": "let self", "steps": ["let a = a + 1", "a", "= a"]},
    {"id": "let three-cycle", "steps": ["let a = c", "let b = a", "let c = b", "a", "= c"]},
    {"id": "let redefined", "steps": ["let a = 1", "let a = 2", "a", "= 2"]},
    {"id": "let doubling", "steps": ["let u0 = x", *DOUBLING, "u38", "= 2^38 x"]},
    {"id": "let squaring", "steps": ["let u0 = x", *SQUARING, "u38", "= x"]},
    {"id": "let nesting", "steps": ["let u0 = x", *NESTING, "u38", "= u38"]},
    {"id": "let injection", "steps": ["let __import__ = 1", "__import__('os')", "= 1"]},
    {"id": "let attribute", "steps": ["let x.__class__ = 1", "x", "= x"]},
    {"id": "let code", "steps": [f"let s = __import__('os').system('{TOUCH}')", "s", "= s"]},
    {"id": "let function name", "steps": ["let exp = 2", "exp(1)", "= 2"]},
    {"id": "let empty", "steps": ["let", "let =", ":=", "let x ="]},
    {"id": "nested E", "steps": ["E[" * 39 + "X" + "]" * 39, "= E[X]"], "given": {"X": "random"}},
    {
        "id": "nested Var",
        "steps": ["Var(" * 30 + "X" + ")" * 30, "= 0"],
        "given": {"X": "random"},
    },
    {"id": "nested P", "steps": ["P(" * 30 + "A" + ")" * 30, "= P(A)"], "given": {"A": "event"}},
    {"id": "E power", "steps": ["E[X^1000]", "= E[X]^1000"], "given": {"X": "random"}},
    {"id": "many randoms", "steps": [f"E[{PRODUCT}]", "= 0"], "given": RANDOMS},
    {
        "id": "many independent",
        "steps": [f"E[{PRODUCT}]", "= " + " ".join(f"E[X{k}]" for k in range(38))],
        "given": INDEPENDENT,
    },
    {"id": "many events", "steps": [f"P({UNION})", "= 1"], "given": EVENTS},
    {"id": "random as matrix", "steps": ["inv(X)", "= X"], "given": {"X": "random"}},
    {"id": "event arithmetic", "steps": ["A + B", "= B + A"], "given": {"A": "event"}},
    {"id": "connectives", "steps": ["x = 1", "<=> <=> x = 1", "=> => x = 1", "⇔ ⇒ x = 1"]},
    {"id": "connectives only", "steps": ["<=>", "=>", "⇔", r"\iff", r"\implies"]},
    {"id": "connective chain", "steps": [" <=> ".join(["x = 1"] * 300)]},
    {"id": "implication chain", "steps": [" => ".join(["x^2 = 1"] * 300)]},
    {"id": "or bomb", "steps": ["x^2 = 1", "<=> " + " or ".join(f"x = {k}" for k in range(400))]},
    {"id": "and bomb", "steps": ["x = 1", "<=> " + " and ".join(["x^2 = 1"] * 400)]},
    {"id": "plus-minus bomb", "steps": ["x = 0", "<=> x = " + " ± ".join(["1"] * 40)]},
    {"id": "relation chain", "steps": [" < ".join(["x"] * 400)]},
    {"id": "mixed relations", "steps": ["x", "< x", "> x", "<= x", ">= x", "!= x", "≈ x"]},
    {"id": "approx digits", "steps": ["sqrt(17)", "≈ 4." + "1" * 1900]},
    {"id": "approx of name", "steps": ["x", "≈ 4.1"]},
    {"id": "tolerance huge", "steps": ["1/3", "0.333"], "tolerance": {"digits": 10**9}},
    {"id": "tolerance negative", "steps": ["1/3", "0.333"], "tolerance": {"relative": -1}},
    {"id": "tolerance nan", "steps": ["1/3", "0.333"], "tolerance": {"relative": "nan"}},
    {"id": "tolerance code", "steps": ["1/3", "0.333"], "tolerance": "__import__('os')"},
    {"id": "tolerance both", "steps": ["1/3", "0.3"], "tolerance": {"digits": 1, "relative": 1}},
    {"id": "grouped digits", "steps": [",".join(["999"] * 20), "= 1"]},
    {"id": "percent bomb", "steps": ["1" + "%" * 500, "= 1"]},
    {
        "id": "function kind bomb",
        "steps": ["f(" * 39 + "x" + ")" * 39, "= x"],
        "given": {"f": "function"},
    },
    {
        "id": "derivative of function",
        "steps": ["diff(f(x), x, 5)", "= f'''''(x)"],
        "given": {"f": "function"},
    },
    {"id": "primes", "steps": ["f" + "'" * 500 + "(x)", "= 0"], "given": {"f": "function"}},
    {"id": "fullrank huge", "steps": ["A", "= A"], "given": {"A": "fullrank 100000 3"}},
    {"id": "kind code", "steps": ["x", "= x"], "given": {"x": "random; import os"}},
    {"id": "premise only", "steps": ["x = 1"]},
    {"id": "statement bomb", "steps": ["x^(10^10) = 1", "<=> x = 1"]},
    {"id": "unicode connective", "steps": ["x = 1", "\u21d4\u200f x = 1"]},
]


@pytest.mark.parametrize("request_data", REQUESTS, ids=lambda r: str(r["id"]))
def test_hostile_v2_input_is_data(
    request_data: dict[str, Any], spy: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    start = time.monotonic()
    result = check_data(request_data, budget=2.0)
    assert time.monotonic() - start < GENEROUS
    assert result.verdict in ("correct", "incorrect", "unknown")
    assert result.trace is None, result.trace  # no internal error: a reading or a verdict
    if result.error is not None:
        assert "\n" not in result.error
        assert result.verdict == "unknown"
        assert result.pairs == ()
    assert not (tmp_path / SENTINEL).exists()
    assert not [s for s in spy if any(marker in s for marker in MARKERS)]


def test_a_let_cycle_is_never_correct() -> None:
    """A definition in terms of itself defines nothing: refused, or at least not proven."""
    for steps in (["let a = a + 1", "a", "= a + 1"], ["let a = b", "let b = a + 1", "a", "= b"]):
        result = check_data({"steps": steps}, budget=2.0)
        assert result.error is not None or result.verdict != "correct", result
