"""``pip install derive`` gives the whole product, with no Node.js and no clone.

``python -m build`` makes the sdist and, from it, the wheel; the wheel goes into a fresh virtual
environment outside the repository. Every command then runs from an empty temporary folder with
``node`` (and ``npm``) replaced on ``PATH`` by stand-ins that record any call: none may happen.
First the core install (``derive worksheets`` names its missing extra), then with the
``worksheets`` extra (the Voila server answers for a packaged worksheet).

Slow (a build and two installs, a few minutes); its own xdist group so that it runs beside,
not among, the others on one worker.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import derive
from derive.book import build, katex
from derive.catalog import ids
from tests.browser import free_port
from tests.conftest import IN_CI, require_tool

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("packaging")]

ROOT = Path(__file__).resolve().parents[1]
STAND_IN = '#!/bin/sh\necho "$0 $*" >> "{log}"\nexit 127\n'


@dataclass(frozen=True)
class Install:
    """A fresh virtual environment with the wheel, and how to run commands in it."""

    wheel: Path
    python: Path
    work: Path  # an empty folder outside the repository: every command runs here
    env: dict[str, str]
    node_calls: Path  # where the node/npm stand-ins write if anything calls them

    def run(self, *argv: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.python.parent / "derive"), *argv],
            cwd=self.work,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def pip(self, *argv: str) -> float:
        """Run pip in the environment; return the seconds it took."""
        start = time.perf_counter()
        done = subprocess.run(
            [str(self.python), "-m", "pip", "install", "--quiet", *argv],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=1200,
            check=False,
        )
        assert done.returncode == 0, f"pip install {' '.join(argv)} failed:\n{done.stderr[-3000:]}"
        return time.perf_counter() - start


def _need_build() -> None:
    if importlib.util.find_spec("build") is None:
        message = "the `build` package is not installed (run `make setup`)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)


def _clean_path(stand_ins: Path, venv_bin: Path) -> str:
    """Stand-ins first, the new environment next, then the system's tools (not the clone's)."""
    kept = [
        p
        for p in os.environ.get("PATH", "").split(os.pathsep)
        if p and not Path(p).resolve().is_relative_to(ROOT)
    ]
    return os.pathsep.join([str(stand_ins), str(venv_bin), *kept])


def _source_copy(folder: Path) -> Path:
    """The clone's tracked files and its pinned KaTeX, copied: the build's scratch folders
    (``derive-0.1.0/``, ``build/``, ``*.egg-info``) then never share the working tree with
    tests running beside it."""
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True, timeout=60
    )
    for name in listed.stdout.decode().split("\0"):
        if name and (ROOT / name).is_file():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, folder / name)
    shutil.copytree(ROOT / "node_modules" / "katex", folder / "node_modules" / "katex")
    return folder


@pytest.fixture(scope="module")
def core(tmp_path_factory: pytest.TempPathFactory) -> Install:
    """The wheel, built from the sdist, installed without extras into a fresh environment."""
    _need_build()
    dist = tmp_path_factory.mktemp("dist")
    source = _source_copy(tmp_path_factory.mktemp("source"))
    built = subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(dist), str(source)],
        cwd=source,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert built.returncode == 0, f"python -m build failed:\n{built.stderr[-3000:]}"
    (wheel,) = dist.glob("derive-*.whl")
    assert len(list(dist.glob("derive-*.tar.gz"))) == 1
    home = tmp_path_factory.mktemp("install")
    subprocess.run([sys.executable, "-m", "venv", str(home / "venv")], check=True, timeout=300)
    stand_ins = home / "stand-ins"
    stand_ins.mkdir()
    node_calls = home / "node-calls.log"
    for tool in ("node", "nodejs", "npm", "npx"):
        (stand_ins / tool).write_text(STAND_IN.format(log=node_calls))
        (stand_ins / tool).chmod(0o755)
    python = home / "venv" / "bin" / "python"
    env = {k: v for k, v in os.environ.items() if k not in {"DERIVE_KATEX", "PYTHONPATH"}}
    env["PATH"] = _clean_path(stand_ins, python.parent)
    env["VIRTUAL_ENV"] = str(python.parent.parent)
    work = home / "work"
    work.mkdir()
    install = Install(wheel, python, work, env, node_calls)
    seconds = install.pip(str(wheel))
    print(f"core install: {seconds:.1f}s; wheel {wheel.stat().st_size / 1e6:.2f} MB")
    return install


@pytest.fixture(scope="module")
def without_extra(core: Install) -> subprocess.CompletedProcess[str]:
    """``derive worksheets`` in the core install (before the extra goes in)."""
    return core.run("worksheets", timeout=120)


@pytest.fixture(scope="module")
def full(core: Install, without_extra: subprocess.CompletedProcess[str]) -> Install:
    """The same environment with ``derive[worksheets]``."""
    seconds = core.pip(f"{core.wheel}[worksheets]")
    print(f"worksheets extra: {seconds:.1f}s")
    return core


@pytest.fixture(scope="module")
def clone_book(tmp_path_factory: pytest.TempPathFactory) -> build.Site:
    """The book as the clone builds it (unverified, like ``derive book --no-verify``)."""
    wanted = list(ids())
    return build.build(
        tmp_path_factory.mktemp("clone-book"), reports=dict.fromkeys(wanted), identifiers=wanted
    )


def test_the_core_install_names_the_missing_extra_in_one_line(
    core: Install, without_extra: subprocess.CompletedProcess[str]
) -> None:
    assert without_extra.returncode == 2
    assert without_extra.stdout == ""
    assert without_extra.stderr.count("\n") == 1
    assert "pip install 'derive[worksheets]'" in without_extra.stderr
    assert "voila" in without_extra.stderr


def test_the_wheel_carries_katex_and_uses_it_without_node(core: Install) -> None:
    assert shutil.which("node", path=core.env["PATH"]) == str(
        Path(core.env["PATH"].split(os.pathsep)[0]) / "node"
    )
    where = subprocess.run(
        [str(core.python), "-c", "from derive.book import katex; print(katex.katex_dir())"],
        cwd=core.work,
        env=core.env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout.strip()
    assert Path(where).is_relative_to(core.python.parent.parent)
    assert where.endswith(os.path.join("derive", "book", "vendor", "katex"))
    assert json.loads((Path(where) / "package.json").read_text())["version"] == katex.version()


def test_commands_run_from_anywhere(core: Install) -> None:
    version = core.run("--version")
    assert (version.returncode, version.stdout) == (0, f"derive {derive.__version__}\n")

    listed = core.run("list", "--json")
    assert listed.returncode == 0, listed.stderr
    assert sorted(row["id"] for row in json.loads(listed.stdout)) == sorted(ids())

    shown = core.run("show", "inverse-2x2")
    assert shown.returncode == 0, shown.stderr
    assert "Inverse of a 2×2 matrix" in shown.stdout

    verified = core.run("verify", "inverse-2x2")
    assert verified.returncode == 0, verified.stdout + verified.stderr

    checked = core.run("check", "(x+1)^2", "x^2 + 2*x + 1")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "✓ proven" in checked.stdout

    require_tool("pdflatex")
    sheet = core.run("sheet", "--topic", "linear-algebra", "--seed", "7", "--out", "sheet.pdf")
    assert sheet.returncode == 0, sheet.stderr
    assert (core.work / "sheet.pdf").read_bytes().startswith(b"%PDF")
    assert not core.node_calls.exists()


def test_the_book_builds_every_page_with_every_formula(
    core: Install, clone_book: build.Site
) -> None:
    made = core.run("book", "--out", "book", "--no-verify")
    assert made.returncode == 0, made.stderr
    wrote = re.search(r"wrote (\d+) pages, \d+ plots, (\d+) formulas", made.stderr)
    assert wrote is not None, made.stderr
    assert int(wrote[2]) == clone_book.formulas > 1000
    site = core.work / "book"
    pages = sorted(p.name for p in site.glob("*.html"))
    assert pages == sorted(p.name for p in clone_book.pages)
    assert int(wrote[1]) == len(pages)
    typeset = 0
    for page in pages:
        text = (site / page).read_text(encoding="utf-8")
        assert "katex-error" not in text, page
        assert "\x00" not in text, page  # every formula's placeholder was filled
        typeset += text.count('class="katex"')
    assert typeset >= clone_book.formulas
    assert (site / "assets" / "katex" / "fonts" / "KaTeX_Main-Regular.woff2").is_file()
    assert not core.node_calls.exists()


@contextlib.contextmanager
def _server(install: Install, port: int, log: Path) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(install.python.parent / "derive"), "worksheets", "--port", str(port)],
            cwd=install.work,
            env=install.env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: its kernels stop with it
        )
    try:
        yield process
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def test_the_worksheets_are_served_from_anywhere(full: Install) -> None:
    port = free_port()
    log = full.work.parent / "voila.log"
    url = f"http://127.0.0.1:{port}/voila/render/linear_algebra.ipynb"
    status, body = 0, ""
    with _server(full, port, log) as process:
        deadline = time.monotonic() + 60
        for _ in range(120):  # at most 120 requests, for at most a minute
            if process.poll() is not None or time.monotonic() > deadline:
                break
            try:
                with urllib.request.urlopen(url, timeout=30) as response:
                    status, body = response.status, response.read().decode()
                break
            except urllib.error.HTTPError as error:  # the server answered: no retry
                status = error.code
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.5)
    assert status == 200, log.read_text(errors="replace")
    assert "Linear algebra" in body
    assert not full.node_calls.exists()
