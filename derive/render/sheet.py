"""Printable interview-prep sheets: interview questions plus seeded numeric exercises.

>>> from derive.catalog import get
>>> source = sheet_latex([get("inverse-2x2")], seed=3, answers=True)
>>> "Answer key" in source and r"\\pdftrailerid{}" in source
True

Each derivation contributes (a) its interview question and (b) a numeric instance from
``derive.render.exercises`` whose answer was computed exactly by SymPy and confirmed against the
twin's independent reference. The same derivations and seed give the same LaTeX, byte for byte.
"""

from __future__ import annotations

from collections.abc import Sequence

from derive.core.model import Topic
from derive.numeric.derivation import Derivation
from derive.render.exercises import Exercise, exercise
from derive.render.matrices import matrix_prose
from derive.render.tex import prose

PREAMBLE = r"""\documentclass[11pt]{article}
\usepackage[margin=2cm]{geometry}
\usepackage{amsmath,amssymb}
\pdftrailerid{}
\setlength{\parindent}{0pt}
\setlength{\parskip}{0.4em}
\allowdisplaybreaks
"""

TOPIC_TITLES = {
    Topic.LINEAR_ALGEBRA: "Linear algebra",
    Topic.PROBABILITY_STATISTICS: "Probability and statistics",
    Topic.CALCULUS_OPTIMIZATION: "Calculus and optimisation",
}


def _question_block(number: int, d: Derivation, ex: Exercise | None) -> str:
    # a derivation of your own without a numeric twin has no computed exercise: (a) only
    exercise = "" if ex is None else rf"(b) {ex.question}" + "\n\n"
    return (
        rf"\subsection*{{{number}. {prose(d.title)}}}"
        + "\n"
        + rf"(a) {matrix_prose(d.interview.question)}"
        + "\n\n"
        + exercise
        + r"\vspace{1.2cm}"
    )


def _answer_block(number: int, d: Derivation, ex: Exercise | None) -> str:
    head = (
        rf"\subsection*{{{number}. {prose(d.title)}}}"
        + "\n"
        + rf"(a) {matrix_prose(d.interview.answer)}"
    )
    if ex is None:
        return head
    return (
        head
        + "\n\n"
        + rf"(b) {ex.answer}"
        # The reference on a line of its own, so that a wide answer never collides with it.
        + "\n\n"
        + rf"\hfill{{\footnotesize\itshape confirmed by {prose(ex.confirmed_by)}}}"
    )


def sheet_latex(derivations: Sequence[Derivation], *, seed: int = 0, answers: bool = False) -> str:
    """The LaTeX source of a sheet over ``derivations`` (grouped by topic, catalog order)."""
    by_topic: dict[Topic, list[Derivation]] = {}
    for d in derivations:
        by_topic.setdefault(d.topic, []).append(d)
    numbered: list[tuple[int, Derivation, Exercise | None]] = []
    questions = []
    for topic, items in by_topic.items():
        questions.append(rf"\section*{{{TOPIC_TITLES[topic]}}}")
        for d in items:
            number = len(numbered) + 1
            ex = exercise(d, seed) if d.twins else None
            numbered.append((number, d, ex))
            questions.append(_question_block(number, d, ex))
    topics = ", ".join(TOPIC_TITLES[t].lower() for t in by_topic)
    count = f"{len(numbered)} derivation{'' if len(numbered) == 1 else 's'}"
    head = [
        r"\begin{center}{\Large\bfseries Interview-prep sheet}\\[0.3em]",
        rf"{{\small {count} ({topics}) \textperiodcentered{{}} seed {seed}"
        r" \textperiodcentered{} made by \texttt{derive sheet}}\end{center}",
        r"For each derivation: (a) explain or derive; (b) compute by hand, exactly. "
        + (
            "The answer key is at the end."
            if answers
            else r"Answers: the same command with \texttt{-{}-answers}."
        ),
    ]
    parts = head + questions
    if answers:
        parts.append(r"\newpage" + "\n" + r"\section*{Answer key}")
        parts.append(
            r"{\small Numeric answers are exact values computed by SymPy from the derived "
            r"formula, each confirmed against the independent reference named beside it.}"
        )
        parts += [_answer_block(n, d, ex) for n, d, ex in numbered]
    return PREAMBLE + "\\begin{document}\n" + "\n\n".join(parts) + "\n\\end{document}\n"
