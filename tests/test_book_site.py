"""The book as a learner moves through it: search, previous/next, uses and used-by, the
common-mistakes page, copy-LaTeX buttons, phone widths, and no machine names anywhere.

The browser tests open the built pages in headless Chromium at a desktop (1280 px) and a
phone (390 px) width, as tests/test_book.py does at one width.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
import sympy as sp

from derive.book import katex
from derive.book.build import Site, build
from derive.book.links import HOMES, applied, graph
from derive.book.mistakes import KINDS, OTHER, grouped, kind_of
from derive.catalog import get, ids
from derive.core.model import Mistake
from derive.reasoning.verify import verify
from derive.render.code import twin_code
from derive.render.tex import document, tex
from tests.conftest import IN_CI

ALL = list(ids())
WIDTHS = (1280, 390)
MACHINE_NAMES = re.compile(r"_?Dummy_\d+")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The whole catalog's book; inverse-2x2 verified, so that one page has its table of
    checks (the others' layout does not depend on verification)."""
    try:
        katex.katex_dir()
    except katex.KatexError as error:
        if IN_CI:
            pytest.fail(str(error))
        pytest.skip(str(error))
    reports = {"inverse-2x2": verify(get("inverse-2x2"))}
    return build(tmp_path_factory.mktemp("book"), reports=reports, identifiers=ALL)


def _page(site: Site, name: str) -> str:
    return (site.root / f"{name}.html").read_text(encoding="utf-8")


# -- no machine names ------------------------------------------------------------------


@pytest.mark.parametrize("name", ALL)
def test_latex_and_code_use_the_derivations_own_names(name: str) -> None:
    d = get(name)
    assert not MACHINE_NAMES.search(document(d))
    for twin in d.twins:
        code = twin_code(twin)
        assert not MACHINE_NAMES.search(code.source), code.source
        parameters = set(code.source.split("(", 1)[1].split(")", 1)[0].split(", "))
        for line in code.inputs:  # "A = [[a, b], [c, d]]": the entries as the code names them
            if " = [" in line:
                entries = set(re.findall(r"[A-Za-z_]\w*", line.split(" = ", 1)[1]))
                assert entries <= parameters, (line, parameters)


def test_no_machine_names_anywhere_in_the_book(site: Site) -> None:
    files = [*site.root.glob("*.html"), *(site.root / "assets").glob("*.js")]
    assert len(files) == len(ALL) + 4  # + index, mistakes, the script and the search index
    for path in files:
        found = MACHINE_NAMES.search(path.read_text(encoding="utf-8"))
        assert found is None, f"{path.name}: {found.group(0) if found else ''}"


def test_scalar_inputs_keep_their_input_names() -> None:
    (ridge,) = [t for t in get("regularization-gradients").twins if t.name == "ridge"]
    assert twin_code(ridge).source.startswith("def ridge(X, y, lam, n, p):")
    (solution,) = get("linear-system-2x2").twins
    assert twin_code(solution).source.startswith("def solution(a_11, a_12, a_21, a_22, b_1, b_2):")


# -- notation --------------------------------------------------------------------------


def test_sums_start_with_a_positive_term() -> None:
    A = sp.MatrixSymbol("A", 2, 2)
    lam, x, p = sp.symbols("lambda x p")
    assert tex(sp.Determinant(A - lam * sp.Identity(2))) == r"\det\left(A - \lambda I\right)"
    discriminant = sp.sqrt(sp.Trace(A) ** 2 - 4 * sp.Determinant(A))
    assert tex(discriminant) == r"\sqrt{\operatorname{tr}\left(A\right)^{2} - 4 \det\left(A\right)}"
    assert tex(1 - p) == "1 - p"
    assert tex(-(x**2) + 2 * x - 1) == "- x^{2} + 2 x - 1"  # falling powers stay
    assert tex(-x - p) in ("- p - x", "- x - p")  # nothing positive to start with


def test_eigenvalue_page_writes_the_characteristic_polynomial_conventionally(site: Site) -> None:
    page = _page(site, "eigenvalues-2x2")
    assert r"\det\left(A - \lambda I\right)" in page
    assert r"\operatorname{tr}\left(A\right)^{2} - 4 \det\left(A\right)" in page
    assert r"- \lambda I + A" not in page
    assert r"- 4 \det\left(A\right) + \operatorname{tr}" not in page


