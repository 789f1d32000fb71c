"""What a user waits for in fresh processes: ``derive verify`` cold and warm, start-up
(``derive --help``, ``derive list``) and a one-shot ``derive check "…" "…"``.

>>> seconds = startup(repeats=1)  # the median wall-clock time of `derive --help`
>>> isinstance(seconds, float) and seconds > 0
True

Every figure runs the installed command line in new processes (so imports and code
generation count). "Cold" is an empty verification cache in a temporary folder, "warm" the
same command again once that cache is filled.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any


def command() -> list[str]:
    """How to run ``derive``: the console script beside this Python, else
    ``-m derive.commands.cli``."""
    script = Path(sys.executable).with_name("derive")
    if script.is_file() and os.access(script, os.X_OK):
        return [str(script)]
    return [sys.executable, "-m", "derive.commands.cli"]


def _timed(argv: Sequence[str], env: dict[str, str] | None = None) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(
        [*command(), *argv],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise RuntimeError(
            f"derive {' '.join(argv)} failed: {exit_cause(done.returncode, done.stderr)}"
        )
    return seconds, done.stdout


def exit_cause(returncode: int | None, stderr: str, tail: int = 2000) -> str:
    """How a child process ended, with the end of what it wrote on stderr (its cause).

    >>> exit_cause(3, "derive: internal error: TypeError: boom\\n")
    'exit status 3; its stderr ends:\\nderive: internal error: TypeError: boom'
    >>> exit_cause(-14, "")
    'killed by SIGALRM; nothing on its stderr'
    """
    if returncode is None:
        ended = "still running"
    elif returncode < 0:
        try:
            ended = f"killed by {signal.Signals(-returncode).name}"
        except ValueError:
            ended = f"killed by signal {-returncode}"
    else:
        ended = f"exit status {returncode}"
    text = stderr.strip()
    if not text:
        return f"{ended}; nothing on its stderr"
    shown = text if len(text) <= tail else "…" + text[-tail:]
    return f"{ended}; its stderr ends:\n{shown}"


def startup(repeats: int = 7, argv: Sequence[str] = ("--help",)) -> float:
    """Median wall time of ``derive ARGV`` (``--help`` unless given) in a new process."""
    return statistics.median(_timed(argv)[0] for _ in range(repeats))


@dataclass(frozen=True)
class Verification:
    """``derive verify`` over some ids, cold (empty cache) and warm (filled cache)."""

    ids: int
    passed: int
    cold_s: float
    warm_s: float


def verification(identifiers: Sequence[str] = (), *, warm_repeats: int = 3) -> Verification:
    """Time ``derive verify --json [IDS]`` with an empty cache, then with the filled one."""
    folder = tempfile.mkdtemp(prefix="derive-bench-cache-")
    try:
        env = dict(os.environ, DERIVE_CACHE_DIR=folder)
        argv = ["verify", "--json", *identifiers]
        cold, out = _timed(argv, env)
        data = json.loads(out)
        warm = statistics.median(_timed(argv, env)[0] for _ in range(warm_repeats))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return Verification(len(data["results"]), int(data["passed"]), cold, warm)


# One-shot requests as a learner types them at the terminal: proven ones and refuted ones.
ONESHOT: tuple[tuple[str, ...], ...] = (
    ("(a+b)^2", "a^2 + 2a b + b^2"),
    ("(a+b)^2", "a^2 + b^2"),
    ("diff(sigmoid(z), z)", "sigmoid(z)(1 - sigmoid(z))"),
    ("diff(x^3 + 2x, x)", "3x^2"),
    ("inv(A B)", "inv(A) inv(B)", "--given", "A=matrix 2 2", "--given", "B=matrix 2 2"),
    ("log(a b)", "log(a) + log(b)", "--given", "a=positive", "--given", "b=positive"),
)


def prepare_oneshot() -> dict[str, Any]:
    """What an installation has before a learner's first check: derive's bytecode compiled
    (as ``pip install`` does; an editable install under ``PYTHONDONTWRITEBYTECODE`` has none)
    and the checker's mistake index prepared (as ``derive verify`` and ``make run`` do); the
    seconds each took here (next to nothing when already done)."""
    import compileall

    from derive.checker.catalog import warm
    from derive.core.sources import PACKAGE

    start = time.perf_counter()
    compileall.compile_dir(str(PACKAGE), quiet=2)
    compiled = time.perf_counter() - start
    start = time.perf_counter()
    warm()
    return {"oneshot_compile_s": compiled, "oneshot_index_s": time.perf_counter() - start}


def cold_refuted(repeats: int = 3) -> float:
    """The median wall time of a refuted one-shot check in a new cache folder each time (no
    mistake index yet: the catalog search builds derivations within its one-second share)."""
    times = []
    for _ in range(repeats):
        folder = tempfile.mkdtemp(prefix="derive-bench-cold-")
        try:
            env = dict(os.environ, DERIVE_CACHE_DIR=folder)
            times.append(_timed(["check", "(a+b)^2", "a^2 + b^2"], env)[0])
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    return statistics.median(times)


def oneshot(repeats: int = 7) -> dict[str, Any]:
    """Whole-process wall time of ``derive check "…" "…"`` (each request of ``ONESHOT``
    ``repeats`` times, in new processes, after ``prepare_oneshot``): the median over all, and
    over the proven and the refuted ones (exit status 0 and 1), the median CPU time of a
    process, and a refuted request on a cold cache (``cold_refuted``, not a target)."""
    prepared = prepare_oneshot()
    proven: list[float] = []
    refuted: list[float] = []
    cpu: list[float] = []
    per_request = []
    for argv in ONESHOT:
        times = []
        status = 0
        for _ in range(repeats):
            used = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            done = subprocess.run(
                [*command(), "check", *argv],
                capture_output=True,
                text=True,
                check=False,
                stdin=subprocess.DEVNULL,
            )
            times.append(time.perf_counter() - start)
            now = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu.append(now.ru_utime + now.ru_stime - used.ru_utime - used.ru_stime)
            if done.returncode not in (0, 1):
                raise RuntimeError(
                    f"derive check {' '.join(argv)} failed: "
                    f"{exit_cause(done.returncode, done.stderr)}"
                )
            status = done.returncode
        (proven if status == 0 else refuted).extend(times)
        per_request.append(
            {"request": " | ".join(argv), "status": status, "median_s": statistics.median(times)}
        )
    every = proven + refuted
    return {
        "oneshot_median_s": statistics.median(every),
        "oneshot_proven_median_s": statistics.median(proven) if proven else None,
        "oneshot_refuted_median_s": statistics.median(refuted) if refuted else None,
        "oneshot_max_s": max(every),
        # CPU time (user + system) of the process: what the wall time would be on an idle
        # machine, and much less disturbed by a busy one
        "oneshot_cpu_median_s": statistics.median(cpu),
        "oneshot_requests": per_request,
        "oneshot_cold_refuted_s": cold_refuted(1 if repeats < 7 else 3),
        **prepared,
    }
