"""Print SymPy expressions in the checker's text syntax (for tests, messages and examples).

>>> import sympy as sp
>>> x = sp.Symbol("x", real=True)
>>> A = sp.MatrixSymbol("A", 2, 2)
>>> to_text(sp.Derivative(sp.sin(x) ** 2 / x, x))
'diff(sin(x)^2/x, x)'
>>> to_text(sp.Inverse(A * A.T))
'inv(A*A.T)'

What the syntax cannot say (matrix elements, sums, piecewise functions, complex numbers)
raises :class:`Unprintable`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sympy as sp

from derive.checker.names import checker_name, symbol_name
from derive.core.functions import sigmoid, softplus


class Unprintable(ValueError):
    """The expression has no spelling in the checker's syntax."""


FUNCTION_NAMES = {
    sp.sin: "sin",
    sp.cos: "cos",
    sp.tan: "tan",
    sp.cot: "cot",
    sp.sec: "sec",
    sp.csc: "csc",
    sp.asin: "asin",
    sp.acos: "acos",
    sp.atan: "atan",
    sp.sinh: "sinh",
    sp.cosh: "cosh",
    sp.tanh: "tanh",
    sp.exp: "exp",
    sp.log: "log",
    sp.Abs: "abs",
    sp.sign: "sign",
    sigmoid: "sigmoid",
    softplus: "softplus",
    sp.erf: "erf",
    sp.erfc: "erfc",
}

ADD, MUL, NEG, POW, ATOM = 1, 2, 3, 4, 5


