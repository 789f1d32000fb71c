"""``derive worksheets [--port N] [--dir DIR] [--open]``: serve the worksheets with Voila.

>>> argv, env = command(["--port", "8866", "--dir", "."])
>>> argv[1:4]
['-m', 'voila', '.']
>>> "--port=8866" in argv and env["JUPYTER_PATH"].endswith("share")
True

Voila runs each notebook in a kernel of this Python (the project's venv) and serves the widgets
on localhost only. The page needs no internet: the ``derive`` Voila template (``lab`` without
its CDN stylesheet links) lives in ``derive/widgets/share``, which is put on ``JUPYTER_PATH``.
The notebooks ship inside the package (``derive/widgets/worksheets``), so the command works
from any directory; it needs the ``worksheets`` extra (``pip install 'derive[worksheets]'``).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
from pathlib import Path
from typing import Any

from derive.core.errors import UsageError

TEMPLATES = Path(__file__).resolve().parent.parent / "widgets" / "share"
NOTEBOOKS = Path(__file__).resolve().parent.parent / "widgets" / "worksheets"
# What the worksheets import beyond the core install: the ``worksheets`` extra's packages.
EXTRA = ("voila", "ipywidgets", "ipykernel")
CULL_IDLE = 600  # seconds a kernel with no page connected may sit idle before it is stopped
CULL_EVERY = 60  # seconds between the server's looks for such kernels


def register(sub: Any) -> None:
    """Add the ``worksheets`` command."""
    p = sub.add_parser(
        "worksheets",
        help="serve the interactive worksheets as a web app (Voila, localhost)",
        description="Serve the worksheet notebooks (shipped with derive) as a web app with "
        "Voila on localhost.",
    )
    p.add_argument("--port", type=int, default=8866, help="port on 127.0.0.1 (default 8866)")
    p.add_argument(
        "--dir",
        type=Path,
        default=NOTEBOOKS,
        help="serve the notebooks in this folder instead of the packaged worksheets",
    )
    p.add_argument("--open", action="store_true", help="open a browser as well")
    p.set_defaults(run=run)


def parse(argv: list[str]) -> argparse.Namespace:
    """The command's own arguments (for :func:`command`)."""
    from derive.commands.cli import Parser

    parser = Parser(prog="derive worksheets")
    register(parser.add_subparsers())
    return parser.parse_args(["worksheets", *argv])


def command(argv: list[str]) -> tuple[list[str], dict[str, str]]:
    """The Voila command line and environment for ``derive worksheets ARGV``."""
    return voila_command(parse(argv))


def voila_command(args: argparse.Namespace) -> tuple[list[str], dict[str, str]]:
    """The Voila command line and environment for parsed arguments."""
    folder = Path(args.dir)
    if not folder.is_dir():
        raise UsageError(f"--dir {args.dir}: no such folder")
    if not 0 < args.port < 65536:
        raise UsageError(f"--port {args.port}: not a port number (1-65535)")
    missing = [name for name in EXTRA if importlib.util.find_spec(name) is None]
    if missing:
        raise UsageError(
            f"the worksheets need {', '.join(missing)}: install the extra with "
            "`pip install 'derive[worksheets]'`"
        )
    argv = [
        sys.executable,
        "-m",
        "voila",
        str(folder),
        f"--port={args.port}",
        "--Voila.ip=127.0.0.1",
        "--template=derive",
        "--VoilaConfiguration.show_tracebacks=False",
        "--VoilaConfiguration.classic_tree=True",  # a plain list of links, no JS file browser
        # A closed page's kernel is shut down by Voila's page (a beacon on unload); a kernel
        # whose page went away without it (a crashed tab, a lost connection) is culled once
        # it has been idle with no page connected for CULL_IDLE seconds.
        # Voila's page posts that beacon without the _xsrf cookie Voila never sets, so with
        # XSRF checks on every shutdown was refused (403) and each page load left its kernel
        # running (~240 MB). The server listens on 127.0.0.1 only and has no other form.
        "--Voila.tornado_settings=disable_check_xsrf=True",
        f"--MappingKernelManager.cull_idle_timeout={CULL_IDLE}",
        f"--MappingKernelManager.cull_interval={CULL_EVERY}",
        "--MappingKernelManager.cull_connected=False",
    ]
    if not args.open:
        argv.append("--no-browser")
    env = dict(os.environ)
    paths = [str(TEMPLATES), *filter(None, env.get("JUPYTER_PATH", "").split(os.pathsep))]
    env["JUPYTER_PATH"] = os.pathsep.join(paths)
    env.setdefault("JUPYTER_PLATFORM_DIRS", "1")
    return argv, env


def run(args: argparse.Namespace) -> int:
    """Replace this process with Voila (Ctrl-C stops it)."""
    argv, env = voila_command(args)
    print(f"derive: serving {args.dir}/ at http://127.0.0.1:{args.port}/", file=sys.stderr)
    sys.stderr.flush()
    os.execve(argv[0], argv, env)
    return 0  # not reached
