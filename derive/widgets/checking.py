"""Check your working: type the steps of a hand calculation, read the checker's verdict per line.

>>> given_kinds("A: matrix 2 2; x: vector 2, p: probability")
{'A': 'matrix 2 2', 'x': 'vector 2', 'p': 'probability'}
>>> given_kinds("")
{}
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import Any

from derive.widgets import common as c

_KIND = re.compile(r"^\s*([A-Za-z_][A-Za-z_0-9]*)\s*[:=]\s*(\S.*?)\s*$")
_VERDICT = {
    "proven": ("✓", "proven", "derive-ok"),
    "numeric": ("✓", "agrees at every test point", "derive-ok"),
    "refuted": ("✗", "does not follow", "derive-bad"),
    "unknown": ("?", "could not decide", "derive-note"),
    "given": ("·", "given (a premise)", "derive-note"),
    "defined": ("·", "defined", "derive-note"),
}

EXAMPLE_STEPS = "\n".join(
    ["diff(x^2 * exp(x), x)", "2*x*exp(x) + x^2*exp(x)", "x*exp(x)*(x + 2)", "x^2*exp(x)*(2 + x)"]
)
EXAMPLE_GIVEN = "x: scalar"


def given_kinds(text: str) -> dict[str, str]:
    """Parse ``name: kind`` entries separated by commas, semicolons or new lines."""
    kinds: dict[str, str] = {}
    for entry in filter(str.strip, re.split(r"[;,\n]", text)):
        match = _KIND.match(entry)
        if match is None:
            raise c.BadValue(
                f"kinds: cannot read {entry.strip()!r}; write name: kind, e.g. A: matrix 2 2"
            )
        kinds[match.group(1)] = match.group(2)
    return kinds


def _as_json(result: Any) -> Mapping[str, Any]:
    """The checker's result in the shape of the JSON contract (DESIGN: the checker contract)."""
    return result.as_dict()


def _counterexample(values: Mapping[str, Any] | None) -> str:
    if not values:
        return ""
    shown = ", ".join(f"{html.escape(str(k))} = {html.escape(str(v))}" for k, v in values.items())
    return f"<br><small>counterexample: {shown}</small>"


def check_working() -> c.Panel:
    """A text area for steps and a kinds box; ``derive.check``'s verdict line by line."""
    from derive.checker.api import check

    steps = c.ipw.Textarea(
        value=EXAMPLE_STEPS,
        description="steps",
        placeholder="one expression per line; each must equal the line before",
        continuous_update=False,
        style=c.STYLE,
        layout=c.ipw.Layout(width="40em", height="9em"),
    )
    given = c.ipw.Text(
        value=EXAMPLE_GIVEN,
        description="kinds",
        placeholder="A: matrix 2 2, x: vector 2, p: probability",
        continuous_update=False,
        style=c.STYLE,
        layout=c.ipw.Layout(width="40em"),
    )
    button = c.ipw.Button(description="Check", button_style="primary")
    verdict = c.output("verdict")
    lines = c.output("lines")

    def update() -> None:
        written = [line.strip() for line in steps.value.splitlines() if line.strip()]
        verdict.value = lines.value = ""
        if not written:
            raise c.BadValue("steps: empty; write one expression per line")
        kinds = given_kinds(given.value)
        result = _as_json(check(written, given=kinds))
        if result.get("error"):
            raise c.BadValue(str(result["error"]))
        overall = result["verdict"]
        first = result["first_error"]
        summary = {
            "correct": "correct: every step follows from the one before",
            "incorrect": f"incorrect: step {first} does not follow from the step before",
            "unknown": "undecided: some step could be neither proven nor refuted",
        }[overall]
        css = {"correct": "derive-ok", "incorrect": "derive-bad"}.get(overall, "derive-note")
        verdict.value = f'<span class="{css}" data-verdict="{overall}">{summary}</span>'
        # Steps are numbered from 0, as in the checker's contract and its diagnoses.
        # Each step as the checker read it, with its pair (a step with none starts a chain).
        read = result.get("read") or written
        pairs = {pair["to"]: pair for pair in result["pairs"]}
        rows = []
        for index, text in enumerate(read):
            pair = pairs.get(index)
            if pair is None:
                rows.append(
                    f"<tr><td>{index}</td><td><code>{html.escape(text)}</code></td><td></td></tr>"
                )
                continue
            mark, words, style = _VERDICT[pair["verdict"]]
            relation = pair.get("relation")
            if relation not in (None, "=") and pair["from"] != index:
                words += f" ({html.escape(relation)} step {pair['from']})"
            diagnosis = pair.get("diagnosis") or pair.get("note") or ""
            note = f"<br><small>{html.escape(diagnosis)}</small>" if diagnosis else ""
            rows.append(
                f'<tr data-verdict="{pair["verdict"]}"><td>{index}</td>'
                f"<td><code>{html.escape(text)}</code></td>"
                f'<td class="{style}">{mark} {words}{note}'
                f"{_counterexample(pair.get('counterexample'))}</td></tr>"
            )
        lines.value = f'<table class="derive-lines">{"".join(rows)}</table>'

    inputs = {"steps": steps, "given": given}
    layout = c.ipw.VBox([steps, given, button, verdict, lines])
    panel = c.panel(
        "check",
        "Check your working",
        "Write each step of a calculation on its own line; every line must equal the one "
        "before. Declare what the names are (scalar, positive, probability, vector n, "
        "matrix m n, symmetric n, spd n). The checker says which line goes wrong, with a "
        "counterexample.",
        inputs,
        {"verdict": verdict, "lines": lines},
        layout,
        update,
    )
    button.on_click(lambda _: panel.refresh())
    return panel
