"""The IPython glue: ``%load_ext derive`` registers the ``%%derive`` cell magic and displays
``derive.check`` results and derivations as typeset, marked working.

>>> typeset = derive_cell("", "let s = sigmoid(z)\\ndiff(s, z)\\n= s(1 - s)  # chain rule")
>>> typeset.marks, typeset.verdict
(['defined', 'start', 'proven'], 'correct')

A cell that cannot be read is one line, ``<cell>:LINE:COLUMN: what`` (IPython's UsageError,
shown without a traceback). IPython is imported only when the extension is loaded.
"""

from __future__ import annotations

from typing import Any

from derive.documents.blocks import check_block, parse_block
from derive.documents.errors import DocumentError
from derive.notebook.display import (
    Typeset,
    Working,
    html,
    latex,
    text,
    working_of_block,
    working_of_derivation,
    working_of_result,
)

_VERIFIED: dict[str, tuple[Any, Working]] = {}  # a derivation's working, by id (verify once)


def derive_cell(line: str, cell: str) -> Typeset:
    """Check a ``%%derive`` cell (the block syntax of a document's derive block); ``line``
    (the rest of the magic's line) must be empty: declarations go in a ``given:`` line."""
    if line.strip():
        raise DocumentError(
            "<cell>",
            1,
            1,
            f"%%derive takes no options ({line.strip()!r}); "
            "declare names in the cell, e.g. given: x positive",
        )
    return Typeset(working_of_block(check_block(parse_block(cell, path="<cell>"))))


def derivation_working(derivation: Any) -> Working:
    """A derivation's working marked by its verification (verified once per object)."""
    from derive.reasoning.verify import verify

    cached = _VERIFIED.get(derivation.id)
    if cached is None or cached[0] is not derivation:
        cached = (derivation, working_of_derivation(derivation, verify(derivation)))
        _VERIFIED[derivation.id] = cached
    return cached[1]


def load_ipython_extension(ipython: Any) -> None:
    """Register ``%%derive`` and the rich display of results and derivations."""
    from IPython.core.error import UsageError

    def magic(line: str, cell: str) -> Typeset:
        try:
            return derive_cell(line, cell)
        except DocumentError as error:
            raise UsageError(str(error)) from None

    magic.__doc__ = derive_cell.__doc__
    ipython.register_magic_function(magic, "cell", "derive")
    formatters = ipython.display_formatter.formatters
    shown = {
        ("derive.checker.api", "Result"): working_of_result,
        ("derive.numeric.derivation", "Derivation"): derivation_working,
    }
    for (module, name), working in shown.items():
        formatters["text/html"].for_type_by_name(module, name, lambda o, w=working: html(w(o)))
        formatters["text/latex"].for_type_by_name(module, name, lambda o, w=working: latex(w(o)))
        formatters["text/plain"].for_type_by_name(
            module, name, lambda o, p, cycle, w=working: p.text(text(w(o)))
        )
