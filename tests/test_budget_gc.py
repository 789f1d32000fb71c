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


class _Node:
    def __init__(self) -> None:
        self.cycle = self  # only a collection frees it


def test_a_weakref_callback_run_by_a_collection_is_never_interrupted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A callback of the user's own (not in weakref.py) and WeakSet's, both run by gc."""
    import weakref

    unraisable: list[object] = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    called: list[bool] = []

    def slow(_: object) -> None:
        deadline = time.monotonic() + 0.3
        while time.monotonic() < deadline:
            pass
        called.append(True)

    def collect_then_spin() -> None:
        node = _Node()
        ref = weakref.ref(node, slow)
        members = weakref.WeakSet([node])
        del node
        with time_limit(0.05):
            gc.collect()  # frees the cycle: the slow callback outlasts the budget
            deadline = time.monotonic() + 5.0
            while time.monotonic() < deadline:
                pass
        del ref, members

    gc.disable()  # the cycle is freed by this collect, not an automatic one before the budget
    try:
        with pytest.raises(Timeout):
            collect_then_spin()
    finally:
        gc.enable()
    assert called == [True]
    assert unraisable == []
