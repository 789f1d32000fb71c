"""``derive book`` after editing one derivation: the incremental build, in fresh processes.

>>> "read_source" in edited_book_script("inverse-2x2", "/tmp/out")
True

A first ``derive book --no-verify`` fills an empty book cache (a temporary folder, timed as
the full build); then the same command runs again in a new process in which one derivation's
catalog module reads as edited (a comment appended to its source, through the
``derive.core.sources.read_source`` seam that every cache key reads files with, so no file in
the tree changes). Only that derivation is built again and only its page made; the index, the
mistakes page and the search index are put together from the others' cached summaries. Timed
as the user waits: the whole process, imports included. Verification is left out (``derive
verify`` has its own cache, measured by the ``verify`` part).
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from derive.bench.processes import exit_cause

# The derivation edited: it has a picture, links and a dozen formulas.
EDITED = "eigenvalues-2x2"


def book_script(out: str, among: Sequence[str] = ()) -> str:
    """Python that runs ``derive book --no-verify --out OUT [ID ...]``."""
    return (
        "import sys\n"
        "from derive.commands.cli import main\n"
        f"sys.exit(main(['book', '--no-verify', '--out', {out!r}, *{list(among)!r}]))\n"
    )


def edited_book_script(identifier: str, out: str, among: Sequence[str] = ()) -> str:
    """Python that runs ``derive book --no-verify --out OUT [ID ...]`` with ``identifier``'s
    catalog module reading as edited."""
    return (
        "import sys\n"
        "from derive.core import sources\n"
        "from derive.catalog import CATALOG\n"
        f"target = sources.module_file(CATALOG[{identifier!r}].module)\n"
        "original = sources.read_source\n"
        "def read_source(path):\n"
        "    data = original(path)\n"
        "    return data + b'\\n# edited\\n' if path == target else data\n"
        "sources.read_source = read_source\n" + book_script(out, among)
    )


def _run(script: str, env: dict[str, str]) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"derive book failed: {exit_cause(done.returncode, done.stderr)}")
    return seconds, done.stderr


def _made(stderr: str) -> int:
    found = re.search(r"\((\d+) of \d+ derivation pages made\)", stderr)
    if found is None:
        raise RuntimeError(f"derive book did not say how many pages it made: {stderr[-500:]}")
    return int(found[1])


def incremental(
    repeats: int = 3, identifier: str = EDITED, among: Sequence[str] = ()
) -> dict[str, Any]:
    """The full build into an empty cache, then the median of ``repeats`` builds after
    editing ``identifier`` (each a fresh edit: the cache is refilled in between); ``among``:
    only these derivations (default: the whole catalog)."""
    with tempfile.TemporaryDirectory(prefix="derive-bench-book-") as folder:
        env = {**os.environ, "DERIVE_CACHE_DIR": str(Path(folder) / "cache")}
        out = str(Path(folder) / "book")
        full = book_script(out, among)
        full_s, stderr = _run(full, env)
        full_made = _made(stderr)
        times, made = [], []
        for _ in range(repeats):
            seconds, stderr = _run(edited_book_script(identifier, out, among), env)
            times.append(seconds)
            made.append(_made(stderr))
            _run(full, env)  # back to the unedited source: its pages come from the cache again
        unchanged_s, stderr = _run(full, env)
        return {
            "book_full_s": full_s,
            "book_full_pages_made": full_made,
            "book_incremental_s": statistics.median(times),
            "book_incremental_pages_made": max(made),
            "book_incremental_edited": identifier,
            "book_unchanged_s": unchanged_s,
            "book_unchanged_pages_made": _made(stderr),
        }
