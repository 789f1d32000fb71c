"""Latency of the checker: median and p95 per request in-process, and batch throughput.

>>> figures = benchmark(TYPICAL[:3], rounds=1)
>>> figures.requests, figures.median_ms > 0
(3, True)

Run ``python -m derive.checker.bench [corpus.jsonl]`` for the figures on the built-in corpus of
typical steps (or on a JSON Lines file of requests, or of ``{"request": ...}`` rows such as
tests/check/corpus.jsonl). Each request is checked once to warm caches, then timed
``rounds`` times; the first call of the process (SymPy's imports and caches) is excluded.
Batch throughput runs the same requests through the JSON Lines reader in one process.
"""

from __future__ import annotations

import io
import json
import statistics
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from derive.checker.api import check_data
from derive.checker.jsonio import results

M22 = {"A": "matrix 2 2", "B": "matrix 2 2"}
VEC = {"x": "vector 3", "A": "matrix 3 3"}
LSQ = {"X": "matrix 4 2", "w": "vector 2", "y": "vector 4"}

TYPICAL: tuple[dict[str, Any], ...] = (
    {"claim": "(a + b)^2 = a^2 + 2a b + b^2"},
    {"claim": "(a + b)^2 = a^2 + b^2"},
    {"claim": "(x^2 - 1)/(x - 1) = x + 1"},
    {"steps": ["(x+1)^2 - (x-1)^2", "x^2 + 2x + 1 - (x^2 - 2x + 1)", "4x"]},
    {"claim": "1/(1/a + 1/b) = a b/(a + b)"},
    {"claim": "log(exp(x)) = x"},
    {"claim": "sin(x)^2 + cos(x)^2 = 1"},
    {"claim": "sin(2x) = 2 sin(x)"},
    {"claim": "diff(x^2 sin(x), x) = 2x sin(x) + x^2 cos(x)"},
    {"claim": "diff(sin(x^2), x) = cos(x^2)"},
    {"claim": "diff(exp(-x^2/2), x) = -x exp(-x^2/2)"},
    {"claim": "diff(sigmoid(z), z) = sigmoid(z)(1 - sigmoid(z))"},
    {"claim": "diff(tanh(z), z) = 1 - tanh(z)^2"},
    {"claim": "diff(x^3 + 2x, x) = 3x^2"},
    {"steps": ["diff((3x + 1)^5, x)", "5(3x + 1)^4 * 3", "15(3x + 1)^4"]},
    {"claim": "diff(log(1 + x^2), x) = 2x/(1 + x^2)"},
    {"claim": "inv(A B) = inv(B) inv(A)", "given": M22},
    {"claim": "inv(A B) = inv(A) inv(B)", "given": M22},
    {"claim": "(A B).T = B.T A.T", "given": M22},
    {"claim": "det(A B) = det(A) det(B)", "given": M22},
    {"claim": "inv([[a, b], [c, d]]) = 1/(a d - b c) [[d, -b], [-c, a]]"},
    {"claim": "inv([[a, b], [c, d]]) = 1/(a d - b c) [[a, -b], [-c, d]]"},
    {"claim": "tr(A B) = tr(B A)", "given": {"A": "matrix 2 3", "B": "matrix 3 2"}},
    {"claim": "diff(x.T A x, x) = (A + A.T) x", "given": VEC},
    {"claim": "diff(x.T A x, x) = 2 A x", "given": VEC},
    {"claim": "diff(log(det(X)), X) = inv(X).T", "given": {"X": "matrix 2 2"}},
    {"claim": "diff(norm(X w - y)^2, w) = 2 X.T (X w - y)", "given": LSQ},
    {"claim": "diff(norm(X w - y)^2, w) = X.T (X w - y)", "given": LSQ},
    {"claim": "diff(w.T x, w) = x.T", "given": {"w": "vector 3", "x": "vector 3"}},
    {
        "steps": ["s p/(s p + f (1 - p))", "1/(1 + f (1 - p)/(s p))"],
        "given": {"s": "probability", "p": "probability", "f": "probability"},
    },
    {"claim": "(99/100)(1/100)/((99/100)(1/100) + (5/100)(99/100)) = 1/6"},
    {"claim": "p - p^2 = p(1 - p)", "given": {"p": "probability"}},
    {"claim": "1 - (1 - p)^3 = 3p", "given": {"p": "probability"}},
    {"claim": r"\frac{d}{dx} x^2 \sin x = 2x\sin x + x^2 \cos x"},
    {"claim": r"\left(AB\right)^\top = B^\top A^\top", "given": M22},
    {"claim": r"\frac{1}{1+e^{-z}} = \frac{e^z}{1+e^z}"},
)

