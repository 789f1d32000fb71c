"""Latency of the checker through its public contract: ``derive check --json`` reading JSON
Lines on stdin and writing one result line per request, as soon as it is ready.

>>> len(CORPUS) >= 30, all("claim" in r or "steps" in r for r in CORPUS)
(True, True)

One long-running process answers the corpus one request at a time, as a server behind a web
form would run it: started with ``--warm``, so that the catalog's mistake index is built once
before the first answer (its time is reported as ``warm_up_s``). The latency of each request
is the time from writing its line to reading its result; the first, warm-up request is not
counted. The same corpus is also sent to a process started without ``--warm`` (``cold_*``):
there each of the first refuted requests spends up to its catalog-search budget building part
of the index. Batch throughput is a fresh process given the whole corpus at once, start-up
included. A process that stops answering (or answers a batch only in part) is an error that
says how it ended and shows the end of its stderr, kept in a temporary file.
"""

from __future__ import annotations

import contextlib
import json
import math
import selectors
import statistics
import subprocess
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from derive.bench.processes import command, exit_cause

M22 = {"A": "matrix 2 2", "B": "matrix 2 2"}
M3 = {"x": "vector 3", "A": "matrix 3 3"}
LSQ = {"X": "matrix 4 2", "w": "vector 2", "y": "vector 4"}

# Typical learner requests (two in three right): algebra, calculus, matrices, probability.
CORPUS: tuple[dict[str, Any], ...] = (
    {"claim": "(a + b)^2 = a^2 + 2*a*b + b^2"},
    {"claim": "(a + b)^2 = a^2 + b^2"},
    {"claim": "(a - b)*(a + b) = a^2 - b^2"},
    {"claim": "(x^2 - 1)/(x - 1) = x + 1"},
    {"steps": ["(x + 1)^2 - (x - 1)^2", "x^2 + 2*x + 1 - (x^2 - 2*x + 1)", "4*x"]},
    {"claim": "1/(1/a + 1/b) = a*b/(a + b)"},
    {"claim": "log(exp(x)) = x"},
    {"claim": "exp(log(x)) = x", "given": {"x": "positive"}},
    {"claim": "log(a*b) = log(a) + log(b)", "given": {"a": "positive", "b": "positive"}},
    {"claim": "sin(x)^2 + cos(x)^2 = 1"},
    {"claim": "sin(2*x) = 2*sin(x)"},
    {"claim": "diff(x^3 + 2*x, x) = 3*x^2 + 2"},
    {"claim": "diff(x^3 + 2*x, x) = 3*x^2"},
    {"claim": "diff(x^2*sin(x), x) = 2*x*sin(x) + x^2*cos(x)"},
    {"claim": "diff(sin(x^2), x) = cos(x^2)"},
    {"claim": "diff(exp(-x^2/2), x) = -x*exp(-x^2/2)"},
    {"claim": "diff(sigmoid(z), z) = sigmoid(z)*(1 - sigmoid(z))"},
    {"claim": "diff(tanh(z), z) = 1 - tanh(z)^2"},
    {"claim": "diff(log(1 + x^2), x) = 2*x/(1 + x^2)"},
    {"steps": ["diff((3*x + 1)^5, x)", "5*(3*x + 1)^4*3", "15*(3*x + 1)^4"]},
    {"claim": "diff(softplus(z), z) = sigmoid(z)"},
    {"claim": "inv(A*B) = inv(B)*inv(A)", "given": M22},
    {"claim": "inv(A*B) = inv(A)*inv(B)", "given": M22},
    {"claim": "(A*B).T = B.T*A.T", "given": M22},
    {"claim": "det(A*B) = det(A)*det(B)", "given": M22},
    {"claim": "tr(A*B) = tr(B*A)", "given": {"A": "matrix 2 3", "B": "matrix 3 2"}},
    {"claim": "inv([[a, b], [c, d]]) = 1/(a*d - b*c)*[[d, -b], [-c, a]]"},
    {"claim": "inv([[a, b], [c, d]]) = 1/(a*d - b*c)*[[a, -b], [-c, d]]"},
    {"claim": "diff(x.T*A*x, x) = (A + A.T)*x", "given": M3},
    {"claim": "diff(x.T*A*x, x) = 2*A*x", "given": M3},
    {"claim": "diff(norm(X*w - y)^2, w) = 2*X.T*(X*w - y)", "given": LSQ},
    {"claim": "diff(norm(X*w - y)^2, w) = X.T*(X*w - y)", "given": LSQ},
    {"claim": "diff(log(det(X)), X) = inv(X).T", "given": {"X": "matrix 2 2"}},
    {"claim": "p - p^2 = p*(1 - p)", "given": {"p": "probability"}},
    {"claim": "1 - (1 - p)^3 = 3*p", "given": {"p": "probability"}},
    {"claim": "(99/100)*(1/100)/((99/100)*(1/100) + (5/100)*(99/100)) = 1/6"},
    {
        "steps": ["s*p/(s*p + f*(1 - p))", "1/(1 + f*(1 - p)/(s*p))"],
        "given": {"s": "probability", "p": "probability", "f": "probability"},
    },
    {"claim": r"\frac{d}{dx} x^2 \sin x = 2x\sin x + x^2 \cos x"},
    {"claim": r"\frac{1}{1+e^{-z}} = \frac{e^z}{1+e^z}"},
)


