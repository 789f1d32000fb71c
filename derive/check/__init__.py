"""The learner-working checker: is each step of a hand calculation equal to the one before?

>>> import derive
>>> derive.check("diff(x^2, x) = 2*x").verdict
'correct'
>>> from derive.check import check
>>> check(["A*B", "B*A"], {"A": "matrix 2 3", "B": "matrix 2 3"}).error
'step 0, column 2: cannot multiply a 2×3 matrix by a 2×3 matrix (inner sizes 3 and 2 differ)'

Safe parsing (text and LaTeX, no ``eval``) into typed expressions, shapes first, a seeded
exact numeric screen, a symbolic proof under a time budget, and a diagnosis of every refuted
step. The contract (request and result JSON, kinds, syntax, exit statuses) is in
docs/checker.md. The package itself is callable, so that ``derive.check(...)`` is
:func:`derive.check.api.check` while ``derive.check.bench`` and friends stay importable.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from derive.check.api import Pair, Request, Result, check, check_request
    from derive.check.errors import InputError

_EXPORTS = {
    "check": "derive.check.api",
    "check_request": "derive.check.api",
    "Pair": "derive.check.api",
    "Request": "derive.check.api",
    "Result": "derive.check.api",
    "InputError": "derive.check.errors",
}

__all__ = ["InputError", "Pair", "Request", "Result", "check", "check_request"]


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'derive.check' has no attribute {name!r}")
    return getattr(importlib.import_module(_EXPORTS[name]), name)


class _CallableModule(types.ModuleType):
    """This package, callable as :func:`derive.check.api.check`."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        from derive.check.api import check

        return check(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
