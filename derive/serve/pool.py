"""Worker processes, the queue in front of them and the hard deadline.

>>> from derive.serve.limits import ServeLimits
>>> pool = Pool(ServeLimits(workers=1, queue=0))
>>> pool.admit(), pool.admit()  # one request may be inside (checked or waiting); not two
(True, False)
>>> pool.leave()
>>> error_reply(7, "deadline: stopped", 504).result["error"]
'deadline: stopped'

Workers are forked from a fork server that built the catalog's mistake index once
(:mod:`derive.serve.warmed`), so every worker, and every replacement, starts warm. A request
goes to an idle worker over its pipe; if no answer comes within the deadline the worker is
killed (SIGKILL: nothing inside it has to cooperate), the request is answered with an error
result and a new worker takes its place. A worker that dies (killed from outside, out of
memory) is replaced the same way.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import signal
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from derive.serve.limits import ServeLimits
from derive.serve.logs import log
from derive.serve.warmed import ENVIRONMENT
from derive.serve.worker import main

START_SECONDS = 900.0  # a worker that is not ready by then is a failure to start
RETRY_SECONDS = (1.0, 60.0)  # waits between failed starts of a replacement: first, longest


@dataclass
class Worker:
    """One worker process and the server's end of its pipe."""

    process: BaseProcess
    connection: Connection
    busy: bool = False

    @property
    def pid(self) -> int:
        assert self.process.pid is not None
        return self.process.pid


@dataclass(frozen=True)
class Reply:
    """A request's answer: the contract's result, its HTTP status and whether it was the
    checker's own failure."""

    result: dict[str, Any]
    status: int = 200

    @property
    def verdict(self) -> str | None:
        """The verdict, or None for an answer that is an error."""
        return None if self.result.get("error") else self.result.get("verdict")


def error_reply(identifier: Any, message: str, status: int) -> Reply:
    """A result with ``error`` set (the contract's shape for every failure)."""
    from derive.checker.api import Result

    return Reply(Result(identifier, "unknown", None, (), message).as_dict(), status)


def request_id(data: Any) -> Any:
    """The client's ``id`` if ``data`` is an object with one that is plain JSON, else None."""
    if isinstance(data, dict):
        value = data.get("id")
        if value is None or isinstance(value, (str, int, float, bool)):
            return value
    return None


