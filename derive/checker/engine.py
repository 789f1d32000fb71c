"""Decide whether two steps are equal: shapes, a seeded exact screen, then a symbolic proof.

>>> from derive.checker.parser import parse_chain
>>> session = Session({})
>>> a, b = (TreeOperand(session, t) for t in parse_chain("(x + 10^8) - 10^8 = x + 10^(-9)"))
>>> session.compare(a, b).status
'refuted'

Sample points are seeded (point k draws from ``default_rng([seed, k])``), honour each name's
kind, and are shared by every step of a request, so each step is evaluated once per point.
Values are exact rationals where possible and 50-digit floats otherwise; a point where
either side is undefined (a division by zero, a singular matrix, a non-real value) is
skipped, and too few usable points make the verdict ``unknown``. A proof is looked for only
after numeric agreement (so a wrong "proof" can never overturn a counterexample).

The verdicts, the precision policy, the proof ladder and the sampling interface are the
catalog verifier's own (``derive.reasoning``): a step the book proves is proven here too.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
import sympy as sp

from derive.checker.build import Builder, Undefined, entries, is_matrix
from derive.checker.errors import InputError
from derive.checker.kinds import SCALAR, Kind
from derive.checker.limits import LIMITS, Limits
from derive.checker.probability import draw_joint
from derive.checker.shapes import Shape, Shapes, names_in
from derive.checker.tree import Node
from derive.core.budget import Timeout, time_limit
from derive.numeric.sampling import draw
from derive.reasoning.ladder import is_zero
from derive.reasoning.numbers import approximate, equal_at_point, to_number
from derive.reasoning.precision import close as same
from derive.reasoning.status import Status

__all__ = [
    "Comparison",
    "Operand",
    "Point",
    "Session",
    "Settings",
    "Status",
    "TreeOperand",
    "approximate",
    "equal_at_point",
    "same",
    "show",
    "show_entries",
    "to_number",
]


@dataclass(frozen=True)
class Settings:
    """How hard to look: usable points wanted, points drawn at most, the fewest accepted."""

    points: int = 10
    max_points: int = 40
    min_points: int = 4
    seed: int = 0


@dataclass(frozen=True)
class Point:
    """One sample point: values by name, the symbol substitution, and its printed form."""

    values: Mapping[str, Any]
    substitution: Mapping[Any, Any]
    shown: Mapping[str, str]


Value = tuple[Any, ...] | None  # the entries as numbers, or None where undefined


class Operand(Protocol):
    """Something compared: a learner's step or a catalog result."""

    @property
    def shape(self) -> Shape: ...

    @property
    def names(self) -> frozenset[str]: ...

    def numeric(self, point: Point) -> Any: ...

    def symbolic(self) -> Any: ...


def show(value: Any) -> str:
    """A value in the checker's own syntax: ``3/4``, ``[1, 2]``, ``[[1, 2], [3, 4]]``."""
    if is_matrix(value):
        if value.shape[1] == 1:
            return "[" + ", ".join(show(e) for e in value) + "]"
        rows = ("[" + ", ".join(show(e) for e in row) + "]" for row in value.tolist())
        return "[" + ", ".join(rows) + "]"
    if isinstance(value, sp.Float):
        return sp.sstr(sp.Float(value, 10))
    if isinstance(value, sp.Rational) and max(value.p.bit_length(), value.q.bit_length()) > 3000:
        return sp.sstr(value.evalf(10))  # a huge exact number (y^3549): ten digits
    return sp.sstr(value)


def show_entries(entries_: tuple[Any, ...], shape: Shape) -> str:
    """Numbers of a value (as evaluated) in the checker's syntax."""
    if shape == (1, 1):
        return show(entries_[0])
    return show(sp.ImmutableMatrix(shape[0], shape[1], list(entries_)))


@dataclass(frozen=True)
class Comparison:
    """The outcome of comparing two operands."""

    status: Status
    detail: str = ""
    point: int | None = None  # the index of the counterexample point
    usable: tuple[int, ...] = ()  # indices of points where both sides are defined


