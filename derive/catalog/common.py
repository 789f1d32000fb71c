"""Small helpers shared by catalog builders: formatting computed values and seeded samplers.

>>> import sympy as sp
>>> fmt(sp.Matrix([[sp.Rational(3, 5), -sp.Rational(7, 10)]]))
'[[3/5, −7/10]]'
"""

from __future__ import annotations

from typing import Any

import numpy as np
import sympy as sp


def fmt(value: Any) -> str:
    """A compact human form of a SymPy number or matrix, with a real minus sign."""
    if isinstance(value, sp.MatrixBase):
        rows = ["[" + ", ".join(fmt(v) for v in row) + "]" for row in value.tolist()]
        return "[" + ", ".join(rows) + "]"
    text = sp.sstr(sp.nsimplify(value) if isinstance(value, float) else value)
    return text.replace("**", "^").replace("-", "−")


def decimal(value: Any, digits: int = 4) -> str:
    """A rounded decimal form of an exact value.

    >>> decimal(sp.erf(sp.sqrt(2) / 2)), decimal(-sp.Rational(1, 3), 2)
    ('0.6827', '−0.33')

    A value that does not evaluate to a number is a TypeError that shows it (SymPy's own
    says only "Cannot convert expression to float").
    """
    try:
        number = float(value)
    except TypeError as error:
        shown = str(value)
        shown = shown if len(shown) <= 200 else shown[:200] + "…"
        raise TypeError(f"{error}: {shown}") from None
    return f"{number:.{digits}g}".replace("-", "−")


def random_matrices(
    rng: np.random.Generator, size: int, n: int, *, max_cond: float = 1e3
) -> np.ndarray:
    """``size`` random n×n matrices with condition number at most ``max_cond``."""
    out = rng.normal(size=(size, n, n))
    bad = np.linalg.cond(out) > max_cond
    while bad.any():
        out[bad] = rng.normal(size=(int(bad.sum()), n, n))
        bad = np.linalg.cond(out) > max_cond
    return out


def random_spd(rng: np.random.Generator, size: int, n: int) -> np.ndarray:
    """``size`` random symmetric positive definite n×n matrices."""
    B = rng.normal(size=(size, n, n))
    return B @ np.swapaxes(B, -1, -2) + n * np.eye(n)
