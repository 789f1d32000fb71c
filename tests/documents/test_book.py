"""``derive book --add``: each example document becomes a page in the book's style, with its
verification status, every line's mark, and the refuted line explained; the index lists them;
the page fits a desktop and a phone screen in headless Chromium."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from derive.book import katex
from derive.commands.cli import main
from tests.conftest import IN_CI
from tests.documents.test_cli import EXPECTED, FOLDER

PAGES = {
    "normal_equations.md": "doc-normal-equations.html",
    "sigmoid_derivative.md": "doc-sigmoid-derivative.html",
    "variance.md": "doc-variance-shortcut.html",
}


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    try:
        katex.katex_dir()
    except katex.KatexError as error:
        if IN_CI:
            pytest.fail(str(error))
        pytest.skip(str(error))
    out = tmp_path_factory.mktemp("book")
    status = main(["book", "inverse-2x2", "--no-verify", "--out", str(out), "--add", str(FOLDER)])
    assert status == 0
    return out


@pytest.mark.parametrize("name", sorted(PAGES))
def test_each_document_is_a_page_with_its_status_and_marks(book: Path, name: str) -> None:
    page = (book / PAGES[name]).read_text(encoding="utf-8")
    expected_status, marks = EXPECTED[name]
    status = "passed" if expected_status == 0 else "failed"
    assert f'<span class="status {status}">checked line by line: ' in page
    badges = dict(
        re.findall(r'<li value="(\d+)".*?<span class="badge [a-z]+">([^<]+)</span>', page)
    )
    for number, mark in marks.items():
        word = {"✓": "numeric"}.get(mark, mark)
        assert badges[str(number)].startswith(word), (number, badges[str(number)])
    assert set(badges) - {str(n) for n in marks} == {n for n, b in badges.items() if b == "start"}
    assert page.count('class="katex-display"') == len(badges)
    assert 'class="katex-error"' not in page


def test_the_refuted_line_is_shown_and_explained(book: Path) -> None:
    page = (book / PAGES["sigmoid_derivative.md"]).read_text(encoding="utf-8")
    wrong = re.search(r'<li value="29".*?</li>', page, re.DOTALL)
    assert wrong is not None
    assert '<span class="badge failed">refuted</span>' in wrong.group(0)
    assert "Counterexample:</strong> <code>z = -39</code>" in wrong.group(0)
    assert "Line 29 does not equal line 28" in wrong.group(0)
    assert "Lines 24–29: " in page
    assert "incorrect: line 29 does not follow" in page


def test_the_index_lists_the_documents_with_their_status(book: Path) -> None:
    index = (book / "index.html").read_text(encoding="utf-8")
    section = index[index.index('<section id="documents">') :]
    for name, page in PAGES.items():
        mark = "✓" if EXPECTED[name][0] == 0 else "✗"
        assert re.search(
            rf'<a href="{page}">[^<]+</a> <span class="status [a-z]+" [^>]*>{mark}', section
        )


@pytest.mark.parametrize("width", [1280, 390])
def test_the_page_fits_the_screen(book: Path, browser: Any, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    try:
        tab = context.new_page()
        problems: list[str] = []
        tab.on("pageerror", lambda e: problems.append(str(e)))
        tab.goto((book / PAGES["sigmoid_derivative.md"]).as_uri())
        widths = tab.evaluate(
            "() => [document.documentElement.scrollWidth, window.innerWidth,"
            " document.querySelector('li[value=\"29\"]').getBoundingClientRect().left]"
        )
        assert widths[0] <= widths[1], widths  # nothing sticks out sideways
        assert widths[2] > 0  # the line numbers are on the screen
        assert tab.locator(".wrong").first.is_visible()
        assert problems == []
    finally:
        context.close()
