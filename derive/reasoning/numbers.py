"""Exact values at a sample point, evaluated under the precision policy (``precision``).

>>> number(sp.sqrt(2)) == sp.N(sp.sqrt(2), DIGITS)
True
>>> to_number(1 / sp.Integer(0)) is None
True

Two ways to resolve a value that seems to refute a claim, one per caller, both reading the
policy's digits: the verifier's :func:`settled` (re-evaluate at doubling precision until two
evaluations agree) and the checker's :func:`equal_at_point` (evaluate the difference strictly,
with as many digits as its largest term needs).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sympy as sp
from sympy.core.evalf import PrecisionExhausted

from derive.reasoning.precision import (
    DIGITS,
    IMAGINARY,
    MAX_DIGITS,
    MAX_DIGITS_EVER,
    SETTLE_DIGITS,
    TOLERANCE,
    allowance,
    within,
)


class Undefined(Exception):
    """The expression has no finite value at this sample point."""


def _unusable(value: Any) -> bool:
    return bool(value.has(sp.zoo, sp.oo, -sp.oo, sp.nan)) or not value.is_number


def number(value: Any) -> Any:
    """A ``DIGITS``-digit number, or raise :class:`Undefined` for infinities, NaN and
    unevaluated leftovers."""
    evaluated = sp.N(value, DIGITS)
    if _unusable(evaluated):
        raise Undefined
    return evaluated


def settled(value: Any) -> Any:
    """``value`` at doubling precision until two successive evaluations agree (relatively:
    wrong values are often tiny, 1e-392 then 1e-285), else :class:`Undefined`.

    >>> settled(sp.Rational(1, 3)) == sp.N(sp.Rational(1, 3), DIGITS)
    True
    """
    digits = DIGITS
    previous = number(value)
    while digits < SETTLE_DIGITS:
        digits *= 2
        current = sp.N(value, digits, maxn=4 * digits)
        if _unusable(current):
            raise Undefined
        if abs(current - previous) <= TOLERANCE * max(abs(current), abs(previous)):
            return sp.N(current, DIGITS)
        previous = current
    raise Undefined


def confirmed(a: Any, b: Any, pair: tuple[Any, Any], subs: Mapping[Any, Any]) -> tuple[Any, Any]:
    """Two values of ``pair`` evaluated at ``subs`` as they are if they agree, else both
    :func:`settled` (so that only a difference that survives more digits can refute)."""
    if within(a, b):
        return a, b
    return settled(pair[0].xreplace(subs)), settled(pair[1].xreplace(subs))


def approximate(entry: Any) -> tuple[Any, bool]:
    """A ``DIGITS``-digit value (an exact rational stays exact) and whether all its digits are
    right; None if the entry is undefined or not real. Cancellation that SymPy cannot resolve
    within its default working precision gives an imprecise value (then differences are
    evaluated, see :func:`equal_at_point`).

    >>> approximate(sp.Rational(1, 3))
    (1/3, True)
    """
    if isinstance(entry, sp.Rational):
        return entry, True
    if entry.has(sp.zoo, sp.oo, -sp.oo, sp.nan):
        return None, True
    try:
        value, precise = sp.N(entry, DIGITS, strict=True), True
    except PrecisionExhausted:
        value, precise = sp.N(entry, DIGITS), False
    if not value.is_number:
        raise RuntimeError(f"a value with free symbols: {value}")
    if value.has(sp.zoo, sp.oo, -sp.oo, sp.nan):
        return None, True
    real, imaginary = value.as_real_imag()
    if imaginary != 0 and abs(imaginary) > IMAGINARY * (1 + abs(real)):
        return None, True
    if not real.is_finite:
        return None, True
    result = real if isinstance(real, (sp.Rational, sp.Float)) else sp.Float(real, DIGITS)
    return result, precise


def to_number(entry: Any) -> Any:
    """An exact rational, a ``DIGITS``-digit real float, or None (undefined or not real)."""
    return approximate(entry)[0]


def equal_at_point(x: Any, y: Any, approx_x: Any, approx_y: Any, precise: bool = False) -> bool:
    """Whether two exact numbers agree: exactly for rationals; to the tolerance when both
    evaluated values are ``precise``; otherwise their difference is evaluated strictly (so
    cancellation is detected) with up to ``MAX_DIGITS`` digits (more if a term is huge, up to
    ``MAX_DIGITS_EVER``), and a difference that cannot be told from zero that way counts as
    zero.

    >>> big = sp.cosh(sp.Integer(3900)) ** 2 - sp.sinh(sp.Integer(3900)) ** 2  # exactly 1
    >>> equal_at_point(big, sp.Integer(1), sp.N(big, DIGITS), sp.Integer(1))
    True
    """
    if isinstance(x, sp.Rational) and isinstance(y, sp.Rational):
        return bool(x == y)
    if x == y:
        return True
    if precise:
        return within(approx_x, approx_y)
    # the sides' own sizes: an imprecise value may be garbage (0.e+3228)
    scale = allowance(_magnitude(x), _magnitude(y))
    difference = x - y
    if isinstance(difference, sp.Rational):
        return bool(abs(difference) <= scale)
    try:
        value = sp.N(difference, 30, strict=True)
    except PrecisionExhausted:
        try:
            value = sp.N(difference, 30, strict=True, maxn=_digits_needed(difference))
        except PrecisionExhausted:
            return True
    real, imaginary = value.as_real_imag()
    return bool(abs(real) <= scale and abs(imaginary) <= scale)


def _magnitude(value: Any) -> Any:
    """|value| to 15 digits, resolving cancellation (0 if it cannot be told from 0)."""
    try:
        return abs(sp.N(value, 15, strict=True, maxn=_digits_needed(value)))
    except PrecisionExhausted:
        return sp.Integer(0)


def _digits_needed(difference: Any) -> int:
    """Working digits to resolve a difference: enough for its largest term (cosh(3900)² has
    3,388 digits), at least ``MAX_DIGITS`` and at most ``MAX_DIGITS_EVER``."""
    largest = 0
    for term in sp.Add.make_args(difference):
        try:
            size = sp.N(abs(term), 5)
            if size.is_Float and size > 1:
                largest = max(largest, int(sp.log(size, 10).evalf(5)) + 1)
        except (TypeError, ValueError, ArithmeticError):
            continue
    return min(MAX_DIGITS_EVER, max(MAX_DIGITS, largest + 100))
