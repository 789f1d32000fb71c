"""``derive serve``: the checker as an HTTP JSON API (default http://127.0.0.1:8000).

>>> from derive.commands.cli import main
>>> main(["serve", "--workers", "0"])
2

From a shell:

    derive serve                      # POST /check, POST /check/batch, GET /health, ...
    derive serve --workers 4 --queue 64 --deadline 10 --rate 120 --cors https://course.example
    curl -s localhost:8000/check -d '{"claim": "diff(x^2, x) = 2*x"}'

Needs the ``serve`` extra (Starlette and uvicorn). Logs are one JSON line per request on
stderr. Stop it with Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from derive.core.errors import UsageError


def register(sub: Any) -> None:
    """Add the ``serve`` command."""
    p = sub.add_parser(
        "serve",
        help="serve the checker as an HTTP JSON API",
        description="Serve the checker over HTTP: POST /check (one JSON request, one result), "
        "POST /check/batch (JSON Lines in, JSON Lines out, in order), GET /health, GET "
        "/catalog, GET /openapi.json. Requests are checked in worker processes, each warm, "
        "under a hard deadline; a worker past it is killed and replaced.",
    )
    p.add_argument("--host", default="127.0.0.1", help="address to bind (127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (8000)")
    p.add_argument("--workers", type=int, default=2, help="worker processes (2)")
    p.add_argument(
        "--queue", type=int, default=16, help="requests waiting for a worker; more get 503 (16)"
    )
    p.add_argument(
        "--deadline",
        type=float,
        default=10.0,
        metavar="SECONDS",
        help="hard limit per request; past it the worker is killed and replaced (10)",
    )
    p.add_argument(
        "--budget", type=float, default=5.0, metavar="SECONDS", help="the checker's budget (5)"
    )
    p.add_argument(
        "--max-body", type=int, default=1 << 20, metavar="BYTES", help="POST /check body (1 MiB)"
    )
    p.add_argument(
        "--rate", type=int, default=0, metavar="N", help="requests a minute per client (0: off)"
    )
    p.add_argument(
        "--cors",
        action="append",
        default=[],
        metavar="ORIGIN",
        help="allow this origin by CORS (repeat; none: CORS off)",
    )
    p.add_argument(
        "--no-warm",
        action="store_true",
        help="do not build the catalog's mistake index at start (starts faster; naming "
        "recorded mistakes is slower at first)",
    )
    p.set_defaults(run=run)


def _check_address(host: str, port: int) -> None:
    """A UsageError now, before the workers start, if ``host:port`` cannot be bound."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as error:
        raise UsageError(f"--host {host}: {error.strerror or error}") from None
    family, kind, _, _, address = infos[0]
    with socket.socket(family, kind) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as error:
            raise UsageError(
                f"cannot listen on {host}:{port}: {error.strerror or error} "
                "(choose another with --port)"
            ) from None


def run(args: argparse.Namespace) -> int:
    """Start the workers, then serve until stopped."""
    if not 0 < args.port < 65536:
        raise UsageError(f"--port must be 1 to 65535, got {args.port}")
    from derive.serve.limits import ServeLimits

    limits = ServeLimits(
        workers=args.workers,
        queue=args.queue,
        deadline=args.deadline,
        budget=args.budget,
        max_body=args.max_body,
        rate=args.rate,
        cors=tuple(args.cors),
        warm=not args.no_warm,
    )
    try:
        import uvicorn

        from derive.serve.app import create_app
    except ImportError as error:
        raise UsageError(
            f"derive serve needs the 'serve' extra ({error.name} is missing): "
            "pip install 'derive[serve]'"
        ) from None
    from derive.serve.pool import Pool

    _check_address(args.host, args.port)
    pool = Pool(limits)
    print(
        f"derive serve: starting {limits.workers} worker(s)"
        + (" (building the mistake index once)" if limits.warm else ""),
        file=sys.stderr,
        flush=True,
    )
    pool.start()
    config = uvicorn.Config(
        create_app(pool),
        host=args.host,
        port=args.port,
        log_level="warning",
        access_log=False,
        lifespan="on",
        # a stopped server answers what it is checking within the deadline, then goes
        timeout_graceful_shutdown=int(limits.deadline) + 5,
    )
    server = uvicorn.Server(config)
    print(f"derive serve: listening on http://{args.host}:{args.port}", file=sys.stderr, flush=True)
    try:
        server.run()
    finally:
        pool.stop()
    return 0 if server.started else 2
