"""The parts of a catalog derivation, each stated once: a builder subclasses ``Parts``, works
out the shared symbols and expressions in ``__init__``, and gives the steps, results, twins
and teaching text one method each; ``derivation`` puts them together.

>>> import sympy as sp
>>> from derive.catalog.entry import Entry
>>> from derive.catalog.steps import identity
>>> from derive.core.model import Formula, Interview, Topic, Var
>>> class Square(Parts):
...     intuition = "The slope of x² doubles x."
...     def __init__(self):
...         self.x = sp.Symbol("x", real=True)
...     def symbols(self):
...         return (Var(self.x, "a real number"),)
...     def steps(self):
...         return (identity(sp.Derivative(self.x**2, self.x), 2 * self.x, "Power rule."),)
...     def results(self):
...         return (Formula(sp.Derivative(self.x**2, self.x), 2 * self.x),)
...     def interview(self):
...         return Interview("What is (x²)′?", "2x.")
>>> entry = Entry(id="square", topic=Topic.CALCULUS_OPTIMIZATION, title="A square")
>>> d = Square().derivation(entry)
>>> d.result.rhs, d.twins, d.mistakes
(2*x, (), ())
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from derive.core.model import Formula, Interview, Mistake, Step, Var

if TYPE_CHECKING:
    import numpy as np

    from derive.catalog.entry import Entry
    from derive.numeric.derivation import Derivation
    from derive.numeric.twin import Twin

Check = tuple[str, "Callable[[np.random.Generator], tuple[bool, str]]"]


class Parts(ABC):
    """One derivation's parts. The teaching text that is plain data is given as class
    attributes (``intuition``, ``assumptions``, ``notes``); the optional parts default to
    none."""

    intuition: str
    assumptions: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @abstractmethod
    def symbols(self) -> tuple[Var, ...]:
        """The symbols with what they mean and where their values live."""

    @abstractmethod
    def steps(self) -> tuple[Step, ...]:
        """The steps, in order."""

    @abstractmethod
    def results(self) -> tuple[Formula, ...]:
        """What the derivation establishes, the main result first."""

    @abstractmethod
    def interview(self) -> Interview:
        """The interview question with its computed answer."""

    def twins(self, results: tuple[Formula, ...]) -> tuple[Twin, ...]:
        """The numeric twins (of these results, or of other formulas)."""
        return ()

    def mistakes(self) -> tuple[Mistake, ...]:
        """Recorded wrong formulas."""
        return ()

    def sizes(self) -> tuple[Mapping[Any, int], ...]:
        """Concrete sizes for symbolic dimensions."""
        return ()

    def bindings(self) -> Mapping[Any, Any]:
        """What named matrices and constrained symbols stand for."""
        return {}

    def checks(self, results: tuple[Formula, ...], twins: tuple[Twin, ...]) -> tuple[Check, ...]:
        """Extra seeded checks, which may use the results and twins."""
        return ()

    def derivation(self, entry: Entry) -> Derivation:
        """The derivation of ``entry`` made of these parts."""
        results = self.results()
        twins = self.twins(results)
        optional = {
            "assumptions": self.assumptions,
            "notes": self.notes,
            "sizes": self.sizes(),
            "bindings": self.bindings(),
            "checks": self.checks(results, twins),
        }
        return entry.derivation(
            symbols=self.symbols(),
            steps=self.steps(),
            results=results,
            twins=twins,
            intuition=self.intuition,
            interview=self.interview(),
            mistakes=self.mistakes(),
            **{name: value for name, value in optional.items() if value},
        )
