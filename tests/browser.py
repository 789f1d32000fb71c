"""Helpers for the browser tests: serve the worksheets with Voila, drive them with Chromium.

The server is ``derive worksheets`` itself (the README's command) on a free loopback port; the
browser is the system's Chromium driven by Playwright, never a downloaded one.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

CHROMIUM = "/usr/bin/chromium"
LOADED = 180_000  # ms: a page runs its notebook in a new kernel before it shows anything


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def voila(folder: Path, log: Path) -> Iterator[str]:
    """Run ``derive worksheets`` on a free port; yield its base URL; stop it (and its kernels)."""
    port = free_port()
    with log.open("w") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "derive.commands.cli",
                "worksheets",
                "--port",
                str(port),
                "--dir",
                str(folder),
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: the kernels stop with it
        )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"voila exited with {process.returncode}:\n{log.read_text()}")
            try:
                with urllib.request.urlopen(url, timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(
                        f"voila did not answer on {url}:\n{log.read_text()}"
                    ) from None
                time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)  # any kernel left in the group we started


def shown(page: Any, panel: str, output: str) -> list[float]:
    """The numbers an output of a panel shows on the page."""
    values = page.locator(f".derive-panel-{panel} .derive-out-{output} [data-value]").evaluate_all(
        "els => els.map(e => e.dataset.value)"
    )
    return [float(v) for v in values]


def text(page: Any, panel: str, output: str) -> str:
    """The visible text of an output of a panel."""
    return str(page.locator(f".derive-panel-{panel} .derive-out-{output}").inner_text())


def until(check: Callable[[], Any], what: str, timeout: float = 30.0) -> Any:
    """Poll ``check`` until it returns something truthy; fail with ``what`` and the last value."""
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        try:
            last = check()
        except AssertionError as error:
            last = error
        else:
            if last:
                return last
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}; last saw {last!r}")


def close(values: list[float], expected: Any, rtol: float = 1e-12) -> bool:
    """Whether shown values equal the expected ones (same count, relatively close)."""
    want = np.ravel(np.asarray(expected, dtype=float))
    return len(values) == want.size and bool(np.allclose(values, want, rtol=rtol, atol=0))


def type_into_slider(page: Any, panel: str, name: str, value: float) -> None:
    """Set a slider by typing into its readout (as a person would) and pressing Enter."""
    readout = page.locator(f".derive-panel-{panel} .derive-in-{name} .widget-readout")
    readout.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(str(value))
    page.keyboard.press("Enter")


def step_slider(page: Any, panel: str, name: str, key: str = "ArrowRight", times: int = 1) -> None:
    """Move a slider's handle with the keyboard (one step per key press)."""
    handle = page.locator(f".derive-panel-{panel} .derive-in-{name} .noUi-handle")
    handle.focus()
    for _ in range(times):
        page.keyboard.press(key)


def type_into_box(page: Any, panel: str, name: str, value: str) -> None:
    """Replace the text of an input box (text, number or text area) and commit it."""
    box = page.locator(
        f".derive-panel-{panel} .derive-in-{name} input, "
        f".derive-panel-{panel} .derive-in-{name} textarea"
    ).first
    box.fill(value)
    box.press("Tab" if box.evaluate("e => e.tagName") == "TEXTAREA" else "Enter")
