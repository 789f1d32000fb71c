"""A numeric twin's own code: the lambdified Python source and latexify-py's LaTeX of it.

>>> from derive.catalog import get
>>> code = twin_code(get("inverse-2x2").twins[0])
>>> code.source.splitlines()[0]
'def inverse(a, b, c, d):'
>>> code.latex.startswith(r"\\begin{array}{l}")
True

The function shown is the very function the twin calls (``Twin.function()``), renamed to the
twin's name; latexify-py reads its source, so the formula beside the code is the code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import sympy as sp

from derive.numeric.twin import Twin

GENERATED = "_lambdifygenerated"


@dataclass(frozen=True)
class TwinCode:
    """What a learner needs to read a twin's code next to its formula."""

    name: str
    source: str
    latex: str | None  # None when latexify-py cannot render the function
    problem: str  # why latexify-py could not render it (empty when it could)
    inputs: tuple[str, ...]  # how the twin's inputs become the function's parameters
    output: str  # how the function's return value becomes the twin's output


def identifier(name: str) -> str:
    """A Python identifier for a twin name: ``'inverse (2x2)'`` → ``'inverse_2x2'``.

    >>> identifier("d/dx sigmoid")
    'd_dx_sigmoid'
    """
    cleaned = re.sub(r"\W+", "_", name).strip("_") or "twin"
    return f"f_{cleaned}" if cleaned[0].isdigit() else cleaned


def _inputs(twin: Twin) -> tuple[str, ...]:
    names = twin.parameter_names()  # as the function's source calls them

    def shown(entry: Any) -> str:
        return names.get(entry, str(entry))

    lines = []
    for arg in twin.args:
        value = arg.value
        if isinstance(value, sp.MatrixSymbol):
            kind = "vector" if value.shape[1] == 1 else "matrix"
            lines.append(f"{arg.name}: a {kind} (NumPy array, batch axes first)")
        elif isinstance(value, sp.MatrixBase):
            rows = ("[" + ", ".join(map(shown, r)) + "]" for r in value.tolist())
            lines.append(f"{arg.name} = [{', '.join(rows)}]")
        elif shown(value) != arg.name:
            lines.append(f"{arg.name} is passed as {shown(value)}")
    return tuple(lines)


def _output(twin: Twin) -> str:
    expr = twin.expr
    if twin.matrix_mode:
        return "returns the result directly (matrix products act on the last two axes)"
    if isinstance(expr, (sp.FiniteSet, sp.Tuple, tuple, list)):
        count = len(expr.args if isinstance(expr, (sp.FiniteSet, sp.Tuple)) else expr)
        return f"returns {count} values, stacked on the last axis"
    if isinstance(expr, sp.MatrixExpr | sp.MatrixBase):
        rows, cols = expr.shape
        shape = f"({rows},)" if cols == 1 else f"({rows}, {cols})"
        return f"returns the entries in row-major order, reshaped to {shape}"
    return "returns one value per input"


def twin_code(twin: Twin) -> TwinCode:
    """The twin's function as Python source and, where latexify-py can, as LaTeX."""
    import latexify

    name = identifier(twin.name)
    function = twin.function()
    source = twin.source().replace(f"def {GENERATED}(", f"def {name}(", 1).rstrip() + "\n"
    try:
        latex = str(
            latexify.get_latex(function, identifiers={GENERATED: name}, use_math_symbols=True)
        )
        problem = ""
    except (latexify.exceptions.LatexifyError, OSError, SyntaxError) as error:
        latex, problem = None, f"{type(error).__name__}: {error}"
    return TwinCode(name, source, latex, problem, _inputs(twin), _output(twin))
