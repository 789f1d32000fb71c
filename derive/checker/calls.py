"""Values of the version-2 calls: expectations and probabilities, declared functions, and the
ML functions ``softmax``, ``logsumexp``, ``relu``, ``max``, ``min``, ``mean``.

>>> import sympy as sp
>>> from derive.checker.build import Builder
>>> from derive.checker.tree import Call, MatrixLit, Num
>>> z = MatrixLit(((Num("0"),), (Num("0"),)))
>>> Builder({}, {}).build(Call("softmax", (z,)))
Matrix([
[1/2],
[1/2]])

An expectation is a sum over the outcomes of the request's finite probability space
(:mod:`derive.checker.probability`): its argument is built once per outcome, each random
variable standing for its value there. ``P(A | B)`` (written ``P(A, B)`` in the tree) is
``P(A and B) / P(B)``, undefined where ``P(B) = 0``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import partial
from typing import Any, Protocol

import sympy as sp

from derive.checker.errors import InputError
from derive.checker.kinds import Kind
from derive.checker.probability import (
    Drawn,
    FunctionValue,
    RandomValue,
    proof_atoms,
    symbolic_joint,
)
from derive.checker.shapes import CALLS_V2, declared_function
from derive.checker.tree import Call, Name, Node, walk


class Builder(Protocol):
    """What these calls need of :class:`derive.checker.build.Builder` (which imports this
    module, so it is described here rather than imported)."""

    kinds: Mapping[str, Kind]
    env: Mapping[str, Any]
    outcome: int | None
    shared: dict[Any, Any]

    def build(self, node: Node) -> Any: ...

    def at_outcome(self, outcome: int) -> Builder: ...


class NoValue(ArithmeticError):
    """No value at this point (a correlation with a constant, conditioning on an event of
    probability 0): the engine skips the point."""


_T = sp.Dummy("t", real=True)


class NoProof(ArithmeticError):
    """The symbolic space is too small for a proof of these expectations (the numeric screen
    still decides)."""


def handles(func: str, kinds: Mapping[str, Kind]) -> bool:
    """Whether a call is one of this module's."""
    return func in CALLS_V2 or declared_function(func, kinds) is not None


def abstract(node: Node, kinds: Mapping[str, Kind]) -> bool:
    """Whether a tree calls a declared function or uses a random variable or event (its
    derivative at a point is then taken on the point's concrete functions)."""
    for current in walk(node):
        if isinstance(current, Call) and declared_function(current.func, kinds):
            return True
        kind = kinds.get(current.name) if isinstance(current, Name) else None
        if kind is not None and kind.name in ("random", "event"):
            return True
    return False


def forward_functions(
    builder: Builder, node: Node, elementwise: Mapping[str, Callable[[Any], Any]]
) -> Mapping[str, Callable[[Any], Any]] | None:
    """The functions forward-mode differentiation may apply entry by entry: ``elementwise``
    and the point's declared functions (``f``, ``f'``, ``f''``); None if the tree uses random
    variables or calls a declared function with several arguments."""
    concrete: dict[str, Callable[[Any], Any]] = {}
    for current in walk(node):
        kind = builder.kinds.get(current.name) if isinstance(current, Name) else None
        if kind is not None and kind.name in ("random", "event"):
            return None
        if isinstance(current, Call) and (base := declared_function(current.func, builder.kinds)):
            value = builder.env.get(base)
            if len(current.args) != 1 or not isinstance(value, FunctionValue):
                return None
            order = len(current.func) - len(base)
            concrete[current.func] = partial(Drawn, value.seed, order)
    return {**elementwise, **concrete} if concrete else elementwise


def evaluate(builder: Builder, node: Call) -> Any:
    """The value of a version-2 call, in ``builder``'s environment."""
    func = node.func
    if func in ("E", "Var", "Cov", "Corr"):
        return _moment(builder, node)
    if func == "P":
        return _probability(builder, node)
    if func in ("and", "or", "not"):
        values = [builder.build(a) for a in node.args]
        if func == "not":
            return 1 - values[0]
        result = values[0]
        for value in values[1:]:
            result = result * value if func == "and" else result + value - result * value
        return result
    base = declared_function(func, builder.kinds)
    if base is not None:
        return _function(builder, node, base)
    values = [builder.build(a) for a in node.args]
    return ML[func](values)


# -- random variables and events ---------------------------------------------------------


def chance(builder: Builder) -> Mapping[str, RandomValue]:
    """The random variables and events of the builder's environment, by name: the sample
    point's, or (building symbolically) a general symbolic space, made once."""
    shared = builder.shared
    if "chance" not in shared:
        names = {
            n: k
            for n, k in builder.kinds.items()
            if k.name in ("random", "event") and n in builder.env
        }
        drawn = {n: builder.env[n] for n in names if isinstance(builder.env[n], RandomValue)}
        shared["chance"] = drawn if len(drawn) == len(names) else symbolic_joint(names)
        shared["symbolic"] = len(drawn) != len(names)
        shared["moments"] = set()
    result: Mapping[str, RandomValue] = shared["chance"]
    return result


