"""The precision policy: the digits values are computed with, and when two values agree.

>>> close(sp.Rational(1, 3), sp.Rational(1, 3) + sp.Rational(1, 10**40))
False
>>> close(sp.Float(1, DIGITS) / 3, sp.Rational(1, 3))
True

Sample values are exact rationals, so sides that only use arithmetic are compared exactly;
anything else is evaluated to ``DIGITS`` significant digits and two values agree when they
differ by at most ``TOLERANCE`` relative to their size (``1 + |a| + |b|``). A value that seems
to disagree is re-evaluated at more digits before it may refute a claim: the verifier doubles
the precision up to ``SETTLE_DIGITS``; the checker evaluates the difference strictly with up to
``MAX_DIGITS`` (``MAX_DIGITS_EVER`` for sides with huge terms). Both engines read these numbers
from here and nowhere else.
"""

from __future__ import annotations

from typing import Any

import sympy as sp

DIGITS = 50  # significant digits of every evaluated value
TOLERANCE = sp.Float("1e-30", DIGITS)  # relative difference still counted as agreement
IMAGINARY = sp.Float("1e-40", DIGITS)  # a relative imaginary part below this is rounding
# evalf can return a confidently wrong value when a cancellation is nested inside a larger
# expression: at z = 3900 (a sampled magnitude) (1 − σ(z))·((1 − y)/(1 − σ(z)) − …) came out
# as 1e-1509 instead of 1/8 at 50, 100, ... 400 digits. So a value that would refute a claim
# is first re-evaluated at doubling precision until two successive values agree.
SETTLE_DIGITS = 6400
MAX_DIGITS = 1000  # working precision a difference may need before it counts as zero
MAX_DIGITS_EVER = 20000  # ... raised to fit the size of its largest term, up to this


def allowance(*values: Any) -> Any:
    """The largest difference still counted as agreement between values of these sizes.

    >>> allowance(sp.Integer(1), sp.Integer(-1)) == 3 * TOLERANCE
    True
    """
    return TOLERANCE * (1 + sum(abs(v) for v in values))


def within(a: Any, b: Any) -> bool:
    """Whether two evaluated numbers agree to the tolerance (no exact case).

    >>> within(sp.Float("0.1", DIGITS), sp.Float("0.1000001", DIGITS))
    False
    """
    return bool(abs(a - b) <= allowance(a, b))


def close(a: Any, b: Any) -> bool:
    """Equal: exactly for two rationals, to the tolerance otherwise."""
    if isinstance(a, sp.Rational) and isinstance(b, sp.Rational):
        return bool(a == b)
    return within(a, b)
