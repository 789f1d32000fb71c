"""The worksheet panel a catalog entry names (``widget="module.function"`` in its ``ENTRY``).

>>> from derive.catalog import CATALOG
>>> panel_builder(CATALOG["inverse-2x2"]).__name__
'matrix_explorer'
>>> featured()["probability.distributions"]
('bernoulli', 'binomial', 'normal-distribution')

A panel may read several derivations; the entries that name it are the ones it is about, so
one panel can serve several entries. The names are resolved here, on demand: the catalog
states them as data and never imports the widgets.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from derive.catalog import CATALOG
from derive.catalog.entry import Entry
from derive.widgets.common import Panel


def panel_builder(entry: Entry) -> Callable[[], Panel] | None:
    """The function building the entry's panel (None if the entry names no panel).

    >>> panel_builder(CATALOG["pagerank"]) is None
    True
    """
    if entry.widget is None:
        return None
    module, _, name = entry.widget.rpartition(".")
    try:
        builder: Callable[[], Panel] = getattr(
            importlib.import_module(f"derive.widgets.{module}"), name
        )
    except (ImportError, AttributeError, ValueError):
        raise LookupError(
            f"{entry.module}: its widget {entry.widget!r} is not a panel in derive.widgets"
        ) from None
    return builder


def featured() -> dict[str, tuple[str, ...]]:
    """Each panel named by an entry, and the ids of the entries naming it (catalog order).

    >>> featured()["linear_algebra.normal_equation"]
    ('normal-equation',)
    """
    found: dict[str, list[str]] = {}
    for entry in CATALOG.values():
        if entry.widget is not None:
            found.setdefault(entry.widget, []).append(entry.id)
    return {widget: tuple(identifiers) for widget, identifiers in found.items()}
