"""Checked working as a notebook shows it: HTML (KaTeX's MathML, drawn by the browser with no
CSS, fonts or script) and LaTeX (an ``align*`` for ``_repr_latex_``), each line with its mark.

>>> from derive.checker.api import check
>>> working = working_of_result(check(["x^2 = 4", "<=> x = 2"]))
>>> [(line.mark, line.latex) for line in working.lines]
[('given', 'x^{2} = 4'), ('refuted', '\\\\Leftrightarrow\\\\quad x = 2')]
>>> working.lines[1].counterexample
{'x': '-2'}
>>> print(latex(working).splitlines()[3])
& \\Leftrightarrow\\quad x = 2 && \\text{refuted: dividing by x + 2 loses the solution x = -2: \
it satisfies step 0 but not step 1; counterexample: x = -2}

The same :class:`Working` comes from a ``%%derive`` cell (:func:`working_of_block`), from a
``derive.check`` result (:func:`working_of_result`) and from a catalog derivation with its
verification report (:func:`working_of_derivation`); :func:`html` and :func:`latex` write it.
"""

from __future__ import annotations

import html as escape
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from derive.checker.vocabulary import known_function
from derive.render.working import MARKS, escape_text, step_latex

if TYPE_CHECKING:
    from derive.checker.api import Result
    from derive.core.model import Step
    from derive.documents.blocks import CheckedBlock
    from derive.numeric.derivation import Derivation
    from derive.reasoning.verify import Report

# mark -> (symbol, short word); the long words are render.working.MARKS
SYMBOLS: Mapping[str, tuple[str, str]] = {
    "proven": ("✓", "proven"),
    "numeric": ("✓", "numeric"),
    "refuted": ("✗", "refuted"),
    "unknown": ("?", "unknown"),
    "given": ("·", "given"),
    "defined": ("·", "defined"),
    "failed": ("✗", "failed"),
    "unverified": ("?", "unverified"),
    "start": ("", ""),
}
_CALLED = re.compile(r"([A-Za-z][A-Za-z0-9_]*)'*\(")


@dataclass(frozen=True)
class Shown:
    """One line of typeset working: its LaTeX, its mark (``proven``, ``numeric``, ``refuted``,
    ``unknown``, ``given``, ``defined``, or ``start`` for the expression a chain starts
    from), the relation judged, the checker's reason, a refuted line's counterexample, and
    the author's *why*."""

    latex: str
    mark: str
    relation: str | None = None
    reason: str | None = None
    counterexample: Mapping[str, str] | None = None
    why: str | None = None
    source: str = ""  # the step as read, in the checker's text syntax


@dataclass(frozen=True)
class Working:
    """Typeset working and its verdict (``correct`` / ``incorrect`` / ``unknown``; for a
    derivation ``passed`` / ``failed``); ``error``: why it could not be checked."""

    lines: tuple[Shown, ...]
    verdict: str
    summary: str
    title: str | None = None
    assumed: tuple[str, ...] = ()
    error: str | None = None
    result: str | None = None  # a derivation's result, LaTeX


# -- the three sources -----------------------------------------------------------------


def working_of_result(result: Result, given: Mapping[str, str] | None = None) -> Working:
    """``derive.check``'s result, line by line (``given``: the request's kinds, when known,
    so that a gradient is typeset as one)."""
    if result.error is not None:
        summary = _summary(result.verdict, None, result.error)
        return Working((), "unknown", summary, error=result.error)
    kinds = {**_functions(result.steps), **(given or {})}
    pairs = {pair.target: pair for pair in result.pairs}
    lines = []
    for index, text in enumerate(result.steps):
        pair = pairs.get(index)
        if pair is None:
            lines.append(Shown(step_latex(text, kinds), "start", source=text))
            continue
        reason = "; ".join(r for r in (pair.diagnosis, pair.note) if r) or None
        relation = pair.relation if pair.judged else None
        lines.append(
            Shown(
                step_latex(text, kinds),
                pair.verdict,
                relation,
                reason,
                pair.counterexample,
                source=text,
            )
        )
    where = None if result.first_error is None else f"step {result.first_error}"
    return Working(
        tuple(lines), result.verdict, _summary(result.verdict, where), assumed=result.assumed
    )


