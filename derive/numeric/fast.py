"""The fast path for numeric twins: SymEngine's LLVM compiler (and, for large batches, native
vectorised kernels), with NumPy as the fallback.

>>> import numpy as np
>>> import sympy as sp
>>> x, y = sp.symbols("x y", real=True)
>>> kernel = compile_kernel((x, y), [x * y, sp.Max(x, y)])
>>> kernel(np.array([[2.0, 3.0], [-1.0, 4.0]])).tolist()  # one row per input row: xy, max
[[6.0, 3.0], [-4.0, 4.0]]

A kernel is the verified SymPy expression itself, converted to SymEngine (which keeps
``UnevaluatedExpr`` units such as the scaled entries of ``derive.catalog.linear_algebra.stable``)
with its conditions and NaN rules written in, and compiled to machine code by LLVM with common
subexpressions eliminated. It evaluates a ``(rows, inputs)`` array row by row into
``(rows, outputs)``: no temporary arrays, one pass over memory. Code generation costs 20 ms to
1 s, so each kernel is compiled once per process. From ``NATIVE_ROWS`` rows on, the same
expressions run as a native kernel instead (``derive.numeric.native``: C compiled by the system's
compiler, several rows per vector instruction), when a C compiler is installed.

Which backend evaluates twins is ``$DERIVE_BACKEND``: ``auto`` (the default: SymEngine when it
is installed and can compile the expression, native for large batches when a C compiler is
found too, NumPy otherwise), ``symengine`` (LLVM kernels for every batch; an error if SymEngine
is not installed), ``native`` (native kernels for every batch; an error without SymEngine or a
C compiler) or ``numpy`` (always the NumPy fallback). All give the same answers to rounding;
tests/test_fast.py checks it for every twin in the catalog.
"""

from __future__ import annotations

import functools
import importlib.util
import os
from collections.abc import Sequence
from typing import Any

import numpy as np
import sympy as sp

from derive.numeric.kernel import FlaggedKernel, Kernel, PartsKernel, inner_first

BACKENDS = ("auto", "symengine", "native", "numpy")
NATIVE_ROWS = 10_000  # from this many rows on, ``auto`` evaluates with a native kernel
LARGEST = float(np.finfo(float).max)  # |x| <= LARGEST: x is finite (false for inf and NaN)


def backend() -> str:
    """The backend asked for by ``$DERIVE_BACKEND`` (``auto`` if unset)."""
    return _backend(os.environ.get("DERIVE_BACKEND", ""))


@functools.cache
def _backend(raw: str) -> str:
    name = raw.strip().lower() or "auto"
    if name not in BACKENDS:
        raise ValueError(f"DERIVE_BACKEND must be one of {', '.join(BACKENDS)}, not {name!r}")
    if name == "symengine" and not have_symengine():
        raise ValueError("DERIVE_BACKEND=symengine, but SymEngine (with LLVM) is not installed")
    if name == "native":
        from derive.numeric.native import compiler

        if not have_symengine():
            raise ValueError("DERIVE_BACKEND=native needs SymEngine (with LLVM), not installed")
        if compiler() is None:
            raise ValueError("DERIVE_BACKEND=native, but no C compiler (cc or $CC) was found")
    return name


@functools.cache
def have_symengine() -> bool:
    """Whether SymEngine is importable and was built with LLVM."""
    if importlib.util.find_spec("symengine") is None:
        return False
    import symengine

    return bool(getattr(symengine, "have_llvm", False))


def _selecting(expr: Any) -> Any:
    """A SymEngine expression with every Max and Min as a balanced tree of compare-and-select
    pairs: the same value exactly (a maximum rounds nothing) where no argument is NaN, one
    instruction a pair where LLVM's maxnum takes several, and a dependency chain of depth
    log₂ n instead of n. (``_propagating`` has already guarded the NaN cases.)"""
    import symengine as se

    def tree(node: Any) -> Any:
        largest = isinstance(node, se.Max)
        level = list(node.args)
        while len(level) > 1:
            pairs = [
                se.Piecewise((x, se.Gt(x, y) if largest else se.Lt(x, y)), (y, True))
                for x, y in zip(level[::2], level[1::2], strict=False)
            ]
            level = pairs + level[len(pairs) * 2 :]
        return level[0]

    return inner_first(expr, expr.atoms(se.Max, se.Min), tree)


