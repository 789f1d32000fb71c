"""Names as the checker spells them, from SymPy symbol names written in LaTeX or Unicode.

>>> [checker_name(n) for n in ("x", "θ", r"\\theta_{0}", r"\\hat{y}", r"\\bar{x}", r"\\sigma^{2}")]
['x', 'theta', 'theta_0', 'yhat', 'xbar', None]
>>> checker_name("A_{1,2}")  # an entry of a realised matrix
'A_12'

The LaTeX reader produces the same spellings (``\\hat{y}`` is ``yhat``), so a catalog symbol
and a learner's name are identified when their checker names agree.
"""

from __future__ import annotations

import re
from typing import Any

import sympy as sp

from derive.checker.vocabulary import GREEK

IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")
_FONTS = re.compile(r"\\(?:mathbf|boldsymbol|bm|vec|mathrm|mathit|mathsf|operatorname)\{([^{}]*)\}")
_ACCENTS = re.compile(r"\\(hat|bar|tilde|widehat|overline|widetilde)\{([^{}]*)\}")
_ACCENT_SUFFIX = {"hat": "hat", "widehat": "hat", "bar": "bar", "overline": "bar"}
_COMMAND = re.compile(r"\\([A-Za-z]+)")
_SUBSCRIPT = re.compile(r"_\{([^{}]*)\}")


def checker_name(name: str) -> str | None:
    """The checker's spelling of a symbol name, or None if it has none."""
    text = name.strip()
    for _ in range(3):  # nested fonts and accents
        text = _FONTS.sub(r"\1", text)
        text = _ACCENTS.sub(lambda m: m.group(2) + _ACCENT_SUFFIX.get(m.group(1), "tilde"), text)
    text = _COMMAND.sub(_greek, text)
    text = _SUBSCRIPT.sub(lambda m: "_" + m.group(1).replace(",", ""), text)
    text = "".join(GREEK.get(c, c) for c in text)
    text = text.replace(" ", "").replace("{", "").replace("}", "")
    return text if IDENTIFIER.match(text) else None


_GREEK_NAMES = frozenset(GREEK.values())


def _greek(match: re.Match[str]) -> str:
    word = match.group(1)
    word = word[3:] if word in ("varepsilon", "vartheta", "varphi") else word
    return word if word in _GREEK_NAMES else "\0"  # not a name: fails the identifier test


def symbol_name(symbol: Any) -> str | None:
    """The checker's name for a SymPy symbol; an indexed entry ``x[2]`` is ``x_2``."""
    if isinstance(symbol, sp.Indexed):
        indices = symbol.indices
        if not all(isinstance(i, sp.Integer) for i in indices):
            return None
        return checker_name(f"{symbol.base.label.name}_{{{','.join(map(str, indices))}}}")
    return checker_name(symbol.name)


def variables(expr: Any) -> set[Any]:
    """The free symbols of an expression that stand for values: not the labels of indexed
    families (``x`` in ``x[1] + x[2]``)."""
    if not isinstance(expr, sp.Basic):
        return set()
    labels = {i.base.label for i in expr.atoms(sp.Indexed)}
    return {s for s in expr.free_symbols if s not in labels}
