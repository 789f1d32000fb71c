"""The Gradescope autograder, run as Gradescope runs it: the bundle unpacked into
``ROOT/source``, ``run_autograder`` copied to ``ROOT``, the student's file in
``ROOT/submission``, and ``ROOT/results/results.json`` read back — for a correct, a partly
wrong and an unreadable submission. The expected scores come from a float evaluation of the
same steps written here in Python, independently of the checker.
"""

from __future__ import annotations

import itertools
import json
import math
import os
import random
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from derive.commands.cli import main

EXERCISES = [
    {"exercise": "expand", "answer": "a^2 + 2*a*b + b^2", "points": 2, "question": "Expand."},
    {"exercise": "sigmoid", "given": {"z": "scalar"}, "answer": "sigmoid(z)*(1 - sigmoid(z))"},
    {"exercise": "det", "answer": "-2", "question": "det of [[1, 2], [3, 4]]"},
]
POINTS = {"expand": 2.0, "sigmoid": 1.0, "det": 1.0}


def sig(z: float) -> float:
    return 1 / (1 + math.exp(-z))


# Each exercise's steps as (text the student writes, the same step in Python); the key's
# answer is the last row of each list, as the autograder appends it.
Step = tuple[str, Callable[[float, float, float], float]]
ANSWERS: dict[str, Step] = {
    "expand": ("a^2 + 2*a*b + b^2", lambda a, b, z: a**2 + 2 * a * b + b**2),
    "sigmoid": ("", lambda a, b, z: sig(z) * (1 - sig(z))),
    "det": ("", lambda a, b, z: -2.0),
}
CORRECT: dict[str, list[Step]] = {
    "expand": [
        ("(a + b)^2", lambda a, b, z: (a + b) ** 2),
        ("= (a + b)(a + b)", lambda a, b, z: (a + b) * (a + b)),
        ("= a^2 + 2a b + b^2", lambda a, b, z: a**2 + 2 * a * b + b**2),
    ],
    "sigmoid": [
        ("diff(sigmoid(z), z)", lambda a, b, z: math.exp(-z) / (1 + math.exp(-z)) ** 2),
        ("= exp(-z)/(1 + exp(-z))^2", lambda a, b, z: math.exp(-z) / (1 + math.exp(-z)) ** 2),
        ("= sigmoid(z)(1 - sigmoid(z))", lambda a, b, z: sig(z) * (1 - sig(z))),
    ],
    "det": [
        ("det([[1, 2], [3, 4]])", lambda a, b, z: 1 * 4 - 2 * 3),
        ("= 1*4 - 2*3", lambda a, b, z: 1 * 4 - 2 * 3),
        ("= -2", lambda a, b, z: -2.0),
    ],
}
PARTLY: dict[str, list[Step]] = {
    "expand": [
        ("(a + b)^2", lambda a, b, z: (a + b) ** 2),
        ("= (a + b)(a + b)", lambda a, b, z: (a + b) * (a + b)),
        ("= a^2 + a b + b^2", lambda a, b, z: a**2 + a * b + b**2),  # a term lost
    ],
    "sigmoid": CORRECT["sigmoid"],
    # det: no heading at all
}


def expected_fraction(steps: list[Step], answer: Step) -> float:
    """The fraction of consecutive steps (the answer appended) equal at random points."""
    rng = random.Random(20)
    points = [(rng.uniform(-3, 3), rng.uniform(-3, 3), rng.uniform(-3, 3)) for _ in range(8)]
    chain = [f for _, f in steps] + [answer[1]]
    equal = [
        all(math.isclose(f(*p), g(*p), rel_tol=1e-9, abs_tol=1e-12) for p in points)
        for f, g in itertools.pairwise(chain)
    ]
    return sum(equal) / len(equal)


def working(steps: dict[str, list[Step]]) -> str:
    parts = ["# My working", "", "Some words before the first heading are ignored.", ""]
    for name, rows in steps.items():
        parts += [f"## {name}", "```", *[text for text, _ in rows], "```", ""]
    return "\n".join(parts)


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("bundle")
    exercises = folder / "exercises.jsonl"
    exercises.write_text("".join(json.dumps(e) + "\n" for e in EXERCISES))
    out = folder / "autograder.zip"
    args = ["--exercises", str(exercises), "--out", str(out), "--no-catalog"]
    assert main(["export", "gradescope", *args]) == 0
    return out


