"""The worksheets as a learner meets them: served by Voila, opened in headless Chromium.

Each test opens one worksheet, moves a slider or types into a box, and checks that the page
shows the value the catalog twin computes for the new input (computed here, in the test).
Every request the page makes must go to the local server: the web app needs no internet.

Set ``DERIVE_SCREENSHOTS=DIR`` to save a full-page PNG of each worksheet after the test.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np
import pytest

from derive.catalog import get
from tests.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    LOADED,
    close,
    shown,
    step_slider,
    text,
    type_into_slider,
    until,
    voila,
)
from tests.conftest import IN_CI, require_tool

pytestmark = pytest.mark.slow

WORKSHEETS = Path(__file__).resolve().parent.parent / "worksheets"


def _playwright() -> Any:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if IN_CI:
            pytest.fail("playwright is not installed (run `make setup`)")
        pytest.skip("playwright is not installed (run `make setup`)")
    return sync_playwright


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    require_tool(CHROMIUM)
    log = tmp_path_factory.mktemp("voila") / "voila.log"
    with voila(WORKSHEETS, log) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    require_tool(CHROMIUM)
    with _playwright()() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def sheet(server: str, browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """Open a worksheet (the parameter) once it has rendered its panels; check it on closing."""
    name = request.param
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{server}voila/render/{name}.ipynb")
    page.wait_for_selector(".derive-panel", timeout=LOADED)
    yield page
    folder = os.environ.get("DERIVE_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.wait_for_timeout(800)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)
    body = page.inner_text("body")
    page.close()
    outside = [
        u
        for u in requests
        if urlparse(u).scheme in ("http", "https", "ws", "wss")
        and urlparse(u).hostname != "127.0.0.1"
    ]
    assert outside == [], "the page fetched assets from outside the local server"
    assert "Traceback" not in body
    assert errors == []


@pytest.mark.parametrize("sheet", ["linear_algebra"], indirect=True)
def test_linear_algebra_sliders_update_the_inverse(sheet: Any) -> None:
    inverse = get("inverse-2x2").twins[0]
    start = np.array([[2.0, 1.0], [1.0, 3.0]])
    until(lambda: close(shown(sheet, "inverse"), inverse(A=start)), "the initial inverse")

    type_into_slider(sheet, "matrix", "b", 2.5)  # A = [[2, 2.5], [1, 3]]
    moved = np.array([[2.0, 2.5], [1.0, 3.0]])
    until(lambda: close(shown(sheet, "inverse"), inverse(A=moved)), "the inverse after b = 2.5")

    step_slider(sheet, "matrix", "d", "ArrowLeft", times=2)  # d: 3 → 2: rows not proportional
    moved[1, 1] = 2.0
    until(lambda: close(shown(sheet, "inverse"), inverse(A=moved)), "the inverse after d = 2")

    type_into_slider(sheet, "matrix", "b", 2.0)
    moved[0, 1] = 2.0
    until(lambda: close(shown(sheet, "inverse"), inverse(A=moved)), "the inverse after b = 2")
    type_into_slider(sheet, "matrix", "d", 1.0)  # A = [[2, 2], [1, 1]]: singular
    until(lambda: "singular" in text(sheet, "inverse"), "the singular-matrix message")
    assert shown(sheet, "inverse") == []
    assert "det A = ad − bc = 0" in text(sheet, "inverse")
