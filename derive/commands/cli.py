"""The ``derive`` command line.

>>> main(["list", "--topic", "nonsense"])
2

Each command lives in ``derive.commands.<name>`` with ``register(subparsers)`` and a
``run(args) -> int``; those modules import SymPy only inside ``run``, so ``derive --help``
is fast. Errors a user can cause are one line on stderr and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from derive import __version__
from derive.core.errors import UsageError

COMMANDS = (
    "list",
    "show",
    "verify",
    "render",
    "latex",
    "book",
    "sheet",
    "worksheets",
    "check",
    "practice",
    "grade",
    "export",
    "bench",
    "serve",
)


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are exceptions (printed as one line by ``main``)."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see `{self.prog} --help`)")


def build_parser() -> Parser:
    """The full parser with every command registered."""
    parser = Parser(
        prog="derive",
        description="ML mathematics derived with SymPy, checked step by step and against "
        "independent numeric references.",
    )
    parser.add_argument("--version", action="version", version=f"derive {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    sub.required = True
    for name in COMMANDS:
        importlib.import_module(f"derive.commands.{name}").register(sub)
    return parser


def plugin_problems() -> None:
    """One line on stderr per installed plug-in catalog that could not be used (if the
    catalog was loaded at all)."""
    catalog = sys.modules.get("derive.catalog")
    if catalog is not None:
        for line in catalog.problems():
            print(f"derive: warning: {line}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return its exit status."""
    try:
        args = build_parser().parse_args(argv)
        try:
            return int(args.run(args))
        finally:
            plugin_problems()
    except UsageError as error:
        print(f"derive: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("derive: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        sys.stderr.close()
        return 0
    except Exception as error:  # a bug, not a user error: still one line, unless debugging
        if os.environ.get("DERIVE_DEBUG"):
            raise
        print(
            f"derive: internal error: {type(error).__name__}: {error} "
            "(set DERIVE_DEBUG=1 for a traceback)",
            file=sys.stderr,
        )
        return 3


if __name__ == "__main__":
    sys.exit(main())
