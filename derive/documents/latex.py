r"""A checked document as a standalone LaTeX document (pdflatex): the prose, and each block as
an ``align*`` with every line's mark, its why, and under a refuted line the counterexample and
the checker's reason.

>>> from derive.documents.checked import check_document
>>> from derive.documents.reader import read_document
>>> text = "# Doubling\nSo $x + x$ is:\n```derive\nx + x\n= 3x  # wrong on purpose\n```\n"
>>> checked = check_document(read_document(text, path="d.md"), catalog=False)
>>> tex = document_latex(checked)
>>> "\\begin{align*}" in tex, "\\Mark{refuted}" in tex, "counterexample" in tex
(True, True, True)

Prose is Markdown (headings, paragraphs, emphasis, code, lists, block quotes, code fences)
with ``$…$`` and ``$$…$$`` math passed to LaTeX as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from markdown_it import MarkdownIt
from markdown_it.token import Token

from derive.documents.blocks import CheckedBlock, CheckedLine, counterexample_text
from derive.documents.checked import CheckedDocument
from derive.documents.errors import DocumentError
from derive.documents.reader import MATH, Prose
from derive.render.tex import prose
from derive.render.working import step_latex

PREAMBLE = r"""\documentclass[11pt]{article}
\usepackage[margin=2cm]{geometry}
\usepackage{amsmath,amssymb}
\usepackage[dvipsnames]{xcolor}
\usepackage{listings}
\lstset{basicstyle=\ttfamily\footnotesize,breaklines=true,columns=fullflexible}
\pdftrailerid{}
\allowdisplaybreaks
\setlength{\parindent}{0pt}
\setlength{\parskip}{0.6em}
% a line's mark: its word, in the colour of its verdict
\newcommand{\Mark}[1]{\textsf{\small\textbf{\csname mark@#1\endcsname}}}
\makeatletter
\newcommand{\mark@proven}{\textcolor{ForestGreen}{$\checkmark$ proven}}
\newcommand{\mark@numeric}{\textcolor{TealBlue}{$\checkmark$ numeric}}
\newcommand{\mark@refuted}{\textcolor{BrickRed}{$\times$ refuted}}
\newcommand{\mark@unknown}{\textcolor{BurntOrange}{? unknown}}
\newcommand{\mark@given}{\textcolor{Gray}{given}}
\newcommand{\mark@defined}{\textcolor{Gray}{defined}}
\newcommand{\mark@start}{\textcolor{Gray}{start}}
\makeatother
"""

_SLOT = re.compile("\ue000(\\d+)\ue001")
_HEADINGS = {"h1": r"\section*", "h2": r"\subsection*", "h3": r"\subsubsection*"}
_VERDICT = {
    "correct": "correct: every line follows from the one before",
    "incorrect": "incorrect",
    "unknown": "undecided: some line could not be decided",
}


def text(value: str) -> str:
    """Plain text (Unicode) as LaTeX text; a character pdflatex cannot typeset raises
    ValueError (see :func:`unprintable`)."""
    return prose(value)


def message(value: str) -> str:
    """The checker's words as LaTeX text (a character with no LaTeX shown as ``?``)."""
    return "".join("?" if unprintable(c) is not None else prose(c) for c in value)


def unprintable(value: str) -> int | None:
    """The index of the first character of ``value`` (outside ``$…$`` math) that has no
    LaTeX here, or None.

    >>> unprintable("σ ≥ 0, “fine” — $日$"), unprintable("ok 日本")
    (None, 3)
    """
    plain = MATH.sub(lambda match: " " * len(match.group(0)), value)
    for index, char in enumerate(plain):
        try:
            prose(char)
        except ValueError:
            return index
    return None


def _no_latex(value: str, index: int) -> str:
    char = value[index]
    return f"no LaTeX for the character {char!r} (U+{ord(char):04X}): pdflatex cannot typeset it"


def inline_latex(value: str) -> str:
    """Text with ``$…$`` math (a line's why) as LaTeX: the math as written, the rest escaped.

    >>> print(inline_latex("since $e^{-z} > 0$ & so"))
    since $e^{-z} > 0$ \\& so
    """
    out, last = [], 0
    for match in MATH.finditer(value):
        out.append(text(value[last : match.start()]))
        out.append(f"${match.group(2) or match.group(1)}$")
        last = match.end()
    out.append(text(value[last:]))
    return "".join(out)


def document_latex(checked: CheckedDocument) -> str:
    """The whole document, ready for pdflatex."""
    document = checked.document
    out = [PREAMBLE, r"\begin{document}"]
    if document.title:
        bad = unprintable(document.title)
        if bad is not None:
            raise DocumentError(document.path, 1, 1, "the title: " + _no_latex(document.title, bad))
        out.append(r"\section*{" + text(document.title) + "}")
    facts = [f"checked by derive: {checked.summary}"]
    if document.topic:
        facts.insert(0, f"topic: {document.topic}")
    out.append(r"{\small\textsf{" + message(" · ".join(facts)) + "}}")
    for part in checked.parts:
        if isinstance(part, Prose):
            out.append(prose_latex(part, document.path))
        else:
            out.append(block_latex(part))
    out.append(r"\end{document}")
    return "\n\n".join(out) + "\n"


def block_latex(block: CheckedBlock) -> str:
    """One block: an ``align*`` (formula, mark and why per line), a refuted line's
    counterexample and reason as ``\\intertext`` under it, and the block's verdict."""
    kinds = {**block.block.kinds}
    rows: list[str] = []
    for index, line in enumerate(block.lines):
        formula = _formula(line, kinds, first=index == 0)
        why = ""
        if line.line.why:
            bad = unprintable(line.line.why)
            if bad is not None:
                where = block.block.path, line.line.number, line.line.column
                raise DocumentError(*where, "the why: " + _no_latex(line.line.why, bad))
            why = r"\ \textit{" + inline_latex(line.line.why) + "}"
        note = r"\parbox[t]{5.2cm}{\raggedright\small\Mark{" + line.mark + "}" + why + "}"
        row = f"{formula} && {note}"
        extra = _explanation(line)
        rows.append(row + (r" \\" + "\n" + extra if extra else ""))
    body = " \\\\\n".join(rows)
    first, last = block.block.lines[0].number, block.block.lines[-1].number
    verdict = _VERDICT[block.verdict]
    if block.verdict == "incorrect" and block.result.first_error is not None:
        wrong = block.lines[block.result.first_error].line.number
        verdict += f": line {wrong} does not follow"
    if block.result.error:  # an internal error (status 3): nothing was judged
        verdict = f"not checked: {block.result.error}"
    assumed = ""
    if block.assumed:
        assumed = "; taken as real numbers: " + ", ".join(block.assumed)
    footer = r"{\small\textsf{" + message(f"Lines {first}–{last}: {verdict}{assumed}.") + "}}"
    return "\\begin{align*}\n" + body + "\n\\end{align*}\n" + footer


def _formula(line: CheckedLine, kinds: dict[str, str], *, first: bool) -> str:
    shown = step_latex(line.read, kinds)
    if line.verdict is None:  # the expression a chain starts from
        return f"{shown} &"
    bare = line.relation == "=" and not line.read.lstrip().startswith(("=", "≈"))
    return f"& {'= ' if bare else ''}{shown}"


def _explanation(line: CheckedLine) -> str:
    """Under a refuted (or noted) line: its counterexample and the checker's reason."""
    parts = []
    if line.verdict == "refuted":
        parts.append(rf"\textbf{{Line {line.line.number} is refuted.}}")
    if line.counterexample:
        shown = counterexample_text(line.counterexample)
        parts.append(r"Counterexample: \texttt{" + message(shown) + "}.")
    if line.reason:
        parts.append(message(line.reason[0].upper() + line.reason[1:]) + ".")
    if not parts:
        return ""
    colour = "BrickRed" if line.verdict == "refuted" else "Gray"
    return r"\intertext{\small\color{" + colour + "}" + " ".join(parts) + "}"


# -- prose -------------------------------------------------------------------------------


def prose_latex(part: Prose, path: str = "<document>") -> str:
    """Markdown prose as LaTeX; math between ``$`` signs is kept as written."""
    maths: list[str] = []

    def hold(match: re.Match[str]) -> str:
        display, inline = match.group(1), match.group(2)
        maths.append(r"\[" + display.strip() + r"\]" if display is not None else f"${inline}$")
        return f"\ue000{len(maths) - 1}\ue001"

    bad = unprintable(part.text)
    if bad is not None:
        before = part.text[:bad]
        line, column = part.line + before.count("\n"), bad - before.rfind("\n")
        raise DocumentError(path, line, column, _no_latex(part.text, bad))
    held = MATH.sub(hold, part.text)
    tokens = MarkdownIt("commonmark").parse(held)
    latex = "".join(_blocks(tokens))
    return _SLOT.sub(lambda m: maths[int(m.group(1))], latex).strip()


def _blocks(tokens: Sequence[Token]) -> Iterator[str]:
    lists: list[str] = []
    for token in tokens:
        kind = token.type
        if kind == "heading_open":
            yield _HEADINGS.get(token.tag, r"\paragraph*") + "{"
        elif kind == "heading_close":
            yield "}\n\n"
        elif kind == "paragraph_close" and not token.hidden:
            yield "\n\n"
        elif kind == "inline":
            yield "".join(_inline(token.children or []))
        elif kind in ("bullet_list_open", "ordered_list_open"):
            lists.append("itemize" if kind.startswith("bullet") else "enumerate")
            yield rf"\begin{{{lists[-1]}}}" + "\n"
        elif kind in ("bullet_list_close", "ordered_list_close"):
            yield rf"\end{{{lists.pop()}}}" + "\n\n"
        elif kind == "list_item_open":
            yield r"\item "
        elif kind == "blockquote_open":
            yield r"\begin{quote}" + "\n"
        elif kind == "blockquote_close":
            yield r"\end{quote}" + "\n\n"
        elif kind in ("fence", "code_block"):
            yield r"\begin{lstlisting}" + "\n" + token.content + r"\end{lstlisting}" + "\n\n"
        elif kind == "hr":
            yield r"\medskip\hrule\medskip" + "\n\n"
        elif kind == "html_block":
            yield r"\texttt{" + text(token.content.strip()) + "}\n\n"


def _inline(children: Sequence[Token]) -> Iterator[str]:
    for token in children:
        kind = token.type
        if kind == "text":
            yield _SLOT.sub(lambda m: m.group(0), "".join(_text_with_slots(token.content)))
        elif kind in ("softbreak",):
            yield "\n"
        elif kind == "hardbreak":
            yield r"\\" + "\n"
        elif kind == "strong_open":
            yield r"\textbf{"
        elif kind == "em_open":
            yield r"\emph{"
        elif kind in ("strong_close", "em_close"):
            yield "}"
        elif kind == "code_inline":
            yield r"\texttt{" + text(token.content) + "}"
        elif kind == "link_open":
            yield r"\underline{"
        elif kind == "link_close":
            yield "}"
        elif kind == "html_inline":
            yield r"\texttt{" + text(token.content) + "}"
        elif kind == "image":
            yield r"[image: " + text(token.content) + "]"


def _text_with_slots(value: str) -> Iterator[str]:
    """Text as LaTeX, the held math slots left in place."""
    last = 0
    for match in _SLOT.finditer(value):
        yield text(value[last : match.start()])
        yield match.group(0)
        last = match.end()
    yield text(value[last:])
