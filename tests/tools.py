"""What a test or an example needs beyond Python: skipped without it locally, failed under CI.

>>> require_tool("sh").endswith("sh")
True
"""

from __future__ import annotations

import os
import shutil
from typing import NoReturn

import pytest

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def missing(message: str) -> NoReturn:
    """Skip for want of what ``message`` names; under CI, where nothing may be missing, fail."""
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


def require_tool(name: str) -> str:
    """The path of an external tool; skip without it locally, fail without it under CI."""
    path = shutil.which(name)
    if path is None:
        missing(f"{name} is not installed (run `make setup`)")
    return path
