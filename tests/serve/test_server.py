"""``derive serve`` as a client meets it: a real uvicorn server in a subprocess on a free port
of 127.0.0.1, requests bounded in number and time, the server stopped by its process id.

The slow request is an honest one: ``det(A*B) = det(B*A)`` for 7×7 matrices passes the numeric
screen at once, then the proof search uses every second of the checker's budget (SymPy
expanding both determinants). The small server gives the checker a budget of 60 s under a hard
deadline of 3 s, so the deadline is what stops it.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import starlette  # noqa: F401 - the serve extra must be installed (a missing one fails)
import uvicorn  # noqa: F401

from derive.serve.limits import RateLimiter
from tests.check.test_hostile import ALL, INJECTION, SENTINEL

# one xdist worker runs the module, so each server starts once
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("serve")]

SLOW = {
    "id": "slow",
    "steps": ["det(A*B)", "det(B*A)"],
    "given": {"A": "matrix 7 7", "B": "matrix 7 7"},
}
START_WAIT = 600.0  # seconds for the workers to warm on a loaded machine
TIMEOUT = 120.0  # seconds for one request


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int
    log: Path
    cwd: Path

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def call(
    server: Server,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = TIMEOUT,
) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(server.url(path), data=body, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def check(server: Server, data: Any, timeout: float = TIMEOUT) -> tuple[int, dict[str, Any]]:
    status, _, body = call(server, "/check", json.dumps(data).encode(), timeout=timeout)
    return status, json.loads(body)


def health(server: Server) -> dict[str, Any]:
    return json.loads(call(server, "/health", timeout=10)[2])


def wait_until(condition: Any, seconds: float, what: str) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"not within {seconds:g} s: {what}")


def start(tmp: Path, *options: str) -> Iterator[Server]:
    port = free_port()
    log = tmp / "server.log"
    with log.open("wb") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "derive.commands.cli", "serve", "--port", str(port), *options],
            cwd=tmp,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=err,
            env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
        )
    server = Server(process, port, log, tmp)
    try:
        end = time.monotonic() + START_WAIT
        while True:
            assert process.poll() is None, f"server exited: {log.read_text()[-2000:]}"
            assert time.monotonic() < end, f"no /health in {START_WAIT:g} s"
            try:
                if call(server, "/health", timeout=5)[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.5)
        yield server
    finally:
        os.kill(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait(timeout=30)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """Two warm workers, the checker's budget 2 s within a hard deadline of 10 s, CORS for
    one origin."""
    tmp = tmp_path_factory.mktemp("serve")
    yield from start(
        tmp, "--workers", "2", "--deadline", "10", "--budget", "2", "--cors", "https://a.example"
    )


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One worker, a queue of one, a hard deadline of 3 s over a checker's budget of 60 s."""
    tmp = tmp_path_factory.mktemp("serve-small")
    yield from start(
        tmp, "--workers", "1", "--queue", "1", "--deadline", "3", "--budget", "60", "--no-warm"
    )


