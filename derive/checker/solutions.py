"""Judge relations and statements at exact points: inequalities, ``≈``, ``!=``, equivalence
and implication of statements by their solution sets, and domain loss.

>>> from derive.checker.engine import Session
>>> from derive.checker.statements import read_claim
>>> session = Session({})
>>> first, second = (Judge(session).statement_operands(s.statement) for s in read_claim(
...     "x^2 = x <=> x = 1"))
>>> outcome = Judge(session).statements(first, second, "<=>", ("step 0", "step 1"), 2.0)
>>> outcome.status, outcome.point_shown
('refuted', {'x': '0'})
>>> outcome.detail
'dividing by x loses the solution x = 0: it satisfies step 0 but not step 1'

Points satisfying a statement are found by solving it (SymPy, under the budget) for one
unknown, or as many scalar unknowns as it has equations, with the other names drawn as in the
numeric screen; every point found is confirmed by exact evaluation.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import sympy as sp

from derive.checker.build import Undefined, entries
from derive.checker.engine import Point, Session, TreeOperand, show
from derive.checker.errors import InputError
from derive.checker.relations import SYMBOLS, Logic, Rel, Statement, branches
from derive.checker.tree import Bin, Call, Name, Neg, Num, walk
from derive.core.budget import Timeout, time_limit
from derive.reasoning.numbers import equal_at_point

SOLVE_SECONDS = 0.6


@dataclass(frozen=True)
class Outcome:
    """A judgement: status, what it says, the point shown (names ↦ values)."""

    status: str
    detail: str | None = None
    point_shown: dict[str, str] | None = None
    note: str | None = None


@dataclass(frozen=True)
class Sides:
    """A statement with an operand for each side of each relation."""

    statement: Statement
    operands: dict[int, tuple[TreeOperand, TreeOperand]] = field(default_factory=dict)

    def names(self) -> frozenset[str]:
        found: frozenset[str] = frozenset()
        for left, right in self.operands.values():
            found |= left.names | right.names
        return found


def _evaluate(operand: TreeOperand, point: Point) -> tuple[Any, ...] | None:
    try:
        value = operand.numeric(point)
        exact = tuple(entries(value))
    except (Undefined, ZeroDivisionError, ArithmeticError, ValueError, TypeError):
        return None
    for entry in exact:
        if isinstance(entry, sp.Rational):
            continue  # real and finite: no need to evaluate it
        number = sp.N(entry, 30)
        if not number.is_real or number.has(sp.zoo, sp.oo, sp.nan):
            return None
    return exact


def _sign(x: Any, y: Any) -> int:
    """The sign of x - y for exact real numbers (0 when equal to 40 digits)."""
    difference = x - y
    if isinstance(difference, sp.Rational):
        return int(sp.sign(difference))
    value = sp.N(difference, 50)
    if value == 0 or abs(value) < sp.Float("1e-40") * (1 + abs(sp.N(x, 50))):
        return 0
    return 1 if value > 0 else -1


def relation_holds(op: str, left: tuple[Any, ...], right: tuple[Any, ...]) -> bool:
    """Whether ``left op right`` holds for exact values (entry by entry for ``=``)."""
    if op in ("=", "!="):
        equal = all(_equal(a, b) for a, b in zip(left, right, strict=True))
        return equal if op == "=" else not equal
    sign = _sign(left[0], right[0])
    return {"<": sign < 0, "<=": sign <= 0, ">": sign > 0, ">=": sign >= 0}[op]


def _equal(a: Any, b: Any) -> bool:
    """Exact numbers equal (rationals compared directly, others as ``equal_at_point``)."""
    if isinstance(a, sp.Rational) and isinstance(b, sp.Rational):
        return bool(a == b)
    return equal_at_point(a, b, sp.N(a, 50), sp.N(b, 50), False)


class Judge:
    """Judgements in one session."""

    def __init__(self, session: Session, where: str = "") -> None:
        self.session = session
        self.where = where
        self._solved: dict[tuple[Any, ...], list[dict[Any, Any]]] = {}  # equations → solutions
        # a statement's truth at a point, and the points satisfying a statement (or near its
        # boundary) once found in full: statements are judged twice (against the one before
        # and the one after), at points that recur. Keyed by id, holding the objects.
        self._truth: dict[tuple[int, int], tuple[Sides, Point, bool | None]] = {}
        self._found: dict[tuple[str, int, int], tuple[Sides, list[Point]]] = {}

    # -- building ------------------------------------------------------------------

    def statement_operands(self, statement: Statement) -> Sides:
        """Operands for every relation of a statement (names declared now)."""
        operands = {}
        for rel in _rels(statement):
            left = TreeOperand(self.session, rel.left, self.where)
            right = TreeOperand(self.session, rel.right, self.where)
            if left.shape != right.shape:  # "= 0" is the zero of the other side's shape
                if _is_zero(rel.right):
                    right = TreeOperand(self.session, _zeros(left.shape), self.where)
                elif _is_zero(rel.left):
                    left = TreeOperand(self.session, _zeros(right.shape), self.where)
            if left.shape != right.shape:
                raise InputError(
                    f"the sides of '{rel.op}' have different shapes "
                    f"({_shape(left.shape)} and {_shape(right.shape)})"
                )
            if rel.op not in ("=", "!=") and left.shape != (1, 1):
                raise InputError(f"'{rel.op}' compares scalars, not {_shape(left.shape)} values")
            operands[id(rel)] = (left, right)
        return Sides(statement, operands)

    # -- truth at a point ----------------------------------------------------------------

    def holds(self, sides: Sides, point: Point) -> bool | None:
        """True, False, or None where some side is undefined."""
        key = (id(sides), id(point))
        known = self._truth.get(key)
        if known is None:
            known = (sides, point, self._holds(sides, sides.statement, point))
            self._truth[key] = known
        return known[2]

    def _holds(self, sides: Sides, statement: Statement, point: Point) -> bool | None:
        if isinstance(statement, Rel):
            left, right = sides.operands[id(statement)]
            a, b = _evaluate(left, point), _evaluate(right, point)
            if a is None or b is None:
                return None
            return relation_holds(statement.op, a, b)
        values = [self._holds(sides, part, point) for part in statement.parts]
        if statement.op == "and":
            if False in values:
                return False
            return None if None in values else True
        if True in values:
            return True
        return None if None in values else False

    # -- points -----------------------------------------------------------------------

    def base_points(self, count: int) -> list[Point]:
        return [self.session.point(k) for k in range(count)]

    def with_values(self, base: Point, solution: dict[Any, Any]) -> Point | None:
        """``base`` with the entry symbols in ``solution`` set (None if a kind is broken)."""
        values = dict(base.values)
        substitution = dict(base.substitution)
        env = self.session.symbolic_env
        for name in sorted(self.session.names):
            symbol_value = env[name]
            symbols = list(entries(symbol_value))
            if not any(s in solution for s in symbols):
                continue
            new = []
            for symbol in symbols:
                value = solution.get(symbol, substitution.get(symbol))
                if value is None or not sp.N(value, 30).is_real:
                    return None
                new.append(value)
            kind = self.session.kinds[name]
            if not _fits(kind, new):
                return None
            for symbol, value in zip(symbols, new, strict=True):
                substitution[symbol] = value
            if len(symbols) == 1 and not isinstance(symbol_value, sp.MatrixBase):
                values[name] = new[0]
            else:
                rows, cols = base.values[name].shape
                values[name] = sp.ImmutableMatrix(rows, cols, new)
        shown = {n: show(values[n]) for n in values}
        return Point(values, substitution, shown)

    def solutions(self, sides: Sides, wanted: int, deadline: float) -> list[Point]:
        """Points satisfying the statement (confirmed exactly), found by solving."""
        key = ("solutions", id(sides), wanted)
        if key in self._found:
            return list(self._found[key][1])
        found, complete = self._solutions(sides, wanted, deadline)
        if complete:  # not cut short by the deadline: the same another time
            self._found[key] = (sides, found)
        return list(found)

    def _solutions(self, sides: Sides, wanted: int, deadline: float) -> tuple[list[Point], bool]:
        found: list[Point] = []
        complete = True
        for branch in branches(sides.statement):
            equations = [rel for rel in branch if rel.op == "="]
            if not equations:
                continue
            count = sum(len(entries(_zero(sides, rel, self.session))) for rel in equations)
            names = sorted(
                n
                for rel in equations
                for n in (sides.operands[id(rel)][0].names | sides.operands[id(rel)][1].names)
            )
            names = sorted(set(names))
            for unknowns in self._unknown_sets(names, count):
                # when the unknowns are all the names, every trial gives the same points:
                # found once, then counted again for each trial (as if solved anew)
                same = set(unknowns) >= self.session.names
                first: list[Point] = []
                for trial in range(3):
                    if len(found) >= wanted:
                        return found, complete
                    if time.monotonic() > deadline:
                        return found, False
                    if same and trial > 0:
                        found.extend(first)
                        continue
                    base = self.session.point(trial)
                    solved = self._solve(sides, equations, unknowns, base, deadline)
                    if solved is None:  # cut short: solved again at the next trial
                        same, complete, solved = False, False, []
                    for solution in solved:
                        point = self.with_values(base, solution)
                        if point is not None and self.holds(sides, point):
                            first.append(point)
                    found.extend(first)
                    if not same:
                        first = []
        return found, complete

    def _unknown_sets(self, names: Sequence[str], count: int) -> list[tuple[str, ...]]:
        sizes = {n: len(entries(self.session.symbolic_env[n])) for n in names}
        single = [(n,) for n in names if sizes[n] == count]
        scalars = [n for n in names if sizes[n] == 1]
        combos = list(itertools.islice(itertools.combinations(scalars, count), 4))
        return list(dict.fromkeys(single + combos))[:5]

    def _solve(
        self,
        sides: Sides,
        equations: list[Rel],
        unknowns: tuple[str, ...],
        base: Point,
        deadline: float,
    ) -> list[dict[Any, Any]] | None:
        """Solutions of the equations for the unknowns, the other names at ``base`` (None
        when cut short by the time)."""
        symbols = [s for n in unknowns for s in entries(self.session.symbolic_env[n])]
        keep = {s: v for s, v in base.substitution.items() if s not in symbols}
        seconds = min(SOLVE_SECONDS, deadline - time.monotonic())
        if seconds <= 0:
            return None
        try:
            with time_limit(seconds):
                zeros: list[Any] = []
                for rel in equations:
                    zeros.extend(e.xreplace(keep) for e in entries(_zero(sides, rel, self.session)))
                zeros = [z for z in zeros if z != 0]
                if not zeros:
                    return []
                key = (tuple(zeros), tuple(symbols))
                if key not in self._solved:  # the same equations recur when no name is drawn
                    self._solved[key] = self._solutions_of(zeros, symbols)
                return self._solved[key]
        except Timeout as error:
            if error.enclosing:
                raise
            return None
        except (NotImplementedError, ValueError, TypeError, ArithmeticError, Undefined):
            return []
        except InputError:
            return []

    @staticmethod
    def _solutions_of(zeros: list[Any], symbols: list[Any]) -> list[dict[Any, Any]]:
        """Up to four solutions of ``zeros = 0`` for ``symbols`` (real ones for one unknown)."""
        if len(symbols) == 1 and len(zeros) == 1:
            rational = _rational_roots(zeros[0], symbols[0])
            if rational is not None:
                return [{symbols[0]: v} for v in rational[:4]]
            solved = sp.solveset(zeros[0], symbols[0], sp.Reals)
            if isinstance(solved, sp.FiniteSet):
                return [{symbols[0]: v} for v in list(solved)[:4]]
            # periodic (an ImageSet) or implicit: SymPy's principal solutions
            principal = sp.solve(zeros[0], symbols[0])
            return [{symbols[0]: v} for v in principal[:4]]
        answers = sp.solve(zeros, symbols, dict=True)
        return [a for a in answers[:4] if all(s in a for s in symbols)]

    def boundary(self, sides: Sides, deadline: float) -> list[Point]:
        """Points near where some relation's sides are equal (for inequalities)."""
        key = ("boundary", id(sides), 0)
        if key in self._found:
            return list(self._found[key][1])
        points: list[Point] = []
        complete = True
        for rel in _rels(sides.statement):
            if rel.op == "=":
                continue
            if time.monotonic() > deadline:
                complete = False
                continue
            equal = Sides(Rel("=", rel.left, rel.right), {})
            equal.operands[id(equal.statement)] = sides.operands[id(rel)]
            found, whole = self._solutions(equal, 4, deadline)
            complete = complete and whole
            for point in found:
                points.append(point)
                points.extend(self._nudged(point))
        if complete:
            self._found[key] = (sides, points)
        return list(points)

    def _nudged(self, point: Point) -> list[Point]:
        out = []
        for delta in (sp.Rational(1, 1000), sp.Rational(-1, 1000)):
            solution = {}
            for symbol, value in point.substitution.items():
                solution[symbol] = sp.Rational(str(sp.N(value, 20))) + delta
            nudged = self.with_values(point, solution)
            if nudged is not None:
                out.append(nudged)
        return out

    # -- judgements ----------------------------------------------------------------------

    def statements(
        self, first: Sides, second: Sides, connective: str, labels: tuple[str, str], budget: float
    ) -> Outcome:
        """Whether ``second`` is equivalent to (``<=>``) or follows from (``=>``) ``first``."""
        deadline = time.monotonic() + budget
        share = (deadline - time.monotonic()) / 3
        satisfy_first = self.solutions(first, 6, time.monotonic() + share)
        satisfy_second = self.solutions(second, 6, time.monotonic() + share)
        others = self.base_points(self.session.settings.points)
        others += self.boundary(first, time.monotonic() + share / 2)
        others += self.boundary(second, time.monotonic() + share / 2)
        evidence = 0
        note = conditions(first, second)
        for point in [*satisfy_first, *satisfy_second, *others]:
            one, two = self.holds(first, point), self.holds(second, point)
            if one or two:
                evidence += 1
            if note and None in (one, two):
                continue  # where a named condition fails (a division by 0): not generic
            if one and not two:
                return self._lost(first, second, point, labels)
            if two and not one and connective == "<=>":
                shown = _shown(point, first.names() | second.names())
                reason = _added_reason(self, first, point)
                return Outcome(
                    "refuted",
                    f"only ⇒ holds{reason}: {_assignment(shown)} satisfies {labels[1]} "
                    f"but not {labels[0]}",
                    shown,
                )
        if evidence == 0:
            return Outcome(
                "unknown", "could not find values satisfying either statement, too few to decide"
            )
        proven = self._prove(first, second, connective, deadline)
        return Outcome("proven" if proven else "numeric", None, None, note)

    def _lost(self, first: Sides, second: Sides, point: Point, labels: tuple[str, str]) -> Outcome:
        shown = _shown(point, first.names() | second.names())
        divided = _divided_by(self.session, first, second, point)
        where = _assignment(shown)
        solution = (
            "a solution (the counterexample)"
            if where == "the counterexample"
            else (f"the solution {where}")
        )
        head = (
            f"dividing by {divided} loses" if divided else f"{labels[1]} does not follow: it loses"
        )
        return Outcome(
            "refuted",
            f"{head} {solution}: it satisfies {labels[0]} but not {labels[1]}",
            shown,
        )

    def _prove(self, first: Sides, second: Sides, connective: str, deadline: float) -> bool:
        """Single equations whose differences are a nonzero constant multiple of each other."""
        a, b = first.statement, second.statement
        if not (isinstance(a, Rel) and isinstance(b, Rel) and a.op == b.op == "="):
            return False
        seconds = min(1.0, deadline - time.monotonic())
        if seconds <= 0:
            return False
        try:
            with time_limit(seconds):
                one = list(entries(_zero(first, a, self.session)))
                two = list(entries(_zero(second, b, self.session)))
                if len(one) != 1 or len(two) != 1 or two[0] == 0:
                    return False
                proportional = _proportional(one[0], two[0])
                if proportional is not None:
                    return proportional
                ratio = sp.cancel(sp.together(one[0] / two[0]))
                return bool(ratio.is_number and ratio != 0 and ratio.is_finite)
        except Timeout as error:
            if error.enclosing:
                raise
            return False
        except (Undefined, ZeroDivisionError, ArithmeticError, ValueError, TypeError, InputError):
            return False

    def identity(self, sides: Sides, budget: float) -> Outcome:
        """A statement claimed for every admissible value (a lone statement step)."""
        deadline = time.monotonic() + budget
        points = self.base_points(self.session.settings.max_points)
        usable = 0
        for point in points:
            truth = self.holds(sides, point)
            if truth is None:
                continue
            usable += 1
            if not truth:
                shown = _shown(point, sides.names())
                return Outcome("refuted", f"false at {_assignment(shown)}", shown)
            if usable >= self.session.settings.points:
                break
        for point in self.boundary(sides, deadline):
            if self.holds(sides, point) is False:
                shown = _shown(point, sides.names())
                return Outcome("refuted", f"false at {_assignment(shown)}", shown)
        if usable < self.session.settings.min_points:
            return Outcome("unknown", f"only {usable} sample points are in the domain")
        statement = sides.statement
        if isinstance(statement, Rel) and statement.op == "=":
            left, right = sides.operands[id(statement)]
            if self.session.prove(left, right, deadline - time.monotonic()):
                return Outcome("proven")
        return Outcome("numeric")


