"""The worksheet server loaded 30 times in a row keeps its kernels and memory bounded; its home
page lists the worksheets; each worksheet is one column on a 390 px phone screen.

Each load opens a worksheet in headless Chromium, waits for its panels, then leaves the page
(as a learner following a link or closing the tab does): Voila's page sends the shutdown of its
kernel as it unloads. Bound: at most 2 kernels alive after any load (the page just left may
still be shutting down), and the server with its kernels using at most 1.5 times the memory it
used after the first load. Before the fix every load left its kernel (about 240 MB) running:
the page's shutdown was refused for want of an XSRF cookie.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from derive.commands.worksheets import NOTEBOOKS, command
from tests.browser import CHROMIUM, LOADED, until, voila
from tests.conftest import require_tool

pytestmark = pytest.mark.slow

LOADS = 30
PAGE = 4096  # bytes per page of resident memory (Linux)


def _server_pid(url: str) -> int:
    """The Voila process serving ``url`` (its command line names the port)."""
    port = url.rstrip("/").rsplit(":", 1)[1]
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if cmdline[1:3] == [b"-m", b"voila"] and f"--port={port}".encode() in cmdline:
            return int(proc.name)
    raise AssertionError(f"no voila process on port {port}")


def usage(server: int) -> tuple[int, int]:
    """(kernels, resident bytes) of the server process and its kernel children."""
    kernels, resident = 0, 0
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
            if int(proc.name) != server and int(fields[1]) != server:
                continue
            is_kernel = b"ipykernel" in (proc / "cmdline").read_bytes()
        except (OSError, IndexError, ValueError):
            continue
        resident += int(fields[21]) * PAGE
        kernels += is_kernel
    return kernels, resident


def _settled(server: int) -> tuple[int, int] | None:
    """The usage once at most 2 kernels are alive (else None, to poll again)."""
    kernels, resident = usage(server)
    return (kernels, resident) if kernels <= 2 else None


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    require_tool(CHROMIUM)
    with voila(NOTEBOOKS, tmp_path_factory.mktemp("voila") / "voila.log") as url:
        yield url


def test_repeated_loads_keep_kernels_and_memory_bounded(server: str, browser: Any) -> None:
    pid = _server_pid(server)
    seen: list[tuple[int, int]] = []
    for _ in range(LOADS):
        page = browser.new_page(viewport={"width": 390, "height": 800})
        page.goto(server + "voila/render/probability.ipynb", timeout=LOADED)
        page.wait_for_selector(".derive-panel", timeout=LOADED)
        assert usage(pid)[0] >= 1  # the page's kernel is counted while it is open
        page.goto("about:blank")  # leave the page: it shuts its kernel down as it unloads
        page.close()
        seen.append(until(lambda: _settled(pid), "at most 2 kernels after leaving the page"))
    first = seen[0][1]
    assert max(m for _, m in seen) <= 1.5 * first, [m // 2**20 for _, m in seen]
    until(lambda: usage(pid)[0] == 0, "every kernel shut down after the last page", 60)


def test_server_culls_idle_kernels_and_accepts_the_pages_shutdown() -> None:
    argv, _ = command(["--dir", str(NOTEBOOKS)])
    assert "--Voila.tornado_settings=disable_check_xsrf=True" in argv
    settings = dict(a.split("=", 1) for a in argv if a.startswith("--MappingKernelManager."))
    assert int(settings["--MappingKernelManager.cull_idle_timeout"]) > 0
    assert int(settings["--MappingKernelManager.cull_interval"]) > 0
    assert settings["--MappingKernelManager.cull_connected"] == "False"


def test_home_page_lists_each_worksheet_with_a_line(server: str) -> None:
    import re
    import urllib.request

    with urllib.request.urlopen(server, timeout=30) as response:
        html = response.read().decode()
    links = re.findall(r'<a href="[^"]*voila/render/([a-z_]+\.ipynb)\?[^"]*">', html)
    assert sorted(links) == sorted(p.name for p in NOTEBOOKS.glob("*.ipynb"))
    names = re.findall(r'<span class="name">([^<]+)</span>', html)
    lines = re.findall(r'<span class="what">([^<]+)</span>', html)
    assert len(names) == len(lines) == len(links)
    assert "Linear algebra" in names
    assert all(len(line.split()) >= 8 for line in lines)
    assert "target=" not in html  # same tab: leaving a worksheet shuts its kernel down
    assert "cdn.jsdelivr.net" not in html  # served with no internet


RIGHTMOST = """() => Math.max(...[...document.querySelectorAll('.derive-panel *')]
  .filter(e => !e.parentElement.closest('.widget-htmlmath'))  // wide formulas scroll in place
  .map(e => e.getBoundingClientRect().right))"""


@pytest.mark.parametrize("name", sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb")))
def test_worksheet_is_one_column_on_a_phone(server: str, browser: Any, name: str) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 900})
    try:
        page.goto(server + f"voila/render/{name}.ipynb", timeout=LOADED)
        page.wait_for_selector(".derive-panel", timeout=LOADED)
        page.wait_for_timeout(1500)  # images and formulas settle
        assert page.evaluate(RIGHTMOST) <= 390
    finally:
        page.goto("about:blank")
        page.close()
