"""Say what kind of mistake a refuted step probably is.

>>> from derive.checker.engine import Session, TreeOperand
>>> from derive.checker.parser import parse_chain
>>> session = Session({})
>>> before, after = (TreeOperand(session, t) for t in parse_chain("diff(sin(x^2), x) = cos(x^2)"))
>>> comparison = session.compare(before, after)
>>> case = Case(session, before, after, ("step 0", "step 1"), comparison.point, (before,))
>>> diagnose(case).split(":")[0]
'missing chain-rule factor'

Each detector compares values at the sample points where both steps are defined, so it
names a mistake only when the explanation fits everywhere: a recorded catalog mistake, a
transpose or a shape change, a missing chain-rule factor, a reordered matrix product, a
flipped sign, a constant factor, a dropped or extra term, an additive constant.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import sympy as sp
from sympy.core.function import AppliedUndef

from derive.checker.catalog import candidates, resolve
from derive.checker.engine import Operand, Session, TreeOperand, same, show, show_entries, to_number
from derive.checker.errors import InputError
from derive.checker.index import typed
from derive.checker.kinds import Kind
from derive.checker.printer import Unprintable, to_text
from derive.checker.shapes import Shape, describe
from derive.checker.tree import (
    Bin,
    Call,
    MatrixLit,
    Name,
    Neg,
    Node,
    Num,
    Transpose,
    children,
    unparse,
    walk,
)
from derive.core.budget import Timeout, time_limit

POINTS = 6  # sample points a diagnosis must fit
MAX_VARIANTS = 16
LAYOUT = (
    " (a layout mix-up? This checker uses the denominator layout: the gradient of a scalar "
    "is shaped like the variable)"
)


@dataclass(frozen=True)
class Case:
    """A refuted pair: the session, the two sides, their labels, the counterexample point,
    the learner's steps so far (for chain-rule candidates) and the catalog id to try first."""

    session: Session
    before: Operand
    after: Operand
    labels: tuple[str, str]
    point: int | None
    earlier: tuple[Operand, ...] = ()
    first: str | None = None


class Probe:
    """Values of a case at the points where both sides are defined."""

    def __init__(self, case: Case) -> None:
        self.case = case
        self.session = case.session
        points = self.session.usable_points(case.before, case.after, POINTS)
        if case.point is not None and case.point not in points:
            # the counterexample is always probed: a diagnosis must fit the values it prints
            points = [case.point, *points[: POINTS - 1]]
        self.points = points

    def values(self, operand: Operand) -> list[tuple[Any, ...] | None]:
        return [self.session.value(operand, k) for k in self.points]

    def agree(self, a: Operand, b: Operand) -> bool:
        """Equal at every probe point where both are defined (at least two of them)."""
        if a.shape != b.shape:
            return False
        checked = 0
        for k in self.points:
            if self.session.value(a, k) is None or self.session.value(b, k) is None:
                continue
            if not self.session.agree(a, b, k):
                return False
            checked += 1
        return checked >= 2

    def pairs(self) -> Iterator[tuple[tuple[Any, ...], tuple[Any, ...]]]:
        for a, b in zip(self.values(self.case.before), self.values(self.case.after), strict=True):
            if a is not None and b is not None:
                yield a, b

    def varies(self) -> bool:
        """Whether the earlier side takes more than one value (not a constant)."""
        seen = [a for a, _ in self.pairs()]
        return any(not all(same(x, y) for x, y in zip(seen[0], s, strict=True)) for s in seen[1:])


def tree_of(operand: Operand) -> Node | None:
    return operand.tree if isinstance(operand, TreeOperand) else None


def has_derivative(*operands: Operand) -> bool:
    return any(
        tree is not None and any(isinstance(n, Call) and n.func == "diff" for n in walk(tree))
        for tree in map(tree_of, operands)
    )


def number_text(value: Any) -> str:
    """A number as a short exact form when one fits (2, -1/2, 2*pi), else ten digits."""
    if isinstance(value, sp.Float):
        guess = sp.nsimplify(value, [sp.pi, sp.E], tolerance=sp.Float("1e-25", 50))
        if isinstance(guess, sp.Basic) and sp.count_ops(guess) <= 4 and not guess.has(sp.Float):
            try:
                return to_text(guess)
            except Unprintable:
                pass
    return show(value)


# -- detectors -------------------------------------------------------------------------


