r"""What the Gradescope autograder runs: read the student's working, check each exercise with
derive's checker, write ``results/results.json``.

>>> sections, problems = parse_working("## sq\n(a+b)^2\n= a^2 + 2ab + b^2\n", "working.md")
>>> [(s.exercise, s.steps, s.lines) for s in sections.values()], problems
([('sq', ('(a+b)^2', '= a^2 + 2ab + b^2'), (2, 3))], [])

The working's format: a Markdown heading per exercise (``## sq``, or ``## Exercise sq``), then
one step a line, as for ``derive check`` (``= e`` continues a chain; statements, ``let``
definitions and LaTeX are read too). Blank lines, lines starting with ``%`` and the ``````
fence lines are skipped. Text before the first heading is ignored.

Each exercise's score is its points times the checker's ``score`` (the fraction of judged
steps that follow from the step before, the error carried forward); an exercise with no
heading, or whose working cannot be read, scores 0 and says why. Feedback: the verdict of each
step, and at the first wrong one the diagnosis and the counterexample.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(?:exercise\s*[:#]?\s*)?(?P<name>\S+?)\s*#*\s*$", re.I)
SUFFIXES = (".md", ".markdown", ".txt")
PREFERRED = "working.md"
MAX_BYTES = 200_000


@dataclass(frozen=True)
class Section:
    """One exercise's working: its steps and the file's line of each."""

    exercise: str
    steps: tuple[str, ...]
    lines: tuple[int, ...]


class Unreadable(Exception):
    """The submission cannot be read at all (no file, not text, no exercise heading)."""


def parse_working(text: str, name: str) -> tuple[dict[str, Section], list[str]]:
    """The sections of a working text by exercise, and problems worth telling the student."""
    found: dict[str, tuple[list[str], list[int]]] = {}
    problems: list[str] = []
    current: str | None = None
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        heading = HEADING.match(line)
        if heading:
            current = heading.group("name")
            if current in found:
                problems.append(f"{name}:{number}: a second heading for {current}; steps added")
            found.setdefault(current, ([], []))
            continue
        if current is None or not stripped or stripped.startswith(("%", "```", "~~~")):
            continue
        found[current][0].append(stripped)
        found[current][1].append(number)
    return {
        k: Section(k, tuple(steps), tuple(lines)) for k, (steps, lines) in found.items()
    }, problems


def submission_file(folder: Path) -> Path:
    """The file to read: ``working.md`` if there, else the one text or Markdown file."""
    if not folder.is_dir():
        raise Unreadable(f"no submission folder ({folder})")
    files = sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))
    preferred = [p for p in files if p.name.lower() == PREFERRED]
    texts = [p for p in files if p.suffix.lower() in SUFFIXES]
    if preferred:
        return preferred[0]
    if len(texts) == 1:
        return texts[0]
    if not texts:
        shown = ", ".join(p.name for p in files[:5]) or "nothing"
        raise Unreadable(f"no .md or .txt file in the submission (found {shown})")
    shown = ", ".join(p.name for p in texts[:5])
    raise Unreadable(f"several text files ({shown}): name the one to grade {PREFERRED}")


def read_working(path: Path) -> str:
    """The submission's text; Unreadable when it is not UTF-8 text or too large."""
    data = path.read_bytes()
    if len(data) > MAX_BYTES:
        raise Unreadable(f"{path.name} is {len(data)} bytes; at most {MAX_BYTES}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise Unreadable(f"{path.name} is not UTF-8 text (byte {error.start})") from None
    if "\x00" in text:
        raise Unreadable(f"{path.name} is not a text file")
    return text


def _value(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def counterexample(point: Mapping[str, Any] | None) -> str:
    """A counterexample as ``x = 2, y = -1``.

    >>> counterexample({"x": "2", "y": [[1, 0]]})
    'x = 2, y = [[1, 0]]'
    """
    return ", ".join(f"{k} = {_value(v)}" for k, v in (point or {}).items())


def feedback(section: Section, result: Mapping[str, Any], answer_given: bool) -> str:
    """The text a student sees for one exercise."""
    if result.get("error"):
        return f"Your working could not be read: {result['error']}"

    def where(index: int) -> str:
        if index < len(section.lines):
            return f"line {section.lines[index]} ({section.steps[index]})"
        return "the expected answer" if answer_given else f"step {index + 1}"

    lines = []
    first = result.get("first_error")
    for pair in result.get("pairs", []):
        verdict = pair.get("verdict")
        relation = pair.get("relation") or "="
        lines.append(
            f"{where(pair['to'])}: {verdict}" + ("" if relation == "=" else f" ({relation})")
        )
        if pair["to"] == first:
            if answer_given and first == len(section.steps):
                lines.append("  your last step is not the expected answer")
            if pair.get("diagnosis"):
                lines.append(f"  diagnosis: {pair['diagnosis']}")
            point = counterexample(pair.get("counterexample"))
            if point:
                lines.append(f"  counterexample: {point}")
    verdict = result.get("verdict", "unknown")
    head = {
        "correct": "Every step follows from the one before.",
        "incorrect": "A step does not follow (partial credit for the steps that do).",
    }.get(verdict, "Some step could not be decided; it earns no credit.")
    return "\n".join([head, *lines])


def _exercises(source: Path) -> list[Any]:
    from derive.export.gradescope import read_exercises

    return read_exercises(source / "exercises.jsonl")


def grade(root: Path) -> dict[str, Any]:
    """The results of the submission under ``root`` (Gradescope's folder layout)."""
    source = root / "source"
    settings = json.loads((source / "settings.json").read_text())
    exercises = _exercises(source)
    tests: list[dict[str, Any]] = []
    try:
        path = submission_file(root / "submission")
        sections, problems = parse_working(read_working(path), path.name)
        if not any(e.entry.exercise in sections for e in exercises):
            names = ", ".join(e.entry.exercise for e in exercises)
            raise Unreadable(f"no heading for any exercise in {path.name} (expected: {names})")
    except Unreadable as error:
        message = (
            f"Your submission could not be read: {error}. Submit one Markdown or text file "
            f"with a heading per exercise (## {exercises[0].entry.exercise}) and one step a line."
        )
        for e in exercises:
            tests.append(_test(e, 0.0, "Not graded: the submission could not be read."))
        return {"score": 0.0, "output": message, "tests": tests, "visibility": "visible"}
    from derive.grading.child import Child

    with Child(float(settings.get("budget", 10.0)), bool(settings.get("catalog", True))) as child:
        for e in exercises:
            section = sections.get(e.entry.exercise)
            if section is None or not section.steps:
                text = f"No working found: add a heading '## {e.entry.exercise}' and your steps."
                tests.append(_test(e, 0.0, text))
                continue
            result = child.ask(e.entry.request(section.steps, e.entry.exercise))
            fraction = 0.0 if result.get("error") else float(result.get("score", 0.0))
            text = feedback(section, result, e.entry.answer is not None)
            tests.append(_test(e, round(e.points * fraction, 4), text))
    total = round(sum(t["score"] for t in tests), 4)
    output = "\n".join(problems) if problems else f"Graded {path.name}."
    return {"score": total, "output": output, "tests": tests, "visibility": "visible"}


def _test(e: Any, score: float, output: str) -> dict[str, Any]:
    name = e.entry.exercise + (f": {e.question}" if e.question else "")
    return {
        "name": name,
        "score": score,
        "max_score": e.points,
        "output": output,
        "visibility": "visible",
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Grade and write ``ROOT/results/results.json``; always writes a results file."""
    parser = argparse.ArgumentParser(prog="derive-autograder")
    parser.add_argument("--root", type=Path, default=Path("/autograder"))
    args = parser.parse_args(argv)
    try:
        results = grade(args.root)
    except Exception as error:  # the autograder's own fault: tell the student and the teacher
        results = {
            "score": 0.0,
            "output": f"The autograder failed ({type(error).__name__}: {error}); "
            "please tell your teacher.",
            "tests": [],
        }
        status = 1
    else:
        status = 0
    out = args.root / "results" / "results.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return status


if __name__ == "__main__":
    sys.exit(main())
