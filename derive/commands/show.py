"""``derive show ID [--format text|latex|markdown|json]``: one derivation.

>>> import contextlib, io, json
>>> from derive.commands.cli import main
>>> out = io.StringIO()
>>> with contextlib.redirect_stdout(out):
...     status = main(["show", "inverse-2x2", "--format", "json"])
>>> status, json.loads(out.getvalue())["title"]
(0, 'Inverse of a 2×2 matrix')
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from derive.commands.common import print_json, resolve

FORMATS = ("text", "latex", "markdown", "json")


def register(sub: Any) -> None:
    """Add the ``show`` command."""
    p = sub.add_parser(
        "show",
        help="show one derivation",
        description="Show one derivation with its steps, result, intuition, "
        "interview question and common mistakes.",
    )
    p.add_argument("id", help="a derivation id (see `derive list`)")
    p.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="text (default), latex (a standalone document), markdown or json",
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Print the derivation in the chosen format."""
    (identifier,) = resolve([args.id])
    from derive.catalog import get

    derivation = get(identifier)
    if args.format == "json":
        from derive.render.data import as_dict

        print_json(as_dict(derivation))
    elif args.format == "latex":
        from derive.render.tex import document

        sys.stdout.write(document(derivation))
    elif args.format == "markdown":
        from derive.render.markdown import markdown

        sys.stdout.write(markdown(derivation))
    else:
        from derive.render.text import text

        sys.stdout.write(text(derivation) + "\n")
    return 0
