"""``derive verify [ID ...] [--json] [--jobs N] [--no-cache]``: check derivations; exit 0 iff
all pass. Passing results are cached by content (``derive.catalog.cache``), and the checker's
index of each derivation's recorded mistakes is prepared on the way (``derive.checker.index``).

>>> import contextlib, io, json
>>> from derive.commands.cli import main
>>> out = io.StringIO()
>>> with contextlib.redirect_stdout(out):
...     status = main(["verify", "inverse-2x2", "--json"])
>>> report = json.loads(out.getvalue())
>>> status, report["passed"], report["failed"], report["results"][0]["id"]
(0, 1, 0, 'inverse-2x2')
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from derive.commands.common import print_json, resolve

if TYPE_CHECKING:
    from derive.reasoning.verify import Report


def register(sub: Any) -> None:
    """Add the ``verify`` command."""
    p = sub.add_parser(
        "verify",
        help="verify derivations (all of them by default)",
        description="Check every step symbolically (or by a seeded numeric screen, reported as "
        "such), every numeric twin against its independent reference, every recorded mistake "
        "against a counterexample. Exit status 0 iff every check passed. On the way, each "
        "derivation's recorded mistakes are indexed for `derive check` (in the cache folder), "
        "so that a one-shot check names them without building derivations.",
    )
    p.add_argument("ids", nargs="*", metavar="ID", help="derivation ids (default: all)")
    p.add_argument("--json", action="store_true", help="machine-readable results")
    p.add_argument(
        "--jobs",
        type=int,
        default=0,
        metavar="N",
        help="worker processes (default: one per CPU; 1 = in this process)",
    )
    p.add_argument(
        "--no-cache",
        action="store_true",
        help="verify everything afresh (passing results are otherwise reused while nothing "
        "they depend on has changed; the cache is in $DERIVE_CACHE_DIR or ~/.cache/derive)",
    )
    p.set_defaults(run=run)


def _verify_one(identifier: str, cached: bool = True) -> Report:
    from derive.catalog.plugins import PluginError
    from derive.checker.catalog import prepare

    try:
        if cached:
            from derive.catalog.cache import Cache

            report = Cache.default().verify(identifier)
        else:
            from derive.catalog import get
            from derive.reasoning.verify import verify

            report = verify(get(identifier))
        # the checker's index of recorded mistakes, while the derivation is built anyway: a
        # later `derive check` reads them back instead of building derivations
        prepare(identifier)
        return report
    except PluginError as error:  # a plug-in's entry that does not build fails, the rest go on
        from derive.reasoning.verify import Check, Report

        return Report(identifier, (Check("the entry builds", False, str(error), "failed"),))


def _reports(identifiers: list[str], jobs: int, cached: bool = True) -> Iterator[Report]:
    """Reports as they are ready: cached ones first, then the rest (in parallel)."""
    pending = identifiers
    if cached:
        from derive.catalog.cache import Cache
        from derive.checker.catalog import prepared

        cache = Cache.default()
        pending = []
        for identifier in identifiers:
            report = cache.get(identifier)
            if report is None or not prepared(identifier):  # verify it, or index its mistakes
                pending.append(identifier)
            else:
                yield report
    one = functools.partial(_verify_one, cached=cached)
    if jobs <= 1 or len(pending) <= 1:
        yield from map(one, pending)
        return
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=min(jobs, len(pending))) as pool:
        yield from pool.map(one, pending)


def run(args: argparse.Namespace) -> int:
    """Verify and report."""
    from derive.catalog import ids

    identifiers = resolve(args.ids) if args.ids else list(ids())
    if args.jobs < 0:
        from derive.core.errors import UsageError

        raise UsageError(f"--jobs must be at least 0, got {args.jobs}")
    jobs = args.jobs or min(os.cpu_count() or 1, len(identifiers))
    reports: list[Report] = []
    show_progress = sys.stderr.isatty() and not args.json
    if show_progress:
        from rich.progress import Progress

        with Progress(transient=True) as progress:
            task = progress.add_task("verifying", total=len(identifiers))
            for report in _reports(identifiers, jobs, not args.no_cache):
                reports.append(report)
                progress.update(task, advance=1, description=f"verified {report.id}")
    else:
        reports = list(_reports(identifiers, jobs, not args.no_cache))
    reports.sort(key=lambda r: identifiers.index(r.id))
    passed = sum(r.passed for r in reports)
    if args.json:
        print_json(
            {
                "results": [r.as_dict() for r in reports],
                "passed": passed,
                "failed": len(reports) - passed,
            }
        )
    else:
        _summary(reports)
    return 0 if passed == len(reports) else 1


def _summary(reports: list[Report]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    table = Table(title="derive verify")
    for column in ("id", "checks", "proven", "numeric", "status"):
        table.add_column(column, justify="left" if column in ("id", "status") else "right")
    for r in reports:
        statuses = [c.status for c in r.checks]
        ok = sum(c.passed for c in r.checks)
        table.add_row(
            r.id,
            f"{ok}/{len(r.checks)}",
            str(statuses.count("proven")),
            str(statuses.count("numeric")),
            "[green]passed[/]" if r.passed else "[red]FAILED[/]",
        )
    console.print(table)
    for r in reports:
        for c in r.checks:
            if not c.passed:
                console.print(f"[red]✗[/] {r.id}: {c.name}: {c.detail}", highlight=False)
            elif c.status == "note":
                console.print(f"[blue]note[/] {r.id}: {c.detail}", highlight=False)
    passed = sum(r.passed for r in reports)
    console.print(f"{passed} of {len(reports)} derivations passed every check.")
