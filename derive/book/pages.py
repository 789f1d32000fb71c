"""HTML of the book's pages; math is left as placeholders for one batched KaTeX render.

>>> from derive.catalog import get
>>> maths = Formulas()
>>> page = derivation_page(get("inverse-2x2"), maths, report=None, plot=None)
>>> "<title>Inverse of a 2×2 matrix" in page and len(maths.items) > 5
True
"""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from derive.book.links import HOMES, Use, uses
from derive.core.model import Rel, Topic
from derive.numeric.derivation import Derivation
from derive.render.code import twin_code
from derive.render.tex import domain_word, mistake_latex, step_latex, tex

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

    def on(self, text: str) -> tuple[tuple[str, bool], ...]:
        """The formulas whose placeholders are in ``text``, in order of first appearance."""
        numbers = dict.fromkeys(int(n) for n in _TOKEN.findall(text))
        return tuple(self.items[n] for n in numbers)

    def fill(self, text: str, rendered: Sequence[str]) -> str:
        """Replace every placeholder by its rendered HTML; a displayed formula comes in a box
        that scrolls sideways on its own, with a button that copies its LaTeX."""

        def html_of(match: re.Match[str]) -> str:
            number = int(match.group(1))
            latex, display = self.items[number]
            if not display:
                return rendered[number]
            return (
                f'<div class="formula"><div class="scroll">{rendered[number]}</div>'
                f'<button type="button" class="copy-tex" data-tex="{esc(latex)}" '
                'title="Copy this formula\'s LaTeX" aria-label="Copy LaTeX">TeX</button></div>'
            )

        return _TOKEN.sub(html_of, text)


@dataclass(frozen=True)
class Book:
    """What a page links to: the derivations next to it in its topic, and the ones it uses."""

    titles: Mapping[str, str]
    previous: Mapping[str, str]
    next: Mapping[str, str]
    uses: Mapping[str, Sequence[Use]]
    used_by: Mapping[str, Sequence[Use]]

    @classmethod
    def of(cls, derivations: Sequence[Derivation]) -> Book:
        """Neighbours in catalog order within each topic; uses from ``derive.book.links``."""
        return cls.linked([(d.id, d.topic, d.title, uses(d, HOMES)) for d in derivations])

    @classmethod
    def linked(cls, items: Sequence[tuple[str, Topic, str, Sequence[Use]]]) -> Book:
        """The book of derivations given as (id, topic, title, uses against every home), in
        catalog order: a link only to a derivation among them."""
        previous: dict[str, str] = {}
        following: dict[str, str] = {}
        for topic in dict.fromkeys(t for _, t, _, _ in items):
            chain = [i for i, t, _, _ in items if t is topic]
            for before, after in itertools.pairwise(chain):
                following[before], previous[after] = after, before
        present = {i for i, _, _, _ in items}
        forward = {i: [u for u in used if u.home in present] for i, _, _, used in items}
        backward: dict[str, list[Use]] = {i: [] for i, _, _, _ in items}
        for i, _, _, _ in items:
            for use in forward[i]:
                backward[use.home].append(Use(i, use.operations))
        titles = {i: title for i, _, title, _ in items}
        return cls(titles, previous, following, forward, backward)


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
        '<meta name="color-scheme" content="light dark">\n'
        f"<title>{esc(title)}</title>\n"
        f'<meta name="description" content="{esc(description)}">\n'
        '<link rel="stylesheet" href="assets/katex/katex.min.css">\n'
        '<link rel="stylesheet" href="assets/book.css">\n'
        '<script src="assets/book.js" defer></script>\n'
        "</head>\n<body>\n"
    )


def search_box() -> str:
    """The search form (``assets/book.js`` fills in the results; without it the form asks
    the index page, which shows the same box)."""
    return (
        '<form class="search" role="search" action="index.html" method="get">'
        '<input type="search" name="q" placeholder="Search: a word or a symbol (λ, det)" '
        'aria-label="Search the book" autocomplete="off">'
        '<ol class="search-results" hidden></ol></form>'
    )


def _links(uses: Sequence[Use], titles: Mapping[str, str]) -> str:
    return "".join(
        f'<li><a href="{esc(u.home)}.html">{esc(titles[u.home])}</a> '
        f'<span class="for">({esc(", ".join(u.operations))})</span></li>'
        for u in uses
    )


