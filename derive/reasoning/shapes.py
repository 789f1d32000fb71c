"""Shapes of the values the verifier compares: flattening, realised shapes, their names.

>>> import sympy as sp
>>> describe(shape_of(sp.Matrix([[1, 2, 3]]))), describe(shape_of(sp.Integer(1)))
('1×3', 'scalar')
>>> flatten((sp.Matrix([1, 2]), 3))
[1, 2, 3]
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sympy as sp

from derive.numeric.realise import as_scalar


def flatten(value: Any) -> list[Any]:
    """The scalar entries of a value, a matrix or a (nested) tuple of them, in order."""
    value = as_scalar(value)
    if isinstance(value, sp.MatrixBase):
        return list(value)
    if isinstance(value, (sp.Tuple, tuple, list)):
        return [e for v in value for e in flatten(v)]
    return [value]


def shape_of(value: Any) -> tuple[int, int] | None:
    """The shape of an explicit matrix, None for a scalar (a 1×1 matrix is a scalar)."""
    value = as_scalar(value)
    return tuple(value.shape) if isinstance(value, sp.MatrixBase) else None


def sized_shape(value: Any, sizes: Mapping[Any, int]) -> tuple[Any, Any] | None:
    """The shape of a matrix expression at these sizes (None for a scalar or a 1×1 matrix),
    read off without rebuilding the expression."""
    if not getattr(value, "is_Matrix", False):
        return None
    rows, cols = (sp.sympify(sp.sympify(d).xreplace(dict(sizes))) for d in value.shape)
    return None if (rows, cols) == (1, 1) else (rows, cols)


def as_ints(shape: tuple[Any, Any] | None) -> tuple[int, int] | None:
    """A shape of SymPy integers as Python ints."""
    return None if shape is None else (int(shape[0]), int(shape[1]))


def describe(shape: tuple[int, int] | None) -> str:
    """``scalar`` or ``rows×cols``."""
    return "scalar" if shape is None else f"{shape[0]}×{shape[1]}"
