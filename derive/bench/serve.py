"""A bounded load test of ``derive serve``: a real server on a free port of 127.0.0.1, typical
requests (:data:`derive.bench.checker.CORPUS`) at several concurrencies.

>>> percentile([5.0, 1.0, 3.0, 2.0, 4.0], 50)
3.0
>>> rss_mb(-1) is None  # a process that does not exist
True

For each concurrency ``c``, ``c`` client threads (each with one keep-alive connection) send
``count`` requests in all, as fast as answers come; the figures are the throughput, the
latency percentiles (from sending a request to reading its whole answer) and the share
answered with HTTP 200. The server's memory (its process and its workers, resident set) is
read before the first request and after each level, and the machine's load average before
and after each level. The clients run on the same machine, so on
a small one they take some of the server's CPU.
"""

from __future__ import annotations

import http.client
import json
import math
import os
import signal
import socket
import subprocess
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from derive.bench.checker import CORPUS
from derive.bench.processes import command, exit_cause

START_SECONDS = 900.0
REQUEST_SECONDS = 120.0


@dataclass(frozen=True)
class Level:
    """The figures at one concurrency."""

    concurrency: int
    requests: int
    answered: int  # HTTP 200
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    statuses: dict[str, int]
    verdicts: dict[str, int]
    rss_after_mb: float | None = None  # the server's memory after this level
    load: tuple[float, float] | None = None  # the 1-minute load average before, after

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else math.inf


@dataclass(frozen=True)
class Load:
    """A load test: the levels, and the server's memory before and after (MB, or None where
    /proc is not there)."""

    workers: int
    levels: tuple[Level, ...]
    start_s: float
    rss_before_mb: float | None
    rss_after_mb: float | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "serve_workers": self.workers,
            "serve_start_s": self.start_s,
            "serve_rss_before_mb": self.rss_before_mb,
            "serve_rss_after_mb": self.rss_after_mb,
            "serve_levels": [
                {
                    "concurrency": v.concurrency,
                    "requests": v.requests,
                    "answered": v.answered,
                    "share_answered": v.answered / v.requests if v.requests else None,
                    "seconds": v.seconds,
                    "per_second": v.per_second,
                    "p50_ms": v.p50_ms,
                    "p95_ms": v.p95_ms,
                    "p99_ms": v.p99_ms,
                    "statuses": v.statuses,
                    "verdicts": v.verdicts,
                    "rss_after_mb": v.rss_after_mb,
                    "load_before": v.load[0] if v.load else None,
                    "load_after": v.load[1] if v.load else None,
                }
                for v in self.levels
            ],
        }


def percentile(values: Sequence[float], share: float) -> float:
    """The ``share``-th percentile (nearest rank) of ``values``."""
    ordered = sorted(values)
    rank = max(1, math.ceil(share / 100 * len(ordered)))
    return ordered[rank - 1]


def rss_mb(pid: int) -> float | None:
    """Resident memory of a process in MB (Linux /proc), None if unknown."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(port: int, path: str) -> tuple[int, Any]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, json.loads(response.read())
    finally:
        connection.close()


def _memory(pid: int, port: int) -> float | None:
    _, state = _get(port, "/health")
    sizes = [rss_mb(pid), *(rss_mb(w["pid"]) for w in state["workers"])]
    return None if any(s is None for s in sizes) else sum(s for s in sizes if s is not None)


def _level(port: int, concurrency: int, count: int) -> Level:
    bodies = [
        json.dumps({**CORPUS[i % len(CORPUS)], "id": i}).encode("utf-8") for i in range(count)
    ]
    latencies: list[float] = []
    statuses: Counter[str] = Counter()
    verdicts: Counter[str] = Counter()
    lock = threading.Lock()
    position = iter(range(count))

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_SECONDS)
        try:
            while True:
                with lock:
                    index = next(position, None)
                if index is None:
                    return
                start = time.perf_counter()
                try:
                    connection.request(
                        "POST", "/check", bodies[index], {"Content-Type": "application/json"}
                    )
                    response = connection.getresponse()
                    body = response.read()
                    status = str(response.status)
                    verdict = json.loads(body).get("verdict", "?")
                except (OSError, http.client.HTTPException, ValueError):
                    connection.close()
                    connection = http.client.HTTPConnection(
                        "127.0.0.1", port, timeout=REQUEST_SECONDS
                    )
                    status, verdict = "no answer", "none"
                elapsed = (time.perf_counter() - start) * 1000
                with lock:
                    latencies.append(elapsed)
                    statuses[status] += 1
                    verdicts[verdict] += 1
        finally:
            connection.close()

    threads = [threading.Thread(target=client, daemon=True) for _ in range(concurrency)]
    load_before = os.getloadavg()[0]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - start
    return Level(
        concurrency,
        count,
        statuses.get("200", 0),
        seconds,
        percentile(latencies, 50),
        percentile(latencies, 95),
        percentile(latencies, 99),
        dict(statuses),
        dict(verdicts),
        load=(load_before, os.getloadavg()[0]),
    )


def load(count: int = 10_000, concurrencies: Sequence[int] = (1, 8, 32), workers: int = 2) -> Load:
    """Start ``derive serve``, send ``count`` typical requests at each concurrency, stop it."""
    port = _free_port()
    queue = 2 * max(concurrencies)
    argv = [*command(), "serve", "--port", str(port), "--workers", str(workers)]
    argv += ["--queue", str(queue)]
    with tempfile.TemporaryFile() as log:
        began = time.perf_counter()
        process = subprocess.Popen(
            argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log
        )
        try:
            _wait(process, port, log)
            start_s = time.perf_counter() - began
            before = _memory(process.pid, port)
            levels: list[Level] = []
            for concurrency in concurrencies:
                level = _level(port, concurrency, count)
                levels.append(replace(level, rss_after_mb=_memory(process.pid, port)))
            after = levels[-1].rss_after_mb if levels else before
        finally:
            os.kill(process.pid, signal.SIGTERM)
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                os.kill(process.pid, signal.SIGKILL)
                process.wait(30)
    return Load(workers, tuple(levels), start_s, before, after)


def _wait(process: subprocess.Popen[bytes], port: int, log: Any) -> None:
    end = time.monotonic() + START_SECONDS
    while time.monotonic() < end:
        if process.poll() is not None:
            log.seek(0)
            cause = exit_cause(process.returncode, log.read().decode("utf-8", "replace"))
            raise RuntimeError(f"derive serve stopped: {cause}")
        try:
            if _get(port, "/health")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"derive serve was not ready in {START_SECONDS:g} s")
