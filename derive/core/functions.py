"""SymPy functions for ML activations, with their definitions and numerically stable NumPy twins.

>>> import sympy as sp
>>> z = sp.Symbol("z", real=True)
>>> expand_definitions(sigmoid(z))
1/(1 + exp(-z))
>>> float(stable_sigmoid(-1000.0))
0.0
>>> fold_definitions(1 / (1 + sp.exp(z)), sigmoid)
sigmoid(-z)

The functions deliberately have no derivative rule: a derivation must differentiate the
definition, so SymPy cannot hand back a formula we typed in.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import sympy as sp
from sympy.core.logic import fuzzy_and


def _applied(name: str, args: str, exp: Any = None) -> str:
    """LaTeX for a function applied to its arguments, raised to ``exp`` if the printer asks."""
    power = f"^{{{exp}}}" if exp is not None else ""
    return rf"{name}{power}\left({args}\right)"


class sigmoid(sp.Function):  # noqa: N801 - SymPy function names are lower case
    """The logistic function σ(z) = 1/(1 + e^{-z})."""

    is_commutative = True  # a scalar, even of a 1×1 matrix argument such as wᵀx

    nargs = 1

    def _eval_rewrite_as_exp(self, z: Any, **kwargs: Any) -> Any:
        return 1 / (1 + sp.exp(-z))

    def _eval_is_real(self) -> bool | None:
        return self.args[0].is_real

    def _latex(self, printer: Any, exp: Any = None) -> str:
        return _applied(r"\sigma", printer._print(self.args[0]), exp)


class softplus(sp.Function):  # noqa: N801
    """softplus(z) = log(1 + e^{z})."""

    is_commutative = True  # a scalar, even of a 1×1 matrix argument such as wᵀx

    nargs = 1

    def _eval_rewrite_as_exp(self, z: Any, **kwargs: Any) -> Any:
        return sp.log(1 + sp.exp(z))

    def _eval_is_real(self) -> bool | None:
        return self.args[0].is_real

    def _latex(self, printer: Any, exp: Any = None) -> str:
        return _applied(r"\operatorname{softplus}", printer._print(self.args[0]), exp)


class log_sigmoid(sp.Function):  # noqa: N801
    """log σ(z) = −log(1 + e^{−z}), the log-likelihood of a positive label."""

    is_commutative = True  # a scalar, even of a 1×1 matrix argument such as wᵀx

    nargs = 1

    def _eval_rewrite_as_exp(self, z: Any, **kwargs: Any) -> Any:
        return -sp.log(1 + sp.exp(-z))

    def _eval_is_real(self) -> bool | None:
        return self.args[0].is_real

    def _latex(self, printer: Any, exp: Any = None) -> str:
        base = _applied(r"\log\sigma", printer._print(self.args[0]))
        return base if exp is None else rf"\left({base}\right)^{{{exp}}}"


class logsumexp(sp.Function):  # noqa: N801
    """LSE(z₁, …, z_K) = log(e^{z₁} + … + e^{z_K}), the log of softmax's denominator."""

    is_commutative = True  # a scalar, even of a 1×1 matrix argument such as wᵀx

    def _eval_rewrite_as_exp(self, *z: Any, **kwargs: Any) -> Any:
        return sp.log(sp.Add(*(sp.exp(v) for v in z)))

    def _eval_is_real(self) -> bool | None:
        return fuzzy_and(a.is_real for a in self.args)

    def _latex(self, printer: Any, exp: Any = None) -> str:
        args = ", ".join(printer._print(a) for a in self.args)
        return _applied(r"\operatorname{LSE}", args, exp)


CUSTOM_FUNCTIONS: tuple[type[sp.Function], ...] = (sigmoid, softplus, log_sigmoid, logsumexp)


def expand_definitions(expr: Any) -> Any:
    """Replace every custom function by its definition in elementary functions."""
    mapping = {f: f.rewrite(sp.exp) for f in expr.atoms(*CUSTOM_FUNCTIONS)}
    while mapping:
        expr = expr.xreplace(mapping)
        mapping = {f: f.rewrite(sp.exp) for f in expr.atoms(*CUSTOM_FUNCTIONS)}
    return expr


def fold_definitions(expr: Any, *functions: type[sp.Function]) -> Any:
    """Recognise the definitions of one-argument custom functions in ``expr`` and fold them back.

    The inverse of :func:`expand_definitions`: ``1/(1 + e^{-w})`` becomes ``σ(w)`` for any ``w``.
    """
    w = sp.Wild("w")
    for function in functions:
        expr = expr.replace(function(w).rewrite(sp.exp), function(w))
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


def stable_log_sigmoid(z: Any) -> Any:
    """log σ(z) = min(z, 0) − log1p(e^{−|z|}), finite for every finite z."""
    z = np.asarray(z, dtype=float)
    return np.minimum(z, 0.0) - np.log1p(np.exp(-np.abs(z)))


def stable_logsumexp(*z: Any) -> Any:
    """log Σ e^{z_k} with the largest z_k shifted out first, so no exponential overflows."""
    stacked = np.stack(np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in z)), axis=-1)
    top = np.max(stacked, axis=-1)
    return top + np.log(np.sum(np.exp(stacked - top[..., None]), axis=-1))


# Names the lambdified twins resolve custom functions to.
NUMPY_FUNCTIONS: dict[str, Any] = {
    "sigmoid": stable_sigmoid,
    "softplus": stable_softplus,
    "log_sigmoid": stable_log_sigmoid,
    "logsumexp": stable_logsumexp,
}
