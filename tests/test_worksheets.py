"""The worksheet notebooks: each executes top to bottom in a fresh kernel of this venv.

Also the ``derive worksheets`` command line (the Voila invocation) and its user errors.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

from derive.commands.cli import main
from derive.commands.worksheets import NOTEBOOKS as PACKAGED
from derive.commands.worksheets import TEMPLATES, command

os.environ.setdefault("JUPYTER_PLATFORM_DIRS", "1")  # jupyter_core's path migration warning

import nbformat
from nbclient import NotebookClient

WORKSHEETS = PACKAGED  # the notebooks ship inside the package
NOTEBOOKS = sorted(WORKSHEETS.glob("*.ipynb"))
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def test_every_topic_has_a_worksheet() -> None:
    names = {p.stem for p in NOTEBOOKS}
    assert names == {"linear_algebra", "probability", "calculus", "check_working", "practice"}


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_executes_and_shows_widgets(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": WORKSHEETS}},
    ).execute()
    calls = [c for c in notebook.cells if c.cell_type == "code" and "(" in c.source]
    shown = [c for c in calls if any(WIDGET_VIEW in o.get("data", {}) for o in c.outputs)]
    assert len(shown) == len(calls) >= 1  # every builder displayed a widget


def test_worksheets_command_serves_locally_with_the_offline_template() -> None:
    argv, env = command(["--port", "9123", "--dir", str(WORKSHEETS)])
    assert argv[1:4] == ["-m", "voila", str(WORKSHEETS)]
    assert {"--port=9123", "--Voila.ip=127.0.0.1", "--template=derive", "--no-browser"} <= set(argv)
    assert env["JUPYTER_PATH"].split(os.pathsep)[0] == str(TEMPLATES)
    template = TEMPLATES / "voila" / "templates" / "derive" / "index.html.j2"
    assert "cdn.jsdelivr.net" in template.read_text()  # the links it removes, named exactly


@pytest.mark.parametrize(
    ("argv", "complaint"),
    [
        (["--dir", "/no/such/folder"], "--dir /no/such/folder: no such folder"),
        (["--port", "0"], "--port 0: not a port number"),
        (["--port", "x"], "invalid int value: 'x'"),
    ],
)
def test_worksheets_command_user_errors_are_one_line(
    capsys: pytest.CaptureFixture[str], argv: list[str], complaint: str
) -> None:
    status = main(["worksheets", "--dir", str(WORKSHEETS), *argv])
    err = capsys.readouterr().err
    assert status == 2
    assert complaint in err
    assert err.count("\n") == 1


def test_a_missing_extra_is_named_in_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    found = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "voila" else found(name, *a)
    )
    assert main(["worksheets"]) == 2  # the default folder: the notebooks in the package
    err = capsys.readouterr().err
    assert err == (
        "derive: error: the worksheets need voila: install the extra with "
        "`pip install 'derive[worksheets]'`\n"
    )


def test_the_default_folder_is_the_packaged_notebooks() -> None:
    argv, _ = command([])
    assert argv[3] == str(WORKSHEETS)
    assert WORKSHEETS.is_relative_to(Path(__file__).resolve().parents[1] / "derive")
