"""A catalog entry: what a derivation is called and what goes with it, stated once.

>>> entry = Entry(id="inverse-2x2", topic=Topic.LINEAR_ALGEBRA, title="Inverse of a 2×2 matrix")
>>> entry.module
'derive.catalog.linear_algebra.inverse_2x2'
>>> entry.plot is None and entry.exercise is None and entry.widget is None
True

Each catalog module declares one ``ENTRY`` near its top, written with literals only, and its
``build()`` makes the derivation through ``ENTRY.derivation(...)``, so the id, topic and title
are never repeated. The optional parts are data, not code: a :class:`Picture` names a drawing
registered in ``derive.book.plots``, an :class:`Exercise` names (at most) an input generator
registered in ``derive.render.exercises``, and ``widget`` names a panel in ``derive.widgets``
as ``module.function``. The catalog reads the entries from the modules' source without
importing them (``derive.catalog.entries``), so listing the catalog needs no SymPy.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from derive.core.model import Topic

if TYPE_CHECKING:
    from derive.numeric.derivation import Derivation

HERE = Path(__file__).resolve().parent  # derive/catalog: the built-in catalog's modules


@dataclass(frozen=True)
class Picture:
    """The book's picture of a derivation: its caption and the name of the drawing.

    >>> Picture("A circle and its image.", "unit_circle_inverse").drawing
    'unit_circle_inverse'
    """

    caption: str
    drawing: str  # a name in derive.book.plots.DRAWINGS


@dataclass(frozen=True)
class Exercise:
    """A nicer wording for a derivation's numeric exercise (the default asks to compute it).

    ``question`` is LaTeX text with ``{lhs}`` (the quantity asked for, as math) and ``{given}``
    (the drawn inputs, as math); ``lhs`` is LaTeX naming the quantity (default: the twin's
    result ``lhs``); ``twin`` names the twin to draw from (default: the first); ``draw`` names
    an input generator in ``derive.render.exercises.DRAWS``, for domains the generic
    small-integer draw cannot hit.

    >>> Exercise(r"Invert {given} by hand: compute ${lhs}$.").draw is None
    True
    """

    question: str
    lhs: str | None = None
    twin: str | None = None
    draw: str | None = None


@dataclass(frozen=True)
class Entry:
    """One catalog entry: id, topic and title, and its optional picture, exercise and widget.

    >>> Entry(id="pagerank", topic=Topic.LINEAR_ALGEBRA, title="PageRank").topic.value
    'linear-algebra'
    """

    id: str
    topic: Topic
    title: str
    plot: Picture | None = None
    exercise: Exercise | None = None
    widget: str | None = None  # a panel in derive.widgets, as "module.function"
    # The module of a plug-in entry (set by ``derive.catalog.plugins`` from the entry point,
    # never written in an ENTRY); None for the built-in catalog, whose modules are named
    # after topic and id.
    source: str | None = None

    @property
    def builtin(self) -> bool:
        """Whether the entry is in the built-in catalog: not a plug-in's, and its module is
        one of derive's own catalog files (an ENTRY of your own, or a plug-in module's own
        ENTRY, is not).

        >>> Entry(id="tanh", topic=Topic.CALCULUS_OPTIMIZATION, title="T", source="m.tanh").builtin
        False
        >>> Entry(id="tanh", topic=Topic.CALCULUS_OPTIMIZATION, title="T").builtin
        False
        >>> Entry(id="pagerank", topic=Topic.LINEAR_ALGEBRA, title="PageRank").builtin
        True
        """
        if self.source is not None:
            return False
        parts = self.module.split(".")[2:]
        return HERE.joinpath(*parts).with_suffix(".py").is_file()

    @property
    def module(self) -> str:
        """The module that declares this entry: for the built-in catalog its file is named
        after the id, for a plug-in it is the module its entry point lists.

        >>> Entry(id="bernoulli", topic=Topic.PROBABILITY_STATISTICS, title="B").module
        'derive.catalog.probability_statistics.bernoulli'
        """
        if self.source is not None:
            return self.source
        return f"derive.catalog.{self.topic.value.replace('-', '_')}.{self.id.replace('-', '_')}"

    @property
    def builder(self) -> str:
        """The builder's dotted name: the module's ``build``.

        >>> Entry(id="pagerank", topic=Topic.LINEAR_ALGEBRA, title="PageRank").builder
        'derive.catalog.linear_algebra.pagerank.build'
        """
        return f"{self.module}.build"

    def build(self) -> Derivation:
        """Import the entry's module and build its derivation (uncached; see ``catalog.get``).

        >>> Entry(id="dot-product", topic=Topic.LINEAR_ALGEBRA, title="The dot product").build().id
        'dot-product'
        """
        derivation: Derivation = importlib.import_module(self.module).build()
        return derivation

    def derivation(self, **fields: Any) -> Derivation:
        """The derivation of this entry: its id, title and topic, and the given fields
        (what a module's ``build()`` returns). Built-in entries must have numeric twins;
        a plug-in's may leave them out (``twins_required``).

        >>> import dataclasses
        >>> from derive.catalog.linear_algebra.dot_product import ENTRY, build
        >>> built = build()
        >>> stated = ("id", "title", "topic")
        >>> rest = {f.name: getattr(built, f.name) for f in dataclasses.fields(built)}
        >>> ENTRY.derivation(**{k: v for k, v in rest.items() if k not in stated}) == built
        True
        """
        from derive.numeric.derivation import Derivation

        fields.setdefault("twins_required", self.builtin)
        return Derivation(id=self.id, title=self.title, topic=self.topic, **fields)