def _guarded(value: Any, conditions: Sequence[Any], outside: Any) -> Any:
    """``value`` where every condition holds, ``outside`` elsewhere, as nested selects on one
    condition each: SymEngine's common-subexpression pass does not look inside And, so an
    And would recompute everything its parts use."""
    import symengine as se

    for condition in reversed(conditions):
        value = se.Piecewise((value, condition), (outside, True))
    return value


def _parts(condition: Any) -> list[Any]:
    """The conjuncts of a SymEngine condition (the condition itself unless it is an And)."""
    import symengine as se

    return list(condition.args) if isinstance(condition, se.And) else [condition]


def _all_finite(symbols: Sequence[Any]) -> Any:
    """One condition true exactly when every symbol is finite: Σ|x|·2⁻ᵐ ≤ LARGEST, with 2ᵐ
    at least twice the number of terms so that the finite sum cannot overflow (an infinite
    or NaN term makes it infinite or NaN, and the comparison false)."""
    import symengine as se

    shrink = se.Float(2.0 ** -(len(symbols) * 2).bit_length())
    return se.Le(se.Add(*(se.Abs(x) * shrink for x in symbols)), LARGEST)


def _propagating(expr: Any, finite: frozenset[Any] = frozenset()) -> Any:
    """A SymEngine expression whose Max, Min and sign give NaN for a NaN argument, as NumPy's
    do (LLVM's maxnum ignores a NaN, and SymEngine's sign makes it 0). ``a ≥ −∞`` is false
    exactly for NaN, and SymEngine leaves it as it is. A node whose arguments are numbers,
    symbols in ``finite`` (inputs the kernel already checks: a NaN there makes the whole row
    its ``outside`` value) or their absolute values cannot see a NaN and is left alone — the
    check would cost more than the formula (the scale of a matrix is such a Max)."""
    import symengine as se

    def plain(arg: Any) -> bool:
        inner = arg.args[0] if isinstance(arg, se.Abs) else arg
        return bool(inner.is_Number) or inner in finite

    def guarded(node: Any) -> Any:
        return _guarded(node, [se.Ge(a, -se.oo) for a in node.args], se.nan)

    nodes = [n for n in expr.atoms(se.Max, se.Min, se.sign) if not all(map(plain, n.args))]
    return inner_first(expr, nodes, guarded)


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


def _convert(
    symbols: tuple[Any, ...],
    outputs: tuple[Any, ...],
    where: Any,
    finite: tuple[Any, ...],
    outside: tuple[Any, ...],
) -> tuple[list[Any], list[Any]] | None:
    """The kernel's inputs and outputs as SymEngine expressions, conditions and NaN rules
    included; None for something SymEngine cannot represent."""
    import symengine as se

    try:
        checked = frozenset(se.sympify(x) for x in finite)
        converted = [
            _selecting(_propagating(se.sympify(_with_default(o)), checked)) for o in outputs
        ]
        conditions = [] if where is None else _parts(_selecting(se.sympify(where)))
        if finite:
            conditions.append(_all_finite(sorted(checked, key=str)))
        if conditions:
            converted = [
                o if value is None else _guarded(o, conditions, se.sympify(value))
                for o, value in zip(converted, outside, strict=True)
            ]
        return [se.sympify(s) for s in symbols], converted
    except (RuntimeError, TypeError, ValueError, NotImplementedError, AttributeError):
        return None


