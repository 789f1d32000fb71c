"""A derivation: the frozen record every view of a catalog entry is built from.

It lives beside the twins it holds (``derive.numeric.twin``); the smaller data it is made
of (steps, formulas, domains) is in ``derive.core.model``.

>>> from derive.catalog import get
>>> d = get("inverse-2x2")
>>> d.topic.value, len(d.twins) >= 1
('linear-algebra', True)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from derive.core.model import Domain, Formula, Interview, Mistake, Step, Topic, Var, frozen_map
from derive.numeric.twin import Twin


@dataclass(frozen=True)
class Derivation:
    """A derivation: symbols, verified steps, results, numeric twins and teaching material.

    Fields are data; derived outputs (LaTeX, numeric functions, verification) are functions
    of it elsewhere (``derive.render``, ``derive.numeric.twin``, ``derive.reasoning.verify``).
    """

    id: str
    title: str
    topic: Topic
    symbols: tuple[Var, ...]
    steps: tuple[Step, ...]
    results: tuple[Formula, ...]
    twins: tuple[Twin, ...]
    intuition: str
    interview: Interview
    mistakes: tuple[Mistake, ...]
    assumptions: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    # MatrixSymbols that stand for explicit matrices, e.g. A ↦ [[a, b], [c, d]], and scalar
    # symbols fixed by a constraint, e.g. y₃ ↦ 1 − y₁ − y₂ (the checks substitute them).
    bindings: Mapping[Any, Any] = field(default_factory=frozen_map)
    # Concrete sizes for symbolic dimensions, used to confirm matrix identities on entries.
    sizes: tuple[Mapping[Any, int], ...] = ()
    # Extra seeded checks: name -> function returning (passed, detail).
    checks: tuple[tuple[str, Callable[[np.random.Generator], tuple[bool, str]]], ...] = ()

    def __post_init__(self) -> None:
        if not self.results:
            raise ValueError(f"{self.id}: a derivation needs at least one result")
        if not self.steps:
            raise ValueError(f"{self.id}: a derivation needs steps")

    @property
    def result(self) -> Formula:
        """The main result."""
        return self.results[0]

    @property
    def reference(self) -> str:
        """The independent references its numeric twins are checked against."""
        return "; ".join(dict.fromkeys(t.reference.name for t in self.twins))

    def domain_of(self, symbol: Any) -> Domain:
        """The declared domain of a symbol (real scalars and general matrices by default)."""
        for var in self.symbols:
            if var.symbol == symbol:
                return var.domain
        return Domain.MATRIX if getattr(symbol, "is_Matrix", False) else Domain.REAL