@pytest.mark.parametrize("name", ALL)
def test_vectors_are_called_vectors(site: Site, name: str) -> None:
    page = _page(site, name)
    symbols = page.split('<section id="symbols">', 1)[-1].split("</section>", 1)[0]
    for var in get(name).symbols:
        shape = getattr(var.symbol, "shape", None)
        if isinstance(var.symbol, sp.MatrixSymbol) and shape is not None and shape[1] == 1:
            assert "(vector)</span>" in symbols
    if "(matrix)" in symbols:
        assert any(getattr(v.symbol, "shape", (1, 1))[1] != 1 for v in get(name).symbols), (
            "a (matrix) listed where every matrix symbol is a column"
        )


# -- links -----------------------------------------------------------------------------


def test_every_home_derives_its_operations() -> None:
    """A "uses" link points at a page whose own results contain the operation."""
    for home, operations in HOMES.items():
        d = get(home)
        found = applied([e for r in d.results for e in (r.lhs, r.rhs)], operations)
        assert found == tuple(o.name for o in operations), home


def test_uses_and_used_by_are_two_views_of_one_relation() -> None:
    derivations = [get(i) for i in ALL]
    uses, used_by = graph(derivations)
    forward = {(a, u.home) for a, links in uses.items() for u in links}
    backward = {(u.home, b) for b, links in used_by.items() for u in links}
    assert forward == backward
    assert ("eigenvalues-2x2", "determinant-trace-2x2") in forward
    assert ("logistic-regression-gradient", "chain-rule-activations") in forward
    assert all(a != b for a, b in forward)
    assert sum(bool(links) for links in uses.values()) >= len(ALL) // 2


def test_previous_next_follow_the_topic_and_point_back(site: Site) -> None:
    for name in ALL:
        page = _page(site, name)
        nxt = re.search(r'<a rel="next" href="([^"]+)\.html"', page)
        prev = re.search(r'<a rel="prev" href="([^"]+)\.html"', page)
        if nxt:
            assert get(nxt.group(1)).topic is get(name).topic
            assert f'<a rel="prev" href="{name}.html"' in _page(site, nxt.group(1))
        if prev:
            assert f'<a rel="next" href="{name}.html"' in _page(site, prev.group(1))
    heads = [n for n in ALL if 'rel="prev"' not in _page(site, n)]
    assert len(heads) == len({get(n).topic for n in ALL})  # one first page per topic


def test_every_link_in_the_book_resolves(site: Site) -> None:
    for path in site.root.glob("*.html"):
        text = path.read_text(encoding="utf-8")
        for href in re.findall(r'href="([^"]+)"', text):
            if urlparse(href).scheme:
                continue
            target, _, anchor = href.partition("#")
            file = site.root / (target or path.name)
            assert file.is_file(), f"{path.name} → {href}"
            if anchor:
                assert f'id="{anchor}"' in file.read_text(encoding="utf-8"), f"{path.name} → {href}"


def test_mistakes_page_lists_every_mistake_once_by_kind(site: Site) -> None:
    page = _page(site, "mistakes")
    derivations = [get(i) for i in ALL]
    total = sum(len(d.mistakes) for d in derivations)
    links = re.findall(r'<a class="from" href="([^"]+)"', page)
    assert len(links) == len(set(links)) == total
    for d in derivations:
        for k in range(1, len(d.mistakes) + 1):
            assert f"{d.id}.html#mistake-{k}" in links
    for kind, entries in grouped(derivations):
        assert f'<section id="{kind.slug}"><h2>{kind.title}</h2>' in page
        assert all(kind_of(e.mistake) == kind for e in entries)
    other = dict(grouped(derivations)).get(OTHER, [])
    assert len(other) < total / 10  # the rules sort almost every recorded mistake


def test_mistake_kinds_read_the_name() -> None:
    def kind(name: str) -> str:
        return kind_of(Mistake(lhs=0, rhs=0, explanation="", name=name)).slug

    assert kind("det(A + B) = det A + det B") == "false-rule"
    assert kind("chain-rule sign") == "sign"
    assert kind("factors swapped") == "order"
    assert kind("missing factor 2") == "missing"
    assert kind("mean over n − 1") == "scale"
    assert kind("mean for median") == "confused"
    assert kind("xyzzy") == OTHER.slug
    assert len({k.slug for k in KINDS}) == len(KINDS)


def test_every_displayed_formula_has_a_copy_button_with_its_tex(site: Site) -> None:
    for name in ("index", "mistakes", *ALL):
        page = _page(site, name)
        displays = page.count('class="katex-display"')
        buttons = re.findall(r'<button type="button" class="copy-tex" data-tex="([^"]*)"', page)
        assert len(buttons) == displays, name
        assert all(b.strip() for b in buttons), name


# -- in the browser --------------------------------------------------------------------


