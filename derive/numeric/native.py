"""Native kernels: a fast-path expression printed as C and compiled by the system's C compiler
into a loop that the compiler vectorises across rows (SIMD lanes), for large batches.

>>> import numpy as np
>>> import symengine as se
>>> x, y = se.symbols("x y")
>>> kernel = compile_native((x, y), [x * y, se.Piecewise((x, x > y), (y, True))])
>>> kernel(np.array([[2.0, 3.0], [-1.0, 4.0]])).tolist()  # one row per input row: xy, max
[[6.0, 3.0], [-4.0, 4.0]]

``derive.numeric.fast`` builds one SymEngine expression per output (the verified formula, with its
conditions and NaN rules already in it) and hands it to SymEngine's LLVM compiler, which
evaluates one row per call: scalar code. The same expressions, with common subexpressions
eliminated by SymEngine, are printed here as the body of a loop over blocks of ``LANES`` rows
held column by column, so that the compiler can put the rows of a block in the lanes of one
vector register. Every constant is printed exactly (as a hexadecimal float), nothing is
contracted into fused multiply-adds and no fast-math is used: the arithmetic is the LLVM
kernel's, operation for operation, in a different schedule.

A compiled library is kept in ``<cache>/native`` (see ``derive.core.cache_dir``)
under a key of its source, the compiler's version, the flags and the processor, so a new
process loads it in a millisecond instead of compiling again (0.1–1 s). There is no native
kernel (None) when no C compiler is installed or it rejects the source.
"""

from __future__ import annotations

import ctypes
import functools
import hashlib
import os
import platform
import re
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from derive.core.cache_dir import default_dir
from derive.numeric.kernel import FlaggedKernel, Kernel, PartsKernel, inner_first

LANES = 8  # rows per block: one 512-bit register of doubles, two 256-bit ones
FLAGS = (
    "-O3",
    "-march=native",  # the vector instructions of this processor (part of the cache key)
    "-ffp-contract=off",  # no fused multiply-add: the same roundings as the LLVM kernel
    "-fno-math-errno",  # sqrt as one instruction (errno is never read)
    "-fopenmp-simd",  # honour the `omp simd` pragma only; no OpenMP runtime, no threads
    "-shared",
    "-fPIC",
)
COMPILE_SECONDS = 120

_PRELUDE = """\
#include <math.h>
#include <stddef.h>

static inline double powi(double x, int n) {
    double r = 1.0;
    for (int k = n < 0 ? -n : n; k > 0; k--) r *= x;
    return n < 0 ? 1.0 / r : r;
}
"""


def compiler() -> str | None:
    """The C compiler: ``$CC`` if set, else ``cc``; None if it is not on the PATH."""
    return shutil.which(os.environ.get("CC") or "cc")


def source(
    symbols: Sequence[Any],
    outputs: Sequence[Any],
    widths: Sequence[int] | None = None,
    flag: bool = False,
) -> str:
    """C source of ``kernel(const double *in, double *out, size_t rows)`` evaluating SymEngine
    ``outputs`` of ``symbols`` for each of ``rows`` rows (row-major, one column per symbol /
    output). With ``widths`` (column counts adding up to the symbols) the inputs come as that
    many arrays instead, each row-major, read where they are:
    ``kernel(const double *const *in, double *out, size_t rows)`` (no packing copy).
    With ``flag`` the last output, a flag (0 or 1), is not stored: the kernel returns (as a
    double) its sum over the rows, counted in the vector lanes (the unused lanes of a last,
    partial block hold copies of its first row, so they flag nothing new; they are counted,
    so the sum is only good for telling zero from nonzero).
    SymEngine raises RuntimeError for something it cannot print as C."""
    import symengine as se
    from symengine.lib.symengine_wrapper import Boolean

    names = {s: se.Symbol(f"v{k}") for k, s in enumerate(symbols)}
    exprs = [_integer_powers(se.sympify(o).xreplace(names)) for o in outputs]
    floats = sorted({f for e in exprs for f in e.atoms(se.RealDouble)}, key=float)
    constants = {f: se.Symbol(f"k{m}") for m, f in enumerate(floats)}
    exprs = [e.xreplace(constants) if constants else e for e in exprs]
    replacements, reduced = se.cse(exprs)
    # A shared condition is an int, not a double compared with 1.0: GCC 12 cannot vectorise
    # some selects on two such doubles (it combines their masks in types it cannot mix).
    truths = [str(name) for name, e in replacements if isinstance(e, Boolean)]
    pattern = re.compile(rf"\b({'|'.join(map(re.escape, truths))}) == 1\.0\b") if truths else None

    def c(expr: Any) -> str:
        text = _c(expr)
        return pattern.sub(r"\1", text) if pattern else text

    body = [f"        const double v{k} = in[{k}][j];" for k in range(len(symbols))]
    body += [
        f"        const {'int' if isinstance(e, Boolean) else 'double'} {name} = {c(e)};"
        for name, e in replacements
    ]
    stored = len(reduced) - 1 if flag else len(reduced)
    body += [f"        out[{k}][j] = {c(e)};" for k, e in enumerate(reduced[:stored])]
    if flag:  # a sum per lane, no reduction across lanes in the loop (GCC vectorises this
        # form; a comparison with 0 in the sum stops it vectorising the whole loop)
        body.append(f"        const double flag = {c(reduced[-1])};")
        body.append("        count[j] += flag;")
    n_in, n_out = max(len(symbols), 1), max(stored, 1)
    counting = f", double count[{LANES}]" if flag else ""
    entry = _entry(len(symbols), n_in, n_out, widths)
    if flag:
        entry[0] = entry[0].replace("void kernel", "double kernel")
        entry[1] = entry[1].replace(";", f", count[{LANES}] = {{0}};")
        entry += [
            f"        for (size_t j = m; j < {LANES}; j++)",
            f"            for (size_t k = 0; k < {len(symbols)}; k++) in[k][j] = in[k][0];",
        ]
    lines = [
        _PRELUDE,
        *(f"static const double {c} = {float(f).hex()};" for f, c in constants.items()),
        f"static inline void block(const double in[{n_in}][{LANES}], "
        f"double out[{n_out}][{LANES}]{counting}) {{",
        "    #pragma omp simd",
        f"    for (int j = 0; j < {LANES}; j++) {{",
        *body,
        "    }",
        "}",
        "",
        *entry,
        f"        block(in, out{', count' if flag else ''});",
        "        for (size_t j = 0; j < m; j++)",
        f"            for (size_t k = 0; k < {stored}; k++) Y[{stored} * (r + j) + k] = out[k][j];",
        "    }",
    ]
    if flag:
        lines += [
            "    double total = 0;",
            f"    for (int j = 0; j < {LANES}; j++) total += count[j];",
            "    return total;",
        ]
    return "\n".join([*lines, "}", ""])


