"""Build the derivation book: verify (in parallel), draw plots, render math, write the site.

>>> import tempfile, pathlib
>>> site = build(pathlib.Path(tempfile.mkdtemp()), reports={}, identifiers=["inverse-2x2"])
>>> sorted(p.name for p in site.pages)
['index.html', 'inverse-2x2.html', 'mistakes.html']
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from derive.book import katex, search
from derive.book.mistakes import mistakes_page
from derive.book.pages import CSS, Book, Formulas, PlotView, derivation_page, index_page
from derive.book.plots import PLOTS, PlotUnavailable, svg
from derive.catalog import get, ids

if TYPE_CHECKING:
    from derive.documents.checked import CheckedDocument
    from derive.reasoning.verify import Report


@dataclass(frozen=True)
class Site:
    """What a build wrote."""

    root: Path
    pages: tuple[Path, ...]
    plots: tuple[Path, ...]
    missing_plots: tuple[str, ...]  # "id: why" for registered plots that could not be drawn
    formulas: int


def _verify_one(identifier: str) -> Report:
    from derive.catalog.cache import Cache

    return Cache.default().verify(identifier)  # reused while nothing it depends on changed


def verify_all(
    identifiers: Iterable[str],
    *,
    jobs: int = 0,
    done: Callable[[Report, int, int], None] | None = None,
) -> dict[str, Report]:
    """Verify derivations in worker processes; ``done(report, k, n)`` after each one."""
    wanted = list(identifiers)
    jobs = jobs or min(os.cpu_count() or 1, max(len(wanted), 1))
    reports: dict[str, Report] = {}
    if jobs <= 1 or len(wanted) <= 1:
        for identifier in wanted:
            reports[identifier] = _verify_one(identifier)
            if done:
                done(reports[identifier], len(reports), len(wanted))
    else:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            futures = [pool.submit(_verify_one, i) for i in wanted]
            for future in as_completed(futures):
                report = future.result()
                reports[report.id] = report
                if done:
                    done(report, len(reports), len(wanted))
    return {i: reports[i] for i in wanted}


def _plot(identifier: str, root: Path) -> PlotView | None:
    plot = PLOTS.get(identifier)
    if plot is None:
        return None
    try:
        figure = plot.draw(get(identifier))
    except PlotUnavailable as error:
        return PlotView("", plot.caption, missing=str(error))
    path = root / "plots" / f"{identifier}.svg"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(svg(figure), encoding="utf-8")
    return PlotView(f"plots/{identifier}.svg", plot.caption)


def _document_pages(out: Path, documents: Sequence[CheckedDocument]) -> dict[Path, str]:
    """Write each document's page; its math is typeset on its own, so that a formula KaTeX
    cannot read is reported with the document's file (a UsageError)."""
    from derive.book.documents import document_page, page_name
    from derive.core.errors import UsageError

    written: dict[Path, str] = {}
    for checked in documents:
        path = out / page_name(checked)
        if path in written:
            raise UsageError(
                f"{checked.document.path}: two documents have the id {checked.document.name!r}"
            )
        maths = Formulas()
        text = document_page(checked, maths)
        try:
            rendered = katex.render(maths.items)
        except katex.KatexError as error:
            raise UsageError(f"{checked.document.path}: {error}") from None
        written[path] = maths.fill(text, rendered)
        path.write_text(written[path], encoding="utf-8")
    return written


def build(
    out: Path,
    *,
    reports: Mapping[str, Report | None],
    identifiers: Iterable[str] | None = None,
    say: Callable[[str], None] = lambda _: None,
    documents: Sequence[CheckedDocument] = (),
) -> Site:
    """Write the site for ``identifiers`` (default: the whole catalog) into ``out``, with a
    page for each checked derivation document in ``documents``."""
    wanted = list(ids() if identifiers is None else identifiers)
    derivations = [get(i) for i in wanted]
    out.mkdir(parents=True, exist_ok=True)
    maths = Formulas()
    texts: dict[Path, str] = {}
    plots: list[Path] = []
    missing: list[str] = []
    book = Book.of(derivations)
    for d in derivations:
        view = _plot(d.id, out)
        if view is not None and view.src:
            plots.append(out / view.src)
        elif view is not None:
            missing.append(f"{d.id}: {view.missing}")
        texts[out / f"{d.id}.html"] = derivation_page(
            d, maths, report=reports.get(d.id), plot=view, book=book
        )
    sections = []
    if documents:
        from derive.book.documents import documents_index

        sections.append(documents_index(documents))
    texts[out / "index.html"] = index_page(derivations, reports, maths, sections=sections)
    texts[out / "mistakes.html"] = mistakes_page(derivations, maths)
    say(f"typesetting {len(maths.items)} formulas with KaTeX {katex.version()}")
    rendered = katex.render(maths.items)
    for path, text in texts.items():
        path.write_text(maths.fill(text, rendered), encoding="utf-8")
    texts.update(_document_pages(out, documents))
    katex.copy_assets(out)
    search.write(out, derivations)
    (out / "assets" / "book.css").write_text(CSS.lstrip(), encoding="utf-8")
    pages = tuple(sorted(texts))
    return Site(out, pages, tuple(plots), tuple(missing), len(maths.items))
