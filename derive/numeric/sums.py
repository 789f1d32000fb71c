"""Put sums over a symbolic range into a normal form, so that identities about data are provable.

>>> import sympy as sp
>>> i, j = sp.symbols("i j", integer=True)
>>> n = sp.Symbol("n", integer=True, positive=True)
>>> x = sp.IndexedBase("x")
>>> c = sp.Symbol("c")
>>> mean = sp.Sum(x[j], (j, 1, n)) / n
>>> sp.expand(linear_sums(sp.Sum(x[i] - mean, (i, 1, n))))
0

SymPy leaves ``Sum(a + b)`` whole, keeps factors that do not depend on the index inside, and
treats ``Sum(x[i], (i, 1, n))`` and ``Sum(x[j], (j, 1, n))`` as different. ``linear_sums``
splits each sum over the terms of its expanded body, takes out every factor free of the index
and renames the index to one canonical dummy, innermost sums first.
"""

from __future__ import annotations

from typing import Any

import sympy as sp

_INDEX = sp.Dummy("i", integer=True)


def _split(total: sp.Sum) -> Any:
    if len(total.limits) != 1:
        return total
    index, low, high = total.limits[0]
    out = sp.Integer(0)
    for term in sp.Add.make_args(sp.expand(total.function)):
        factor, rest = term.as_independent(index, as_Add=False)
        if rest == 1:
            out += factor * (high - low + 1)
        elif rest.has(_INDEX):  # an inner sum already uses the canonical index: keep ours
            out += factor * sp.Sum(rest, (index, low, high))
        else:
            out += factor * sp.Sum(rest.xreplace({index: _INDEX}), (_INDEX, low, high))
    return out


def _written_out(total: sp.Sum) -> Any:
    if len(total.limits) != 1:
        return total
    index, low, high = total.limits[0]
    if not (low.is_Integer and high.is_Integer):
        return total
    return sp.Add(*(total.function.xreplace({index: k}) for k in range(int(low), int(high) + 1)))


def write_out_sums(expr: Any) -> Any:
    """``expr`` with every sum over a numeric range written out term by term (faster than
    ``doit``, which looks for closed forms first).

    >>> i = sp.Symbol("i", integer=True)
    >>> write_out_sums(sp.Sum(sp.IndexedBase("x")[i] ** 2, (i, 1, 3)))
    x[1]**2 + x[2]**2 + x[3]**2
    """
    if not isinstance(expr, sp.Basic) or not expr.has(sp.Sum):
        return expr
    return expr.replace(lambda e: isinstance(e, sp.Sum), _written_out)


def linear_sums(expr: Any) -> Any:
    """``expr`` with every single-index sum split, factored and canonically indexed."""
    expr = sp.sympify(expr)
    if not expr.has(sp.Sum):
        return expr
    return expr.replace(lambda e: isinstance(e, sp.Sum), _split)


def normal_sums(expr: Any) -> Any:
    """Sums over numeric ranges written out, the others in the normal form of ``linear_sums``."""
    return linear_sums(write_out_sums(expr))
