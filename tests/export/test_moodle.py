"""Moodle XML: well-formed, each question type shaped as Moodle's importer reads it, the
answers re-derived with NumPy from the numbers printed in the questions, the same seed giving
the same bytes.

What Moodle's XML import (question/format/xml/format.php) reads, per Moodle's "Moodle XML
format" documentation: ``<quiz>`` of ``<question type=…>``; a ``category`` pseudo-question
whose ``<category><text>`` is a ``$course$/…`` path; every question a ``<name><text>`` and a
``<questiontext format=…><text>``; ``numerical`` an ``<answer fraction=…>`` with a number
``<text>`` and a ``<tolerance>``; ``multichoice`` ``<single>``, ``<shuffleanswers>``,
``<answernumbering>`` and answers with fractions (one at 100 for a single answer) and
``<feedback>``; ``cloze`` (multianswer) embedded answers ``{weight:NUMERICAL:=answer:tolerance}``
in the question text, parsed with the importer's pattern.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from derive.commands.cli import main
from tests.export.conftest import COUNT, SAMPLE, given, matrix

# qtype_multianswer's patterns (question/type/multianswer/questiontype.php), in Python's
# syntax (a look-behind of several widths written as several look-behinds)
FRACTION = r"=|%(-?[0-9]+(?:[.,][0-9]*)?)%"
ALT_ANSWER = r".+?(?<!\\)(?<!&)(?<!&amp;)(?=[~#}]|$)"
ALT_FEEDBACK = r".*?(?<!\\)(?=[~}]|$)"
ALTERNATIVE = rf"({FRACTION})?({ALT_ANSWER})(#({ALT_FEEDBACK}))?"
NUMBER = r"-?(([0-9]+[.,]?[0-9]*|[.,][0-9]+)([eE][-+]?[0-9]+)?)"
NUMERICAL_ALTERNATIVE = re.compile(rf"^({NUMBER})(:{NUMBER})?$", re.S)
TYPE_DEF = (
    r"(NUMERICAL|NM)|(MULTICHOICE|MC)|(MULTICHOICE_V|MCV)|(MULTICHOICE_H|MCH)|"
    r"(SHORTANSWER|SA|MW)|(SHORTANSWER_C|SAC|MWC)|"
    r"(MULTICHOICE_S|MCS)|(MULTICHOICE_VS|MCVS)|(MULTICHOICE_HS|MCHS)|"
    r"(MULTIRESPONSE|MR)|(MULTIRESPONSE_H|MRH)|(MULTIRESPONSE_S|MRS)|(MULTIRESPONSE_HS|MRHS)"
)
EMBEDDED = re.compile(rf"\{{([0-9]*):({TYPE_DEF}):({ALTERNATIVE}(~{ALTERNATIVE})*)\}}", re.S)
NORM, NUMERICAL, ALTERNATIVES = 1, 3, 16


def moodle_blanks(body: str) -> list[tuple[float, float]]:
    """The (answer, tolerance) of each embedded numerical answer, read as Moodle's
    qtype_multianswer_extract_question reads them; an answer Moodle would refuse fails."""
    found = []
    for m in EMBEDDED.finditer(body):
        assert m.group(NUMERICAL), f"not a NUMERICAL blank: {m.group(0)}"
        assert m.group(NORM) in {"", "1"}
        alternatives = list(re.finditer(rf"~?{ALTERNATIVE}", m.group(ALTERNATIVES), re.S))
        assert len(alternatives) == 1, m.group(0)
        alt = alternatives[0]
        assert alt.group(1) == "=", "the one alternative must be the full-marks answer"
        numbers = NUMERICAL_ALTERNATIVE.match(alt.group(3))
        assert numbers, f"Moodle reads no number in {alt.group(3)!r}"
        found.append((float(numbers.group(1)), float(numbers.group(6))))
    return found


TYPES = {"category", "numerical", "cloze", "multichoice"}


@pytest.fixture(scope="module")
def quiz(moodle_file: Path) -> ET.Element:
    return ET.parse(moodle_file).getroot()


def questions(quiz: ET.Element, kind: str) -> list[ET.Element]:
    return [q for q in quiz if q.get("type") == kind]


def text(q: ET.Element, path: str) -> str:
    node = q.find(path)
    assert node is not None, f"{path} missing"
    assert node.text, f"{path} empty"
    return node.text


def question_html(q: ET.Element) -> str:
    """The question's HTML as Moodle stores it (the XML text, unescaped once by the parser)."""
    return text(q, "questiontext/text")


