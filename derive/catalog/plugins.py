"""Catalogs that plug in: derivations shipped by other packages, found through entry points.

>>> loaded = load({}, points=())
>>> loaded.entries, loaded.problems
((), ())

A package ships derivations by naming, in the entry-point group ``derive.catalogs``, a
sequence of module names (like the built-in ``derive.catalog.MODULES``)::

    [project.entry-points."derive.catalogs"]
    activations = "derive_activations:MODULES"

Each module follows the built-in catalog's entry contract (``derive.catalog.entry``): one
top-level ``ENTRY = Entry(...)`` written with literals, and a ``build()`` returning
``ENTRY.derivation(...)``. The entries are read from the modules' source without importing
them, so ``derive list`` stays fast. A plugin that cannot be loaded, names something that is
not a catalog module, or whose id is already taken (by the built-in catalog or an earlier
plugin) is left out with one line saying which plugin and why; everything else still works.
Set ``DERIVE_DISABLE_PLUGINS=1`` to see the built-in catalog alone.
"""

from __future__ import annotations

import dataclasses
import importlib.metadata
import importlib.util
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from derive.catalog.entries import EntryError, parse
from derive.catalog.entry import Entry
from derive.core.errors import UsageError

GROUP = "derive.catalogs"
DISABLE = "DERIVE_DISABLE_PLUGINS"

# Problems found after loading (e.g. a plug-in entry naming an unknown drawing), reported with
# the loading problems: ``derive.catalog.problems()``.
LATER: list[str] = []


class PluginError(UsageError):
    """A plug-in entry that is present but cannot be used (its module does not build); the
    command line prints it as one line, exit status 2."""


@dataclass(frozen=True)
class Loaded:
    """What the installed plugins add: their entries, and one line per problem."""

    entries: tuple[Entry, ...]
    problems: tuple[str, ...]


def one_line(error: BaseException) -> str:
    """An exception as one line: its type and message, whitespace folded."""
    text = " ".join(str(error).split())
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def _source(module: str) -> tuple[str, str]:
    """The source text of a module and where it is, found without importing the module."""
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None or not spec.origin.endswith(".py"):
        raise EntryError(f"no Python source file for module {module!r}")
    path = Path(spec.origin)
    return path.read_text(encoding="utf-8"), str(path)


def _modules(value: Any) -> tuple[str, ...]:
    """The module names an entry point loads to (a sequence of strings)."""
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise EntryError(
            f"loads {type(value).__name__}, not a sequence of catalog module names "
            "(e.g. MODULES = ('my_package.tanh_derivative',))"
        )
    names = tuple(value)
    if not all(isinstance(n, str) for n in names):
        raise EntryError("its sequence holds something other than module names (strings)")
    return names


def disabled() -> bool:
    """Whether ``$DERIVE_DISABLE_PLUGINS`` is set (to anything but "" or "0"): then only the
    built-in catalog is loaded (the test suite sets it; ``tests/plugins`` runs without it).

    >>> import os
    >>> disabled() == (os.environ.get(DISABLE, "") not in ("", "0"))
    True
    """
    return os.environ.get(DISABLE, "") not in ("", "0")


def load(builtin: Mapping[str, Entry], points: Iterable[Any] | None = None) -> Loaded:
    """The entries of every installed plugin (or of ``points``, entry points to load), after
    the ``builtin`` ones: an entry point that fails is reported in one line and skipped.
    None are loaded when ``$DERIVE_DISABLE_PLUGINS`` is set and ``points`` not given."""
    if points is None:
        if disabled():
            return Loaded((), ())
        points = importlib.metadata.entry_points(group=GROUP)
    taken: dict[str, str] = {i: e.module for i, e in builtin.items()}
    entries: list[Entry] = []
    problems: list[str] = []
    for point in points:
        label = f"plugin {point.name!r} ({point.value})"
        try:
            modules = _modules(point.load())
            found = []
            for module in modules:
                source, where = _source(module)
                found.append(dataclasses.replace(parse(source, where), source=module))
        except Exception as error:  # a plugin may raise anything; it must not break the rest
            problems.append(f"{label} was not loaded: {one_line(error)}")
            continue
        for entry in found:
            if entry.id in taken:
                owner = "the built-in" if entry.id in builtin else "another plug-in's"
                problems.append(
                    f"{label}: the id {entry.id!r} of {entry.module} clashes with "
                    f"{owner} {taken[entry.id]}; left out (rename one of them)"
                )
                continue
            taken[entry.id] = entry.module
            entries.append(entry)
    return Loaded(tuple(entries), tuple(problems))


def later(entry: Entry, error: Exception) -> None:
    """Record a problem with a plug-in entry found after loading (reported once)."""
    if isinstance(error, PluginError):  # already says which entry
        line = " ".join(str(error).split())
    else:
        line = f"plug-in entry {entry.id!r} ({entry.module}): {one_line(error)}"
    if line not in LATER:
        LATER.append(line)
