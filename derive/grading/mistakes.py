"""The kind of mistake a diagnosis names, so that a class's diagnoses can be counted.

>>> kind("missing chain-rule factor: multiply by the derivative of the inner function x^2")
'missing chain-rule factor'
>>> kind("a common mistake, diagonal not swapped (inverse-2x2): Negating the off-diagonal")
'diagonal not swapped (inverse-2x2)'
>>> kind("step 2 does not equal step 1; at the counterexample step 1 = 3 but step 2 = 4")
'a wrong step (no known pattern)'

A diagnosis says the kind first, then the particulars (the term, the values at the
counterexample): the kind is the text before the first ``:`` or ``;``.
"""

from __future__ import annotations

import re
from typing import Any

COMMON = "a common mistake, "
UNREADABLE = "could not be read"
UNDECIDED = "undecided"
INTERNAL = "internal error"


def kind(diagnosis: str) -> str:
    """The kind of mistake in a diagnosis."""
    head = re.split(r"[:;]", diagnosis, maxsplit=1)[0].strip()
    if head.startswith(COMMON):
        return head[len(COMMON) :]
    if " does not equal " in head:
        return "a wrong step (no known pattern)"
    return re.sub(r"\b(step \d+|the result of \S+)", "", head).strip() or "a wrong step"


def first_error(record: dict[str, Any]) -> tuple[int | None, str | None, str | None]:
    """(line, kind, diagnosis) of a graded record's first error; the line is None for an
    unreadable or undecided submission, the kind None for a correct one."""
    error = record.get("error")
    if error:
        return None, INTERNAL if error.startswith(INTERNAL) else UNREADABLE, error
    line = record.get("first_error")
    for pair in record.get("pairs", []):
        if line is not None and pair["to"] == line:
            diagnosis = pair.get("diagnosis") or ""
            return line, kind(diagnosis) if diagnosis else "a wrong step", diagnosis or None
    if record.get("verdict") == "unknown":
        unknown = next((p for p in record.get("pairs", []) if p["verdict"] == "unknown"), None)
        return None, UNDECIDED, unknown.get("diagnosis") if unknown else None
    return None, None, None
