r"""A derivation as an HTML fragment, its math in ``\(…\)`` and ``\[…\]`` for MathJax or KaTeX.

>>> from derive.catalog import get
>>> page = html(get("inverse-2x2"))
>>> page.splitlines()[0]
'<article class="derive-derivation" id="inverse-2x2">'
>>> r"\[" in page and "<h2>Result</h2>" in page
True

The same sections as the Markdown view (``derive.render.markdown``); text is escaped, and the
LaTeX is left for the page's math renderer (Jupyter's MathJax typesets it as it is). For the
book's pages, with the math typeset ahead of time, see ``derive book``.
"""

from __future__ import annotations

from html import escape

from derive.numeric.derivation import Derivation
from derive.render.tex import domain_word, mistake_latex, step_latex, tex


def _inline(latex: str) -> str:
    return rf"\({escape(latex, quote=False)}\)"


def _display(latex: str) -> str:
    return rf"\[{escape(latex, quote=False)}\]"


def html(derivation: Derivation) -> str:
    """The derivation as an ``<article>`` element."""
    d = derivation
    out = [
        f'<article class="derive-derivation" id="{escape(d.id)}">',
        f"<h1>{escape(d.title)}</h1>",
        f"<p><em>{escape(d.topic.value)}</em> · <code>{escape(d.id)}</code></p>",
    ]
    if d.symbols:
        items = "".join(
            f"<li>{_inline(tex(v.symbol))}: {escape(v.meaning)} ({escape(domain_word(v))})</li>"
            for v in d.symbols
        )
        out.append(f"<h2>Symbols</h2><ul>{items}</ul>")
    if d.assumptions:
        out.append(f"<p><strong>Assumptions:</strong> {escape('; '.join(d.assumptions))}</p>")
    steps = "".join(
        f"<li>{escape(step.why)}<br>{_display(step_latex(step))}</li>" for step in d.steps
    )
    out.append(f"<h2>Derivation</h2><ol>{steps}</ol>")
    out.append("<h2>Result</h2>")
    out += [_display(f"{tex(r.lhs)} = {tex(r.rhs)}") for r in d.results]
    out.append(f"<h2>Intuition</h2><p>{escape(d.intuition)}</p>")
    out.append(
        f"<h2>Interview question</h2><p>{escape(d.interview.question)}</p>"
        f"<p><strong>Answer.</strong> {escape(d.interview.answer)}</p>"
    )
    mistakes = "".join(
        f"<li>{_inline(mistake_latex(m.lhs, m.rhs))} is wrong: {escape(m.explanation)}</li>"
        for m in d.mistakes
    )
    out.append(f"<h2>Common mistakes</h2><ul>{mistakes}</ul>")
    if d.notes:
        notes = "".join(f"<li>{escape(n)}</li>" for n in d.notes)
        out.append(f"<h2>Numerical notes</h2><ul>{notes}</ul>")
    out.append(f"<p><strong>Checked against:</strong> {escape(d.reference)}</p>")
    out.append("</article>")
    return "\n".join(out)
