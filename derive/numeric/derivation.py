"""A derivation: the frozen record every view of a catalog entry is built from.

It lives beside the twins it holds (``derive.numeric.twin``); the smaller data it is made
of (steps, formulas, domains) is in ``derive.core.model``.

>>> from derive.catalog import get
>>> d = get("inverse-2x2")
>>> d.topic.value, len(d.twins) >= 1
('linear-algebra', True)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import sympy as sp

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
    # Whether verification fails without numeric twins: True for the built-in catalog (set by
    # its entries), False for your own derivations, whose verification then notes "no numeric
    # twin" instead.
    twins_required: bool = False

    def __post_init__(self) -> None:
        if not self.results:
            raise ValueError(f"{self.id}: a derivation needs at least one result")
        if not self.steps:
            raise ValueError(f"{self.id}: a derivation needs steps")
        problems = undeclared(self) + vacuous(self)
        if problems:
            raise ValueError(f"{self.id}: {problems[0]}")

    @property
    def result(self) -> Formula:
        """The main result."""
        return self.results[0]

    @property
    def reference(self) -> str:
        """The independent references its numeric twins are checked against."""
        if not self.twins:
            return "no numeric twin (checked step by step only)"
        return "; ".join(dict.fromkeys(t.reference.name for t in self.twins))

    def domain_of(self, symbol: Any) -> Domain:
        """The declared domain of a symbol (real scalars and general matrices by default)."""
        for var in self.symbols:
            if var.symbol == symbol:
                return var.domain
        return Domain.MATRIX if getattr(symbol, "is_Matrix", False) else Domain.REAL


def _symbols(exprs: Iterable[Any]) -> set[Any]:
    """The free symbols of SymPy objects (anything else has none)."""
    found: set[Any] = set()
    for expr in exprs:
        found |= set(getattr(expr, "free_symbols", ()) or ())
    return found


def undeclared(derivation: Derivation) -> list[str]:
    """Symbols a result uses that the derivation never declares nor uses in a step — most
    often a second ``Symbol("x")`` made without the assumptions of the declared one, which no
    step can then establish.

    >>> from derive.core.model import Formula, Interview, Step, Topic, Var
    >>> x, y = sp.symbols("x y", real=True)
    >>> Derivation("d", "D", Topic.CALCULUS_OPTIMIZATION, (Var(x, "x"),),
    ...     (Step(2 * x, "doubled", lhs=x + x),), (Formula(x + x, 2 * y),), (), "",
    ...     Interview("", ""), ())  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: d: result 1 (2*x = 2*y) uses y, which is not a declared symbol nor in any ...
    """
    d = derivation
    known = {v.symbol for v in d.symbols} | set(d.bindings) | _symbols(d.bindings.values())
    known |= {name for sizes in d.sizes for name in sizes}
    known |= _symbols(x for s in d.steps for x in (s.lhs, s.rhs, s.by))
    problems = []
    for number, result in enumerate(d.results, 1):
        for symbol in sorted(_symbols((result.lhs, result.rhs)) - known, key=sp.default_sort_key):
            label = result.name or f"{sp.sstr(result.lhs)} = {sp.sstr(result.rhs)}"
            same = [k for k in known if getattr(k, "name", None) == getattr(symbol, "name", "")]
            hint = (
                f"the derivation's {symbol} is {sp.srepr(same[0])} but this one is "
                f"{sp.srepr(symbol)}; use the same symbol object"
                if same
                else "declare it with Var(...) in symbols"
            )
            problems.append(
                f"result {number} ({label}) uses {symbol}, which is not a declared symbol "
                f"nor in any step; {hint}"
            )
    return problems


def vacuous(derivation: Derivation) -> list[str]:
    """Recorded mistakes that say nothing: the left side (the true quantity) is a bare symbol
    that nothing binds or solves for, so any wrong formula is "refuted" at an arbitrary point.

    >>> from derive.core.model import Formula, Interview, Mistake, Step, Topic, Var
    >>> x, f = sp.symbols("x f'", real=True)
    >>> Derivation("d", "D", Topic.CALCULUS_OPTIMIZATION, (Var(x, "x"),),
    ...     (Step(2 * x, "doubled", lhs=x + x),), (Formula(x + x, 2 * x),), (), "",
    ...     Interview("", ""), (Mistake(f, x, "not x"),))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: d: mistake 1 (not x): its left side f' is a bare symbol that no step or ...
    """
    d = derivation
    valued = set(d.bindings) | {s.lhs for s in d.steps if s.lhs is not None}
    valued |= {r.lhs for r in d.results}
    problems = []
    for number, mistake in enumerate(d.mistakes, 1):
        lhs = mistake.lhs
        if isinstance(lhs, (sp.Symbol, sp.MatrixSymbol)) and lhs not in valued:
            problems.append(
                f"mistake {number} ({mistake.name or mistake.explanation}): its left side "
                f"{lhs} is a bare symbol that no step or binding gives a value, so any right "
                'side is "refuted" at an arbitrary point; write the true quantity itself as '
                "the left side (for example the Derivative(...) it stands for)"
            )
    return problems
