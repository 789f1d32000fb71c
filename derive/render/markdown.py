"""A derivation as a Markdown page with ``$$`` display math.

>>> from derive.catalog import get
>>> markdown(get("inverse-2x2")).splitlines()[0]
'# Inverse of a 2×2 matrix'
"""

from __future__ import annotations

from derive.numeric.derivation import Derivation
from derive.render.tex import domain_word, mistake_latex, step_latex, tex


def markdown(derivation: Derivation) -> str:
    """The derivation as Markdown (math in ``$...$`` / ``$$...$$``)."""
    d = derivation
    lines = [f"# {d.title}", "", f"*{d.topic.value}* · `{d.id}`", ""]
    if d.symbols:
        lines += ["## Symbols", ""]
        lines += [f"- ${tex(v.symbol)}$: {v.meaning} ({domain_word(v)})" for v in d.symbols]
        lines.append("")
    if d.assumptions:
        lines += ["**Assumptions:** " + "; ".join(d.assumptions), ""]
    lines += ["## Derivation", ""]
    for number, step in enumerate(d.steps, 1):
        lines += [f"{number}. {step.why}", "", f"   $${step_latex(step)}$$", ""]
    lines += ["## Result", ""]
    lines += [f"$${tex(r.lhs)} = {tex(r.rhs)}$$" for r in d.results]
    lines += ["", "## Intuition", "", d.intuition, ""]
    lines += [
        "## Interview question",
        "",
        d.interview.question,
        "",
        f"**Answer.** {d.interview.answer}",
        "",
    ]
    lines += ["## Common mistakes", ""]
    lines += [f"- ${mistake_latex(m.lhs, m.rhs)}$ is wrong: {m.explanation}" for m in d.mistakes]
    if d.notes:
        lines += ["", "## Numerical notes", ""] + [f"- {n}" for n in d.notes]
    lines += ["", f"**Checked against:** {d.reference}", ""]
    return "\n".join(lines)