def _connections(d: Derivation, book: Book) -> str:
    uses, used_by = book.uses.get(d.id, ()), book.used_by.get(d.id, ())
    if not uses and not used_by:
        return ""
    parts = ['<section id="connections"><h2>Connections</h2>']
    if uses:
        parts.append(f'<h3>Uses</h3><ul class="uses">{_links(uses, book.titles)}</ul>')
    if used_by:
        parts.append(f'<h3>Used by</h3><ul class="used-by">{_links(used_by, book.titles)}</ul>')
    parts.append(
        '<p class="note">A derivation uses another when one of its steps applies an operation '
        "(in brackets) whose rules the other derives.</p></section>"
    )
    return "".join(parts)


def _pager(d: Derivation, book: Book) -> str:
    links = []
    if d.id in book.previous:
        before = book.previous[d.id]
        links.append(
            f'<a rel="prev" href="{esc(before)}.html"><span>Previous</span> '
            f"{esc(book.titles[before])}</a>"
        )
    if d.id in book.next:
        after = book.next[d.id]
        links.append(
            f'<a rel="next" href="{esc(after)}.html"><span>Next</span> '
            f"{esc(book.titles[after])}</a>"
        )
    if not links:
        return ""
    return f'<nav class="pager" aria-label="{esc(TOPIC_TITLES[d.topic])}">{"".join(links)}</nav>'


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
    if not blocks:  # a plug-in's derivation may have none
        return '<p class="note">No numeric twin: this derivation is checked step by step only.</p>'
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
        f'<figure><a href="{esc(plot.src)}" title="Open the picture at full size">'
        f'<img src="{esc(plot.src)}" alt="{esc(plot.caption)}"></a>'
        f"<figcaption>{esc(plot.caption)}</figcaption></figure>"
    )


