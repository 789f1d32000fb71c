"""``derive latex ID [--out FILE]``: one derivation as a standalone LaTeX document.

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
        help="write one derivation as a standalone LaTeX document",
        description="Write a standalone LaTeX document (pdflatex) of one derivation: the steps "
        "in align* with their justifications, the boxed result, the intuition, and each "
        "numeric twin's Python function beside latexify-py's rendering of it.",
    )
    p.add_argument("id", help="a derivation id (see `derive list`)")
    p.add_argument(
        "--out", type=Path, metavar="FILE", help="write to FILE instead of standard output"
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Write the document."""
    (identifier,) = resolve([args.id])
    from derive.catalog import get
    from derive.commands.common import write_text
    from derive.render.tex import document

    text = document(get(identifier))
    if args.out is None:
        sys.stdout.write(text)
    else:
        write_text(args.out, text)
        print(f"wrote {args.out}", file=sys.stderr)
    return 0
