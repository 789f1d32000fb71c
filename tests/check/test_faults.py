"""A batch never dies: faults injected at random (seeded) moments inside the checker, through
the function the ``derive check --json`` loop uses (``jsonio.results``).

A trace function counts the lines run in the checker's and the reasoning engine's own code and,
at a line chosen for the request, delivers the budget's Timeout (as the alarm does,
``budget.interrupt``) or raises an unexpected exception. Every request must still be answered,
in order, as one line of the contract with at most a one-line error, and a request no fault
reached must get the verdict a fault-free process gives it (faults leave nothing behind).
"""

from __future__ import annotations

import io
import json
import random
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

from derive.checker.api import Request, Result, check_request
from derive.checker.jsonio import dumps, results
from derive.core import budget
from derive.core.budget import Timeout

ENGINE = tuple(
    str(Path(__file__).resolve().parents[2] / "derive" / part) for part in ("checker", "reasoning")
)
OUTSIDE = ("jsonio.py",)  # the loop itself is not the engine
ERRORS: tuple[type[Exception], ...] = (
    TypeError,
    ValueError,
    ZeroDivisionError,
    KeyError,
    IndexError,
    AttributeError,
    AssertionError,
    RecursionError,
    RuntimeError,
    NotImplementedError,
    OverflowError,
)
M22 = {"A": "matrix 2 2", "B": "matrix 2 2"}
XA = {"x": "vector 2", "A": "matrix 2 2"}
TEMPLATES: tuple[tuple[Callable[[int, bool], str], dict[str, str]], ...] = (
    (lambda a, ok: f"{a}*x + x = {a + 1 if ok else a}*x", {}),
    (lambda a, ok: f"(x + {a})^2 = x^2 + {2 * a if ok else a}*x + {a * a}", {}),
    (lambda a, ok: f"diff(x^{a}, x) = {a}*x^{a - 1 if ok else a}", {}),
    (lambda a, ok: f"log(exp({a}*x)) = {a if ok else a + 1}*x", {}),
    (lambda a, ok: f"sin(x)^2 + cos(x)^2 = {1 if ok else a}", {}),
    (lambda a, ok: "inv(A*B) = " + ("inv(B)*inv(A)" if ok else "inv(A)*inv(B)"), M22),
    (lambda a, ok: "(A*B).T = " + ("B.T*A.T" if ok else "A.T*B.T"), M22),
    (
        lambda a, ok: "diff(x.T*A*x, x) = " + ("(A + A.T)*x" if ok else f"{a}*A*x"),
        {"x": "vector 2", "A": "matrix 2 2"},
    ),
    (lambda a, ok: f"{a}*p*(1 - p) = {a}*p - {a if ok else a + 1}*p^2", {"p": "probability"}),
    (lambda a, ok: f"x + ) = {a}", {}),  # unreadable: an input error, not a fault
)


def make_requests(count: int, rng: random.Random) -> list[dict[str, Any]]:
    """Learner requests, about two in three right (and a few unreadable)."""
    out = []
    for number in range(count):
        template, given = rng.choice(TEMPLATES)
        request: dict[str, Any] = {
            "id": number,
            "claim": template(rng.randint(2, 9), rng.random() < 0.65),
        }
        if given:
            request["given"] = given
        out.append(request)
    return out


@dataclass
class Fault:
    """What to inject into one request, at its ``line``-th line run in the engine."""

    line: int
    kind: type[Exception] | None  # None: the budget's Timeout
    fired: bool = False


class Injector:
    """Runs each request (as the CLI's loop does) under a trace function delivering its
    fault, if it has one."""

    def __init__(self, faults: dict[Any, Fault]) -> None:
        self.faults = faults
        self.fault: Fault | None = None
        self.lines = 0

    def run(self, request: Request, **options: Any) -> Result:
        self.fault, self.lines = self.faults.get(request.id), 0
        if self.fault is None:
            return check_request(request, **options)
        sys.settrace(self.tracer)  # (a trace function that raises is removed: set it anew)
        try:
            return check_request(request, **options)
        finally:
            sys.settrace(None)

    def tracer(self, frame: FrameType, event: str, arg: Any) -> Any:
        name = frame.f_code.co_filename
        if name.startswith(ENGINE) and not name.endswith(OUTSIDE):
            return self.local
        return None

    def local(self, frame: FrameType, event: str, arg: Any) -> Any:
        fault = self.fault
        if event != "line" or fault is None or fault.fired:
            return self.local
        self.lines += 1
        if self.lines < fault.line:
            return self.local
        if fault.kind is None:
            try:
                budget.interrupt(frame)  # raises Timeout, unless this frame must finish first
            except Timeout:
                fault.fired = True
                raise
            return self.local  # it comes again at the next line, as the alarm does
        fault.fired = True
        raise fault.kind(f"injected fault at line {self.lines} of the engine")


