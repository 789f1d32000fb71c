"""``derive bench [--json] [--quick] [--parts P,...]``: measure derive against what it replaces.

Twins against NumPy/LAPACK (with accuracy and the memory-bandwidth bound), the whole-catalog
verify cold and warm, the checker's latency, ``derive --help`` and ``derive list``, in one run.
Exit status 0 (the figures are information, not a test: timings depend on the machine and its
load).

>>> import contextlib, io, json
>>> from derive.commands.cli import main
>>> out = io.StringIO()
>>> with contextlib.redirect_stdout(out):
...     status = main(["bench", "--quick", "--parts", "startup", "--json"])
>>> status, sorted(json.loads(out.getvalue()))
(0, ['machine', 'quick', 'startup_s', 'targets'])
"""

from __future__ import annotations

import argparse
import os
from typing import Any

from derive.bench import PARTS  # the package module only: no part is imported here
from derive.core.errors import UsageError


def register(sub: Any) -> None:
    """Add the ``bench`` command."""
    p = sub.add_parser(
        "bench",
        help="benchmark twins, verify, the checker and start-up",
        description="Measure, side by side: batched numeric twins against NumPy/LAPACK at "
        "n = 1e3, 1e5, 1e6 (with their max relative error against 50-digit mpmath and their "
        "distance from the memory-bandwidth bound), `derive verify` over the whole catalog "
        "cold and warm, the checker's median and p95 latency per request, `derive "
        "--help` and `derive list`; peers: the checker against math-verify and plain SymPy "
        "simplify on the project's corpora and the twins against JAX jit (pip install "
        "'derive[bench]'; a missing peer is skipped with a note); a one-shot `derive check` "
        "process, proven and refuted; `derive book` after editing one derivation. Times are "
        "medians of repeated runs; a full run takes "
        "several minutes.",
    )
    p.add_argument("--json", action="store_true", help="machine-readable results")
    p.add_argument(
        "--quick",
        action="store_true",
        help="smaller batches (1e3, 1e5), fewer repeats, three derivations for verify",
    )
    p.add_argument(
        "--parts",
        default=",".join(PARTS),
        metavar="P,...",
        help=f"what to measure (default: all of {','.join(PARTS)})",
    )
    p.add_argument(
        "--serve-count",
        type=int,
        default=None,
        metavar="N",
        help="requests per concurrency in the serve load test (10000; 300 with --quick)",
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Measure and print."""
    parts = [p.strip() for p in args.parts.split(",") if p.strip()]
    unknown = [p for p in parts if p not in PARTS]
    if unknown or not parts:
        raise UsageError(
            f"--parts: unknown part {unknown[0]!r}" if unknown else "--parts: name a part"
        )
    # One BLAS thread, as the comparison is meant (LAPACK on small matrices gains nothing
    # from more); set before NumPy is first imported, and inherited by the processes started.
    for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(variable, "1")
    from derive.bench import run as measure
    from derive.bench.report import render, targets
    from derive.commands.common import print_json

    if args.serve_count is not None and args.serve_count < 1:
        raise UsageError(f"--serve-count must be at least 1, got {args.serve_count}")
    results = measure(parts, quick=args.quick, serve_count=args.serve_count)
    if args.json:
        results["targets"] = [
            {"what": t.what, "value": t.value, "target": t.goal, "met": t.met}
            for t in targets(results)
        ]
        print_json(results)
    else:
        render(results)
    return 0
