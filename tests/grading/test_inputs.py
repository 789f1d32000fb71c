"""Bad input to ``derive grade`` is one line naming the file and the line, never a
traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from derive.commands.cli import main

GOOD = '{"student": "ada", "exercise": "sq", "steps": ["(a+b)^2", "a^2+2*a*b+b^2"]}'
KEY = '{"exercise": "sq", "answer": "a^2 + 2*a*b + b^2"}'

SUBMISSIONS = [
    ("not json", "class.jsonl:2: not JSON (Expecting value, column 1)"),
    ('["a"]', "class.jsonl:2: a submission must be a JSON object"),
    ('{"student": "bo", "exercise": "sq"}', "class.jsonl:2: a submission needs 'steps'"),
    (
        '{"student": "bo", "exercise": "sq", "steps": "x"}',
        "class.jsonl:2: 'steps' must be a non-empty list of strings",
    ),
    (
        '{"student": "bo", "exercise": "sq", "steps": ["x"], "grade": 1}',
        "class.jsonl:2: unknown field 'grade'",
    ),
    (
        '{"student": true, "exercise": "sq", "steps": ["x"]}',
        "class.jsonl:2: 'student' must be a string (or an integer)",
    ),
    (
        '{"student": "bo", "exercise": "sqq", "steps": ["x"]}',
        "class.jsonl:2: exercise 'sqq' is not in the key (did you mean 'sq'?)",
    ),
]

KEYS = [
    ('{"exercise": "sq", "answr": "1"}', "key.jsonl:1: unknown field 'answr'"),
    ('{"exercise": "sq", "given": {"x": 3}}', "key.jsonl:1: 'given' must map names to kinds"),
    (f"{KEY}\n{KEY}", "key.jsonl:2: exercise 'sq' is already in the key"),
    ("{", "key.jsonl:1: not JSON"),
]


def _run(tmp_path: Path, submissions: str, key: str, *options: str) -> int:
    (tmp_path / "class.jsonl").write_text(submissions + "\n")
    (tmp_path / "key.jsonl").write_text(key + "\n")
    argv = ["grade", str(tmp_path / "class.jsonl"), "--key", str(tmp_path / "key.jsonl")]
    return main([*argv, "--out", str(tmp_path / "out"), "--no-catalog", *options])


@pytest.mark.parametrize(("line", "message"), SUBMISSIONS)
def test_a_bad_submission_line_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], line: str, message: str
) -> None:
    assert _run(tmp_path, f"{GOOD}\n{line}", KEY) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert f"derive: error: {tmp_path / message}" in err or message in err
    assert str(tmp_path / "class.jsonl") in err
    assert not (tmp_path / "out").exists()  # nothing is graded before the input is read


@pytest.mark.parametrize(("text", "message"), KEYS)
def test_a_bad_key_line_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, message: str
) -> None:
    assert _run(tmp_path, GOOD, text) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert message in err


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (("--jobs", "0"), "--jobs must be between 1 and 256"),
        (("--budget", "-1"), "--budget must be between 0 and 600"),
        (("--jobs", "2", "--dask", "tcp://127.0.0.1:1"), "--jobs and --dask do not go together"),
    ],
)
def test_bad_options_are_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], options: tuple[str, ...], message: str
) -> None:
    assert _run(tmp_path, GOOD, KEY, *options) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert message in err


def test_a_missing_file_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["grade", str(tmp_path / "nope.jsonl"), "--out", str(tmp_path)]) == 2
    assert "cannot read" in capsys.readouterr().err
