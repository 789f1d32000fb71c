"""``derive book --out DIR [--jobs N] [--no-verify] [--add PATH ...]``: the derivation book as
a static site (``--add``: derivation documents, files or folders of ``.md``, as pages too)."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from derive.commands.common import resolve

if TYPE_CHECKING:
    from derive.reasoning.verify import Report


def register(sub: Any) -> None:
    """Add the ``book`` command."""
    p = sub.add_parser(
        "book",
        help="build the HTML derivation book (verifies every derivation first)",
        description="Verify every derivation (in parallel) and write a static HTML site: an "
        "index by topic and one page per derivation with its steps, result, intuition, "
        "pictures, interview question, common mistakes, code and verification status, linked "
        "to its neighbours and to the derivations it uses; a page of every common mistake by "
        "kind; offline search. Math is typeset at build time by KaTeX; the site needs no "
        "network.",
    )
    p.add_argument("ids", nargs="*", metavar="ID", help="only these derivations (default: all)")
    p.add_argument("--out", type=Path, required=True, metavar="DIR", help="output directory")
    p.add_argument(
        "--jobs", type=int, default=0, metavar="N", help="verification processes (default: CPUs)"
    )
    p.add_argument("--no-verify", action="store_true", help="skip verification (pages say so)")
    p.add_argument(
        "--no-cache",
        action="store_true",
        help="build every derivation and page afresh (the book's cache, which keeps each "
        "page keyed by the content it is made from, is neither read nor written)",
    )
    p.add_argument(
        "--add",
        action="extend",
        nargs="+",
        default=[],
        metavar="PATH",
        help="derivation documents (files, or folders of .md files) to add as pages, each "
        "checked line by line (always, even with --no-verify)",
    )
    p.set_defaults(run=run)


def document_paths(paths: list[str]) -> list[Path]:
    """The documents named: each file, and each folder's ``.md`` files (sorted, recursively)."""
    from derive.core.errors import UsageError

    found: list[Path] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            inside = sorted(p for p in path.rglob("*.md") if p.is_file())
            if not inside:
                raise UsageError(f"{name}: no .md documents in this folder")
            found.extend(inside)
        elif path.is_file():
            found.append(path)
        else:
            raise UsageError(f"{name}: no such file or folder")
    return found


def buildable(identifiers: Iterable[str]) -> list[str]:
    """The ids whose derivations build: a plug-in entry that cannot be built is left out of the
    whole-catalog book with one line (it never stops the others)."""
    from derive.catalog import CATALOG, get
    from derive.catalog.plugins import PluginError

    kept = []
    for identifier in identifiers:
        if not CATALOG[identifier].builtin:
            try:
                get(identifier)
            except PluginError as error:
                print(f"derive: {error}; left out of the book", file=sys.stderr)
                continue
        kept.append(identifier)
    return kept


def _progress(report: Report, k: int, n: int) -> None:
    mark = "passed" if report.passed else "FAILED"
    print(f"[{k}/{n}] verified {report.id}: {mark}", file=sys.stderr, flush=True)


def run(args: argparse.Namespace) -> int:
    """Verify, then build."""
    from derive.core.errors import UsageError

    if args.jobs < 0:
        raise UsageError(f"--jobs must be at least 0, got {args.jobs}")
    from derive.book import katex
    from derive.book.build import build, verify_all
    from derive.book.cache import BookCache
    from derive.catalog import ids

    identifiers = resolve(args.ids) if args.ids else buildable(ids())
    documents = []
    if args.add:
        from derive.commands.documents import checked_document

        for path in document_paths(args.add):
            checked = checked_document(str(path), budget=None, catalog=True)
            print(f"checked {path}: {checked.summary}", file=sys.stderr, flush=True)
            documents.append(checked)
    try:
        katex.katex_dir()
    except katex.KatexError as error:
        raise UsageError(str(error)) from None
    start = time.perf_counter()
    reports: dict[str, Report | None] = dict.fromkeys(identifiers)
    if not args.no_verify:
        noun = "derivation" if len(identifiers) == 1 else "derivations"
        print(f"verifying {len(identifiers)} {noun}", file=sys.stderr, flush=True)
        reports.update(verify_all(identifiers, jobs=args.jobs, done=_progress))
    try:
        site = build(
            args.out,
            reports=reports,
            identifiers=identifiers,
            say=lambda line: print(line, file=sys.stderr, flush=True),
            documents=documents,
            cache=None if args.no_cache else BookCache.default(),
        )
    except OSError as error:
        raise UsageError(
            f"cannot write the book to {args.out}: {error.strerror or error}"
        ) from None
    for line in site.missing_plots:
        print(f"no plot for {line}", file=sys.stderr)
    failed = [i for i, r in reports.items() if r is not None and not r.passed]
    seconds = time.perf_counter() - start
    print(
        f"wrote {len(site.pages)} pages, {len(site.plots)} plots, {site.formulas} formulas to "
        f"{args.out}/index.html in {seconds:.1f}s"
        + (
            ""
            if args.no_cache
            else f" ({len(site.rebuilt)} of {len(identifiers)} derivation pages made)"
        )
        + (f"; verification FAILED for {', '.join(failed)}" if failed else ""),
        file=sys.stderr,
    )
    return 1 if failed else 0