def recorded(probe: Probe) -> str | None:
    """A mistake recorded in the catalog: its wrong formula fits both sides."""
    case = probe.case
    if len(probe.points) < 2:
        return None
    session = case.session
    available = typed(session.kinds)
    for known in candidates(available, case.first):
        rhs = resolve(session, known.derivation, known.mistake.rhs)
        if rhs is None or rhs.shape != case.after.shape or not probe.agree(rhs, case.after):
            continue
        lhs = resolve(session, known.derivation, known.mistake.lhs)
        if lhs is None or lhs.shape != case.before.shape or not probe.agree(lhs, case.before):
            continue
        explanation = known.mistake.explanation.strip().rstrip(".")
        return f"a common mistake, {known.title}: {explanation}"
    return None


def shapes(probe: Probe) -> str | None:
    """Different shapes: a transpose (layout), or just different."""
    case = probe.case
    before, after = case.before.shape, case.after.shape
    if before == after:
        return None
    labels = case.labels
    if after == (before[1], before[0]) and _transposed(probe, before):
        hint = LAYOUT if has_derivative(case.before, case.after) else ""
        return f"transposed: {labels[1]} is the transpose of {labels[0]}{hint}"
    return (
        f"shapes differ: {labels[0]} is a {describe(before)} but {labels[1]} is a {describe(after)}"
    )


def _transposed(probe: Probe, shape: Shape) -> bool:
    rows, cols = shape
    found = False
    for a, b in probe.pairs():
        flipped = [a[i * cols + j] for j in range(cols) for i in range(rows)]
        if not all(same(x, y) for x, y in zip(flipped, b, strict=True)):
            return False
        found = True
    return found


def transposed(probe: Probe) -> str | None:
    """A square result transposed."""
    case = probe.case
    shape = case.before.shape
    if shape[0] != shape[1] or shape == (1, 1) or not _transposed(probe, shape):
        return None
    hint = LAYOUT if has_derivative(case.before, case.after) else ""
    return f"transposed: {case.labels[1]} is the transpose of {case.labels[0]}{hint}"


def _inner_functions(trees: Sequence[Node]) -> Iterator[tuple[Node, Name]]:
    """(inner function, variable) pairs of the derivatives in earlier steps."""
    seen: set[tuple[Node, Name]] = set()
    for tree in trees:
        for node in walk(tree):
            if not (isinstance(node, Call) and node.func == "diff" and len(node.args) == 2):
                continue
            variable = node.args[1]
            if not isinstance(variable, Name):
                continue
            for inner in walk(node.args[0]):
                arguments: tuple[Node, ...] = ()
                if isinstance(inner, Call) and inner.func != "diff":
                    arguments = inner.args[:1]
                elif isinstance(inner, Bin) and inner.op == "^":
                    arguments = (inner.left,)
                for g in arguments:
                    if isinstance(g, (Name, Num)) or (g, variable) in seen:
                        continue
                    seen.add((g, variable))
                    yield g, variable


def chain_rule(probe: Probe) -> str | None:
    """The earlier side is this side times the derivative of an inner function."""
    case = probe.case
    after = tree_of(case.after)
    if after is None:
        return None
    trees = [t for t in map(tree_of, (*case.earlier, case.before)) if t is not None]
    for count, (g, variable) in enumerate(_inner_functions(trees)):
        if count >= MAX_VARIANTS:
            break
        factor = Call("diff", (g, variable))
        fixed = _operand(case.session, Bin("*", after, factor), case.before.shape)
        if fixed is not None and probe.agree(fixed, case.before):
            return (
                "missing chain-rule factor: multiply by the derivative of the inner function "
                f"{unparse(g)} ({unparse(factor)})"
            )
    return None


def _operand(session: Session, tree: Node, shape: Shape) -> TreeOperand | None:
    try:
        if session.shapes.infer(tree) != shape:
            return None
    except InputError:
        return None
    return TreeOperand(session, tree)


def _factors(node: Node) -> list[Node]:
    if isinstance(node, Bin) and node.op == "*":
        return _factors(node.left) + _factors(node.right)
    return [node]


def _product(factors: Sequence[Node]) -> Node:
    node = factors[0]
    for factor in factors[1:]:
        node = Bin("*", node, factor)
    return node


def _replace(tree: Node, target: Node, new: Node) -> Node:
    if tree is target:
        return new
    if isinstance(tree, Bin):
        left, right = _replace(tree.left, target, new), _replace(tree.right, target, new)
        return Bin(tree.op, left, right, tree.column)
    if isinstance(tree, Call):
        return Call(tree.func, tuple(_replace(a, target, new) for a in tree.args), tree.column)
    if isinstance(tree, Neg):
        return Neg(_replace(tree.operand, target, new), tree.column)
    if isinstance(tree, Transpose):
        return Transpose(_replace(tree.operand, target, new), tree.column)
    if isinstance(tree, MatrixLit):
        rows = tuple(tuple(_replace(e, target, new) for e in row) for row in tree.rows)
        return MatrixLit(rows, tree.column)
    return tree


