"""What the book's drawings share: a figure of a set size, and finding a twin by its inputs.

>>> from derive.catalog import get
>>> twin = twin_of(get("bayes-theorem"), ("p", "s", "f"))
>>> round(float(twin(p=0.01, s=0.9, f=0.05)), 4)
0.1538

A drawing names the inputs it needs (lower-case argument names, in any order) and, when
several twins take the same inputs, the shape of the output it wants; it never depends on how
a twin is named. When no twin fits it raises ``PlotUnavailable``, which the book reports on
the page instead of drawing something made up.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np

from derive.numeric.derivation import Derivation
from derive.numeric.twin import Twin

if TYPE_CHECKING:
    from matplotlib.figure import Figure


class PlotUnavailable(LookupError):
    """The derivation has no twin this plot can be drawn from."""


def figure(width: float = 7.2, height: float = 4.2) -> Figure:
    """A constrained-layout figure (not attached to pyplot, so nothing leaks between drawings).

    >>> figure(6, 3).get_size_inches().tolist()
    [6.0, 3.0]
    """
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def twins_of(derivation: Derivation, names: tuple[str, ...]) -> list[Twin]:
    """The twins whose inputs are exactly ``names`` (lower-cased, any order).

    >>> from derive.catalog import get
    >>> len(twins_of(get("chain-rule-activations"), ("z",)))
    3
    """
    wanted = sorted(n.lower() for n in names)
    return [t for t in derivation.twins if sorted(a.name.lower() for a in t.args) == wanted]


def twin_of(
    derivation: Derivation,
    names: tuple[str, ...],
    probe: Mapping[str, object] | None = None,
    out: tuple[int, ...] | None = None,
) -> Twin:
    """The first twin taking exactly ``names``; with ``probe`` and ``out``, the first whose
    output on the probe has shape ``out``.

    >>> from derive.catalog import get
    >>> d = get("bernoulli")
    >>> twin_of(d, ("p",), {"p": 0.3}, ()).args[0].name
    'p'
    """
    for twin in twins_of(derivation, names):
        if probe is None or out is None:
            return twin
        by_name = {a.name.lower(): a.name for a in twin.args}
        values = {by_name[k.lower()]: np.asarray(v, dtype=float) for k, v in probe.items()}
        try:
            shape = np.asarray(twin(**values)).shape
        except ValueError:
            continue
        if shape == out:
            return twin
    shown = f" giving shape {out}" if out is not None else ""
    raise PlotUnavailable(f"{derivation.id} has no twin of ({', '.join(names)}){shown}")


def call(twin: Twin, **values: object) -> np.ndarray:
    """Call a twin by lower-case input names (the twin may spell them otherwise).

    >>> from derive.catalog import get
    >>> float(call(twin_of(get("binomial"), ("n", "p")), n=10, p=0.5))
    5.0
    """
    by_name = {a.name.lower(): a.name for a in twin.args}
    return np.asarray(
        twin(**{by_name[k.lower()]: np.asarray(v, dtype=float) for k, v in values.items()})
    )
