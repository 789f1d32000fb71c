"""``derive serve``: the checker as an HTTP JSON API (Starlette on uvicorn).

>>> from derive.serve.limits import ServeLimits
>>> ServeLimits().deadline
10.0

Layers inside: :mod:`~derive.serve.limits` (what is bounded, the rate limiter),
:mod:`~derive.serve.worker` (one warmed process answering requests over a pipe),
:mod:`~derive.serve.pool` (the workers, the queue and the hard deadline),
:mod:`~derive.serve.bodies` (reading a bounded body as JSON or JSON Lines),
:mod:`~derive.serve.logs` (one JSON line per request), :mod:`~derive.serve.openapi` and
:mod:`~derive.serve.app` (the routes). Nothing a client sends is executed: the body is read as
JSON and handed to :func:`derive.checker.api.check_data` in a worker process.
"""