def _small(expression: Any, power: int, nodes: int = 80) -> bool:
    """Whether ``expression`` has at most ``nodes`` nodes and no power but integers up to
    ``power`` in size: cheap to turn into a polynomial (anything else is left to SymPy's
    general routines, under their time limit, as before).

    >>> x = sp.Symbol("x")
    >>> _small(x**2 - 1, 2), _small((x + 1)**9, 2), _small(sp.sqrt(x), 2)
    (True, False, False)
    """
    for count, node in enumerate(sp.preorder_traversal(expression)):
        if count > nodes:
            return False
        if isinstance(node, sp.Pow) and not (node.exp.is_Integer and abs(node.exp) <= power):
            return False
    return True


def _rational_roots(zero: Any, symbol: Any) -> list[Any] | None:
    """The real roots of a polynomial of degree 1 or 2 with rational coefficients, when they
    are rational, in the order of ``solveset``'s FiniteSet; None for anything else (left to
    ``solveset``). Most equations a learner rearranges are of this kind, and SymPy's general
    solver costs milliseconds each.

    >>> x = sp.Symbol("x")
    >>> [_rational_roots(zero, x) for zero in (x**2 - 5*x + 6, 2*x - 8, x**2 - 2)]
    [[2, 3], [4], None]
    """
    if not _small(zero, 2):
        return None
    try:
        poly = sp.Poly(zero, symbol)
    except sp.PolynomialError:
        return None
    if poly.domain not in (sp.ZZ, sp.QQ) or poly.degree() not in (1, 2):
        return None
    coefficients = poly.all_coeffs()
    if poly.degree() == 1:
        a, b = coefficients
        return [-b / a]
    a, b, c = coefficients
    discriminant = b * b - 4 * a * c
    if discriminant < 0:
        return None  # no real root: solveset's EmptySet is handled by the general path
    root = sp.sqrt(discriminant)
    if not isinstance(root, sp.Rational):
        return None
    return list(sp.FiniteSet((-b - root) / (2 * a), (-b + root) / (2 * a)))