def working_of_block(checked: CheckedBlock) -> Working:
    """A checked ``derive`` block (a ``%%derive`` cell), each line with its *why*."""
    result = checked.result
    if result.error is not None:  # only an internal error reaches here (status 3)
        return Working((), "unknown", _summary("unknown", None, result.error), error=result.error)
    kinds = {**_functions(line.read for line in checked.lines), **checked.block.kinds}
    lines = tuple(
        Shown(
            step_latex(line.read, kinds),
            line.mark,
            line.relation,
            line.reason,
            line.counterexample,
            line.line.why,
            line.read,
        )
        for line in checked.lines
    )
    first = next((line for line in checked.lines if line.verdict == "refuted"), None)
    where = None if first is None else f"line {first.line.number}"
    return Working(lines, result.verdict, _summary(result.verdict, where), assumed=result.assumed)


def working_of_derivation(derivation: Derivation, report: Report | None) -> Working:
    """A catalog derivation's steps, each marked by its verification ``report`` (None: not
    verified, every judged step ``unverified``)."""
    from derive.core.model import Rel
    from derive.render.tex import result_latex, tex

    status: dict[int, str] = {}
    for check in report.checks if report else ():
        match = re.match(r"step (\d+):", check.name)
        if match:
            status[int(match.group(1))] = check.status if check.passed else "failed"
    relation = {Rel.GE: r"\geq", Rel.LE: r"\leq", Rel.NE: r"\neq"}
    lead = {Rel.IFF: r"\Leftrightarrow\quad ", Rel.IMPLIES: r"\Rightarrow\quad "}
    lines = []
    for number, step in enumerate(derivation.steps, 1):
        left = "" if step.lhs is None else tex(step.lhs) + " "
        op = relation.get(step.rel, "=")
        if step.rel is Rel.IMPLIES and getattr(step.rhs, "is_FiniteSet", False):
            op = r"\in"
        mark = "given" if step.rel is Rel.GIVEN else status.get(number, "unverified")
        formula = f"{lead.get(step.rel, '')}{left}{op} {tex(step.rhs)}"
        lines.append(Shown(formula, mark, why=step.why, source=_plain(step)))
    if report is None:
        verdict, summary = "unknown", "not verified"
    else:
        passed = sum(c.passed for c in report.checks)
        verdict = "passed" if report.passed else "failed"
        summary = f"{verdict}: {passed} of {len(report.checks)} checks"
    return Working(
        tuple(lines),
        verdict,
        summary,
        title=derivation.title,
        result=result_latex(derivation),
    )


def _plain(step: Step) -> str:
    """A derivation step on one line of plain text (SymPy's ``sstr``)."""
    import sympy as sp

    from derive.core.model import Rel

    words = {Rel.IFF: "<=> ", Rel.IMPLIES: "=> "}
    op = {Rel.GE: ">=", Rel.LE: "<=", Rel.NE: "!="}.get(step.rel, "=")
    left = "" if step.lhs is None else sp.sstr(step.lhs) + " "
    return f"{words.get(step.rel, '')}{left}{op} {sp.sstr(step.rhs)}"


def _functions(texts: Iterable[str]) -> dict[str, str]:
    """Names written as calls that are not known functions: declared functions of the
    request (a result does not carry its kinds; this is only for typesetting)."""
    found: dict[str, str] = {}
    for text in texts:
        for name in _CALLED.findall(text):
            if not known_function(name) and name not in ("E", "P", "diff"):
                found[name] = "function"
    return found


def _summary(verdict: str, where: str | None, error: str | None = None) -> str:
    if error is not None:
        return f"could not be checked: {error}"
    return {
        "correct": "correct: every line follows from the one before",
        "incorrect": f"incorrect: {where or 'a line'} does not follow",
        "unknown": "undecided: a line could be neither proven nor refuted",
    }.get(verdict, verdict)


