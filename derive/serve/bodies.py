"""Reading a request body: bounded in size, then JSON (or JSON Lines), never anything else.

>>> decode(b'{"claim": "x = x"}', "body")
{'claim': 'x = x'}
>>> decode(b'{"claim": ', "body")
Traceback (most recent call last):
    ...
derive.serve.bodies.BodyError: body, column 11: invalid JSON: Expecting value
>>> [number for number, _ in lines(b'{"id": 1}\\n\\n{"id": 2}\\n')]
[1, 3]
>>> dumps({"read": ["x\\ud800"]})  # a lone surrogate cannot be UTF-8: escaped instead
'{"read": ["x\\\\ud800"]}'
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any


class BodyError(Exception):
    """A body that cannot be a request: its HTTP status (400 or 413) and a one-line reason."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


async def read(stream: AsyncIterator[bytes], declared: str | None, limit: int) -> bytes:
    """The whole body, or a 413 BodyError as soon as it is known to be over ``limit`` bytes
    (from ``Content-Length`` before reading, else while reading)."""
    too_long = f"body longer than {limit} bytes"
    if declared is not None:
        try:
            length = int(declared)
        except ValueError:
            raise BodyError("Content-Length is not a number") from None
        if length > limit:
            raise BodyError(too_long, 413)
    chunks, size = [], 0
    async for chunk in stream:
        size += len(chunk)
        if size > limit:
            raise BodyError(too_long, 413)
        chunks.append(chunk)
    return b"".join(chunks)


def decode(raw: bytes, where: str) -> Any:
    """Parsed JSON, or a BodyError saying what is wrong and where."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise BodyError(f"{where}: not UTF-8 (byte {error.start + 1})") from None
    if not text.strip():
        raise BodyError(f"{where}: empty (send a JSON request)")
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        place = f"line {error.lineno}, column {error.colno}" if error.lineno > 1 else ""
        place = place or f"column {error.colno}"
        raise BodyError(f"{where}, {place}: invalid JSON: {error.msg}") from None
    except RecursionError:
        raise BodyError(f"{where}: invalid JSON: nested too deeply") from None
    except ValueError as error:  # e.g. an integer with too many digits
        raise BodyError(f"{where}: invalid JSON: {error}") from None


def lines(raw: bytes) -> list[tuple[int, bytes]]:
    """The non-blank lines of a JSON Lines body, numbered from 1."""
    return [(n, line) for n, line in enumerate(raw.split(b"\n"), 1) if line.strip()]


def dumps(result: dict[str, Any]) -> str:
    """A result as one line of JSON (ASCII escapes if it holds a lone surrogate)."""
    line = json.dumps(result, ensure_ascii=False, allow_nan=False)
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(result, allow_nan=False)
    return line
