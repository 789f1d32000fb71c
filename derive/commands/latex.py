"""``derive latex ID [--out FILE] [--pdf]``: one derivation as a standalone LaTeX document
(or a derivation document ``notes.md``: see ``derive/commands/documents.py``).

>>> import contextlib, io
>>> from derive.commands.cli import main
>>> out = io.StringIO()
>>> with contextlib.redirect_stdout(out):
...     status = main(["latex", "inverse-2x2"])
>>> print(status, out.getvalue().splitlines()[0])
0 \\documentclass[11pt]{article}
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from derive.commands.common import resolve


def register(sub: Any) -> None:
    """Add the ``latex`` command."""
    p = sub.add_parser(
        "latex",
        help="write one derivation, or a derivation document, as standalone LaTeX",
        description="Write a standalone LaTeX document (pdflatex) of one derivation: the steps "
        "in align* with their justifications, the boxed result, the intuition, and each "
        "numeric twin's Python function beside latexify-py's rendering of it.",
    )
    p.add_argument("id", help="a derivation id (see `derive list`), or a document notes.md")
    p.add_argument(
        "--out", type=Path, metavar="FILE", help="write to FILE instead of standard output"
    )
    p.add_argument(
        "--pdf",
        action="store_true",
        help="compile with pdflatex: the PDF goes to --out with .pdf (a .tex --out is kept "
        "too), or beside the document / to ID.pdf",
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Write the document."""
    from derive.commands.documents import is_document, latex_file

    if is_document(args.id):  # a derivation document (see derive/commands/documents.py)
        return latex_file(args)
    (identifier,) = resolve([args.id])
    from derive.catalog import get
    from derive.commands.common import write_text
    from derive.render.tex import document

    text = document(get(identifier))
    if args.pdf:
        from derive.core.errors import UsageError
        from derive.render.pdf import LatexError, compile_pdf

        pdf = (args.out or Path(identifier)).with_suffix(".pdf")
        if args.out is not None and args.out.suffix != ".pdf":
            write_text(args.out, text)
        try:
            compile_pdf(text, pdf)
        except LatexError as error:
            raise UsageError(f"pdflatex failed on {identifier}: {error}") from None
        print(f"wrote {pdf}", file=sys.stderr)
    elif args.out is None:
        sys.stdout.write(text)
    else:
        write_text(args.out, text)
        print(f"wrote {args.out}", file=sys.stderr)
    return 0
