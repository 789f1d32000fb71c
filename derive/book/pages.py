"""HTML of the book's pages; math is left as placeholders for one batched KaTeX render.

>>> from derive.catalog import get
>>> maths = Formulas()
>>> page = derivation_page(get("inverse-2x2"), maths, report=None, plot=None)
>>> "<title>Inverse of a 2×2 matrix" in page and len(maths.items) > 5
True
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from derive.core.model import Rel, Topic
from derive.numeric.derivation import Derivation
from derive.render.code import twin_code
from derive.render.tex import mistake_latex, step_latex, tex

if TYPE_CHECKING:
    from derive.reasoning.verify import Report

SITE = "derive"
TOPIC_TITLES = {
    Topic.LINEAR_ALGEBRA: "Linear algebra",
    Topic.PROBABILITY_STATISTICS: "Probability and statistics",
    Topic.CALCULUS_OPTIMIZATION: "Calculus and optimisation",
}
_TOKEN = re.compile("\x00(\\d+)\x00")


@dataclass
class Formulas:
    """Collects (tex, display) pairs and hands out placeholders; ``fill`` puts HTML back."""

    items: list[tuple[str, bool]] = field(default_factory=list)
    _index: dict[tuple[str, bool], int] = field(default_factory=dict)

    def __call__(self, latex: str, display: bool = False) -> str:
        key = (latex, display)
        if key not in self._index:
            self._index[key] = len(self.items)
            self.items.append(key)
        return f"\x00{self._index[key]}\x00"

    def fill(self, text: str, rendered: Sequence[str]) -> str:
        """Replace every placeholder by its rendered HTML."""
        return _TOKEN.sub(lambda m: rendered[int(m.group(1))], text)


@dataclass(frozen=True)
class PlotView:
    """A rendered plot on a page: its file (relative to the page) and caption."""

    src: str
    caption: str
    missing: str = ""  # why the plot could not be drawn (then ``src`` is empty)


def esc(text: str) -> str:
    """HTML-escaped text."""
    return html.escape(text, quote=True)


def _head(title: str, description: str) -> str:
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n"
        f'<meta name="description" content="{esc(description)}">\n'
        '<link rel="stylesheet" href="assets/katex/katex.min.css">\n'
        '<link rel="stylesheet" href="assets/book.css">\n'
        "</head>\n<body>\n"
    )


def _summary(text: str, limit: int = 160) -> str:
    """The first sentence(s) of a paragraph, at most ``limit`` characters."""
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


def status_line(report: Report | None) -> tuple[str, str]:
    """(css class, text) describing a verification report."""
    if report is None:
        return "unknown", "not verified in this build"
    statuses = [c.status for c in report.checks]
    passed = sum(c.passed for c in report.checks)
    text = (
        f"{passed}/{len(report.checks)} checks passed · {statuses.count('proven')} proven "
        f"symbolically · {statuses.count('numeric')} by exact numeric screen"
    )
    return ("passed" if report.passed else "failed"), text


def _step_status(report: Report | None) -> dict[int, str]:
    out: dict[int, str] = {}
    for check in report.checks if report else ():
        match = re.match(r"step (\d+):", check.name)
        if match:
            out[int(match.group(1))] = check.status if check.passed else "failed"
    return out


_REL_WORDS = {
    Rel.GIVEN: "given",
    Rel.EQ: "",
    Rel.IDENTITY: "identity",
    Rel.IFF: "equivalent",
    Rel.IMPLIES: "implies",
    Rel.GE: "inequality",
    Rel.LE: "inequality",
    Rel.NE: "counterexample",
}


def _steps(d: Derivation, m: Formulas, report: Report | None) -> str:
    status = _step_status(report)
    items = []
    for number, step in enumerate(d.steps, 1):
        lead = {Rel.IFF: r"\iff\quad ", Rel.IMPLIES: r"\implies\quad "}.get(step.rel, "")
        badge = "given" if step.rel is Rel.GIVEN else status.get(number, "unverified")
        kind = _REL_WORDS[step.rel]
        label = badge if not kind or kind == "given" else f"{kind} · {badge}"
        items.append(
            f'<li><p class="why">{esc(step.why)} <span class="badge {esc(badge)}">'
            f"{esc(label)}</span></p>{m(lead + step_latex(step), True)}</li>"
        )
    return '<ol class="steps">\n' + "\n".join(items) + "\n</ol>"


def _twins(d: Derivation, m: Formulas) -> str:
    blocks = []
    for twin in d.twins:
        code = twin_code(twin)
        if code.latex is None:
            right = (
                f'<p class="note">latexify-py cannot render this function: {esc(code.problem)}</p>'
            )
        else:
            right = '<p class="note">latexify-py reads the same function:</p>' + m(code.latex, True)
        notes = "".join(f"<li><code>{esc(line)}</code></li>" for line in code.inputs)
        notes += f"<li>It {esc(code.output)}.</li>"
        blocks.append(
            f'<div class="twin"><h3>Numeric twin <code>{esc(code.name)}</code></h3>'
            f'<div class="side"><pre><code>{esc(code.source)}</code></pre><div>{right}</div></div>'
            f"<ul>{notes}</ul>"
            f"<p>Checked against <strong>{esc(twin.reference.name)}</strong> "
            f"({esc(twin.reference.kind)}) on seeded random inputs, one at a time and as a batch, "
            f"to rtol {twin.rtol:g}, atol {twin.atol:g}. Domain: {esc(twin.domain)}.</p></div>"
        )
    return "\n".join(blocks)


def _verification(report: Report | None) -> str:
    css, text = status_line(report)
    if report is None:
        return f'<p class="status {css}">{esc(text)}</p>'
    rows = "\n".join(
        f'<tr class="{"ok" if c.passed else "bad"}"><td>{esc(c.name)}</td>'
        f"<td>{esc(c.status)}</td><td>{esc(c.detail)}</td></tr>"
        for c in report.checks
    )
    return (
        f'<p class="status {css}">{esc(text)}</p>\n<details><summary>All checks</summary>\n'
        "<table><thead><tr><th>check</th><th>status</th><th>detail</th></tr></thead>\n"
        f"<tbody>\n{rows}\n</tbody></table></details>"
    )


def _plot(plot: PlotView | None) -> str:
    if plot is None:
        return ""
    if not plot.src:
        return f'<p class="note">No picture: {esc(plot.missing)}</p>'
    return (
        f'<figure><img src="{esc(plot.src)}" alt="{esc(plot.caption)}">'
        f"<figcaption>{esc(plot.caption)}</figcaption></figure>"
    )


def derivation_page(
    d: Derivation, m: Formulas, *, report: Report | None, plot: PlotView | None
) -> str:
    """The page of one derivation."""
    css, status = status_line(report)
    title = f"{d.title}: derivation, intuition and interview question | {SITE}"
    parts = [
        _head(title, f"{d.title}, derived step by step and verified. {_summary(d.intuition)}"),
        f'<nav><a href="index.html">{SITE} · the derivation book</a> › '
        f'<a href="index.html#{d.topic.value}">{esc(TOPIC_TITLES[d.topic])}</a></nav>\n<main>',
        f"<h1>{esc(d.title)}</h1>",
        f'<p class="meta"><code>{esc(d.id)}</code> · <span class="status {css}">'
        f"{esc(status)}</span></p>",
    ]
    if d.symbols:
        symbols = "".join(
            f'<li>{m(tex(v.symbol))}: {esc(v.meaning)} <span class="domain">'
            f"({esc(v.domain.value)})</span></li>"
            for v in d.symbols
        )
        parts.append(f'<section id="symbols"><h2>Symbols</h2><ul>{symbols}</ul></section>')
    if d.assumptions:
        assumed = "".join(f"<li>{esc(a)}</li>" for a in d.assumptions)
        parts.append(f'<section id="assumptions"><h2>Assumptions</h2><ul>{assumed}</ul></section>')
    parts.append(f'<section id="derivation"><h2>Derivation</h2>{_steps(d, m, report)}</section>')
    results = "".join(m(rf"\boxed{{{tex(r.lhs)} = {tex(r.rhs)}}}", True) for r in d.results)
    parts.append(f'<section id="result"><h2>Result</h2>{results}</section>')
    parts.append(
        f'<section id="intuition"><h2>Intuition</h2><p>{esc(d.intuition)}</p>'
        f"{_plot(plot)}</section>"
    )
    parts.append(
        '<section id="interview"><h2>Interview question</h2>'
        f"<p>{esc(d.interview.question)}</p><details><summary>Answer</summary>"
        f"<p>{esc(d.interview.answer)}</p></details></section>"
    )
    mistakes = "".join(
        f'<li><div class="wrong">{m(mistake_latex(x.lhs, x.rhs), True)}</div>'
        f"<p><strong>{esc(x.name or 'Wrong')}.</strong> {esc(x.explanation)}</p></li>"
        for x in d.mistakes
    )
    parts.append(
        '<section id="mistakes"><h2>Common mistakes</h2><p>Each formula below is wrong; the '
        f'verifier refutes it with a counterexample.</p><ul class="mistakes">{mistakes}</ul>'
        "</section>"
    )
    parts.append(f'<section id="code"><h2>The code</h2>{_twins(d, m)}</section>')
    if d.notes:
        notes = "".join(f"<li>{esc(n)}</li>" for n in d.notes)
        parts.append(f'<section id="notes"><h2>Numerical notes</h2><ul>{notes}</ul></section>')
    parts.append(
        '<section id="verification"><h2>Verification</h2>'
        f"<p>Reference: {esc(d.reference)}.</p>{_verification(report)}</section>"
    )
    parts.append("</main>\n" + _footer() + "</body>\n</html>\n")
    return "\n".join(parts)


def _footer() -> str:
    return (
        "<footer>Made by <code>derive book</code>: SymPy derives, NumPy/SciPy check, KaTeX "
        "typesets (offline).</footer>\n"
    )


def index_page(
    derivations: Sequence[Derivation], reports: Mapping[str, Report | None], m: Formulas
) -> str:
    """The table of contents, by topic."""
    by_topic: dict[Topic, list[Derivation]] = {}
    for d in derivations:
        by_topic.setdefault(d.topic, []).append(d)
    known = [r for r in reports.values() if r is not None]
    checks = sum(len(r.checks) for r in known)
    passed = sum(r.passed for r in known)
    parts = [
        _head(
            f"The derivation book: linear algebra, probability and calculus for ML | {SITE}",
            "Derivations of the mathematics behind machine learning, each verified step by step "
            "with SymPy and checked against independent NumPy/SciPy references.",
        ),
        "<main>",
        "<h1>The derivation book</h1>",
        "<p>The mathematics behind machine learning, from "
        + m(r"A^{-1}")
        + " to "
        + m(r"\nabla_\theta \lVert X\theta - y\rVert^2 = 0")
        + ", derived with SymPy: every step verified against the one before it, every result "
        "checked against an independent numeric reference. Each page has the derivation, the "
        "intuition, an interview question, the common mistakes and the code.</p>",
        f'<p class="status {"passed" if passed == len(known) and known else "unknown"}">'
        f"{len(derivations)} derivation{'' if len(derivations) == 1 else 's'} · "
        f"{passed} of {len(known)} verified in this build · "
        f"{checks} checks</p>",
    ]
    for topic, items in by_topic.items():
        entries = []
        for d in items:
            css, status = status_line(reports.get(d.id))
            entries.append(
                f'<li><a href="{esc(d.id)}.html">{esc(d.title)}</a> '
                f'<span class="status {css}" title="{esc(status)}">'
                f"{'✓' if css == 'passed' else ('✗' if css == 'failed' else '?')}</span>"
                f'<br><span class="summary">{esc(_summary(d.intuition, 140))}</span></li>'
            )
        parts.append(
            f'<section id="{esc(topic.value)}"><h2>{esc(TOPIC_TITLES[topic])}</h2>'
            f'<ul class="toc">{"".join(entries)}</ul></section>'
        )
    parts.append("</main>\n" + _footer() + "</body>\n</html>\n")
    return "\n".join(parts)


CSS = """
body { font: 17px/1.55 Georgia, "Times New Roman", serif; color: #222; margin: 0;
  background: #fdfdfb; }
main { max-width: 54rem; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
nav, footer { max-width: 54rem; margin: 0 auto; padding: 0.8rem 1.5rem; font-size: 0.9rem;
  color: #666; }
nav a { color: #36c; }
h1 { font-size: 2rem; margin-bottom: 0.2rem; }
h2 { border-bottom: 1px solid #ddd; padding-bottom: 0.2rem; margin-top: 2rem; }
.meta { color: #555; }
.status.passed { color: #176b2c; }
.status.failed { color: #b00020; }
.status.unknown { color: #8a6d00; }
ol.steps li { margin-bottom: 0.8rem; }
.why { margin: 0.2rem 0; }
.badge { font: 0.72rem/1 sans-serif; padding: 0.15rem 0.4rem; border-radius: 0.6rem;
  background: #eee; color: #444; white-space: nowrap; }
.badge.proven { background: #dff3e4; color: #176b2c; }
.badge.numeric { background: #e6efff; color: #1d4ea8; }
.badge.failed { background: #fde2e4; color: #b00020; }
.katex-display { overflow-x: auto; overflow-y: hidden; padding: 0.2rem 0; }
.wrong { border-left: 3px solid #b00020; padding-left: 0.6rem; }
ul.mistakes { list-style: none; padding-left: 0; }
ul.mistakes li { margin-bottom: 0.8rem; }
figure { margin: 1.2rem 0; text-align: center; }
figure img { max-width: 100%; height: auto; }
figcaption { font-size: 0.9rem; color: #555; }
.twin .side { display: grid; grid-template-columns: minmax(0, 2fr) minmax(0, 3fr); gap: 1rem;
  align-items: start; }
.twin .katex-display { font-size: 0.85em; }
pre { background: #f4f4f0; padding: 0.6rem; font-size: 0.8rem; white-space: pre-wrap;
  overflow-wrap: anywhere; }
.note { color: #555; font-size: 0.9rem; }
table { border-collapse: collapse; font-size: 0.8rem; width: 100%; }
td, th { border-bottom: 1px solid #e4e4e4; padding: 0.25rem; text-align: left;
  vertical-align: top; }
tr.bad td { color: #b00020; }
ul.toc li { margin-bottom: 0.5rem; }
.summary { color: #666; font-size: 0.9rem; }
@media (max-width: 700px) { .twin .side { grid-template-columns: 1fr; } }
"""
