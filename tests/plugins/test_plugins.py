"""The example plug-in catalog (examples/plugin, installed by `make setup`) as a user sees it:
in `derive list`, `derive verify`, `derive show`, the book, a sheet and the checker's mistake
index; and plugins that fail to load, clash or fail to build, each reported in one line while
the rest works.

The suite runs with ``DERIVE_DISABLE_PLUGINS=1`` (the root conftest); these tests run derive in
a subprocess without it. Broken plugins are real entry points: a ``*.dist-info`` folder put on
``PYTHONPATH``, which ``importlib.metadata`` finds as it finds an installed package.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from derive.catalog import BUILTIN
from derive.catalog.plugins import DISABLE, GROUP, load
from tests.tools import missing, require_tool

PLUGIN_IDS = ["tanh-derivative", "softplus-derivative"]
TIMEOUT = 600  # seconds, per command: a bound for a loaded shared machine, not a measure


@pytest.fixture(scope="module", autouse=True)
def installed() -> None:
    try:
        importlib.metadata.distribution("derive-activations")
    except importlib.metadata.PackageNotFoundError:
        missing("examples/plugin is not installed (run `make setup`)")


def run(
    *args: str, cwd: Path, stdin: str | None = None, path: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """``derive ARGS`` with plugins enabled (and ``path`` on PYTHONPATH)."""
    env = {k: v for k, v in os.environ.items() if k != DISABLE}
    if path is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(path), env.get("PYTHONPATH")]))
    return subprocess.run(
        [sys.executable, "-m", "derive", *args],
        cwd=cwd,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )


def test_list_shows_the_plugin_after_the_builtin_catalog(tmp_path: Path) -> None:
    done = run("list", "--json", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (0, "")
    rows = json.loads(done.stdout)
    assert [r["id"] for r in rows] == [*BUILTIN, *PLUGIN_IDS]
    assert {r["id"]: (r["topic"], r["title"]) for r in rows[-2:]} == {
        "tanh-derivative": ("calculus-optimization", "The derivative of tanh"),
        "softplus-derivative": ("calculus-optimization", "The derivative of softplus"),
    }


def test_the_plugin_formulas_are_right_by_finite_differences() -> None:
    """The independent ground for the verdicts expected below: both results agree with
    central differences of NumPy's tanh and log1p(exp) at seeded points, and the recorded
    mistakes do not."""
    x = np.random.default_rng(16).uniform(-4, 4, 50)
    h = 1e-5
    tanh_slope = (np.tanh(x + h) - np.tanh(x - h)) / (2 * h)
    softplus_slope = (np.log1p(np.exp(x + h)) - np.log1p(np.exp(x - h))) / (2 * h)
    assert np.allclose(tanh_slope, 1 - np.tanh(x) ** 2, rtol=1e-7)
    assert np.allclose(softplus_slope, 1 / (1 + np.exp(-x)), rtol=1e-7)
    assert not np.allclose(tanh_slope, 1 + np.tanh(x) ** 2)
    assert not np.allclose(softplus_slope, 1 / (1 + np.exp(x)))


def test_verify_passes_both_and_notes_the_missing_twin(tmp_path: Path) -> None:
    done = run("verify", *PLUGIN_IDS, "--json", "--no-cache", "--jobs", "1", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (0, "")
    reports = {r["id"]: r for r in json.loads(done.stdout)["results"]}
    assert all(reports[i]["passed"] for i in PLUGIN_IDS)
    tanh = reports["tanh-derivative"]["checks"]
    assert sum(c["name"].startswith("twin tanh'") and c["passed"] for c in tanh) == 2
    assert not [c for c in tanh if c["status"] == "note"]
    notes = [c for c in reports["softplus-derivative"]["checks"] if c["status"] == "note"]
    assert [c["detail"].split(":")[0] for c in notes] == ["no numeric twin"]
    mistakes = [c for c in reports["softplus-derivative"]["checks"] if "mistake" in c["name"]]
    assert len(mistakes) == 2
    assert all(c["detail"].startswith("refuted") for c in mistakes)


def test_show_prints_a_plugin_derivation(tmp_path: Path) -> None:
    done = run("show", "softplus-derivative", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("The derivative of softplus")
    assert "no numeric twin" in done.stdout


def test_book_has_a_page_per_plugin_derivation(tmp_path: Path) -> None:
    done = run("book", "--out", "book", *PLUGIN_IDS, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    index = (tmp_path / "book" / "index.html").read_text(encoding="utf-8")
    for identifier, title in zip(PLUGIN_IDS, ["tanh", "softplus"], strict=True):
        page = (tmp_path / "book" / f"{identifier}.html").read_text(encoding="utf-8")
        assert f"The derivative of {title}" in page
        assert "checks passed" in page
        assert "FAILED" not in page
        assert f'href="{identifier}.html"' in index
    assert "no numeric twin" in (tmp_path / "book" / "softplus-derivative.html").read_text(
        encoding="utf-8"
    )


def test_sheet_asks_both_and_computes_the_one_with_a_twin(tmp_path: Path) -> None:
    require_tool("pdflatex")
    pdftotext = require_tool("pdftotext")
    done = run(
        "sheet", "--topic", "calculus-optimization", "--answers", "--out", "s.pdf", cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    text = subprocess.run(
        [pdftotext, "-layout", str(tmp_path / "s.pdf"), "-"],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=True,
    ).stdout
    questions, answers = text.split("Answer key")
    tanh = questions.split("The derivative of tanh")[1].split("The derivative of softplus")[0]
    softplus = questions.split("The derivative of softplus")[1]
    assert "What is the derivative of tanh" in tanh
    assert "(b)" in tanh
    assert "What is the derivative of softplus" in softplus
    assert "(b)" not in softplus
    assert "confirmed by numpy.cosh" in answers


def test_the_checker_names_a_plugin_mistake(tmp_path: Path) -> None:
    request = {
        "steps": ["diff(tanh(x), x)", "tanh(x)*(1 - tanh(x))"],
        "against": "tanh-derivative",
    }
    done = run("check", "--json", cwd=tmp_path, stdin=json.dumps(request))
    assert done.returncode == 1, done.stderr
    pair = json.loads(done.stdout)["pairs"][0]
    assert pair["verdict"] == "refuted"
    assert pair["diagnosis"].startswith("a common mistake, the sigmoid's pattern (tanh-derivative)")


def _dist(root: Path, name: str, points: dict[str, str], modules: dict[str, str]) -> Path:
    """An installed-looking distribution under ``root``: its entry points and modules."""
    info = root / f"{name}-0.1.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 0.1\n")
    lines = "".join(f"{k} = {v}\n" for k, v in points.items())
    (info / "entry_points.txt").write_text(f"[{GROUP}]\n{lines}")
    for module, source in modules.items():
        (root / f"{module}.py").write_text(source, encoding="utf-8")
    return root


CLASH = """from derive import Entry, Topic
ENTRY = Entry(id="inverse-2x2", topic=Topic.LINEAR_ALGEBRA, title="Mine")
"""
FAILS_TO_BUILD = """from derive import Entry, Topic
ENTRY = Entry(id="fails-to-build", topic=Topic.LINEAR_ALGEBRA, title="Fails")