# -- LaTeX -----------------------------------------------------------------------------


def _note(line: Shown) -> str:
    """A line's mark, reason and counterexample as words (plain text)."""
    if line.mark == "start":
        return ""
    words = [SYMBOLS.get(line.mark, ("", line.mark))[1]]
    if line.reason:
        words.append(line.reason)
    if line.counterexample:
        words.append("counterexample: " + _point(line.counterexample))
    head, *rest = words
    return head + (": " + "; ".join(rest) if rest else "")


def _point(values: Mapping[str, str]) -> str:
    return ", ".join(f"{name} = {value}" for name, value in values.items())


def latex(working: Working) -> str:
    """The working as an ``align*`` (what ``_repr_latex_`` returns): the steps aligned on
    their relation, each with its mark, reason and counterexample in words."""
    if working.error is not None:  # delimited: a notebook typesets only what is marked as math
        return r"$\text{" + escape_text(working.summary) + "}$"
    rows = []
    for line in working.lines:
        body = f"{line.latex} &" if line.mark == "start" else f"& {line.latex}"
        note = _note(line)
        if line.why:
            note = f"{line.why} — {note}" if note else line.why
        rows.append(body + (r" && \text{" + escape_text(note) + "}" if note else ""))
    if working.result:
        rows.append(r"&\boxed{" + working.result + "}")
    head = r"\text{" + escape_text(working.summary) + "}"
    return "\\begin{align*}\n" + head + " \\\\\n" + " \\\\\n".join(rows) + "\n\\end{align*}"


# -- HTML ------------------------------------------------------------------------------

STYLE = """
.derive-working{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;line-height:1.45;
  max-width:56em;margin:.25em 0;color:inherit}
.derive-working h3{font-size:1.1em;margin:.2em 0 .4em}
.derive-working .dw-summary{margin:.2em 0 .5em;font-weight:600}
.derive-working .dw-line{display:grid;grid-template-columns:6.5em minmax(0,1fr);gap:.1em .8em;
  padding:.35em .4em;border-left:4px solid transparent;border-radius:3px}
.derive-working .dw-line+.dw-line{border-top:1px solid rgba(128,128,128,.25)}
.derive-working .dw-mark{font-size:.85em;font-weight:600;white-space:nowrap;padding-top:.25em}
.derive-working .dw-math{overflow-x:auto;overflow-y:hidden;font-size:1.15em;padding:.1em 0}
.derive-working .dw-math math{font-size:1.1em;text-align:left;margin:0}
.derive-working .dw-note{grid-column:2;font-size:.88em;opacity:.9}
.derive-working .dw-why{grid-column:2;font-size:.88em;font-style:italic;opacity:.8}
.derive-working .dw-cx{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.95em}
.derive-working .dw-ok{color:#1a7f37}.derive-working .dw-bad{color:#cf222e}
.derive-working .dw-info{color:#6e7781}
.derive-working .dw-line.dw-bad{border-left-color:#cf222e;background:rgba(207,34,46,.07)}
.derive-working .dw-assumed{font-size:.85em;opacity:.8;margin:.4em 0 0}
@media (max-width:480px){.derive-working .dw-line{grid-template-columns:minmax(0,1fr)}
  .derive-working .dw-note,.derive-working .dw-why{grid-column:1}}
"""
_TONE = {
    "proven": "dw-ok",
    "numeric": "dw-ok",
    "passed": "dw-ok",
    "correct": "dw-ok",
    "refuted": "dw-bad",
    "failed": "dw-bad",
    "incorrect": "dw-bad",
}


def typeset(formulas: Sequence[str]) -> list[str]:
    """Each formula as MathML (KaTeX, display style); if KaTeX is missing or rejects one, the
    TeX between ``\\[ \\]`` for the notebook's MathJax instead (never a blank line)."""
    from derive.book.katex import KatexError, render

    try:
        # inline MathML in display style: set flush left, as working is written
        shown = render([(r"\displaystyle " + f, False) for f in formulas], output="mathml")
    except KatexError:
        return [escape.escape(rf"\[{f}\]") for f in formulas]
    # MathML Core draws no mathvariant but "normal": the letter itself must be double-struck
    return [m.replace('<mi mathvariant="double-struck">E</mi>', "<mi>𝔼</mi>") for m in shown]


