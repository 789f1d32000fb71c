"""``derive sheet [--topic T | --all] [--seed N] [--answers] --out FILE.pdf``: a printable sheet."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from derive.commands.common import topic_choices


def register(sub: Any) -> None:
    """Add the ``sheet`` command."""
    p = sub.add_parser(
        "sheet",
        help="write a printable interview-prep sheet (PDF)",
        description="Write a PDF sheet: each derivation's interview question plus a randomised "
        "numeric exercise whose answer is computed exactly and confirmed against the "
        "independent reference. The same seed gives the same sheet, byte for byte.",
    )
    which = p.add_mutually_exclusive_group()
    which.add_argument("--topic", choices=topic_choices(), help="only this topic")
    which.add_argument("--all", action="store_true", help="every topic (the default)")
    p.add_argument("--seed", type=int, default=0, metavar="N", help="exercise seed (default 0)")
    p.add_argument("--answers", action="store_true", help="append the answer key")
    p.add_argument("--out", type=Path, required=True, metavar="FILE.pdf", help="the PDF to write")
    p.add_argument(
        "--tex", type=Path, metavar="FILE.tex", help="also write the LaTeX source to FILE.tex"
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Build and compile the sheet."""
    from derive.core.errors import UsageError

    if args.out.suffix.lower() != ".pdf":
        raise UsageError(f"--out must name a .pdf file, got {args.out}")
    if args.seed < 0:
        raise UsageError(f"--seed must be at least 0, got {args.seed}")
    from derive.catalog import derivations
    from derive.commands.common import write_text
    from derive.core.model import Topic
    from derive.render.pdf import LatexError, compile_pdf
    from derive.render.sheet import sheet_latex

    chosen = list(derivations(Topic(args.topic) if args.topic else None))
    source = sheet_latex(chosen, seed=args.seed, answers=args.answers)
    if args.tex is not None:
        write_text(args.tex, source)
    try:
        compile_pdf(source, args.out)
    except LatexError as error:
        raise UsageError(f"cannot build {args.out}: {error}") from None
    except OSError as error:
        raise UsageError(f"cannot write {args.out}: {error.strerror or error}") from None
    key = " with the answer key" if args.answers else ""
    noun = "derivation" if len(chosen) == 1 else "derivations"
    print(f"wrote {args.out}: {len(chosen)} {noun}, seed {args.seed}{key}", file=sys.stderr)
    return 0
