"""The QTI package: its manifest names files that are in the zip, its items are QTI 1.2 as
Canvas reads them (question types, response processing), every answer range holds the answer
re-derived with NumPy from the question's own LaTeX, one right option per multiple choice, a
question group per derivation whose variants are one question each, and the same seed gives
the same bytes. (text2qti ships no XML schema, and the IMS schemas are not on this machine:
the structure is checked here element by element.)
"""

from __future__ import annotations

import html
import io
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import numpy as np
import pytest

from derive.commands.cli import main
from tests.export.conftest import COUNT, SAMPLE, matrix
from tests.export.test_moodle import numpy_answer

CP = "{http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1}"
QTI = "{http://www.imsglobal.org/xsd/ims_qtiasiv1p2}"
# cloze-type answers (a vector or matrix without a multiple choice) are asked entry by entry
ENTRIES = {"matrix-product-entries": 20, "eigenvalues-2x2": 2, "normal-equation": 2}


@pytest.fixture(scope="module")
def package(qti_file: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(qti_file) as archive:
        assert archive.testzip() is None
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.fixture(scope="module")
def assessment(package: dict[str, bytes]) -> ET.Element:
    manifest = ET.fromstring(package["imsmanifest.xml"])
    resource = next(r for r in manifest.iter(f"{CP}resource") if r.get("type") == "imsqti_xmlv1p2")
    file = resource.find(f"{CP}file")
    assert file is not None
    return ET.fromstring(package[str(file.get("href"))])


def meta(item: ET.Element, label: str) -> str:
    for field in item.iter(f"{QTI}qtimetadatafield"):
        if field.findtext(f"{QTI}fieldlabel") == label:
            return field.findtext(f"{QTI}fieldentry") or ""
    raise AssertionError(f"no {label}")


def latex_text(item: ET.Element) -> str:
    """The item's question as LaTeX text: Canvas's equation images back to ``$…$``."""
    shown = item.findtext(f".//{QTI}mattext") or ""
    shown = re.sub(
        r'<img class="equation_image"[^>]*data-equation-content="([^"]*)"[^>]*>',
        lambda m: f"${html.unescape(m.group(1))}$",
        shown,
    )
    return html.unescape(re.sub(r"<[^>]+>", " ", shown))


def questions(assessment: ET.Element) -> list[ET.Element]:
    return [
        i for i in assessment.iter(f"{QTI}item") if meta(i, "question_type") != "text_only_question"
    ]


def test_manifest_names_the_files_in_the_zip(package: dict[str, bytes]) -> None:
    assert next(iter(package)) == "imsmanifest.xml"
    manifest = ET.fromstring(package["imsmanifest.xml"])
    assert manifest.tag == f"{CP}manifest"
    resources = {r.get("identifier"): r for r in manifest.iter(f"{CP}resource")}
    assert {r.get("type") for r in resources.values()} == {
        "imsqti_xmlv1p2",
        "associatedcontent/imscc_xmlv1p1/learning-application-resource",
    }
    for resource in resources.values():
        for file in resource.findall(f"{CP}file"):
            assert file.get("href") in package
        for dependency in resource.findall(f"{CP}dependency"):
            assert dependency.get("identifierref") in resources
    for name, data in package.items():
        if name.endswith(".xml"):
            ET.fromstring(data)  # every XML file well-formed


def test_items_are_canvas_qti(assessment: ET.Element) -> None:
    assert assessment.tag == f"{QTI}questestinterop"
    items = questions(assessment)
    kinds = [meta(i, "question_type") for i in items]
    assert set(kinds) == {"numerical_question", "multiple_choice_question"}
    idents = [i.get("ident") for i in assessment.iter(f"{QTI}item")]
    assert len(set(idents)) == len(idents)
    per_variant = sum(ENTRIES.get(identifier, 1) for identifier in SAMPLE)
    assert len(items) == COUNT * per_variant
    for item in items:
        assert meta(item, "points_possible") == "1"
        conditions = item.findall(f"{QTI}resprocessing/{QTI}respcondition")
        full = [c for c in conditions if c.findtext(f"{QTI}setvar") == "100"]
        assert len(full) == 1, "exactly one way to full marks"


def test_answers_agree_with_numpy(assessment: ET.Element) -> None:
    checked = 0
    for item in questions(assessment):
        identifier, rest = str(item.get("title")).split(" #")
        want = numpy_answer(identifier, latex_text(item))
        full = next(
            c
            for c in item.findall(f"{QTI}resprocessing/{QTI}respcondition")
            if c.findtext(f"{QTI}setvar") == "100"
        )
        if meta(item, "question_type") == "numerical_question":
            entry = int(m.group(1)) - 1 if (m := re.search(r"\((\d+) of \d+\)", rest)) else 0
            low = float(full.findtext(f".//{QTI}vargte") or "nan")
            high = float(full.findtext(f".//{QTI}varlte") or "nan")
            value = want[entry]
            assert low <= value <= high, (identifier, low, value, high)
            assert high - low <= 2 * max(1e-3 * abs(value), 1e-3) + 2e-4
        else:
            right = full.findtext(f".//{QTI}varequal")
            for label in item.iter(f"{QTI}response_label"):
                text = latex_text(label)
                shown = np.array([float(x) for row in matrix(text) for x in row])
                assert np.allclose(shown, want) == (label.get("ident") == right), identifier
        checked += 1
    assert checked == len(questions(assessment))


def test_a_group_per_derivation_of_single_questions(assessment: ET.Element) -> None:
    groups = [
        s
        for s in assessment.iter(f"{QTI}section")
        if s.get("ident", "").startswith("text2qti_group")
    ]
    singles = [identifier for identifier in SAMPLE if identifier not in ENTRIES]
    assert len(groups) == len(singles)
    for group in groups:
        assert group.findtext(f".//{QTI}selection_number") == "1"
        titles = [str(i.get("title")) for i in group.iter(f"{QTI}item")]
        assert len(titles) == COUNT
        assert len({t.split(" #")[0] for t in titles}) == 1


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    made = []
    for name, seed in (("a.zip", "5"), ("b.zip", "5"), ("c.zip", "6")):
        out = tmp_path / name
        assert main(["export", "qti", *SAMPLE[:2], "--seed", seed, "--out", str(out)]) == 0
        made.append(out.read_bytes())
    assert made[0] == made[1]
    assert made[0] != made[2]
    with zipfile.ZipFile(io.BytesIO(made[0])) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
