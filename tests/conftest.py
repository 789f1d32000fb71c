"""Shared fixtures: Hypothesis profiles (seeded, derandomised) and tool discovery."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

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


@pytest.fixture(autouse=True, scope="session")
def _private_verify_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Tests (and the commands they run) cache verifications in a folder of their own."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DERIVE_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        yield


def require_tool(name: str) -> str:
    """The path of an external tool; skip without it locally, fail without it under CI."""
    path = shutil.which(name)
    if path is None:
        message = f"{name} is not installed (run `make setup`)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return path


# The system's Chromium, never a downloaded one; the flags keep it off this machine's closed
# network (background requests would be refused) and let it run as root without a screen.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the whole session, driven by Playwright's sync API (a second
    sync_playwright in the same process would clash with the first one's event loop)."""
    chromium = require_tool("chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        message = "playwright is not installed (run `make setup`)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield instance
        instance.close()
