"""The JSON form of a derivation (``derive show ID --format json``).

>>> from derive.catalog import get
>>> sorted(as_dict(get("inverse-2x2")))[:4]
['assumptions', 'id', 'interview', 'intuition']
"""

from __future__ import annotations

from typing import Any

from derive.numeric.derivation import Derivation
from derive.render.tex import mistake_latex, result_latex, step_latex, tex


def as_dict(derivation: Derivation) -> dict[str, Any]:
    """Everything a tool needs to show or grade a derivation, as plain JSON data."""
    d = derivation
    return {
        "id": d.id,
        "title": d.title,
        "topic": d.topic.value,
        "symbols": [
            {"latex": tex(v.symbol), "meaning": v.meaning, "domain": v.domain.value}
            for v in d.symbols
        ],
        "assumptions": list(d.assumptions),
        "steps": [{"latex": step_latex(s), "why": s.why, "rel": s.rel.value} for s in d.steps],
        "result_latex": result_latex(d),
        "results": [{"name": r.name, "latex": f"{tex(r.lhs)} = {tex(r.rhs)}"} for r in d.results],
        "intuition": d.intuition,
        "interview": {"question": d.interview.question, "answer": d.interview.answer},
        "mistakes": [
            {
                "name": m.name,
                "wrong_latex": mistake_latex(m.lhs, m.rhs),
                "explanation": m.explanation,
            }
            for m in d.mistakes
        ],
        "reference": d.reference,
        "twins": [
            {
                "name": t.name,
                "reference": t.reference.name,
                "reference_kind": t.reference.kind,
                "domain": t.domain,
            }
            for t in d.twins
        ],
        "notes": list(d.notes),
    }
