"""The benchmark's figures for people: tables, and each target with whether it is met.

>>> goals = targets({"startup_s": 0.12})
>>> [(g.what, g.met) for g in goals]
[('derive --help', True)]
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

TARGET_SPEEDUP = {
    "inverse-2x2": 10.0,
    "eigenvalues-2x2": 10.0,
    "inverse-3x3-adjugate": 10.0,
    "linear-system-2x2": 10.0,
}
TARGET_BOUND = {
    "inverse-2x2": 3.0,
    "inverse-3x3-adjugate": 3.0,
    "eigenvalues-2x2": 2.0,
    "linear-system-2x2": 2.0,
}


@dataclass(frozen=True)
class Target:
    """One target of the benchmark and whether the measured value meets it."""

    what: str
    value: str
    goal: str
    met: bool


def _largest_batch(results: dict[str, Any], name: str) -> dict[str, Any] | None:
    rows = [c for c in results.get("cases", []) if c["name"] == name]
    return max(rows, key=lambda c: c["n"]) if rows else None


def targets(results: dict[str, Any]) -> list[Target]:
    """The targets that these results say something about."""
    out: list[Target] = []
    for name, speedup in TARGET_SPEEDUP.items():
        row = _largest_batch(results, name)
        if row is not None:
            n = f"{row['n']:.0e}".replace("e+0", "e")
            error = row["max_rel_err"]
            out.append(
                Target(
                    f"{name} at n = {n}: speed-up, max rel. error",
                    f"{row['speedup']:.1f}×, {error:.1e}" if error is not None else "error ∞",
                    f"≥ {speedup:g}×, ≤ 1e-12",
                    row["speedup"] >= speedup and error is not None and error <= 1e-12,
                )
            )
    for name, ratio in TARGET_BOUND.items():
        row = _largest_batch(results, name)
        if row is not None:
            out.append(
                Target(
                    f"{name}: time / copy-bandwidth bound",
                    f"{row['times_bound']:.1f}×",
                    f"≤ {ratio:g}×",
                    row["times_bound"] <= ratio,
                )
            )
    limits: list[tuple[str, str, float, str, Callable[[float], str]]] = [
        ("verify_cold_s", "derive verify, cold", 60.0, "s", "{:.1f} s".format),
        ("verify_warm_s", "derive verify, warm", 5.0, "s", "{:.2f} s".format),
        ("check_median_ms", "checker median latency (warmed)", 100.0, "ms", "{:.0f} ms".format),
        ("check_p95_ms", "checker p95 latency (warmed)", 1000.0, "ms", "{:.0f} ms".format),
        ("check_v2_median_ms", "checker v2 corpus median (warmed)", 50.0, "ms", "{:.0f} ms".format),
        ("check_v2_p95_ms", "checker v2 corpus p95 (warmed)", 500.0, "ms", "{:.0f} ms".format),
        ("check_v2_pair_ratio", "statement pair / expression pair", 2.0, "×", "{:.2f}×".format),
        ("check_v2_cookbook_unknown", "Cookbook size 3: unknown", 0.0, "", "{:d}".format),
        ("startup_s", "derive --help", 0.3, "s", "{:.2f} s".format),
        ("list_s", "derive list (no SymPy)", 0.5, "s", "{:.2f} s".format),
        ("oneshot_median_s", 'one-shot derive check "…" "…" (median)', 1.0, "s", "{:.2f} s".format),
        ("oneshot_cpu_median_s", "the same, CPU time (median)", 1.0, "s", "{:.2f} s".format),
        (
            "book_incremental_s",
            "derive book after editing one derivation",
            5.0,
            "s",
            "{:.1f} s".format,
        ),
    ]
    for key, what, limit, unit, show in limits:
        value = results.get(key)
        if value is not None:
            space = "" if unit in ("", "×") else " "  # 2×, a count, 50 ms
            out.append(Target(what, show(value), f"≤ {limit:g}{space}{unit}", value <= limit))
    return out


def _seconds(value: float) -> str:
    if value < 1e-3:
        return f"{value * 1e6:.0f} µs"
    if value < 1:
        return f"{value * 1e3:.1f} ms"
    return f"{value:.2f} s"


def render(results: dict[str, Any]) -> None:
    """Print the figures as tables on the terminal."""
    from rich.console import Console
    from rich.table import Table

    console = Console(width=max(Console().width, 100))
    info = results["machine"]
    console.print(
        f"{info['cpus']} CPUs, load {info['load'][0]:.1f} before and "
        f"{info['load_after'][0]:.1f} after; backend {info['backend']}; "
        f"NumPy {info['numpy']}, SymPy {info['sympy']}, SymEngine {info['symengine']}"
    )
    if results.get("cases"):
        from rich import box

        table = Table(title="numeric twins vs NumPy/LAPACK (medians)", box=box.SIMPLE)
        table.add_column("twin", no_wrap=True)
        for column in ("n", "derive", "NumPy", "speed-up", "×bound", "error", "NumPy"):
            table.add_column(column, justify="right")
        for c in results["cases"]:
            ours, theirs = c["max_rel_err"], c["reference_max_rel_err"]
            table.add_row(
                c["name"],
                f"{c['n']:.0e}".replace("e+0", "e"),
                _seconds(c["derive_s"]),
                _seconds(c["reference_s"]),
                f"{c['speedup']:.1f}×",
                f"{c['times_bound']:.1f}",
                f"{ours:.1e}" if ours is not None else "∞",
                f"{theirs:.1e}" if theirs is not None else "∞",
            )
        console.print(table)
        references = sorted({f"{c['name']}: {c['reference']}" for c in results["cases"]})
        console.print(
            f"NumPy = {'; '.join(references)}. Errors: max normwise relative error against "
            f"50-digit mpmath. × bound: time over the memory-bandwidth bound, the bytes in + "
            f"out at the speed of copying the same inputs into new arrays (timed alongside); "
            f"a 64 MB copy runs at {results['copy_gbps']:.1f} GB/s (read + write)."
        )
    if results.get("check_note"):
        console.print(f"checker: {results['check_note']}")
    if results.get("check_warm_up_s") is not None:
        console.print(
            f"checker: {results['check_requests']} requests to a server started with --warm "
            f"(ready in {results['check_warm_up_s']:.1f} s); without --warm: median "
            f"{results['check_cold_median_ms']:.0f} ms, p95 {results['check_cold_p95_ms']:.0f} ms; "
            f"batch of the corpus in a fresh process: {results['check_batch_per_s']:.1f} "
            "requests/s."
        )
    if results.get("check_v2_requests") is not None:
        console.print(
            f"checker v2: {results['check_v2_requests']} corpus requests to a server started "
            f"with --warm: median {results['check_v2_median_ms']:.0f} ms, p95 "
            f"{results['check_v2_p95_ms']:.0f} ms; per judged pair (no 'given'): statement "
            f"{results['check_v2_statement_pair_ms']:.1f} ms, expression "
            f"{results['check_v2_expression_pair_ms']:.1f} ms (whole corpus: "
            f"{results['check_v2_statement_pair_all_ms']:.1f} / "
            f"{results['check_v2_expression_pair_all_ms']:.1f} ms); Matrix Cookbook at size 3: "
            f"{results['check_v2_cookbook_correct']}/{results['check_v2_cookbook_requests']} "
            f"correct, median {results['check_v2_cookbook_median_ms'] / 1000:.1f} s."
        )
    for row in results.get("grading", []):
        console.print(
            f"derive grade, {results['grading_n']} submissions, {row['mode']}: "
            f"{row['seconds']:.1f} s ({row['per_s']:.1f} per second; median "
            f"{row['median_ms']:.0f} ms per submission; load {_load(row)})"
        )
    for mode, found in results.get("grading_differences", {}).items():
        example = found["examples"][0]
        console.print(
            f"derive grade: the gradebook of {mode} differs in {found['rows']} rows; e.g. "
            + " vs ".join(json.dumps(row) for row in example.values()),
            markup=False,
        )
    for level in results.get("serve_levels", []):
        console.print(
            f"derive serve ({results['serve_workers']} workers), concurrency "
            f"{level['concurrency']}: {level['per_second']:.1f} requests/s, p50 "
            f"{level['p50_ms']:.0f} ms, p95 {level['p95_ms']:.0f} ms, p99 {level['p99_ms']:.0f} "
            f"ms, {level['answered']}/{level['requests']} answered; memory after "
            f"{_megabytes(level.get('rss_after_mb'))}; load {_load(level)}"
        )
    if results.get("serve_levels"):
        console.print(
            "derive serve memory (server + workers, RSS): "
            f"{_megabytes(results['serve_rss_before_mb'])} before, "
            f"{_megabytes(results['serve_rss_after_mb'])} after"
        )
    _peers(console, results)
    if results.get("oneshot_median_s") is not None:
        console.print(
            f'one-shot derive check "…" "…" (whole process): median '
            f"{results['oneshot_median_s']:.2f} s (proven "
            f"{_maybe(results['oneshot_proven_median_s'])}, refuted "
            f"{_maybe(results['oneshot_refuted_median_s'])}), slowest "
            f"{results['oneshot_max_s']:.2f} s; CPU time per process (median) "
            f"{results['oneshot_cpu_median_s']:.2f} s; a refuted one with no mistake index yet "
            f"(new cache folder) {results['oneshot_cold_refuted_s']:.2f} s; before timing: "
            f"bytecode compiled in {results['oneshot_compile_s']:.1f} s, the mistake index "
            f"ready in {results['oneshot_index_s']:.1f} s"
        )
    goals = targets(results)
    if goals:
        table = Table(title="targets")
        for column in ("what", "measured", "target", "met"):
            table.add_column(column)
        for g in goals:
            table.add_row(g.what, g.value, g.goal, "[green]yes[/]" if g.met else "[red]no[/]")
        console.print(table)


def _load(row: dict[str, Any]) -> str:
    """The machine's 1-minute load average before → after a measurement."""
    before, after = row.get("load_before"), row.get("load_after")
    if before is None or after is None:
        return "unknown"
    return f"{before:.1f} → {after:.1f}"


