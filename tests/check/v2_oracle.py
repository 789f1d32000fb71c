"""An evaluator for the version-2 corpus that shares nothing with derive's checker.

It never reads a request's text: the corpus generator (``make_corpus_v2.py``) builds each
request from a structured spec and asks this module for the truth of every step, on the spec:

- statements (equations, inequalities, systems) are decided on exact candidate points — the
  real roots of every side's difference and of every denominator, each ± a small offset,
  midpoints between them and points far out — so two solution sets that differ anywhere
  (even at one boundary point) differ at a candidate, and a counterexample is a point;
- expression chains ``e1 REL e2`` hold everywhere by a certificate (a difference that
  expands to a non-negative combination of squares) or fail at an exact witness point;
- equalities of expressions (with ``let`` names substituted, abstract functions replaced by
  several concrete smooth functions) compare values at seeded rational points to 60 digits,
  with domains honoured: a point where the earlier step is defined and the later is not is a
  refutation (domain loss);
- random variables and events are enumerated on seeded finite distributions with exact
  ``Fraction`` probabilities (product distributions where independence is declared).

>>> x = sp.Symbol("x", real=True)
>>> first = Statement(((x**2, "=", sp.Integer(9)),))
>>> only = Statement(((x, "=", sp.Integer(3)),))
>>> equivalent(first, only, (x,))
(False, {'x': -3})
>>> implies(only, first, (x,))
(True, None)
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import sympy as sp

DIGITS = 60
ZERO = sp.Rational(1, 10**40)

# -- statements ---------------------------------------------------------------------------

RELATIONS: dict[str, Callable[[Any, Any], bool]] = {
    "=": lambda a, b: abs(a - b) <= ZERO,
    "!=": lambda a, b: abs(a - b) > ZERO,
    "<": lambda a, b: a < b - ZERO,
    "<=": lambda a, b: a <= b + ZERO,
    ">": lambda a, b: a > b + ZERO,
    ">=": lambda a, b: a >= b - ZERO,
}


def value(expr: Any, point: Mapping[Any, Any]) -> Any:
    """A real number (a Rational, or a Float of 60 digits), or None where ``expr`` is undefined
    at ``point``: evaluated bottom-up, so every sub-expression must be real and finite there
    (``sqrt(x)^2`` written unevaluated is undefined at x = −1, as a learner's step is)."""
    try:
        result = _evaluate(sp.sympify(expr), point)
    except (ZeroDivisionError, TypeError, ValueError, _NotReal):
        return None
    return result


class _NotReal(Exception):
    pass


def _evaluate(expr: Any, point: Mapping[Any, Any]) -> Any:
    if expr in point:
        return point[expr]
    if expr.is_Rational:
        return expr
    if not expr.args:
        if expr.free_symbols:
            raise _NotReal(f"no value for {expr}")
        return _checked(expr.evalf(DIGITS))
    args = [_evaluate(arg, point) for arg in expr.args]
    result = expr.func(*args)
    return _checked(result if result.is_Rational else result.evalf(DIGITS))


def _checked(result: Any) -> Any:
    if result.has(sp.zoo, sp.nan, sp.oo, -sp.oo) or not result.is_number:
        raise _NotReal(str(result))
    real, imag = result.as_real_imag()
    if abs(imag) > ZERO:
        raise _NotReal(str(result))
    return real if result.is_Rational else sp.Float(real, DIGITS)


@dataclass(frozen=True)
class Statement:
    """Relations joined by ``and`` within a clause, clauses joined by ``or``: each clause is a
    tuple of (lhs, relation, rhs) atoms; ``or_`` holds more clauses."""

    clause: tuple[tuple[Any, str, Any], ...]
    or_: tuple[tuple[tuple[Any, str, Any], ...], ...] = ()

    @property
    def clauses(self) -> tuple[tuple[tuple[Any, str, Any], ...], ...]:
        return (self.clause, *self.or_)

    def holds(self, point: Mapping[Any, Any]) -> bool:
        """Whether the point is a solution (a side undefined there: not a solution)."""
        for clause in self.clauses:
            ok = True
            for lhs, relation, rhs in clause:
                a, b = value(lhs, point), value(rhs, point)
                if a is None or b is None or not RELATIONS[relation](a, b):
                    ok = False
                    break
            if ok:
                return True
        return False

    def exprs(self) -> Iterable[Any]:
        for clause in self.clauses:
            for lhs, _, rhs in clause:
                yield sp.sympify(lhs)
                yield sp.sympify(rhs)


def _critical(statements: Sequence[Statement], variable: Any) -> set[Any]:
    """Real rational-or-algebraic roots of every difference and every denominator."""
    found: set[Any] = set()
    for statement in statements:
        exprs = list(statement.exprs())
        for clause in statement.clauses:
            exprs += [sp.sympify(lhs) - sp.sympify(rhs) for lhs, _, rhs in clause]
        for expr in exprs:
            numerator, denominator = sp.fraction(sp.together(expr))
            for part in (numerator, denominator):
                for sub in sp.preorder_traversal(part):
                    if isinstance(sub, sp.Pow) and sub.exp.is_Rational and not sub.exp.is_integer:
                        found |= _roots(sub.base, variable)
                found |= _roots(part, variable)
            try:
                solved = sp.solveset(expr, variable, sp.S.Reals)
            except (NotImplementedError, ValueError, TypeError):
                continue
            if isinstance(solved, sp.FiniteSet):
                found |= {r for r in solved if r.is_real}
    return found


def _roots(expr: Any, variable: Any) -> set[Any]:
    try:
        polynomial = sp.Poly(sp.expand(expr), variable)
    except sp.PolynomialError:
        return set()
    if polynomial.is_zero or polynomial.degree() <= 0:
        return set()
    return {r for r in polynomial.real_roots() if r.is_real}


def candidates(statements: Sequence[Statement], variables: Sequence[Any]) -> list[dict[Any, Any]]:
    """Exact points that separate the statements' solution sets (see the module docstring).
    One variable: its critical points, ± 1/1000, midpoints, far points. Several: the
    solutions of each clause's equations (linear systems) plus a seeded grid."""
    if len(variables) == 1:
        (variable,) = variables
        roots = sorted(_critical(statements, variable), key=lambda r: float(r))
        points = set(roots)
        for r in roots:
            points |= {r + sp.Rational(1, 1000), r - sp.Rational(1, 1000)}
        for a, b in itertools.pairwise(roots):
            points.add((a + b) / 2)
        low = (roots[0] if roots else 0) - 7
        high = (roots[-1] if roots else 0) + 7
        points |= {low, high, sp.Rational(1, 3), sp.Integer(0), sp.Rational(-5, 7)}
        points |= {low * 13, high * 13}
        return [{variable: p} for p in sorted(points, key=lambda r: float(r))]
    points: list[dict[Any, Any]] = []
    for statement in statements:
        for clause in statement.clauses:
            equations = [
                sp.sympify(lhs) - sp.sympify(rhs) for lhs, rel, rhs in clause if rel == "="
            ]
            if equations:
                for solution in sp.solve(equations, list(variables), dict=True):
                    if set(solution) == set(variables):
                        points.append(dict(solution))
    rng = random.Random(len(points))
    for _ in range(12):
        points.append({v: sp.Rational(rng.randint(-40, 40), rng.randint(1, 5)) for v in variables})
    return points


def _shown(point: Mapping[Any, Any]) -> dict[str, Any]:
    return {str(k): (int(v) if v.is_Integer else str(v)) for k, v in point.items()}


def equivalent(
    first: Statement, second: Statement, variables: Sequence[Any]
) -> tuple[bool, dict[str, Any] | None]:
    """Same solution set? (True, None) or (False, a separating point)."""
    for point in candidates([first, second], variables):
        if first.holds(point) != second.holds(point):
            return False, _shown(point)
    return True, None


def implies(
    first: Statement, second: Statement, variables: Sequence[Any]
) -> tuple[bool, dict[str, Any] | None]:
    """Every solution of ``first`` solves ``second``? (True, None) or (False, a point)."""
    for point in candidates([first, second], variables):
        if first.holds(point) and not second.holds(point):
            return False, _shown(point)
    return True, None


# -- expressions: equal everywhere, with domains -------------------------------------------


def sample_points(
    variables: Sequence[Any], seed: int, count: int = 24, positive: Iterable[Any] = ()
) -> list[dict[Any, Any]]:
    """Seeded rational points (small and mid-sized magnitudes, both signs)."""
    rng = random.Random(seed)
    keep_positive = set(positive)
    points = []
    for _ in range(count):
        point = {}
        for v in variables:
            magnitude = rng.choice([1, 2, 3, 5, 7, 11])
            number = sp.Rational(rng.randint(1, 9 * magnitude), rng.randint(1, magnitude + 2))
            sign = 1 if v in keep_positive else rng.choice([1, -1])
            point[v] = sign * number
        points.append(point)
    return points


def same_everywhere(
    before: Any, after: Any, points: Sequence[Mapping[Any, Any]]
) -> tuple[bool, dict[str, Any] | None]:
    """Whether ``after`` equals ``before`` wherever ``before`` is defined (a point where
    ``before`` is defined and ``after`` not is domain loss). Matrices compare entry by entry.
    Needs at least 6 points where both are defined."""
    usable = 0
    for point in points:
        a, b = _values(before, point), _values(after, point)
        if a is None:
            continue
        if b is None or len(a) != len(b):
            return False, _shown(point)
        if any(abs(p - q) > ZERO * (1 + abs(p)) for p, q in zip(a, b, strict=True)):
            return False, _shown(point)
        usable += 1
    if usable < 6:
        raise ValueError(f"only {usable} usable points for {before} = {after}")
    return True, None


def _values(expr: Any, point: Mapping[Any, Any]) -> list[Any] | None:
    if isinstance(expr, sp.MatrixBase):
        found = [value(e, point) for e in expr]
        return None if any(v is None for v in found) else found
    single = value(expr, point)
    return None if single is None else [single]


def certificate(difference: Any, squares: Sequence[tuple[Any, Any]], rest: Any = 0) -> bool:
    """Whether ``difference`` = Σ cᵢ·sᵢ² + rest exactly, every cᵢ ≥ 0 and rest a
    non-negative number: the proof that ``difference ≥ 0`` everywhere."""
    total = sum((c * s**2 for c, s in squares), sp.Integer(0)) + rest
    return (
        all(sp.sympify(c) >= 0 for c, _ in squares)
        and sp.sympify(rest) >= 0
        and sp.expand(difference - total) == 0
    )


# -- functions: abstract f, g replaced by concrete smooth ones ------------------------------

T = sp.Symbol("t", real=True)


@dataclass(frozen=True)
class Fn:
    """A concrete smooth function standing for an abstract ``f``: ``f(u)``, ``f.d(u)`` (f'),
    ``f.dd(u)`` (f'')."""

    body: Any

    def __call__(self, u: Any) -> Any:
        return self.body.xreplace({T: u})

    def d(self, u: Any) -> Any:
        return sp.diff(self.body, T).xreplace({T: u})

    def dd(self, u: Any) -> Any:
        return sp.diff(self.body, T, 2).xreplace({T: u})


SMOOTH = (
    Fn(T**3 - 2 * T + 1),
    Fn(sp.exp(T / 2)),
    Fn(sp.sin(T) + T**2),
    Fn(2 * T**2 - 3 * T),
    Fn(sp.cos(2 * T) - T),
)


def functions_agree(
    before: Callable[..., Any],
    after: Callable[..., Any],
    arity: int,
    variables: Sequence[Any],
    seed: int,
) -> tuple[bool, dict[str, Any] | None]:
    """``before(f, g, ..., *variables) == after(...)`` for every choice of concrete smooth
    functions for the abstract ones, at seeded points."""
    for chosen in itertools.product(SMOOTH, repeat=arity):
        ok, where = same_everywhere(
            before(*chosen, *variables),
            after(*chosen, *variables),
            sample_points(variables, seed, 16),
        )
        if not ok:
            assert where is not None
            names = "fghk"[:arity]
            where = {**where, **{n: str(f.body) for n, f in zip(names, chosen, strict=True)}}
            return False, where
    return True, None


# -- random variables and events: finite distributions in exact fractions -------------------


@dataclass(frozen=True)
class World:
    """A finite probability space: outcomes with probabilities (``Fraction``), each outcome a
    mapping from random-variable (or event) names to values (events: 0 or 1)."""

    outcomes: tuple[tuple[Mapping[str, Fraction], Fraction], ...]

    def E(self, f: Callable[[Mapping[str, Fraction]], Fraction]) -> Fraction:
        return sum((p * f(o) for o, p in self.outcomes), Fraction(0))

    def Var(self, f: Callable[[Mapping[str, Fraction]], Fraction]) -> Fraction:
        mean = self.E(f)
        return self.E(lambda o: (f(o) - mean) ** 2)

    def Cov(self, f: Callable[..., Fraction], g: Callable[..., Fraction]) -> Fraction:
        mf, mg = self.E(f), self.E(g)
        return self.E(lambda o: (f(o) - mf) * (g(o) - mg))

    def P(self, event: Callable[[Mapping[str, Fraction]], bool]) -> Fraction:
        return sum((p for o, p in self.outcomes if event(o)), Fraction(0))

    def given(self, event: Callable[..., bool], condition: Callable[..., bool]) -> Fraction:
        return self.P(lambda o: event(o) and condition(o)) / self.P(condition)

    def table(self, names: Sequence[str]) -> list[list[str]]:
        return [[*(str(o[n]) for n in names), str(p)] for o, p in self.outcomes]


def _probabilities(rng: random.Random, count: int) -> list[Fraction]:
    weights = [rng.randint(1, 9) for _ in range(count)]
    return [Fraction(w, sum(weights)) for w in weights]


def worlds(
    names: Sequence[str], seed: int, independent: bool, events: bool, count: int = 12
) -> list[World]:
    """Seeded finite distributions over ``names`` (values small integers and fractions, or
    0/1 for events): a general joint table, or a product of marginals when independent.
    Events never have probability 0 or 1, so that conditioning is defined."""
    rng = random.Random(seed)
    found = []
    while len(found) < count:
        if independent:
            marginals = []
            for _ in names:
                values = [Fraction(0), Fraction(1)] if events else _support(rng)
                marginals.append(list(zip(values, _probabilities(rng, len(values)), strict=True)))
            outcomes = []
            for combo in itertools.product(*marginals):
                p = Fraction(1)
                for _, q in combo:
                    p *= q
                outcomes.append(({n: v for n, (v, _) in zip(names, combo, strict=True)}, p))
        else:
            size = rng.randint(3, 6)
            rows = []
            for _ in range(size):
                if events:
                    rows.append({n: Fraction(rng.randint(0, 1)) for n in names})
                else:
                    rows.append({n: rng.choice(_support(rng)) for n in names})
            outcomes = list(zip(rows, _probabilities(rng, size), strict=True))
        world = World(tuple(outcomes))
        usable = (
            all(0 < world.P(lambda o, n=n: o[n] == 1) < 1 for n in names)
            if events
            else all(world.Var(lambda o, n=n: o[n]) > 0 for n in names)
        )
        if usable:
            found.append(world)
    return found


def _support(rng: random.Random) -> list[Fraction]:
    size = rng.randint(2, 4)
    return [Fraction(rng.randint(-6, 6), rng.choice([1, 1, 2, 3])) for _ in range(size)]


def distributions_agree(
    before: Callable[[World], Fraction],
    after: Callable[[World], Fraction],
    names: Sequence[str],
    seed: int,
    independent: bool = False,
    events: bool = False,
) -> tuple[bool, list[list[str]] | None]:
    """Equal on every seeded distribution? (True, None) or (False, the distribution's table)."""
    for world in worlds(names, seed, independent, events):
        if before(world) != after(world):
            return False, world.table(names)
    return True, None


def distribution_relation(
    before: Callable[[World], Fraction],
    relation: str,
    after: Callable[[World], Fraction],
    names: Sequence[str],
    seed: int,
) -> tuple[bool, list[list[str]] | None]:
    """``before REL after`` on every seeded distribution? A failing table if not."""
    for world in worlds(names, seed, False, False):
        a, b = before(world), after(world)
        if not RELATIONS[relation](
            sp.Rational(a.numerator, a.denominator), sp.Rational(b.numerator, b.denominator)
        ):
            return False, world.table(names)
    return True, None


# -- numbers -------------------------------------------------------------------------------


def digits_match(exact: Any, shown: str) -> bool:
    """Whether the decimal ``shown`` is ``exact`` to the digits shown: the error is below a
    quarter of the last digit's unit, so rounding and truncation agree and no reading of "to
    the digits shown" differs (the generator only asks about such cases, or clear misses)."""
    decimals = len(shown.split(".")[1]) if "." in shown else 0
    error = abs(sp.Rational(shown) - sp.sympify(exact)).evalf(DIGITS)
    return bool(error < sp.Rational(1, 4) * sp.Rational(1, 10**decimals))


def digits_miss(exact: Any, shown: str) -> bool:
    """Whether ``shown`` is off by more than two units of its last digit (wrong by any
    reading)."""
    decimals = len(shown.split(".")[1]) if "." in shown else 0
    error = abs(sp.Rational(shown) - sp.sympify(exact)).evalf(DIGITS)
    return bool(error > 2 * sp.Rational(1, 10**decimals))


def relative_error(exact: Any, shown: str) -> Any:
    """|shown − exact| / |exact|, to 60 digits."""
    return (abs(sp.Rational(shown) - sp.sympify(exact)) / abs(sp.sympify(exact))).evalf(DIGITS)