def _products(session: Session, tree: Node) -> Iterator[tuple[Node, list[Node]]]:
    """Maximal products with at least two matrix factors."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, Bin) and node.op == "*":
            factors = _factors(node)
            matrices = [f for f in factors if session.shapes.infer(f) != (1, 1)]
            if len(matrices) >= 2:
                yield node, factors
            stack.extend(factors)
        else:
            stack.extend(children(node))


def reordered(probe: Probe) -> str | None:
    """This side equals the earlier one once a matrix product's factors are reordered."""
    case = probe.case
    after = tree_of(case.after)
    if after is None:
        return None
    tried = 0
    for node, factors in _products(case.session, after):
        swaps = [
            [*factors[:i], factors[i + 1], factors[i], *factors[i + 2 :]]
            for i in range(len(factors) - 1)
        ]
        variants = [factors[::-1], *swaps]
        for variant in variants:
            tried += 1
            if tried > MAX_VARIANTS:
                return None
            product = _product(variant)
            fixed = _operand(case.session, _replace(after, node, product), case.before.shape)
            if fixed is not None and probe.agree(fixed, case.before):
                return (
                    "non-commuting product reordered: matrix products do not commute, so "
                    f"{unparse(node)} should be {unparse(product)}"
                )
    return None


def symmetric_only(probe: Probe) -> str | None:
    """The steps agree once a declared general square matrix is taken symmetric (2Ax for
    ∇xᵀAx is right only for symmetric A)."""
    case = probe.case
    before, after = tree_of(case.before), tree_of(case.after)
    if before is None or after is None:
        return None
    session = case.session
    for name, kind in sorted(session.declared.items()):
        if kind.name != "matrix" or kind.rows != kind.cols or kind.rows == 1:
            continue
        if name not in case.before.names | case.after.names:
            continue
        kinds = {**session.declared, name: Kind("symmetric", kind.rows, kind.cols)}
        trial = Session(kinds, session.limits, session.settings)
        a, b = TreeOperand(trial, before), TreeOperand(trial, after)
        if trial.compare(a, b).status == "numeric":
            return (
                f"true only for a symmetric {name}: this step assumes {name} = {name}.T, which "
                f"a general matrix does not satisfy (declare {name} as 'symmetric {kind.rows}' "
                "if it is)"
            )
    return None


def ratio(probe: Probe) -> str | None:
    """A constant factor (−1: a flipped sign)."""
    case = probe.case
    if not probe.varies():
        return None
    ratios = []
    for a, b in probe.pairs():
        for x, y in zip(a, b, strict=True):
            if x == 0:
                if not same(y, 0):
                    return None
                continue
            ratios.append(y / x)
    if len(ratios) < 2 or not all(same(r, ratios[0]) for r in ratios):
        return None
    c = ratios[0]
    if same(c, -1):
        return f"sign flipped: {case.labels[1]} is the negative of {case.labels[0]}"
    if same(c, 0) or same(c, 1):  # a factor of 1 would mean the sides agree: not this
        return None
    return f"off by a constant factor: {case.labels[1]} is {number_text(c)} times {case.labels[0]}"


def _terms(node: Node, sign: int = 1) -> list[tuple[int, Node]]:
    if isinstance(node, Bin) and node.op in "+-":
        right_sign = sign if node.op == "+" else -sign
        return _terms(node.left, sign) + _terms(node.right, right_sign)
    if isinstance(node, Neg):
        return _terms(node.operand, -sign)
    return [(sign, node)]


def _syntactic_terms(tree: Node) -> list[tuple[int, Node]]:
    terms = _terms(tree)
    if len(terms) == 1 and isinstance(tree, Call) and tree.func == "diff" and len(tree.args) == 2:
        inner = _terms(tree.args[0])
        if len(inner) > 1:
            return [(s, Call("diff", (t, tree.args[1]))) for s, t in inner]
    return terms if len(terms) > 1 else []


def _difference_is(probe: Probe, term_values: list[tuple[Any, ...] | None], sign: int) -> bool:
    """Whether before − after = sign · term at every probe point (after − before if sign < 0)."""
    checked = 0
    for (a, b), t in zip(probe.pairs(), term_values, strict=False):
        if t is None:
            continue
        for x, y, z in zip(a, b, t, strict=True):
            if not same(sign * (x - y), z):
                return False
        checked += 1
    return checked >= 2


