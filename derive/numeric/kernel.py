"""What the compiled backends share: a kernel's type and an inner-first tree rewrite.

>>> import sympy as sp
>>> x = sp.Symbol("x")
>>> inner_first(sp.sin(sp.cos(x)), [sp.cos(x), sp.sin(sp.cos(x))], lambda n: n.func(n.args[0] + 1))
sin(cos(x + 1) + 1)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np

Kernel = Callable[[np.ndarray], np.ndarray]
# inputs as several (rows, width) arrays, read in place
PartsKernel = Callable[[Sequence[np.ndarray]], np.ndarray]
# outputs but the last, and whether the last is nonzero in any row
FlaggedKernel = Callable[[np.ndarray], tuple[np.ndarray, bool]]


def inner_first(expr: Any, nodes: Iterable[Any], rewrite: Callable[[Any], Any]) -> Any:
    """``expr`` with each of ``nodes`` (subexpressions of it) replaced by ``rewrite`` of it,
    inner ones first, so that a node is rewritten with its inner nodes already rewritten."""
    mapping: dict[Any, Any] = {}
    for node in sorted(nodes, key=lambda n: len(str(n))):
        mapping[node] = rewrite(node.xreplace(mapping) if mapping else node)
    return expr.xreplace(mapping) if mapping else expr
