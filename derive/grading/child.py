"""A warmed ``derive check --json`` process answering one request at a time, with a hard
deadline: a request it does not answer in time is killed with the process, answered with an
error, and the process replaced.

>>> with Child(budget=5.0, catalog=False) as child:
...     child.ask({"id": 1, "claim": "(a + b)^2 = a^2 + b^2"})["verdict"]
'incorrect'

The child reads JSON Lines on stdin and writes one result line per request (the checker's
contract), so it runs wherever Python and derive are installed: in a local process pool or
in a Dask worker (which, being a daemon process, may not start ``multiprocessing`` children).
Its budget uses SIGALRM in its own main thread, so the budget holds there too.
"""

from __future__ import annotations

import contextlib
import json
import selectors
import subprocess
import sys
import tempfile
import time
from types import TracebackType
from typing import IO, Any

WARM_UP = 180.0  # seconds allowed for the start: imports and the mistake index
GRACE = 30.0  # seconds beyond the budget before a request counts as stuck


def command(budget: float, catalog: bool) -> list[str]:
    """The child's command line."""
    options = ["--budget", f"{budget:g}", *(["--warm"] if catalog else ["--no-catalog"])]
    return [sys.executable, "-m", "derive.commands.cli", "check", "--json", *options]


class Child:
    """One checker process; :meth:`ask` sends a request and returns its JSON result."""

    def __init__(self, budget: float, catalog: bool) -> None:
        self.budget = budget
        self.catalog = catalog
        self.process: subprocess.Popen[bytes] | None = None
        self.stderr: IO[bytes] | None = None
        self.started = 0.0
        self.answered = 0

    def start(self) -> subprocess.Popen[bytes]:
        """Start the process (it warms up at once, before the first request comes)."""
        self.stderr = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close()
        self.process = subprocess.Popen(
            command(self.budget, self.catalog),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.stderr,
        )
        self.started, self.answered = time.monotonic(), 0
        return self.process

    def ask(self, request: dict[str, Any]) -> dict[str, Any]:
        """The result for one request; an error result if the process dies or is stuck."""
        process = self.process if self.process and self.process.poll() is None else self.start()
        assert process.stdin is not None
        assert process.stdout is not None
        limit = self.budget + GRACE + (WARM_UP if self.answered == 0 else 0.0)
        try:
            process.stdin.write(json.dumps(request, ensure_ascii=False).encode() + b"\n")
            process.stdin.flush()
            line = _read_line(process.stdout, limit)
        except (BrokenPipeError, OSError):
            line = b""
        if line:
            self.answered += 1
            return dict(json.loads(line))
        if process.poll() is None:
            reason = f"no answer within {limit:g} s (the checker was stopped and restarted)"
            process.kill()
        else:
            reason = f"the checker stopped (exit status {process.poll()}) and was restarted"
        self.close()
        return {
            "id": request.get("id"),
            "verdict": "unknown",
            "first_error": None,
            "score": 0.0,
            "pairs": [],
            "error": f"internal error: {reason}",
        }

    def close(self) -> None:
        """Stop the process (closing its input; killing it if it does not end)."""
        process, self.process = self.process, None
        if process is not None:
            if process.stdin is not None:
                with contextlib.suppress(OSError):
                    process.stdin.close()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            if process.stdout is not None:
                process.stdout.close()
        if self.stderr is not None:
            self.stderr.close()
            self.stderr = None

    def __enter__(self) -> Child:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _read_line(stream: IO[bytes], seconds: float) -> bytes:
    """A line from ``stream``, or b"" if none comes within ``seconds``."""
    deadline = time.monotonic() + seconds
    with selectors.DefaultSelector() as selector:
        selector.register(stream, selectors.EVENT_READ)
        left = deadline - time.monotonic()
        while left > 0:
            if selector.select(left):
                return stream.readline()
            left = deadline - time.monotonic()
    return b""