def terms(probe: Probe) -> str | None:
    """A term of the earlier side dropped, an extra term added, or a term's sign flipped."""
    case = probe.case
    sides = ((tree_of(case.before), 1, "dropped"), (tree_of(case.after), -1, "added"))
    for tree, sign, verb in sides:
        if tree is None:
            continue
        for term_sign, term in _syntactic_terms(tree):
            operand = _operand(case.session, term, case.before.shape)
            if operand is None:
                continue
            values = probe.values(operand)
            shown = unparse(term if term_sign > 0 else Neg(term))
            if _difference_is(probe, values, sign * term_sign):
                return f"a term {verb}: {shown}"
            if sign < 0 and _difference_is(probe, [_twice(v) for v in values], -term_sign):
                fixed = unparse(Neg(term) if term_sign > 0 else term)
                return f"a sign flipped: the term {shown} should be {fixed}"
    return _expanded_terms(probe)


def _twice(value: tuple[Any, ...] | None) -> tuple[Any, ...] | None:
    return None if value is None else tuple(2 * v for v in value)


def _expanded_terms(probe: Probe) -> str | None:
    """The same, with the terms of the expanded symbolic forms (scalars only)."""
    case = probe.case
    if case.before.shape != (1, 1):
        return None
    session = case.session
    try:
        with time_limit(0.5):
            for operand, sign, verb in ((case.before, 1, "dropped"), (case.after, -1, "added")):
                expanded = sp.Add.make_args(sp.expand(operand.symbolic()))
                if not 2 <= len(expanded) <= 40:
                    continue
                for term in expanded:
                    values: list[tuple[Any, ...] | None] = []
                    for k in probe.points:
                        substitution = session.point(k).substitution
                        # (random variables and declared functions have no entry symbols)
                        known = term.free_symbols <= substitution.keys()
                        if not known or term.atoms(AppliedUndef):
                            values.append(None)
                            continue
                        number = to_number(term.xreplace(substitution))
                        values.append(None if number is None else (number,))
                    if _difference_is(probe, values, sign):
                        return f"a term {verb}: {_term_text(term)}"
    except (Timeout, ValueError, TypeError, ArithmeticError):
        return None
    return None


def _term_text(term: Any) -> str:
    try:
        return to_text(term)
    except Unprintable:
        return sp.sstr(term)


def offset(probe: Probe) -> str | None:
    """An additive constant."""
    case = probe.case
    if not probe.varies():
        return None
    differences = [y - x for a, b in probe.pairs() for x, y in zip(a, b, strict=True)]
    if len(differences) < 2 or not all(same(d, differences[0]) for d in differences):
        return None
    c = differences[0]
    if same(c, 0):
        return None
    sign = "+" if c > 0 else "-"
    return (
        f"off by an additive constant: {case.labels[1]} is {case.labels[0]} {sign} "
        f"{number_text(abs(c))}"
    )


SAME_SHAPE: tuple[Callable[[Probe], str | None], ...] = (
    chain_rule,
    reordered,
    transposed,
    symmetric_only,
    ratio,
    terms,
    offset,
)
OTHER_SHAPE: tuple[Callable[[Probe], str | None], ...] = (chain_rule, shapes)


def diagnose(case: Case) -> str:
    """A one-sentence diagnosis of the kind of mistake, with both sides' values at the
    counterexample (quick: no catalog search; see :func:`name_recorded`)."""
    probe = Probe(case)
    detectors = SAME_SHAPE if case.before.shape == case.after.shape else OTHER_SHAPE
    for detector in detectors:
        headline = detector(probe)
        if headline:
            return headline + values_clause(case)
    return f"{case.labels[1]} does not equal {case.labels[0]}" + values_clause(case)


def name_recorded(case: Case) -> str | None:
    """The diagnosis naming a mistake recorded in the catalog, if one fits (this may build
    catalog derivations the first time, so it runs after everything else)."""
    headline = recorded(Probe(case))
    return None if headline is None else headline + values_clause(case)


def values_clause(case: Case) -> str:
    """``; at the counterexample step 1 = 4 but step 2 = 5`` (nothing without a point)."""
    if case.point is None:
        return ""
    session = case.session
    a, b = session.value(case.before, case.point), session.value(case.after, case.point)
    if a is None or b is None:
        return ""
    return (
        f"; at the counterexample {case.labels[0]} = {show_entries(a, case.before.shape)} "
        f"but {case.labels[1]} = {show_entries(b, case.after.shape)}"
    )
