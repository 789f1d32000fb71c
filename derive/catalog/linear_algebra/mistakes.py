"""Writing down wrong formulas that SymPy would refuse to build (shape mistakes).

>>> import sympy as sp
>>> n, p = sp.symbols("n p", integer=True, positive=True)
>>> X = sp.MatrixSymbol("X", n, p)
>>> unchecked_product(X, X).shape  # X·X does not fit for n ≠ p, but can be recorded
(n, p)

The verifier refutes such a formula on its shape alone (``Context.equal`` compares shapes at
the derivation's sizes before evaluating anything).
"""

from __future__ import annotations

import sympy as sp


def unchecked_product(*factors: sp.Basic) -> sp.Basic:
    """A matrix product whose factors need not fit."""
    return sp.Basic.__new__(sp.MatMul, *factors)
