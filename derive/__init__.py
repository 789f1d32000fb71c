"""derive: ML mathematics derived with SymPy, verified step by step and against NumPy/SciPy.

>>> import derive
>>> d = derive.get("inverse-2x2")
>>> derive.verify(d).passed
True

The public API is exactly the names in ``__all__``. They are imported on first use, so that
``derive --help`` starts without loading SymPy.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from derive.catalog import CATALOG, UnknownDerivation, derivations, get, ids
    from derive.check.api import check
    from derive.model import Derivation, Domain, Formula, Interview, Mistake, Rel, Step, Topic, Var
    from derive.twin import Arg, Reference, Twin
    from derive.verify import Check, Report, verify

_EXPORTS: dict[str, str] = {
    "check": "derive.check",
    "CATALOG": "derive.catalog",
    "UnknownDerivation": "derive.catalog",
    "derivations": "derive.catalog",
    "get": "derive.catalog",
    "ids": "derive.catalog",
    "Derivation": "derive.model",
    "Domain": "derive.model",
    "Formula": "derive.model",
    "Interview": "derive.model",
    "Mistake": "derive.model",
    "Rel": "derive.model",
    "Step": "derive.model",
    "Topic": "derive.model",
    "Var": "derive.model",
    "Arg": "derive.twin",
    "Reference": "derive.twin",
    "Twin": "derive.twin",
    "Check": "derive.verify",
    "Report": "derive.verify",
    "verify": "derive.verify",
}

__all__ = [
    "CATALOG",
    "Arg",
    "Check",
    "Derivation",
    "Domain",
    "Formula",
    "Interview",
    "Mistake",
    "Reference",
    "Rel",
    "Report",
    "Step",
    "Topic",
    "Twin",
    "UnknownDerivation",
    "Var",
    "check",
    "derivations",
    "get",
    "ids",
    "verify",
]


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'derive' has no attribute {name!r}")
    if name == "check":  # the package derive.check, callable as derive.check.api.check
        value = importlib.import_module("derive.check")
    else:
        value = getattr(importlib.import_module(_EXPORTS[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
