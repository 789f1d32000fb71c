"""Building blocks for independent references: central finite differences.

>>> import numpy as np
>>> x = np.array([0.0, 0.5, 1.0])
>>> slope = central_difference(np.sin, x)  # sin′ = cos
>>> bool(np.all(np.abs(slope - np.cos(x)) < 1e-10))
True

The step is h = ε^(1/3)·max(1, |x|) for first derivatives (truncation O(h²) balances rounding
O(ε/h), about 1e-10 relative error), and ε^(1/4)·max(1, |x|) for second derivatives.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

EPS = float(np.finfo(float).eps)
H1 = EPS ** (1 / 3)
H2 = EPS ** (1 / 4)


def _step(x: np.ndarray, base: float) -> np.ndarray:
    return base * np.maximum(1.0, np.abs(x))


def central_difference(f: Callable[[np.ndarray], Any], x: np.ndarray) -> np.ndarray:
    """f′(x) ≈ (f(x + h) − f(x − h)) / 2h, elementwise over a batch of scalars."""
    x = np.asarray(x, dtype=float)
    h = _step(x, H1)
    return (np.asarray(f(x + h)) - np.asarray(f(x - h))) / (2 * h)


def partial_difference(
    f: Callable[..., Any], inputs: dict[str, np.ndarray], wrt: str
) -> np.ndarray:
    """∂f/∂(wrt) of a function of named scalar (batched) inputs, by central differences."""
    x = np.asarray(inputs[wrt], dtype=float)
    h = _step(x, H1)
    up = {**inputs, wrt: x + h}
    down = {**inputs, wrt: x - h}
    return (np.asarray(f(**up)) - np.asarray(f(**down))) / (2 * h)


def mixed_difference(
    f: Callable[..., Any], inputs: dict[str, np.ndarray], first: str, second: str
) -> np.ndarray:
    """∂²f/∂(first)∂(second) by the four-point central stencil."""
    x = np.asarray(inputs[first], dtype=float)
    y = np.asarray(inputs[second], dtype=float)
    hx, hy = _step(x, H2), _step(y, H2)

    def at(dx: np.ndarray, dy: np.ndarray) -> np.ndarray:
        return np.asarray(f(**{**inputs, first: x + dx, second: y + dy}))

    return (at(hx, hy) - at(hx, -hy) - at(-hx, hy) + at(-hx, -hy)) / (4 * hx * hy)


def gradient_difference(f: Callable[[np.ndarray], Any], x: np.ndarray) -> np.ndarray:
    """∇f(x) for f of a batch of vectors ``(..., n) -> (...)``, shaped like ``x``."""
    x = np.asarray(x, dtype=float)
    grad = np.empty_like(x)
    for k in range(x.shape[-1]):
        h = _step(x[..., k], H1)
        up, down = x.copy(), x.copy()
        up[..., k] += h
        down[..., k] -= h
        grad[..., k] = (np.asarray(f(up)) - np.asarray(f(down))) / (2 * h)
    return grad


def hessian_difference(f: Callable[[np.ndarray], Any], x: np.ndarray) -> np.ndarray:
    """The Hessian of f at a batch of vectors ``(..., n) -> (..., n, n)``."""
    x = np.asarray(x, dtype=float)
    n = x.shape[-1]
    out = np.empty((*x.shape, n))
    for i in range(n):
        for j in range(n):
            hi, hj = _step(x[..., i], H2), _step(x[..., j], H2)

            def at(
                si: float,
                sj: float,
                i: int = i,
                j: int = j,
                hi: np.ndarray = hi,
                hj: np.ndarray = hj,
            ) -> np.ndarray:
                y = x.copy()
                y[..., i] += si * hi
                y[..., j] += sj * hj
                return np.asarray(f(y))

            out[..., i, j] = (at(1, 1) - at(1, -1) - at(-1, 1) + at(-1, -1)) / (4 * hi * hj)
    return out
