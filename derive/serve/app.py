"""The routes: ``POST /check``, ``POST /check/batch``, ``GET /health``, ``GET /catalog`` and
``GET /openapi.json``.

>>> from derive.serve.limits import ServeLimits
>>> app = create_app(Pool(ServeLimits(workers=1)))
>>> sorted(route.path for route in app.routes)
['/catalog', '/check', '/check/batch', '/health', '/openapi.json']

Each request: the per-client rate limit (429), admission into the workers and their queue
(503 when full), the body read up to its limit (413) and parsed as JSON (400), then checked in
a worker within the hard deadline (504 past it). Every answer of ``/check`` is a result in the
contract's shape, its ``error`` the one-line reason when there is one. One JSON line per
request goes to stderr.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from derive.serve import bodies
from derive.serve.limits import RateLimiter
from derive.serve.logs import log
from derive.serve.openapi import SPEC
from derive.serve.pool import Pool, Reply, error_reply, request_id

BUSY_RETRY = 1  # seconds a client is told to wait when the queue is full


def _respond(reply: Reply, headers: dict[str, str] | None = None) -> Response:
    if reply.status == 503 and headers is None:
        headers = {"Retry-After": str(BUSY_RETRY)}
    return Response(
        bodies.dumps(reply.result) + "\n",
        reply.status,
        headers,
        media_type="application/json",
    )


class Service:
    """The routes' shared pieces: the pool, the rate limiter and a request counter (nothing
    of a request is kept after its answer)."""

    def __init__(self, pool: Pool):
        self.pool = pool
        self.limits = pool.limits
        self.limiter = RateLimiter(self.limits.rate)
        self.serial = itertools.count(1)

    def _refuse(self, request: Request) -> Reply | tuple[Reply, dict[str, str]] | None:
        client = request.client.host if request.client else "unknown"
        wait = self.limiter.allow(client, time.monotonic())
        if wait:
            message = f"rate limit: at most {self.limits.rate} requests a minute per client"
            return error_reply(None, message, 429), {"Retry-After": f"{wait:.0f}"}
        if not self.pool.admit():
            message = (
                f"busy: {self.limits.workers} worker(s) checking and {self.limits.queue} "
                "waiting; retry later"
            )
            return error_reply(None, message, 503), {"Retry-After": str(BUSY_RETRY)}
        return None

    async def check(self, request: Request) -> Response:
        """``POST /check``: one JSON request, one result."""
        start, serial = time.perf_counter(), next(self.serial)
        refused = self._refuse(request)
        if isinstance(refused, tuple):
            reply, headers = refused
            self._log(serial, "/check", reply, start)
            return _respond(reply, headers)
        try:
            try:
                raw = await bodies.read(
                    request.stream(), request.headers.get("content-length"), self.limits.max_body
                )
                data = bodies.decode(raw, "body")
            except bodies.BodyError as error:
                reply = error_reply(None, str(error), error.status)
            else:
                reply = await self.pool.run(data)
        finally:
            self.pool.leave()
        self._log(serial, "/check", reply, start)
        return _respond(reply)

    async def batch(self, request: Request) -> Response:
        """``POST /check/batch``: JSON Lines in, one result line per request, in order, each
        written when it is ready."""
        start, serial = time.perf_counter(), next(self.serial)
        refused = self._refuse(request)
        if isinstance(refused, tuple):
            reply, headers = refused
            self._log(serial, "/check/batch", reply, start)
            return _respond(reply, headers)
        try:
            raw = await bodies.read(
                request.stream(), request.headers.get("content-length"), self.limits.max_batch
            )
            numbered = bodies.lines(raw)
            if len(numbered) > self.limits.max_lines:
                raise bodies.BodyError(
                    f"too many requests ({len(numbered)}; at most {self.limits.max_lines})", 413
                )
        except bodies.BodyError as error:
            self.pool.leave()
            reply = error_reply(None, str(error), error.status)
            self._log(serial, "/check/batch", reply, start)
            return _respond(reply)
        return StreamingResponse(
            self._stream(serial, numbered, start), media_type="application/x-ndjson"
        )

    async def _stream(
        self, serial: int, numbered: list[tuple[int, bytes]], start: float
    ) -> AsyncIterator[str]:
        verdicts: Counter[str] = Counter()
        try:
            for number, line in numbered:
                begun = time.perf_counter()
                try:
                    data = bodies.decode(line, f"line {number}")
                except bodies.BodyError as error:
                    reply = error_reply(None, str(error), error.status)
                else:
                    reply = await self.pool.run(data)
                verdicts[reply.verdict or "error"] += 1
                self._log(serial, "/check/batch", reply, begun, line=number)
                yield bodies.dumps(reply.result) + "\n"
        finally:
            self.pool.leave()
            ms = round((time.perf_counter() - start) * 1000, 1)
            log({"request": serial, "path": "/check/batch", "lines": len(numbered), "ms": ms})

    async def health(self, request: Request) -> Response:
        """``GET /health``: 200 while a worker is ready, else 503."""
        state = self.pool.health()
        return JSONResponse(state, 200 if state["ready"] else 503)

    async def catalog(self, request: Request) -> Response:
        """``GET /catalog``: id, title and topic of every derivation (for ``against``)."""
        from derive.catalog import CATALOG

        rows = [{"id": e.id, "title": e.title, "topic": e.topic.value} for e in CATALOG.values()]
        return JSONResponse(rows)

    async def openapi(self, request: Request) -> Response:
        """``GET /openapi.json``."""
        return JSONResponse(SPEC)

    def _log(self, serial: int, path: str, reply: Reply, start: float, **extra: Any) -> None:
        record: dict[str, Any] = {"request": serial, "path": path, **extra}
        record["id"] = request_id(reply.result)
        record["status"] = reply.status
        record["verdict"] = reply.verdict
        if reply.result.get("error"):
            record["error"] = reply.result["error"]
        record["ms"] = round((time.perf_counter() - start) * 1000, 1)
        log(record)


def create_app(pool: Pool) -> Starlette:
    """The ASGI application over a started :class:`Pool` (attached to the loop at start-up,
    its workers killed at shut-down)."""
    service = Service(pool)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        pool.attach()
        try:
            yield
        finally:
            await asyncio.to_thread(pool.stop)

    middleware = []
    if pool.limits.cors:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=list(pool.limits.cors),
                allow_methods=["GET", "POST"],
                allow_headers=["Content-Type"],
            )
        )
    routes = [
        Route("/check", service.check, methods=["POST"]),
        Route("/check/batch", service.batch, methods=["POST"]),
        Route("/health", service.health, methods=["GET"]),
        Route("/catalog", service.catalog, methods=["GET"]),
        Route("/openapi.json", service.openapi, methods=["GET"]),
    ]
    return Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
