"""Derivatives at a sample point by forward mode (dual numbers) on explicit exact entries.

>>> import sympy as sp
>>> from derive.checker.build import Builder
>>> from derive.checker.kinds import parse_kind
>>> from derive.checker.parser import parse_chain
>>> kinds = {"X": parse_kind("matrix 2 2")}
>>> builder = Builder(kinds, {"X": sp.ImmutableMatrix([[2, 1], [1, 3]])})
>>> at_point(builder, parse_chain("det(X)")[0], ["X"])  # d det(X)/dX = det(X) X^-T
Matrix([
[ 3, -1],
[-1,  2]])

Instead of differentiating the whole expression symbolically (for ``tr(inv(XᵀAX))`` with a
3×3 ``X`` and ``A``, an adjugate of polynomials in 18 symbols differentiated by 9 of them),
every name keeps its exact sample value and the variable moves along one entry direction at
a time: each node is evaluated to a pair (value, tangent), the tangent being the directional
derivative along ``E_ij``, by the rules of calculus — ``d(XY) = dX Y + X dY``,
``d inv(X) = −X⁻¹ dX X⁻¹``, ``d det(X) = tr(adj(X) dX)``, ``d f(u) = f′(u) du``. Values come
from the checker's own builder (the same limits, the same undefined points), tangents are
exact numbers, and the partials are laid out as :func:`derive.checker.build.derivative` lays
them out (denominator layout). A construct without a rule here (a derivative inside a
derivative, a function the rules do not know) raises :class:`NoRule`, and the caller
differentiates symbolically instead.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import sympy as sp

from derive.checker.kinds import SCALAR
from derive.checker.shapes import integer_literal, is_transpose_power
from derive.checker.tree import Bin, Call, MatrixLit, Name, Neg, Node, Num, Transpose
from derive.numeric.realise import as_scalar

Direction = tuple[int, int] | None  # an entry (row, column) of a matrix variable; None: scalar
Dual = tuple[Any, Any]  # (value, tangent), shaped alike (a zero tangent may be the integer 0)

_S = sp.Dummy("s", real=True)


class NoRule(Exception):
    """A construct forward mode does not handle here: differentiate symbolically."""


class NoValue(ArithmeticError):
    """The derivative is undefined at the point."""


def _is_matrix(value: Any) -> bool:
    return isinstance(value, sp.MatrixBase)


def _entries(value: Any) -> list[Any]:
    return list(value) if _is_matrix(value) else [value]


def _zero_like(value: Any) -> Any:
    if _is_matrix(value):
        return sp.ImmutableMatrix.zeros(*value.shape)
    return sp.Integer(0)


def _times(left: Any, right: Any) -> Any:
    """A product as the builder forms it (a scalar scales a matrix from the left)."""
    if _is_matrix(left) and _is_matrix(right):
        return left * right
    return right * left if _is_matrix(right) else left * right


def _derivative_of(f: Callable[[Any], Any]) -> Callable[[Any], Any]:
    derivative = sp.diff(f(_S), _S)
    return lambda v: derivative.xreplace({_S: v})


class Forward:
    """Evaluate a tree to (value, tangent) at a point, the variable ``name`` moving along
    ``tangent`` (its other names fixed). ``builder`` is the checker's numeric builder at the
    point: it supplies the values, the limits and the undefined points."""

    def __init__(self, builder: Any, name: str, tangent: Any, functions: Mapping[str, Any]):
        self.builder = builder
        self.name = name
        self.tangent = tangent
        self.functions = functions

    def dual(self, node: Node) -> Dual:
        value, tangent = self._dual(node)
        value = as_scalar(value)
        tangent = as_scalar(tangent)
        return value, tangent

    def _dual(self, node: Node) -> Dual:
        b = self.builder
        if isinstance(node, Num):
            return b.build(node), sp.Integer(0)
        if isinstance(node, Name):
            value = b.build(node)
            if node.name == self.name:
                return value, self.tangent
            return value, _zero_like(value)
        if isinstance(node, Neg):
            value, tangent = self.dual(node.operand)
            return -value, -tangent
        if isinstance(node, Transpose):
            return self._transpose(self.dual(node.operand))
        if isinstance(node, Bin):
            return self._binary(node)
        if isinstance(node, Call):
            return self._call(node)
        if isinstance(node, MatrixLit):
            rows = [[self.dual(e) for e in row] for row in node.rows]
            value = sp.ImmutableMatrix([[v for v, _ in row] for row in rows])
            tangent = sp.ImmutableMatrix([[t for _, t in row] for row in rows])
            return value, tangent
        raise NoRule(type(node).__name__)

    @staticmethod
    def _transpose(dual: Dual) -> Dual:
        value, tangent = dual
        if _is_matrix(value):
            return value.T, tangent.T if _is_matrix(tangent) else tangent
        return value, tangent

    def _binary(self, node: Bin) -> Dual:
        b = self.builder
        if is_transpose_power(node, b.kinds):
            return self._transpose(self.dual(node.left))
        if node.op == "^" and _is_matrix(b.build(node.left)):
            return self._matrix_power(node)
        (lv, lt), (rv, rt) = self.dual(node.left), self.dual(node.right)
        if node.op == "+":
            return lv + rv, lt + rt
        if node.op == "-":
            return lv - rv, lt - rt
        if node.op == "*":
            return _times(lv, rv), _times(lt, rv) + _times(lv, rt)
        if node.op == "/":
            if rv == 0:
                raise NoValue("division by zero")
            inverse = sp.Pow(rv, -1)
            return lv * inverse, _times(lt, inverse) - _times(lv, rt * inverse**2)
        value = b.power(
            lv,
            rv,
            node.column,
            varying=b._varies(node.right),
            base_varies=b._varies(node.left),
        )
        tangent = _times(rv * sp.Pow(lv, rv - 1), lt) if lt != 0 else sp.Integer(0)
        if rt != 0:
            if lv == 0:
                raise NoValue("a power with base 0 and a moving exponent")
            tangent = tangent + value * sp.log(lv) * rt
        return value, tangent

    def _matrix_power(self, node: Bin) -> Dual:
        k = integer_literal(node.right)
        assert k is not None  # checked by Shapes
        base, tangent = self.dual(node.left)
        if k < 0:
            base, tangent = self._inverse(base, tangent)
        value = base ** abs(k)
        total = _zero_like(base)
        for i in range(abs(k)):
            total = total + base**i * tangent * base ** (abs(k) - 1 - i)
        return value, total

    def _inverse(self, value: Any, tangent: Any) -> Dual:
        inverse = self.builder.inverse(value)
        return inverse, -inverse * tangent * inverse

    def _call(self, node: Call) -> Dual:
        func = node.func
        b = self.builder
        if func in ("eye", "ones", "zeros"):
            value = b.build(node)
            return value, _zero_like(value)
        if func == "diff" or not node.args:
            raise NoRule(func)
        value, tangent = self.dual(node.args[0])
        if func == "log" and len(node.args) == 2:
            base, base_tangent = self.dual(node.args[1])
            if base_tangent != 0:
                raise NoRule("log with a moving base")
            scale = 1 / sp.log(base)
            log_value, log_tangent = self._elementwise(sp.log, value, tangent)
            return _times(scale, log_value), _times(scale, log_tangent)
        if func in self.functions:
            return self._elementwise(self.functions[func], value, tangent)
        if len(node.args) != 1 and func != "norm":
            raise NoRule(func)
        if func == "det":
            if not _is_matrix(value):
                return value, tangent
            adjugate = value.adjugate(method="berkowitz")
            return value.det(method="berkowitz"), (adjugate * tangent).trace()
        if func == "tr":
            if not _is_matrix(value):
                return value, tangent
            return value.trace(), tangent.trace()
        if func == "inv":
            if _is_matrix(value):
                return self._inverse(value, tangent)
            if value == 0:
                raise NoValue("division by zero")
            return sp.Pow(value, -1), -tangent / value**2
        if func == "transpose":
            return self._transpose((value, tangent))
        if func == "sum":
            return sp.Add(*_entries(value)), sp.Add(*_entries(tangent))
        if func == "norm":
            return self._norm(node, value, tangent)
        raise NoRule(func)

    def _norm(self, node: Call, value: Any, tangent: Any) -> Dual:
        pairs = list(zip(_entries(value), _entries(tangent), strict=True))
        if len(node.args) == 2 and integer_literal(node.args[1]) == 1:
            return (
                sp.Add(*(sp.Abs(v) for v, _ in pairs)),
                sp.Add(*(sp.sign(v) * t for v, t in pairs)),
            )
        norm = sp.sqrt(sp.Add(*(v**2 for v, _ in pairs)))
        if norm == 0:
            raise NoValue("the norm is not differentiable at 0")
        return norm, sp.Add(*(v * t for v, t in pairs)) / norm

    def _elementwise(self, f: Callable[[Any], Any], value: Any, tangent: Any) -> Dual:
        derivative = _derivative_of(f)
        if _is_matrix(value):
            values = [f(v) for v in value]
            tangents = [derivative(v) * t for v, t in zip(value, _entries(tangent), strict=True)]
            rows, cols = value.shape
            return sp.ImmutableMatrix(rows, cols, values), sp.ImmutableMatrix(rows, cols, tangents)
        return f(value), derivative(value) * tangent


def _directions(value: Any) -> list[Direction]:
    if _is_matrix(value):
        rows, cols = value.shape
        return [(i, j) for i in range(rows) for j in range(cols)]
    return [None]


def _unit(value: Any, direction: Direction) -> Any:
    if direction is None:
        return sp.Integer(1)
    rows, cols = value.shape
    return sp.ImmutableMatrix(rows, cols, lambda i, j: int((i, j) == direction))


def _check(value: Any) -> Any:
    if any(
        isinstance(e, sp.Basic) and e.has(sp.nan, sp.zoo, sp.oo, -sp.oo) for e in _entries(value)
    ):
        raise NoValue("the derivative is undefined at this point")
    return value


def at_point(
    builder: Any, inner: Node, variables: Sequence[str], functions: Mapping[str, Any] = {}
) -> Any:
    """∂inner/∂variable at the builder's point, in denominator layout (one variable: a
    derivative by several, or of order above 1, raises :class:`NoRule`)."""
    if len(variables) != 1:
        raise NoRule("a derivative by several variables")
    name = variables[0]
    variable = builder.env[name]
    if builder.kinds.get(name, SCALAR).is_scalar != (not _is_matrix(variable)):
        raise NoRule("a variable whose value does not match its kind")
    parts: dict[Direction, Any] = {}
    for direction in _directions(variable):
        forward = Forward(builder, name, _unit(variable, direction), functions)
        parts[direction] = _check(forward.dual(inner)[1])
    if not _is_matrix(variable):
        return parts[None]
    rows, cols = variable.shape
    first = parts[(0, 0)]
    if not _is_matrix(first):  # a scalar's gradient, shaped like the variable
        return sp.ImmutableMatrix(rows, cols, lambda i, j: parts[(i, j)])
    # a (row or column) vector by a column vector: [i, j] = ∂f_j/∂v_i
    width = len(_entries(first))
    return sp.ImmutableMatrix(rows, width, lambda i, j: _entries(parts[(i, 0)])[j])