def _proportional(one: Any, two: Any) -> bool | None:
    """Whether ``one / two`` is a nonzero constant, for polynomials with rational
    coefficients (what ``cancel`` would find, without its general machinery); None for
    anything else.

    >>> x, y = sp.symbols("x y")
    >>> _proportional(2*x - 8, (x - 4)/3), _proportional(x + y, x - y), _proportional(1/x, x)
    (True, False, None)
    """
    symbols = sorted(one.free_symbols | two.free_symbols, key=str)
    if not symbols or not (_small(one, 6) and _small(two, 6)):
        return None
    try:
        first, second = sp.Poly(one, *symbols), sp.Poly(two, *symbols)
    except sp.PolynomialError:
        return None
    if any(p.domain not in (sp.ZZ, sp.QQ) for p in (first, second)):
        return None
    if first.is_zero or second.is_zero:
        return False
    return bool((first * second.LC() - second * first.LC()).is_zero)


def _is_zero(node: Any) -> bool:
    return isinstance(node, Num) and node.text.strip("0.") == "" and "0" in node.text


def _zeros(shape: tuple[int, int]) -> Call:
    return Call("zeros", (Num(str(shape[0])), Num(str(shape[1]))))


def _rels(statement: Statement) -> list[Rel]:
    if isinstance(statement, Rel):
        return [statement]
    return [r for part in statement.parts for r in _rels(part)]


