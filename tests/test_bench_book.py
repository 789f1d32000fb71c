"""The ``book-incremental`` part of ``derive bench``: fresh processes, the pages each made."""

from __future__ import annotations

from derive.bench.book import incremental
from derive.bench.report import targets


def test_editing_one_derivation_makes_one_page_and_nothing_changed_makes_none() -> None:
    among = ["determinant-trace-2x2", "inverse-2x2", "eigenvalues-2x2"]
    figures = incremental(1, "inverse-2x2", among)
    assert figures["book_full_pages_made"] == 3
    assert figures["book_incremental_pages_made"] == 1
    assert figures["book_unchanged_pages_made"] == 0
    assert figures["book_incremental_edited"] == "inverse-2x2"
    assert figures["book_incremental_s"] > 0
    assert figures["book_full_s"] > 0


def test_the_target_is_five_seconds() -> None:
    judged = {t.value: t.met for t in targets({"book_incremental_s": 4.9})}
    assert judged == {"4.9 s": True}
    assert [t.met for t in targets({"book_incremental_s": 5.1})] == [False]
