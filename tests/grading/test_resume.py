"""Resuming: a run killed after some results, or one that graded a prefix, is followed by a
rerun that grades exactly the submissions that are missing."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from derive.commands.cli import main
from tests.grading.classroom import Planted, write


def _graded(out: Path) -> list[dict[str, object]]:
    path = out / "graded.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.endswith("}")]


def _summary(capsys: pytest.CaptureFixture[str]) -> str:
    out = capsys.readouterr().out.strip().splitlines()
    return out[-1]


def test_a_killed_run_then_a_rerun_grades_only_the_missing(
    class_files: tuple[Path, Path],
    planted: list[Planted],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    submissions, key = class_files
    out = tmp_path / "out"
    argv = [sys.executable, "-m", "derive.commands.cli", "grade", str(submissions)]
    argv += ["--key", str(key), "--out", str(out), "--no-catalog"]
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while len(_graded(out)) < 20 and time.monotonic() < deadline:
            assert process.poll() is None, "the run ended before it could be interrupted"
            time.sleep(0.02)
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
    before = (out / "graded.jsonl").read_bytes()
    kept = len(_graded(out))
    assert 20 <= kept < len(planted)
    assert (
        main(["grade", str(submissions), "--key", str(key), "--out", str(out), "--no-catalog"]) == 0
    )
    missing = len(planted) - kept
    assert _summary(capsys).startswith(f"graded {missing} submissions ({kept} already graded)")
    after = _graded(out)
    assert len(after) == len(planted)
    assert len({r["digest"] for r in after}) == len(planted)
    assert (out / "graded.jsonl").read_bytes().startswith(before.rsplit(b"\n", 1)[0])


def test_grading_a_prefix_then_the_whole_class_grades_the_rest(
    planted: list[Planted], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, _ = write(planted[:40], tmp_path / "prefix")
    whole, key = write(planted, tmp_path / "whole")
    out = tmp_path / "out"
    common = ["--key", str(key), "--out", str(out), "--no-catalog"]
    assert main(["grade", str(first), *common]) == 0
    assert _summary(capsys).startswith("graded 40 submissions (0 already graded)")
    assert main(["grade", str(whole), *common]) == 0
    rest = len(planted) - 40
    assert _summary(capsys).startswith(f"graded {rest} submissions (40 already graded)")
    assert main(["grade", str(whole), *common]) == 0
    assert _summary(capsys).startswith(f"graded 0 submissions ({len(planted)} already graded)")
    book = json.loads((out / "gradebook.json").read_text())
    assert len(book["rows"]) == len(planted)


def test_a_changed_key_grades_that_exercise_again(
    planted: list[Planted], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    chosen = [p for p in planted if p.exercise.id == "gaussian-derivative"][:6]
    chosen += [p for p in planted if p.exercise.id == "chain-rule"][:4]
    submissions, key = write(chosen, tmp_path)
    out = tmp_path / "out"
    common = ["--key", str(key), "--out", str(out), "--no-catalog"]
    assert main(["grade", str(submissions), *common]) == 0
    lines = key.read_text().splitlines()
    changed = [
        json.dumps({**json.loads(line), "answer": "x*exp(-x^2/2)"})
        if "gaussian" in line else line
        for line in lines
    ]  # fmt: skip
    key.write_text("\n".join(changed) + "\n")
    capsys.readouterr()
    assert main(["grade", str(submissions), *common]) == 0
    assert _summary(capsys).startswith("graded 6 submissions (4 already graded)")


def test_a_submission_the_checker_failed_on_is_graded_again(
    planted: list[Planted], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    submissions, key = write(planted[:5], tmp_path)
    out = tmp_path / "out"
    common = ["--key", str(key), "--out", str(out), "--no-catalog"]
    assert main(["grade", str(submissions), *common]) == 0
    records = _graded(out)
    records[2] = {**records[2], "error": "internal error: no answer within 35 s", "pairs": []}
    (out / "graded.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    capsys.readouterr()
    assert main(["grade", str(submissions), *common]) == 0
    assert _summary(capsys).startswith("graded 1 submission (4 already graded)")
    assert len(_graded(out)) == 6  # the failed record stays; the new one replaces it
    assert "internal error" not in (out / "gradebook.json").read_text()