@dataclass(frozen=True)
class Latency:
    """Per-request latency (ms) in a warmed server and in a cold one; batch throughput."""

    requests: int
    median_ms: float
    p95_ms: float
    max_ms: float
    batch_per_second: float
    verdicts: dict[str, int]
    errors: int
    slowest: tuple[tuple[float, str], ...]  # (ms, request) of the three slowest
    warm_up_s: float  # the warmed server's start: imports and the mistake index
    cold_median_ms: float
    cold_p95_ms: float


@dataclass(frozen=True)
class _Session:
    times: list[float]
    shown: list[str]
    verdicts: Counter[str]
    errors: int
    first_s: float
    results: list[dict[str, Any]]


class Child:
    """A ``derive check --json`` process answering one line at a time; its stderr goes to a
    temporary file, so that when it stops answering the error says why."""

    def __init__(self, options: Sequence[str], timeout: float) -> None:
        self.timeout = timeout
        self.stderr = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close()
        self.process = subprocess.Popen(
            [*command(), "check", "--json", *options],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.stderr,
            text=True,
            bufsize=1,
        )
        assert self.process.stdout is not None
        self.selector = selectors.DefaultSelector()
        self.selector.register(self.process.stdout, selectors.EVENT_READ)

    def ask(self, request: dict[str, Any]) -> dict[str, Any]:
        """Send one request and read its result."""
        stdin, stdout = self.process.stdin, self.process.stdout
        assert stdin is not None
        assert stdout is not None
        try:
            stdin.write(json.dumps(request) + "\n")
            stdin.flush()
        except BrokenPipeError:
            raise self.failure("derive check stopped reading") from None
        if not self.selector.select(self.timeout):
            raise self.failure(f"no answer from derive check within {self.timeout:.0f} s")
        line = stdout.readline()
        if not line:
            raise self.failure("derive check stopped answering")
        result: dict[str, Any] = json.loads(line)
        return result

    def failure(self, what: str) -> RuntimeError:
        """``what`` happened, with how the process ended and the end of its stderr."""
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=1.0)
        self.stderr.seek(0)
        text = self.stderr.read().decode("utf-8", "replace")
        return RuntimeError(f"{what}: {exit_cause(self.process.returncode, text)}")

    def close(self) -> None:
        self.selector.close()
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        with contextlib.suppress(BrokenPipeError):
            self.process.stdin.close()
        try:
            self.process.wait(timeout=self.timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process.stdout.close()
        self.stderr.close()


def _percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(q * len(ordered)) - 1)]


def _session(
    requests: Sequence[dict[str, Any]], options: Sequence[str], timeout: float
) -> _Session:
    """Send the requests one at a time to one ``derive check --json`` process."""
    child = Child(options, timeout)
    times: list[float] = []
    shown: list[str] = []
    verdicts: Counter[str] = Counter()
    errors = 0
    first_s = 0.0
    results: list[dict[str, Any]] = []
    try:
        for number, request in enumerate([{"claim": "x = x"}, *requests]):
            start = time.perf_counter()
            result = child.ask({"id": number, **request})
            if number == 0:
                first_s = time.perf_counter() - start
                continue  # the warm-up request pays for the imports (and --warm)
            times.append(1000 * (time.perf_counter() - start))
            results.append(result)
            shown.append(request.get("claim") or " = ".join(request.get("steps", [])))
            verdicts[str(result.get("verdict"))] += 1
            errors += result.get("error") is not None
    finally:
        child.close()
    return _Session(times, shown, verdicts, errors, first_s, results)


