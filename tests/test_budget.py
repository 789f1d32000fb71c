"""The time budget: a block over its time raises Timeout, even if one Timeout is swallowed."""

from __future__ import annotations

import importlib
import signal
import sys
import time
from pathlib import Path

import pytest

from derive.core.budget import Timeout, time_limit


def spin() -> None:
    """Work forever (until a Timeout)."""
    while True:
        pass


def swallow_one_then_spin(swallowed: list[bool]) -> None:
    """Swallow the first Timeout, as a gc callback or a bare ``except`` would, then work on."""
    try:
        spin()
    except Timeout:
        swallowed.append(True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        pass


def run_limited(seconds: float, work: object, *args: object) -> None:
    with time_limit(seconds):
        work(*args)  # type: ignore[operator]


def test_a_block_over_budget_raises_timeout() -> None:
    with pytest.raises(Timeout):
        run_limited(0.05, spin)


def test_a_swallowed_timeout_comes_again() -> None:
    swallowed: list[bool] = []
    with pytest.raises(Timeout):
        run_limited(0.05, swallow_one_then_spin, swallowed)
    assert swallowed == [True]


def test_no_alarm_is_left_behind() -> None:
    with pytest.raises(Timeout):
        run_limited(0.05, spin)
    assert signal.getitimer(signal.ITIMER_REAL)[0] == 0
    run_limited(5.0, lambda: None)
    assert signal.getitimer(signal.ITIMER_REAL)[0] == 0


def test_an_import_is_never_interrupted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A module whose import outlasts the budget is imported whole; the Timeout comes after."""
    (tmp_path / "slow_module_for_budget.py").write_text(
        "import time\n"
        "deadline = time.monotonic() + 0.3\n"
        "while time.monotonic() < deadline:\n"
        "    pass\n"
        "COMPLETE = True\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(Timeout):
        run_limited(0.05, lambda: (importlib.import_module("slow_module_for_budget"), spin()))
    module = sys.modules["slow_module_for_budget"]
    assert module.COMPLETE is True
    del sys.modules["slow_module_for_budget"]


class SlowToFinalise:
    finished = False

    def __del__(self) -> None:
        deadline = time.monotonic() + 0.3
        while time.monotonic() < deadline:
            pass
        SlowToFinalise.finished = True


def test_a_finaliser_is_never_interrupted(monkeypatch: pytest.MonkeyPatch) -> None:
    """A Timeout raised in ``__del__`` (or a weakref callback) would be lost as "Exception
    ignored"; it waits until the finaliser is done and comes after."""
    unraisable: list[object] = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)

    def finalise_then_spin() -> None:
        obj = SlowToFinalise()
        del obj  # runs __del__, which outlasts the budget
        spin()

    with pytest.raises(Timeout):
        run_limited(0.05, finalise_then_spin)
    assert SlowToFinalise.finished
    assert unraisable == []


def test_a_timeout_says_whether_an_enclosing_budget_ran_out() -> None:
    with pytest.raises(Timeout) as own:
        run_limited(0.05, spin)
    assert own.value.enclosing is False
    with pytest.raises(Timeout) as outer, time_limit(0.05):
        run_limited(5.0, spin)  # the inner limit is cut to the outer 0.05 s
    assert outer.value.enclosing is True