def test_well_formed_with_declaration(moodle_file: Path, quiz: ET.Element) -> None:
    assert moodle_file.read_text(encoding="utf-8").startswith(
        '<?xml version="1.0" encoding="UTF-8"?>\n<quiz>'
    )
    assert quiz.tag == "quiz"
    assert {q.tag for q in quiz} == {"question"}
    assert {q.get("type") for q in quiz} == TYPES  # the sample uses every type


def test_a_category_per_derivation_then_its_variants(quiz: ET.Element) -> None:
    current = None
    seen: dict[str, int] = {}
    for q in quiz:
        if q.get("type") == "category":
            path = text(q, "category/text")
            assert path.startswith("$course$/top/derive/")
            current = path.rsplit("/", 1)[1]
            seen[current] = 0
            continue
        assert current is not None, "a question before any category"
        name = text(q, "name/text")
        assert name == f"{current} #{seen[current] + 1}"
        seen[current] += 1
    assert seen == {identifier: COUNT for identifier in SAMPLE}


def test_every_question_has_moodle_common_fields(quiz: ET.Element) -> None:
    for q in quiz:
        if q.get("type") == "category":
            continue
        qt = q.find("questiontext")
        assert qt is not None
        assert qt.get("format") == "html"
        body = question_html(q)
        assert "$" not in body, "TeX must be in \\( … \\), not $…$"
        assert body.count(r"\(") == body.count(r"\)") > 0
        assert float(text(q, "defaultgrade")) > 0
        assert 0 <= float(text(q, "penalty")) <= 1
        assert text(q, "hidden") == "0"
        assert "confirmed by" in text(q, "generalfeedback/text")


def test_numerical_questions(quiz: ET.Element) -> None:
    found = questions(quiz, "numerical")
    assert found
    for q in found:
        answers = q.findall("answer")
        assert [a.get("fraction") for a in answers] == ["100"]
        value = float(text(answers[0], "text"))
        tolerance = float(text(answers[0], "tolerance"))
        assert 0 < tolerance <= abs(value) * 1e-3 + 1e-3
        assert not EMBEDDED.search(question_html(q))


def test_multichoice_questions(quiz: ET.Element) -> None:
    found = questions(quiz, "multichoice")
    assert found
    for q in found:
        assert text(q, "single") == "true"
        assert text(q, "shuffleanswers") in {"true", "1"}
        assert text(q, "answernumbering") in {"abc", "ABCD", "123", "none"}
        answers = q.findall("answer")
        assert len(answers) >= 3
        assert sorted(a.get("fraction") for a in answers) == ["0"] * (len(answers) - 1) + ["100"]
        shown = [text(a, "text") for a in answers]
        assert len(set(shown)) == len(shown), "two options look the same"
        for a in answers:
            assert a.get("format") == "html"
            assert text(a, "text").startswith(r"\(")
            assert text(a, "text").endswith(r"\)")
            assert len(text(a, "feedback/text")) > len("<p></p>")


def test_cloze_questions(quiz: ET.Element) -> None:
    found = questions(quiz, "cloze")
    assert found
    for q in found:
        body = question_html(q)
        blanks = moodle_blanks(body)
        assert len(blanks) >= 2, "a Cloze question is for a vector or matrix"
        for value, tolerance in blanks:
            assert 0 < tolerance <= abs(value) * 1e-3 + 1e-3
        # nothing else in the text starts an embedded answer for the importer
        assert len(re.findall(r"\{[0-9]*:", body)) == len(blanks)
        assert q.find("answer") is None