class Compiled:
    """A compiled kernel: ``kernel(rows)`` evaluates a ``(rows, inputs)`` array with LLVM's
    code, or with the native kernel (built on first use) where ``engine`` says so."""

    def __init__(self, llvm: Any, converted: tuple[list[Any], list[Any]]) -> None:
        self._llvm = llvm
        self._converted = converted

    @functools.cached_property
    def _native(self) -> Kernel | None:
        from derive.numeric.native import compile_native

        return compile_native(*self._converted)

    def _chosen_native(self, rows: int) -> Kernel | None:
        """The native kernel if it is the one to evaluate ``rows`` rows now, else None."""
        chosen = backend()
        if chosen == "native" or (chosen == "auto" and rows >= NATIVE_ROWS):
            return self._native
        return None

    def engine(self, rows: int) -> str:
        """Which code evaluates a batch of ``rows`` rows now: ``native`` or ``symengine``."""
        return "symengine" if self._chosen_native(rows) is None else "native"

    def __call__(self, rows: np.ndarray) -> np.ndarray:
        native = self._chosen_native(len(rows))
        return native(rows) if native is not None else np.asarray(self._llvm(rows))

    @functools.cached_property
    def _native_flagged(self) -> FlaggedKernel | None:
        from derive.numeric.native import compile_flagged

        return compile_flagged(*self._converted)

    def flagged(self, rows: np.ndarray) -> tuple[np.ndarray, bool]:
        """All outputs but the last, a flag, and whether the flag is nonzero in any row: a
        native kernel counts it as it goes and does not store it; LLVM's code stores it and
        the column is read back."""
        if self._chosen_native(len(rows)) is not None and self._native_flagged is not None:
            return self._native_flagged(rows)
        out = np.asarray(self(rows)).reshape(len(rows), -1)
        return np.ascontiguousarray(out[:, :-1]), bool(out[:, -1].any())

    @functools.cache  # noqa: B019 - one per kernel and input layout; kernels live as long
    def _native_parts(self, widths: tuple[int, ...]) -> PartsKernel | None:
        from derive.numeric.native import compile_parts

        return compile_parts(*self._converted, widths)

    def parts(self, arrays: Sequence[np.ndarray]) -> np.ndarray:
        """Evaluate inputs given as several ``(rows, width)`` arrays: a native kernel reads
        them where they are; LLVM's code takes them packed into one array (a copy)."""
        rows = len(arrays[0])
        if self._chosen_native(rows) is not None:
            native = self._native_parts(tuple(a.shape[1] for a in arrays))
            if native is not None:
                return native(arrays)
        return self(np.concatenate(arrays, axis=1))


@functools.cache
def _compile(
    symbols: tuple[Any, ...],
    outputs: tuple[Any, ...],
    where: Any,
    finite: tuple[Any, ...],
    outside: tuple[Any, ...],
) -> Compiled | None:
    import symengine as se

    converted = _convert(symbols, outputs, where, finite, outside)
    if converted is None:
        return None
    try:
        llvm = se.Lambdify(*converted, backend="llvm", cse=True, real=True)
    except (RuntimeError, TypeError, ValueError, NotImplementedError, AttributeError):
        # something the LLVM backend does not handle: a function it does not know
        # (sigmoid, binomial, Mod, ...) is a RuntimeError when compiling
        return None
    return Compiled(llvm, converted)


