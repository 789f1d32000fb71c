"""The JSON form of a derivation (``derive show ID --format json``).

>>> from derive.catalog import get
>>> sorted(as_dict(get("inverse-2x2")))[:4]
['assumptions', 'id', 'interview', 'intuition']
"""

from __future__ import annotations

from typing import Any

from derive.catalog import CATALOG
from derive.catalog.entry import Entry
from derive.numeric.derivation import Derivation
from derive.render.tex import mistake_latex, result_latex, step_latex, tex


def metadata(entry: Entry) -> dict[str, Any]:
    """The JSON head of a derivation, from its catalog entry alone (nothing is built).

    >>> metadata(CATALOG["pagerank"])
    {'id': 'pagerank', 'title': 'PageRank', 'topic': 'linear-algebra'}
    """
    return {"id": entry.id, "title": entry.title, "topic": entry.topic.value}


def entry_of(derivation: Derivation) -> Entry:
    """The catalog entry of a derivation, or one made from its fields if it is not listed.

    >>> from derive.catalog import get
    >>> entry_of(get("dot-product")) is CATALOG["dot-product"]
    True
    """
    listed = CATALOG.get(derivation.id)
    if listed is not None and (listed.title, listed.topic) == (derivation.title, derivation.topic):
        return listed
    return Entry(id=derivation.id, topic=derivation.topic, title=derivation.title)


def as_dict(derivation: Derivation) -> dict[str, Any]:
    """Everything a tool needs to show or grade a derivation, as plain JSON data."""
    d = derivation
    return {
        **metadata(entry_of(d)),
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
