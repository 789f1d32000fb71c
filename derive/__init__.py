"""derive: ML mathematics derived with SymPy, verified step by step and against NumPy/SciPy.

>>> import derive
>>> derive.verify(derive.get("inverse-2x2")).passed
True
>>> derive.check("diff(x^2, x) = 2*x").verdict
'correct'

The public API is exactly the names in ``__all__``. They are imported on first use, so that
``derive --help`` starts without loading SymPy.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"  # the one place the version is written (pyproject.toml reads it)

if TYPE_CHECKING:
    from derive.catalog import CATALOG, UnknownDerivation, derivations, get, ids
    from derive.catalog.entry import Entry, Exercise, Picture
    from derive.checker.api import check
    from derive.core.model import Domain, Formula, Interview, Mistake, Rel, Step, Topic, Var
    from derive.notebook.magic import load_ipython_extension
    from derive.numeric.derivation import Derivation
    from derive.numeric.twin import Arg, Reference, Twin
    from derive.reasoning.verify import Check, Report, verify
    from derive.render.authoring import to_html, to_latex, to_markdown, to_text

_EXPORTS: dict[str, str] = {
    "check": "derive.checker.api",
    "CATALOG": "derive.catalog",
    "UnknownDerivation": "derive.catalog",
    "derivations": "derive.catalog",
    "get": "derive.catalog",
    "ids": "derive.catalog",
    "Entry": "derive.catalog.entry",
    "Exercise": "derive.catalog.entry",
    "Picture": "derive.catalog.entry",
    "Derivation": "derive.numeric.derivation",
    "Domain": "derive.core.model",
    "Formula": "derive.core.model",
    "Interview": "derive.core.model",
    "Mistake": "derive.core.model",
    "Rel": "derive.core.model",
    "Step": "derive.core.model",
    "Topic": "derive.core.model",
    "Var": "derive.core.model",
    "Arg": "derive.numeric.twin",
    "Reference": "derive.numeric.twin",
    "Twin": "derive.numeric.twin",
    "Check": "derive.reasoning.verify",
    "Report": "derive.reasoning.verify",
    "verify": "derive.reasoning.verify",
    "to_html": "derive.render.authoring",
    "to_latex": "derive.render.authoring",
    "to_markdown": "derive.render.authoring",
    "to_text": "derive.render.authoring",
    "load_ipython_extension": "derive.notebook.magic",  # %load_ext derive
}

__all__ = [
    "CATALOG",
    "Arg",
    "Check",
    "Derivation",
    "Domain",
    "Entry",
    "Exercise",
    "Formula",
    "Interview",
    "Mistake",
    "Picture",
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
    "load_ipython_extension",
    "to_html",
    "to_latex",
    "to_markdown",
    "to_text",
    "verify",
]


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'derive' has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
