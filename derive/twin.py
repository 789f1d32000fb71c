"""Numeric twins: a derivation's result lambdified into a vectorised NumPy function.

>>> import numpy as np
>>> from derive.catalog import get
>>> inverse = get("inverse-2x2").twins[0]
>>> inverse(A=np.array([[4.0, 7.0], [2.0, 6.0]])).round(2).tolist()
[[0.6, -0.7], [-0.2, 0.4]]

Conventions (NumPy's): inputs and outputs carry leading batch axes. A scalar is ``(...)``, a
column vector ``(..., n)``, a matrix ``(..., m, n)``; several results (a FiniteSet or Tuple)
come back stacked as ``(..., k)``. Batch axes broadcast against each other.

NaN policy: where an input is outside the twin's domain (``valid`` is false, e.g. a singular
matrix) the output is NaN; floating-point warnings are silenced there. Wrong input names or
shapes raise ``ValueError`` with a one-line message.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp
from sympy.printing.numpy import NumPyPrinter

from derive.functions import NUMPY_FUNCTIONS
from derive.model import Formula
from derive.realise import explicit_value

Sampler = Callable[[np.random.Generator, int], dict[str, np.ndarray]]


@dataclass(frozen=True)
class Arg:
    """One named input of a twin: a scalar Symbol, an explicit Matrix of symbols, or a
    MatrixSymbol (any size, evaluated with matrix operations)."""

    name: str
    value: Any

    @property
    def shape(self) -> tuple[int, ...] | None:
        """The trailing NumPy shape, or None when it is only known at call time."""
        if isinstance(self.value, sp.MatrixSymbol):
            rows, cols = self.value.shape
            if not (rows.is_Integer and cols.is_Integer):
                return None
            return (int(rows),) if cols == 1 else (int(rows), int(cols))
        if isinstance(self.value, sp.MatrixBase):
            rows, cols = self.value.shape
            return (rows,) if cols == 1 else (rows, cols)
        return ()

    def describe(self) -> str:
        """``A (..., 2, 2)`` style description for error messages."""
        shape = self.shape
        if shape is None:
            kind = "vector" if self.value.shape[1] == 1 else "matrix"
            return f"{self.name} (a {kind} of any size)"
        dims = ", ".join(["..."] + [str(s) for s in shape])
        return f"{self.name} ({dims})"


@dataclass(frozen=True)
class Reference:
    """An independent implementation the twin is checked against (same keyword inputs)."""

    name: str
    fn: Callable[..., Any]
    kind: str = "library"  # library | finite differences | simulation | enumeration | loop
    batched: bool = True  # False: called once per sample and stacked

    def __call__(self, **inputs: np.ndarray) -> np.ndarray:
        """Evaluate on inputs whose first axis is the batch (or unbatched, if ``batched``)."""
        if self.batched:
            return np.asarray(self.fn(**inputs))
        size = len(next(iter(inputs.values())))
        outs = [np.asarray(self.fn(**{k: v[i] for k, v in inputs.items()})) for i in range(size)]
        return np.stack(outs) if outs else np.empty((0,))


class BatchPrinter(NumPyPrinter):
    """NumPy code for matrix expressions over stacks of matrices (``(..., m, n)`` arrays).

    Scalars inside matrix expressions are carried as ``(..., 1, 1)`` arrays.
    """

    def _print_MatMul(self, expr: Any) -> str:
        coeff, matrices = expr.as_coeff_matrices()
        code = functools.reduce(
            lambda a, b: f"numpy.matmul({a}, {b})", (self._print(m) for m in matrices)
        )
        return code if coeff == 1 else f"({self._print(coeff)})*{code}"

    def _print_Transpose(self, expr: Any) -> str:
        return f"numpy.swapaxes({self._print(expr.arg)}, -1, -2)"

    def _print_Inverse(self, expr: Any) -> str:
        return f"numpy.linalg.inv({self._print(expr.arg)})"

    def _print_MatPow(self, expr: Any) -> str:
        return f"numpy.linalg.matrix_power({self._print(expr.base)}, {self._print(expr.exp)})"

    def _print_Determinant(self, expr: Any) -> str:
        return f"numpy.linalg.det({self._print(expr.arg)})[..., None, None]"

    def _print_Trace(self, expr: Any) -> str:
        return f"numpy.trace({self._print(expr.arg)}, axis1=-2, axis2=-1)[..., None, None]"

    def _print_MatrixElement(self, expr: Any) -> str:
        i, j = int(expr.i), int(expr.j)
        return f"({self._print(expr.parent)})[..., {i}:{i + 1}, {j}:{j + 1}]"

    def _print_HadamardProduct(self, expr: Any) -> str:
        return "*".join(f"({self._print(a)})" for a in expr.args)

    def _print_ElementwiseApplyFunction(self, expr: Any) -> str:
        (variable,) = expr.function.variables
        body = self._print(expr.function.expr)
        return f"(lambda {self._print(variable)}: {body})({self._print(expr.expr)})"

    # Sizes may be symbols (n); the twin passes their values, read off its inputs, at call time.
    def _print_Identity(self, expr: Any) -> str:
        return f"numpy.eye({self._print(expr.rows)})"

    def _print_OneMatrix(self, expr: Any) -> str:
        return f"numpy.ones(({self._print(expr.rows)}, {self._print(expr.cols)}))"

    def _print_ZeroMatrix(self, expr: Any) -> str:
        return f"numpy.zeros(({self._print(expr.rows)}, {self._print(expr.cols)}))"


@dataclass(frozen=True)
class Twin:
    """The numeric twin of one result, with its independent reference and sampler."""

    name: str
    formula: Formula
    args: tuple[Arg, ...]
    reference: Reference
    sample: Sampler
    domain: str = "all real inputs"
    valid: Callable[..., np.ndarray] | None = None
    rtol: float = 1e-9
    atol: float = 1e-12
    complex_sqrt: bool = False  # sqrt of a negative number gives a complex result, not NaN

    @property
    def expr(self) -> Any:
        """The SymPy expression this twin evaluates."""
        return self.formula.rhs

    @property
    def matrix_mode(self) -> bool:
        """Whether any input is a matrix symbol of free size (evaluated with matrix algebra)."""
        return any(isinstance(a.value, sp.MatrixSymbol) for a in self.args)

    def __call__(self, **inputs: Any) -> np.ndarray:
        """Evaluate on batched NumPy inputs; NaN where ``valid`` says the input is outside."""
        names = [a.name for a in self.args]
        missing = [n for n in names if n not in inputs]
        extra = [n for n in inputs if n not in names]
        if missing or extra:
            wanted = ", ".join(a.describe() for a in self.args)
            problem = f"missing {missing}" if missing else f"unexpected {extra}"
            raise ValueError(f"twin {self.name!r}: {problem}; it takes {wanted}")
        arrays = {a.name: _as_array(a, inputs[a.name], self.name) for a in self.args}
        batch = _broadcast_batch(self, arrays)
        with np.errstate(all="ignore"):
            out = _compiled(self).fn(arrays, batch)
            if self.valid is not None:
                mask = np.broadcast_to(np.asarray(self.valid(**arrays), dtype=bool), batch)
                if not mask.all():
                    out = np.array(out, dtype=np.result_type(out, float), copy=True)
                    out[~mask] = np.nan
        return out

    def source(self) -> str:
        """The generated NumPy source of the twin (for display)."""
        return _compiled(self).source

    def function(self) -> Callable[..., Any]:
        """The lambdified function the twin calls, whose source is ``source()``.

        Its parameters are the entry symbols of explicit matrix inputs (or the free-size
        matrices themselves); e.g. latexify-py renders it to show that code and formula agree.
        """
        return _compiled(self).function


def _as_array(arg: Arg, value: Any, twin: str) -> np.ndarray:
    array = np.asarray(value, dtype=float) if not np.iscomplexobj(value) else np.asarray(value)
    shape = arg.shape
    if shape is None:
        need = 1 if arg.value.shape[1] == 1 else 2
        if array.ndim < need:
            raise ValueError(
                f"twin {twin!r}: {arg.name} needs at least {need} axes, got shape {array.shape}"
            )
        return array
    if array.shape[array.ndim - len(shape) :] != shape or array.ndim < len(shape):
        raise ValueError(
            f"twin {twin!r}: {arg.name} must have shape {arg.describe()[len(arg.name) + 1 :]}"
            f", got {array.shape}"
        )
    return array


def _broadcast_batch(twin: Twin, arrays: dict[str, np.ndarray]) -> tuple[int, ...]:
    batches = []
    for arg in twin.args:
        array = arrays[arg.name]
        core = arg.shape
        trailing = (1 if arg.value.shape[1] == 1 else 2) if core is None else len(core)
        batches.append(array.shape[: array.ndim - trailing])
    try:
        return tuple(np.broadcast_shapes(*batches))
    except ValueError:
        raise ValueError(f"twin {twin.name!r}: batch shapes {batches} do not broadcast") from None


@dataclass(frozen=True)
class _Compiled:
    fn: Callable[[dict[str, np.ndarray], tuple[int, ...]], np.ndarray]
    source: str
    function: Callable[..., Any]


def _outputs(expr: Any) -> tuple[list[Any], tuple[int, ...]]:
    """The scalar outputs of an explicit expression and the NumPy shape they form."""
    if isinstance(expr, (sp.FiniteSet, sp.Tuple, tuple, list)):
        items = list(expr.args if isinstance(expr, (sp.FiniteSet, sp.Tuple)) else expr)
        return items, (len(items),)
    if isinstance(expr, sp.MatrixBase):
        rows, cols = expr.shape
        return list(expr), ((rows,) if cols == 1 else (rows, cols))
    return [expr], ()


def _modules(twin: Twin) -> list[Any]:
    functions = dict(NUMPY_FUNCTIONS)
    if twin.complex_sqrt:
        functions["sqrt"] = np.emath.sqrt
    # scipy for the special functions NumPy lacks (erf, gamma for binomial coefficients, …)
    return [functions, "scipy", "numpy"]


@functools.cache
def _compiled(twin: Twin) -> _Compiled:
    if twin.matrix_mode:
        return _compile_matrix(twin)
    return _compile_explicit(twin)


def _compile_explicit(twin: Twin) -> _Compiled:
    symbols: list[Any] = []
    unpack: list[tuple[str, tuple[Any, ...]]] = []
    for arg in twin.args:
        if isinstance(arg.value, sp.MatrixBase):
            rows, cols = arg.value.shape
            for i in range(rows):
                for j in range(cols):
                    entry = arg.value[i, j]
                    if entry.is_Symbol and entry not in symbols:
                        symbols.append(entry)
                        unpack.append((arg.name, (..., i) if cols == 1 else (..., i, j)))
        else:
            symbols.append(arg.value)
            unpack.append((arg.name, (...,)))
    expr = twin.expr
    if isinstance(expr, sp.MatrixExpr) and not isinstance(expr, sp.MatrixBase):
        # A product like (1/det)·adj is evaluated; an explicit matrix is compiled as written
        # (doit would strip the UnevaluatedExpr a stable form uses to fix the order of work).
        expr = explicit_value(expr.doit())
    outputs, out_shape = _outputs(expr)
    fn = sp.lambdify(symbols, outputs, modules=_modules(twin), cse=True)
    source = inspect.getsource(fn)

    def run(arrays: dict[str, np.ndarray], batch: tuple[int, ...]) -> np.ndarray:
        values = [arrays[name][index] for name, index in unpack]
        results = fn(*values)
        stacked = np.stack([np.broadcast_to(r, batch) for r in results], axis=-1)
        return stacked.reshape(batch + out_shape)

    return _Compiled(run, source, fn)


def _size_axes(twin: Twin) -> dict[Any, list[tuple[str, int]]]:
    """Each symbolic size (n) of a free-size input, with the (input, axis) pairs that carry it."""
    axes: dict[Any, list[tuple[str, int]]] = {}
    for arg in twin.args:
        if not isinstance(arg.value, sp.MatrixSymbol):
            continue
        rows, cols = arg.value.shape
        dims = [(rows, -1)] if cols == 1 else [(rows, -2), (cols, -1)]
        for dim, axis in dims:
            if isinstance(dim, sp.Symbol):
                axes.setdefault(dim, []).append((arg.name, axis))
    return axes


def _sizes(twin: Twin, axes: dict[Any, list[tuple[str, int]]], arrays: dict[str, Any]) -> list[int]:
    """The value of each symbolic size, which all inputs carrying it must agree on."""
    values = []
    for dim, places in axes.items():
        seen = {arrays[name].shape[axis] for name, axis in places}
        if len(seen) > 1:
            where = ", ".join(f"{name} axis {axis}" for name, axis in places)
            raise ValueError(f"twin {twin.name!r}: size {dim} differs between inputs ({where})")
        values.append(seen.pop())
    return values


def _compile_matrix(twin: Twin) -> _Compiled:
    axes = _size_axes(twin)
    symbols = [a.value for a in twin.args] + list(axes)
    expr = twin.expr
    printer = BatchPrinter({"allow_unknown_functions": True})  # custom functions: sigmoid, ...
    fn = sp.lambdify(symbols, expr, modules=_modules(twin), cse=True, printer=printer)
    source = inspect.getsource(fn)
    out_is_vector = isinstance(expr, sp.MatrixExpr) and expr.shape[1] == 1
    out_is_scalar = not isinstance(expr, sp.MatrixExpr)

    def run(arrays: dict[str, np.ndarray], batch: tuple[int, ...]) -> np.ndarray:
        values = []
        for arg in twin.args:
            array = arrays[arg.name]
            if isinstance(arg.value, sp.MatrixSymbol) and arg.value.shape[1] == 1:
                array = array[..., None]
            elif not isinstance(arg.value, sp.MatrixSymbol):
                array = array[..., None, None]
            values.append(array)
        out = np.asarray(fn(*values, *_sizes(twin, axes, arrays)))
        if out_is_vector:
            out = out[..., 0]
        elif out_is_scalar and out.ndim >= 2:
            out = out[..., 0, 0]
        core = out.shape[len(batch) :] if out.ndim >= len(batch) else out.shape
        return np.broadcast_to(out, batch + core)

    return _Compiled(run, source, fn)
