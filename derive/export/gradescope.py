r"""A Gradescope autograder bundle: ``setup.sh``, ``run_autograder``, the exercises and derive.

>>> import io, json
>>> exercises = parse_exercises(io.StringIO(json.dumps(
...     {"exercise": "sq", "answer": "a^2 + 2*a*b + b^2", "points": 2}) + "\n"), "ex.jsonl")
>>> exercises[0].points, exercises[0].entry.answer
(2.0, 'a^2 + 2*a*b + b^2')

The exercises file is ``derive grade``'s key (JSON Lines: ``exercise``, ``given``, ``against``,
``answer``) with two optional fields: ``points`` (default 1) and ``question`` (shown to the
student with the feedback). The bundle holds derive's own Python sources, so the autograder
grades with exactly the checker that made the export; ``setup.sh`` installs derive's
dependencies from PyPI into ``/autograder/venv`` when Gradescope builds the image, and
``run_autograder`` runs :mod:`derive.export.autograde` on the submission.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from derive.core.errors import UsageError
from derive.export.archive import deterministic_zip
from derive.grading import key

EXTRA = ("points", "question")

SETUP = """\
#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image (Ubuntu).
# It installs derive's dependencies into /autograder/venv; derive itself is in source/derive.
set -euo pipefail
cd /autograder/source
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y python3 python3-venv python3-pip
PYTHON=python3
if ! python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    # derive needs Python 3.11 or later (Ubuntu 22.04 has 3.10; 24.04 has 3.12)
    apt-get install -y python3.11 python3.11-venv
    PYTHON=python3.11
fi
"$PYTHON" -m venv /autograder/venv
/autograder/venv/bin/pip install --no-cache-dir -r requirements.txt
/autograder/venv/bin/python -c 'import sys; sys.path.insert(0, "."); import derive.checker.api'
"""

RUN = """\
#!/usr/bin/env bash
# Gradescope runs this for each submission: it reads /autograder/submission and writes
# /autograder/results/results.json. DERIVE_AUTOGRADER_ROOT (default /autograder) and
# DERIVE_PYTHON (default the venv setup.sh made) let it run elsewhere, e.g. in a test.
set -u
ROOT="${DERIVE_AUTOGRADER_ROOT:-/autograder}"
PYTHON="${DERIVE_PYTHON:-$ROOT/venv/bin/python}"
export PYTHONPATH="$ROOT/source${PYTHONPATH:+:$PYTHONPATH}"
exec "$PYTHON" -m derive.export.autograde --root "$ROOT"
"""

README = """\
derive autograder for Gradescope
================================

Upload this zip as the autograder of a Programming Assignment (base image: Ubuntu 24.04 or
22.04). Students submit ONE text or Markdown file (working.md, or any .md/.txt) with a heading
per exercise and one step of working a line:

    ## {example}
    first step
    = next step
    ...