@dataclass
class Pool:
    """The workers. :meth:`start` (blocking) before serving, :meth:`attach` in the event loop,
    :meth:`stop` at the end."""

    limits: ServeLimits
    workers: dict[int, Worker] = field(default_factory=dict)
    inside: int = 0  # requests admitted and not yet answered
    replaced: int = 0
    _idle: asyncio.Queue[Worker] | None = None
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.context = multiprocessing.get_context("forkserver")

    # -- life ----------------------------------------------------------------------------

    def start(self) -> None:
        """Start the fork server (it builds the index once) and every worker; return when all
        are ready (a RuntimeError if one is not)."""
        import derive.checker.api  # noqa: F401 - error results are made here too

        os.environ[ENVIRONMENT] = "1" if self.limits.warm else "0"
        self.context.set_forkserver_preload(["derive.serve.warmed"])
        started = [self._spawn() for _ in range(self.limits.workers)]
        for worker in started:
            if not worker.connection.poll(START_SECONDS):
                raise RuntimeError(f"worker {worker.pid} was not ready in {START_SECONDS:g} s")
            self._ready(worker)
            self.workers[worker.pid] = worker

    def attach(self) -> None:
        """Make the idle queue in the running event loop."""
        self._idle = asyncio.Queue()
        for worker in self.workers.values():
            self._idle.put_nowait(worker)

    def stop(self) -> None:
        """Kill every worker."""
        for task in self._tasks:
            task.cancel()
        for worker in list(self.workers.values()):
            self._kill(worker)
        self.workers.clear()

    def _spawn(self) -> Worker:
        parent, child = self.context.Pipe()
        process = self.context.Process(
            target=main, args=(child, self.limits.warm), daemon=True, name="derive-serve-worker"
        )
        process.start()
        child.close()
        return Worker(process, parent)

    def _ready(self, worker: Worker) -> None:
        try:
            message = worker.connection.recv()
        except (EOFError, OSError):
            raise RuntimeError(f"worker {worker.pid} stopped while starting") from None
        if message != ("ready", worker.pid):
            raise RuntimeError(f"worker {worker.pid} said {message!r} instead of ready")

    def _kill(self, worker: Worker) -> None:
        self._kill_soon(worker)
        worker.process.join(2.0)

    # -- admission -----------------------------------------------------------------------

    def admit(self) -> bool:
        """Let one more request in, unless the workers and the queue are all taken."""
        if self.inside >= self.limits.admitted:
            return False
        self.inside += 1
        return True

    def leave(self) -> None:
        """A request admitted by :meth:`admit` is answered."""
        self.inside -= 1

    # -- checking ------------------------------------------------------------------------

    async def run(self, data: Any) -> Reply:
        """Check one parsed JSON request in a worker, within the hard deadline."""
        assert self._idle is not None, "attach() first"
        identifier = request_id(data)
        longest = self.limits.deadline * (1 + self.limits.queue / self.limits.workers)
        while True:
            try:
                worker = await asyncio.wait_for(self._idle.get(), longest)
            except TimeoutError:
                return error_reply(
                    identifier, f"busy: no worker was free within {longest:g} s; retry later", 503
                )
            if worker.pid not in self.workers:
                continue  # replaced while idle
            worker.busy = True
            try:
                worker.connection.send((data, self.limits.budget))
                break
            except (OSError, ValueError):  # it died while idle
                self._replace(worker)
        try:
            reply = await self._receive(worker, self.limits.deadline)
        except TimeoutError:
            self._replace(worker)
            return error_reply(
                identifier,
                f"deadline: checking took longer than {self.limits.deadline:g} s and was stopped",
                504,
            )
        except (EOFError, OSError):
            self._replace(worker)
            return error_reply(
                identifier,
                "internal error: the worker checking this request stopped "
                f"({_cause(worker)}); it has been replaced",
                500,
            )
        except asyncio.CancelledError:  # the client went away: its answer is not wanted
            self._replace(worker)
            raise
        worker.busy = False
        self._idle.put_nowait(worker)
        status = 400 if reply["malformed"] else 500 if reply["internal"] else 200
        return Reply(reply["result"], status)

    async def _receive(self, worker: Worker, seconds: float) -> Any:
        loop = asyncio.get_running_loop()
        readable: asyncio.Future[None] = loop.create_future()
        descriptor = worker.connection.fileno()

        def wake() -> None:
            if not readable.done():
                readable.set_result(None)

        loop.add_reader(descriptor, wake)
        try:
            await asyncio.wait_for(readable, seconds)
        finally:
            loop.remove_reader(descriptor)
        return worker.connection.recv()

    def _replace(self, worker: Worker) -> None:
        """Kill ``worker`` and start another in its place (in the background)."""
        if self.workers.pop(worker.pid, None) is None:
            return
        self.replaced += 1
        self._kill_soon(worker)
        task = asyncio.get_running_loop().create_task(self._restart())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _kill_soon(self, worker: Worker) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(worker.pid, signal.SIGKILL)
        worker.connection.close()

    async def _restart(self) -> None:
        """Start a replacement, retrying (with a growing wait) while starting fails."""
        assert self._idle is not None
        wait, longest = RETRY_SECONDS
        while True:
            try:
                worker = await asyncio.to_thread(self._start_one)
                break
            except (RuntimeError, EOFError, OSError) as error:
                log({"event": "worker failed to start", "error": str(error), "retry_s": wait})
                await asyncio.sleep(wait)
                wait = min(2 * wait, longest)
        self.workers[worker.pid] = worker
        self._idle.put_nowait(worker)

    def _start_one(self) -> Worker:
        worker = self._spawn()
        if not worker.connection.poll(START_SECONDS):
            self._kill_soon(worker)
            raise RuntimeError(f"worker {worker.pid} was not ready in {START_SECONDS:g} s")
        try:
            self._ready(worker)
        except RuntimeError:
            self._kill_soon(worker)
            raise
        return worker

    def reap(self) -> None:
        """Replace idle workers that died (killed from outside while waiting)."""
        for worker in list(self.workers.values()):
            if not worker.busy and not worker.process.is_alive():
                self._replace(worker)

    def health(self) -> dict[str, Any]:
        """What ``GET /health`` shows."""
        self.reap()
        busy = sum(w.busy for w in self.workers.values())
        return {
            "status": "ok" if self.workers else "starting",
            "workers": [
                {"pid": w.pid, "busy": w.busy} for w in sorted(self.workers.values(), key=_pid)
            ],
            "ready": len(self.workers),
            "wanted": self.limits.workers,
            "checking": busy,
            "waiting": max(0, self.inside - busy),
            "queue": self.limits.queue,
            "replaced": self.replaced,
        }


def _pid(worker: Worker) -> int:
    return worker.pid


def _cause(worker: Worker) -> str:
    worker.process.join(0.5)
    code = worker.process.exitcode
    if code is None:
        return "its pipe closed"
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit status {code}"
