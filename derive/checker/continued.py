"""Relations continuing a chain (``< <= > >= != ≈``), tolerances, and domain loss.

>>> from derive.checker.engine import Session, TreeOperand
>>> from derive.checker.parser import parse_chain
>>> session = Session({})
>>> a, b = (TreeOperand(session, t) for t in parse_chain("(a+b)^2 = 4a b"))
>>> relation(session, ">=", a, b, ("step 0", "step 1"), 2.0).status
'proven'
>>> c, d = (TreeOperand(session, t) for t in parse_chain("sqrt(17) = 4.1232"))
>>> relation(session, "≈", c, d, ("step 0", "step 1"), 2.0).status
'refuted'
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import sympy as sp

from derive.checker.build import entries
from derive.checker.engine import Point, Session, TreeOperand, show
from derive.checker.errors import InputError
from derive.checker.relations import Rel
from derive.checker.solutions import Judge, Outcome, Sides, _evaluate
from derive.checker.tree import Call, Neg, Num, walk
from derive.core.budget import Timeout, time_limit

NEGATION = {"<": ">=", "<=": ">", ">": "<=", ">=": "<"}


def relation(
    session: Session,
    op: str,
    before: TreeOperand,
    after: TreeOperand,
    labels: tuple[str, str],
    budget: float,
) -> Outcome:
    """Whether ``before op after`` for every admissible value."""
    if op == "≈":
        return approximately(before, after, labels)
    if op not in ("!=",) and before.shape != (1, 1):
        raise InputError(f"'{op}' compares scalars")
    if before.shape != after.shape:
        return Outcome("refuted", "shapes differ")
    deadline = time.monotonic() + budget
    statement = Rel(op, before.tree, after.tree)
    sides = Sides(statement, {id(statement): (before, after)})
    judge = Judge(session)
    usable = 0
    for k in range(session.settings.max_points):
        point = session.point(k)
        truth = judge.holds(sides, point)
        if truth is None:
            continue
        usable += 1
        if not truth:
            return _fails(op, before, after, point, labels)
        if usable >= session.settings.points:
            break
    for point in judge.boundary(sides, deadline) if op != "!=" else _equal_points(judge, sides):
        if judge.holds(sides, point) is False:
            return _fails(op, before, after, point, labels)
    if usable < session.settings.min_points:
        return Outcome("unknown", f"only {usable} sample points are in the domain of both steps")
    return Outcome("proven" if _prove(op, before, after, deadline) else "numeric")


def _equal_points(judge: Judge, sides: Sides) -> list[Point]:
    rel = sides.statement
    assert isinstance(rel, Rel)
    equal = Rel("=", rel.left, rel.right)
    eq_sides = Sides(equal, {id(equal): sides.operands[id(rel)]})
    return judge.solutions(eq_sides, 3, time.monotonic() + 1.0)


def _fails(
    op: str, before: TreeOperand, after: TreeOperand, point: Point, labels: tuple[str, str]
) -> Outcome:
    names = before.names | after.names
    shown = {n: point.shown[n] for n in sorted(names) if n in point.shown}
    a, b = _evaluate(before, point), _evaluate(after, point)
    values = ""
    if a is not None and b is not None:
        values = f"{labels[0]} = {_value(a)} and {labels[1]} = {_value(b)}"
    return Outcome("refuted", f"{labels[0]} {op} {labels[1]} fails: {values}", shown)


def _value(exact: tuple[Any, ...]) -> str:
    if len(exact) == 1:
        number = exact[0]
        if isinstance(number, sp.Rational):
            return show(number)
        return show(sp.Float(sp.N(number, 12), 10))
    return "[" + ", ".join(_value((e,)) for e in exact) + "]"


def _prove(op: str, before: TreeOperand, after: TreeOperand, deadline: float) -> bool:
    seconds = min(1.5, deadline - time.monotonic())
    if seconds <= 0:
        return False
    try:
        with time_limit(seconds):
            a, b = before.symbolic(), after.symbolic()
            if op == "!=":
                differences = [x - y for x, y in zip(entries(a), entries(b), strict=True)]
                return any(sp.simplify(d).is_nonzero for d in differences)
            difference = sp.expand(b - a if op in ("<", "<=") else a - b)
            strict = op in ("<", ">")
            for form in (difference, sp.factor(difference), sp.simplify(difference)):
                known = form.is_positive if strict else form.is_nonnegative
                if known:
                    return True
            symbols = sorted(difference.free_symbols, key=str)
            if len(symbols) == 1:
                negative = sp.solveset(
                    difference <= 0 if strict else difference < 0, symbols[0], sp.Reals
                )
                return negative is sp.S.EmptySet
            return False
    except Timeout as error:
        if error.enclosing:
            raise
        return False
    except Exception:
        return False


def _literal(node: Any) -> str | None:
    if isinstance(node, Num):
        return node.text
    if isinstance(node, Neg) and isinstance(node.operand, Num):
        return "-" + node.operand.text
    return None


def approximately(before: TreeOperand, after: TreeOperand, labels: tuple[str, str]) -> Outcome:
    """``≈ 4.1231``: the earlier step, a number, rounds to the digits shown."""
    text = _literal(after.tree)
    if text is None or "e" in text.lower():
        raise InputError("'≈' wants a decimal number after it (its digits are the precision)")
    if before.names:
        raise InputError(
            f"'≈' compares numbers; {labels[0]} has the names {', '.join(sorted(before.names))}"
        )
    point = before.session.point(0)
    exact = _evaluate(before, point)
    if exact is None or len(exact) != 1:
        return Outcome("unknown", f"{labels[0]} is not a real number")
    places = len(text.partition(".")[2])
    shown = sp.Rational(text)
    error = abs(sp.N(exact[0] - shown, 50))
    if error <= sp.Rational(1, 2) * sp.Rational(10) ** -places:
        return Outcome("proven", note=f"{labels[0]} rounds to {text}")
    rounded = Decimal(str(sp.N(exact[0], 40))).quantize(Decimal(1).scaleb(-places))
    return Outcome(
        "refuted",
        f"{labels[0]} = {sp.N(exact[0], places + 6)}, which rounds to {rounded}, not {text}",
        {},
    )


def within_tolerance(
    before: TreeOperand, after: TreeOperand, tolerance: Mapping[str, float]
) -> str | None:
    """A note if two name-free steps agree to the tolerance (``digits`` significant digits,
    or a ``relative`` error), else None.

    >>> from derive.checker.engine import Session, TreeOperand
    >>> from derive.checker.parser import parse_chain
    >>> session = Session({})
    >>> a, b = (TreeOperand(session, t) for t in parse_chain("1/12 = 0.0833"))
    >>> within_tolerance(a, b, {"digits": 3})
    'equal to 3 significant digits (the tolerance)'
    >>> within_tolerance(a, b, {"digits": 5}) is None
    True
    """
    if before.names or after.names or before.shape != (1, 1) or after.shape != (1, 1):
        return None
    point = before.session.point(0)
    a, b = _evaluate(before, point), _evaluate(after, point)
    if a is None or b is None:
        return None
    x, y = sp.N(a[0], 50), sp.N(b[0], 50)
    if "digits" in tolerance:
        digits = int(tolerance["digits"])
        if x == 0:
            return None if y != 0 else "equal"
        exponent = sp.floor(sp.log(abs(x), 10))
        if abs(x - y) <= sp.Rational(1, 2) * sp.Integer(10) ** (exponent - digits + 1):
            return f"equal to {digits} significant digits (the tolerance)"
        return None
    r = sp.Float(tolerance["relative"], 30)
    if abs(x - y) <= r * abs(x):
        return f"equal within a relative error of {tolerance['relative']:g} (the tolerance)"
    return None


def domain_loss(
    session: Session, before: TreeOperand, after: TreeOperand, labels: tuple[str, str]
) -> Outcome | None:
    """A refutation if ``after`` is undefined on a set of positive measure where ``before`` is
    defined: at a point, and at two nudges of it (so a single removed point does not count)."""
    for k in range(session.settings.max_points):
        point = session.point(k)
        # ``after`` first: where it is defined nothing is lost, and ``before`` (often the
        # dearer side, a derivative) need not be evaluated there
        undefined = session.value(after, k) is None
        if not undefined and not _off_domain(after, point):
            continue
        if session.value(before, k) is None or _off_domain(before, point):
            continue
        nudges = _nudges(session, point)
        if all(_lost_at(before, after, n) for n in nudges) and (
            not undefined or _off_domain(after, point) or _truly_undefined(after, point)
        ):
            names = before.names | after.names
            shown = {n: point.shown[n] for n in sorted(names) if n in point.shown}
            hint = _hint(session, point, names)
            return Outcome(
                "refuted",
                f"{labels[1]} is undefined (or not real) at {_list(shown)} where {labels[0]} = "
                f"{_value(session.exact(before, k))}: the step loses part of the domain{hint}",
                shown,
            )
    return None


def _lost_at(before: TreeOperand, after: TreeOperand, point: Point | None) -> bool:
    if point is None or _evaluate(before, point) is None or _off_domain(before, point):
        return False
    return _evaluate(after, point) is None or _off_domain(after, point)


def _off_domain(operand: TreeOperand, point: Point) -> bool:
    """Whether a ``sqrt`` or ``log`` written in the step has an argument outside its real
    domain at the point (SymPy may have simplified it away: ``sqrt(x)^2`` is built as x)."""
    for node in walk(operand.tree):
        if not (isinstance(node, Call) and node.func in ("sqrt", "log") and node.args):
            continue
        argument = TreeOperand(operand.session, node.args[0], operand.where)
        if argument.shape != (1, 1):
            continue
        value = _evaluate(argument, point)
        if value is None:
            continue
        sign = sp.sign(sp.N(value[0], 30))
        if sign < 0 or (node.func == "log" and sign == 0):
            return True
    return False


def _truly_undefined(after: TreeOperand, point: Point) -> bool:
    """Whether ``after`` is undefined at the point in SymPy's own evaluation too (not only
    beyond the checker's limits on exact sizes)."""
    try:
        with time_limit(0.5):
            value = after.symbolic()
            for entry in entries(value):
                number = sp.N(entry.xreplace(dict(point.substitution)), 30)
                if not number.is_real or number.has(sp.zoo, sp.oo, sp.nan):
                    return True
            return False
    except Timeout as error:
        if error.enclosing:
            raise
        return False
    except Exception:
        return True


def _nudges(session: Session, point: Point) -> list[Point | None]:
    out: list[Point | None] = []
    for factor, shift in (
        (sp.Rational(98, 97), sp.Rational(1, 101)),
        (sp.Rational(96, 97), sp.Rational(-1, 103)),
    ):
        solution = {}
        for symbol, value in point.substitution.items():
            solution[symbol] = value * factor if value != 0 else shift
        out.append(Judge(session).with_values(point, solution))
    return out


def _hint(session: Session, point: Point, names: frozenset[str]) -> str:
    negative = [
        n
        for n in sorted(names)
        if session.kinds[n].name == "scalar"
        and not isinstance(point.values[n], sp.MatrixBase)
        and point.values[n] < 0
    ]
    if len(negative) == 1:
        n = negative[0]
        return f"; true only for {n} > 0? declare {n} positive"
    return ""


def _list(shown: Mapping[str, str]) -> str:
    return ", ".join(f"{k} = {v}" for k, v in shown.items())
