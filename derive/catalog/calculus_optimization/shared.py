"""Helpers shared by the calculus-and-optimisation builders: finite-difference references.

>>> import numpy as np
>>> ref = derivative_reference("np.sin", np.sin)
>>> round(float(ref(z=np.array(0.0))), 9)
1.0
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import sympy as sp

from derive.reference import central_difference
from derive.twin import Reference


def derivative_reference(name: str, f: Callable[[np.ndarray], Any], arg: str = "z") -> Reference:
    """f′ by central differences of an independent NumPy/SciPy implementation of f."""

    def fn(**inputs: np.ndarray) -> np.ndarray:
        return central_difference(f, inputs[arg])

    return Reference(f"central differences of {name}", fn, kind="finite differences")


def product(*factors: Any) -> Any:
    """A product shown factor by factor (the chain rule's outer × inner), evaluated on checking.

    >>> import sympy as sp
    >>> z = sp.Symbol("z")
    >>> product(1 / (1 + sp.exp(z)), sp.exp(z)).doit()
    exp(z)/(exp(z) + 1)
    """
    return sp.Mul(*(sp.UnevaluatedExpr(f) for f in factors), evaluate=False)
