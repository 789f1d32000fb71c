"""Shared fixtures: Hypothesis profiles (seeded, derandomised) and tool discovery."""

from __future__ import annotations

import os
import shutil

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "derive",
    derandomize=True,
    deadline=None,
    max_examples=60,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("derive")

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require_tool(name: str) -> str:
    """The path of an external tool; skip without it locally, fail without it under CI."""
    path = shutil.which(name)
    if path is None:
        message = f"{name} is not installed (run `make setup`)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return path