def derivation_page(
    d: Derivation,
    m: Formulas,
    *,
    report: Report | None,
    plot: PlotView | None,
    book: Book | None = None,
) -> str:
    """The page of one derivation (``book``: its neighbours and connections, if any)."""
    book = book or Book.of([d])
    css, status = status_line(report)
    title = f"{d.title}: derivation, intuition and interview question | {SITE}"
    parts = [
        _head(title, f"{d.title}, derived step by step and verified. {_summary(d.intuition)}"),
        f'<header><nav><a href="index.html">{SITE} · the derivation book</a> › '
        f'<a href="index.html#{d.topic.value}">{esc(TOPIC_TITLES[d.topic])}</a></nav>'
        f"{search_box()}</header>\n<main>",
        f"<h1>{esc(d.title)}</h1>",
        f'<p class="meta"><code>{esc(d.id)}</code> · <span class="status {css}">'
        f"{esc(status)}</span></p>",
    ]
    if d.symbols:
        symbols = "".join(
            f'<li>{m(tex(v.symbol))}: {esc(v.meaning)} <span class="domain">'
            f"({esc(domain_word(v))})</span></li>"
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
        f'<p id="mistake-{k}"><strong>{esc(x.name or "Wrong")}.</strong> '
        f"{esc(x.explanation)}</p></li>"
        for k, x in enumerate(d.mistakes, 1)
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
    parts.append(_connections(d, book))
    parts.append(
        '<section id="verification"><h2>Verification</h2>'
        f"<p>Reference: {esc(d.reference)}.</p>{_verification(report)}</section>"
    )
    parts.append(_pager(d, book))
    parts.append("</main>\n" + _footer() + "</body>\n</html>\n")
    return "\n".join(parts)


def _footer() -> str:
    return (
        '<footer><a href="index.html">Contents</a> · <a href="mistakes.html">Common mistakes</a>'
        " · Made by <code>derive book</code>: SymPy derives, NumPy/SciPy check, KaTeX "
        "typesets (offline).</footer>\n"
    )


class Listed(Protocol):
    """What the index shows of a derivation (a ``Derivation`` is one)."""

    @property
    def id(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def topic(self) -> Topic: ...
    @property
    def intuition(self) -> str: ...


def index_page(
    derivations: Sequence[Listed],
    reports: Mapping[str, Report | None],
    m: Formulas,
    *,
    sections: Sequence[str] = (),
) -> str:
    """The table of contents, by topic; ``sections``: more of it, as HTML (e.g. the derivation
    documents added to the book)."""
    by_topic: dict[Topic, list[Listed]] = {}
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
        f"<header>{search_box()}</header>\n<main>",
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
        '<p>Also: <a href="mistakes.html">every common mistake, by kind</a>.</p>',
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
    parts.extend(sections)
    parts.append("</main>\n" + _footer() + "</body>\n</html>\n")
    return "\n".join(parts)


CSS = """
:root { --text: #222; --muted: #555; --faint: #666; --bg: #fdfdfb; --panel: #f4f4f0;
  --rule: #ddd; --link: #2a5db0; --ok: #176b2c; --bad: #b00020; --warn: #8a6d00;
  --badge: #eee; --badge-text: #444; --ok-bg: #dff3e4; --num-bg: #e6efff; --num: #1d4ea8;
  --bad-bg: #fde2e4; --fade: rgba(0, 0, 0, 0.22); color-scheme: light dark; }
@media (prefers-color-scheme: dark) {
  :root { --text: #e4e4e0; --muted: #b4b4ae; --faint: #a0a09a; --bg: #161719;
    --panel: #222327; --rule: #3a3b40; --link: #8ab4f8; --ok: #7fd08f; --bad: #ff8a95;
    --warn: #e3c567; --badge: #2c2d31; --badge-text: #cfcfca; --ok-bg: #1d3a25;
    --num-bg: #1c2b47; --num: #a9c5ff; --bad-bg: #4a1d24; --fade: rgba(255, 255, 255, 0.25); }
  figure img { background: #fff; border-radius: 4px; }
}
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { font: 17px/1.55 Georgia, "Times New Roman", serif; color: var(--text); margin: 0;
  background: var(--bg); overflow-wrap: break-word; }
a { color: var(--link); }
main { max-width: 54rem; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
header, footer { max-width: 54rem; margin: 0 auto; padding: 0.8rem 1.5rem; font-size: 0.9rem;
  color: var(--faint); }
header { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: center;
  justify-content: space-between; }
h1 { font-size: 2rem; margin-bottom: 0.2rem; line-height: 1.2; }
h2 { border-bottom: 1px solid var(--rule); padding-bottom: 0.2rem; margin-top: 2rem; }
.meta { color: var(--muted); }
.status.passed { color: var(--ok); }
.status.failed { color: var(--bad); }
.status.unknown { color: var(--warn); }
ol.steps { padding-left: 1.6rem; }
ol.steps li { margin-bottom: 0.8rem; }
section.block ol.steps { padding-left: 2.2rem; }  /* a document's file line numbers */
.why { margin: 0.2rem 0; }
.badge { font: 0.72rem/1 sans-serif; padding: 0.15rem 0.4rem; border-radius: 0.6rem;
  background: var(--badge); color: var(--badge-text); white-space: nowrap; }
.badge.proven { background: var(--ok-bg); color: var(--ok); }
.badge.numeric { background: var(--num-bg); color: var(--num); }
.badge.failed { background: var(--bad-bg); color: var(--bad); }
/* A displayed formula scrolls sideways inside its own box (with KaTeX's hidden MathML, which
   is positioned absolutely: the box is its containing block), never the page. */
.formula { display: flex; align-items: flex-start; gap: 0.3rem; min-width: 0; }
.formula .scroll { flex: 1 1 auto; min-width: 0; overflow-x: auto; overflow-y: hidden;
  position: relative; }
/* A formula wider than its box shows a shadow on the side where more of it is hidden: the
   covers scroll with the formula (local) and hide each shadow once that end is reached. */
.formula .scroll { background:
  linear-gradient(to right, var(--bg) 40%, transparent) left / 1.5rem 100% no-repeat local,
  linear-gradient(to left, var(--bg) 40%, transparent) right / 1.5rem 100% no-repeat local,
  radial-gradient(farthest-side at 0 50%, var(--fade), transparent) left / 0.7rem 100% no-repeat,
  radial-gradient(farthest-side at 100% 50%, var(--fade), transparent) right / 0.7rem 100%
  no-repeat; }
.katex-display { margin: 0.6em 0; padding: 0.2rem 0; }
.katex { position: relative; }
.copy-tex { display: none; flex: none; margin-top: 0.7em; font: 0.7rem/1 sans-serif;
  padding: 0.25rem 0.4rem; border: 1px solid var(--rule); border-radius: 0.3rem;
  background: var(--panel); color: var(--muted); cursor: pointer; opacity: 0.75; }
.js .copy-tex { display: block; }
.copy-tex:hover, .copy-tex:focus-visible { opacity: 1; color: var(--text); }
.copy-tex.copied { color: var(--ok); opacity: 1; }
.wrong { border-left: 3px solid var(--bad); padding-left: 0.6rem; min-width: 0; }
ul.mistakes { list-style: none; padding-left: 0; }
ul.mistakes li { margin-bottom: 0.8rem; }
[id^="mistake-"] { scroll-margin-top: 7rem; }
li:has(> [id^="mistake-"]:target) { background: var(--panel); }
figure { margin: 1.2rem 0; text-align: center; }
figure img { max-width: 100%; height: auto; }
figcaption { font-size: 0.9rem; color: var(--muted); }
.twin .side { display: grid; grid-template-columns: minmax(0, 2fr) minmax(0, 3fr); gap: 1rem;
  align-items: start; }
.twin .side > * { min-width: 0; }
.twin .katex-display { font-size: 0.85em; }
pre { background: var(--panel); padding: 0.6rem; font-size: 0.8rem; white-space: pre-wrap;
  overflow-wrap: anywhere; max-width: 100%; box-sizing: border-box; }
code { overflow-wrap: anywhere; }
.note { color: var(--muted); font-size: 0.9rem; }
details { max-width: 100%; overflow-x: auto; }
table { border-collapse: collapse; font-size: 0.8rem; width: 100%; }
td, th { border-bottom: 1px solid var(--rule); padding: 0.25rem; text-align: left;
  vertical-align: top; overflow-wrap: anywhere; }
td:nth-child(2) { overflow-wrap: normal; white-space: nowrap; }
tr.bad td { color: var(--bad); }
ul.toc li { margin-bottom: 0.5rem; }
.summary { color: var(--faint); font-size: 0.9rem; }
ul.uses, ul.used-by { margin-top: 0; }
.for { color: var(--faint); font-size: 0.9rem; }
.pager { display: flex; justify-content: space-between; gap: 1rem; margin-top: 2.5rem;
  border-top: 1px solid var(--rule); padding-top: 1rem; }
.pager a { max-width: 48%; text-decoration: none; }
.pager a span { display: block; font: 0.75rem/1.4 sans-serif; color: var(--faint);
  text-transform: uppercase; letter-spacing: 0.05em; }
.pager a[rel="next"] { margin-left: auto; text-align: right; }
form.search { position: relative; flex: 1 1 16rem; max-width: 24rem; margin: 0; }
form.search input { width: 100%; box-sizing: border-box; font: 0.95rem sans-serif;
  padding: 0.4rem 0.6rem; border: 1px solid var(--rule); border-radius: 0.4rem;
  background: var(--bg); color: var(--text); }
.search-results { position: absolute; z-index: 10; left: 0; right: 0; margin: 0.2rem 0 0;
  padding: 0.3rem 0; list-style: none; background: var(--bg); border: 1px solid var(--rule);
  border-radius: 0.4rem; box-shadow: 0 4px 14px rgba(0, 0, 0, 0.18); max-height: 70vh;
  overflow-y: auto; }
.search-results li { padding: 0.3rem 0.7rem; }
.search-results .topic, .search-results .none { color: var(--faint); font-size: 0.8rem; }
.search-results .topic { display: block; }
.search-results a { font-size: 0.95rem; }
ul.kinds { columns: 2; }
.from { display: block; font-size: 0.9rem; }
@media (max-width: 700px) {
  main, header, footer { padding-left: 0.9rem; padding-right: 0.9rem; }
  .twin .side { grid-template-columns: minmax(0, 1fr); }
  h1 { font-size: 1.6rem; }
  ol.steps { padding-left: 1.2rem; }
  ul.kinds { columns: 1; }
  form.search { max-width: none; }
}
"""