@pytest.fixture(params=WIDTHS, ids=[f"{w}px" for w in WIDTHS])
def page(request: pytest.FixtureRequest, browser: Any) -> Iterator[Any]:
    """A browser tab of the given width; fails on any page error or failed request."""
    context = browser.new_context(viewport={"width": request.param, "height": 900})
    tab = context.new_page()
    problems: list[str] = []
    tab.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    tab.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
    tab.on(
        "console",
        lambda m: (
            problems.append(f"console {m.type}: {m.text}")
            if m.type in ("error", "warning")
            else None
        ),
    )
    yield tab
    context.close()
    assert problems == []


def _search(tab: Any, query: str) -> list[str]:
    tab.fill("form.search input", query)
    tab.wait_for_function(
        "q => document.querySelector('.search-results').dataset.query === q", arg=query
    )
    hrefs = tab.locator(".search-results a").evaluate_all("els => els.map(e => e.href)")
    return [Path(urlparse(h).path).stem for h in hrefs]


def test_search_finds_a_derivation_by_title_word_and_by_symbol(site: Site, page: Any) -> None:
    page.goto((site.root / "inverse-2x2.html").as_uri())
    assert _search(page, "Bessel")[0] == "bessel-correction"
    assert _search(page, "cramer")[0] == "linear-system-2x2"
    assert "eigenvalues-2x2" in _search(page, "λ")[:3]
    assert "eigenvalues-2x2" in _search(page, "lambda")[:3]
    assert "normal-equation" in _search(page, "θ")[:3]
    assert _search(page, "zzqx") == []
    assert page.locator(".search-results .none").count() == 1
    _search(page, "Laplacian")
    page.press("form.search input", "Enter")
    page.wait_for_url("**/graph-laplacian.html")
    assert page.locator("h1").inner_text() == get("graph-laplacian").title


def test_search_from_the_index_address(site: Site, page: Any) -> None:
    page.goto((site.root / "index.html").as_uri() + "?q=softmax")
    page.wait_for_selector(".search-results:not([hidden]) li a")
    first = page.locator(".search-results a").first.get_attribute("href")
    assert first.endswith("softmax-cross-entropy-gradient.html")


def test_previous_next_and_uses_links_lead_to_their_pages(site: Site, page: Any) -> None:
    page.goto((site.root / "eigenvalues-2x2.html").as_uri())
    page.click("a[rel=next]")
    page.wait_for_url("**/eigen-symmetric-2x2.html")
    page.click("a[rel=prev]")
    page.wait_for_url("**/eigenvalues-2x2.html")
    page.click("#connections ul.uses a")
    page.wait_for_url("**/determinant-trace-2x2.html")
    used_by = page.locator("#connections ul.used-by a").evaluate_all(
        "els => els.map(e => e.getAttribute('href'))"
    )
    assert "eigenvalues-2x2.html" in used_by


def test_copy_button_copies_the_formulas_tex(site: Site, browser: Any) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    tab = context.new_page()
    tab.goto((site.root / "eigenvalues-2x2.html").as_uri())
    button = tab.locator("#result button.copy-tex").first
    assert button.is_visible()
    source = button.get_attribute("data-tex")
    button.click()
    tab.wait_for_function("document.querySelector('#result button.copy-tex.copied') !== null")
    copied = tab.evaluate("navigator.clipboard.readText()")
    context.close()
    assert copied == source
    assert r"\operatorname{tr}\left(A\right)^{2} - 4 \det\left(A\right)" in copied


WIDEST = """() => {
  document.querySelectorAll('details').forEach((d) => { d.open = true; });  // answers, checks
  return {
  page: document.documentElement.scrollWidth,
  body: document.body.scrollWidth,
  viewport: window.innerWidth,
  };
}"""


def test_no_page_is_wider_than_the_screen(site: Site, page: Any) -> None:
    wide = {}
    for path in sorted(site.root.glob("*.html")):
        page.goto(path.as_uri())
        page.wait_for_load_state("load")
        page.evaluate("document.fonts.ready.then(() => true)")
        size = page.evaluate(WIDEST)
        if max(size["page"], size["body"]) > size["viewport"]:
            wide[path.stem] = size
    assert wide == {}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_theme_follows_the_system(site: Site, browser: Any, scheme: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 900}, color_scheme=scheme)
    tab = context.new_page()
    tab.goto((site.root / "inverse-2x2.html").as_uri())
    colours = tab.evaluate(
        """() => [getComputedStyle(document.body).backgroundColor,
                  getComputedStyle(document.querySelector('h1')).color]"""
    )
    context.close()

    def brightness(css: str) -> float:
        red, green, blue = (int(v) for v in re.findall(r"\d+", css)[:3])
        return (red + green + blue) / 3

    background, text = map(brightness, colours)
    if scheme == "dark":
        assert background < 60 < 180 < text
    else:
        assert text < 60 < 180 < background
