"""Bad options: one line on stderr, exit status 2, no file written, no traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from derive.commands.cli import main


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    status = main(argv)
    err = capsys.readouterr().err
    return status, err


@pytest.fixture
def exercises(tmp_path: Path) -> Path:
    path = tmp_path / "exercises.jsonl"
    path.write_text(json.dumps({"exercise": "sq", "answer": "a^2"}) + "\n")
    return path


@pytest.mark.parametrize(
    ("argv", "wanted"),
    [
        (["moodle", "inverse-2x3", "--out", "{tmp}/q.xml"], "unknown derivation 'inverse-2x3'"),
        (["qti", "no-such-id", "--out", "{tmp}/q.zip"], "unknown derivation 'no-such-id'"),
        (["moodle", "dot-product", "--count", "0", "--out", "{tmp}/q.xml"], "--count must be"),
        (["qti", "dot-product", "--count", "-3", "--out", "{tmp}/q.zip"], "--count must be"),
        (["moodle", "dot-product", "--seed", "-1", "--out", "{tmp}/q.xml"], "--seed must be"),
        (["moodle", "dot-product", "--out", "{tmp}/q.zip"], "must name a .xml file"),
        (["qti", "dot-product", "--out", "{tmp}/q.xml"], "must name a .zip file"),
        (["moodle", "dot-product", "--out", "{tmp}/file.txt/q.xml"], "cannot write"),
        (["qti", "dot-product", "--out", "{tmp}"], "must name a .zip file"),
        (["moodle", "dot-product", "--out", "{tmp}/dir.xml"], "it is a folder"),
        (
            ["moodle", "dot-product", "--topic", "linear-algebra", "--out", "{tmp}/q.xml"],
            "not both",
        ),
        (["gradescope", "--exercises", "{tmp}/none.jsonl", "--out", "{tmp}/a.zip"], "cannot read"),
        (["gradescope", "--exercises", "{tmp}/bad.jsonl", "--out", "{tmp}/a.zip"], "bad.jsonl:2:"),
        (["gradescope", "--exercises", "{ex}", "--out", "{tmp}/file.txt/a.zip"], "cannot write"),
        (
            ["gradescope", "--exercises", "{ex}", "--out", "{tmp}/a.zip", "--budget", "0"],
            "--budget",
        ),
        (["nowhere", "--out", "{tmp}/q.xml"], "invalid choice"),
    ],
)
def test_bad_options(
    argv: list[str],
    wanted: str,
    tmp_path: Path,
    exercises: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    (tmp_path / "file.txt").write_text("a file, not a folder")
    (tmp_path / "dir.xml").mkdir()
    (tmp_path / "bad.jsonl").write_text('{"exercise": "a"}\n{"exercise": "b", "points": 0}\n')
    before = sorted(p.name for p in tmp_path.iterdir())
    args = [a.format(tmp=tmp_path, ex=exercises) for a in argv]
    status, err = _run(["export", *args], capsys)
    assert status == 2
    assert err.count("\n") == 1, err
    assert err.startswith("derive: error: ")
    assert wanted in err
    assert "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == before