def complex_parts(outputs: Sequence[Any]) -> list[Any] | None:
    """Real expressions ``[re₁, im₁, re₂, im₂, …, flag]`` for outputs whose only complex
    source is the principal square root √g of a real g that may be negative, with ``flag``
    1 where g < 0 (where NumPy's ``emath.sqrt`` goes complex) and 0 elsewhere; None for
    anything else (no root, several, or a root inside a condition).

    >>> x = sp.Symbol("x", real=True)
    >>> re, im, flag = complex_parts([1 + sp.sqrt(x)])
    >>> re, im
    (Piecewise((1, x < 0), (sqrt(Abs(x)) + 1, True)), Piecewise((sqrt(Abs(x)), x < 0), (0, True)))

    Each branch of each output is split by SymPy's ``as_real_imag`` with √g = i·√(−g): the
    same value, computed in real arithmetic so that an LLVM kernel (which is real) can. A
    branch whose condition says g < 0 or g ≥ 0 is kept only on that side (a vector kernel
    computes every branch it is given, taken or not):

    >>> y = sp.Symbol("y", real=True)
    >>> re, im, flag = complex_parts([sp.Piecewise((1 / (y + sp.sqrt(x)), x >= 0), (y, True))])
    >>> re
    Piecewise((y, x < 0), (1/(y + sqrt(Abs(x))), True))
    """
    roots = {p for o in outputs for p in o.atoms(sp.Pow) if p.exp == sp.S.Half}
    if len(roots) != 1:
        return None
    (root,) = roots
    conditions = [c for o in outputs for p in o.atoms(sp.Piecewise) for _, c in p.args]
    if any(c.has(root) for c in conditions):
        return None
    r = sp.Dummy("r", nonnegative=True)
    negative = root.base < 0
    # √|g| in both cases (√g where g ≥ 0, √(−g) where g < 0), so that one root is taken
    magnitude = sp.sqrt(sp.Abs(root.base))
    back = {r: magnitude}
    parts: list[Any] = []
    for output in outputs:
        real, imaginary = [], []
        for value, condition in _branches(output, negative, True):
            re, im = sp.expand_complex(value.xreplace({root: sp.I * r})).as_real_imag()
            if re.has(sp.re, sp.im, sp.I) or im.has(sp.re, sp.im, sp.I):
                return None
            real.append((re.xreplace(back), condition))
            imaginary.append((im.xreplace(back), condition))
        real_case = sp.Piecewise(*_branches(output, negative, False)).xreplace({root: magnitude})
        parts.append(sp.Piecewise((sp.Piecewise(*real), negative), (real_case, True)))
        parts.append(sp.Piecewise((sp.Piecewise(*imaginary), negative), (0, True)))
    parts.append(sp.Piecewise((1, negative), (0, True)))
    return parts


def _branches(output: Any, negative: Any, known: bool) -> list[tuple[Any, Any]]:
    """The (value, condition) branches of ``output`` where ``negative`` (g < 0) is ``known``:
    conditions that say so, at any depth, are decided first (so that a branch they rule
    out is dropped before the rest is folded into one Piecewise)."""
    decided = {
        negative: sp.true if known else sp.false,
        negative.negated: sp.false if known else sp.true,
    }
    folded = sp.piecewise_fold(output.xreplace(decided))
    branches = folded.args if isinstance(folded, sp.Piecewise) else ((folded, sp.true),)
    kept = []
    for value, condition in branches:
        if condition == sp.false:
            continue
        kept.append((value, condition))
        if condition == sp.true:
            break
    return kept or [(sp.nan, sp.true)]


def compile_kernel(
    symbols: Sequence[Any],
    outputs: Sequence[Any],
    where: Any = None,
    finite: Sequence[Any] = (),
    outside: Sequence[Any] | None = None,
) -> Compiled | None:
    """A compiled ``(rows, len(symbols)) -> (rows, len(outputs))`` evaluator of real SymPy
    expressions, or None when SymEngine is not installed or cannot compile them.

    Every output of a row is NaN (or its value in ``outside``, None to leave it as it is)
    where the condition ``where`` is false or one of the symbols in ``finite`` is infinite
    or NaN.
    """
    if not have_symengine():
        return None
    if any(not isinstance(o, sp.Expr) or o.has(sp.I) for o in outputs):
        return None  # booleans and complex numbers: the LLVM kernels are real
    fill = tuple(outside) if outside is not None else (sp.nan,) * len(outputs)
    return _compile(tuple(symbols), tuple(outputs), where, tuple(finite), fill)