def plan(requests: list[dict[str, Any]], rng: random.Random) -> dict[Any, Fault]:
    """A fault for about half the requests: a Timeout or an exception, at a random line."""
    faults = {}
    for request in requests:
        if rng.random() < 0.5:
            kind = None if rng.random() < 0.4 else rng.choice(ERRORS)
            faults[request["id"]] = Fault(line=rng.randint(1, 6000), kind=kind)
    return faults


def answer(requests: list[dict[str, Any]], run: Any) -> list[tuple[Result, str | None]]:
    lines = "".join(json.dumps(r) + "\n" for r in requests).encode()
    return list(results(io.BytesIO(lines), run))


def test_every_request_is_answered_in_order_whatever_fails_inside(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rng = random.Random(20261205)
    requests = make_requests(1200, rng)
    faults = plan(requests, rng)
    unraisable: list[Any] = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    options = {"catalog": False}
    distinct = {r["claim"]: r for r in requests}
    expected = {
        claim: result.verdict
        for claim, (result, _) in zip(
            distinct,
            answer(list(distinct.values()), partial(check_request, **options)),
            strict=True,
        )
    }

    injector = Injector(faults)
    answered = answer(requests, partial(injector.run, **options))

    assert [result.id for result, _ in answered] == [r["id"] for r in requests]
    for (result, error), request in zip(answered, requests, strict=True):
        line = dumps(result)
        assert "\n" not in line
        assert json.loads(line)["id"] == request["id"]
        assert "\n" not in (result.error or "")
        assert "Traceback" not in (result.error or "")
        assert error is None or "\n" not in error
        fault = faults.get(request["id"])
        if fault is None or not fault.fired:  # untouched: as in a process without faults
            assert result.verdict == expected[request["claim"]], request
            assert not result.internal
    fired = Counter(
        "timeout" if f.kind is None else "exception" for f in faults.values() if f.fired
    )
    internal = sum(result.internal for result, _ in answered)
    assert fired["timeout"] >= 100, fired
    assert fired["exception"] >= 200, fired
    assert 0 < internal <= fired["exception"] + fired["timeout"]
    assert unraisable == []


def test_the_cli_answers_every_line_and_counts_internal_errors(tmp_path: Path) -> None:
    """A subprocess: faults in a few requests of a ``derive check --json`` batch."""
    script = (
        "import sys\n"
        "from derive.checker import api\n"
        "from derive.core.budget import Timeout\n"
        "checked = api.Checker.run\n"
        "def run(self, budget):\n"
        "    kind = {1: TypeError, 3: RecursionError, 4: Timeout}.get(self.request.id)\n"
        "    if kind is not None:\n"
        "        raise kind('Cannot convert expression to float')\n"
        "    return checked(self, budget)\n"
        "api.Checker.run = run\n"
        "from derive.commands.cli import main\n"
        "sys.exit(main(['check', '--json', '--no-catalog']))\n"
    )
    requests = [{"id": k, "claim": "x + x = 2*x" if k % 2 else "x = 2*x"} for k in range(6)]
    completed = subprocess.run(
        [sys.executable, "-c", script],
        input="".join(json.dumps(r) + "\n" for r in requests),
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
        check=False,
    )
    out = [json.loads(line) for line in completed.stdout.splitlines()]
    assert [r["id"] for r in out] == list(range(6))
    assert [r["error"] is not None for r in out] == [False, True, False, True, True, False]
    assert out[1]["error"] == "internal error: TypeError: Cannot convert expression to float"
    assert [r["verdict"] for r in out if r["error"] is None] == [
        "incorrect",
        "incorrect",
        "correct",
    ]
    assert completed.returncode == 3
    assert "Traceback" not in completed.stderr
    assert completed.stderr.splitlines() == [
        "derive: line 2: internal error: TypeError: Cannot convert expression to float",
        "derive: line 4: internal error: RecursionError: Cannot convert expression to float",
        "derive: line 5: internal error: Timeout: Cannot convert expression to float",
        "derive: internal errors: 3 requests answered with an error "
        "(set DERIVE_DEBUG=1 for tracebacks)",
    ]
