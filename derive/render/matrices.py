"""Matrices written in prose as nested lists, typeset as matrices in LaTeX prose.

>>> print(matrix_prose("a = sqrt(14), cos θ = 16*sqrt(22)/77"))
a = \\ensuremath{\\sqrt{14}}, cos \\ensuremath{\\theta} = \\ensuremath{16\\sqrt{22}}/77
>>> print(matrix_prose("[[3/8, 1], [−2, 0.5]]").replace("smallmatrix", "m"))
\\ensuremath{\\left[\\begin{m}\\tfrac{3}{8} & 1\\\\ -2 & 0.5\\end{m}\\right]}

The interview questions and answers are plain Unicode text, where a matrix is written
``[[a, b], [c, d]]`` (rows of entries). In a sheet that spelling is a programmer's, not a
mathematician's: :func:`matrix_prose` typesets each such literal as a small bracketed matrix
and the rest of the text with :func:`~derive.render.tex.prose`. A literal with an entry it
cannot read exactly (anything but a number, a fraction, a square root, or a short product of
a number and a power of a letter) is left as text, never half-converted.
"""

from __future__ import annotations

import re

from derive.render.tex import prose

_LITERAL = re.compile(r"\[\[[^\[\]]*\](?:,\s*\[[^\[\]]*\])*\]")
_NUMBER = r"(?:\d+(?:\.\d+)?|sqrt\(\d+\))"
_FRACTION = re.compile(rf"^(−?)({_NUMBER})/(\d+)$")
_PLAIN = re.compile(rf"^−?{_NUMBER}$")
_MONOMIAL = re.compile(r"^(−?\d+)·([a-z])(²|³)?$")
_POWER = {"²": "^{2}", "³": "^{3}", None: ""}


def _number(text: str) -> str:
    return re.sub(r"sqrt\((\d+)\)", r"\\sqrt{\1}", text)


def _entry(text: str) -> str | None:
    """One entry as LaTeX math, or None when it is not one of the readable shapes."""
    text = text.strip()
    if fraction := _FRACTION.match(text):
        sign, top, bottom = fraction.groups()
        return ("-" if sign else "") + rf"\tfrac{{{_number(top)}}}{{{bottom}}}"
    if _PLAIN.match(text):
        return _number(text.replace("−", "-"))
    if monomial := _MONOMIAL.match(text):
        factor, letter, power = monomial.groups()
        return factor.replace("−", "-") + letter + _POWER[power]
    return None


def _matrix(literal: str) -> str | None:
    rows = re.findall(r"\[([^\[\]]*)\]", literal[1:-1])
    cells = [[_entry(cell) for cell in row.split(",")] for row in rows]
    if len({len(row) for row in cells}) != 1 or any(c is None for row in cells for c in row):
        return None
    body = r"\\ ".join(" & ".join(str(c) for c in row) for row in cells)
    return rf"\ensuremath{{\left[\begin{{smallmatrix}}{body}\end{{smallmatrix}}\right]}}"


_ROOT = re.compile(r"(?:(\d+)\*)?sqrt\((\d+)\)")


def _root(found: re.Match[str]) -> str:
    factor, radicand = found.groups()
    return rf"\ensuremath{{{factor or ''}\sqrt{{{radicand}}}}}"


def matrix_prose(text: str) -> str:
    """:func:`~derive.render.tex.prose`, with every readable ``[[…], […]]`` as a matrix and
    ``sqrt(6)``, ``16*sqrt(22)`` as roots."""
    out: list[str] = []
    last = 0
    for found in re.finditer(f"{_LITERAL.pattern}|{_ROOT.pattern}", text):
        root = _ROOT.fullmatch(found.group())
        typeset = _root(root) if root else _matrix(found.group())
        if typeset is None:
            continue
        out += [prose(text[last : found.start()]), typeset]
        last = found.end()
    return "".join([*out, prose(text[last:])])