def _entry(count: int, n_in: int, n_out: int, widths: Sequence[int] | None) -> list[str]:
    """The kernel's signature and the loop that reads a block of rows into ``in``."""
    if widths is None:
        return [
            "void kernel(const double *restrict X, double *restrict Y, size_t rows) {",
            f"    double in[{n_in}][{LANES}] = {{{{0}}}}, out[{n_out}][{LANES}];",
            f"    for (size_t r = 0; r < rows; r += {LANES}) {{",
            f"        size_t m = rows - r < {LANES} ? rows - r : {LANES};",
            "        for (size_t j = 0; j < m; j++)",
            f"            for (size_t k = 0; k < {count}; k++) "
            f"in[k][j] = X[{count} * (r + j) + k];",
        ]
    if sum(widths) != count:
        raise ValueError(f"widths {list(widths)} do not add up to {count} inputs")
    lines = [
        "void kernel(const double *const *X, double *restrict Y, size_t rows) {",
        f"    double in[{n_in}][{LANES}] = {{{{0}}}}, out[{n_out}][{LANES}];",
        f"    for (size_t r = 0; r < rows; r += {LANES}) {{",
        f"        size_t m = rows - r < {LANES} ? rows - r : {LANES};",
    ]
    offset = 0
    for group, width in enumerate(widths):
        lines += [
            "        for (size_t j = 0; j < m; j++)",
            f"            for (size_t k = 0; k < {width}; k++) "
            f"in[{offset} + k][j] = X[{group}][{width} * (r + j) + k];",
        ]
        offset += width
    return lines


def _c(expr: Any) -> str:
    import symengine as se

    return " ".join(line.strip() for line in str(se.ccode(expr)).splitlines())


def _integer_powers(expr: Any) -> Any:
    """x**n for an integer n other than ±1 as ``powi(x, n)``: repeated multiplication, as
    LLVM's powi is, where C's pow would be a call into libm that no loop can vectorise."""
    import symengine as se

    powi = se.Function("powi")
    powers = [p for p in expr.atoms(se.Pow) if p.exp.is_Integer and abs(int(p.exp)) > 1]
    return inner_first(expr, powers, lambda node: powi(node.base, node.exp))


