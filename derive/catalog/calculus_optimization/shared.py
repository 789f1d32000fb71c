"""Helpers shared by the calculus-and-optimisation builders: finite-difference references.

>>> import numpy as np
>>> ref = derivative_reference("np.sin", np.sin)
>>> round(float(ref(z=np.array(0.0))), 9)
1.0
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np
import sympy as sp

from derive.core.functions import expand_definitions, sigmoid
from derive.numeric.reference import central_difference
from derive.numeric.twin import Reference


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


_SUPERSCRIPTS = {"0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴"}


def inline(expr: Any) -> str:
    """A one-line Unicode form of a SymPy expression, for prose (interview answers).

    >>> import sympy as sp
    >>> x = sp.Symbol("x")
    >>> inline(2 * x**2 * sp.cos(sp.pi * x) - sp.sqrt(5))
    '2·x²·cos(π·x) − √5'
    """
    text = sp.sstr(expr)
    text = re.sub(
        r"\*\*(\d)\b",
        lambda m: _SUPERSCRIPTS.get(m.group(1), "^" + m.group(1)),
        text,
    )
    text = re.sub(r"sqrt\((\w+)\)", r"√\1", text)
    text = re.sub(r"\bpi\b", "π", text)
    text = re.sub(r"\bE\b", "e", text)
    return text.replace("**", "^").replace("*", "·").replace("-", "−")


def sigmoid_slope(z: Any) -> Any:
    """σ′(z) in terms of σ itself, σ(z)(1 − σ(z)), derived by SymPy from σ's definition.

    >>> import sympy as sp
    >>> sigmoid_slope(sp.Symbol("z", real=True))
    (1 - sigmoid(z))*sigmoid(z)
    """
    s, t, v = sp.symbols("s t v", positive=True)
    slope = sp.diff(expand_definitions(sigmoid(v)), v).subs(sp.exp(-v), t)  # t/(1 + t)²
    (t_of_s,) = sp.solve(sp.Eq(s, 1 / (1 + t)), t)  # σ = 1/(1 + t) ⇔ t = (1 − σ)/σ
    in_s = sp.simplify(slope.subs(t, t_of_s))
    return (s * sp.simplify(in_s / s)).subs(s, sigmoid(z))
