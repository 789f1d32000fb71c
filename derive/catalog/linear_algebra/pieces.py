"""Pieces several linear-algebra derivations share: dot products and sums of squares written
the way the derivations state them, and the references and conditions of their twins.

>>> import sympy as sp
>>> a, b = sp.MatrixSymbol("a", 3, 1), sp.MatrixSymbol("b", 3, 1)
>>> dot(a, b)
(a.T*b)[0, 0]
>>> squares(a, sp.Symbol("i", integer=True))
Sum(a[i, 0]**2, (i, 0, 2))
>>> finite_differences(lambda w: w).kind
'finite differences'
>>> x = sp.MatrixSymbol("x", 3, 1)
>>> [s.rel.value for s in halved_gradient(2 * x - 2 * a, (x, a), x, a, ("", "", ""))]
['given', 'iff', 'implies']
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement

from derive.catalog.steps import given, implies
from derive.core.model import Rel, Step
from derive.numeric.twin import Arg, Condition, Reference


def dot(x: Any, y: Any) -> Any:
    """x·y as a number: the one entry of xᵀy."""
    return MatrixElement(x.T * y, 0, 0)


def squares(v: Any, i: Any) -> Any:
    """Σᵢ vᵢ², the squared length of a column vector, as a sum over the index ``i``."""
    return sp.Sum(v[i, 0] ** 2, (i, 0, v.shape[0] - 1))


def finite_differences(fn: Callable[..., Any]) -> Reference:
    """A reference that differentiates numerically, one sample at a time."""
    return Reference("central finite differences", fn, kind="finite differences", batched=False)


def finite(*args: Arg) -> Condition:
    """Defined wherever every entry of the inputs is finite (a twin's ``valid``)."""
    return Condition(sp.true, args)


def halved_gradient(
    gradient: Any, equation: tuple[Any, Any], unknown: Any, solution: Any, why: tuple[str, ...]
) -> tuple[Step, Step, Step]:
    """Set a column-vector ``gradient`` to zero, divide it by 2 to get ``equation``
    (lhs = rhs), and solve that for ``unknown``: the matrix form of
    ``derive.catalog.steps.stationary``; ``why`` gives the three justifications."""
    return (
        given(gradient, sp.ZeroMatrix(*gradient.shape), why[0]),
        Step(lhs=equation[0], rhs=equation[1], rel=Rel.IFF, by=sp.Rational(1, 2), why=why[1]),
        implies(unknown, solution, why[2]),
    )
