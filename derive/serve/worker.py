"""One worker process: warm once, then answer requests from a pipe until it closes.

>>> answer({"id": 3, "claim": "x + x = 2x"}, budget=5.0)["result"]["verdict"]
'correct'
>>> reply = answer({"id": 4, "stepz": []}, budget=5.0)
>>> reply["malformed"], reply["result"]["error"]
(True, "unknown field 'stepz' (a request has id, steps, claim, given, against, tolerance)")

A message in is ``(data, budget)`` (parsed JSON, never code); a message out is a dict with the
contract's ``result``, whether the request was ``malformed`` (not a request at all: HTTP 400)
and whether checking met an ``internal`` error. Each request is checked from scratch: nothing
a request sends is kept for the next.
"""

from __future__ import annotations

import json
import os
import signal
from multiprocessing.connection import Connection
from typing import Any


def answer(data: Any, budget: float) -> dict[str, Any]:
    """The reply to one parsed JSON request."""
    from derive.checker.api import Request, check_data, check_request, internal_error
    from derive.checker.errors import InputError

    identifier = None
    try:
        try:
            request = Request.from_json(data)
        except InputError:
            return {"result": check_data(data).as_dict(), "malformed": True, "internal": False}
        identifier = request.id
        result = check_request(request, budget=budget)
        json.dumps(result.as_dict(), allow_nan=False)  # it can be sent
    except Exception as error:  # a bug met by this request: answered, and the worker goes on
        result = internal_error(identifier, error)
    return {"result": result.as_dict(), "malformed": False, "internal": result.internal}


def main(connection: Connection, warm: bool) -> None:
    """A worker's life: warm, say ``"ready"`` with the pid, then answer until the pipe
    closes (the server stopped or died)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    if warm:
        from derive.checker.catalog import warm as build_index

        build_index()
    else:
        import derive.checker.api  # noqa: F401 - SymPy imported before the first request
    connection.send(("ready", os.getpid()))
    while True:
        try:
            data, budget = connection.recv()
        except (EOFError, OSError):
            return
        try:
            connection.send(answer(data, budget))
        except (BrokenPipeError, OSError):
            return
