"""Fixtures: the generated class written to files, and graded once per way of grading."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from derive.commands.cli import main
from tests.grading.classroom import Planted, generate, write


@pytest.fixture(scope="session")
def planted() -> list[Planted]:
    return generate()


@pytest.fixture(scope="session")
def class_files(
    planted: list[Planted], tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, Path]:
    return write(planted, tmp_path_factory.mktemp("class"))


def grade(files: tuple[Path, Path], out: Path, *options: str) -> dict[str, Any]:
    """Grade the class with ``derive grade`` and return the gradebook's JSON."""
    submissions, key = files
    status = main(["grade", str(submissions), "--key", str(key), "--out", str(out), *options])
    assert status == 0
    return dict(json.loads((out / "gradebook.json").read_text()))


@pytest.fixture(scope="session")
def graded_one(class_files: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("jobs1")
    grade(class_files, out, "--jobs", "1")
    return out
