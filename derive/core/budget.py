"""A wall-clock budget for symbolic work that might not terminate quickly.

>>> with time_limit(1.0):
...     total = sum(range(10))
>>> total
45

SymPy cannot be interrupted cooperatively, so the budget uses SIGALRM, which only works in
the main thread of a process; elsewhere the block simply runs without a limit.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


class Timeout(Exception):
    """A budgeted computation ran out of time. ``enclosing`` is true when the time that ran
    out was an enclosing block's, not the innermost one's own (the inner limit was cut short
    by an outer budget, so nothing is learned about the inner computation)."""

    enclosing = False


REPEAT = 0.05  # seconds: a Timeout swallowed (by a gc callback, a bare except) comes again


def _must_finish(frame: FrameType | None) -> bool:
    """Whether ``frame`` runs where a Timeout must not land: inside an import (which it would
    leave half-done), a finaliser (``__del__``) or a weak-reference callback (where Python
    cannot raise it: it would be printed as "Exception ignored" and lost)."""
    while frame is not None:
        code = frame.f_code
        if code.co_filename.startswith("<frozen importlib") or code.co_name == "__del__":
            return True
        if code.co_filename.endswith(("/weakref.py", "\\weakref.py")):
            return True
        frame = frame.f_back
    return False


def _raise_timeout(signum: int, frame: FrameType | None) -> None:
    signal.setitimer(signal.ITIMER_REAL, REPEAT)  # cancelled when the block exits
    if _must_finish(frame):  # wait until it is done: the alarm comes again in REPEAT seconds
        return
    raise Timeout


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`Timeout` inside the block once ``seconds`` have passed."""
    usable = threading.current_thread() is threading.main_thread() and seconds > 0
    if not usable:
        yield
        return
    previous_handler = signal.signal(signal.SIGALRM, _raise_timeout)
    outer_left = signal.getitimer(signal.ITIMER_REAL)[0]
    start = time.monotonic()
    clamped = bool(outer_left) and outer_left < seconds
    signal.setitimer(signal.ITIMER_REAL, outer_left if clamped else seconds)
    try:
        yield
    except Timeout as error:
        error.enclosing = error.enclosing or clamped
        raise
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous_handler)
        if outer_left:  # an enclosing budget keeps running, less the time spent here
            signal.setitimer(signal.ITIMER_REAL, max(outer_left - (time.monotonic() - start), 1e-3))