def _megabytes(value: float | None) -> str:
    return "unknown" if value is None else f"{value:.0f} MB"


def _maybe(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f} s"


def _peers(console: Any, results: dict[str, Any]) -> None:
    """The peers' figures beside derive's: checkers on the corpora, JAX beside the twins."""
    from rich.table import Table

    peers = results.get("check_peers")
    if peers:
        for note in peers.get("notes", []):
            console.print(f"peers: {note}")
        if peers.get("peers"):
            table = Table(
                title=f"checkers on the project's corpora ({peers['rows']} requests, "
                f"{peers['chain_rows']} of them chains of expressions)"
            )
            columns = (
                "checker",
                "agrees (all)",
                "agrees (chains)",
                "median (chains)",
                "mean",
                "max",
            )
            for column in columns:
                table.add_column(column, justify="left" if column == "checker" else "right")
            for p in peers["peers"]:
                table.add_row(
                    p["name"],
                    f"{100 * p['agreement']:.0f}%",
                    f"{100 * p['chain_agreement']:.0f}%" if p["chain_agreement"] else "-",
                    f"{p['chain_median_ms']:.1f} ms" if p.get("chain_median_ms") else "-",
                    f"{p['mean_ms']:.1f} ms",
                    f"{p['max_ms']:.0f} ms",
                )
            console.print(table)
    if results.get("jax_note"):
        console.print(f"peers: {results['jax_note']}")
    if results.get("jax_cases"):
        ours = {(c["name"], c["n"]): c for c in results.get("cases", [])}
        table = Table(title=f"twins vs JAX jit on the CPU (JAX {results['jax_version']})")
        for column in ("twin", "n", "derive", "NumPy", "JAX jit", "agrees"):
            table.add_column(column, justify="left" if column == "twin" else "right")
        for j in results["jax_cases"]:
            mine = ours.get((j["name"], j["n"]))
            table.add_row(
                j["name"],
                f"{j['n']:.0e}".replace("e+0", "e"),
                _seconds(mine["derive_s"]) if mine else "-",
                _seconds(mine["reference_s"]) if mine else "-",
                _seconds(j["jax_s"]),
                "yes" if j["agrees_numpy"] else "no",
            )
        console.print(table)
