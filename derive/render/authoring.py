"""The rendering functions of the public API: a derivation as LaTeX, Markdown, text or HTML.

>>> import derive
>>> d = derive.get("inverse-2x2")
>>> to_latex(d).startswith(r"\\documentclass")
True
>>> to_latex(d, standalone=False).startswith(r"\\section*")
True
>>> to_markdown(d).splitlines()[0], "A⁻¹" in to_text(d), to_html(d).startswith("<article")
('# Inverse of a 2×2 matrix', True, True)

They work on any :class:`~derive.Derivation`, from the catalog, a plug-in catalog or your own
code; ``derive.to_latex`` etc. are these functions.
"""

from __future__ import annotations

from derive.numeric.derivation import Derivation
from derive.render import html, markdown, tex, text


def to_latex(derivation: Derivation, *, standalone: bool = True) -> str:
    """LaTeX: a document that compiles with pdflatex, or (``standalone=False``) its body, to
    put in a document of your own (it needs ``amsmath`` and ``amssymb``)."""
    if standalone:
        return tex.document(derivation)
    return tex.body(derivation)


def to_markdown(derivation: Derivation) -> str:
    """Markdown, with math in ``$…$`` and ``$$…$$``."""
    return markdown.markdown(derivation)


def to_text(derivation: Derivation) -> str:
    """Plain text for a terminal, formulas drawn in Unicode."""
    return text.text(derivation)


def to_html(derivation: Derivation) -> str:
    r"""An HTML ``<article>``, math in ``\(…\)`` / ``\[…\]`` for MathJax or KaTeX."""
    return html.html(derivation)
