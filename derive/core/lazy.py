"""A module imported on first use: the catalog's SciPy references cost nothing until a twin
runs (``derive check`` builds derivations to name a mistake, and never runs their twins).

>>> special = module("scipy.special")
>>> float(special.expit(0.0))
0.5

``module(name)`` returns the module if it is already imported, else a module object that runs
the import on its first attribute access (the standard library's ``importlib.util.LazyLoader``,
the recipe of the ``importlib`` documentation). Later ``import name`` statements get the same
object. A missing module is an ``ImportError`` at once, as with ``import``.
"""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType


def module(name: str) -> ModuleType:
    """The module ``name``, imported when an attribute of it is first looked up."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        raise ImportError(f"No module named {name!r}", name=name)
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    lazy = importlib.util.module_from_spec(spec)
    sys.modules[name] = lazy
    loader.exec_module(lazy)
    return lazy
