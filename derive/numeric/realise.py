"""Turn matrix expressions into explicit matrices of entries, derivatives included.

>>> import sympy as sp
>>> x = sp.MatrixSymbol("x", 2, 1)
>>> A = sp.MatrixSymbol("A", 2, 2)
>>> g = Realiser()(sp.Derivative((x.T * A * x)[0, 0], x))
>>> g.shape
(2, 1)

SymPy's own matrix calculus has wrong answers (``diff(log(det(X)), X)`` is 0), so every
derivative by a matrix or vector is taken here entry by entry, in the denominator layout of
The Matrix Cookbook: the gradient of a scalar is shaped like the variable.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement

from derive.core.functions import expand_definitions
from derive.core.model import Domain, frozen_map
from derive.numeric.probability import evaluate_random
from derive.numeric.sums import normal_sums


def is_matrix(value: Any) -> bool:
    """Whether a SymPy object is matrix-valued."""
    return bool(getattr(value, "is_Matrix", False)) or isinstance(value, sp.MatrixBase)


def as_scalar(value: Any) -> Any:
    """A 1×1 matrix as its single entry; anything else unchanged."""
    if isinstance(value, sp.MatrixBase) and value.shape == (1, 1):
        return value[0, 0]
    return value


def entry_symbol(name: str, i: int, j: int, cols: int) -> sp.Symbol:
    """The real symbol for entry (i, j) of a matrix called ``name`` (1-based in the name)."""
    label = f"{name}_{{{i + 1}}}" if cols == 1 else f"{name}_{{{i + 1},{j + 1}}}"
    return sp.Symbol(label, real=True)


def explicit_matrix(name: str, rows: int, cols: int, domain: Domain) -> sp.ImmutableMatrix:
    """A matrix of real entry symbols; symmetric domains share (i, j) and (j, i)."""
    symmetric = domain in (Domain.SYMMETRIC, Domain.SPD)

    def entry(i: int, j: int) -> sp.Symbol:
        if symmetric and i > j:
            i, j = j, i
        return entry_symbol(name, i, j, cols)

    return sp.ImmutableMatrix(rows, cols, entry)


def explicit_value(value: Any) -> Any:
    """Explicit matrices for matrix expressions of known size; anything else unchanged."""
    if isinstance(value, sp.MatrixBase):
        return sp.ImmutableMatrix(value)
    if isinstance(value, sp.MatrixExpr) and all(sp.sympify(d).is_Integer for d in value.shape):
        return sp.ImmutableMatrix(value.as_explicit())
    return value


def gradient(f: Any, v: sp.MatrixBase) -> sp.ImmutableMatrix:
    """∂f/∂v in denominator layout: shaped like ``v`` for scalar ``f``, n×m for vector by vector."""
    f = as_scalar(f)
    if not isinstance(f, sp.MatrixBase):
        return sp.ImmutableMatrix(*v.shape, lambda i, j: sp.diff(f, v[i, j]))
    if f.shape[1] == 1 and v.shape[1] == 1:
        return sp.ImmutableMatrix(v.shape[0], f.shape[0], lambda i, j: sp.diff(f[j, 0], v[i, 0]))
    raise NotImplementedError(f"the derivative of a {f.shape} matrix by a {v.shape} matrix")


def _concrete_outer_limit(expr: sp.Sum) -> bool:
    """Whether the outermost range of a sum has integer ends (inner ones may depend on it)."""
    _, low, high = expr.limits[-1]
    return bool(sp.sympify(low).is_Integer and sp.sympify(high).is_Integer)


def _write_out(expr: sp.Sum) -> Any:
    """The terms of the outermost sum, each still a sum over the inner ranges (if any)."""
    variable, low, high = expr.limits[-1]
    inner = sp.Sum(expr.function, *expr.limits[:-1]) if len(expr.limits) > 1 else expr.function
    return sp.Add(*(inner.xreplace({variable: k}) for k in range(int(low), int(high) + 1)))


@dataclass(frozen=True)
class Realiser:
    """Replace matrix symbols by explicit matrices and evaluate, at one choice of sizes.

    ``bindings`` fixes some matrix symbols (A ↦ [[a, b], [c, d]]) and possibly scalar symbols
    (y₃ ↦ 1 − y₁ − y₂, a constraint); the other matrix symbols become matrices of fresh real
    entry symbols whose structure follows ``domains`` (symmetric, SPD).
    """

    bindings: Mapping[Any, Any] = field(default_factory=frozen_map)
    sizes: Mapping[Any, int] = field(default_factory=frozen_map)
    domains: Mapping[Any, Domain] = field(default_factory=frozen_map)

    def __call__(self, expr: Any) -> Any:
        """The explicit, evaluated form of ``expr`` (custom functions expanded, sympy.stats
        queries evaluated)."""
        if isinstance(expr, (int, float)):
            return sp.sympify(expr)
        if isinstance(expr, (tuple, list)):
            return sp.Tuple(*(self(e) for e in expr))
        out = evaluate_random(normal_sums(self._walk(self.sized(expr))))
        out = explicit_value(out.doit() if hasattr(out, "doit") else out)
        return expand_definitions(out)

    @functools.cached_property
    def _bound(self) -> dict[Any, sp.ImmutableMatrix]:
        """Realised bindings, filled on first use."""
        return {}

    def sized(self, expr: Any) -> Any:
        """``expr`` with symbolic dimensions replaced by this realiser's sizes."""
        return expr.xreplace(dict(self.sizes)) if self.sizes else expr

    def matrix(self, symbol: sp.MatrixSymbol) -> sp.ImmutableMatrix:
        """The explicit matrix standing for a (sized) matrix symbol."""
        for key, value in self.bindings.items():
            if self.sized(key) == symbol:
                if symbol not in self._bound:  # each binding is realised once per realiser
                    self._bound[symbol] = sp.ImmutableMatrix(self(value))
                return self._bound[symbol]
        rows, cols = symbol.shape
        if not (rows.is_Integer and cols.is_Integer):
            raise ValueError(f"matrix {symbol.name} has symbolic size {symbol.shape}; give sizes")
        domain = Domain.MATRIX
        for key, value in self.domains.items():
            if getattr(key, "name", None) == symbol.name:
                domain = value
        return explicit_matrix(symbol.name, int(rows), int(cols), domain)

    def _walk(self, expr: Any) -> Any:
        if isinstance(expr, sp.MatrixSymbol):
            return self.matrix(expr)
        if isinstance(expr, sp.Derivative):
            return self._derivative(expr)
        if isinstance(expr, sp.Inverse):
            inner = self._walk(expr.arg)
            if isinstance(inner, sp.MatrixBase):
                # SymPy's Inverse(M).doit() first tries to decide that det M ≠ 0, which is
                # slow for symbolic entries; M.inv() gives the same matrix at once.
                return sp.ImmutableMatrix(inner.inv())
            return sp.Inverse(inner)
        if isinstance(expr, sp.MatrixBase):
            return expr.applyfunc(self._walk)
        if isinstance(expr, sp.Symbol) and expr in self.bindings:
            return self(self.bindings[expr])  # a constrained scalar, e.g. y₃ ↦ 1 − y₁ − y₂
        if not getattr(expr, "args", ()) or isinstance(expr, sp.Symbol):
            return expr
        if isinstance(expr, sp.FunctionMatrix) and all(
            sp.sympify(d).is_Integer for d in expr.shape
        ):
            # [f(i, j)]ᵢⱼ of a concrete size: its entries, then each entry realised.
            return self._walk(expr.as_explicit())
        if isinstance(expr, sp.Sum) and _concrete_outer_limit(expr):
            # Σ over a sized range (an entry of a matrix product, Σᵢ vᵢ²): write out the terms,
            # so that entries with symbolic indices become entries with concrete ones.
            return self._walk(_write_out(expr))
        if isinstance(expr, MatrixElement):
            if not (expr.i.is_Integer and expr.j.is_Integer):
                return expr
            parent = self._walk(expr.parent)
            return parent[int(expr.i), int(expr.j)] if isinstance(parent, sp.MatrixBase) else expr
        args = [self._walk(a) for a in expr.args]
        if isinstance(expr, (sp.Sum, sp.Product, sp.Integral, sp.Limit, sp.Lambda)):
            return expr.func(*args)
        if isinstance(expr, sp.Function):
            # A scalar function of a 1×1 matrix (σ(wᵀx)) takes its single entry.
            args = [as_scalar(a) for a in args]
        rebuilt = expr.func(*args)
        # A matrix product or sum of explicit matrices is evaluated now, so that the
        # surrounding scalar operations (Mul, Pow) see a plain matrix or a 1×1 entry.
        if isinstance(rebuilt, sp.MatrixExpr) and not isinstance(rebuilt, sp.MatrixSymbol):
            return explicit_value(rebuilt.doit())
        return rebuilt

    def _derivative(self, expr: sp.Derivative) -> Any:
        f = normal_sums(self._walk(expr.expr))
        f = f.doit() if hasattr(f, "doit") else f
        f = expand_definitions(f)
        for variable, count in expr.variable_count:
            for _ in range(int(count)):
                if isinstance(variable, sp.MatrixSymbol):
                    f = gradient(f, self.matrix(variable))
                elif isinstance(f, sp.MatrixBase):
                    f = f.applyfunc(lambda e, v=variable: sp.diff(e, v))
                else:
                    f = sp.diff(f, variable)
        return f