@functools.cache
def _identity(cc: str) -> str:
    """What makes a compiled library this machine's: compiler version, flags, processor."""
    try:
        version = subprocess.run(
            [cc, "--version"], capture_output=True, text=True, timeout=30, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        version = "unknown"
    cpu = platform.processor() + platform.machine()
    try:
        info = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
        cpu += next((line for line in info.splitlines() if line.startswith("flags")), "")
    except OSError:
        pass
    return "\n".join([version, " ".join(FLAGS), cpu])


def library(code: str, directory: Path | None = None) -> Path | None:
    """A shared library built from C ``code``, from the cache if it is there; None when there
    is no compiler or it fails."""
    cc = compiler()
    if cc is None:
        return None
    key = hashlib.sha256((_identity(cc) + "\n" + code).encode()).hexdigest()[:24]
    for place in (directory or default_dir() / "native", Path(tempfile.gettempdir())):
        path = place / f"derive-{key}.so"
        if path.exists():
            return path
        try:
            place.mkdir(parents=True, exist_ok=True)
            with tempfile.TemporaryDirectory(dir=place) as work:
                c_file = Path(work) / "kernel.c"
                c_file.write_text(code, encoding="utf-8")
                built = Path(work) / "kernel.so"
                done = subprocess.run(
                    [cc, *FLAGS, str(c_file), "-o", str(built), "-lm"],
                    capture_output=True,
                    timeout=COMPILE_SECONDS,
                    check=False,
                )
                if done.returncode != 0:
                    return None
                os.replace(built, path)  # atomic: another process may be building it too
            return path
        except OSError:
            continue  # the cache is not writable: the temporary directory instead
        except subprocess.SubprocessError:
            return None
    return None


def compile_native(symbols: Sequence[Any], outputs: Sequence[Any]) -> Kernel | None:
    """A ``(rows, len(symbols)) -> (rows, len(outputs))`` evaluator of real SymEngine
    expressions, compiled to vectorised machine code; None without a working C compiler."""
    function = _function(source, symbols, outputs)
    if function is None:
        return None
    width = len(outputs)

    def kernel(rows: np.ndarray) -> np.ndarray:
        data = np.ascontiguousarray(rows, dtype=np.float64)
        out = np.empty((len(data), width))
        if len(data):
            function(data.ctypes.data, out.ctypes.data, len(data))
        return out

    return kernel


def _function(make: Any, *args: Any, restype: Any = None) -> Any:
    """The ``kernel`` function of the library built from ``make(*args)``, None if it cannot
    be printed or built."""
    try:
        code = make(*args)
    except (ValueError, RuntimeError, TypeError, AttributeError):
        return None
    path = library(code)
    if path is None:
        return None
    function = ctypes.CDLL(str(path)).kernel
    function.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_size_t]
    function.restype = restype
    return function


def compile_flagged(symbols: Sequence[Any], outputs: Sequence[Any]) -> FlaggedKernel | None:
    """As ``compile_native`` for all outputs but the last, a flag (0 or 1), which is not
    stored: the kernel returns whether it is 1 in any row (counted in the loop, so that no
    second pass reads the outputs again); None without a working C compiler.

    >>> import symengine as se
    >>> x = se.Symbol("x")
    >>> kernel = compile_flagged((x,), [2 * x, se.Piecewise((1, x < 0), (0, True))])
    >>> out, flagged = kernel(np.array([[1.0], [2.0]]))
    >>> out.tolist(), flagged, kernel(np.array([[1.0], [-2.0]]))[1]
    ([[2.0], [4.0]], False, True)
    """
    function = _function(
        functools.partial(source, flag=True), symbols, outputs, restype=ctypes.c_double
    )
    if function is None:
        return None
    width = len(outputs) - 1

    def kernel(rows: np.ndarray) -> tuple[np.ndarray, bool]:
        data = np.ascontiguousarray(rows, dtype=np.float64)
        out = np.empty((len(data), width))
        if not len(data):
            return out, False
        return out, function(data.ctypes.data, out.ctypes.data, len(data)) > 0

    return kernel


def compile_parts(
    symbols: Sequence[Any], outputs: Sequence[Any], widths: Sequence[int]
) -> PartsKernel | None:
    """As ``compile_native``, for inputs given as ``len(widths)`` arrays of shape
    ``(rows, width)`` read in place (C-contiguous ones are not copied); None without a
    working C compiler.

    >>> import symengine as se
    >>> x, y, z = se.symbols("x y z")
    >>> kernel = compile_parts((x, y, z), [x * y + z], (2, 1))
    >>> kernel([np.array([[2.0, 3.0], [1.0, 4.0]]), np.array([[1.0], [0.5]])]).tolist()
    [[7.0], [4.5]]
    """
    function = _function(source, symbols, outputs, widths)
    if function is None:
        return None
    width = len(outputs)
    shapes = tuple(widths)

    def kernel(parts: Sequence[np.ndarray]) -> np.ndarray:
        arrays = [np.ascontiguousarray(p, dtype=np.float64) for p in parts]
        rows = len(arrays[0])
        if any(a.shape != (rows, w) for a, w in zip(arrays, shapes, strict=True)):
            raise ValueError(f"inputs of {[a.shape for a in arrays]}, not (rows, {shapes})")
        out = np.empty((rows, width))
        if rows:
            pointers = (ctypes.c_void_p * len(arrays))(*(a.ctypes.data for a in arrays))
            function(ctypes.addressof(pointers), out.ctypes.data, rows)
        return out

    return kernel
