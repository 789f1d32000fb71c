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
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

import numpy as np
import sympy as sp
from sympy.core.evalf import PrecisionExhausted

from derive.checker.build import Builder, Undefined, entries, is_matrix
from derive.checker.errors import InputError
from derive.checker.kinds import SCALAR, Kind
from derive.checker.limits import LIMITS, Limits
from derive.checker.shapes import Shape, Shapes, names_in
from derive.checker.tree import Node
from derive.core.budget import Timeout, time_limit

Status = Literal["proven", "numeric", "refuted", "unknown"]
DIGITS = 50
TOLERANCE = sp.Float("1e-30", DIGITS)
IMAGINARY = sp.Float("1e-40", DIGITS)
MAX_DIGITS = 1000  # working precision a difference may need before it counts as zero
MAX_DIGITS_EVER = 20000  # ... raised to fit the size of its largest term, up to this


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
    return sp.sstr(value)


def show_entries(entries_: tuple[Any, ...], shape: Shape) -> str:
    """Numbers of a value (as evaluated) in the checker's syntax."""
    if shape == (1, 1):
        return show(entries_[0])
    return show(sp.ImmutableMatrix(shape[0], shape[1], list(entries_)))


def approximate(entry: Any) -> tuple[Any, bool]:
    """A 50-digit value (an exact rational stays exact) and whether all 50 digits are right;
    None if the entry is undefined or not real. Cancellation that SymPy cannot resolve within
    its default working precision gives an imprecise value (then differences are evaluated)."""
    if isinstance(entry, sp.Rational):
        return entry, True
    if entry.has(sp.zoo, sp.oo, -sp.oo, sp.nan):
        return None, True
    try:
        value, precise = sp.N(entry, DIGITS, strict=True), True
    except PrecisionExhausted:
        value, precise = sp.N(entry, DIGITS), False
    if not value.is_number:
        raise RuntimeError(f"a value with free symbols: {value}")
    if value.has(sp.zoo, sp.oo, -sp.oo, sp.nan):
        return None, True
    real, imaginary = value.as_real_imag()
    if imaginary != 0 and abs(imaginary) > IMAGINARY * (1 + abs(real)):
        return None, True
    if not real.is_finite:
        return None, True
    number = real if isinstance(real, (sp.Rational, sp.Float)) else sp.Float(real, DIGITS)
    return number, precise


def to_number(entry: Any) -> Any:
    """An exact rational, a 50-digit real float, or None (undefined or not real here)."""
    return approximate(entry)[0]


def equal_at_point(x: Any, y: Any, approx_x: Any, approx_y: Any, precise: bool = False) -> bool:
    """Whether two exact numbers agree: exactly for rationals; to 30 significant digits when
    both 50-digit values are ``precise``; otherwise their difference is evaluated strictly (so
    cancellation is detected) with up to 1000 digits (more if a term is huge, up to 20,000),
    and a difference that cannot be told from zero that way counts as zero."""
    if isinstance(x, sp.Rational) and isinstance(y, sp.Rational):
        return bool(x == y)
    if x == y:
        return True
    scale = TOLERANCE * (1 + abs(approx_x) + abs(approx_y))
    if precise:
        return bool(abs(approx_x - approx_y) <= scale)
    # the sides' own sizes: an imprecise value may be garbage (0.e+3228)
    scale = TOLERANCE * (1 + _magnitude(x) + _magnitude(y))
    difference = x - y
    if isinstance(difference, sp.Rational):
        return bool(abs(difference) <= scale)
    try:
        value = sp.N(difference, 30, strict=True)
    except PrecisionExhausted:
        try:
            value = sp.N(difference, 30, strict=True, maxn=_digits_needed(difference))
        except PrecisionExhausted:
            return True
    real, imaginary = value.as_real_imag()
    return bool(abs(real) <= scale and abs(imaginary) <= scale)


def _magnitude(value: Any) -> Any:
    """|value| to 15 digits, resolving cancellation (0 if it cannot be told from 0)."""
    try:
        return abs(sp.N(value, 15, strict=True, maxn=_digits_needed(value)))
    except PrecisionExhausted:
        return sp.Integer(0)


def _digits_needed(difference: Any) -> int:
    """Working digits to resolve a difference: enough for its largest term (cosh(3900)² has
    3,388 digits), at least 1000 and at most 20,000."""
    largest = 0
    for term in sp.Add.make_args(difference):
        try:
            size = sp.N(abs(term), 5)
            if size.is_Float and size > 1:
                largest = max(largest, int(sp.log(size, 10).evalf(5)) + 1)
        except (TypeError, ValueError, ArithmeticError):
            continue
    return min(MAX_DIGITS_EVER, max(MAX_DIGITS, largest + 100))


def same(a: Any, b: Any) -> bool:
    """Equal: exactly for rationals, to 30 significant digits otherwise."""
    if isinstance(a, sp.Rational) and isinstance(b, sp.Rational):
        return bool(a == b)
    return bool(abs(a - b) <= TOLERANCE * (1 + abs(a) + abs(b)))


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
            for name in sorted(self.names):
                value = self.kinds[name].sample(rng)
                values[name] = value
                for symbol, entry in zip(
                    entries(self.symbolic_env[name]), entries(value), strict=True
                ):
                    substitution[symbol] = entry
            shown = {name: show(values[name]) for name in sorted(self.names)}
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
        try:
            with time_limit(budget):
                left, right = a.symbolic(), b.symbolic()
                return all(
                    is_zero(x - y) for x, y in zip(entries(left), entries(right), strict=True)
                )
        except Timeout:
            return False
        except (Undefined, ZeroDivisionError, ArithmeticError, ValueError, TypeError):
            return False


PROOF_ATTEMPTS: tuple[Callable[[Any], Any], ...] = (
    sp.expand,
    lambda e: sp.cancel(sp.together(e)),
    # sin, cos, tan, sinh... in terms of exp: trigonometric identities become rational ones
    lambda e: sp.cancel(sp.together(sp.expand(e.rewrite(sp.exp)))),
    sp.simplify,
    lambda e: sp.simplify(sp.expand(e.rewrite(sp.exp))),
)


def is_zero(expr: Any) -> bool:
    """Whether one of the proof attempts rewrites ``expr`` to 0 (interrupted by the caller's
    time budget)."""
    if expr == 0:
        return True
    return any(attempt(expr) == 0 for attempt in PROOF_ATTEMPTS)


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