def test_the_cloze_reader_refuses_what_moodle_refuses() -> None:
    assert moodle_blanks("{1:NUMERICAL:=0.5:0.001}") == [(0.5, 0.001)]
    assert moodle_blanks("{1:NUMERICAL:=-12:6.6e-06}") == [(-12.0, 6.6e-06)]
    with pytest.raises(AssertionError):
        moodle_blanks("{1:NUMERICAL:=1/2:0.001}")  # not a number to Moodle
    with pytest.raises(AssertionError):
        moodle_blanks("{1:SHORTANSWER:=x}")


# -- answers re-derived with NumPy from the numbers the question shows --------------------


def _arr(value: Any) -> np.ndarray:
    return np.array([[float(x) for x in row] for row in value])


def numpy_answer(identifier: str, question: str) -> np.ndarray:
    """The expected answer, from the question's own numbers, with NumPy only."""
    if identifier == "dot-product":
        return np.array(
            [float(np.dot(_arr(given(question, "a"))[:, 0], _arr(given(question, "b"))[:, 0]))]
        )
    if identifier == "bayes-theorem":
        p, s, f = (float(given(question, n)) for n in ("p", "s", "f"))  # type: ignore[arg-type]
        return np.array([s * p / (s * p + f * (1 - p))])
    if identifier == "matrix-product-entries":
        return (_arr(given(question, "A")) @ _arr(given(question, "B"))).ravel()
    if identifier == "eigenvalues-2x2":
        return np.sort(np.linalg.eigvals(_arr(given(question, "A"))).real)
    if identifier == "normal-equation":
        X, y = _arr(given(question, "X")), _arr(given(question, "y"))
        return np.linalg.lstsq(X, y, rcond=None)[0].ravel()
    if identifier == "inverse-2x2":
        return np.linalg.inv(_arr(given(question, "A"))).ravel()
    if identifier == "linear-system-2x2":
        return np.linalg.solve(_arr(given(question, "A")), _arr(given(question, "b"))).ravel()
    raise AssertionError(f"no NumPy evaluator for {identifier}")


def exported_answer(q: ET.Element) -> np.ndarray:
    """The answer as the exported question states it, read from the XML."""
    kind = q.get("type")
    if kind == "numerical":
        return np.array([float(text(q.findall("answer")[0], "text"))])
    if kind == "cloze":
        return np.array([value for value, _ in moodle_blanks(question_html(q))])
    right = [a for a in q.findall("answer") if a.get("fraction") == "100"]
    return np.array(
        [float(x) for row in matrix(html.unescape(text(right[0], "text"))) for x in row]
    )


def test_answers_agree_with_numpy(quiz: ET.Element) -> None:
    checked = 0
    for q in quiz:
        if q.get("type") == "category":
            continue
        identifier = text(q, "name/text").split(" #")[0]
        question = html.unescape(re.sub(r"<[^>]+>", " ", question_html(q)))
        want = numpy_answer(identifier, question)
        got = exported_answer(q)
        assert got.shape == want.shape, (identifier, got, want)
        assert np.allclose(got, want, rtol=1e-9, atol=1e-12), (identifier, got, want)
        checked += 1
    assert checked == COUNT * len(SAMPLE)


def test_wrong_options_are_wrong(quiz: ET.Element) -> None:
    for q in questions(quiz, "multichoice"):
        identifier = text(q, "name/text").split(" #")[0]
        question = html.unescape(re.sub(r"<[^>]+>", " ", question_html(q)))
        want = numpy_answer(identifier, question)
        for a in q.findall("answer"):
            if a.get("fraction") == "0":
                values = np.array(
                    [float(x) for row in matrix(html.unescape(text(a, "text"))) for x in row]
                )
                assert not np.allclose(values, want), f"{identifier}: a distractor is right"


def test_matrix_reader() -> None:
    assert matrix(r"\left[\begin{matrix}- \frac{1}{5} & 2\\0 & 1.5\end{matrix}\right]") == [
        [Fraction(-1, 5), Fraction(2)],
        [Fraction(0), Fraction(3, 2)],
    ]


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    made = []
    for name, seed in (("a.xml", "5"), ("b.xml", "5"), ("c.xml", "6")):
        out = tmp_path / name
        assert main(["export", "moodle", *SAMPLE[:2], "--seed", seed, "--out", str(out)]) == 0
        made.append(out.read_bytes())
    assert made[0] == made[1]
    assert made[0] != made[2]
