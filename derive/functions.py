"""SymPy functions for ML activations, with their definitions and numerically stable NumPy twins.

>>> import sympy as sp
>>> z = sp.Symbol("z", real=True)
>>> expand_definitions(sigmoid(z))
1/(1 + exp(-z))
>>> float(stable_sigmoid(-1000.0))
0.0

The functions deliberately have no derivative rule: a derivation must differentiate the
definition, so SymPy cannot hand back a formula we typed in.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import sympy as sp


class sigmoid(sp.Function):  # noqa: N801 - SymPy function names are lower case
    """The logistic function σ(z) = 1/(1 + e^{-z})."""

    nargs = 1

    def _eval_rewrite_as_exp(self, z: Any, **kwargs: Any) -> Any:
        return 1 / (1 + sp.exp(-z))

    def _eval_is_real(self) -> bool | None:
        return self.args[0].is_real

    def _latex(self, printer: Any) -> str:
        return rf"\sigma\left({printer._print(self.args[0])}\right)"


class softplus(sp.Function):  # noqa: N801
    """softplus(z) = log(1 + e^{z})."""

    nargs = 1

    def _eval_rewrite_as_exp(self, z: Any, **kwargs: Any) -> Any:
        return sp.log(1 + sp.exp(z))

    def _eval_is_real(self) -> bool | None:
        return self.args[0].is_real

    def _latex(self, printer: Any) -> str:
        return rf"\operatorname{{softplus}}\left({printer._print(self.args[0])}\right)"


CUSTOM_FUNCTIONS: tuple[type[sp.Function], ...] = (sigmoid, softplus)


def expand_definitions(expr: Any) -> Any:
    """Replace every custom function by its definition in elementary functions."""
    mapping = {f: f.rewrite(sp.exp) for f in expr.atoms(*CUSTOM_FUNCTIONS)}
    while mapping:
        expr = expr.xreplace(mapping)
        mapping = {f: f.rewrite(sp.exp) for f in expr.atoms(*CUSTOM_FUNCTIONS)}
    return expr


def stable_sigmoid(z: Any) -> Any:
    """σ(z) without overflow: e^{-|z|} never exceeds 1."""
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def stable_softplus(z: Any) -> Any:
    """log(1 + e^z) = max(z, 0) + log1p(e^{-|z|}), finite for every finite z."""
    z = np.asarray(z, dtype=float)
    return np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))


# Names the lambdified twins resolve custom functions to.
NUMPY_FUNCTIONS: dict[str, Any] = {"sigmoid": stable_sigmoid, "softplus": stable_softplus}
