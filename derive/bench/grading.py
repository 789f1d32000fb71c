"""Grading throughput: ``derive grade`` on a synthetic class of N submissions with ``--jobs 1``,
``--jobs 2`` and on a two-worker Dask ``LocalCluster``.

>>> submissions, key = classroom(6)
>>> len(submissions), submissions[0]["exercise"], sorted(key[0])
(6, 'e00', ['exercise', 'given'])

The class is the checker benchmark's corpus of typical requests (two in three right) written
as submissions: each claim ``a = b`` is the two steps ``a``, ``b``, and each exercise's kinds
go into the key; student k submits request k modulo the corpus. Every run is the installed
command line in a new process with a fresh output folder, start-up and warming (the mistake
index built once per process or worker) included, as a teacher would wait for it.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from derive.bench.checker import CORPUS
from derive.bench.processes import command, exit_cause


def _steps(request: dict[str, Any]) -> list[str] | None:
    if "steps" in request:
        return list(request["steps"])
    parts = str(request["claim"]).split(" = ")
    return parts if len(parts) == 2 else None


def classroom(n: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """``n`` submissions and the key of their exercises."""
    exercises = [(r, s) for r in CORPUS if (s := _steps(r)) is not None]
    key = [
        {"exercise": f"e{i:02d}", "given": dict(r.get("given", {}))}
        for i, (r, _) in enumerate(exercises)
    ]
    submissions = []
    for k in range(n):
        i = k % len(exercises)
        submissions.append(
            {"student": f"s{k // len(exercises):05d}", "exercise": f"e{i:02d}",
             "steps": exercises[i][1]}
        )  # fmt: skip
    return submissions, key


def _run(folder: Path, options: Sequence[str], timeout: float) -> dict[str, Any]:
    out = folder / "out"
    shutil.rmtree(out, ignore_errors=True)
    argv = [*command(), "grade", str(folder / "class.jsonl"), "--key", str(folder / "key.jsonl")]
    load_before = os.getloadavg()[0]
    start = time.perf_counter()
    done = subprocess.run(
        [*argv, "--out", str(out), *options],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(
            f"derive grade {' '.join(options)}: {exit_cause(done.returncode, done.stderr)}"
        )
    lines = (out / "graded.jsonl").read_text(encoding="utf-8").splitlines()
    ms = sorted(json.loads(line)["ms"] for line in lines)
    return {
        "seconds": seconds,
        "median_ms": statistics.median(ms),
        "graded": len(ms),
        "load_before": load_before,
        "load_after": os.getloadavg()[0],
    }


def differences(books: Sequence[str], modes: Sequence[str], most: int = 5) -> dict[str, Any]:
    """Where gradebooks (``gradebook.json`` texts) differ from the first: per other mode the
    number of rows that differ, and up to ``most`` examples (the two rows side by side).

    >>> a = json.dumps({"rows": [{"student": "s", "exercise": "e", "verdict": "correct"}]})
    >>> b = json.dumps({"rows": [{"student": "s", "exercise": "e", "verdict": "unknown"}]})
    >>> found = differences([a, b], ["one", "two"])
    >>> found["two"]["rows"], found["two"]["examples"][0]["two"]["verdict"]
    (1, 'unknown')
    """
    first = {(r["student"], r["exercise"]): r for r in json.loads(books[0])["rows"]}
    found: dict[str, Any] = {}
    for book, mode in zip(books[1:], modes[1:], strict=True):
        rows = {(r["student"], r["exercise"]): r for r in json.loads(book)["rows"]}
        cells = sorted(c for c in first.keys() | rows.keys() if first.get(c) != rows.get(c))
        if cells:
            examples = [{modes[0]: first.get(c), mode: rows.get(c)} for c in cells[:most]]
            found[mode] = {"rows": len(cells), "examples": examples}
    return found


def throughput(n: int = 10_000, timeout: float = 3600.0) -> dict[str, Any]:
    """For each way of grading: the wall-clock seconds (start-up and warming included),
    submissions per second, and the median time the checker took per submission; whether all
    of them wrote the same gradebook, and if not, which rows differ from ``--jobs 1``'s."""
    submissions, key = classroom(n)
    rows: list[dict[str, Any]] = []
    books: list[str] = []
    with tempfile.TemporaryDirectory(prefix="derive-bench-grade-") as name:
        folder = Path(name)
        (folder / "class.jsonl").write_text("".join(json.dumps(s) + "\n" for s in submissions))
        (folder / "key.jsonl").write_text("".join(json.dumps(e) + "\n" for e in key))
        for mode, options in (("--jobs 1", ["--jobs", "1"]), ("--jobs 2", ["--jobs", "2"])):
            run = _run(folder, options, timeout)
            rows.append({"mode": mode, **run, "per_s": n / run["seconds"]})
            books.append((folder / "out" / "gradebook.json").read_text())
        from distributed import LocalCluster

        with LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address="127.0.0.1:0"
        ) as cluster:
            run = _run(folder, ["--dask", cluster.scheduler_address], timeout)
        mode = "Dask LocalCluster, 2 workers"
        rows.append({"mode": mode, **run, "per_s": n / run["seconds"]})
        books.append((folder / "out" / "gradebook.json").read_text())
    return {
        "grading_n": n,
        "grading": rows,
        "grading_same_gradebook": len(set(books)) == 1,
        "grading_differences": differences(books, [row["mode"] for row in rows]),
    }