def latency(requests: Sequence[dict[str, Any]] = CORPUS, *, timeout: float = 60.0) -> Latency:
    """Latency in a server started with ``--warm`` and in a cold one; batch throughput."""
    server = _session(requests, ["--warm"], timeout)
    cold = _session(requests, [], timeout)
    lines = "".join(json.dumps({"id": k, **r}) + "\n" for k, r in enumerate(requests))
    start = time.perf_counter()
    batch = subprocess.run(
        [*command(), "check", "--json"],
        input=lines,
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout * len(requests),
    )
    answered = sum(1 for line in batch.stdout.splitlines() if line.strip())
    if answered != len(requests):
        raise RuntimeError(
            f"derive check --json answered {answered} of {len(requests)} requests: "
            + exit_cause(batch.returncode, batch.stderr)
        )
    per_second = answered / (time.perf_counter() - start)
    times = server.times
    return Latency(
        requests=len(times),
        median_ms=statistics.median(times),
        p95_ms=_percentile(times, 0.95),
        max_ms=max(times),
        batch_per_second=per_second,
        verdicts=dict(server.verdicts),
        errors=server.errors,
        slowest=tuple(sorted(zip(times, server.shown, strict=True), reverse=True)[:3]),
        warm_up_s=server.first_s,
        cold_median_ms=statistics.median(cold.times),
        cold_p95_ms=_percentile(cold.times, 0.95),
    )


# -- version 2: the test corpus of typical version-2 requests, and the Cookbook at size 3 ------

STATEMENT_RELATIONS = frozenset({"<=>", "=>"})


def corpus_v2_path() -> Path:
    """tests/check/corpus_v2.jsonl of a source checkout (479 typical version-2 requests)."""
    return Path(__file__).resolve().parents[2] / "tests" / "check" / "corpus_v2.jsonl"


def corpus_v2(path: Path | None = None) -> list[dict[str, Any]]:
    """The requests of the version-2 corpus (an error naming the file if it is missing)."""
    path = path or corpus_v2_path()
    if not path.is_file():
        raise RuntimeError(f"no version-2 corpus at {path} (a source checkout has it)")
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    return [row.get("request", row) for row in rows]


def pair_kind(result: dict[str, Any]) -> str | None:
    """``"statement"`` when every judged pair relates statements (``<=>``, ``=>``),
    ``"expression"`` when every one is ``=``, else None (mixed, errors, nothing judged).

    >>> pair_kind({"pairs": [{"verdict": "given", "relation": None},
    ...                      {"verdict": "proven", "relation": "<=>"}]})
    'statement'
    >>> pair_kind({"pairs": [{"verdict": "refuted", "relation": "="}]})
    'expression'
    """
    judged = [p for p in result.get("pairs", []) if p["verdict"] not in ("given", "defined")]
    if result.get("error") or not judged:
        return None
    relations = {p["relation"] for p in judged}
    if relations <= STATEMENT_RELATIONS:
        return "statement"
    return "expression" if relations == {"="} else None


def judged_pairs(result: dict[str, Any]) -> int:
    return sum(p["verdict"] not in ("given", "defined") for p in result.get("pairs", []))


@dataclass(frozen=True)
class CheckerV2:
    """Version-2 figures from one server started with ``--warm``: latency per request over
    the corpus; the median time per judged pair of requests whose pairs are all statement
    pairs, and of those whose pairs are all ``=`` between expressions — among requests with no
    ``given`` (like-for-like scalar algebra; ``*_all`` over the whole corpus); the Matrix
    Cookbook's derivative identities at size 3 (verdicts, median time)."""

    requests: int
    median_ms: float
    p95_ms: float
    max_ms: float
    verdicts: dict[str, int]
    errors: int
    statement_pair_ms: float
    expression_pair_ms: float
    statement_requests: int
    expression_requests: int
    statement_pair_all_ms: float
    expression_pair_all_ms: float
    slowest: tuple[tuple[float, str], ...]
    cookbook_verdicts: dict[str, int]
    cookbook_median_ms: float
    cookbook_max_ms: float
    cookbook_not_correct: tuple[str, ...]
    warm_up_s: float

    @property
    def ratio(self) -> float:
        return self.statement_pair_ms / self.expression_pair_ms

    @property
    def ratio_all(self) -> float:
        return self.statement_pair_all_ms / self.expression_pair_all_ms

    def as_dict(self) -> dict[str, Any]:
        """The keys of ``derive bench --json`` (``check_v2_*``; a figure with no requests
        behind it is null)."""
        return {key: _json_number(value) for key, value in self._figures().items()}

    def _figures(self) -> dict[str, Any]:
        return {
            "check_v2_requests": self.requests,
            "check_v2_median_ms": self.median_ms,
            "check_v2_p95_ms": self.p95_ms,
            "check_v2_max_ms": self.max_ms,
            "check_v2_verdicts": self.verdicts,
            "check_v2_errors": self.errors,
            "check_v2_statement_pair_ms": self.statement_pair_ms,
            "check_v2_expression_pair_ms": self.expression_pair_ms,
            "check_v2_statement_requests": self.statement_requests,
            "check_v2_expression_requests": self.expression_requests,
            "check_v2_pair_ratio": self.ratio,
            "check_v2_statement_pair_all_ms": self.statement_pair_all_ms,
            "check_v2_expression_pair_all_ms": self.expression_pair_all_ms,
            "check_v2_pair_ratio_all": self.ratio_all,
            "check_v2_slowest": [{"ms": ms, "request": text} for ms, text in self.slowest],
            "check_v2_cookbook_verdicts": self.cookbook_verdicts,
            "check_v2_cookbook_correct": self.cookbook_verdicts.get("correct", 0),
            "check_v2_cookbook_requests": sum(self.cookbook_verdicts.values()),
            "check_v2_cookbook_unknown": self.cookbook_verdicts.get("unknown", 0),
            "check_v2_cookbook_median_ms": self.cookbook_median_ms,
            "check_v2_cookbook_max_ms": self.cookbook_max_ms,
            "check_v2_cookbook_not_correct": list(self.cookbook_not_correct),
            "check_v2_warm_up_s": self.warm_up_s,
        }


