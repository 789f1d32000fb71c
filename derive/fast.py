"""The fast path for numeric twins: SymEngine's LLVM compiler, with NumPy as the fallback.

>>> import numpy as np
>>> import sympy as sp
>>> x, y = sp.symbols("x y", real=True)
>>> kernel = compile_kernel((x, y), [x * y, sp.Max(x, y)])
>>> kernel is None or kernel(np.array([[2.0, 3.0], [-1.0, 4.0]])).tolist() == [[6, 3], [-4, 4]]
True

A kernel is the verified SymPy expression itself, converted to SymEngine (which keeps
``UnevaluatedExpr`` units such as the scaled entries of ``derive.catalog.linear_algebra.stable``)
and compiled to machine code by LLVM with common subexpressions eliminated. It evaluates a
``(rows, inputs)`` array row by row into ``(rows, outputs)``: no temporary arrays, one pass over
memory. Code generation costs 20 ms to 1 s, so each kernel is compiled once per process.

Which backend evaluates twins is ``$DERIVE_BACKEND``: ``auto`` (the default: SymEngine when it
is installed and can compile the expression, NumPy otherwise), ``symengine`` (the same, but an
error if SymEngine is not installed) or ``numpy`` (always the NumPy fallback). Both give the
same answers to rounding; tests/test_fast.py checks it for every twin in the catalog.
"""

from __future__ import annotations

import functools
import importlib.util
import os
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import sympy as sp

BACKENDS = ("auto", "symengine", "numpy")
LARGEST = float(np.finfo(float).max)  # |x| <= LARGEST: x is finite (false for inf and NaN)
Kernel = Callable[[np.ndarray], np.ndarray]


def backend() -> str:
    """The backend asked for by ``$DERIVE_BACKEND`` (``auto`` if unset)."""
    name = os.environ.get("DERIVE_BACKEND", "auto").strip().lower() or "auto"
    if name not in BACKENDS:
        raise ValueError(f"DERIVE_BACKEND must be one of {', '.join(BACKENDS)}, not {name!r}")
    if name == "symengine" and not have_symengine():
        raise ValueError("DERIVE_BACKEND=symengine, but SymEngine (with LLVM) is not installed")
    return name


@functools.cache
def have_symengine() -> bool:
    """Whether SymEngine is importable and was built with LLVM."""
    if importlib.util.find_spec("symengine") is None:
        return False
    import symengine

    return bool(getattr(symengine, "have_llvm", False))


def _balanced(expr: Any) -> Any:
    """A SymEngine expression with each Max and Min of many terms as a tree of pairs: the
    same value exactly (a maximum rounds nothing), but a dependency chain of depth log₂ n
    instead of n for the processor. Each pair is kept whole (SymEngine would flatten it)."""
    import symengine as se

    def pairwise(args: Sequence[Any], op: Any) -> Any:
        level = list(args)
        while len(level) > 1:
            odd = zip(level[::2], level[1::2], strict=False)
            pairs = [se.UnevaluatedExpr(op(x, y)) for x, y in odd]
            level = pairs + level[len(pairs) * 2 :]
        return level[0]

    long = [e for e in expr.atoms(se.Max, se.Min) if len(e.args) > 2]
    mapping = {e: pairwise(e.args, se.Max if isinstance(e, se.Max) else se.Min) for e in long}
    return expr.xreplace(mapping) if mapping else expr


def _with_default(expr: Any) -> Any:
    """Piecewise branches completed with ``(nan, True)``, as NumPy's ``select`` default is."""
    pieces = list(expr.atoms(sp.Piecewise))
    if not pieces:
        return expr
    mapping = {}
    for piece in pieces:
        if piece.args[-1].cond != sp.true:
            mapping[piece] = sp.Piecewise(*piece.args, (sp.nan, True))
    return expr.xreplace(mapping) if mapping else expr


@functools.cache
def _compile(
    symbols: tuple[Any, ...], outputs: tuple[Any, ...], where: Any, finite: tuple[Any, ...]
) -> Kernel | None:
    import symengine as se

    try:
        converted = [_balanced(se.sympify(_with_default(o))) for o in outputs]
        if where is not None or finite:
            inside = se.And(
                se.true if where is None else _balanced(se.sympify(where)),
                *(se.Le(se.Abs(se.sympify(x)), LARGEST) for x in finite),
            )
            converted = [se.Piecewise((o, inside), (se.nan, True)) for o in converted]
        kernel = se.Lambdify(
            [se.sympify(s) for s in symbols], converted, backend="llvm", cse=True, real=True
        )
    except (RuntimeError, TypeError, ValueError, NotImplementedError, AttributeError):
        # something the converter or the LLVM backend does not handle: a function it does not
        # know (sigmoid, binomial, Mod, ...) is a RuntimeError when compiling
        return None
    return kernel


def compile_kernel(
    symbols: Sequence[Any],
    outputs: Sequence[Any],
    where: Any = None,
    finite: Sequence[Any] = (),
) -> Kernel | None:
    """A compiled ``(rows, len(symbols)) -> (rows, len(outputs))`` evaluator of real SymPy
    expressions, or None when SymEngine is not installed or cannot compile them.

    Every output of a row is NaN where the condition ``where`` is false or one of the
    symbols in ``finite`` is infinite or NaN.
    """
    if not have_symengine():
        return None
    if any(not isinstance(o, sp.Expr) or o.has(sp.I) for o in outputs):
        return None  # booleans and complex numbers: the LLVM kernels are real
    return _compile(tuple(symbols), tuple(outputs), where, tuple(finite))
