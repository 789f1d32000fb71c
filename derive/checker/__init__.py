"""The learner-working checker: is each step of a hand calculation equal to the one before?

>>> import derive
>>> derive.check("diff(x^2, x) = 2*x").verdict
'correct'
>>> from derive.checker import check
>>> check(["A*B", "B*A"], {"A": "matrix 2 3", "B": "matrix 2 3"}).error
'step 0, column 2: cannot multiply a 2×3 matrix by a 2×3 matrix (inner sizes 3 and 2 differ)'

Safe parsing (text and LaTeX, no ``eval``) into typed expressions, shapes first, a seeded
exact numeric screen, a symbolic proof under a time budget, and a diagnosis of every refuted
step. The contract (request and result JSON, kinds, syntax, exit statuses) is in
docs/checker.md. ``derive.check`` (the public function) is :func:`derive.checker.api.check`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from derive.checker.api import Pair, Request, Result, check, check_request
    from derive.checker.errors import InputError

_EXPORTS = {
    "check": "derive.checker.api",
    "check_request": "derive.checker.api",
    "Pair": "derive.checker.api",
    "Request": "derive.checker.api",
    "Result": "derive.checker.api",
    "InputError": "derive.checker.errors",
}

__all__ = ["InputError", "Pair", "Request", "Result", "check", "check_request"]


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'derive.checker' has no attribute {name!r}")
    return getattr(importlib.import_module(_EXPORTS[name]), name)
