"""``derive practice``: interview drills that check your typed working, with hints, worked
solutions and spaced review.

>>> from derive.commands.cli import main
>>> main(["practice", "--count", "0"])
2

From a shell:

    derive practice                       # 3 questions: what is due, then what is new
    derive practice inverse-2x2 bayes-theorem --seed 7
    derive practice --topic probability-statistics --count 5 --minutes 15
    derive practice --review              # only what the schedule says is due
    derive practice --stats               # accuracy per derivation, most frequent mistakes

At the prompt: type the answer, or several lines of working, and end with an empty line; ``?``
shows a hint (the derivation's next step), ``!`` the worked solution, ``q`` ends. Every attempt
is kept in a small SQLite file in your data folder (``$DERIVE_DATA_DIR`` overrides).
Exit status: 0, or 2 for bad arguments.
"""

from __future__ import annotations

import argparse
import contextlib
import random
import sys
from typing import Any

from derive.commands.common import resolve, topic_choices
from derive.core.errors import UsageError

STYLES = {
    "title": "bold",
    "question": "bold cyan",
    "good": "bold green",
    "bad": "bold red",
    "note": "yellow",
    "hint": "magenta",
    "dim": "dim",
}


def register(sub: Any) -> None:
    """Add the ``practice`` command."""
    p = sub.add_parser(
        "practice",
        help="interview drills: your typed working checked, hints, solutions, spaced review",
        description="Ask randomised exercises (the sheets' verified ones) one at a time and "
        "check the typed answer or working with the reasoning checker. At the prompt: the "
        "answer or lines of working ending with an empty line; '?' a hint, '!' the worked "
        "solution, 'q' quit. Attempts are recorded; what you got wrong comes back sooner.",
    )
    p.add_argument("ids", nargs="*", metavar="ID", help="derivations to drill (default: all)")
    p.add_argument("--topic", choices=topic_choices(), help="only this topic")
    p.add_argument("--count", type=int, default=3, metavar="N", help="questions (3)")
    p.add_argument("--seed", type=int, default=None, metavar="S", help="exercise seed")
    p.add_argument("--minutes", type=float, default=None, metavar="M", help="time limit")
    p.add_argument("--review", action="store_true", help="only the derivations that are due")
    p.add_argument("--stats", action="store_true", help="accuracy and frequent mistakes")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run a session (or show the statistics)."""
    if args.count < 1 or args.count > 100:
        raise UsageError(f"--count must be between 1 and 100, got {args.count}")
    if args.minutes is not None and not 0 < args.minutes <= 600:
        raise UsageError(f"--minutes must be between 0 and 600, got {args.minutes:g}")
    if args.ids and args.topic:
        raise UsageError("give derivation ids or --topic, not both")
    from derive.catalog import ids
    from derive.core.model import Topic
    from derive.practice.plan import choose
    from derive.practice.session import Session
    from derive.practice.store import Store

    pool = resolve(args.ids) if args.ids else list(ids(Topic(args.topic) if args.topic else None))
    say = writer()
    store = Store()
    if store.note:
        say(f"note: {store.note}", "note")
    try:
        if args.stats:
            return _stats(store, say)
        due = store.due()
        if args.review:
            chosen = [i for i in due if i in pool]
            if not chosen:
                say("Nothing is due for review; `derive practice` asks new questions.")
                return 0
        elif args.ids:  # in the order given
            chosen = list(dict.fromkeys(pool))
        else:
            rng = random.Random(args.seed)
            chosen = choose(pool, due=due, seen=store.seen(), count=len(pool), rng=rng)
        seed = args.seed if args.seed is not None else random.SystemRandom().randrange(10**4)
        count = min(args.count, len(chosen))
        timed = f", {args.minutes:g} minutes" if args.minutes else ""
        plural = "s" * (count != 1)
        say(f"derive practice: {count} question{plural}{timed} (seed {seed})")
        session = Session(
            [(i, seed) for i in chosen],
            read=reader(),
            write=say,
            store=store,
            minutes=args.minutes,
            count=count,
        )
        session.run()
    finally:
        store.close()
    return 0


def _stats(store: Any, say: Any) -> int:
    lines = store.stats()
    if not lines:
        say("No attempts recorded yet: `derive practice` starts.")
        return 0
    width = max(len(line.drill) for line in lines)
    say(f"{'derivation':<{width}}  asked  right  first try  gave up  box  accuracy", "title")
    for line in lines:
        say(
            f"{line.drill:<{width}}  {line.asked:>5}  {line.right:>5}  {line.first_try:>9}"
            f"  {line.gave_up:>7}  {line.box or '-':>3}  {line.accuracy:>8.0%}"
        )
    frequent = store.diagnoses()
    if frequent:
        say("")
        say("Most frequent diagnoses of wrong answers:", "title")
        for text, count in frequent:
            say(f"  {count} × {text}")
    due = store.due()
    say("")
    say(f"Due for review now: {', '.join(due) if due else 'nothing'}")
    return 0


def writer() -> Any:
    """``write(text, style)`` on stdout: styled with Rich where colour is wanted, plain text
    otherwise (the words and marks carry the meaning without colour)."""
    from rich.console import Console
    from rich.text import Text

    console = Console(highlight=False, soft_wrap=True)  # the terminal wraps

    def write(text: str, style: str | None = None) -> None:
        console.print(Text(text, style=STYLES.get(style or "", "")))

    return write


def reader() -> Any:
    """``read(prompt)``: ``input`` (with line editing) on a terminal, plain lines from a pipe."""
    if sys.stdin.isatty():
        with contextlib.suppress(ImportError):  # not on every platform
            import readline  # noqa: F401 - line editing and history for input()
        return input

    def read(prompt: str) -> str:
        sys.stdout.write(prompt)
        sys.stdout.flush()
        line = sys.stdin.readline()
        if not line:
            sys.stdout.write("\n")
            raise EOFError
        sys.stdout.write(line)  # echoed, so a piped session reads as a transcript
        return line.rstrip("\n")

    return read
