"""A module imported on first use: the catalog's SciPy references cost nothing until a twin
runs (``derive check`` builds derivations to name a mistake, and never runs their twins).

>>> special = module("scipy.special")
>>> float(special.expit(0.0))
0.5

``module(name)`` returns the module itself if it is already imported, else a stand-in whose
first attribute lookup imports it (``importlib.import_module``: the import system's own
locking, so threads may race to it safely) and which then hands every lookup to it. A module
that is not installed is an ``ImportError`` at once, as with ``import``.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from types import ModuleType
from typing import Any


class _Deferred(ModuleType):
    """Stands for a module not imported yet."""

    def __getattr__(self, attribute: str) -> Any:
        if attribute.startswith("__") and attribute.endswith("__"):
            raise AttributeError(attribute)  # copy, pickle and doctest probe these
        return getattr(importlib.import_module(self.__name__), attribute)


def module(name: str) -> ModuleType:
    """The module ``name``, imported when an attribute of it is first looked up."""
    if name in sys.modules:
        return sys.modules[name]
    if importlib.util.find_spec(name) is None:
        raise ImportError(f"No module named {name!r}", name=name)
    return _Deferred(name)