Lines inside ``` fences are read the same way; blank lines and lines starting with '%' are
skipped. Each exercise gets its points times the fraction of its steps that follow from the step
before (the checker's score, with the error carried forward), and the first wrong step's
diagnosis and counterexample as feedback.

Exercises: {names}
"""


@dataclass(frozen=True)
class Exercise:
    """One graded exercise: the key's entry, its points and its wording."""

    entry: key.Entry
    points: float = 1.0
    question: str = ""

    def as_json(self) -> str:
        data: dict[str, object] = {"exercise": self.entry.exercise}
        if self.entry.given:
            data["given"] = dict(sorted(self.entry.given.items()))
        for name in ("against", "answer"):
            if getattr(self.entry, name) is not None:
                data[name] = getattr(self.entry, name)
        data["points"] = self.points
        if self.question:
            data["question"] = self.question
        return json.dumps(data, ensure_ascii=False, sort_keys=False)


def from_json(data: object) -> Exercise:
    """An exercise from parsed JSON; a ValueError saying what is wrong."""
    if not isinstance(data, dict):
        raise ValueError("an exercise must be a JSON object")
    points = data.get("points", 1)
    if isinstance(points, bool) or not isinstance(points, (int, float)) or not 0 < points <= 1000:
        raise ValueError("'points' must be a number between 0 and 1000")
    question = data.get("question", "")
    if not isinstance(question, str):
        raise ValueError("'question' must be a string")
    rest = {k: v for k, v in data.items() if k not in EXTRA}
    try:
        entry = key.from_json(rest)
    except ValueError as error:
        if "unknown field" in str(error):
            fields = ", ".join((*key.FIELDS, *EXTRA))
            raise ValueError(f"{str(error).split(' (')[0]} (an exercise has {fields})") from None
        raise
    return Exercise(entry, float(points), question)


def parse_exercises(lines: Iterable[str], name: str) -> list[Exercise]:
    """The exercises of a JSON Lines text; a UsageError ``name:line: what`` at the first bad
    line."""
    found: list[Exercise] = []
    for number, text in enumerate(lines, 1):
        if not text.strip():
            continue
        where = f"{name}:{number}"
        try:
            exercise = from_json(json.loads(text))
        except json.JSONDecodeError as error:
            raise UsageError(f"{where}: not JSON ({error.msg}, column {error.colno})") from None
        except ValueError as error:
            raise UsageError(f"{where}: {error}") from None
        if any(e.entry.exercise == exercise.entry.exercise for e in found):
            raise UsageError(f"{where}: exercise {exercise.entry.exercise!r} is already listed")
        if any(c.isspace() for c in exercise.entry.exercise):
            raise UsageError(f"{where}: an exercise name has no spaces (it is a heading)")
        found.append(exercise)
    if not found:
        raise UsageError(f"{name}: no exercises")
    return found


def read_exercises(path: Path) -> list[Exercise]:
    """The exercises in a file; an unreadable file is a UsageError."""
    try:
        with path.open(encoding="utf-8") as handle:
            return parse_exercises(handle, str(path))
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror or error}") from None
    except UnicodeDecodeError as error:
        raise UsageError(f"{path}: not UTF-8 text ({error.reason})") from None


def requirements() -> str:
    """derive's own run-time dependencies (no extras), one a line."""
    try:
        wanted = metadata.requires("derive") or []
    except metadata.PackageNotFoundError:  # pragma: no cover - derive runs from a checkout
        wanted = []
    return "".join(f"{r}\n" for r in sorted(r for r in wanted if "extra ==" not in r))


def sources() -> list[tuple[str, bytes]]:
    """derive's Python sources as ``source/derive/...`` entries, sorted."""
    import derive

    root = Path(derive.__file__).resolve().parent
    files = sorted(p for p in root.rglob("*.py") if "__pycache__" not in p.parts and p.is_file())
    return [(f"derive/{p.relative_to(root).as_posix()}", p.read_bytes()) for p in files]


def autograder_zip(
    exercises: Sequence[Exercise], *, budget: float = 10.0, catalog: bool = True
) -> bytes:
    """The autograder bundle as zip bytes (the same exercises, the same bytes)."""
    names = ", ".join(e.entry.exercise for e in exercises)
    text = "".join(e.as_json() + "\n" for e in exercises)
    settings = json.dumps({"budget": budget, "catalog": catalog}) + "\n"
    readme = README.format(example=exercises[0].entry.exercise, names=names)
    files: list[tuple[str, bytes] | tuple[str, bytes, int]] = [
        ("setup.sh", SETUP.encode(), 0o755),
        ("run_autograder", RUN.encode(), 0o755),
        ("README.txt", readme.encode()),
        ("exercises.jsonl", text.encode("utf-8")),
        ("settings.json", settings.encode()),
        ("requirements.txt", requirements().encode()),
        *sources(),
    ]
    return deterministic_zip(files)
