"""A derivation as plain terminal text, formulas drawn by SymPy's Unicode pretty printer.

>>> from derive.catalog import get
>>> text(get("inverse-2x2")).splitlines()[0]
'Inverse of a 2×2 matrix  [linear-algebra · inverse-2x2]'
"""

from __future__ import annotations

import textwrap
from typing import Any

import sympy as sp
from sympy.printing.pretty.pretty import PrettyPrinter
from sympy.printing.pretty.stringpict import prettyForm

from derive.core.model import Rel, Step
from derive.numeric.derivation import Derivation

_OPS = {Rel.GE: "≥", Rel.LE: "≤", Rel.NE: "≠"}
_LEAD = {Rel.IFF: "⇔ ", Rel.IMPLIES: "⇒ "}


class _Pretty(PrettyPrinter):
    """SymPy's pretty printer, with conditions drawn as ``P(A | B)`` (SymPy draws ``P(A, B)``)."""

    def _given(self, expr: Any, name: str, brackets: tuple[str, str]) -> Any:
        form = self._print(expr.args[0])
        if len(expr.args) > 1 and expr.args[1] is not None:
            form = prettyForm(*form.right(" | ", self._print(expr.args[1])))
        return prettyForm(*prettyForm(*form.parens(*brackets)).left(name))

    def _print_Probability(self, expr: Any) -> Any:
        return self._given(expr, "P", ("(", ")"))

    def _print_Expectation(self, expr: Any) -> Any:
        return self._given(expr, "E", ("[", "]"))


def pretty(expr: Any) -> str:
    """SymPy's Unicode drawing of an expression.

    >>> from sympy import stats
    >>> X = stats.Die("X", 6)
    >>> pretty(stats.Probability(sp.Eq(X, 6), X > 3))
    'P(X = 6 | X > 3)'
    """
    return str(_Pretty({"use_unicode": True, "wrap_line": False}).doprint(expr))


def _side_by_side(*drawings: str) -> str:
    """Join multi-line drawings horizontally, vertically centred."""
    blocks = [b.splitlines() or [""] for b in drawings]
    height = max(len(b) for b in blocks)
    padded = []
    for block in blocks:
        width = max(len(line) for line in block)
        top = (height - len(block)) // 2
        rows = [""] * top + block + [""] * (height - len(block) - top)
        padded.append([row.ljust(width) for row in rows])
    return "\n".join("".join(parts).rstrip() for parts in zip(*padded, strict=True))


def step_text(step: Step) -> str:
    """One step drawn as ``lhs = rhs`` or ``= rhs``."""
    op = _OPS.get(step.rel, "=")
    if step.rel is Rel.IMPLIES and isinstance(step.rhs, sp.FiniteSet):
        op = "∈"
    left = pretty(step.lhs) if step.lhs is not None else ""
    return _side_by_side(_LEAD.get(step.rel, ""), left, f" {op} ", pretty(step.rhs))


def text(derivation: Derivation) -> str:
    """The whole derivation for a terminal."""
    d = derivation
    wrap = textwrap.TextWrapper(width=92)
    out = [f"{d.title}  [{d.topic.value} · {d.id}]", ""]
    if d.assumptions:
        out += ["Assumptions: " + "; ".join(d.assumptions), ""]
    for number, step in enumerate(d.steps, 1):
        out += wrap.wrap(f"{number}. {step.why}")
        out += [textwrap.indent(step_text(step), "    "), ""]
    out.append("Result:")
    for r in d.results:
        out += [textwrap.indent(_side_by_side(pretty(r.lhs), " = ", pretty(r.rhs)), "    ")]
    out += ["", "Intuition:", *wrap.wrap(d.intuition)]
    out += ["", "Interview: " + d.interview.question, *wrap.wrap("Answer: " + d.interview.answer)]
    out += ["", "Common mistakes:"]
    for m in d.mistakes:
        drawn = _side_by_side(pretty(m.lhs), " = ", pretty(m.rhs))
        out += ["  ✗ " + m.explanation, textwrap.indent(drawn, "      ")]
    if d.notes:
        out += ["", "Notes:"] + [line for n in d.notes for line in wrap.wrap(n)]
    out += ["", f"Checked against: {d.reference}"]
    return "\n".join(out)
