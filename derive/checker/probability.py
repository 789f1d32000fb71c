"""Random variables, events and functions at a sample point: one finite probability space.

>>> import numpy as np
>>> from derive.checker.kinds import parse_kind
>>> kinds = {"X": parse_kind("random"), "A": parse_kind("event")}
>>> values, shown = draw_joint(np.random.default_rng(0), kinds)
>>> sum(values["X"].space.probabilities)
1
>>> sorted(shown)
['A', 'P', 'X']

At each sample point the request's random variables and events live on one random finite
space: a few outcomes with exact rational probabilities, each random variable a rational
value per outcome and each event a set of outcomes. Names declared ``independent`` get a
factor of their own (the space is a product), so ``E[X Y] = E[X] E[Y]`` holds exactly for
them and is refuted for the others. The counterexample shows the joint distribution as a
table: for each name its value on each row (an event: 1 if the row is in it, else 0), and
under ``P`` each row's probability.

For a symbolic proof the same construction is made with symbols: a general factor of
:data:`ATOMS` outcomes (an independent random variable's factor: :data:`INDEPENDENT_ATOMS`)
whose values and probabilities are symbols (the last probability is one minus the others). By
Carathéodory's theorem any finite set of expectations of a distribution is that of a
distribution with at most one more atom than there are expectations (factor by factor for a
product), so an identity over that family holds for every distribution whose expectations
exist — but only while the request uses fewer distinct expectations than a factor has atoms;
with more, no proof is claimed (the numeric screen still decides): see :func:`proof_atoms`.

A declared ``function`` is, at a sample point, a random smooth function with rational
coefficients: a polynomial (cubic in each argument) plus ``c / (1 + (a·t - s)²)`` — smooth
everywhere and not a polynomial, and exact: its values and derivatives at rational points are
rationals, so an identity about abstract ``f`` and ``g`` is screened exactly.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache
from typing import Any

import numpy as np
import sympy as sp

from derive.checker.errors import InputError
from derive.checker.kinds import Kind

ATOMS = 8  # outcomes of the symbolic general factor
INDEPENDENT_ATOMS = 4  # outcomes of an independent random variable's symbolic factor
MAX_INDEPENDENT = 6  # independent names per request (the product space doubles with each)
EXPECTATIONS = ("E", "Var", "Cov", "Corr")
PROBABILITY = ("P",)
EVENT_OPERATORS = ("and", "or", "not")


@dataclass(frozen=True)
class Space:
    """Outcomes 0..n-1 with their probabilities (exact rationals, or symbols)."""

    probabilities: tuple[Any, ...]


@dataclass(frozen=True)
class RandomValue:
    """A random variable (or, with 0/1 values, an event's indicator) on a space."""

    name: str
    space: Space = field(repr=False)
    values: tuple[Any, ...]
    event: bool = False

    def __str__(self) -> str:
        return "[" + ", ".join(sp.sstr(v) for v in self.values) + "]"


@dataclass(frozen=True)
class Coefficients:
    """A drawn function of one argument: ``c0 + c1 t + c2 t² + c3 t³ + d / (1 + (a t - s)²)``."""

    poly: tuple[sp.Rational, sp.Rational, sp.Rational, sp.Rational]
    d: sp.Rational
    a: sp.Rational
    s: sp.Rational

    def derivative(self, order: int, t: Any) -> Any:
        """The ``order``-th derivative at ``t`` (exact arithmetic on ``t``)."""
        c0, c1, c2, c3 = self.poly
        polys = (
            c0 + c1 * t + c2 * t**2 + c3 * t**3,
            c1 + 2 * c2 * t + 3 * c3 * t**2,
            2 * c2 + 6 * c3 * t,
            6 * c3,
        )
        u = self.a * t - self.s
        w = 1 + u**2
        d, a = self.d, self.a
        if order == 0:
            return polys[0] + d / w
        if order == 1:
            return polys[1] - 2 * d * a * u / w**2
        if order == 2:
            return polys[2] + 2 * d * a**2 * (3 * u**2 - 1) / w**3
        if order == 3:
            return polys[3] + 24 * d * a**3 * u * (1 - u**2) / w**4
        x = sp.Dummy("x")
        return sp.diff(d / (1 + (a * x - self.s) ** 2), x, order).xreplace({x: t})


@lru_cache(maxsize=512)
def coefficients(seed: int) -> Coefficients:
    """The function of one argument drawn from ``seed``."""
    rng = np.random.default_rng([seed, 1])
    poly = tuple(_small(rng) / scale for scale in (1, 1, 4, 16))
    return Coefficients(poly, _nonzero(rng), _nonzero(rng) / 2, _small(rng))


def _small(rng: np.random.Generator) -> sp.Rational:
    return sp.Rational(int(rng.integers(-9, 10)), int(rng.integers(1, 5)))


def _nonzero(rng: np.random.Generator) -> sp.Rational:
    value = _small(rng)
    return value if value != 0 else sp.Rational(1, 2)


class Drawn(sp.Function):
    """``Drawn(seed, order, t)``: the ``order``-th derivative of the drawn function at ``t``;
    evaluated at once for a number, kept (and differentiated by ``fdiff``) for a symbol."""

    nargs = 3

    @classmethod
    def eval(cls, seed: Any, order: Any, t: Any) -> Any:
        if t.is_number:
            return coefficients(int(seed)).derivative(int(order), t)
        return None

    def fdiff(self, argindex: int = 3) -> Any:
        seed, order, t = self.args
        return Drawn(seed, order + 1, t)


_BUMP = Coefficients((sp.Integer(0),) * 4, sp.Integer(1), sp.Integer(1), sp.Integer(0))


class Bump(sp.Function):
    """``Bump(order, u)``: the ``order``-th derivative of ``1 / (1 + u²)`` at ``u``, evaluated at
    once for a number (the smooth part of a drawn function of several arguments)."""

    nargs = 2

    @classmethod
    def eval(cls, order: Any, u: Any) -> Any:
        if u.is_number:
            return _BUMP.derivative(int(order), u)
        return None

    def fdiff(self, argindex: int = 2) -> Any:
        order, u = self.args
        return Bump(order + 1, u)


@dataclass(frozen=True)
class FunctionValue:
    """A random smooth function of any number of arguments, drawn from ``seed``."""

    name: str
    seed: int

    def expression(self, arity: int) -> tuple[tuple[sp.Dummy, ...], Any]:
        """(arguments, body) of the function of ``arity`` (≥ 2) arguments: a polynomial,
        cubic in each argument, plus ``c / (1 + (a·t - s)²)``."""
        rng = np.random.default_rng([self.seed, arity])
        ts = tuple(sp.Dummy(f"t{i}") for i in range(arity))
        body: Any = _small(rng)
        for t in ts:
            body += _small(rng) * t + _small(rng) * t**3 / 16
        for a, b in itertools.combinations_with_replacement(ts, 2):
            body += _small(rng) * a * b / 4
        linear = sum((_nonzero(rng) * t for t in ts), sp.Integer(0)) - _small(rng)
        body += _nonzero(rng) * Bump(0, linear)  # smooth everywhere, and not a polynomial
        return ts, body

    def apply(self, args: Sequence[Any], order: int = 0) -> Any:
        """The value at ``args`` (``order`` derivatives of a one-argument function)."""
        if len(args) == 1:
            return Drawn(self.seed, order, args[0])
        ts, body = self.expression(len(args))
        return body.xreplace(dict(zip(ts, args, strict=True)))

    def __str__(self) -> str:
        from derive.checker.printer import to_text

        return to_text(coefficients(self.seed).derivative(0, sp.Symbol("t", real=True)))


# -- drawing a space ---------------------------------------------------------------------


def _probabilities(rng: np.random.Generator, count: int) -> tuple[sp.Rational, ...]:
    """``count`` positive rationals summing to one (small denominators)."""
    weights = [int(rng.integers(1, 7)) for _ in range(count)]
    total = sum(weights)
    return tuple(sp.Rational(w, total) for w in weights)


def _groups(kinds: Mapping[str, Kind]) -> list[tuple[str, ...]]:
    groups: list[tuple[str, ...]] = []
    for name in sorted(kinds):
        group = tuple(sorted(n for n in kinds[name].independent if n in kinds))
        if len(group) > 1 and group not in groups:
            groups.append(group)
    return groups


def draw_joint(
    rng: np.random.Generator, kinds: Mapping[str, Kind]
) -> tuple[dict[str, Any], dict[str, str]]:
    """Values and their shown forms for the function, random and event names of a point.

    Each name of an independence group depends on a factor of its own (2 or 3 outcomes);
    every other random name, and in each later group one member chosen at random, depends on
    all factors together with a general factor of 3 outcomes.
    """
    values: dict[str, Any] = {}
    functions: dict[str, str] = {}
    for name in sorted(kinds):
        if kinds[name].name == "function":
            values[name] = FunctionValue(name, int(rng.integers(2**31)))
            functions[name] = f"t ↦ {values[name]}"  # as a function of one argument
    chance = sorted(n for n in kinds if kinds[n].name in ("random", "event"))
    if not chance:
        return values, functions
    groups = _groups({n: kinds[n] for n in chance})
    own = sorted({n for g in groups for n in g})
    if len(own) > MAX_INDEPENDENT:
        raise InputError(f"too many independent names ({len(own)}; at most {MAX_INDEPENDENT})")
    linked = {g[int(rng.integers(len(g)))] for g in groups[1:]}
    factors = {n: _probabilities(rng, int(rng.integers(2, 4))) for n in own}
    general = _probabilities(rng, 3)
    order = [*own, ""]
    sizes = [len(factors[n]) for n in own] + [len(general)]
    outcomes = list(itertools.product(*(range(s) for s in sizes)))
    probabilities = []
    for outcome in outcomes:
        p = general[outcome[-1]]
        for n, i in zip(own, outcome, strict=False):
            p *= factors[n][i]
        probabilities.append(p)
    space = Space(tuple(probabilities))
    for name in chance:
        event = kinds[name].name == "event"
        if name in own and name not in linked:
            position = order.index(name)
            table = _column(rng, event, sizes[position])
            column = tuple(table[o[position]] for o in outcomes)
        else:
            column = _column(rng, event, len(outcomes))
        values[name] = RandomValue(name, space, column, event)
    return values, {**functions, **show_table([values[n] for n in chance])}


def _column(rng: np.random.Generator, event: bool, count: int) -> tuple[Any, ...]:
    """Values on ``count`` outcomes; an event is neither empty nor certain (a generic event:
    ``P(A | B)`` is defined and ``P(A) = 0`` is a special case, not a sample)."""
    while True:
        column = tuple(_atom(rng, event) for _ in range(count))
        if not event or len(set(column)) == 2:
            return column


def _atom(rng: np.random.Generator, event: bool) -> sp.Rational:
    if event:
        return sp.Integer(int(rng.integers(2)))
    return sp.Rational(int(rng.integers(-6, 7)), int(rng.choice([1, 1, 2, 3])))


def show_table(columns: Sequence[RandomValue]) -> dict[str, str]:
    """The joint distribution of ``columns`` as a table: rows of equal values merged, one
    list per name and the rows' probabilities under ``P``.

    >>> space = Space((sp.Rational(1, 4), sp.Rational(1, 4), sp.Rational(1, 2)))
    >>> show_table([RandomValue("X", space, (sp.Integer(1), sp.Integer(1), sp.Integer(2)))])
    {'X': '[1, 2]', 'P': '[1/2, 1/2]'}
    """
    rows: dict[tuple[Any, ...], Any] = {}
    space = columns[0].space
    for i, p in enumerate(space.probabilities):
        key = tuple(c.values[i] for c in columns)
        rows[key] = rows.get(key, 0) + p
    ordered = sorted(rows, key=lambda k: tuple(Fraction(int(v.p), int(v.q)) for v in k))
    shown = {
        c.name: "[" + ", ".join(sp.sstr(k[j]) for k in ordered) + "]" for j, c in enumerate(columns)
    }
    shown["P"] = "[" + ", ".join(sp.sstr(rows[k]) for k in ordered) + "]"
    return shown


def shown_at(
    shown: Mapping[str, str], names: Iterable[str], kinds: Mapping[str, Kind]
) -> dict[str, str]:
    """A point's shown values for ``names``, with the probability column ``P`` when one of
    them is a random variable or an event.

    >>> from derive.checker.kinds import parse_kind
    >>> shown_at({"X": "[1, 2]", "P": "[1/2, 1/2]", "y": "3"}, {"X"}, {"X": parse_kind("random")})
    {'X': '[1, 2]', 'P': '[1/2, 1/2]'}
    """
    selected = {n: shown[n] for n in sorted(names) if n in shown}
    chance = any(kinds[n].name in ("random", "event") for n in selected if n in kinds)
    if chance and "P" in shown:
        selected["P"] = shown["P"]
    return selected


def table_text(shown: Mapping[str, str]) -> str:
    """A counterexample's distribution as a small text table (rows: outcomes), after the
    other names' values (columns are the names whose lists are as long as ``P``).

    >>> print(table_text({"X": "[1, 2]", "P": "[1/2, 1/2]", "c": "3"}))
    c = 3
    X  P
    1  1/2
    2  1/2
    """
    rows = len(shown["P"].split(", "))

    def column(text: str) -> bool:
        return text.startswith("[") and not text.startswith("[[") and len(text.split(", ")) == rows

    names = [n for n in shown if n != "P" and column(shown[n])] + ["P"]
    others = ", ".join(f"{n} = {v}" for n, v in shown.items() if n not in names)
    columns = [shown[n].strip("[]").split(", ") for n in names]
    widths = [max(len(n), *(len(v) for v in col)) for n, col in zip(names, columns, strict=True)]
    lines = [others] if others else []
    lines.append("  ".join(n.ljust(w) for n, w in zip(names, widths, strict=True)).rstrip())
    for row in zip(*columns, strict=True):
        lines.append("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())
    return "\n".join(lines)


# -- the symbolic space ------------------------------------------------------------------


def symbolic_joint(kinds: Mapping[str, Kind]) -> dict[str, RandomValue]:
    """Random variables and events on a general symbolic space (see the module's text):
    independent names on factors of their own, the others on all factors and a general one.
    Events are general too: the general factor holds every pattern of membership."""
    chance = sorted(n for n in kinds if kinds[n].name in ("random", "event"))
    groups = _groups({n: kinds[n] for n in chance})
    own = sorted({n for g in groups for n in g})
    events = [n for n in chance if kinds[n].name == "event" and n not in own]
    patterns = list(itertools.product((0, 1), repeat=len(events)))
    rest = [n for n in chance if n not in own]
    general_size = max(ATOMS, len(patterns)) if rest else 1
    factors: dict[str, tuple[Any, ...]] = {}
    for n in own:
        size = 2 if kinds[n].name == "event" else INDEPENDENT_ATOMS
        factors[n] = _symbolic_probabilities(f"p_{n}", size)
    general = _symbolic_probabilities("p", general_size)
    sizes = [len(factors[n]) for n in own] + [general_size]
    outcomes = list(itertools.product(*(range(s) for s in sizes)))
    probabilities = []
    for outcome in outcomes:
        p = general[outcome[-1]]
        for n, i in zip(own, outcome, strict=False):
            p *= factors[n][i]
        probabilities.append(p)
    space = Space(tuple(probabilities))
    values: dict[str, RandomValue] = {}
    for name in chance:
        event = kinds[name].name == "event"
        if name in own:
            position = own.index(name)
            if event:
                table: list[Any] = [sp.Integer(1), sp.Integer(0)]
            else:
                table = [sp.Symbol(f"{name}_{i}", real=True) for i in range(INDEPENDENT_ATOMS)]
            column = tuple(table[o[position]] for o in outcomes)
        elif event:
            k = events.index(name)
            column = tuple(sp.Integer(patterns[o[-1] % len(patterns)][k]) for o in outcomes)
        else:
            column = tuple(
                sp.Symbol(f"{name}_{'_'.join(map(str, o))}", real=True) for o in outcomes
            )
        values[name] = RandomValue(name, space, column, event)
    return values


def proof_atoms(kinds: Mapping[str, Kind]) -> int:
    """The fewest outcomes of a factor of the symbolic space that a random variable lives on:
    a proof there covers every distribution while the request uses fewer distinct
    expectations than this (Carathéodory, factor by factor for independent ones)."""
    independent = any(k.name == "random" and len(k.independent) > 1 for k in kinds.values())
    return INDEPENDENT_ATOMS if independent else ATOMS


def _symbolic_probabilities(prefix: str, count: int) -> tuple[Any, ...]:
    free = [sp.Symbol(f"{prefix}{i}", positive=True) for i in range(count - 1)]
    return (*free, 1 - sp.Add(*free))
