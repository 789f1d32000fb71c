"""Build SymPy values from a syntax tree, with explicit constructors only (never ``sympify``).

>>> import sympy as sp
>>> from derive.checker.parser import parse_chain
>>> x = sp.Symbol("x", real=True)
>>> Builder({}, {"x": x}).build(parse_chain("diff(x^2 sin(x), x)")[0])
x**2*cos(x) + 2*x*sin(x)
>>> Builder({}, {"x": sp.Rational(1, 2)}).build(parse_chain("(x + 10^8) - 10^8")[0])
1/2

Values are SymPy scalars or explicit ``ImmutableMatrix`` objects (a 1×1 result is a scalar).
Matrix derivatives are taken entry by entry in denominator layout
(``derive.numeric.realise.gradient``),
by a fresh general matrix, so ``diff(log(det(X)), X)`` is ``inv(X).T`` even for symmetric X
(the unstructured convention of The Matrix Cookbook). In a numeric build (values at a sample
point) a derivative is taken once symbolically and then evaluated at the point.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from fractions import Fraction
from typing import Any

import sympy as sp

from derive.checker import calls
from derive.checker.errors import InputError
from derive.checker.forward import NoRule, NoValue, at_point
from derive.checker.kinds import SCALAR, Kind
from derive.checker.limits import LIMITS, Limits
from derive.checker.shapes import integer_literal, is_transpose_power, variables_of
from derive.checker.tree import Bin, Call, MatrixLit, Name, Neg, Node, Num, Transpose, walk
from derive.numeric.realise import as_scalar, gradient

FAR = 16  # a power this many times over the result limit is refused, not skipped


class Undefined(Exception):
    """The expression has no value here (a singular matrix, a division by zero...)."""


def _non_integer(value: Any) -> bool:
    """Whether a value at a point is a number that is not an integer."""
    if isinstance(value, sp.Rational):
        return not value.is_integer
    return isinstance(value, sp.Expr) and not value.free_symbols and value.is_integer is False


def _sigmoid(z: Any) -> Any:
    return 1 / (1 + sp.exp(-z))


def _softplus(z: Any) -> Any:
    return sp.log(1 + sp.exp(z))


NOT_REAL = "no real value"  # the reason a point is skipped for a non-real intermediate


def _negative(value: Any) -> bool:
    """Whether a value at a point is a negative number (False for anything symbolic)."""
    if isinstance(value, sp.Rational):
        return bool(value < 0)
    return isinstance(value, sp.Expr) and not value.free_symbols and value.is_negative is True


def _real(name: str, f: Callable[[Any], Any], outside: Callable[[Any], bool]) -> Callable:
    """``f`` over the reals: at a point, an argument outside its real domain is undefined."""

    def real_f(z: Any) -> Any:
        if outside(z):
            raise Undefined(f"{name} outside its real domain: {NOT_REAL}")
        return f(z)

    return real_f


ELEMENTWISE: Mapping[str, Callable[[Any], Any]] = {
    "sin": sp.sin,
    "cos": sp.cos,
    "tan": sp.tan,
    "cot": sp.cot,
    "sec": sp.sec,
    "csc": sp.csc,
    "asin": _real("asin", sp.asin, lambda z: _negative(1 - z) or _negative(z + 1)),
    "acos": _real("acos", sp.acos, lambda z: _negative(1 - z) or _negative(z + 1)),
    "atan": sp.atan,
    "sinh": sp.sinh,
    "cosh": sp.cosh,
    "tanh": sp.tanh,
    "exp": sp.exp,
    "log": _real("log", sp.log, _negative),
    "sqrt": _real("sqrt", sp.sqrt, _negative),
    "abs": sp.Abs,
    "sign": sp.sign,
    "sigmoid": _sigmoid,
    "softplus": _softplus,
    "erf": sp.erf,
    "erfc": sp.erfc,
}


def is_matrix(value: Any) -> bool:
    """Whether a built value is an explicit matrix (not 1×1: those are scalars)."""
    return isinstance(value, sp.MatrixBase)


def entries(value: Any) -> list[Any]:
    """The entries of a value, row by row (one for a scalar)."""
    return list(value) if is_matrix(value) else [value]


def brief(value: sp.Rational) -> str:
    """A number for a message: in full if short, else its size."""
    text = str(value)
    return text if len(text) <= 24 else f"10^{len(text) - 1}"


def number(text: str) -> sp.Rational:
    """A literal as an exact rational: ``0.1`` is 1/10, ``2e-3`` is 1/500."""
    fraction = Fraction(text)
    return sp.Rational(fraction.numerator, fraction.denominator)


def fresh_value(name: str, kind: Kind) -> Any:
    """A general (unstructured) value of the kind's shape, of fresh real dummies."""
    if kind.is_scalar:
        return sp.Dummy(name, real=True)
    return sp.ImmutableMatrix(
        kind.rows, kind.cols, lambda i, j: sp.Dummy(f"{name}[{i + 1},{j + 1}]", real=True)
    )