class Session:
    """Everything one request shares: kinds, symbolic values, sample points, caches."""

    def __init__(
        self,
        kinds: Mapping[str, Kind],
        limits: Limits = LIMITS,
        settings: Settings = Settings(),
    ) -> None:
        self.declared = dict(kinds)
        self.kinds = dict(kinds)  # the declared ones, and real scalars for the others
        self.limits = limits
        self.settings = settings
        self.shapes = Shapes(self.declared, limits)
        self.symbolic_env: dict[str, Any] = {}
        self.builder = Builder(self.declared, self.symbolic_env, limits)
        self.names: set[str] = set()
        self._points: list[Point] = []
        self._values: dict[tuple[int, int], tuple[Value, tuple[Any, ...], bool]] = {}
        self._operands: list[Operand] = []

    # -- names and points --------------------------------------------------------

    def declare(self, names: Iterable[str]) -> None:
        """Make names known (undeclared ones are real scalars); only before sampling."""
        for name in names:
            if name not in self.names:
                if self._points:
                    raise RuntimeError("names must be declared before sampling")
                self.names.add(name)
                kind = self.kinds.setdefault(name, SCALAR)
                self.symbolic_env[name] = kind.symbolic(name)

    def point(self, k: int) -> Point:
        """Sample point number ``k`` (drawn on first use, deterministic in the seed)."""
        while len(self._points) <= k:
            index = len(self._points)
            rng = np.random.default_rng([self.settings.seed, index])
            values: dict[str, Any] = {}
            substitution: dict[Any, Any] = {}
            joint = {n: self.kinds[n] for n in sorted(self.names) if self.kinds[n].is_joint}
            for name in sorted(self.names - set(joint)):
                value = self.kinds[name].value(draw(rng, self.kinds[name]))
                values[name] = value
                for symbol, entry in zip(
                    entries(self.symbolic_env[name]), entries(value), strict=True
                ):
                    substitution[symbol] = entry
            shown = {name: show(values[name]) for name in sorted(self.names - set(joint))}
            if joint:  # functions, random variables and events: one probability space
                drawn, table = draw_joint(rng, joint)
                values.update(drawn)
                shown.update(table)
            self._points.append(Point(values, substitution, shown))
        return self._points[k]

    def numeric_builder(self, point: Point) -> Builder:
        """A builder evaluating at ``point``."""
        return Builder(
            self.declared,
            point.values,
            self.limits,
            symbolic=self.builder,
            point=point.substitution,
        )

    # -- values ------------------------------------------------------------------

    def register(self, operand: Operand) -> int:
        """An index for caching an operand's values."""
        self._operands.append(operand)
        return len(self._operands) - 1

    def value(self, operand: Operand, k: int) -> Value:
        """The operand's entries at point ``k`` as numbers (50 digits, for display and
        diagnoses), or None if undefined or not real there."""
        return self._evaluated(operand, k)[0]

    def exact(self, operand: Operand, k: int) -> tuple[Any, ...]:
        """The operand's entries at point ``k`` as exact SymPy numbers (for comparisons)."""
        return self._evaluated(operand, k)[1]

    def _evaluated(self, operand: Operand, k: int) -> tuple[Value, tuple[Any, ...], bool]:
        key = (self._index(operand), k)
        if key not in self._values:
            self._values[key] = self._evaluate(operand, self.point(k))
        return self._values[key]

    def _index(self, operand: Operand) -> int:
        for index, known in enumerate(self._operands):
            if known is operand:
                return index
        return self.register(operand)

    @staticmethod
    def _evaluate(operand: Operand, point: Point) -> tuple[Value, tuple[Any, ...], bool]:
        try:
            value = operand.numeric(point)
        except (Undefined, ZeroDivisionError, ArithmeticError, ValueError):
            return None, (), True
        exact = tuple(entries(value))
        numbers = []
        all_precise = True
        for entry in exact:
            number, precise = approximate(entry)
            if number is None:
                return None, (), True
            numbers.append(number)
            all_precise = all_precise and precise
        return tuple(numbers), exact, all_precise

    def agree(self, a: Operand, b: Operand, k: int) -> bool:
        """Whether two operands defined at point ``k`` agree there, entry by entry."""
        left, right = self._evaluated(a, k), self._evaluated(b, k)
        precise = left[2] and right[2]
        numbers = zip(left[0] or (), right[0] or (), strict=True)
        exact = zip(left[1], right[1], strict=True)
        return all(
            equal_at_point(x, y, ax, ay, precise)
            for (x, y), (ax, ay) in zip(exact, numbers, strict=True)
        )

    # -- comparisons ---------------------------------------------------------------

    def compare(self, a: Operand, b: Operand) -> Comparison:
        """Shapes, then the numeric screen: refuted, numeric agreement, or unknown."""
        if a.shape != b.shape:
            return Comparison("refuted", "shapes differ")
        usable: list[int] = []
        settings = self.settings
        for k in range(settings.max_points):
            if len(usable) >= settings.points:
                break
            left, right = self.value(a, k), self.value(b, k)
            if left is None or right is None:
                continue
            usable.append(k)
            if not self.agree(a, b, k):
                return Comparison("refuted", "differ", self._simplest(a, b, k), tuple(usable))
        if len(usable) < settings.min_points:
            drawn = min(settings.max_points, (usable[-1] + 1) if usable else settings.max_points)
            return Comparison(
                "unknown",
                f"only {len(usable)} of {drawn} sample points are in the domain of both "
                "steps, too few to decide",
                usable=tuple(usable),
            )
        return Comparison(
            "numeric", f"agree at {len(usable)} exact sample points", usable=tuple(usable)
        )

    def _simplest(self, a: Operand, b: Operand, first: int) -> int:
        """The mismatch to show: among the first few points, the one with the shortest values
        (a refutation at x = 0 reads better than one at x = -210)."""
        names = sorted(a.names | b.names)

        def length(k: int) -> int:
            shown = self.point(k).shown
            return sum(len(shown[n]) for n in names if n in shown)

        mismatches = [first]
        for k in range(first + 1, first + self.settings.points):
            defined = self.value(a, k) is not None and self.value(b, k) is not None
            if defined and not self.agree(a, b, k):
                mismatches.append(k)
        return min(mismatches, key=lambda k: (length(k), k))

    def usable_points(self, a: Operand, b: Operand, wanted: int) -> list[int]:
        """Up to ``wanted`` points where both are defined (for diagnoses)."""
        found: list[int] = []
        for k in range(self.settings.max_points):
            if len(found) >= wanted:
                break
            if self.value(a, k) is not None and self.value(b, k) is not None:
                found.append(k)
        return found

    def prove(self, a: Operand, b: Operand, budget: float) -> bool:
        """Whether a symbolic proof of a = b is found within ``budget`` seconds."""
        if budget <= 0:
            return False
        deadline = time.monotonic() + budget
        try:
            with time_limit(budget):
                left, right = a.symbolic(), b.symbolic()
                pairs = zip(entries(left), entries(right), strict=True)
                # the ladder knows the time left, so its shortcuts take only their share
                return all(is_zero(x - y, deadline - time.monotonic()) for x, y in pairs)
        except Timeout:
            return False
        except (Undefined, ZeroDivisionError, ArithmeticError, ValueError, TypeError):
            return False


@dataclass(frozen=True)
class TreeOperand:
    """A learner's expression: its tree, shape and names, built in the session."""

    session: Session = field(compare=False)
    tree: Node
    where: str = ""  # for errors found while evaluating: "step 2", "claim"

    def __post_init__(self) -> None:
        self.session.declare(self.names)

    @property
    def shape(self) -> Shape:
        return self.session.shapes.infer(self.tree)

    @property
    def names(self) -> frozenset[str]:
        return names_in(self.tree, self.session.declared)

    def numeric(self, point: Point) -> Any:
        try:
            return self.session.numeric_builder(point).build(self.tree)
        except InputError as error:
            raise error.at(self.where) from None

    def symbolic(self) -> Any:
        try:
            return self.session.builder.build(self.tree)
        except InputError as error:
            raise error.at(self.where) from None
