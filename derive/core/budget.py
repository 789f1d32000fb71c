"""A wall-clock budget for symbolic work that might not terminate quickly.

>>> with time_limit(1.0):
...     total = sum(range(10))
>>> total
45

SymPy cannot be interrupted cooperatively, so the budget uses SIGALRM, which only works in
the main thread of a process; elsewhere the block simply runs without a limit.

A Timeout is an asynchronous exception: it can land between any two bytecodes. It never
lands where it would leave the process broken for later requests (see :func:`interrupt`);
there it waits and comes :data:`REPEAT` seconds later.
"""

from __future__ import annotations

import gc
import signal
import threading
import time
from collections.abc import Callable
from types import FrameType, TracebackType
from typing import Any


class Timeout(Exception):
    """A budgeted computation ran out of time. ``enclosing`` is true when the time that ran
    out was an enclosing block's, not the innermost one's own (the inner limit was cut short
    by an outer budget, so nothing is learned about the inner computation)."""

    enclosing = False


Handler = Callable[[int, FrameType | None], Any] | int | None
REPEAT = 0.05  # seconds: a Timeout swallowed (by a gc callback, a bare except) comes again

# Functions that fill a module-level table in place on first use and test only whether it
# is empty: a Timeout inside leaves a partial table that every later call in the process
# trusts. SymPy's Meijer G lookup table is one (the catalog's normal distribution failed
# with "Cannot convert expression to float": its Gaussian integrals no longer evaluated).
ONE_TIME_SETUP = frozenset(
    {
        ("sympy/integrals/meijerint.py", "_create_lookup_table"),
        ("sympy/holonomic/holonomic.py", "_create_table"),
    }
)


# Weak-reference callbacks of the standard library (weakref.finalize, WeakValueDictionary,
# WeakSet): they run whenever an object dies, inside a collection or not.
WEAKREF_FILES = ("/weakref.py", "\\weakref.py", "/_weakrefset.py", "\\_weakrefset.py")
_collecting: list[bool] = [False]  # a collection is running: its callbacks cannot raise


def _track_collection(phase: str, info: dict[str, Any]) -> None:
    _collecting[0] = phase == "start"


gc.callbacks.insert(0, _track_collection)


def _one_time_setup(filename: str, name: str) -> bool:
    path = filename.replace("\\", "/")
    return any(name == function and path.endswith(suffix) for suffix, function in ONE_TIME_SETUP)


def _must_finish(frame: FrameType | None) -> bool:
    """Whether ``frame`` runs where a Timeout must not land: inside an import (which it would
    leave half-done), a finaliser (``__del__``), a weak-reference callback or a garbage
    collector callback (``gc.callbacks``, as Hypothesis installs: Python cannot raise it there;
    it would be printed as "Exception ignored" and lost), a one-time setup
    (:data:`ONE_TIME_SETUP`), or the budget's own start and end (which would leave an alarm
    running after the block)."""
    if _collecting[0]:  # any code run by a collection: finalisers, weakref callbacks
        return True
    collector = {getattr(c, "__code__", None) for c in gc.callbacks}
    while frame is not None:
        code = frame.f_code
        if code in collector:
            return True
        if code.co_filename.startswith("<frozen importlib") or code.co_name == "__del__":
            return True
        if code.co_filename.endswith(WEAKREF_FILES):  # WeakSet's callbacks are in _weakrefset
            return True
        if code in _OWN_CODE or _one_time_setup(code.co_filename, code.co_name):
            return True
        frame = frame.f_back
    return False


def interrupt(frame: FrameType | None) -> None:
    """Deliver a Timeout in ``frame``, as the alarm does: raise it, unless the frame must
    finish first (then nothing happens here and the alarm comes again).

    >>> import sys
    >>> try:
    ...     interrupt(sys._getframe())
    ... except Timeout:
    ...     print("delivered")
    delivered
    """
    if _must_finish(frame):
        return
    raise Timeout


def _raise_timeout(signum: int, frame: FrameType | None) -> None:
    signal.setitimer(signal.ITIMER_REAL, REPEAT)  # cancelled when the block exits
    interrupt(frame)


class _Limit:
    """The block of :func:`time_limit`; its start and end are never interrupted."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.usable = threading.current_thread() is threading.main_thread() and seconds > 0
        self.previous: Handler = None
        self.outer_left = 0.0
        self.start = 0.0
        self.clamped = False

    def __enter__(self) -> None:
        if not self.usable:
            return
        self.previous = signal.signal(signal.SIGALRM, _raise_timeout)
        self.outer_left = signal.getitimer(signal.ITIMER_REAL)[0]
        self.start = time.monotonic()
        self.clamped = bool(self.outer_left) and self.outer_left < self.seconds
        signal.setitimer(signal.ITIMER_REAL, self.outer_left if self.clamped else self.seconds)

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if not self.usable:
            return
        if isinstance(error, Timeout):
            error.enclosing = error.enclosing or self.clamped
        signal.setitimer(signal.ITIMER_REAL, 0)
        # signal.signal first runs a handler still pending: here it waits and re-arms the
        # alarm, which must not outlive its handler (with the default one it would kill us)
        signal.signal(signal.SIGALRM, self.previous)
        signal.setitimer(signal.ITIMER_REAL, 0)
        if self.outer_left:  # an enclosing budget keeps running, less the time spent here
            left = self.outer_left - (time.monotonic() - self.start)
            signal.setitimer(signal.ITIMER_REAL, max(left, 1e-3))


_OWN_CODE = frozenset({_Limit.__enter__.__code__, _Limit.__exit__.__code__})


def time_limit(seconds: float) -> _Limit:
    """Raise :class:`Timeout` inside the block once ``seconds`` have passed.

    >>> with time_limit(0.5):
    ...     pass
    """
    return _Limit(seconds)
