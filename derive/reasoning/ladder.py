"""The proof ladder: rewrite an expression rung by rung until one rung shows it is 0.

>>> x = sp.Symbol("x", real=True)
>>> proof(sp.sin(x) ** 2 + sp.cos(x) ** 2 - 1, budget=5.0)
'exp form, cancelled'
>>> is_zero((x + 1) ** 2 - x**2 - 2 * x - 1, budget=5.0)
True
>>> is_zero(x - 1, budget=5.0)
False

The one ladder both engines climb: the catalog's verifier (``derive.reasoning.equivalence``,
entry by entry of explicit realisations) and the learner's checker
(``derive.checker.engine``). Cheap and sound rungs come first: SymEngine's expansion of the
numerator over a common denominator (polynomial identities at once, when the expansion is
known to stay small), SymPy's expanded numerator, cancellation, every branch of a piecewise
expression, the exponential form of trigonometric and hyperbolic functions; then SymPy's
``simplify`` in three variants. Sums left after realisation have no closed form, so their
ladder normalises and cancels instead of simplifying. A rung only ever proves: falling off
the ladder means "no proof found", never "different" (the numeric screen refutes).

The ladder is interruptible: every rung but SymEngine's is Python code that the budget's
``Timeout`` (``derive.core.budget``) can stop, and SymEngine, which cannot be stopped, is only
given expansions estimated at no more than ``SYMENGINE_TERMS`` products.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sympy as sp

from derive.core.budget import Timeout, time_limit
from derive.numeric.fast import have_symengine
from derive.numeric.sums import linear_sums

SYMENGINE_TERMS = 50_000  # products an uninterruptible SymEngine expansion may cost at most

SHORTCUT_SHARE = 0.2  # of a known budget, at most, for a shortcut rung


@dataclass(frozen=True)
class Rung:
    """One way of rewriting an expression, named; a ``shortcut`` finds quickly what a later
    rung would find too, so it gets at most ``SHORTCUT_SHARE`` of a known budget (then the
    ladder goes on), and cannot starve the rungs after it."""

    name: str
    rewrite: Callable[[Any], Any]
    shortcut: bool = False


def _products(expr: Any) -> int:
    """An upper bound on the products a full expansion of a SymEngine expression computes
    (its number of terms without any cancellation), capped just above ``SYMENGINE_TERMS``.
    Function calls and non-integer powers count as one term: SymEngine does not expand
    inside them."""
    import symengine as se

    cap = SYMENGINE_TERMS + 1
    if isinstance(expr, se.Add):
        return min(cap, sum(_products(a) for a in expr.args))
    if isinstance(expr, se.Mul):
        total = 1
        for factor in expr.args:
            total = min(cap, total * _products(factor))
        return total
    if isinstance(expr, se.Pow):
        base, exponent = expr.args
        if isinstance(exponent, se.Integer):
            n, terms = abs(int(exponent)), _products(base)
            if terms == 1:
                return 1
            if terms >= cap or n >= cap:
                return cap
            return min(cap, math.comb(terms + n - 1, n))  # monomials of degree n
    return 1


def symengine_zero(expr: Any) -> bool:
    """Whether SymEngine shows that ``expr`` is identically zero as a rational function of
    its atoms (symbols, and calls such as √x or sin x taken as they are): the numerator over
    a common denominator expands to 0 and the denominator does not. Sound, and hundreds of
    times faster than SymPy's ``expand``; False means only "not shown this way" (also for
    an expansion too large to risk: SymEngine cannot be interrupted).

    >>> x, y = sp.symbols("x y", real=True)
    >>> symengine_zero((x + y) ** 2 / (x - y) - (x**2 + 2 * x * y + y**2) / (x - y))
    True
    >>> symengine_zero(sp.sin(x) ** 2 + sp.cos(x) ** 2 - 1)  # needs trigonometry
    False
    >>> symengine_zero((x + y + 1) ** 1000 * (x - y) - (x + y + 1) ** 1000 * x)  # too large
    False
    """
    if not have_symengine() or expr.has(sp.Float):  # rounding could cancel by accident
        return False
    import symengine as se

    try:
        numerator, denominator = se.sympify(expr).as_numer_denom()
        if max(_products(numerator), _products(denominator)) > SYMENGINE_TERMS:
            return False
        return bool(se.expand(numerator) == 0 and se.expand(denominator) != 0)
    except (se.SympifyError, RuntimeError, TypeError, ValueError, NotImplementedError):
        return False


def _has_denominator(expr: Any) -> bool:
    """A rational expression with a denominator (no roots, no piecewise parts)."""
    powers = expr.atoms(sp.Pow)
    return (
        any(p.exp.is_negative for p in powers)
        and all(p.exp.is_Integer for p in powers)
        and not expr.has(sp.Piecewise)
    )


def expanded_numerator(expr: Any) -> Any:
    """The numerator of ``expr`` over a common denominator, expanded: zero iff a rational
    expression vanishes, and cheaper than expanding every fraction separately.

    >>> x = sp.Symbol("x")
    >>> expanded_numerator(1 / (x - 1) - 1 / (x + 1) - 2 / (x**2 - 1))
    0
    """
    return sp.expand(sp.fraction(sp.together(expr))[0])


def _expanded(expr: Any) -> Any:
    return expanded_numerator(expr) if _has_denominator(expr) else sp.expand(expr)


def branchwise(expr: Any) -> Any:
    """0 if ``expr`` is piecewise and every branch vanishes (cheap tests only), else ``expr``.

    >>> x = sp.Symbol("x", real=True)
    >>> branchwise(sp.Piecewise((x * (x - 1) - x**2 + x, x > 0), (0, True)))
    0
    """
    if not expr.has(sp.Piecewise):
        return expr
    folded = sp.piecewise_fold(expr)
    if not isinstance(folded, sp.Piecewise):
        return expr
    for branch, _ in folded.args:
        if sp.expand(branch) != 0 and sp.cancel(sp.together(branch)) != 0:
            return expr
    return sp.Integer(0)


def _trigonometric(expr: Any) -> bool:
    """Whether ``expr`` has a trigonometric or hyperbolic function (or an inverse of one)."""
    families = (sp.functions.elementary.trigonometric, sp.functions.elementary.hyperbolic)
    modules = {family.__name__ for family in families}
    return any(type(f).__module__ in modules for f in expr.atoms(sp.Function))


def _exp_form(expr: Any) -> Any:
    """sin, cos, tan, sinh... in terms of exp, cancelled: trigonometric identities become
    rational ones in exp (``expr`` itself when it has none of those functions)."""
    if not _trigonometric(expr):
        return expr
    return sp.cancel(sp.together(sp.expand(expr.rewrite(sp.exp))))


RUNGS: tuple[Rung, ...] = (
    Rung("SymEngine", lambda e: 0 if symengine_zero(e) else e),
    Rung("expanded", _expanded),
    Rung("cancelled", lambda e: sp.cancel(sp.together(e))),
    Rung("branch by branch", branchwise),
    Rung("exp form, cancelled", _exp_form, shortcut=True),
    Rung("simplified", sp.simplify),
    Rung("exp form, simplified", lambda e: sp.simplify(sp.expand(e.rewrite(sp.exp)))),
    # rational=True: floats become exact rationals, but a tiny Rational is not rounded to 0
    Rung(
        "cos form, simplified, rationalised",
        lambda e: sp.nsimplify(sp.simplify(e.rewrite(sp.cos)), rational=True),
    ),
)
SUM_RUNGS: tuple[Rung, ...] = (
    Rung("sums normalised", lambda e: sp.expand(linear_sums(e))),
    Rung(
        "sums normalised, cancelled",
        lambda e: sp.cancel(sp.together(sp.expand(linear_sums(e)))),
    ),
)


def rungs(expr: Any) -> tuple[Rung, ...]:
    """The rungs to try on ``expr``: closed forms came from ``doit``, so simplify only burns
    the budget on the sums left over; those are normalised and cancelled instead."""
    return SUM_RUNGS if expr.has(sp.Sum) else RUNGS


def _vanishes(rung: Rung, expr: Any, budget: float | None, deadline: float) -> bool:
    """Whether ``rung`` rewrites ``expr`` to 0; a shortcut within its share of ``budget``
    (if less time than that is left, the ladder's own limit is the only one)."""
    share = None if budget is None else budget * SHORTCUT_SHARE
    if not rung.shortcut or share is None or deadline - time.monotonic() <= share:
        return bool(rung.rewrite(expr) == 0)
    try:
        with time_limit(share):
            return bool(rung.rewrite(expr) == 0)
    except Timeout as error:
        if error.enclosing:  # a caller's budget ran out, not the shortcut's share
            raise
        return False


def _climb(expr: Any, budget: float | None) -> str | None:
    if expr == 0:
        return "zero as written"
    deadline = time.monotonic() + (budget or 0.0)
    for rung in rungs(expr):
        if _vanishes(rung, expr, budget, deadline):
            return rung.name
    return None


def proof(expr: Any, budget: float | None = None) -> str | None:
    """The name of the first rung that rewrites ``expr`` to 0, or None.

    With a ``budget`` in seconds, running out of it is None too (an enclosing budget's
    ``Timeout`` that cuts it short propagates: nothing was learned). Without one, the
    caller's budget interrupts the ladder."""
    expr = sp.sympify(expr)
    if budget is None:
        return _climb(expr, None)
    if budget <= 0:
        return None
    try:
        with time_limit(budget):
            return _climb(expr, budget)
    except Timeout as error:
        if error.enclosing:
            raise
        return None


def is_zero(expr: Any, budget: float | None = None) -> bool:
    """Whether the ladder shows ``expr`` is identically zero (see :func:`proof`)."""
    return proof(expr, budget) is not None


def is_nonnegative(expr: Any, budget: float) -> bool:
    """Whether SymPy's assumptions show ``expr ≥ 0`` (as it is, factored or simplified)
    within ``budget`` seconds.

    >>> p = sp.Symbol("p", positive=True)
    >>> is_nonnegative(p**2 + 2 * p + 1, budget=5.0)
    True
    """
    try:
        with time_limit(budget):
            for form in (expr, sp.factor(expr), sp.simplify(expr)):
                if form.is_nonnegative:
                    return True
    except Timeout:
        return False
    return False
