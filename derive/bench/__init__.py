"""``derive bench``: how fast derive is, side by side with what it replaces, in one run.

>>> results = run(parts=("startup",), quick=True)
>>> sorted(k for k in results if k.startswith("startup"))
['startup_s']

Parts: ``twins`` (batched numeric twins against NumPy/LAPACK at several batch sizes, with
their accuracy against 50-digit mpmath and their distance from the memory-bandwidth bound;
``derive.bench.twins``), ``verify`` (the whole catalog cold and warm in fresh processes;
``derive.bench.processes``), ``check`` (the checker's latency per request and batch
throughput through its JSON Lines contract; ``derive.bench.checker``), ``checker-v2`` (the
version-2 test corpus through a ``--warm`` server: median and p95 per request, a statement pair's
cost against an expression pair's, and the Matrix Cookbook's size-3 identities), ``startup``
(``derive --help``) and ``list`` (``derive list --json``, read from the catalog entries
without building anything or importing SymPy) and ``grading`` (``derive grade`` on N
submissions with ``--jobs 1``, ``--jobs 2`` and a two-worker Dask LocalCluster;
``derive.bench.grading``) and ``serve`` (a load test of ``derive serve`` on localhost at
concurrency 1, 8 and 32; ``derive.bench.serve``) and ``peers`` (the checker against
math-verify and a plain SymPy ``simplify(a - b) == 0`` on the project's corpora, the twins
against JAX ``jit`` on the CPU; each skipped with a note when not installed;
``derive.bench.peers``) and ``oneshot`` (a whole ``derive check "…" "…"`` process, proven and
refuted; ``derive.bench.processes``) and ``book-incremental`` (``derive book`` after editing one
derivation, against the full build; ``derive.bench.book``). Every time is a median of repeated
runs; the machine's load is recorded before and after, since other work on it slows everything
alike.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from typing import Any

PARTS = (
    "twins",
    "verify",
    "check",
    "checker-v2",
    "startup",
    "list",
    "grading",
    "serve",
    "peers",
    "oneshot",
    "book-incremental",
)


def _finite(value: float) -> float | None:
    """JSON has no infinity or NaN: those become null."""
    return value if math.isfinite(value) else None


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    import importlib.metadata  # here, not at the top: `derive check` imports this package
    import platform

    from derive.numeric import fast

    versions: dict[str, str | None] = {}
    for library in ("numpy", "sympy", "symengine"):
        try:
            versions[library] = importlib.metadata.version(library)
        except importlib.metadata.PackageNotFoundError:
            versions[library] = None
    return {
        "cpus": os.cpu_count(),
        "load": list(os.getloadavg()),
        "python": platform.python_version(),
        **versions,
        "backend": fast.backend(),
        "blas_threads": os.environ.get("OPENBLAS_NUM_THREADS"),
    }


def _twins(quick: bool) -> dict[str, Any]:
    from derive.bench import twins

    sizes = (10**3, 10**5) if quick else (10**3, 10**5, 10**6)
    rows = twins.measure(sizes=sizes, repeats=3 if quick else 7, samples=40 if quick else 400)
    gbps = twins.copy_gbps(repeats=3 if quick else 7)
    cases = []
    for row in rows:
        cases.append(
            {
                "name": row.name,
                "n": row.n,
                "derive_s": row.derive_s,
                "reference_s": row.reference_s,
                "speedup": row.speedup,
                "max_rel_err": _finite(row.max_rel_err),
                "reference": row.reference,
                "reference_max_rel_err": _finite(row.reference_max_rel_err),
                "ill_conditioned": {
                    k: _finite(v) if isinstance(v, float) else v for k, v in row.ill.items()
                },
                "backend": row.backend,
                "bound_s": row.bound_s,
                "times_bound": row.derive_s / row.bound_s,
            }
        )
    return {"cases": cases, "copy_gbps": gbps}


def _verify(quick: bool) -> dict[str, Any]:
    from derive.bench.processes import verification
    from derive.catalog import ids

    chosen = list(ids())[:3] if quick else []
    figures = verification(chosen, warm_repeats=1 if quick else 3)
    return {
        "verify_cold_s": figures.cold_s,
        "verify_warm_s": figures.warm_s,
        "verify_ids": figures.ids,
        "verify_passed": figures.passed,
    }


def _check(quick: bool) -> dict[str, Any]:
    from derive.bench import checker

    figures = checker.latency(checker.CORPUS[:8] if quick else checker.CORPUS)
    return {
        "check_median_ms": figures.median_ms,
        "check_p95_ms": figures.p95_ms,
        "check_max_ms": figures.max_ms,
        "check_requests": figures.requests,
        "check_verdicts": figures.verdicts,
        "check_errors": figures.errors,
        "check_batch_per_s": figures.batch_per_second,
        "check_slowest": [{"ms": ms, "request": text} for ms, text in figures.slowest],
        "check_warm_up_s": figures.warm_up_s,
        "check_cold_median_ms": figures.cold_median_ms,
        "check_cold_p95_ms": figures.cold_p95_ms,
    }


def _checker_v2(quick: bool) -> dict[str, Any]:
    from derive.bench import checker
    from derive.checker.bench import COOKBOOK

    requests = checker.corpus_v2()
    if quick:
        return checker.checker_v2(requests[::8], COOKBOOK[:2]).as_dict()
    return checker.checker_v2(requests, COOKBOOK).as_dict()


def _startup(quick: bool) -> dict[str, Any]:
    from derive.bench.processes import startup

    return {"startup_s": startup(3 if quick else 7)}


def _list(quick: bool) -> dict[str, Any]:
    from derive.bench.processes import startup

    return {"list_s": startup(3 if quick else 7, ("list", "--json"))}


def _grading(quick: bool) -> dict[str, Any]:
    from derive.bench.grading import throughput

    return throughput(500 if quick else 10_000)


def _serve(quick: bool, count: int | None = None) -> dict[str, Any]:
    from derive.bench.serve import load

    return load(count or (300 if quick else 10_000)).as_dict()


def _peers(quick: bool) -> dict[str, Any]:
    from pathlib import Path

    from derive.bench import peers

    folder = Path(__file__).resolve().parents[2] / "tests" / "check"
    rows = peers.corpus_rows(folder, 25 if quick else None)
    out: dict[str, Any] = {}
    if rows:
        out["check_peers"] = peers.checkers(rows)
    else:
        out["check_peers"] = {"notes": [f"no corpora in {folder} (a source checkout has them)"]}
    sizes = (10**3, 10**5) if quick else (10**3, 10**5, 10**6)
    out.update(peers.jax_twins(sizes, 3 if quick else 7))
    return out


def _oneshot(quick: bool) -> dict[str, Any]:
    from derive.bench.processes import oneshot

    return oneshot(3 if quick else 7)


def _book_incremental(quick: bool) -> dict[str, Any]:
    from derive.bench.book import incremental

    return incremental(1 if quick else 3)


def run(
    parts: Sequence[str] = PARTS, *, quick: bool = False, serve_count: int | None = None
) -> dict[str, Any]:
    """Measure the chosen parts; the result is the JSON of ``derive bench --json``."""
    unknown = sorted(set(parts) - set(PARTS))
    if unknown:
        raise ValueError(f"unknown part {unknown[0]!r}; the parts are {', '.join(PARTS)}")
    steps = {
        "twins": _twins,
        "verify": _verify,
        "check": _check,
        "checker-v2": _checker_v2,
        "startup": _startup,
        "list": _list,
        "grading": _grading,
        "serve": lambda quick: _serve(quick, serve_count),
        "peers": _peers,
        "oneshot": _oneshot,
        "book-incremental": _book_incremental,
    }
    results: dict[str, Any] = {"quick": quick, "machine": machine()}
    for part in PARTS:
        if part in parts:
            results.update(steps[part](quick))
    results["machine"]["load_after"] = list(os.getloadavg())
    return results
