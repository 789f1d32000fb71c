"""The CLI's public interface: formats, exit statuses, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from derive.catalog import ids
from derive.commands.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_list_json_has_id_title_topic(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "list", "--json")
    rows = json.loads(out)
    assert status == 0
    assert [r["id"] for r in rows] == list(ids())
    assert all({"id", "title", "topic"} <= set(r) for r in rows)


def test_list_topic_filters(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "list", "--topic", "linear-algebra", "--json")
    assert status == 0
    assert {r["topic"] for r in json.loads(out)} == {"linear-algebra"}


@pytest.mark.parametrize("identifier", list(ids()))
def test_show_json_has_the_public_fields(
    capsys: pytest.CaptureFixture[str], identifier: str
) -> None:
    status, out, _ = run(capsys, "show", identifier, "--format", "json")
    data = json.loads(out)
    assert status == 0
    for key in (
        "id",
        "title",
        "topic",
        "steps",
        "result_latex",
        "intuition",
        "interview",
        "mistakes",
        "reference",
    ):
        assert data[key], key
    assert all({"latex", "why"} <= set(s) for s in data["steps"])
    assert set(data["interview"]) == {"question", "answer"}
    assert all({"wrong_latex", "explanation"} <= set(m) for m in data["mistakes"])


@pytest.mark.parametrize("fmt", ["text", "markdown", "latex"])
def test_show_formats(capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    status, out, _ = run(capsys, "show", "inverse-2x2", "--format", fmt)
    assert status == 0
    assert "2×2" in out or r"2\ensuremath{\times}2" in out


def test_verify_json_shape_and_status(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "verify", "inverse-2x2", "--json", "--jobs", "1")
    data = json.loads(out)
    assert status == 0
    assert data["passed"] == 1
    assert data["failed"] == 0
    (result,) = data["results"]
    assert result["id"] == "inverse-2x2"
    assert result["passed"] is True
    assert all({"name", "passed", "detail"} <= set(c) for c in result["checks"])


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["show", "inverse-2x3"], "did you mean 'inverse-2x2'"),
        (["verify", "no-such-thing"], "unknown derivation 'no-such-thing'"),
        (["show", "inverse-2x2", "--format", "pdf"], "invalid choice: 'pdf'"),
        (["list", "--topic", "geometry"], "invalid choice: 'geometry'"),
        (["list", "--bogus"], "unrecognized arguments: --bogus"),
        (["frobnicate"], "invalid choice: 'frobnicate'"),
        (["verify", "--jobs", "many"], "invalid int value: 'many'"),
        (["verify", "--jobs", "-3"], "--jobs must be at least 0"),
        ([], "required: COMMAND"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], expected: str
) -> None:
    status, out, err = run(capsys, *argv)
    assert status == 2
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith("derive: error: ")
    assert expected in err


def test_installed_command_prints_no_traceback() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "derive.commands.cli", "show", "nope"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.count("\n") == 1


def test_help_does_not_import_sympy() -> None:
    code = (
        "import sys; from derive.commands.cli import build_parser; build_parser(); "
        "print('sympy' in sys.modules)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == "False"