def build():
    raise RuntimeError("no steps yet")
"""


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    return _dist(
        tmp_path / "site",
        "broken_plugins",
        {
            "raises": "broken_raises:MODULES",
            "missing": "no_such_module_anywhere:MODULES",
            "clashes": "broken_clash_list:MODULES",
            "builds-badly": "broken_build_list:MODULES",
        },
        {
            "broken_raises": 'raise ImportError("cannot find the weights file")\n',
            "broken_clash_list": 'MODULES = ("broken_clash",)\n',
            "broken_clash": CLASH,
            "broken_build_list": 'MODULES = ("broken_build",)\n',
            "broken_build": FAILS_TO_BUILD,
        },
    )


def test_broken_plugins_are_one_line_each_and_the_rest_works(tmp_path: Path, broken: Path) -> None:
    done = run("list", "--json", cwd=tmp_path, path=broken)
    assert done.returncode == 0
    ids = [r["id"] for r in json.loads(done.stdout)]
    assert ids[: len(BUILTIN)] == list(BUILTIN)  # plug-ins follow, in entry-point order
    assert sorted(ids[len(BUILTIN) :]) == sorted([*PLUGIN_IDS, "fails-to-build"])
    lines = done.stderr.splitlines()
    assert len(lines) == 3, done.stderr
    by_plugin = {line.split("'")[1]: line for line in lines}
    assert set(by_plugin) == {"raises", "missing", "clashes"}
    assert "ImportError: cannot find the weights file" in by_plugin["raises"]
    assert "ModuleNotFoundError" in by_plugin["missing"]
    clash = by_plugin["clashes"]
    assert "broken_clash" in clash
    assert "derive.catalog.linear_algebra.inverse_2x2" in clash


def test_a_plugin_entry_that_fails_to_build_is_one_line_exit_2(
    tmp_path: Path, broken: Path
) -> None:
    done = run("show", "fails-to-build", cwd=tmp_path, path=broken)
    assert done.returncode == 2
    error = [line for line in done.stderr.splitlines() if "fails-to-build" in line]
    assert error == [
        "derive: error: plug-in entry 'fails-to-build' (broken_build) cannot be built: "
        "RuntimeError: no steps yet"
    ]
    assert "Traceback" not in done.stderr
    shown = run("show", "tanh-derivative", cwd=tmp_path, path=broken)
    assert shown.returncode == 0
    assert shown.stdout.startswith("The derivative of tanh")


class _Point:
    """An entry point whose ``load`` raises, as a monkeypatched entry_points list holds."""

    name, value = "exploding", "exploding:MODULES"

    def load(self) -> object:
        raise ZeroDivisionError("division by zero\nin the plugin's __init__")


def test_load_reports_an_entry_point_that_raises_in_one_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = list(importlib.metadata.entry_points(group=GROUP))
    monkeypatch.setattr(importlib.metadata, "entry_points", lambda group: [_Point(), *real])
    monkeypatch.delenv(DISABLE)
    loaded = load(BUILTIN)
    assert loaded.problems == (
        "plugin 'exploding' (exploding:MODULES) was not loaded: "
        "ZeroDivisionError: division by zero in the plugin's __init__",
    )
    assert [e.id for e in loaded.entries] == PLUGIN_IDS
    assert all(not e.builtin and e.module.startswith("derive_activations.") for e in loaded.entries)


def test_disabled_plugins_load_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DISABLE, "1")
    assert load(BUILTIN).entries == ()


def test_the_mistake_index_skips_a_plugin_entry_that_fails_to_build(
    tmp_path: Path, broken: Path
) -> None:
    """The checker looks through every entry's recorded mistakes: one that cannot be built is
    reported (once) and skipped, and the search goes on to the next entry."""
    script = (
        "from derive.catalog import problems\n"
        "from derive.checker.catalog import candidates\n"
        "found = next(candidates({'x'}, first='fails-to-build'))\n"
        "print(found.derivation.id != 'fails-to-build')\n"
        "print(*[p for p in problems() if 'fails-to-build' in p], sep='\\n')\n"
    )
    env = {k: v for k, v in os.environ.items() if k != DISABLE}
    env["PYTHONPATH"] = str(broken)
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "True",
        "plug-in entry 'fails-to-build' (broken_build) cannot be built: RuntimeError: no steps yet",
    ]


def test_verify_reports_a_plugin_entry_that_fails_to_build_and_verifies_the_rest(
    tmp_path: Path, broken: Path
) -> None:
    done = run("verify", "tanh-derivative", "fails-to-build", "--json", cwd=tmp_path, path=broken)
    assert done.returncode == 1, done.stderr
    reports = {r["id"]: r for r in json.loads(done.stdout)["results"]}
    assert reports["tanh-derivative"]["passed"]
    assert reports["fails-to-build"]["checks"] == [
        {
            "name": "the entry builds",
            "passed": False,
            "detail": "plug-in entry 'fails-to-build' (broken_build) cannot be built: "
            "RuntimeError: no steps yet",
            "status": "failed",
        }
    ]


def test_the_whole_catalog_book_leaves_out_an_entry_that_fails_to_build(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`derive book` with no ids: the other entries are built, the broken one named once."""
    import dataclasses

    import derive.catalog
    from derive.catalog.plugins import PluginError
    from derive.commands.book import buildable

    first, second = list(BUILTIN)[:2]
    plugin = dataclasses.replace(BUILTIN[second], source="broken")  # a plug-in module
    monkeypatch.setattr(derive.catalog, "CATALOG", {first: BUILTIN[first], second: plugin})

    def get(identifier: str) -> object:
        raise PluginError(f"plug-in entry '{identifier}' (broken) cannot be built: no steps")

    monkeypatch.setattr(derive.catalog, "get", get)
    assert buildable([first, second]) == [first]
    assert capsys.readouterr().err.splitlines() == [
        f"derive: plug-in entry '{second}' (broken) cannot be built: no steps; left out of the book"
    ]
