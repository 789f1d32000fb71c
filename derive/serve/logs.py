"""One JSON line per request on stderr.

>>> import io
>>> out = io.StringIO()
>>> log({"request": 1, "id": 7, "verdict": "correct", "ms": 12.5}, out)
>>> out.getvalue()
'{"request": 1, "id": 7, "verdict": "correct", "ms": 12.5}\\n'
"""

from __future__ import annotations

import json
import sys
from typing import IO, Any


def log(record: dict[str, Any], stream: IO[str] | None = None) -> None:
    """Write ``record`` as one line of JSON (anything not JSON is written as its ``repr``)."""
    out = sys.stderr if stream is None else stream
    try:
        line = json.dumps(record, ensure_ascii=True, allow_nan=False, default=repr)
    except ValueError:
        line = json.dumps({k: repr(v) for k, v in record.items()}, ensure_ascii=True)
    out.write(line + "\n")
    out.flush()
