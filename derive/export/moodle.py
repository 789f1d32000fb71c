r"""Moodle XML: one question category per derivation, its variants as questions.

>>> from derive.catalog import get
>>> from derive.export.variants import export_set
>>> text = moodle_xml(export_set([get("dot-product")], count=1, seed=0))
>>> text.splitlines()[0], "<question type=\"numerical\">" in text
('<?xml version="1.0" encoding="UTF-8"?>', True)

The format is Moodle's XML import format ("Moodle XML format" in Moodle's documentation):
``<quiz>`` holds, per derivation, a ``category`` pseudo-question (``$course$/top/derive/<id>``,
its title as the category's info) followed by its variants. Question types used:

- ``numerical``: one ``<answer fraction="100">`` with the value and its ``<tolerance>``
  (0.1 % of the value);
- ``cloze`` (Moodle's *embedded answers*): the question text holds one
  ``{1:NUMERICAL:=value:tolerance}`` blank per entry, laid out like the vector or matrix;
- ``multichoice``: ``<single>true</single>``, shuffled, the right answer at fraction 100 and
  each recorded mistake at fraction 0 with its explanation as the answer's feedback.

Question text is HTML with TeX in ``\( … \)`` (Moodle's MathJax and TeX filters read it). The
output depends only on the derivations, the count and the seed: the same arguments give the same
bytes.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

from derive.export.variants import Part, Variant, html_text
from derive.numeric.derivation import Derivation

PENALTY = "0.3333333"
ROOT = "$course$/top/derive"


def number(value: float) -> str:
    """A decimal Moodle reads back as the same float (no exponent for ordinary sizes).

    >>> number(0.8), number(-3.0), number(1 / 3)
    ('0.8', '-3', '0.333333333333333')
    """
    text = f"{value:.15g}"
    return "0" if text == "-0" else text


def _text(parent: ET.Element, tag: str, content: str, html: bool = True) -> ET.Element:
    element = ET.SubElement(parent, tag, {"format": "html"} if html else {})
    ET.SubElement(element, "text").text = content
    return element


def _common(question: ET.Element, v: Variant, body: str) -> None:
    name = ET.SubElement(question, "name")
    ET.SubElement(name, "text").text = f"{v.id} #{v.number}"
    _text(question, "questiontext", body)
    feedback = (
        f"<p>{html_text(v.answer)}</p>"
        f"<p>Computed exactly and confirmed by {html_text(v.confirmed_by)}.</p>"
    )
    _text(question, "generalfeedback", feedback)
    ET.SubElement(question, "defaultgrade").text = "1"
    ET.SubElement(question, "penalty").text = PENALTY
    ET.SubElement(question, "hidden").text = "0"


def _decimals_note(parts: Sequence[Part]) -> str:
    if all(float(p.value).is_integer() for p in parts):
        return ""
    return "<p>Give decimals to at least 4 significant figures.</p>"


def blank(part: Part) -> str:
    """A Cloze numerical blank.

    >>> blank(Part("x", 0.8, 0.0008))
    '{1:NUMERICAL:=0.8:0.0008}'
    """
    return f"{{1:NUMERICAL:={number(part.value)}:{number(part.tolerance)}}}"


def _cloze_body(v: Variant) -> str:
    if v.shape is not None:
        rows, cols = v.shape
        cells = [blank(p) for p in v.parts]
        table = "".join(
            "<tr>" + "".join(f"<td>{cells[i * cols + j]}</td>" for j in range(cols)) + "</tr>"
            for i in range(rows)
        )
        return (
            f"<p>\\({html_text(v.lhs)} =\\)</p>"
            f'<table class="derive-matrix"><tbody>{table}</tbody></table>'
        )
    return "".join(f"<p>\\({html_text(p.label)} =\\) {blank(p)}</p>" for p in v.parts)


def question(v: Variant) -> ET.Element:
    """One variant as a ``<question>``."""
    element = ET.Element("question", {"type": v.kind})
    intro = f"<p>{html_text(v.question)}</p>"
    if v.kind == "numerical":
        _common(element, v, intro + _decimals_note(v.parts))
        part = v.parts[0]
        answer = ET.SubElement(
            element, "answer", {"fraction": "100", "format": "moodle_auto_format"}
        )
        ET.SubElement(answer, "text").text = number(part.value)
        _text(answer, "feedback", "<p>Correct.</p>")
        ET.SubElement(answer, "tolerance").text = number(part.tolerance)
        ET.SubElement(element, "unitgradingtype").text = "0"
        ET.SubElement(element, "unitpenalty").text = "0.1000000"
        ET.SubElement(element, "showunits").text = "3"
        ET.SubElement(element, "unitsleft").text = "0"
    elif v.kind == "cloze":
        _common(element, v, intro + _cloze_body(v) + _decimals_note(v.parts))
    else:
        ask = f"<p>Which of these is \\({html_text(v.lhs)}\\)?</p>"
        _common(element, v, intro + ask)
        ET.SubElement(element, "single").text = "true"
        ET.SubElement(element, "shuffleanswers").text = "true"
        ET.SubElement(element, "answernumbering").text = "abc"
        for choice in v.choices:
            answer = ET.SubElement(
                element, "answer", {"fraction": "100" if choice.correct else "0", "format": "html"}
            )
            ET.SubElement(answer, "text").text = f"\\({html_text(choice.latex)}\\)"
            _text(answer, "feedback", f"<p>{html_text(choice.feedback)}</p>")
    return element


def category(d: Derivation) -> ET.Element:
    """The category pseudo-question that puts the questions after it in ``d``'s category."""
    element = ET.Element("question", {"type": "category"})
    _text(element, "category", f"{ROOT}/{d.id}", html=False)
    _text(element, "info", f"<p>{html_text(d.title)}: randomised variants made by derive.</p>")
    return element


def moodle_xml(exported: Sequence[tuple[Derivation, Sequence[Variant]]]) -> str:
    """The Moodle XML document for derivations and their variants."""
    quiz = ET.Element("quiz")
    for d, found in exported:
        quiz.append(category(d))
        for v in found:
            quiz.append(question(v))
    ET.indent(quiz)
    body = ET.tostring(quiz, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"
