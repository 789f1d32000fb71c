"""A Timeout never lands in a garbage-collector callback (Hypothesis installs one): Python
cannot raise it there, it would be lost as "Exception ignored"; it comes after instead."""

from __future__ import annotations

import gc
import sys
import time
from typing import Any

import pytest

from derive.core.budget import Timeout, time_limit


def test_a_gc_callback_is_never_interrupted(monkeypatch: pytest.MonkeyPatch) -> None:
    unraisable: list[object] = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    finished: list[bool] = []

    def slow_callback(phase: str, info: dict[str, Any]) -> None:
        if phase == "stop" and not finished:
            deadline = time.monotonic() + 0.3
            while time.monotonic() < deadline:
                pass
            finished.append(True)

    def collect_then_spin() -> None:
        with time_limit(0.05):
            gc.collect()  # the callback outlasts the budget
            deadline = time.monotonic() + 5.0
            while time.monotonic() < deadline:
                pass

    gc.callbacks.append(slow_callback)
    try:
        with pytest.raises(Timeout):
            collect_then_spin()
    finally:
        gc.callbacks.remove(slow_callback)
    assert finished == [True]
    assert unraisable == []