def html(working: Working) -> str:
    """The working as a self-contained HTML fragment (its own scoped style)."""
    e = escape.escape
    tone = _TONE.get(working.verdict, "dw-info")
    parts = [f'<div class="derive-working" data-verdict="{e(working.verdict)}">']
    parts.append(f"<style>{STYLE}</style>")
    if working.title:
        parts.append(f"<h3>{e(working.title)}</h3>")
    symbol = {"dw-ok": "✓ ", "dw-bad": "✗ "}.get(tone, "")
    parts.append(f'<p class="dw-summary {tone}">{symbol}{e(working.summary)}</p>')
    formulas = [line.latex for line in working.lines]
    if working.result:
        formulas.append(r"\boxed{" + working.result + "}")
    shown = typeset(formulas) if formulas else []
    for line, math in zip(working.lines, shown, strict=False):
        symbol, word = SYMBOLS.get(line.mark, ("?", line.mark))
        line_tone = _TONE.get(line.mark, "dw-info")
        bad = " dw-bad" if line_tone == "dw-bad" else ""
        title = e(MARKS.get(line.mark, word), quote=True)
        parts.append(f'<div class="dw-line{bad}" data-mark="{e(line.mark)}">')
        parts.append(f'<span class="dw-mark {line_tone}" title="{title}">{symbol} {e(word)}</span>')
        parts.append(f'<div class="dw-math">{math}</div>')
        if line.why:
            parts.append(f'<div class="dw-why">{e(line.why)}</div>')
        notes = []
        if line.reason:
            notes.append(e(line.reason))
        if line.counterexample:
            point = e(_point(line.counterexample))
            notes.append(f'counterexample: <span class="dw-cx">{point}</span>')
        if notes:
            parts.append(f'<div class="dw-note">{"; ".join(notes)}</div>')
        parts.append("</div>")
    if working.result and len(shown) > len(working.lines):
        parts.append('<div class="dw-line dw-result" data-mark="result">')
        parts.append('<span class="dw-mark dw-info">result</span>')
        parts.append(f'<div class="dw-math">{shown[-1]}</div></div>')
    if working.assumed:
        names = ", ".join(working.assumed)
        parts.append(f'<p class="dw-assumed">taken as real scalars: {e(names)}</p>')
    parts.append("</div>")
    return "\n".join(parts)


# -- plain text and the object a notebook displays ---------------------------------------


def text(working: Working) -> str:
    """The working as plain text (a terminal's IPython, ``repr``): one line per step."""
    out = [working.title] if working.title else []
    out.append(working.summary)
    width = min(max((len(line.source) for line in working.lines), default=0), 40)
    for line in working.lines:
        symbol, word = SYMBOLS.get(line.mark, ("?", line.mark))
        why = f"  # {line.why}" if line.why else ""
        out.append(f"  {symbol} {word:<9} {line.source:<{width}}{why}".rstrip())
        notes = [line.reason] if line.reason else []
        if line.counterexample:
            notes.append("counterexample: " + _point(line.counterexample))
        if notes:
            out.append(" " * 14 + "; ".join(notes))
    return "\n".join(out)


@dataclass(frozen=True)
class Typeset:
    """What a notebook displays for checked working: HTML, LaTeX and text representations."""

    working: Working

    def _repr_html_(self) -> str:
        return html(self.working)

    def _repr_latex_(self) -> str:
        return latex(self.working)

    def __repr__(self) -> str:
        return text(self.working)

    @property
    def verdict(self) -> str:
        return self.working.verdict

    @property
    def marks(self) -> list[str]:
        """Each line's mark, in order."""
        return [line.mark for line in self.working.lines]