def _zero(sides: Sides, rel: Rel, session: Session) -> Any:
    left, right = sides.operands[id(rel)]
    a, b = left.symbolic(), right.symbolic()
    return a - b


def _fits(kind: Any, values: list[Any]) -> bool:
    name = getattr(kind, "name", "scalar")
    for value in values:
        number = sp.N(value, 30)
        if name == "positive" and not number > 0:
            return False
        if name == "probability" and not 0 < number < 1:
            return False
    return True


def _shape(shape: tuple[int, int]) -> str:
    return "scalar" if shape == (1, 1) else f"{shape[0]}×{shape[1]}"


def _shown(point: Point, names: frozenset[str]) -> dict[str, str]:
    return {n: point.shown[n] for n in sorted(names) if n in point.shown}


def _assignment(shown: dict[str, str]) -> str:
    """``x = 0, y = 1``; a long point (matrices) is "the counterexample" (shown beside it)."""
    text = ", ".join(f"{k} = {v}" for k, v in shown.items()) or "every value"
    return text if len(text) <= 60 else "the counterexample"


def _divided_by(session: Session, first: Sides, second: Sides, point: Point) -> str | None:
    """The expression divided out when ``second``'s equation is ``first``'s over a factor
    that vanishes at the lost solution."""
    a, b = first.statement, second.statement
    if not (isinstance(a, Rel) and isinstance(b, Rel) and a.op == b.op == "="):
        return None
    try:
        with time_limit(0.5):
            one = list(entries(_zero(first, a, session)))
            two = list(entries(_zero(second, b, session)))
            if len(one) != 1 or len(two) != 1 or two[0] == 0:
                return None
            ratio = sp.factor(sp.cancel(one[0] / two[0]))
            if ratio.is_number:
                return None
            if ratio.xreplace(dict(point.substitution)) != 0:
                return None
            from derive.checker.printer import to_text

            return to_text(ratio)
    except Timeout as error:
        if error.enclosing:
            raise
        return None
    except Exception:  # a diagnosis is optional
        return None


