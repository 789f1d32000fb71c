"""Imported by the server's fork server before it forks any worker: the catalog's mistake index
is built there once, and every worker (and every replacement of a killed one) starts from a copy
of that warm process in milliseconds instead of building it again.

>>> import derive.serve.warmed as module
>>> module.MISTAKES  # only a fork server started by the pool (ENVIRONMENT set) builds it
0

A failure here is not fatal: each worker warms itself then (``warm()`` is cached).
"""

from __future__ import annotations

import os

ENVIRONMENT = "DERIVE_SERVE_PRELOAD"


def _warm() -> int:
    try:
        from derive.checker.catalog import warm

        return warm()
    except Exception:  # the workers will warm themselves; the server must still start
        return -1


def _preload() -> int:
    setting = os.environ.get(ENVIRONMENT)
    if setting == "1":
        return _warm()
    if setting == "0":
        import derive.checker.api  # noqa: F401 - SymPy and the checker, without the index
    return 0


MISTAKES = _preload()
