"""Where derive keeps what it can rebuild: verification results, the checker's index of the
names recorded mistakes need, native kernels.

>>> from unittest import mock
>>> with mock.patch.dict(os.environ, {"DERIVE_CACHE_DIR": "/tmp/derive-cache"}):
...     str(default_dir())
'/tmp/derive-cache'
"""

from __future__ import annotations

import os
from pathlib import Path


def default_dir() -> Path:
    """Where the cache lives: ``$DERIVE_CACHE_DIR``, ``$XDG_CACHE_HOME/derive`` or
    ``~/.cache/derive``. Deleting it only costs time."""
    if os.environ.get("DERIVE_CACHE_DIR"):
        return Path(os.environ["DERIVE_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "derive"
