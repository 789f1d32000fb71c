r"""A QTI 1.2 package that Canvas imports, written by text2qti from the exported variants.

>>> from derive.catalog import get
>>> from derive.export.variants import export_set
>>> data = qti_zip(export_set([get("dot-product")], count=2, seed=0))
>>> import io, zipfile
>>> zipfile.ZipFile(io.BytesIO(data)).namelist()[0]
'imsmanifest.xml'

text2qti (Geoffrey Poore's Markdown-to-QTI converter for Canvas, on PyPI) writes the items:
it knows the QTI dialect Canvas reads (question types in ``itemmetadata``, response processing,
Canvas's equation images for LaTeX), so derive writes text2qti's plain-text quiz format and
lets it make the XML. What text2qti does not fix is made fixed here: the manifest's date (the
export's date, not today's) and the zip entries' timestamps, so that the same seed gives the
same bytes.

Per derivation: when each variant is one question (a number, or a multiple choice from the
recorded mistakes) the variants form a question group that gives each student one at random
(``pick: 1``, Canvas's equivalent of Moodle's random question from a category); a vector or
matrix with no multiple choice is asked entry by entry (text2qti has no multi-blank numerical
type), each variant's entries as consecutive numerical questions. Numerical answers are ranges
``[low, high]`` rounded outward to text2qti's 4 decimals.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from collections.abc import Sequence

from derive.core.errors import UsageError
from derive.export.archive import deterministic_zip
from derive.export.variants import Part, Variant
from derive.numeric.derivation import Derivation

DATE = "2026-01-01"  # the manifest's date: fixed, so that an export is reproducible
DECIMALS = 4  # text2qti writes numerical bounds with 4 decimals


def _math(latex_text: str) -> str:
    r"""LaTeX text for text2qti's Markdown: math stays in ``$…$``; Markdown's own specials
    outside math are escaped.

    >>> _math(r"Find $x_1$ * 2")
    'Find $x_1$ \\* 2'
    """
    pieces = re.split(r"(\$[^$]*\$)", latex_text)
    out = []
    for piece in pieces:
        if piece.startswith("$") and piece.endswith("$") and len(piece) > 1:
            out.append(piece)
        else:
            out.append(re.sub(r"([\\`*_{}\[\]<>#+!|])", r"\\\1", piece))
    return "".join(out)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def bounds(part: Part) -> str:
    """The accepted range, rounded outward to 4 decimals.

    >>> bounds(Part("x", 1 / 3, 1 / 3000))
    '[0.3329, 0.3337]'
    """
    scale = 10**DECIMALS
    low = math.floor((part.value - part.tolerance) * scale) / scale
    high = math.ceil((part.value + part.tolerance) * scale) / scale
    return f"[{low:.{DECIMALS}f}, {high:.{DECIMALS}f}]"


def _question(number: int, title: str, stem: str, body: list[str], feedback: str) -> list[str]:
    return [f"Title: {title}", "Points: 1", f"{number}.  {stem}", f"... {feedback}", *body, ""]


def _variant(v: Variant, start: int) -> list[str]:
    stem = _math(_one_line(v.question))
    feedback = _math(_one_line(v.answer)) + f" (confirmed by {_math(v.confirmed_by)})"
    title = f"{v.id} #{v.number}"
    if v.kind == "numerical":
        body = [f"=   {bounds(v.parts[0])}"]
        return _question(start, title, stem, body, feedback)
    if v.kind == "multichoice":
        body = []
        for k, choice in enumerate(v.choices):
            mark = "*" if choice.correct else ""
            body.append(f"{mark}{chr(ord('a') + k)})  ${choice.latex}$")
            body.append(f"... {_math(_one_line(choice.feedback))}")
        ask = f"{stem} Which of these is ${v.lhs}$?"
        return _question(start, title, ask, body, feedback)
    lines: list[str] = []
    for k, part in enumerate(v.parts):
        ask = f"{stem} Enter ${part.label}$."
        entry = f"{title} ({k + 1} of {len(v.parts)})"
        lines += _question(start + k, entry, ask, [f"=   {bounds(part)}"], feedback)
    return lines


def quiz_text(exported: Sequence[tuple[Derivation, Sequence[Variant]]], title: str) -> str:
    """text2qti's plain-text quiz for the variants."""
    lines = [
        f"Quiz title: {title}",
        "Quiz description: Randomised exercises from derive's verified catalog; every answer "
        "computed exactly and confirmed against an independent numeric reference.",
        "Shuffle answers: true",
        "",
    ]
    number = 1
    for d, found in exported:
        grouped = bool(found) and all(v.kind != "cloze" for v in found)
        lines += [f"Text title: {d.title}", f"Text: {_math(d.title)} ({d.id})", ""]
        if grouped:
            lines += ["GROUP", "pick: 1", "points per question: 1", ""]
        for v in found:
            block = _variant(v, number)
            number += sum(1 for line in block if re.match(r"\d+\.  ", line))
            lines += block
        if grouped:
            lines += ["END_GROUP", ""]
    return "\n".join(lines)


def qti_zip(
    exported: Sequence[tuple[Derivation, Sequence[Variant]]], title: str = "derive exercises"
) -> bytes:
    """The QTI package as zip bytes (the same input, the same bytes)."""
    try:
        from text2qti.config import Config
        from text2qti.err import Text2qtiError
        from text2qti.qti import QTI
        from text2qti.quiz import Quiz
        from text2qti.xml_imsmanifest import imsmanifest
    except ImportError:
        raise UsageError("derive export qti needs text2qti: pip install 'derive[export]'") from None
    text = quiz_text(exported, title)
    try:
        qti = QTI(Quiz(text, config=Config(), source_name="derive export"))
    except Text2qtiError as error:  # a bug in what derive wrote, not a user error
        raise RuntimeError(f"text2qti refused the quiz: {error}") from error
    manifest = imsmanifest(
        manifest_identifier=qti.manifest_identifier,
        assessment_identifier=qti.assessment_identifier,
        dependency_identifier=qti.dependency_identifier,
        images=qti.quiz.images,
        date=DATE,
    )
    ident = qti.assessment_identifier
    files = [
        ("imsmanifest.xml", manifest.encode("utf-8")),
        ("non_cc_assessments/", b""),
        (f"{ident}/assessment_meta.xml", qti.assessment_meta.encode("utf-8")),
        (f"{ident}/{ident}.xml", qti.assessment.encode("utf-8")),
    ]
    return deterministic_zip(files)


def read(data: bytes) -> dict[str, bytes]:
    """The files of a package (for tests and checks)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}
