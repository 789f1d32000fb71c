"""The incremental book build: only what changed is made again, and the site is the same.

The expected outcome of each build comes from clean builds (no cache) compared file by file,
not from the cache's own bookkeeping: a page must be made again exactly when a clean build
of the new state writes it differently (or when its derivation's source changed).
"""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from derive.book import build as book_build
from derive.book.cache import BookCache
from derive.catalog import CATALOG
from derive.commands.cli import main
from derive.core import sources

# Linked to each other (eigenvalues uses det and tr; the inverse uses det), neighbours in
# their topic, with pictures, and one from another topic.
IDS = ["determinant-trace-2x2", "inverse-2x2", "eigenvalues-2x2", "variance-shortcut"]


def files(root: Path) -> dict[str, bytes]:
    """Every file of a site, by its path inside it."""
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def clean(root: Path, identifiers: list[str]) -> dict[str, bytes]:
    """A build with no cache at all."""
    site = book_build.build(root, reports={}, identifiers=identifiers)
    assert set(site.rebuilt) == set(identifiers)
    return files(root)


@contextlib.contextmanager
def edited(identifier: str) -> Iterator[None]:
    """The derivation's catalog module reads as edited (a comment added), as every cache key
    reads sources through ``derive.core.sources.read_source``."""
    target = sources.module_file(CATALOG[identifier].module)
    original = sources.read_source
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            sources,
            "read_source",
            lambda path: original(path) + b"\n# edited\n" if path == target else original(path),
        )
        yield


def test_nothing_changed_makes_no_page_and_the_site_is_the_same(tmp_path: Path) -> None:
    cache = BookCache(tmp_path / "cache")
    first = book_build.build(tmp_path / "a", reports={}, identifiers=IDS, cache=cache)
    assert set(first.rebuilt) == set(IDS)
    assert first.typeset == first.formulas > 50
    second = book_build.build(tmp_path / "b", reports={}, identifiers=IDS, cache=cache)
    assert second.rebuilt == ()
    assert second.typeset == 0
    assert second.formulas == first.formulas
    assert second.pages == tuple(tmp_path / "b" / p.name for p in first.pages)
    assert files(tmp_path / "b") == files(tmp_path / "a") == clean(tmp_path / "c", IDS)


def test_editing_one_derivation_makes_exactly_its_page(tmp_path: Path) -> None:
    cache = BookCache(tmp_path / "cache")
    book_build.build(tmp_path / "a", reports={}, identifiers=IDS, cache=cache)
    with edited("inverse-2x2"):
        again = book_build.build(tmp_path / "a", reports={}, identifiers=IDS, cache=cache)
        assert again.rebuilt == ("inverse-2x2",)
        assert files(tmp_path / "a") == clean(tmp_path / "c", IDS)
        third = book_build.build(tmp_path / "a", reports={}, identifiers=IDS, cache=cache)
        assert third.rebuilt == ()
    back = book_build.build(tmp_path / "a", reports={}, identifiers=IDS, cache=cache)
    assert back.rebuilt == ("inverse-2x2",)  # the unedited source is a different key again


@pytest.mark.parametrize("dropped", IDS)
def test_a_page_is_made_again_when_what_it_shows_of_the_others_changes(
    tmp_path: Path, dropped: str
) -> None:
    """Leaving a derivation out changes its neighbours' pagers and the pages linked to it."""
    cache = BookCache(tmp_path / "cache")
    book_build.build(tmp_path / "a", reports={}, identifiers=IDS, cache=cache)
    before = clean(tmp_path / "c", IDS)
    rest = [i for i in IDS if i != dropped]
    after = clean(tmp_path / "d", rest)
    changed = {i for i in rest if before[f"{i}.html"] != after[f"{i}.html"]}
    site = book_build.build(tmp_path / "b", reports={}, identifiers=rest, cache=cache)
    assert set(site.rebuilt) == changed
    assert files(tmp_path / "b") == after


def test_a_changed_report_makes_its_page_again(tmp_path: Path) -> None:
    from derive.reasoning.verify import Check, Report

    cache = BookCache(tmp_path / "cache")
    book_build.build(tmp_path / "a", reports={}, identifiers=IDS, cache=cache)
    reports = {"inverse-2x2": Report("inverse-2x2", (Check("result", True, "ok", "proven"),))}
    site = book_build.build(tmp_path / "b", reports=reports, identifiers=IDS, cache=cache)
    assert site.rebuilt == ("inverse-2x2",)
    fresh = book_build.build(tmp_path / "c", reports=reports, identifiers=IDS)
    assert fresh.formulas == site.formulas
    assert files(tmp_path / "b") == files(tmp_path / "c")


def test_an_unreadable_entry_is_built_again(tmp_path: Path) -> None:
    cache = BookCache(tmp_path / "cache")
    book_build.build(tmp_path / "a", reports={}, identifiers=IDS, cache=cache)
    for entry in (tmp_path / "cache" / "eigenvalues-2x2").glob("*.json"):
        entry.write_text('{"format": 1, "summary": {"id": 3', encoding="utf-8")
    katex_entries = list((tmp_path / "cache").glob("katex-*.json"))
    assert len(katex_entries) == 1
    katex_entries[0].write_text("[]", encoding="utf-8")
    site = book_build.build(tmp_path / "b", reports={}, identifiers=IDS, cache=cache)
    assert site.rebuilt == ("eigenvalues-2x2",)
    assert 0 < site.typeset < site.formulas  # this page's, the index's and the mistakes'
    assert files(tmp_path / "b") == files(tmp_path / "a")


def test_the_command_says_how_many_pages_it_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DERIVE_CACHE_DIR", str(tmp_path / "cache"))
    made = []
    for _ in range(2):
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            status = main(["book", *IDS[:2], "--no-verify", "--out", str(tmp_path / "book")])
        assert status == 0, err.getvalue()
        found = re.search(r"\((\d+) of 2 derivation pages made\)", err.getvalue())
        assert found is not None, err.getvalue()
        made.append(int(found[1]))
    assert made == [2, 0]
    assert (tmp_path / "cache" / "book" / "inverse-2x2").is_dir()
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        status = main(["book", *IDS[:2], "--no-verify", "--no-cache", "--out", str(tmp_path / "c")])
    assert status == 0
    assert "pages made" not in err.getvalue()
