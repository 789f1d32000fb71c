"""A derivation document as a page of the book: its prose (Markdown, math by KaTeX) and each
block as the book's numbered steps, every line with its mark and why, a refuted line with its
counterexample and the checker's reason (never hidden).

>>> from derive.book.pages import Formulas
>>> from derive.documents.checked import check_document
>>> from derive.documents.reader import read_document
>>> text = "---\\ntitle: Doubling\\n---\\nSo $x + x$:\\n```derive\\nx + x\\n= 3x\\n```\\n"
>>> maths = Formulas()
>>> page = document_page(check_document(read_document(text), catalog=False), maths)
>>> "<h1>Doubling</h1>" in page, 'class="badge failed"' in page, len(maths.items)
(True, True, 3)
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from markdown_it import MarkdownIt

from derive.book.pages import SITE, Formulas, _footer, _head, esc, search_box
from derive.documents.blocks import CheckedBlock, CheckedLine, counterexample_text
from derive.documents.checked import CheckedDocument
from derive.documents.reader import MATH, Prose
from derive.render.working import step_latex

_SLOT = re.compile("\ue000(\\d+)\ue001")
BADGES = {  # the mark's word, and the book's badge class for it
    "proven": ("proven", "proven"),
    "numeric": ("numeric", "numeric"),
    "refuted": ("refuted", "failed"),
    "unknown": ("unknown", "unverified"),
    "given": ("given", "given"),
    "defined": ("defined", "given"),
    None: ("start", "given"),
}


def page_name(checked: CheckedDocument) -> str:
    """The page's file name: ``doc-`` and the document's id (front matter, or file stem)."""
    return f"doc-{checked.document.name}.html"


def status_of(checked: CheckedDocument) -> tuple[str, str]:
    """(css class, text): ``passed`` when every block is correct, else ``failed``."""
    css = "passed" if checked.verdict == "correct" else "failed"
    return css, f"checked line by line: {checked.summary}"


def document_page(checked: CheckedDocument, m: Formulas) -> str:
    """The page (math as ``m``'s placeholders, filled by the build's KaTeX run)."""
    document = checked.document
    title = document.title or document.name
    css, status = status_of(checked)
    parts = [
        _head(f"{title} | {SITE}", f"{title}: a derivation document checked line by line."),
        f'<header><nav><a href="index.html">{SITE} · the derivation book</a> › '
        f'<a href="index.html#documents">Documents</a></nav>{search_box()}</header>\n<main>',
        f"<h1>{esc(title)}</h1>",
        f'<p class="meta"><code>{esc(document.name)}</code>'
        + (f" · {esc(document.topic)}" if document.topic else "")
        + f' · <span class="status {css}">{esc(status)}</span></p>',
    ]
    for part in checked.parts:
        if isinstance(part, Prose):
            parts.append(prose_html(part.text, m))
        else:
            parts.append(block_html(part, m))
    parts.append("</main>\n" + _footer() + "</body>\n</html>\n")
    return "\n".join(parts)


def prose_html(text: str, m: Formulas) -> str:
    """Markdown as HTML (raw HTML is shown as text), ``$…$`` / ``$$…$$`` as KaTeX."""
    maths: list[tuple[str, bool]] = []

    def hold(match: re.Match[str]) -> str:
        display = match.group(1) is not None
        maths.append(((match.group(1) if display else match.group(2)).strip(), display))
        return f"\ue000{len(maths) - 1}\ue001"

    held = MATH.sub(hold, text)
    rendered = MarkdownIt("commonmark", {"html": False}).render(held)
    return _SLOT.sub(lambda match: m(*maths[int(match.group(1))]), rendered)


def inline_html(text: str, m: Formulas) -> str:
    """Text with ``$…$`` math (a line's why): escaped, the math typeset inline.

    >>> maths = Formulas()
    >>> inline_html("a < $b^2$", maths).startswith("a &lt; "), maths.items
    (True, [('b^2', False)])
    """
    out, last = [], 0
    for match in MATH.finditer(text):
        out.append(esc(text[last : match.start()]))
        out.append(m((match.group(2) or match.group(1)).strip()))
        last = match.end()
    out.append(esc(text[last:]))
    return "".join(out)


def block_html(block: CheckedBlock, m: Formulas) -> str:
    """A block as the book's steps, numbered by file line, with its verdict under it."""
    kinds = block.block.kinds
    items = [_line_html(line, kinds, m) for line in block.lines]
    first, last = block.block.lines[0].number, block.block.lines[-1].number
    verdict = block.verdict
    if verdict == "incorrect" and block.result.first_error is not None:
        verdict += f": line {block.lines[block.result.first_error].line.number} does not follow"
    elif verdict == "correct":
        verdict += ": every line follows from the one before"
    if block.result.error:  # an internal error (status 3): nothing was judged
        verdict = f"not checked: {block.result.error}"
    if block.assumed:
        verdict += f" (taken as real numbers: {', '.join(block.assumed)})"
    css = "passed" if block.verdict == "correct" else "failed"
    return (
        f'<section class="block" id="line-{first}"><ol class="steps">\n'
        + "\n".join(items)
        + f'\n</ol><p class="meta">Lines {first}–{last}: <span class="status {css}">'
        f"{esc(verdict)}</span></p></section>"
    )


def _line_html(line: CheckedLine, kinds: dict[str, str], m: Formulas) -> str:
    word, badge = BADGES[line.verdict]
    relation = "" if line.verdict in ("given", "defined", None) else line.relation or ""
    if relation not in ("", "="):
        word += f" ({relation})"
    bare = line.relation == "=" and not line.read.startswith(("=", "≈"))
    formula = ("= " if bare else "") + step_latex(line.read, kinds)
    why = f"{inline_html(line.line.why, m)} " if line.line.why else ""
    out = (
        f'<li value="{line.line.number}" id="line-{line.line.number}"><p class="why">{why}'
        f'<span class="badge {badge}">{esc(word)}</span></p>{m(formula, True)}'
    )
    details: list[str] = []
    if line.counterexample:
        details.append(
            f"<strong>Counterexample:</strong> <code>"
            f"{esc(counterexample_text(line.counterexample))}</code>."
        )
    if line.reason:
        details.append(esc(line.reason[0].upper() + line.reason[1:]) + ".")
    if details:
        lead = "<strong>This line does not follow.</strong> " if line.verdict == "refuted" else ""
        kind = "wrong" if line.verdict == "refuted" else "meta"
        out += f'<p class="{kind}">{lead}{" ".join(details)}</p>'
    return out + "</li>"


def documents_index(documents: Sequence[CheckedDocument]) -> str:
    """The index's section listing the documents, each with its status."""
    entries = []
    for checked in documents:
        css, status = status_of(checked)
        title = checked.document.title or checked.document.name
        entries.append(
            f'<li><a href="{esc(page_name(checked))}">{esc(title)}</a> '
            f'<span class="status {css}" title="{esc(status)}">'
            f"{'✓' if css == 'passed' else '✗'}</span>"
            f'<br><span class="summary">{esc(checked.summary)}</span></li>'
        )
    return (
        '<section id="documents"><h2>Documents</h2><p>Derivation documents added to this '
        "book, each checked line by line.</p>"
        f'<ul class="toc">{"".join(entries)}</ul></section>'
    )
