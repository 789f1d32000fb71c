"""Steps by their relation, for catalog builders: ``identity(lhs, rhs, why)`` rather than
``Step(lhs=lhs, rhs=rhs, rel=Rel.IDENTITY, why=why)``, and the three steps that solve a
stationarity condition made by one call.

>>> import sympy as sp
>>> x = sp.Symbol("x", real=True)
>>> step = identity(sp.Derivative(x**2, x), 2 * x, "The power rule.")
>>> step.rel.value, step.rhs
('identity', 2*x)
>>> [s.rel.value for s in stationary(2 * x - 4, x - 2, sp.Rational(1, 2), x, 2, ("", "", ""))]
['given', 'iff', 'implies']

A step that continues a chain (``= rhs``) stays ``Step(rhs=..., why=...)``.
"""

from __future__ import annotations

from typing import Any

from derive.core.model import Rel, Step


def given(lhs: Any, rhs: Any, why: str) -> Step:
    """A definition or hypothesis ``lhs = rhs``: stated, not derived."""
    return Step(lhs=lhs, rhs=rhs, rel=Rel.GIVEN, why=why)


def identity(lhs: Any, rhs: Any, why: str) -> Step:
    """``lhs = rhs`` holds on its own."""
    return Step(lhs=lhs, rhs=rhs, rel=Rel.IDENTITY, why=why)


def implies(lhs: Any, rhs: Any, why: str) -> Step:
    """The unknowns ``lhs`` equal ``rhs``, a solution of the previous equation."""
    return Step(lhs=lhs, rhs=rhs, rel=Rel.IMPLIES, why=why)


def iff(lhs: Any, by: Any, why: str) -> Step:
    """``lhs = 0`` is the previous equation ``… = 0`` multiplied by the invertible ``by``."""
    return Step(lhs=lhs, rhs=0, rel=Rel.IFF, by=by, why=why)


def ge(lhs: Any, rhs: Any, why: str) -> Step:
    """``lhs ≥ rhs`` for every admissible value."""
    return Step(lhs=lhs, rhs=rhs, rel=Rel.GE, why=why)


def le(lhs: Any, rhs: Any, why: str) -> Step:
    """``lhs ≤ rhs`` for every admissible value."""
    return Step(lhs=lhs, rhs=rhs, rel=Rel.LE, why=why)


def ne(lhs: Any, rhs: Any, why: str) -> Step:
    """``lhs`` and ``rhs`` differ for some admissible value."""
    return Step(lhs=lhs, rhs=rhs, rel=Rel.NE, why=why)


def stationary(
    slope: Any, cleared: Any, by: Any, unknown: Any, solution: Any, why: tuple[str, str, str]
) -> tuple[Step, Step, Step]:
    """Set ``slope`` to zero, clear it to ``cleared = 0`` (``cleared = by·slope``), and solve
    for ``unknown``; ``why`` gives the three justifications."""
    return (
        given(slope, 0, why[0]),
        iff(cleared, by, why[1]),
        implies(unknown, solution, why[2]),
    )
