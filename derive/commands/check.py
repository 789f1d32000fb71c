"""``derive check``: check a learner's working line by line.

>>> from derive.commands.cli import main
>>> main(["check", "diff(x^2, x) = 2*x"])
  0   diff(x^2, x)
  1 = 2*x            ✓ proven
correct: every step follows from the one before
0

From a shell:

    derive check "diff(x^2, x) = 2*x"
    derive check "inv(A*B)" "inv(A)*inv(B)" --given A="matrix 2 2" --given B="matrix 2 2"
    derive check --json < requests.jsonl
    derive check notes.md              # a derivation document: every block, line by line

Exit status: 0 every step follows, 1 some step is wrong (or undecided), 2 unreadable input,
3 an internal error (with ``--json`` a request that meets one is still answered, with an
``error``, the batch goes on, and the count of internal errors is printed on stderr at the end).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from typing import TYPE_CHECKING, Any

from derive.commands.common import MARKS
from derive.core.errors import UsageError

if TYPE_CHECKING:
    from derive.checker.api import Result


def register(sub: Any) -> None:
    """Add the ``check`` command."""
    p = sub.add_parser(
        "check",
        help="check a learner's hand calculation line by line",
        description="Check that each step follows from the one before it: an expression "
        "equals the one before, a relation ('<= e', '≈ 4.12') holds for every value, a "
        "statement after '<=>' / '=>' is equivalent to / follows from the statement before "
        "(the first statement is a premise), 'let NAME = e' defines a name. Shapes first, then "
        "a seeded exact numeric screen (a mismatch refutes, with a counterexample and a "
        "diagnosis), then a symbolic proof. One argument is a claim 'a = b <= c' or "
        "'s1 <=> s2'; several are the steps. With --json and no steps, read one JSON request "
        "or JSON Lines from stdin and write one JSON result per request.",
    )
    p.add_argument(
        "steps", nargs="*", metavar="STEP", help="a claim, or the steps, or a document notes.md"
    )
    p.add_argument(
        "--given",
        action="append",
        default=[],
        metavar="NAME=KIND",
        help="a name's kind: scalar (default), positive, probability, 'vector n', "
        "'matrix m n', 'symmetric n', 'spd n' (repeat, or separate with commas)",
    )
    p.add_argument("--against", metavar="ID", help="the final step must equal this result")
    p.add_argument("--json", action="store_true", help="JSON results (and JSON requests on stdin)")
    p.add_argument(
        "--budget", type=float, default=None, metavar="SECONDS", help="time per request (5)"
    )
    p.add_argument(
        "--no-catalog", action="store_true", help="do not look for recorded catalog mistakes"
    )
    p.add_argument(
        "--warm",
        action="store_true",
        help="build the catalog's mistake index before the first request (for long runs)",
    )
    p.set_defaults(run=run)


def parse_given(values: list[str]) -> dict[str, str]:
    """``["x=scalar", "A=matrix 2 2,B=spd 2"]`` as a mapping."""
    given: dict[str, str] = {}
    for value in values:
        for item in re.split(r",\s*(?=[A-Za-z][A-Za-z0-9_]*\s*=)", value):
            name, equals, kind = item.partition("=")
            if not equals or not name.strip():
                raise UsageError(f"--given wants NAME=KIND, got {item!r}")
            given[name.strip()] = kind.strip()
    return given


def run(args: argparse.Namespace) -> int:
    """Check the steps given as arguments, or the JSON requests on stdin."""
    if args.budget is not None and not 0 < args.budget <= 600:
        raise UsageError(f"--budget must be between 0 and 600 seconds, got {args.budget}")
    from derive.commands.documents import check_file, is_document

    if len(args.steps) == 1 and is_document(args.steps[0]):  # a derivation document
        return check_file(args)
    if not args.steps:
        if not args.json:
            raise UsageError("give the steps (or a claim), or --json to read requests from stdin")
        if args.given or args.against:
            raise UsageError("--given and --against go inside JSON requests")
        return _stdin(args)
    from derive.checker.api import check
    from derive.checker.jsonio import dumps

    steps = args.steps[0] if len(args.steps) == 1 else args.steps
    args.quick_exit = True  # nothing to clean up after a one-shot check (see cli.entry)
    result = check(
        steps,
        parse_given(args.given),
        against=args.against,
        budget=args.budget,
        catalog=not args.no_catalog,
    )
    if args.json:
        print(dumps(result), flush=True)
        if result.error:
            print(f"derive: error: {result.error}", file=sys.stderr)
        return result.status
    if result.error:
        raise UsageError(result.error)
    print(render(result))
    return result.status


def _stdin(args: argparse.Namespace) -> int:
    from functools import partial

    from derive.checker.api import check_request
    from derive.checker.jsonio import dumps, results

    if args.warm and not args.no_catalog:
        from derive.checker.catalog import warm

        warm()
    run_one = partial(check_request, budget=args.budget, catalog=not args.no_catalog)
    debug = bool(os.environ.get("DERIVE_DEBUG"))
    status, internal = -1, 0
    for result, error in results(sys.stdin.buffer, run_one):
        print(dumps(result), flush=True)
        if result.internal:  # a bug: answered as an error, counted, and the batch goes on
            internal += 1
            print(f"derive: {error}", file=sys.stderr)
            if debug:
                print(result.trace, file=sys.stderr, end="")
        elif error:
            print(f"derive: error: {error}", file=sys.stderr)
        status = max(status, result.status)
    if status < 0:
        raise UsageError("no request on stdin")
    if internal:
        print(
            f"derive: internal errors: {internal} request{'s' if internal > 1 else ''} "
            "answered with an error" + ("" if debug else " (set DERIVE_DEBUG=1 for tracebacks)"),
            file=sys.stderr,
        )
    return status


def render(result: Result) -> str:
    """The result for a terminal: each step as read, the relation judged and its verdict,
    counterexamples, diagnoses and notes."""
    lines = []
    pairs = {p.target: p for p in result.pairs}
    width = max(len(s) for s in result.steps) if result.steps else 0
    for index, step in enumerate(result.steps):
        pair = pairs.get(index)
        relation = ""
        if pair is not None and pair.judged and pair.source != pair.target:
            relation = "=" if pair.relation == "=" and not step.startswith("=") else ""
        mark = _mark(pair) if pair else ""
        lines.append(f"{index:>3} {relation or ' '} {step:<{width}}   {mark}".rstrip())
        if pair:
            lines.extend(_details(pair))
    extra = pairs.get(len(result.steps))
    if extra:
        lines.append(f"    against the catalog result   {MARKS[extra.verdict]}")
        lines.extend(_details(extra))
    summary = {
        "correct": "correct: every step follows from the one before",
        "incorrect": f"incorrect: the first error is step {result.first_error}",
        "unknown": "unknown: some step could not be decided",
    }[result.verdict]
    judged = [p for p in result.pairs if p.judged]
    if len(judged) != len(result.pairs) or any(p.relation != "=" for p in judged):
        summary += f" (score {result.score:.2f})"
    lines.append(summary)
    return "\n".join(lines)


def _mark(pair: Any) -> str:
    """The verdict, with the relation judged when it is not a plain ``=`` between steps."""
    mark = MARKS[pair.verdict]
    if pair.judged and pair.relation not in ("=", None):
        mark += f" ({pair.relation} step {pair.source})"
    elif pair.judged and pair.source == pair.target:
        mark += " (for every value)"
    return mark


def _details(pair: Any) -> list[str]:
    out = []
    if pair.counterexample and "P" in pair.counterexample:  # a finite distribution
        from derive.checker.probability import table_text

        out.append(
            "      counterexample: the distribution (each row an outcome, P its probability)"
        )
        out.extend(f"        {line}" for line in table_text(pair.counterexample).splitlines())
    elif pair.counterexample:
        shown = ", ".join(f"{k} = {v}" for k, v in pair.counterexample.items())
        out.append(f"      counterexample: {shown}")
    if pair.diagnosis:
        out.append(f"      {pair.diagnosis}")
    if getattr(pair, "note", None):
        out.append(f"      note: {pair.note}")
    return out
