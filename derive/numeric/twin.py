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

Evaluation: a twin of explicit entries runs as a compiled SymEngine/LLVM kernel when SymEngine
can compile it (``derive.numeric.fast``; a ``Condition`` as ``valid`` is compiled into the same
kernel), and as the NumPy function lambdify generates otherwise, or when
``DERIVE_BACKEND=numpy``. ``source()`` and ``function()`` always show the NumPy form.
"""

from __future__ import annotations

import functools
import inspect
import keyword
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp
from sympy.printing.numpy import NumPyPrinter

from derive.core.functions import NUMPY_FUNCTIONS
from derive.core.model import Formula
from derive.numeric import fast
from derive.numeric.realise import explicit_value

Sampler = Callable[[np.random.Generator, int], dict[str, np.ndarray]]


@dataclass(frozen=True)
class Arg:
    """One named input of a twin: a scalar Symbol, an explicit Matrix of symbols, or a
    MatrixSymbol (any size, evaluated with matrix operations)."""

    name: str
    value: Any

    @functools.cached_property
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


@dataclass(frozen=True)
class Condition:
    """Where a twin is defined, as a SymPy condition on the entries of its inputs.

    >>> a = sp.Symbol("a", real=True)
    >>> positive = Condition(a > 0, (Arg("a", a),))
    >>> positive(a=np.array([2.0, -1.0, np.inf])).tolist()
    [True, False, False]

    With ``finite`` (the default) every input entry must be finite as well. As a twin's
    ``valid`` it is compiled into the twin's fast kernel rather than evaluated on its own.
    """

    expr: Any
    args: tuple[Arg, ...]
    finite: bool = True

    def __call__(self, *values: Any, **inputs: Any) -> np.ndarray:
        """The mask over the batch, from inputs given by position or by name."""
        named = dict(zip((a.name for a in self.args), values, strict=False)) | inputs
        arrays = {a.name: _as_array(a, named[a.name], "condition") for a in self.args}
        batch = _broadcast_batch("condition", self.args, arrays)
        fp64 = all(a.dtype == np.float64 for a in arrays.values())
        kernel = _condition_kernel(self) if fp64 and fast.backend() != "numpy" else None
        with np.errstate(all="ignore"):
            if kernel is not None:  # 1 inside, NaN outside
                return ~np.isnan(kernel.run(arrays, batch))
            entries = _layout(self.args).values(arrays)
            mask = np.asarray(_condition_function(self)(*entries), dtype=bool)
        if self.finite:
            for arg in self.args:
                array = arrays[arg.name]
                trailing = tuple(range(array.ndim - len(arg.shape or ()), array.ndim))
                mask = mask & np.isfinite(array).all(axis=trailing)
        return np.broadcast_to(mask, batch)


@functools.cache
def _condition_function(condition: Condition) -> Callable[..., Any]:
    symbols = _layout(condition.args).symbols
    return sp.lambdify(symbols, condition.expr, modules="numpy")


@dataclass(frozen=True)
class _Layout:
    """Where the entry symbols of explicit inputs are read from.

    ``symbols``/``places``: each distinct entry symbol once, with (input, index) to read it
    (the NumPy path); ``columns``: one symbol per entry of every input in order, a fresh
    symbol for an entry that repeats one before it or is not a symbol (the kernel's columns).
    """

    symbols: tuple[Any, ...]
    places: tuple[tuple[str, tuple[Any, ...]], ...]
    columns: tuple[Any, ...]
    owners: tuple[str, ...]  # the input each column belongs to

    def of(self, names: set[str]) -> tuple[Any, ...]:
        """The columns of these inputs."""
        return tuple(c for c, o in zip(self.columns, self.owners, strict=True) if o in names)

    def values(self, arrays: dict[str, np.ndarray]) -> list[np.ndarray]:
        """The arrays of the entry symbols, in ``symbols`` order."""
        return [arrays[name][index] for name, index in self.places]


@functools.cache
def _layout(args: tuple[Arg, ...]) -> _Layout:
    symbols: list[Any] = []
    places: list[tuple[str, tuple[Any, ...]]] = []
    columns: list[Any] = []
    owners: list[str] = []

    def use(entry: Any, name: str, index: tuple[Any, ...]) -> None:
        owners.append(name)
        if getattr(entry, "is_Symbol", False) and entry not in symbols:
            symbols.append(entry)
            places.append((name, index))
            columns.append(entry)
        else:  # read, not used (SymEngine's compiler takes plain Symbols only, not Dummy)
            columns.append(None)

    for arg in args:
        if isinstance(arg.value, sp.MatrixBase):
            rows, cols = arg.value.shape
            for i in range(rows):
                for j in range(cols):
                    use(arg.value[i, j], arg.name, (..., i) if cols == 1 else (..., i, j))
        else:
            use(arg.value, arg.name, (...,))
    taken = {str(s) for s in symbols}
    unused = (sp.Symbol(f"_unused{k}") for k in range(len(columns) + len(taken) + 1))
    fillers = iter([u for u in unused if str(u) not in taken])
    filled = tuple(c if c is not None else next(fillers) for c in columns)
    return _Layout(tuple(symbols), tuple(places), filled, tuple(owners))


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
    valid: Callable[..., np.ndarray] | Condition | None = None
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
        batch = _broadcast_batch(f"twin {self.name!r}", self.args, arrays)
        kernel = self._kernel() if all(a.dtype == np.float64 for a in arrays.values()) else None
        with np.errstate(all="ignore"):
            if kernel is not None:
                out = kernel.run(arrays, batch)
                if kernel.masked or self.valid is None:
                    return out
            else:
                out = _compiled(self).fn(arrays, batch)
            if self.valid is not None:
                mask = np.broadcast_to(np.asarray(self.valid(**arrays), dtype=bool), batch)
                if not mask.all():
                    if kernel is None or not out.flags.writeable:
                        out = np.array(out, dtype=np.result_type(out, float), copy=True)
                    out[~mask] = np.nan
        return out

    def backend(self, rows: int = 1) -> str:
        """Which backend evaluates a batch of ``rows`` inputs now: ``native``, ``symengine``
        or ``numpy`` (see ``derive.numeric.fast``)."""
        kernel = self._kernel()
        return "numpy" if kernel is None else kernel.fn.engine(rows)

    def _kernel(self) -> _Kernel | None:
        if self.matrix_mode or fast.backend() == "numpy":
            return None
        return _kernel(self)

    def source(self) -> str:
        """The generated NumPy source of the twin (for display)."""
        return _compiled(self).source

    def function(self) -> Callable[..., Any]:
        """The lambdified function the twin calls, whose source is ``source()``.

        Its parameters are the entry symbols of explicit matrix inputs (or the free-size
        matrices themselves); e.g. latexify-py renders it to show that code and formula agree.
        """
        return _compiled(self).function

    def parameter_names(self) -> dict[Any, str]:
        """The name in ``source()`` of each of the function's parameters (an entry symbol of
        an explicit input, a free-size matrix, a scalar or a size), e.g. ``A_{1,2}`` → ``A_1_2``."""
        return dict(_compiled(self).names)


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


def _broadcast_batch(
    name: str, args: tuple[Arg, ...], arrays: dict[str, np.ndarray]
) -> tuple[int, ...]:
    batches = []
    for arg in args:
        array = arrays[arg.name]
        core = arg.shape
        trailing = (1 if arg.value.shape[1] == 1 else 2) if core is None else len(core)
        batches.append(array.shape[: array.ndim - trailing])
    if all(b == batches[0] for b in batches):
        return batches[0]
    try:
        return tuple(np.broadcast_shapes(*batches))
    except ValueError:
        raise ValueError(f"{name}: batch shapes {batches} do not broadcast") from None


@dataclass(frozen=True)
class _Compiled:
    fn: Callable[[dict[str, np.ndarray], tuple[int, ...]], np.ndarray]
    source: str
    function: Callable[..., Any]
    names: tuple[tuple[Any, str], ...] = ()  # each parameter symbol and its name in source


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


def _explicit_expr(twin: Twin) -> Any:
    expr = twin.expr
    if isinstance(expr, sp.MatrixExpr) and not isinstance(expr, sp.MatrixBase):
        # A product like (1/det)·adj is evaluated; an explicit matrix is compiled as written
        # (doit would strip the UnevaluatedExpr a stable form uses to fix the order of work).
        expr = explicit_value(expr.doit())
    return expr


@dataclass(frozen=True)
class _Kernel:
    """A twin compiled by ``derive.numeric.fast``: inputs as (rows, entries), one pass."""

    fn: fast.Compiled
    shapes: tuple[tuple[int, ...], ...]  # of each input's entries
    out_shape: tuple[int, ...]
    masked: bool  # whether the twin's Condition is compiled in (NaN outside it)
    pairs: bool = False  # outputs are (re, im) pairs, then a flag: 1 for a complex row

    def run(self, arrays: dict[str, np.ndarray], batch: tuple[int, ...]) -> np.ndarray:
        rows = math.prod(batch)
        if rows == 0:
            return np.empty(batch + self.out_shape)
        parts = []
        for array, shape in zip(arrays.values(), self.shapes, strict=True):
            if array.shape != batch + shape:
                array = np.broadcast_to(array, batch + shape)
            parts.append(np.ascontiguousarray(array).reshape(rows, math.prod(shape)))
        if len(parts) > 1:  # several inputs: a native kernel reads each where it is
            raw = np.asarray(self.fn.parts(parts)).reshape(rows, -1)
            if self.pairs:
                raw, flagged = np.ascontiguousarray(raw[:, :-1]), bool(raw[:, -1].any())
        else:
            packed = parts[0]
            if not packed.flags.writeable:  # SymEngine takes a writeable buffer (only reads it)
                packed = packed.copy()
            if self.pairs:  # the flag is counted, not stored
                raw, flagged = self.fn.flagged(packed)
            else:
                raw = np.asarray(self.fn(packed)).reshape(rows, -1)
        if self.pairs:  # complex (as emath.sqrt) iff a square root of a negative was taken
            raw = raw.view(complex) if flagged else raw[:, ::2].copy()
        return raw.reshape(batch + self.out_shape)


@functools.cache
def _kernel(twin: Twin) -> _Kernel | None:
    outputs, out_shape = _outputs(_explicit_expr(twin))
    outside = None  # NaN outside the condition
    if twin.complex_sqrt:  # the kernels are real: real and imaginary parts, computed apart
        parts = fast.complex_parts(outputs)
        if parts is None:
            return None
        # outside: NaN + 0i, as NaN assigned to a complex array is, and the flag as it is
        outside = [sp.nan, sp.Integer(0)] * len(outputs) + [None]
        outputs = parts
    condition = twin.valid if isinstance(twin.valid, Condition) else None
    if condition is not None and not set(condition.args) <= set(twin.args):
        condition = None  # a condition on other inputs: evaluated on its own
    layout = _layout(twin.args)
    finite = condition is not None and condition.finite
    fn = fast.compile_kernel(
        layout.columns,
        outputs,
        where=None if condition is None else condition.expr,
        # every entry, read or not, as np.isfinite on the whole input would
        finite=layout.of({a.name for a in condition.args}) if condition and finite else (),
        outside=outside,
    )
    if fn is None:
        return None
    shapes = tuple(a.shape or () for a in twin.args)
    return _Kernel(fn, shapes, out_shape, condition is not None, twin.complex_sqrt)


@functools.cache
def _condition_kernel(condition: Condition) -> _Kernel | None:
    layout = _layout(condition.args)
    fn = fast.compile_kernel(
        layout.columns,
        [sp.Integer(1)],
        where=condition.expr,
        finite=layout.columns if condition.finite else (),
    )
    shapes = tuple(a.shape or () for a in condition.args)
    return None if fn is None else _Kernel(fn, shapes, (), masked=True)


def _readable(twin: Twin, parameters: list[Any], expr: Any) -> tuple[list[Any], Any]:
    """The parameters renamed to Python identifiers from the derivation's own names, and
    ``expr`` with them: a scalar input is called by its input name (``lambda`` → ``lam``), an
    entry by its symbol without braces (``A_{1,2}`` → ``A_1_2``). Without this lambdify calls
    every name that is not an identifier ``_Dummy_615`` in the source a learner reads.

    A name that is still not an identifier, or that another name in the function would have
    too, is left alone (lambdify then replaces it as before)."""
    named = {a.value: a.name for a in twin.args if isinstance(a.value, sp.Symbol)}
    items = expr if isinstance(expr, list) else [expr]
    free = set().union(*(e.free_symbols for e in items if isinstance(e, sp.Basic)))
    wanted = {
        p: named.get(p) or re.sub(r"[{}\s]", "", str(p)).replace(",", "_") for p in parameters
    }
    names = [str(s) for s in free if s not in wanted] + list(wanted.values())
    renames: dict[Any, Any] = {}
    for parameter, new in wanted.items():
        usable = new.isidentifier() and not keyword.iskeyword(new) and names.count(new) == 1
        if new == str(parameter) or not usable:
            continue
        if isinstance(parameter, sp.MatrixSymbol):
            renames[parameter] = sp.MatrixSymbol(new, *parameter.shape)
        else:
            renames[parameter] = sp.Symbol(new, **parameter.assumptions0)
    if not renames:
        return parameters, expr
    renamed = [renames.get(p, p) for p in parameters]
    if isinstance(expr, list):
        return renamed, [e.xreplace(renames) if isinstance(e, sp.Basic) else e for e in expr]
    return renamed, expr.xreplace(renames)


def _steady_dummies(expr: Any) -> Any:
    """``expr`` with each Dummy (the variable of an elementwise ``Lambda``) renamed ``t``,
    ``t1``, … in creation order: lambdify would print it as ``d_7991917``, a number that
    depends on the process's history, so the code a page shows would change from build to
    build."""
    items = expr if isinstance(expr, list) else [expr]
    dummies = sorted(
        {d for e in items if isinstance(e, sp.Basic) for d in e.atoms(sp.Dummy)},
        key=lambda d: d.dummy_index,
    )
    if not dummies:
        return expr
    taken = {str(s) for e in items if isinstance(e, sp.Basic) for s in e.free_symbols}
    names = (n for n in ("t", *(f"t{k}" for k in range(1, 10_000))) if n not in taken)
    renames = {d: sp.Symbol(next(names), **d.assumptions0) for d in dummies}
    if isinstance(expr, list):
        return [e.xreplace(renames) if isinstance(e, sp.Basic) else e for e in expr]
    return expr.xreplace(renames)


def _compile_explicit(twin: Twin) -> _Compiled:
    layout = _layout(twin.args)
    outputs, out_shape = _outputs(_explicit_expr(twin))
    parameters, outputs = _readable(twin, list(layout.symbols), _steady_dummies(outputs))
    names = tuple(zip(layout.symbols, map(str, parameters), strict=True))
    fn = sp.lambdify(parameters, outputs, modules=_modules(twin), cse=True)
    source = inspect.getsource(fn)

    def run(arrays: dict[str, np.ndarray], batch: tuple[int, ...]) -> np.ndarray:
        results = fn(*layout.values(arrays))
        stacked = np.stack([np.broadcast_to(r, batch) for r in results], axis=-1)
        return stacked.reshape(batch + out_shape)

    return _Compiled(run, source, fn, names)


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
    original = [a.value for a in twin.args] + list(axes)
    symbols, expr = _readable(twin, original, _steady_dummies(twin.expr))
    names = tuple(zip(original, map(str, symbols), strict=True))
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

    return _Compiled(run, source, fn, names)
