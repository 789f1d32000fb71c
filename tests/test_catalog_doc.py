"""docs/catalog.md is what the generator writes from the catalog now; the README's counts are
the catalog's."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from derive.catalog import CATALOG
from derive.core.model import Topic
from derive.render.catalog_doc import TOPICS, catalog_markdown, counts, main

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_committed_catalog_doc_is_current() -> None:
    committed = (ROOT / "docs" / "catalog.md").read_text(encoding="utf-8")
    assert committed == catalog_markdown(), "docs/catalog.md is stale: run `make docs`"


def test_catalog_doc_lists_every_entry_once() -> None:
    text = catalog_markdown()
    rows = re.findall(r"^\| `([a-z0-9-]+)` \|", text, re.M)
    assert sorted(rows) == sorted(CATALOG)
    for entry in CATALOG.values():
        assert f"| {entry.title.replace('|', chr(92) + '|')} |" in text


def test_main_writes_the_file(tmp_path: Path) -> None:
    out = tmp_path / "catalog.md"
    assert main([str(out)]) == 0
    assert out.read_text(encoding="utf-8") == catalog_markdown()


def test_readme_counts_are_the_catalogs() -> None:
    stated = re.search(
        r"The catalog has (\d+) derivations in three topics — linear algebra \((\d+)\), "
        r"probability and\s+statistics \((\d+)\), calculus and optimisation \((\d+)\)",
        README,
    )
    assert stated is not None, "the README's catalog sentence changed: update this test"
    by_topic = counts()
    assert len(by_topic) == 3
    assert int(stated[1]) == len(CATALOG)
    assert [int(stated[k]) for k in (2, 3, 4)] == [
        by_topic[Topic.LINEAR_ALGEBRA],
        by_topic[Topic.PROBABILITY_STATISTICS],
        by_topic[Topic.CALCULUS_OPTIMIZATION],
    ]


@pytest.mark.parametrize("pattern", [r"whole catalog \((\d+)\)"])
def test_other_catalog_counts_in_the_readme(pattern: str) -> None:
    found = re.findall(pattern, README)
    assert found
    assert {int(n) for n in found} == {len(CATALOG)}


def test_readme_links_the_generated_catalog() -> None:
    assert "docs/catalog.md" in README
    assert "../shared/CATALOG.md" not in README
    assert set(TOPICS) == set(Topic)


def test_readme_picture_count_is_the_catalogs() -> None:
    stated = re.search(r"(\d+) of the (\d+) have one", README)
    assert stated is not None
    pictured = sum(1 for entry in CATALOG.values() if entry.plot is not None)
    assert (int(stated[1]), int(stated[2])) == (pictured, len(CATALOG))