# The Matrix Cookbook's derivative identities at size 3 (nested inverses, traces,
# determinants): each should be decided (proven or numeric) within the default budget
# (``python -m derive.checker.bench cookbook``; no "unknown" in its verdicts).
SIZE3 = {"A": "matrix 3 3", "B": "matrix 3 3", "X": "matrix 3 3", "a": "vector 3"}
COOKBOOK: tuple[dict[str, Any], ...] = tuple(
    {"claim": claim, "given": {**SIZE3, "b": "vector 3", "x": "vector 3", "S": "spd 3"}}
    for claim in (
        "diff(tr(A inv(X) B), X) = -(inv(X) B A inv(X)).T",
        "diff(tr(inv(X)), X) = -(inv(X) inv(X)).T",
        "diff(det(X), X) = det(X) inv(X).T",
        "diff(log(abs(det(X))), X) = inv(X).T",
        "diff(tr(X.T A X), X) = A X + A.T X",
        "diff(a.T inv(X) b, X) = -inv(X).T a b.T inv(X).T",
        "diff(det(A X B), X) = det(A X B) inv(X).T",
        "diff(tr(inv(X) A inv(X) B), X) = -(inv(X) A inv(X) B inv(X) + inv(X) B inv(X) A inv(X)).T",
        "diff(tr(inv(A + inv(X))), X) = (inv(X) inv(A + inv(X)) inv(A + inv(X)) inv(X)).T",
        "diff(tr(inv(X.T A X)), X) = -A X inv(X.T A X)^2 - A.T X (inv(X.T A X)^2).T",
        "diff(log(abs(det(X.T A X))), X) = A X inv(X.T A X) + A.T X inv(X.T A.T X)",
        "diff(x.T inv(S) x, S) = -inv(S) x x.T inv(S)",
    )
)


@dataclass(frozen=True)
class Benchmark:
    """Latency figures over a corpus: the first time each request is seen (the process is
    warm, the request is new) and when it is repeated (SymPy's caches hit)."""

    requests: int
    median_ms: float
    p95_ms: float
    max_ms: float
    repeat_median_ms: float
    repeat_p95_ms: float
    batch_per_second: float
    verdicts: dict[str, int]

    def __str__(self) -> str:
        counts = ", ".join(f"{k} {v}" for k, v in sorted(self.verdicts.items()))
        return (
            f"{self.requests} requests ({counts})\n"
            f"  first time, in-process: median {self.median_ms:.1f} ms, "
            f"p95 {self.p95_ms:.1f} ms, max {self.max_ms:.0f} ms\n"
            f"  repeated, in-process:   median {self.repeat_median_ms:.1f} ms, "
            f"p95 {self.repeat_p95_ms:.1f} ms\n"
            f"  batch (JSON Lines, one process, repeated): "
            f"{self.batch_per_second:.1f} requests/s"
        )


def _quantiles(times: list[float]) -> tuple[float, float, float]:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return statistics.median(ordered), p95, ordered[-1]


def load(path: str | Path) -> list[dict[str, Any]]:
    """Requests from a JSON Lines file (rows may wrap them as ``{"request": ...}``)."""
    rows = [json.loads(line) for line in Path(path).read_text().splitlines() if line.strip()]
    return [row.get("request", row) for row in rows]


def benchmark(
    requests: Sequence[dict[str, Any]] = TYPICAL, *, rounds: int = 3, catalog: bool = True
) -> Benchmark:
    """Time every request once as new, then ``rounds`` times repeated."""
    check_data({"claim": "x = x"})  # the process's first call pays for SymPy's imports
    verdicts: Counter[str] = Counter()
    first = []
    for request in requests:
        start = time.perf_counter()
        verdicts[check_data(request, catalog=catalog).verdict] += 1
        first.append(1000 * (time.perf_counter() - start))
    repeated = []
    for _ in range(rounds):
        for request in requests:
            start = time.perf_counter()
            check_data(request, catalog=catalog)
            repeated.append(1000 * (time.perf_counter() - start))
    median, p95, most = _quantiles(first)
    repeat_median, repeat_p95, _ = _quantiles(repeated)
    lines = "".join(json.dumps(r) + "\n" for r in requests).encode()
    start = time.perf_counter()
    answered = sum(1 for _ in results(io.BytesIO(lines)))
    batch = answered / (time.perf_counter() - start)
    return Benchmark(
        requests=len(requests),
        median_ms=median,
        p95_ms=p95,
        max_ms=most,
        repeat_median_ms=repeat_median,
        repeat_p95_ms=repeat_p95,
        batch_per_second=batch,
        verdicts=dict(verdicts),
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Print the figures for the built-in corpus or a JSON Lines file."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args == ["cookbook"]:  # slow requests: each timed once as new, once repeated
        print(benchmark(COOKBOOK, rounds=1))
        return 0
    requests = load(args[0]) if args else list(TYPICAL)
    print(benchmark(requests))
    return 0


if __name__ == "__main__":
    sys.exit(main())
