"""``derive export moodle|qti|gradescope``: the verified exercises where courses run.

>>> from derive.commands.cli import main
>>> main(["export", "moodle", "no-such-id", "--out", "quiz.xml"])
2

From a shell:

    derive export moodle --topic linear-algebra --count 3 --seed 1 --out quiz.xml
    derive export qti inverse-2x2 bayes-theorem --count 5 --out quiz.zip
    derive export gradescope --exercises exercises.jsonl --out autograder.zip

The same options give the same file, byte for byte. Bad options (an unknown id, a count out of
range, an output that cannot be written) are one line and exit status 2.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from derive.commands.common import topic_choices
from derive.core.errors import UsageError

MAX_COUNT = 50


def _selection(p: argparse.ArgumentParser, suffix: str, what: str) -> None:
    p.add_argument("ids", nargs="*", metavar="ID", help="derivations (default: every one)")
    p.add_argument("--topic", choices=topic_choices(), help="only this topic")
    p.add_argument(
        "--count", type=int, default=3, metavar="N", help="variants per derivation (default 3)"
    )
    p.add_argument("--seed", type=int, default=0, metavar="S", help="export seed (default 0)")
    p.add_argument("--out", type=Path, required=True, metavar=f"FILE{suffix}", help=what)


def register(sub: Any) -> None:
    """Add the ``export`` command and its three targets."""
    p = sub.add_parser(
        "export",
        help="export exercises to Moodle XML, a QTI package (Canvas) or a Gradescope autograder",
        description="Export the catalog's randomised, verified exercises where courses run.",
    )
    targets = p.add_subparsers(dest="target", metavar="TARGET", parser_class=type(p))
    targets.required = True
    moodle = targets.add_parser(
        "moodle",
        help="Moodle XML: a question category per derivation, N variants each",
        description="Write Moodle XML (Question bank > Import > Moodle XML format): one "
        "category per derivation with N randomised variants; numerical questions with a "
        "tolerance, Cloze blanks for vectors and matrices, multiple choice from the recorded "
        "mistakes (their explanations as feedback).",
    )
    _selection(moodle, ".xml", "the Moodle XML file to write")
    moodle.set_defaults(run=run_moodle)
    qti = targets.add_parser(
        "qti",
        help="a QTI 1.2 zip that Canvas imports (made with text2qti)",
        description="Write a QTI 1.2 package for Canvas (Settings > Import course content > "
        "QTI .zip file), written by text2qti: the variants of each derivation as a question "
        "group from which each student gets one.",
    )
    _selection(qti, ".zip", "the QTI package to write")
    qti.add_argument("--title", default="derive exercises", help="the quiz's title in Canvas")
    qti.set_defaults(run=run_qti)
    grader = targets.add_parser(
        "gradescope",
        help="a Gradescope autograder zip that checks a student's working with derive",
        description="Write a Gradescope autograder (setup.sh, run_autograder and derive): it "
        "reads the student's working (a Markdown or text file: a '## ID' heading per exercise, "
        "then one step a line), checks each exercise against EXERCISES (the key format of "
        "`derive grade`, JSON Lines: exercise, given, against, answer; optional points and "
        "question) and writes results.json with a score per exercise (partial credit per step) "
        "and the checker's diagnosis and counterexample as feedback.",
    )
    grader.add_argument(
        "--exercises", type=Path, required=True, metavar="FILE.jsonl", help="the exercises"
    )
    grader.add_argument(
        "--out", type=Path, required=True, metavar="FILE.zip", help="the autograder zip to write"
    )
    grader.add_argument(
        "--budget", type=float, default=10.0, metavar="SECONDS", help="time per exercise (10)"
    )
    grader.add_argument(
        "--no-catalog",
        action="store_true",
        help="do not name recorded catalog mistakes in feedback (a faster start per submission)",
    )
    grader.set_defaults(run=run_gradescope)


def _writable(out: Path, suffix: str) -> None:
    """Refuse an output that is the wrong kind of file or cannot be written, before working."""
    if out.suffix.lower() != suffix:
        raise UsageError(f"--out must name a {suffix} file, got {out}")
    if out.is_dir():
        raise UsageError(f"cannot write {out}: it is a folder")
    folder = next((p for p in [out.parent, *out.parent.parents] if p.exists()), Path("."))
    if not folder.is_dir() or not os.access(folder, os.W_OK | os.X_OK):
        raise UsageError(f"cannot write {out}: {folder} is not a writable folder")
    if out.exists() and not os.access(out, os.W_OK):
        raise UsageError(f"cannot write {out}: permission denied")


def write_bytes(out: Path, data: bytes) -> None:
    """Write a file, creating its folder; an error is a UsageError."""
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data)
    except OSError as error:
        raise UsageError(f"cannot write {out}: {error.strerror or error}") from None


def _exported(args: argparse.Namespace) -> Any:
    if not 1 <= args.count <= MAX_COUNT:
        raise UsageError(f"--count must be between 1 and {MAX_COUNT}, got {args.count}")
    if args.seed < 0:
        raise UsageError(f"--seed must be at least 0, got {args.seed}")
    if args.ids and args.topic:
        raise UsageError("give derivation ids or --topic, not both")
    from derive.commands.common import resolve

    resolve(args.ids)
    from derive.catalog import get, ids
    from derive.catalog.plugins import PluginError
    from derive.core.model import Topic
    from derive.export.variants import export_set

    if args.ids:
        chosen = [get(i) for i in dict.fromkeys(args.ids)]
        for d in chosen:
            if not d.twins:
                raise UsageError(
                    f"{d.id} has no numeric twin, so no randomised exercise to export "
                    f"(`derive show {d.id}`); leave it out"
                )
    else:
        every = []
        for identifier in ids(Topic(args.topic) if args.topic else None):
            try:
                every.append(get(identifier))
            except PluginError as error:  # a broken plug-in never stops the others
                print(f"derive: {error}; left out of the export", file=sys.stderr)
        chosen = [d for d in every if d.twins]
        left = [d.id for d in every if not d.twins]
        if left:
            print(
                f"left out (no numeric twin, so no randomised exercise): {', '.join(left)}",
                file=sys.stderr,
            )
    exported = export_set(chosen, count=args.count, seed=args.seed)
    short = [f"{d.id} ({len(found)})" for d, found in exported if len(found) < args.count]
    if short:
        print(
            f"fewer than {args.count} distinct variants: {', '.join(short)}",
            file=sys.stderr,
        )
    return tuple((d, found) for d, found in exported if found)


def _summary(out: Path, exported: Any, seed: int, *, by_entry: bool = False) -> str:
    """What was written; ``by_entry``: a Cloze variant is one numerical question per entry."""
    kinds: dict[str, int] = {}
    for _, found in exported:
        for v in found:
            kind, n = v.kind, 1
            if by_entry and kind == "cloze":
                kind, n = "numerical", len(v.parts)
            kinds[kind] = kinds.get(kind, 0) + n
    total = sum(kinds.values())
    shown = ", ".join(f"{kind} {n}" for kind, n in sorted(kinds.items()))
    return (
        f"wrote {out}: {len(exported)} derivation{'' if len(exported) == 1 else 's'}, "
        f"{total} question{'' if total == 1 else 's'} ({shown}), seed {seed}"
    )


def run_moodle(args: argparse.Namespace) -> int:
    """Write Moodle XML."""
    _writable(args.out, ".xml")
    exported = _exported(args)
    from derive.export.moodle import moodle_xml

    write_bytes(args.out, moodle_xml(exported).encode("utf-8"))
    print(_summary(args.out, exported, args.seed), file=sys.stderr)
    return 0


def run_qti(args: argparse.Namespace) -> int:
    """Write a QTI package."""
    _writable(args.out, ".zip")
    exported = _exported(args)
    from derive.export.qti import qti_zip

    write_bytes(args.out, qti_zip(exported, title=args.title))
    print(_summary(args.out, exported, args.seed, by_entry=True), file=sys.stderr)
    return 0


def run_gradescope(args: argparse.Namespace) -> int:
    """Write a Gradescope autograder."""
    _writable(args.out, ".zip")
    if not 0 < args.budget <= 600:
        raise UsageError(f"--budget must be between 0 and 600 seconds, got {args.budget}")
    from derive.export.gradescope import autograder_zip, read_exercises

    exercises = read_exercises(args.exercises)
    write_bytes(
        args.out, autograder_zip(exercises, budget=args.budget, catalog=not args.no_catalog)
    )
    noun = "exercise" if len(exercises) == 1 else "exercises"
    points = sum(e.points for e in exercises)
    print(f"wrote {args.out}: {len(exercises)} {noun}, {points:g} points", file=sys.stderr)
    return 0