def run_autograder(bundle: Path, root: Path, files: dict[str, bytes]) -> dict[str, Any]:
    """Lay ``root`` out as Gradescope does, run ``run_autograder``, read results.json."""
    (root / "source").mkdir(parents=True)
    with zipfile.ZipFile(bundle) as archive:
        archive.extractall(root / "source")
    shutil.copy(root / "source" / "run_autograder", root / "run_autograder")
    (root / "submission").mkdir()
    for name, data in files.items():
        (root / "submission" / name).write_bytes(data)
    env = {**os.environ, "DERIVE_AUTOGRADER_ROOT": str(root), "DERIVE_PYTHON": sys.executable}
    env.pop("PYTHONPATH", None)
    done = subprocess.run(
        ["bash", str(root / "run_autograder")],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return dict(json.loads((root / "results" / "results.json").read_text()))


def by_name(results: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {t["name"].split(":")[0]: t for t in results["tests"]}


def test_bundle_layout(bundle: Path) -> None:
    with zipfile.ZipFile(bundle) as archive:
        names = archive.namelist()
        modes = {i.filename: (i.external_attr >> 16) & 0o777 for i in archive.infolist()}
        exercises = archive.read("exercises.jsonl").decode()
    assert names[:2] == ["setup.sh", "run_autograder"]
    assert modes["setup.sh"] == modes["run_autograder"] == 0o755
    assert "derive/export/autograde.py" in names
    assert "derive/checker/api.py" in names
    assert [json.loads(line)["exercise"] for line in exercises.splitlines()] == list(POINTS)
    script = bundle.parent / "setup.sh"
    with zipfile.ZipFile(bundle) as archive:
        script.write_bytes(archive.read("setup.sh"))
    assert subprocess.run(["bash", "-n", str(script)], check=False).returncode == 0


def test_same_exercises_same_bytes(bundle: Path, tmp_path: Path) -> None:
    exercises = tmp_path / "exercises.jsonl"
    exercises.write_text("".join(json.dumps(e) + "\n" for e in EXERCISES))
    out = tmp_path / "again.zip"
    args = ["--exercises", str(exercises), "--out", str(out), "--no-catalog"]
    assert main(["export", "gradescope", *args]) == 0
    assert out.read_bytes() == bundle.read_bytes()


def test_correct_submission(bundle: Path, tmp_path: Path) -> None:
    results = run_autograder(
        bundle, tmp_path / "autograder", {"working.md": working(CORRECT).encode()}
    )
    tests = by_name(results)
    assert list(tests) == list(POINTS)
    for name, points in POINTS.items():
        assert expected_fraction(CORRECT[name], ANSWERS[name]) == 1.0
        assert tests[name]["max_score"] == points
        assert tests[name]["score"] == pytest.approx(points), tests[name]["output"]
        assert tests[name]["output"].startswith("Every step follows")
    assert results["score"] == pytest.approx(sum(POINTS.values()))


def test_partly_wrong_submission(bundle: Path, tmp_path: Path) -> None:
    results = run_autograder(
        bundle, tmp_path / "autograder", {"answer.txt": working(PARTLY).encode()}
    )
    tests = by_name(results)
    expand = expected_fraction(PARTLY["expand"], ANSWERS["expand"])
    assert 0 < expand < 1
    assert tests["expand"]["score"] == pytest.approx(POINTS["expand"] * expand, abs=1e-3)
    output = tests["expand"]["output"]
    assert "line " in output  # points at the student's own line
    assert "a^2 + a b + b^2" in output
    assert "diagnosis:" in output
    assert "counterexample: a = " in output
    assert tests["sigmoid"]["score"] == pytest.approx(1.0)
    assert tests["det"]["score"] == 0
    assert "No working found" in tests["det"]["output"]
    want = POINTS["expand"] * expand + 1.0
    assert results["score"] == pytest.approx(want, abs=1e-3)


@pytest.mark.parametrize(
    ("files", "reason"),
    [
        ({"working.md": b"\xff\xfe\x00\x81 not text"}, "not UTF-8"),
        ({"scan.pdf": b"%PDF-1.4"}, "no .md or .txt file"),
        ({"working.md": b"I did it all in my head.\n"}, "no heading for any exercise"),
    ],
)
def test_unreadable_submission(
    bundle: Path, tmp_path: Path, files: dict[str, bytes], reason: str
) -> None:
    results = run_autograder(bundle, tmp_path / "autograder", files)
    assert results["score"] == 0
    assert "could not be read" in results["output"]
    assert reason in results["output"]
    assert [t["score"] for t in results["tests"]] == [0.0] * len(POINTS)
