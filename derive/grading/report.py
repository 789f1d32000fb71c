"""The class report: one self-contained HTML page (no script, no network) with, per exercise,
the most common mistakes with counts, an example of each and a bar chart, and the lines where
students most often go wrong.

>>> from derive.grading.gradebook import Row
>>> table = [Row("ada", "sq", 0.0, "incorrect", 1, "a^2+b^2", "a term dropped", "…", 1),
...          Row("bo", "sq", 1.0, "correct", None, None, None, None, 1)]
>>> [(s.exercise, s.mistakes[0].kind, s.mistakes[0].count) for s in summary(table)]
[('sq', 'a term dropped', 1)]
>>> "<svg" in html(table, title="Week 3")
True
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from statistics import fmean

from derive.grading.gradebook import Row

TOP = 8  # mistakes and lines shown per exercise


@dataclass(frozen=True)
class Mistake:
    """A kind of mistake on one exercise: how many made it, and one of them."""

    kind: str
    count: int
    example: Row


@dataclass(frozen=True)
class Line:
    """A line where students went wrong: how many, and the most common text written there."""

    line: int
    count: int
    text: str
    same: int  # how many wrote exactly that text


@dataclass(frozen=True)
class Exercise:
    """What the class did on one exercise."""

    exercise: str
    students: int
    correct: int
    mean_score: float
    mistakes: tuple[Mistake, ...]  # most common first
    lines: tuple[Line, ...]  # most common first


def summary(table: Sequence[Row]) -> list[Exercise]:
    """Per exercise (in name order): counts of mistakes and of first-error lines."""
    out = []
    for exercise in sorted({row.exercise for row in table}):
        group = [row for row in table if row.exercise == exercise]
        kinds = Counter(row.mistake for row in group if row.mistake is not None)
        mistakes = tuple(
            Mistake(kind, count, next(r for r in group if r.mistake == kind))
            for kind, count in sorted(kinds.items(), key=lambda item: (-item[1], item[0]))
        )
        at = Counter(row.first_error for row in group if row.first_error is not None)
        lines = []
        for line, count in sorted(at.items(), key=lambda item: (-item[1], item[0])):
            texts = Counter(r.line or "" for r in group if r.first_error == line)
            text, same = min(texts.items(), key=lambda item: (-item[1], item[0]))
            lines.append(Line(line, count, text, same))
        out.append(
            Exercise(
                exercise,
                len(group),
                sum(row.verdict == "correct" for row in group),
                fmean(row.score for row in group),
                mistakes,
                tuple(lines),
            )
        )
    return out


def bars(items: Sequence[tuple[str, float]], unit: str = "", width: int = 640) -> str:
    """A horizontal bar chart as inline SVG (labels left, bars scaled to the largest value).

    >>> bars([("a", 2), ("b", 1)]).count("<rect")
    2
    """
    label_w, bar_h, gap = 300, 18, 6
    most = max((v for _, v in items), default=1) or 1
    height = len(items) * (bar_h + gap) + gap
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'role="img" class="bars">'
    ]
    for i, (label, value) in enumerate(items):
        y = gap + i * (bar_h + gap)
        length = max(1.0, (width - label_w - 70) * value / most)
        shown = label if len(label) <= 44 else label[:43] + "…"
        number = f"{value:g}{unit}"
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 13}" text-anchor="end">{escape(shown)}</text>'
            f'<rect x="{label_w}" y="{y}" width="{length:.1f}" height="{bar_h}" rx="2">'
            f"<title>{escape(label)}: {number}</title></rect>"
            f'<text x="{label_w + length + 6:.1f}" y="{y + 13}">{number}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 980px; color: #222; }
h1 { font-size: 1.6em; } h2 { margin-top: 2em; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; margin: .6em 0 1em; width: 100%; }
th, td { text-align: left; padding: .3em .6em; border-bottom: 1px solid #eee; vertical-align: top; }
th { font-weight: 600; background: #f6f6f6; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
code { font: 13px ui-monospace, monospace; background: #f4f4f4; padding: 0 .2em; }
.muted { color: #666; font-size: .9em; }
svg.bars rect { fill: #c0504d; } svg.bars text { font: 12px system-ui, sans-serif; fill: #333; }
svg.scores rect { fill: #4f81bd; }
table.lines th:nth-child(-n+2), table.lines td.n { width: 6em; }
table.mistakes th:first-child { width: 16em; } table.mistakes th:nth-child(2) { width: 6em; }
"""


def _mistakes(exercise: Exercise) -> str:
    if not exercise.mistakes:
        return "<p>No mistakes: every submission was correct.</p>"
    shown = exercise.mistakes[:TOP]
    chart = bars([(m.kind, m.count) for m in shown])
    rows = []
    for m in shown:
        e = m.example
        where = f", line {e.first_error}: <code>{escape(e.line)}</code>" if e.line else ""
        rows.append(
            f'<tr class="mistake" data-kind="{escape(m.kind)}" data-count="{m.count}">'
            f"<td>{escape(m.kind)}</td><td class='n'>{m.count}</td>"
            f"<td>{escape(e.student)}{where}<br><span class='muted'>"
            f"{escape(e.diagnosis or '')}</span></td></tr>"
        )
    return (
        f'{chart}<table class="mistakes"><tr><th>mistake</th><th>students</th>'
        "<th>an example</th></tr>" + "".join(rows) + "</table>"
    )


def _lines(exercise: Exercise) -> str:
    if not exercise.lines:
        return ""
    rows = "".join(
        f'<tr class="line" data-line="{line.line}" data-count="{line.count}">'
        f"<td class='n'>{line.line}</td><td class='n'>{line.count}</td>"
        f"<td><code>{escape(line.text)}</code> <span class='muted'>({line.same} wrote this)"
        "</span></td></tr>"
        for line in exercise.lines[:TOP]
    )
    return (
        '<h3>Where students go wrong</h3><table class="lines"><tr><th>line</th><th>students</th>'
        f"<th>the most common wrong line</th></tr>{rows}</table>"
    )


def html(table: Sequence[Row], title: str = "Class report") -> str:
    """The report as one HTML page."""
    exercises = summary(table)
    students = len({row.student for row in table})
    overview = bars([(e.exercise, round(e.mean_score, 2)) for e in exercises]).replace(
        'class="bars"', 'class="bars scores"'
    )
    sections = []
    for e in exercises:
        sections.append(
            f'<section class="exercise" id="{escape(e.exercise)}"><h2>{escape(e.exercise)}</h2>'
            f"<p>{e.students} students, {e.correct} correct, mean score "
            f"{e.mean_score:.2f}.</p><h3>Most common mistakes</h3>"
            f"{_mistakes(e)}{_lines(e)}</section>"
        )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>"
        f"<h1>{escape(title)}</h1><p>{students} students, {len(exercises)} exercises, "
        f"{len(table)} graded submissions (the latest per student and exercise). Scores are "
        "partial credit with the error carried forward: the fraction of steps that follow "
        "from the step before.</p><h2>Mean score per exercise</h2>"
        f"{overview}{''.join(sections)}</body></html>\n"
    )
