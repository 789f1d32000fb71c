"""Interview practice in the browser: a question, a text area for the working, Check, Hint,
Solution and Next, and the running score — ``derive practice`` as a worksheet panel.

>>> panel = practice(["determinant-trace-2x2"], seed=1)
>>> panel.inputs["working"].value = "(-4)(-5) - (-3)(1)"
>>> "✓ right" in panel.outputs["verdict"].value, "1 right of 1" in panel.outputs["score"].value
(True, True)

The questions, the judging, the hints and the worked solutions are ``derive.practice``'s (the
sheets' verified exercises, checked by the reasoning checker); this module only lays them out.
The working is checked when the text area is committed (leaving it, or Check).
"""

from __future__ import annotations

import html
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from derive.practice.drills import Drill, Verdict, drill, judge
from derive.widgets import common as c

# A short interview set that covers the three topics (quick to generate and to check).
INTERVIEW = (
    "determinant-trace-2x2",
    "inverse-2x2",
    "bayes-theorem",
    "chain-rule-activations",
    "eigenvalues-2x2",
    "variance-shortcut",
    "dot-product",
    "bernoulli",
)


@dataclass
class _State:
    ids: list[str]
    seed: int
    index: int = 0
    hints: int = 0
    asked: int = 1
    right: int = 0
    finished: bool = False  # right, or the solution was shown
    done: set[int] = field(default_factory=set)

    @property
    def drill(self) -> Drill:
        return drill(self.ids[self.index % len(self.ids)], self.seed)


def _lines(items: Sequence[str], css: str = "") -> str:
    cls = f' class="{css}"' if css else ""
    return "".join(f"<div{cls}>{html.escape(item)}</div>" for item in items)


def _verdict_html(verdict: Verdict) -> str:
    kind = "unreadable" if verdict.unreadable else "right" if verdict.right else "wrong"
    css = {"right": "derive-ok", "wrong": "derive-bad"}.get(kind, "derive-note")
    line = "" if verdict.line is None else f' data-line="{verdict.line}"'
    head, *rest = verdict.messages
    return f'<div class="{css}" data-verdict="{kind}"{line}>{html.escape(head)}</div>' + _lines(
        [m.strip() for m in rest], "derive-note"
    )


def practice(ids: Sequence[str] | None = None, seed: int | None = None) -> c.Panel:
    """The practice panel over ``ids`` (default: ``INTERVIEW``), exercises drawn with ``seed``
    (default: a random one, shown on the page)."""
    from derive.catalog import CATALOG

    unknown = [i for i in ids or () if i not in CATALOG]
    if unknown:
        raise c.MissingPiece(f"no catalog entry {unknown[0]!r}")
    state = _State(
        list(ids or INTERVIEW), random.SystemRandom().randrange(10**4) if seed is None else seed
    )
    question = c.output("question")
    working = c.ipw.Textarea(
        value="",
        description="working",
        placeholder="the answer, or one step per line (each must equal the line before)",
        continuous_update=False,
        style=c.STYLE,
        layout=c.ipw.Layout(width="40em", height="7em"),
    )
    buttons = {}
    for name, label, style in (
        ("check", "Check", "primary"),
        ("hint", "Hint", ""),
        ("solution", "Solution", "warning"),
        ("next", "Next question", "success"),
    ):
        buttons[name] = c.ipw.Button(description=label, button_style=style)
        buttons[name].add_class(f"derive-btn-{name}")
    verdict = c.output("verdict")
    hints = c.output("hints")
    solution = c.output("solution")
    score = c.output("score")

    def show_score() -> None:
        score.value = (
            f'<b data-right="{state.right}" data-asked="{state.asked}">Score: {state.right} '
            f"right of {state.asked}</b> · seed {state.seed}"
        )

    def show_question() -> None:
        d = state.drill
        question.value = (
            f'<div data-id="{d.id}" data-seed="{d.seed}"><b>Question {state.asked}: '
            f"{html.escape(d.title)}</b></div><p>{html.escape(d.question)}</p>"
            f'<p class="derive-note">{html.escape(d.prompt)}</p>'
        )
        verdict.value = hints.value = solution.value = ""
        show_score()

    def update() -> None:
        written = [line for line in working.value.splitlines() if line.strip()]
        if not written:
            verdict.value = ""
            return
        result = judge(state.drill, written)
        if result.unreadable:
            raise c.BadValue(result.messages[0])
        verdict.value = _verdict_html(result)
        if result.right and not state.finished:
            state.finished = True
            state.right += 1
            verdict.value += _lines([f"exact answer: {state.drill.shown}"], "derive-note")
        show_score()

    def hint(_: Any = None) -> None:
        d = state.drill
        if state.hints < len(d.hints):
            state.hints += 1
        shown = [f"hint {k + 1} of {len(d.hints)}: {d.hints[k]}" for k in range(state.hints)]
        if state.hints == len(d.hints):
            shown.append("no more hints: Solution shows the worked solution")
        hints.value = _lines(shown)

    def solve(_: Any = None) -> None:
        state.finished = True
        solution.value = "<b>Worked solution</b>" + _lines(state.drill.solution)

    def advance(_: Any = None) -> None:
        state.index += 1
        state.asked += 1
        state.hints = 0
        state.finished = False
        show_question()
        working.value = ""

    show_question()
    layout = c.ipw.VBox(
        [
            question,
            working,
            c.ipw.HBox(list(buttons.values())),
            verdict,
            hints,
            solution,
            score,
        ]
    )
    panel = c.panel(
        "practice",
        "Interview practice",
        "Work the question on paper, then type the answer or your working, one step per line. "
        "Each line is checked against the one before (the first against the answer): a wrong "
        "line is named, with a counterexample and the mistake it looks like. Hints are the "
        "derivation's steps, one at a time.",
        {"working": working},
        {
            "question": question,
            "verdict": verdict,
            "hints": hints,
            "solution": solution,
            "score": score,
            # the buttons, for scripts and tests: panel.outputs["hint_button"].click()
            **{f"{name}_button": button for name, button in buttons.items()},
        },
        layout,
        update,
    )
    buttons["check"].on_click(lambda _: panel.refresh())
    buttons["hint"].on_click(hint)
    buttons["solution"].on_click(solve)
    buttons["next"].on_click(advance)
    return panel
