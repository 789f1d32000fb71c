"""The practice loop: ask, read the answer or working, judge, hint, solve, and sum up.

>>> lines = iter(["23", ""])
>>> out = []
>>> summary = Session([("determinant-trace-2x2", 1)], read=lambda _: next(lines),
...                   write=lambda text, style=None: out.append(text)).run()
>>> summary.records[0].outcome, out[-1]
('right', 'Score: 1 of 1 right')

Input and output are injected (``read(prompt) -> line``, raising ``EOFError`` at the end of
input; ``write(text, style)``), so the terminal, a test and a script drive the same loop. A line
``?`` shows the next hint (the derivation's next step), ``!`` gives up and shows the worked
solution, ``q`` ends; anything else starts the working, which ends with an empty line (or the end
of input). Ctrl-C and the end of input end the session with its summary, like ``q``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from derive.practice.drills import Drill, NoExercise, drill, judge
from derive.practice.store import Store

Read = Callable[[str], str]
Write = Callable[..., None]  # write(text, style=None)
COMMANDS = "? hint · ! solution · q quit"


@dataclass(frozen=True)
class Record:
    """How one question went."""

    id: str
    title: str
    outcome: str  # right, gave up, unfinished
    tries: int
    hints: int
    seconds: float


@dataclass(frozen=True)
class Summary:
    """The session's records, in order."""

    records: tuple[Record, ...]
    minutes: float | None = None

    @property
    def right(self) -> int:
        return sum(r.outcome == "right" for r in self.records)

    def lines(self) -> list[str]:
        """The summary as text lines (a table, then the score)."""
        if not self.records:
            return ["No question answered."]
        width = max(len(r.title) for r in self.records)
        out = [f"{'#':>2}  {'question':<{width}}  {'outcome':<10} tries hints  time"]
        for number, r in enumerate(self.records, 1):
            out.append(
                f"{number:>2}  {r.title:<{width}}  {r.outcome:<10} {r.tries:>5} {r.hints:>5}"
                f"  {_clock(r.seconds)}"
            )
        total = sum(r.seconds for r in self.records)
        mean = total / len(self.records)
        timing = f"{_clock(total)} in all, {_clock(mean)} per question"
        if self.minutes is not None:
            timing += f" (of {self.minutes:g} min)"
        out.append(timing)
        out.append(f"Score: {self.right} of {len(self.records)} right")
        return out


def _clock(seconds: float) -> str:
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes}:{rest:02d}"


class _End(Exception):
    """The session ends (q, end of input, Ctrl-C, time up)."""


@dataclass
class Session:
    """A practice session over ``(derivation id, seed)`` pairs."""

    questions: Iterable[tuple[str, int]]
    read: Read
    write: Write
    store: Store | None = None
    minutes: float | None = None
    count: int | None = None  # ask this many (questions without an exercise are skipped)
    clock: Callable[[], float] = time.monotonic
    records: list[Record] = field(default_factory=list)

    def run(self) -> Summary:
        """Ask every question (until the end), then write and return the summary."""
        started = self.clock()
        self.deadline = None if self.minutes is None else started + 60 * self.minutes
        questions = list(self.questions)
        count = min(self.count or len(questions), len(questions))
        try:
            for identifier, seed in questions:
                if len(self.records) >= count or self._time_up():
                    break
                try:
                    d = drill(identifier, seed)
                except NoExercise as error:
                    self.write(f"skipped {identifier}: {error}", "note")
                    continue
                self._ask(d, len(self.records) + 1, count)
        except _End:
            pass
        except KeyboardInterrupt:  # while the next question is made
            self.write("interrupted", "note")
        summary = Summary(tuple(self.records), self.minutes)
        self.write("")
        for index, line in enumerate(summary.lines()):
            self.write(line, "title" if index == 0 else None)
        return summary

    def _time_up(self) -> bool:
        if self.deadline is None or self.clock() < self.deadline:
            return False
        self.write(f"Time is up ({self.minutes:g} min).", "bad")
        return True

    def _line(self, prompt: str) -> str:
        try:
            return self.read(prompt)
        except (EOFError, KeyboardInterrupt):
            raise _End from None

    def _ask(self, d: Drill, number: int, count: int) -> None:
        self.write("")
        left = "" if self.deadline is None else f" · {_clock(self.deadline - self.clock())} left"
        self.write(f"Question {number} of {count} · {d.title} ({d.id}){left}", "title")
        self.write(d.question, "question")
        if number == 1:
            self.write(f"{d.prompt}  ({COMMANDS})", "dim")
        else:
            names = ", ".join(line.split()[1] for line in d.definitions)
            self.write(f"Names: {names} · an empty line checks · {COMMANDS}", "dim")
        start, hints, tries = self.clock(), 0, 0

        def finish(outcome: str) -> None:
            seconds = self.clock() - start
            self.records.append(Record(d.id, d.title, outcome, tries, hints, seconds))
            if self.store is not None:
                self.store.finish(d.id, d.seed, outcome, hints=hints, tries=tries, seconds=seconds)

        while True:
            try:
                first = self._line("> ").strip()
                if self._time_up():
                    raise _End
            except _End:
                finish("unfinished")
                raise
            if not first:
                continue
            if first == "?":
                if hints < len(d.hints):
                    hints += 1
                    self.write(f"hint {hints} of {len(d.hints)}: {d.hints[hints - 1]}", "hint")
                else:
                    self.write("no more hints; ! shows the worked solution", "dim")
                continue
            if first == "!":
                self.write("Worked solution:", "title")
                for line in d.solution:
                    self.write(f"  {line}", "hint")
                finish("gave up")
                return
            if first.lower() in ("q", "quit", "exit"):
                finish("unfinished")
                raise _End
            working, ended = [first], False
            while True:
                try:
                    more = self._line(". ").strip()
                except _End:
                    ended = True
                    break
                if not more:
                    break
                working.append(more)
            try:
                verdict = judge(d, working)
            except KeyboardInterrupt:  # Ctrl-C while checking
                self.write("interrupted", "note")
                finish("unfinished")
                raise _End from None
            tries += 0 if verdict.unreadable else 1
            kind = "unreadable" if verdict.unreadable else "right" if verdict.right else "wrong"
            if self.store is not None:
                self.store.attempt(
                    d.id, d.seed, kind, "\n".join(working), verdict.line, verdict.diagnosis
                )
            style = "good" if verdict.right else "note" if verdict.unreadable else "bad"
            for index, message in enumerate(verdict.messages):
                self.write(message if index == 0 else f"  {message}", style if index == 0 else None)
            if verdict.right:
                self.write(f"  exact answer: {d.shown}")
                finish("right")
                if ended:
                    raise _End
                return
            if ended:
                finish("unfinished")
                raise _End
            if not verdict.unreadable:
                self.write("Try again, or ? for a hint, ! for the solution.", "dim")