class TextPrinter:
    """The printer; ``bindings`` prints bound matrix symbols as their explicit matrices,
    ``sizes`` fixes symbolic dimensions (for ``eye(n)``)."""

    def __init__(
        self, bindings: Mapping[Any, Any] | None = None, sizes: Mapping[Any, int] | None = None
    ) -> None:
        self.bindings = {getattr(k, "name", k): v for k, v in (bindings or {}).items()}
        self.sizes = dict(sizes or {})

    def __call__(self, expr: Any) -> str:
        return self.print(expr)[0]

    def wrap(self, expr: Any, above: int, *, strict: bool = False) -> str:
        text, level = self.print(expr)
        return f"({text})" if level < above or (strict and level == above) else text

    def size(self, dim: Any) -> int:
        value = dim.xreplace(self.sizes) if isinstance(dim, sp.Basic) else dim
        if not (isinstance(value, int) or getattr(value, "is_Integer", False)):
            raise Unprintable(f"symbolic size {dim}")
        return int(value)

    def print(self, expr: Any) -> tuple[str, int]:
        """The text and its precedence level."""
        if isinstance(expr, int):
            expr = sp.Integer(expr)
        if isinstance(expr, sp.MatrixSymbol):
            if expr.name in self.bindings:
                return self.print(sp.ImmutableMatrix(self.bindings[expr.name]))
            return self.name(expr.name), ATOM
        if isinstance(expr, sp.Indexed):
            name = symbol_name(expr)
            if name is None:
                raise Unprintable(f"the indexed name {expr}")
            return name, ATOM
        if isinstance(expr, sp.Symbol):
            if expr in self.sizes:  # a dimension used as a number, e.g. n in 1/n
                return str(int(self.sizes[expr])), ATOM
            if expr.name in self.bindings:  # a symbol a binding fixes, e.g. y3 = 1 - y1 - y2
                return f"({self(self.bindings[expr.name])})", ATOM
            return self.name(expr.name), ATOM
        if isinstance(expr, sp.Rational):
            return self.rational(expr)
        if expr is sp.pi:
            return "pi", ATOM
        if expr is sp.E:
            return "e", ATOM
        if isinstance(expr, sp.MatrixBase):
            return self.matrix(expr), ATOM
        method = getattr(self, f"print_{type(expr).__name__}", None)
        if method is not None:
            return method(expr)
        if isinstance(expr, sp.Function) and expr.func in FUNCTION_NAMES:
            args = ", ".join(self(a) for a in expr.args)
            return f"{FUNCTION_NAMES[expr.func]}({args})", ATOM
        raise Unprintable(f"{type(expr).__name__} has no spelling in the checker's syntax")

    @staticmethod
    def name(name: str) -> str:
        spelled = checker_name(name)
        if spelled is None:
            raise Unprintable(f"the name {name!r}")
        return spelled

    @staticmethod
    def rational(value: sp.Rational) -> tuple[str, int]:
        if value < 0:
            text, _ = TextPrinter.rational(-value)
            return f"-{text}", NEG
        if value.q == 1:
            return str(value.p), ATOM
        return f"{value.p}/{value.q}", MUL

    def matrix(self, value: sp.MatrixBase) -> str:
        rows = ["[" + ", ".join(self(e) for e in row) + "]" for row in value.tolist()]
        return "[" + ", ".join(rows) + "]"

    # -- scalar algebra ----------------------------------------------------------------

    def print_Add(self, expr: sp.Add) -> tuple[str, int]:
        terms = expr.as_ordered_terms()
        text = self.wrap(terms[0], ADD)
        for term in terms[1:]:
            coefficient = term.as_coeff_Mul()[0]
            if coefficient < 0:
                text += " - " + self.wrap(-term, ADD, strict=True)
            else:
                text += " + " + self.wrap(term, ADD, strict=True)
        return text, ADD

    def print_Mul(self, expr: sp.Mul) -> tuple[str, int]:
        coefficient = expr.as_coeff_Mul()[0]
        if coefficient < 0:
            return "-" + self.wrap(-expr, MUL), NEG
        numerator, denominator = [], []
        for factor in sp.Mul.make_args(expr):
            base, exponent = factor.as_base_exp()
            if isinstance(factor, sp.Rational) and factor.q != 1:
                numerator.append(sp.Integer(factor.p)) if factor.p != 1 else None
                denominator.append(sp.Integer(factor.q))
            elif exponent.is_Rational and exponent < 0 and not isinstance(factor, sp.Rational):
                denominator.append(base**-exponent)
            else:
                numerator.append(factor)
        top = "*".join(self.wrap(f, MUL) for f in numerator) if numerator else "1"
        if not denominator:
            return top, MUL
        bottom = "*".join(self.wrap(f, MUL) for f in denominator)
        if len(denominator) > 1:
            bottom = f"({bottom})"
        else:
            bottom = self.wrap(denominator[0], MUL, strict=True)
        return f"{top}/{bottom}", MUL

    def print_Pow(self, expr: sp.Pow) -> tuple[str, int]:
        base, exponent = expr.args
        if base is sp.E:
            return f"exp({self(exponent)})", ATOM
        if exponent == sp.Rational(1, 2):
            return f"sqrt({self(base)})", ATOM
        if exponent.is_Rational and exponent < 0:
            return f"1/{self.wrap(base**-exponent, MUL, strict=True)}", MUL
        return f"{self.wrap(base, POW, strict=True)}^{self.wrap(exponent, POW)}", POW

    def print_Derivative(self, expr: sp.Derivative) -> tuple[str, int]:
        variables = []
        for variable, count in expr.variable_count:
            text, level = self.print(variable)
            if level != ATOM or text.startswith(("[", "(")):
                raise Unprintable(f"a derivative by {text}")
            variables.append(text)
            if count != 1:
                variables.append(str(int(count)))
        return f"diff({self(expr.expr)}, {', '.join(variables)})", ATOM

    # -- matrix algebra ----------------------------------------------------------------

    def print_MatMul(self, expr: sp.MatMul) -> tuple[str, int]:
        factors = list(expr.args)
        coefficient = sp.Integer(1)
        while factors and not getattr(factors[0], "is_Matrix", False):
            coefficient *= factors.pop(0)
        text = "*".join(self.wrap(f, MUL) for f in factors)
        if coefficient == 1:
            return text, MUL
        if coefficient == -1:
            return f"-{text}", NEG
        return f"{self.wrap(coefficient, MUL)}*{text}", MUL

    def print_MatAdd(self, expr: sp.MatAdd) -> tuple[str, int]:
        return " + ".join(self.wrap(a, ADD, strict=True) for a in expr.args), ADD

    def print_Transpose(self, expr: sp.Transpose) -> tuple[str, int]:
        return f"{self.wrap(expr.arg, ATOM)}.T", ATOM

    def print_Inverse(self, expr: sp.Inverse) -> tuple[str, int]:
        return f"inv({self(expr.arg)})", ATOM

    def print_MatPow(self, expr: sp.MatPow) -> tuple[str, int]:
        base, exponent = expr.args
        if exponent == -1:
            return f"inv({self(base)})", ATOM
        return f"{self.wrap(base, POW, strict=True)}^{self.wrap(exponent, POW)}", POW

    def print_Determinant(self, expr: sp.Determinant) -> tuple[str, int]:
        return f"det({self(expr.arg)})", ATOM

    def print_Trace(self, expr: sp.Trace) -> tuple[str, int]:
        return f"tr({self(expr.arg)})", ATOM

    def print_Identity(self, expr: sp.Identity) -> tuple[str, int]:
        return f"eye({self.size(expr.shape[0])})", ATOM

    def print_ZeroMatrix(self, expr: sp.ZeroMatrix) -> tuple[str, int]:
        return f"zeros({self.size(expr.shape[0])}, {self.size(expr.shape[1])})", ATOM

    def print_OneMatrix(self, expr: Any) -> tuple[str, int]:
        return f"ones({self.size(expr.shape[0])}, {self.size(expr.shape[1])})", ATOM


def to_text(
    expr: Any, bindings: Mapping[Any, Any] | None = None, sizes: Mapping[Any, int] | None = None
) -> str:
    """``expr`` in the checker's text syntax."""
    return TextPrinter(bindings, sizes)(expr)