def _added_reason(judge: Judge, first: Sides, point: Point) -> str:
    """`` (squaring both sides adds ...)`` when the added solution makes the earlier step's
    sides opposite."""
    statement = first.statement
    if not (isinstance(statement, Rel) and statement.op == "="):
        return ""
    left, right = first.operands[id(statement)]
    a, b = _evaluate(left, point), _evaluate(right, point)
    if a is None or b is None or len(a) != 1:
        return ""
    if relation_holds("=", a, tuple(-v for v in b)) and not relation_holds("=", a, b):
        return " (squaring both sides adds the solutions where the sides are opposite)"
    return ""


def conditions(first: Sides, second: Sides) -> str | None:
    """The nonzero or invertible conditions a later statement uses that the earlier does not.

    Names the inverses and denominators written in ``second`` and not in ``first``.
    """
    from derive.checker.tree import unparse

    def needs(statement: Statement) -> list[str]:
        found = []
        for rel in _rels(statement):
            for side in (rel.left, rel.right):
                for node in walk(side):
                    if isinstance(node, Call) and node.func == "inv":
                        found.append(f"{unparse(node.args[0])} is invertible")
                    elif isinstance(node, Bin) and node.op == "/" and not _constant(node.right):
                        found.append(f"{unparse(node.right)} ≠ 0")
                    elif (
                        isinstance(node, Bin)
                        and node.op == "^"
                        and isinstance(node.right, Neg)
                        and not _constant(node.left)
                    ):
                        found.append(f"{unparse(node.left)} is invertible (nonzero)")
        return found

    new = [c for c in dict.fromkeys(needs(second.statement)) if c not in needs(first.statement)]
    return ("holds where " + " and ".join(new)) if new else None


def _constant(node: Any) -> bool:
    return not any(isinstance(n, (Name, Call)) for n in walk(node))


__all__ = ["SYMBOLS", "Judge", "Logic", "Outcome", "Sides", "conditions", "relation_holds"]
