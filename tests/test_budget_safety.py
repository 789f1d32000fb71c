"""Where the budget's Timeout must never land, reproduced deterministically: a Timeout is
delivered (as the alarm delivers it) at a chosen line of a chosen function, through a trace
function.

The real failure: ``derive check --json`` died with ``TypeError: Cannot convert expression to
float`` in the normal distribution's builder (``decimal(rule[0])``), a catalog derivation built
during a request's one-second catalog search. The first Meijer-G integral of a process makes
SymPy fill its module-level lookup table in place (``meijerint._create_lookup_table``), and
SymPy rebuilds it only if it is empty. A Timeout landing in that fill leaves a partial table
for the rest of the process: the Gaussian integrals no longer evaluate, the 68-95-99.7 values
stay unevaluated integrals, and ``float`` fails on them.
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Callable, Iterator
from types import FrameType
from typing import Any

import pytest
import sympy as sp
import sympy.integrals.meijerint as meijerint

from derive.catalog import get
from derive.core import budget
from derive.core.budget import Timeout, time_limit


def deliver_at(
    code: Any, when: Callable[[FrameType], bool], action: Callable[[FrameType], None]
) -> tuple[Callable[..., Any], list[bool]]:
    """A trace function calling ``action(frame)`` once, at the first line of ``code`` where
    ``when(frame)`` holds (the moment an alarm would land)."""
    fired: list[bool] = []

    def local(frame: FrameType, event: str, arg: Any) -> Any:
        if event == "line" and not fired and when(frame):
            fired.append(True)
            action(frame)
        return local

    def tracer(frame: FrameType, event: str, arg: Any) -> Any:
        return local if frame.f_code is code else None

    return tracer, fired


def raise_timeout(frame: FrameType) -> None:
    """An unguarded Timeout, as the budget delivered it before the fix."""
    raise Timeout


def in_table_fill(frame: FrameType) -> bool:
    return len(frame.f_locals.get("table", ())) >= 3


@pytest.fixture
def fresh_meijer_table(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A process that has not yet built SymPy's Meijer-G table (restored afterwards, with
    SymPy's caches cleared of anything computed meanwhile)."""
    monkeypatch.setattr(meijerint, "_lookup_table", None)
    sp.core.cache.clear_cache()
    yield
    sp.core.cache.clear_cache()


def first_meijer_integral(action: Callable[[FrameType], None]) -> bool:
    """Trigger the table's fill (a Gaussian integral) with ``action`` at a line inside it;
    whether the integral raised Timeout."""
    x = sp.Symbol("x", real=True)
    tracer, fired = deliver_at(meijerint._create_lookup_table.__code__, in_table_fill, action)
    sys.settrace(tracer)
    try:
        sp.integrate(sp.exp(-(x**2)), (x, 0, 1), meijerg=True)
    except Timeout:
        return True
    finally:
        sys.settrace(None)
    assert fired, "the table was not built by this integral"
    return False


def normal_rule() -> list[float]:
    """The normal distribution's 68-95-99.7 values as its catalog builder states them."""
    build = getattr(get, "__wrapped__", get)  # a fresh build, not the process's cached one
    derivation = build("normal-distribution")
    values = [s.rhs for s in derivation.steps if isinstance(s.rhs, sp.Expr) and s.rhs.is_number]
    return [float(v) for v in values if 0.6 < v < 1]


def full_table_size() -> int:
    table: dict[Any, Any] = {}
    meijerint._create_lookup_table(table)
    return len(table)


def test_an_unguarded_timeout_in_the_table_fill_breaks_the_normal_distribution(
    fresh_meijer_table: None,
) -> None:
    """The mechanism of the real failure (if SymPy makes the fill safe, this fails: then
    ``budget.ONE_TIME_SETUP`` no longer needs the entry)."""
    assert first_meijer_integral(raise_timeout)
    assert 0 < len(meijerint._lookup_table) < full_table_size()
    with pytest.raises(TypeError, match="Cannot convert expression to float"):
        normal_rule()


def test_the_budget_never_interrupts_the_table_fill(fresh_meijer_table: None) -> None:
    assert not first_meijer_integral(budget.interrupt)
    assert len(meijerint._lookup_table) == full_table_size()
    assert normal_rule() == pytest.approx([0.6827, 0.9545, 0.9973], abs=1e-4)


def lines_of(function: Any) -> list[int]:
    return sorted({line for _, _, line in function.__code__.co_lines() if line is not None})


@pytest.mark.parametrize(
    ("part", "nested"), [("__enter__", True), ("__exit__", True), ("__exit__", False)]
)
def test_an_alarm_in_the_budgets_own_start_or_end_waits_and_leaves_nothing_behind(
    part: str, nested: bool
) -> None:
    """The alarm's handler run at each line of a block's start or end, where a Timeout would
    escape before the alarm is cancelled and leave it running after the block (with the
    default SIGALRM handler restored, a silent exit of the process)."""
    function = getattr(budget._Limit, part)
    handled = 0

    def alarm(frame: FrameType) -> None:
        if signal.getsignal(signal.SIGALRM) is budget._raise_timeout:  # else it cannot run
            budget._raise_timeout(signal.SIGALRM, frame)

    for line in lines_of(function):
        block = time_limit(30.0)
        tracer, fired = deliver_at(
            function.__code__,
            lambda frame, line=line, block=block: (
                frame.f_lineno == line and frame.f_locals.get("self") is block
            ),
            alarm,
        )
        before = signal.getsignal(signal.SIGALRM)
        sys.settrace(tracer)
        try:
            with time_limit(60.0 if nested else 0.0):
                with block:
                    pass
                inside = signal.getitimer(signal.ITIMER_REAL)[0]
        finally:
            sys.settrace(None)
            left = signal.getitimer(signal.ITIMER_REAL)[0]
            signal.setitimer(signal.ITIMER_REAL, 0)
        assert left == 0, f"an alarm outlived the blocks (handler run at line {line})"
        assert signal.getsignal(signal.SIGALRM) == before
        if part == "__exit__":  # the outer budget runs on, or there is none
            assert (inside > 1.0) if nested else (inside == 0)
        handled += bool(fired)
    assert handled >= 4


def test_a_timeout_still_lands_in_ordinary_code() -> None:
    tracer, fired = deliver_at(
        normal_rule.__code__, lambda frame: True, lambda frame: budget.interrupt(frame)
    )
    sys.settrace(tracer)
    try:
        with pytest.raises(Timeout):
            normal_rule()
    finally:
        sys.settrace(None)
    assert fired