def outcome_value(builder: Builder, name: str) -> Any:
    """A random variable's (or an event's 0/1) value at the builder's outcome."""
    if builder.outcome is None:
        raise InputError(f"{name} is random: use it inside E[...], Var(...) or P(...)")
    return chance(builder)[name].values[builder.outcome]


def _probabilities(builder: Builder) -> tuple[Any, ...]:
    values = chance(builder)
    if not values:
        return (sp.Integer(1),)
    return next(iter(values.values())).space.probabilities


def _over_outcomes(builder: Builder, node: Node) -> list[Any]:
    """The node's value at each outcome."""
    return [builder.at_outcome(i).build(node) for i in range(len(_probabilities(builder)))]


def _mean(builder: Builder, values: Sequence[Any]) -> Any:
    return sp.Add(*(p * v for p, v in zip(_probabilities(builder), values, strict=True)))


def _count(builder: Builder, keys: Sequence[Any]) -> None:
    """Note the expectations used; building symbolically, refuse to claim a proof when the
    symbolic space has too few outcomes for them (see ``probability``)."""
    chance(builder)
    moments = builder.shared["moments"]
    moments.update(keys)
    atoms = proof_atoms(builder.kinds)
    if builder.shared["symbolic"] and len(moments) + 1 > atoms:
        raise NoProof(
            f"{len(moments)} expectations: more than a proof over {atoms} outcomes covers"
        )


def _moment(builder: Builder, node: Call) -> Any:
    func, args = node.func, node.args
    key = ("moment", node)
    if key in builder.shared:
        return builder.shared[key]
    columns = [_over_outcomes(builder, a) for a in args]
    means = [_mean(builder, c) for c in columns]
    if func == "E":
        _count(builder, [args[0]])
        result = means[0]
    elif func == "Var":
        _count(builder, [args[0], ("square", args[0])])
        result = _mean(builder, [(v - means[0]) ** 2 for v in columns[0]])
    else:
        a, b = args
        _count(builder, [a, b, ("product", a, b)])
        cov = _mean(
            builder,
            [(x - means[0]) * (y - means[1]) for x, y in zip(*columns, strict=True)],
        )
        if func == "Cov":
            result = cov
        else:
            _count(builder, [("square", a), ("square", b)])
            variances = [
                _mean(builder, [(v - m) ** 2 for v in c])
                for c, m in zip(columns, means, strict=True)
            ]
            if any(v == 0 for v in variances):
                raise NoValue("a correlation with a constant")
            # Corr(X, X): Cov/Var, not the square root of a square
            scale = variances[0] if a == b else sp.sqrt(variances[0] * variances[1])
            result = cov / scale
    builder.shared[key] = result
    return result


def _probability(builder: Builder, node: Call) -> Any:
    key = ("probability", node)
    if key in builder.shared:
        return builder.shared[key]
    event = node.args[0]
    if len(node.args) == 2:
        given = node.args[1]
        joint = _mean(builder, _over_outcomes(builder, Call("and", (event, given))))
        condition = _mean(builder, _over_outcomes(builder, given))
        if condition == 0:
            raise NoValue("conditioning on an event of probability 0")
        result = joint / condition
    else:
        result = _mean(builder, _over_outcomes(builder, event))
    builder.shared[key] = result
    return result


# -- declared functions ------------------------------------------------------------------


def _function(builder: Builder, node: Call, base: str) -> Any:
    order = len(node.func) - len(base)
    value = builder.env[base]
    args = [builder.build(a) for a in node.args]

    def apply(*xs: Any) -> Any:
        if isinstance(value, FunctionValue):
            return value.apply(xs, order)
        if order == 0:
            return value(*xs)
        return sp.Subs(sp.Derivative(value(_T), (_T, order)), _T, xs[0]).doit()

    if len(args) == 1 and isinstance(args[0], sp.MatrixBase):
        return args[0].applyfunc(apply)
    return apply(*args)


# -- the ML functions --------------------------------------------------------------------


def _entries(values: Sequence[Any]) -> list[Any]:
    found: list[Any] = []
    for value in values:
        found.extend(list(value) if isinstance(value, sp.MatrixBase) else [value])
    return found


def _softmax(values: Sequence[Any]) -> Any:
    (value,) = values
    if not isinstance(value, sp.MatrixBase):
        return sp.Integer(1)
    exps = value.applyfunc(sp.exp)
    return sp.ImmutableMatrix(exps / sp.Add(*exps))


def _relu(values: Sequence[Any]) -> Any:
    (value,) = values
    if isinstance(value, sp.MatrixBase):
        return value.applyfunc(lambda v: sp.Max(0, v))
    return sp.Max(0, value)


ML: Mapping[str, Callable[[Sequence[Any]], Any]] = {
    "softmax": _softmax,
    "logsumexp": lambda vs: sp.log(sp.Add(*(sp.exp(e) for e in _entries(vs)))),
    "relu": _relu,
    "max": lambda vs: sp.Max(*_entries(vs)),
    "min": lambda vs: sp.Min(*_entries(vs)),
    "mean": lambda vs: sp.Add(*_entries(vs)) / len(_entries(vs)),
}
