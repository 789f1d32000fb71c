"""Fixtures of tests/: Hypothesis profiles (seeded, derandomised) and a browser.

The private cache folder is the root conftest.py's (it serves the doctests in derive/ too);
``require_tool`` and ``IN_CI`` live in tests/tools.py and are importable from here as well.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from tests.tools import IN_CI, missing, require_tool

__all__ = ["CHROMIUM_ARGS", "IN_CI", "require_tool"]

settings.register_profile(
    "derive",
    derandomize=True,
    deadline=None,
    max_examples=60,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("derive")


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
        missing("playwright is not installed (run `make setup`)")
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield instance
        instance.close()
