"""Derivation documents on the command line: ``derive check notes.md`` and ``derive latex
notes.md [--out notes.tex] [--pdf]`` (``derive check`` and ``derive latex`` call in here when
their argument is a document).

>>> is_document("notes.md"), is_document("diff(x^2, x) = 2*x")
(True, False)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from derive.commands.common import MARKS as CHECK_MARKS
from derive.core.errors import UsageError

if TYPE_CHECKING:
    from derive.documents.blocks import CheckedLine
    from derive.documents.checked import CheckedDocument

SUFFIXES = (".md", ".markdown")
MARKS: dict[str | None, str] = {**CHECK_MARKS, None: ""}


def is_document(argument: str) -> bool:
    """Whether a command's argument names a document: a ``.md`` path, or an existing file."""
    if argument.lower().endswith(SUFFIXES):
        return True
    try:
        return "\n" not in argument and Path(argument).is_file()
    except OSError:
        return False


def checked_document(path: str, *, budget: float | None, catalog: bool) -> CheckedDocument:
    """Read and check the document at ``path``; its errors are one line ``file:line:col``."""
    from derive.documents.checked import check_document
    from derive.documents.reader import load_document

    if not Path(path).is_file():
        raise UsageError(f"{path}: no such file")
    return check_document(load_document(path), budget=budget, catalog=catalog)


def check_file(args: argparse.Namespace) -> int:
    """``derive check notes.md``: each block line by line (``--json``: one result a block)."""
    if args.given or args.against:
        raise UsageError(
            "--given and --against do not apply to a document (declare kinds in its front "
            "matter 'given:' or a block's 'given:' line)"
        )
    checked = checked_document(args.steps[0], budget=args.budget, catalog=not args.no_catalog)
    if args.json:
        import json

        for block in checked.blocks:
            print(json.dumps(block.as_dict(), ensure_ascii=False, allow_nan=False), flush=True)
        return checked.status
    print(render(checked))
    return checked.status


def render(checked: CheckedDocument) -> str:
    """The document's verdicts for a terminal: per block, each line (file line numbers) with
    its mark and why, and under a refuted line its counterexample and the reason."""
    document = checked.document
    out = [f"{document.path}" + (f": {document.title}" if document.title else "")]
    for block in checked.blocks:
        first, last = block.block.lines[0].number, block.block.lines[-1].number
        verdict = block.verdict
        if verdict == "incorrect" and block.result.first_error is not None:
            wrong = block.lines[block.result.first_error].line.number
            verdict += f": the first error is line {wrong}"
        if block.result.error:  # an internal error (status 3): nothing was judged
            verdict = f"not checked: {block.result.error}"
        out.append(f"\nlines {first}–{last}: {verdict}")
        width = max(len(line.read) for line in block.lines)
        for line in block.lines:
            out.extend(_line(line, width))
        if block.assumed:
            out.append(f"  taken as real numbers: {', '.join(block.assumed)}")
    out.append("\n" + checked.summary)
    return "\n".join(out)


def _line(line: CheckedLine, width: int) -> list[str]:
    from derive.documents.blocks import counterexample_text

    bare = line.relation == "=" and not line.read.startswith(("=", "≈"))
    shown = ("= " if bare else "") + line.read
    why = f"   {line.line.why}" if line.line.why else ""
    text = f"{line.line.number:>5}  {shown:<{width + 2}}  {MARKS[line.verdict]:<10}{why}"
    lines = [text.rstrip()]
    if line.counterexample:
        lines.append(f"{'':>7}counterexample: {counterexample_text(line.counterexample)}")
    if line.reason:
        lines.append(f"{'':>7}{line.reason}")
    return lines


def latex_file(args: argparse.Namespace) -> int:
    """``derive latex notes.md [--out FILE] [--pdf]``: a standalone LaTeX document; ``--pdf``
    compiles it with pdflatex (to ``--out`` with ``.pdf``, or beside the document)."""
    from derive.commands.common import write_text
    from derive.documents.latex import document_latex

    checked = checked_document(args.id, budget=None, catalog=True)
    text = document_latex(checked)
    out: Path | None = args.out
    if args.pdf:
        from derive.render.pdf import LatexError, compile_pdf

        pdf = (out or Path(args.id)).with_suffix(".pdf")
        if out is not None and out.suffix != ".pdf":
            write_text(out, text)
            print(f"wrote {out}", file=sys.stderr)
        try:
            compile_pdf(text, pdf)
        except LatexError as error:
            raise UsageError(f"pdflatex failed on {args.id}: {error}") from None
        print(f"wrote {pdf}", file=sys.stderr)
    elif out is None:
        sys.stdout.write(text)
    else:
        write_text(out, text)
        print(f"wrote {out}", file=sys.stderr)
    print(f"{args.id}: {checked.summary}", file=sys.stderr)
    return 0
