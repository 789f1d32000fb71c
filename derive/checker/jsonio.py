"""Requests as JSON: one object, or JSON Lines (one request per line, one result per line,
same order, each written as soon as it is ready).

>>> import io
>>> lines = io.BytesIO(b'{"id": 1, "claim": "x + x = 2x"}\\n{"id": 2, "claim": "x = 2x"}\\n')
>>> [(r.id, r.verdict) for r, _ in results(lines)]
[(1, 'correct'), (2, 'incorrect')]

The first line decides the mode: if it is a complete JSON value, every line is a request;
otherwise the whole input is one (pretty-printed) request. A line that is not valid JSON or
not a valid request gets a result with ``error`` set, and the others are still answered.
So does a request whose checking fails unexpectedly (a bug): its ``error`` begins with
``internal error:`` and its ``internal`` is true, and the batch goes on.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import IO, Any

from derive.checker.api import Request, Result, check_data, check_request, internal_error
from derive.checker.errors import InputError

MAX_LINE = 1 << 20  # bytes in one JSON line
MAX_INPUT = 16 << 20  # bytes of one pretty-printed request


def _decode(raw: bytes, where: str) -> Any:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(f"not UTF-8 (byte {error.start + 1})").at(where) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        place = (
            f"{where}, column {error.colno}"
            if error.lineno == 1
            else (f"{where}, line {error.lineno}, column {error.colno}")
        )
        raise InputError(f"invalid JSON: {error.msg}").at(place) from None
    except RecursionError:
        raise InputError("invalid JSON: nested too deeply").at(where) from None
    except ValueError as error:  # e.g. an integer with too many digits
        raise InputError(f"invalid JSON: {error}").at(where) from None


def _answer(data: Any, where: str, run: Callable[[Request], Result]) -> tuple[Result, str | None]:
    identifier = None
    try:
        try:
            request = Request.from_json(data)
        except InputError as error:
            result = check_data(data)  # the same error, with the id when there is one
            return result, str(error.at(where))
        identifier = request.id
        result = run(request)
        json.dumps(result.as_dict(), allow_nan=False)  # it can be written
    except Exception as error:  # a bug met by this request: its answer, and the batch goes on
        result = internal_error(identifier, error)
    return result, (f"{where}: {result.error}" if result.error else None)


def _failure(error: InputError) -> tuple[Result, str]:
    return Result(None, "unknown", None, (), str(error)), str(error)


def _read_line(stream: IO[bytes]) -> tuple[bytes, bool]:
    """One line, and whether it fitted within the limit (the rest is skipped if not)."""
    line = stream.readline(MAX_LINE + 1)
    if len(line) <= MAX_LINE or line.endswith(b"\n"):
        return line, True
    while line and not line.endswith(b"\n"):
        line = stream.readline(MAX_LINE)
    return b"", False


def results(
    stream: IO[bytes], run: Callable[[Request], Result] = check_request
) -> Iterator[tuple[Result, str | None]]:
    """(result, one-line error or None) for every request on ``stream``."""
    number = 0
    while True:  # find the first request
        line, fitted = _read_line(stream)
        number += 1
        if not fitted:
            yield _failure(InputError(f"longer than {MAX_LINE} bytes").at(f"line {number}"))
            continue
        if not line:
            return
        if line.strip():
            break
    try:
        data = _decode(line, f"line {number}")
    except InputError:
        rest = stream.read(MAX_INPUT + 1)
        whole = line + rest
        if len(whole) > MAX_INPUT:
            yield _failure(InputError(f"input longer than {MAX_INPUT} bytes"))
            return
        try:
            data = _decode(whole, "input")
        except InputError as error:
            yield _failure(error)
            return
        yield _answer(data, "request", run)
        return
    yield _answer(data, f"line {number}", run)
    while True:
        line, fitted = _read_line(stream)
        number += 1
        where = f"line {number}"
        if not fitted:
            yield _failure(InputError(f"longer than {MAX_LINE} bytes").at(where))
            continue
        if not line:
            return
        if not line.strip():
            continue
        try:
            data = _decode(line, where)
        except InputError as error:
            yield _failure(error)
            continue
        yield _answer(data, where, run)


def dumps(result: Result) -> str:
    """One result as one line of JSON (ASCII escapes if it holds a lone surrogate)."""
    line = json.dumps(result.as_dict(), ensure_ascii=False, allow_nan=False)
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(result.as_dict(), allow_nan=False)
    return line