def _json_number(value: Any) -> Any:
    return None if isinstance(value, float) and not math.isfinite(value) else value


def _shown(request: dict[str, Any]) -> str:
    """A request on one line: its claim, or its steps separated by semicolons."""
    return str(request.get("claim") or " ; ".join(request.get("steps", [])))


def _per_pair(
    times: Sequence[float], requests: Sequence[dict[str, Any]], results: Sequence[dict[str, Any]]
) -> dict[tuple[str, bool], list[float]]:
    """Milliseconds per judged pair, by (pair kind, whether the request declares kinds)."""
    groups: dict[tuple[str, bool], list[float]] = {}
    for ms, request, result in zip(times, requests, results, strict=True):
        kind = pair_kind(result)
        if kind is not None:
            groups.setdefault((kind, bool(request.get("given"))), []).append(
                ms / judged_pairs(result)
            )
    return groups


def _median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else math.nan


def checker_v2(
    requests: Sequence[dict[str, Any]] | None = None,
    cookbook: Sequence[dict[str, Any]] | None = None,
    *,
    timeout: float = 60.0,
) -> CheckerV2:
    """Send the corpus, then the Cookbook identities, to one ``derive check --json --warm``."""
    from derive.checker.bench import COOKBOOK

    requests = corpus_v2() if requests is None else list(requests)
    cookbook = list(COOKBOOK) if cookbook is None else list(cookbook)
    server = _session([*requests, *cookbook], ["--warm"], timeout)
    n = len(requests)
    times, results = server.times[:n], server.results[:n]
    groups = _per_pair(times, requests, results)
    plain = {kind: groups.get((kind, False), []) for kind in ("statement", "expression")}
    every = {
        kind: groups.get((kind, False), []) + groups.get((kind, True), [])
        for kind in ("statement", "expression")
    }
    verdicts = Counter(str(r.get("verdict")) for r in results)
    book_times, book_results = server.times[n:], server.results[n:]
    book_verdicts = Counter(str(r.get("verdict")) for r in book_results)
    not_correct = tuple(
        f"{r.get('verdict')}: {q['claim']}"
        for q, r in zip(cookbook, book_results, strict=True)
        if r.get("verdict") != "correct"
    )
    return CheckerV2(
        requests=n,
        median_ms=statistics.median(times),
        p95_ms=_percentile(times, 0.95),
        max_ms=max(times),
        verdicts=dict(verdicts),
        errors=sum(r.get("error") is not None for r in results),
        statement_pair_ms=_median(plain["statement"]),
        expression_pair_ms=_median(plain["expression"]),
        statement_requests=len(plain["statement"]),
        expression_requests=len(plain["expression"]),
        statement_pair_all_ms=_median(every["statement"]),
        expression_pair_all_ms=_median(every["expression"]),
        slowest=tuple(sorted(zip(times, map(_shown, requests), strict=True), reverse=True)[:3]),
        cookbook_verdicts=dict(book_verdicts),
        cookbook_median_ms=_median(book_times),
        cookbook_max_ms=max(book_times, default=math.nan),
        cookbook_not_correct=not_correct,
        warm_up_s=server.first_s,
    )
