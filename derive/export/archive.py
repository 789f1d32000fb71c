"""Zip files that depend only on their contents: fixed timestamps, the order given.

>>> a = deterministic_zip([("a.txt", b"x"), ("run", b"#!/bin/sh\\n", 0o755)])
>>> a == deterministic_zip([("a.txt", b"x"), ("run", b"#!/bin/sh\\n", 0o755)])
True
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable

EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can hold


def deterministic_zip(files: Iterable[tuple[str, bytes] | tuple[str, bytes, int]]) -> bytes:
    """A zip of ``(name, data[, mode])`` entries (a name ending in ``/`` is a folder)."""
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w") as archive:
        for item in files:
            name, data = item[0], item[1]
            mode = item[2] if len(item) > 2 else (0o755 if name.endswith("/") else 0o644)
            info = zipfile.ZipInfo(name, date_time=EPOCH)
            info.compress_type = zipfile.ZIP_STORED if name.endswith("/") else zipfile.ZIP_DEFLATED
            info.external_attr = ((0o040000 if name.endswith("/") else 0o100000) | mode) << 16
            info.create_system = 3  # Unix, so that the modes are read
            archive.writestr(info, data)
    return stream.getvalue()
