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
    return _main(argv)[0]


def entry() -> NoReturn:
    """The ``derive`` console script: ``main()``, and then, after a command that has nothing
    left to clean up (a one-shot ``derive check``, which sets ``quick_exit``), leave at once
    instead of letting the interpreter take SymPy's objects apart one by one (0.1–0.3 s of a
    one-shot check here). Output is flushed first."""
    status, args = _main(None)
    if getattr(args, "quick_exit", False):
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except BrokenPipeError:
            pass
        os._exit(status)
    sys.exit(status)


def _main(argv: Sequence[str] | None) -> tuple[int, argparse.Namespace | None]:
    args = None
    try:
        args = build_parser().parse_args(argv)
        try:
            return int(args.run(args)), args
        finally:
            plugin_problems()
    except UsageError as error:
        print(f"derive: error: {error}", file=sys.stderr)
        return 2, args
    except KeyboardInterrupt:
        print("derive: interrupted", file=sys.stderr)
        return 130, args
    except BrokenPipeError:
        sys.stderr.close()
        return 0, None
    except Exception as error:  # a bug, not a user error: still one line, unless debugging
        if os.environ.get("DERIVE_DEBUG"):
            raise
        print(
            f"derive: internal error: {type(error).__name__}: {error} "
            "(set DERIVE_DEBUG=1 for a traceback)",
            file=sys.stderr,
        )
        return 3, args


if __name__ == "__main__":
    entry()