@pytest.fixture(scope="module")
def limited(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """Three requests a minute per client."""
    tmp = tmp_path_factory.mktemp("serve-limited")
    yield from start(tmp, "--workers", "1", "--rate", "3", "--no-warm")


M = {"A": "matrix 2 2", "B": "matrix 2 2"}
ANSWERS = [
    # body, HTTP status, verdict, first error, text the error holds (None: no error)
    ({"id": 1, "claim": "x + x = 2x"}, 200, "correct", None, None),
    ({"id": 2, "steps": ["(x+1)^2", "x^2 + 1"]}, 200, "incorrect", 1, None),
    ({"id": 3, "steps": ["inv(A*B)", "inv(A)*inv(B)"], "given": M}, 200, "incorrect", 1, None),
    ({"id": 4, "steps": ["inv(A*B)", "inv(B)*inv(A)"], "given": M}, 200, "correct", None, None),
    ({"id": 5, "claim": "x + ) = 1"}, 200, "unknown", None, "column 5"),
    ({"id": 6, "stepz": ["x"]}, 400, "unknown", None, "unknown field 'stepz'"),
    ({"id": 7, "steps": "x = x"}, 400, "unknown", None, "must be a list of strings"),
    (["x = x"], 400, "unknown", None, "must be a JSON object"),
]


@pytest.mark.parametrize(("body", "status", "verdict", "first", "error"), ANSWERS)
def test_a_request_gets_its_result(
    server: Server, body: Any, status: int, verdict: str, first: int | None, error: str | None
) -> None:
    got_status, result = check(server, body)
    assert (got_status, result["verdict"], result["first_error"]) == (status, verdict, first)
    if error is None:
        assert result["error"] is None
    else:
        assert error in result["error"]
    if isinstance(body, dict) and status == 200:
        assert result["id"] == body["id"]


@pytest.mark.parametrize(
    ("raw", "status", "error"),
    [
        (b'{"claim": ', 400, "body, column 11: invalid JSON"),
        (b"", 400, "empty"),
        (b"\xff\xfe", 400, "not UTF-8"),
    ],
)
def test_a_malformed_body_is_refused_with_one_line(
    server: Server, raw: bytes, status: int, error: str
) -> None:
    got, _, body = call(server, "/check", raw)
    result = json.loads(body)
    assert got == status
    assert error in result["error"]
    assert "\n" not in result["error"]


def test_a_body_over_the_limit_is_refused_before_it_is_read(server: Server) -> None:
    head = (
        f"POST /check HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"Content-Length: {2 << 20}\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as connection:
        connection.sendall(head.encode() + b'{"claim": "')
        answer = b""
        while b"\r\n\r\n" not in answer or not answer.endswith(b"}\n"):
            chunk = connection.recv(65536)
            if not chunk:
                break
            answer += chunk
    status_line, _, rest = answer.partition(b"\r\n")
    assert status_line.split()[1] == b"413"
    result = json.loads(rest.partition(b"\r\n\r\n")[2])
    assert result["error"] == f"body longer than {1 << 20} bytes"


def test_a_batch_is_answered_line_by_line_in_order(server: Server) -> None:
    lines = [
        json.dumps({"id": "a", "claim": "x + x = 2x"}),
        "not json",
        "",
        json.dumps({"id": "c", "steps": ["(x+1)^2", "x^2 + 1"]}),
        json.dumps({"id": "d", "bad": 1}),
    ]
    status, headers, body = call(server, "/check/batch", "\n".join(lines).encode())
    assert status == 200
    assert headers["content-type"].startswith("application/x-ndjson")
    results = [json.loads(line) for line in body.decode().splitlines()]
    assert [(r["id"], r["verdict"]) for r in results] == [
        ("a", "correct"),
        (None, "unknown"),
        ("c", "incorrect"),
        ("d", "unknown"),
    ]
    assert results[1]["error"].startswith("line 2, column 1: invalid JSON")
    assert "unknown field 'bad'" in results[3]["error"]


def test_health_catalog_and_openapi(server: Server) -> None:
    state = health(server)
    assert state["status"] == "ok"
    assert len(state["workers"]) == 2
    status, _, body = call(server, "/catalog")
    assert status == 200
    assert "vector-norms" in {row["id"] for row in json.loads(body)}
    status, _, body = call(server, "/openapi.json")
    spec = json.loads(body)
    assert spec["openapi"].startswith("3.")
    assert {"/check", "/check/batch", "/health", "/catalog"} <= set(spec["paths"])
    assert call(server, "/check")[0] == 405  # GET on a POST route


def test_cors_only_for_the_configured_origin(server: Server, small: Server) -> None:
    body = json.dumps({"claim": "x = x"}).encode()
    _, headers, _ = call(server, "/check", body, {"Origin": "https://a.example"})
    assert headers.get("access-control-allow-origin") == "https://a.example"
    _, headers, _ = call(server, "/check", body, {"Origin": "https://b.example"})
    assert "access-control-allow-origin" not in headers
    _, headers, _ = call(small, "/check", body, {"Origin": "https://a.example"})
    assert "access-control-allow-origin" not in headers


def test_a_request_past_the_deadline_is_stopped_and_the_next_served(small: Server) -> None:
    wait_until(lambda: health(small)["ready"] == 1, 60, "the worker")
    before = health(small)
    status, result = check(small, SLOW)
    assert status == 504
    assert result["id"] == "slow"
    assert result["error"].startswith("deadline: checking took longer than 3 s")
    assert check(small, {"id": 2, "claim": "x + x = 2x"})[1]["verdict"] == "correct"
    after = health(small)
    assert after["replaced"] == before["replaced"] + 1
    assert {w["pid"] for w in after["workers"]}.isdisjoint(w["pid"] for w in before["workers"])


def test_a_worker_killed_mid_request_is_replaced(small: Server) -> None:
    wait_until(lambda: health(small)["ready"] == 1, 60, "the worker")
    answers: list[tuple[int, dict[str, Any]]] = []
    thread = threading.Thread(target=lambda: answers.append(check(small, SLOW)))
    thread.start()
    busy: list[int] = []

    def found() -> bool:
        busy[:] = [w["pid"] for w in health(small)["workers"] if w["busy"]]
        return bool(busy)

    wait_until(found, 30, "a busy worker")
    os.kill(busy[0], signal.SIGKILL)
    thread.join(TIMEOUT)
    ((status, result),) = answers
    assert status == 500
    assert result["error"].startswith("internal error: the worker checking this request stopped")
    assert "SIGKILL" in result["error"]
    assert check(small, {"id": 3, "claim": "x = 2x"})[1]["verdict"] == "incorrect"
    wait_until(lambda: health(small)["ready"] == 1, 60, "a replacement worker")
    assert busy[0] not in {w["pid"] for w in health(small)["workers"]}


def test_a_full_queue_is_refused_with_503(small: Server) -> None:
    wait_until(lambda: health(small)["ready"] == 1, 60, "the worker")
    answers: list[tuple[int, dict[str, str]]] = []
    lock = threading.Lock()

    def send() -> None:
        status, headers, _ = call(small, "/check", json.dumps(SLOW).encode())
        with lock:
            answers.append((status, headers))

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
        time.sleep(0.3)
    for thread in threads:
        thread.join(TIMEOUT)
    statuses = sorted(status for status, _ in answers)
    assert statuses == [503, 503, 504, 504]
    assert all(h.get("retry-after") == "1" for s, h in answers if s == 503)
    wait_until(lambda: health(small)["ready"] == 1, 60, "the worker replaced")
    assert check(small, {"claim": "x + x = 2x"})[1]["verdict"] == "correct"


def test_the_hostile_corpus_over_http_is_data(server: Server) -> None:
    body = "\n".join(json.dumps(r) for r in ALL).encode()
    status, _, raw = call(server, "/check/batch", body, timeout=900)
    assert status == 200
    results = [json.loads(line) for line in raw.decode().splitlines()]
    assert [r["id"] for r in results] == [r.get("id") for r in ALL]
    assert all(r["verdict"] in ("correct", "incorrect", "unknown") for r in results)
    for text in INJECTION:
        got, result = check(server, {"id": "i", "claim": text})
        assert got in (200, 400), (text, got)
        assert result["verdict"] in ("unknown", "incorrect", "correct")
    assert not (server.cwd / SENTINEL).exists()
    assert health(server)["status"] == "ok"
    log = server.log.read_text()
    assert "Traceback" not in log


def test_every_request_is_logged_as_one_json_line(server: Server) -> None:
    check(server, {"id": "logged", "claim": "x + x = 2x"})
    wait_until(lambda: '"logged"' in server.log.read_text(), 10, "the log line")
    records = [
        json.loads(line) for line in server.log.read_text().splitlines() if line.startswith("{")
    ]
    mine = [r for r in records if r.get("id") == "logged"]
    assert mine[-1]["verdict"] == "correct"
    assert mine[-1]["status"] == 200
    assert mine[-1]["ms"] >= 0


def test_over_the_rate_limit_is_429_with_retry_after(limited: Server) -> None:
    body = json.dumps({"claim": "x + x = 2x"}).encode()
    answers = [call(limited, "/check", body) for _ in range(4)]
    assert [status for status, _, _ in answers] == [200, 200, 200, 429]
    _, headers, raw = answers[-1]
    assert 0 < int(headers["retry-after"]) <= 20
    assert json.loads(raw)["error"] == "rate limit: at most 3 requests a minute per client"
    assert call(limited, "/health")[0] == 200  # health is not rate limited


@pytest.mark.parametrize(
    ("per_minute", "times", "expected"),
    [
        (0, [0.0] * 5, [0.0] * 5),  # off
        (2, [0.0, 0.0, 0.0], [0.0, 0.0, 30.0]),  # a burst of two, then wait
        (2, [0.0, 0.0, 30.0], [0.0, 0.0, 0.0]),  # a token back after 30 s
        (60, [0.0] * 61, [0.0] * 60 + [1.0]),
    ],
)
def test_the_rate_limiter(per_minute: int, times: list[float], expected: list[float]) -> None:
    bucket = RateLimiter(per_minute)
    assert [bucket.allow("client", t) for t in times] == expected
    assert bucket.allow("another", times[-1]) == 0.0


def test_a_port_in_use_is_one_line_before_any_worker_starts(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "derive.commands.cli", "serve", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=tmp_path,
            check=False,
        )
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        f"derive: error: cannot listen on 127.0.0.1:{port}: Address already in use "
        "(choose another with --port)"
    ]
