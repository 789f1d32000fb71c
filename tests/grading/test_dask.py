"""``derive grade --dask``: the same gradebook from a two-worker LocalCluster; and without
the flag nothing of Dask is imported. (dask.distributed comes with ``derive[dev]``, through
``derive[grade]``: without it these tests fail, as they should.)"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import distributed
import pytest

from tests.grading.classroom import Planted, write
from tests.grading.conftest import grade


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address="127.0.0.1:0"
    ) as cluster:
        yield cluster.scheduler_address


def test_a_local_cluster_gives_the_same_gradebook(
    scheduler: str, class_files: tuple[Path, Path], graded_one: Path, tmp_path: Path
) -> None:
    out = tmp_path / "dask"
    book = grade(class_files, out, "--dask", scheduler)
    assert book == json.loads((graded_one / "gradebook.json").read_text())
    assert (out / "report.html").read_text() == (graded_one / "report.html").read_text()


def test_a_rerun_on_the_cluster_grades_only_the_missing(
    scheduler: str, planted: list[Planted], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from derive.commands.cli import main

    first, _ = write(planted[:12], tmp_path / "prefix")
    whole, key = write(planted[:30], tmp_path / "whole")
    common = ["--key", str(key), "--out", str(tmp_path / "out"), "--no-catalog"]
    assert main(["grade", str(first), *common, "--dask", scheduler]) == 0
    assert main(["grade", str(whole), *common, "--dask", scheduler]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last.startswith("graded 18 submissions (12 already graded)")


def test_an_unreachable_scheduler_is_one_line(
    tmp_path: Path, planted: list[Planted], capsys: pytest.CaptureFixture[str]
) -> None:
    from derive.commands.cli import main

    submissions, key = write(planted[:2], tmp_path)
    argv = ["grade", str(submissions), "--key", str(key), "--out", str(tmp_path / "out")]
    assert main([*argv, "--dask", "tcp://127.0.0.1:9", "--no-catalog"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "cannot reach the scheduler" in err


def test_without_dask_flag_nothing_of_dask_is_imported(
    planted: list[Planted], tmp_path: Path
) -> None:
    submissions, key = write(planted[:4], tmp_path)
    program = (
        "import sys\n"
        "from derive.commands.cli import main\n"
        f"status = main(['grade', {str(submissions)!r}, '--key', {str(key)!r}, '--out', "
        f"{str(tmp_path / 'out')!r}, '--jobs', '2', '--no-catalog'])\n"
        "print(status, sorted(m for m in sys.modules if m.split('.')[0] in "
        "('dask', 'distributed')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, timeout=300, check=False
    )
    assert done.stdout.strip().splitlines()[-1] == "0 []", done.stderr
