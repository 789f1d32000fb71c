"""``derive grade``: grade a class's submissions into a gradebook and a class report.

>>> import json, pathlib, tempfile
>>> from derive.commands.cli import main
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "class.jsonl").write_text(json.dumps(
...     {"student": "ada", "exercise": "sq", "steps": ["(a+b)^2", "a^2+2a b+b^2"]}) + "\\n")
>>> main(["grade", str(folder / "class.jsonl"), "--out", str(folder / "out"), "--no-catalog"])
graded 1 submission (0 already graded): 1 student, 1 exercise, mean score 1.00
0

From a shell:

    derive grade class.jsonl --key key.jsonl --out grades/
    derive grade class.jsonl --key key.jsonl --out grades/ --jobs 4
    derive grade class.jsonl --key key.jsonl --out grades/ --dask tcp://scheduler:8786

Writes ``grades/gradebook.csv``, ``grades/gradebook.json``, ``grades/report.html`` and keeps
every result in ``grades/graded.jsonl`` as it finishes: a rerun grades only what is missing.
Exit status 0 when everything was graded (whatever the students' verdicts), 2 for unreadable
input (one line: the file and the line).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from derive.core.errors import UsageError


def register(sub: Any) -> None:
    """Add the ``grade`` command."""
    p = sub.add_parser(
        "grade",
        help="grade a class's submissions: gradebook and class report",
        description="Grade SUBMISSIONS (JSON Lines: {student, exercise, steps}) with the "
        "checker, each step against the one before (partial credit with the error carried "
        "forward). KEY (JSON Lines: {exercise, given, against, answer}) gives each exercise's "
        "kinds of names, a catalog result or the expected answer. Writes OUT/gradebook.csv, "
        "OUT/gradebook.json and OUT/report.html; results are kept in OUT/graded.jsonl as they "
        "finish, so a rerun grades only what is missing.",
    )
    p.add_argument("submissions", type=Path, metavar="SUBMISSIONS.jsonl")
    p.add_argument("--key", type=Path, metavar="KEY.jsonl", help="the exercises' key")
    p.add_argument("--out", type=Path, required=True, metavar="DIR", help="the output folder")
    p.add_argument(
        "--jobs", type=int, default=1, metavar="N", help="local checker processes (default 1)"
    )
    p.add_argument(
        "--dask",
        metavar="ADDRESS",
        help="grade on an existing Dask cluster (its scheduler's address, e.g. "
        "tcp://10.0.0.5:8786); needs derive[grade] on the client and the workers",
    )
    p.add_argument(
        "--budget", type=float, default=5.0, metavar="SECONDS", help="time per submission (5)"
    )
    p.add_argument(
        "--no-catalog",
        action="store_true",
        help="do not name recorded catalog mistakes (skips building the mistake index)",
    )
    p.add_argument("--title", default="Class report", help="the report's title")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Grade, write, and print a one-line summary."""
    if not 1 <= args.jobs <= 256:
        raise UsageError(f"--jobs must be between 1 and 256, got {args.jobs}")
    if not 0 < args.budget <= 600:
        raise UsageError(f"--budget must be between 0 and 600 seconds, got {args.budget}")
    if args.dask is not None and args.jobs != 1:
        raise UsageError("--jobs and --dask do not go together (the cluster has its workers)")
    if args.dask is not None:
        try:
            import distributed  # noqa: F401
        except ImportError:
            raise UsageError("--dask needs dask.distributed: pip install 'derive[grade]'") from None
    from derive.grading.run import Options, grade

    outcome = grade(
        Options(
            args.submissions,
            args.key,
            args.out,
            jobs=args.jobs,
            dask=args.dask,
            budget=args.budget,
            catalog=not args.no_catalog,
            title=args.title,
        )
    )
    students = len({row.student for row in outcome.rows})
    exercises = len({row.exercise for row in outcome.rows})
    mean = sum(row.score for row in outcome.rows) / max(1, len(outcome.rows))
    plural = "" if outcome.graded == 1 else "s"
    print(
        f"graded {outcome.graded} submission{plural} ({outcome.skipped} already graded): "
        f"{students} student{'' if students == 1 else 's'}, {exercises} exercise"
        f"{'' if exercises == 1 else 's'}, mean score {mean:.2f}"
    )
    return 0