def pair_entries(fresh: Any, value: Any) -> dict[Any, Any]:
    """The substitution sending each entry of ``fresh`` to the same entry of ``value``."""
    return dict(zip(entries(fresh), entries(value), strict=True))


class Builder:
    """Turn trees into values, in an environment mapping names to values.

    ``symbolic`` is the builder of the same request over symbolic values; a numeric builder
    asks it for derivatives and evaluates them with ``point`` (symbol ↦ sample value).
    """

    def __init__(
        self,
        kinds: Mapping[str, Kind],
        env: Mapping[str, Any],
        limits: Limits = LIMITS,
        *,
        symbolic: Builder | None = None,
        point: Mapping[Any, Any] | None = None,
        outcome: int | None = None,
    ) -> None:
        self.kinds = kinds
        self.env = env
        self.limits = limits
        self.symbolic = symbolic
        self.point = point or {}
        self.derivatives: dict[Node, Any] = {}
        self.outcome = outcome  # inside E[...]: the outcome random variables stand at
        self.shared: dict[Any, Any] = {}  # the probability space and moments (``calls``)

    def at_outcome(self, outcome: int) -> Builder:
        """This builder with random variables standing for their values at ``outcome``."""
        child = Builder(
            self.kinds,
            self.env,
            self.limits,
            symbolic=self.symbolic,
            point=self.point,
            outcome=outcome,
        )
        child.shared = self.shared
        return child

    def build(self, node: Node) -> Any:
        """The value of ``node``."""
        value = self._build(node)
        return as_scalar(value)

    def _build(self, node: Node) -> Any:
        if isinstance(node, Num):
            return number(node.text)
        if isinstance(node, Name):
            return self._name(node)
        if isinstance(node, Neg):
            return -self.build(node.operand)
        if isinstance(node, Transpose):
            value = self.build(node.operand)
            return value.T if is_matrix(value) else value
        if isinstance(node, Bin):
            return self._binary(node)
        if isinstance(node, Call):
            return self._call(node)
        return self._matrix(node)

    def _name(self, node: Name) -> Any:
        kind = self.kinds.get(node.name)
        if kind is not None and kind.name in ("random", "event"):
            return calls.outcome_value(self, node.name)
        if node.name in self.env:
            return self.env[node.name]
        if node.name == "e":
            return sp.E
        if node.name == "pi":
            return sp.pi
        raise KeyError(f"no value for {node.name}")  # the engine binds every name used

    def _binary(self, node: Bin) -> Any:
        if is_transpose_power(node, self.kinds):
            value = self.build(node.left)
            return value.T if is_matrix(value) else value
        left, right = self.build(node.left), self.build(node.right)
        if node.op == "+":
            return left + right
        if node.op == "-":
            return left - right
        if node.op == "*":
            if is_matrix(left) and is_matrix(right):
                return left * right
            return right * left if is_matrix(right) else left * right
        if node.op == "/":
            if right == 0:
                raise Undefined("division by zero")
            return left * sp.Pow(right, -1)
        if is_matrix(left):
            return self._matrix_power(left, node)
        return self.power(
            left,
            right,
            node.column,
            varying=self._varies(node.right),
            base_varies=self._varies(node.left),
        )

    def _varies(self, node: Node) -> bool:
        """Whether a subtree's value depends on the names (not only on constants)."""
        return any(
            isinstance(n, Name) and (n.name not in ("e", "pi") or n.name in self.kinds)
            for n in walk(node)
        )

    def _matrix_power(self, matrix: sp.ImmutableMatrix, node: Bin) -> Any:
        k = integer_literal(node.right)
        assert k is not None  # checked by Shapes
        if k < 0:
            matrix = self.inverse(matrix)
        return matrix ** abs(k)

    def power(
        self,
        base: Any,
        exponent: Any,
        column: int,
        varying: bool = False,
        base_varies: bool = False,
    ) -> Any:
        """``base^exponent`` within limits set by cost, not by the literal exponent.

        An exact power is computed only if its result has at most ``max_result_bits``; a
        root's degree is at most ``max_exponent``; a power of a sum (which a proof would
        expand) has a degree of at most ``max_exponent``, a power of a monomial (``y^3549``) any
        degree up to ``max_result_bits / 2`` (beyond it even ``3^n`` is too large to compute).
        Beyond these limits a constant power is an input error (a one-line reason); a power
        that depends on the sample point (``varying`` exponent, or ``base_varies`` below the
        hard limit) only makes this point undefined."""
        limits = self.limits
        hard = limits.max_result_bits // 2  # |n| beyond which 3^n is already too large

        def refuse(message: str, local: bool = False) -> InputError | Undefined:
            if varying or local:
                return Undefined(message)
            return InputError(message, column=column)

        if isinstance(exponent, sp.Rational):
            if exponent.q > limits.max_exponent:
                raise refuse(
                    f"exponent {brief(exponent)}: denominator too large "
                    f"(at most {limits.max_exponent})"
                )
            if isinstance(base, sp.Rational):
                size = max(base.p.bit_length(), base.q.bit_length())
                bits = size * (abs(exponent.p) // exponent.q + 1)
                if bits > limits.max_result_bits and size > 1:
                    digits = brief(sp.Integer(bits * 3 // 10))
                    # a point where an ordinary power is large (y^3549 at y = 3900) is skipped;
                    # far beyond the limit ((x^1000)^1000, x^(10^10)) the input is refused
                    local = (
                        base_varies
                        and abs(exponent) <= hard
                        and bits <= FAR * limits.max_result_bits
                    )
                    raise refuse(f"power too large (a number of about {digits} digits)", local)
                if base == 0 and exponent < 0:
                    raise Undefined("division by zero")
        if _negative(base) and _non_integer(exponent):  # one rule: intermediates are real
            raise Undefined(f"a negative number to a non-integer power: {NOT_REAL}")
        result = sp.Pow(base, exponent)
        if isinstance(exponent, sp.Rational) and isinstance(result, sp.Basic):
            for atom in result.atoms(sp.Pow):
                if not (isinstance(atom.exp, sp.Rational) and atom.base.free_symbols):
                    continue
                if abs(atom.exp) > hard or (
                    abs(atom.exp) > limits.max_exponent and isinstance(atom.base, sp.Add)
                ):
                    limit = hard if abs(atom.exp) > hard else limits.max_exponent
                    raise refuse(f"exponent {brief(atom.exp)} too large (at most {limit})")
        return result

    def inverse(self, matrix: sp.ImmutableMatrix) -> sp.ImmutableMatrix:
        """The inverse: exact elimination for numbers, adjugate over determinant for symbols."""
        if not matrix.free_symbols and all(e.is_Rational for e in matrix):
            try:
                return sp.ImmutableMatrix(matrix.inv())
            except ValueError as error:  # NonInvertibleMatrixError
                raise Undefined("singular matrix") from error
        det = matrix.det(method="berkowitz")
        if det == 0:
            raise Undefined("singular matrix")
        return sp.ImmutableMatrix(matrix.adjugate(method="berkowitz") / det)

    def _call(self, node: Call) -> Any:
        func = node.func
        if calls.handles(func, self.kinds):
            return calls.evaluate(self, node)
        if func == "diff":
            return self._diff(node)
        if func in ("eye", "ones", "zeros"):
            sizes = [integer_literal(a) or 1 for a in node.args]
            rows, cols = sizes[0], sizes[1] if len(sizes) > 1 else 1
            if func == "eye":
                return sp.ImmutableMatrix(sp.eye(rows))
            fill = 1 if func == "ones" else 0
            return sp.ImmutableMatrix(rows, cols, [fill] * (rows * cols))
        value = self.build(node.args[0])
        if func in ELEMENTWISE:
            f = ELEMENTWISE[func]
            if func == "log" and len(node.args) == 2:
                base = self.build(node.args[1])
                return self._elementwise(lambda v: f(v) / f(base), value)
            return self._elementwise(f, value)
        if func == "det":
            return value.det(method="berkowitz") if is_matrix(value) else value
        if func == "tr":
            return value.trace() if is_matrix(value) else value
        if func == "inv":
            if is_matrix(value):
                return self.inverse(value)
            if value == 0:
                raise Undefined("division by zero")
            return sp.Pow(value, -1)
        if func == "transpose":
            return value.T if is_matrix(value) else value
        if func == "sum":
            return sp.Add(*entries(value))
        # norm: Euclidean (Frobenius for matrices), or the 1-norm
        if len(node.args) == 2 and integer_literal(node.args[1]) == 1:
            return sp.Add(*(sp.Abs(e) for e in entries(value)))
        return sp.sqrt(sp.Add(*(e**2 for e in entries(value))))

    @staticmethod
    def _elementwise(f: Callable[[Any], Any], value: Any) -> Any:
        return value.applyfunc(f) if is_matrix(value) else f(value)

    def _diff(self, node: Call) -> Any:
        if self.symbolic is not None:  # numeric: forward mode at the point, if it applies
            names = [v.name for v in variables_of(node, self.kinds)]
            functions = calls.forward_functions(self, node, ELEMENTWISE)
            try:
                if functions is None:
                    raise NoRule("random variables, or a function of several arguments")
                return as_scalar(at_point(self, node.args[0], names, functions))
            except NoRule:  # differentiate symbolically, then evaluate
                if not calls.abstract(node, self.kinds):
                    return as_scalar(self.symbolic.build(node)).xreplace(self.point)
                # declared functions: differentiate the point's concrete ones, as below
            except NoValue as error:
                raise Undefined(str(error)) from None
        if node in self.derivatives:
            return self.derivatives[node]
        variables = variables_of(node, self.kinds)
        fresh = {v.name: fresh_value(v.name, self.kinds.get(v.name, SCALAR)) for v in variables}
        inner = Builder(self.kinds, {**self.env, **fresh}, self.limits)
        value = inner.build(node.args[0])
        for variable in variables:
            value = as_scalar(derivative(value, fresh[variable.name]))
        back: dict[Any, Any] = {}
        for name, dummy in fresh.items():
            back.update(pair_entries(dummy, self.env[name]))
        result = value.xreplace(back)
        self.derivatives[node] = result
        return result

    def _matrix(self, node: MatrixLit) -> Any:
        rows = [[self.build(e) for e in row] for row in node.rows]
        return sp.ImmutableMatrix(rows)


def derivative(value: Any, variable: Any) -> Any:
    """∂value/∂variable: entrywise by a scalar; by a vector or matrix in denominator layout
    (a row vector by a vector as its column: ``diff(x.T, x)`` is the identity, ``diff(x.T A,
    x)`` is A)."""
    if not is_matrix(variable):
        if is_matrix(value):
            return value.applyfunc(lambda e: sp.diff(e, variable))
        return sp.diff(value, variable)
    if is_matrix(value) and value.shape[0] == 1 and variable.shape[1] == 1:
        value = value.T
    return gradient(value, variable)
