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
from derive.book.cache import BookCache, Page, Summary, book_of, context, page_key, summarize
from derive.book.mistakes import page_of
from derive.book.pages import CSS, Formulas, derivation_page, index_page
from derive.catalog import get, ids

if TYPE_CHECKING:
    from derive.documents.checked import CheckedDocument
    from derive.numeric.derivation import Derivation
    from derive.reasoning.verify import Report


@dataclass(frozen=True)
class Site:
    """What a build wrote."""

    root: Path
    pages: tuple[Path, ...]
    plots: tuple[Path, ...]
    missing_plots: tuple[str, ...]  # "id: why" for registered plots that could not be drawn
    formulas: int  # the distinct formulas on the pages of derivations, index and mistakes
    rebuilt: tuple[str, ...] = ()  # the derivations whose pages were made (not from a cache)
    typeset: int = 0  # the formulas KaTeX rendered (not from a cache)


def _verify_one(identifier: str) -> Report:
    from derive.catalog.cache import Cache
    from derive.checker.catalog import prepare

    report = Cache.default().verify(identifier)  # reused while nothing it depends on changed
    prepare(identifier)  # while the derivation is built: the checker's mistake index, as verify
    return report


def verify_all(
    identifiers: Iterable[str],
    *,
    jobs: int = 0,
    done: Callable[[Report, int, int], None] | None = None,
) -> dict[str, Report]:
    """Verify derivations in worker processes; ``done(report, k, n)`` after each one."""
    from derive.catalog.cache import Cache

    reports: dict[str, Report] = {}
    every = list(identifiers)
    for identifier in every:  # what the cache has is read here, without starting workers
        cached = Cache.default().get(identifier)
        if cached is not None:
            reports[identifier] = cached
            if done:
                done(cached, len(reports), len(every))
    wanted = [i for i in every if i not in reports]
    jobs = jobs or min(os.cpu_count() or 1, max(len(wanted), 1))
    if jobs <= 1 or len(wanted) <= 1:
        for identifier in wanted:
            reports[identifier] = _verify_one(identifier)
            if done:
                done(reports[identifier], len(reports), len(every))
    else:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            futures = [pool.submit(_verify_one, i) for i in wanted]
            for future in as_completed(futures):
                report = future.result()
                reports[report.id] = report
                if done:
                    done(report, len(reports), len(every))
    return {i: reports[i] for i in every}


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
    cache: BookCache | None = None,
) -> Site:
    """Write the site for ``identifiers`` (default: the whole catalog) into ``out``, with a
    page for each checked derivation document in ``documents``. With a ``cache``, only the
    derivations that changed are built, and only the pages that changed are made again."""
    wanted = list(ids() if identifiers is None else identifiers)
    out.mkdir(parents=True, exist_ok=True)
    built: dict[str, Derivation] = {}
    summaries: list[Summary] = []
    keys = cache.keys(wanted) if cache else dict.fromkeys(wanted)
    for identifier in wanted:
        found = cache.summary(identifier, keys[identifier]) if cache and keys[identifier] else None
        if found is None:
            built[identifier] = get(identifier)
            found = summarize(built[identifier])
            if cache:
                cache.put_summary(found, keys[identifier])
        summaries.append(found)
    book = book_of(summaries)
    maths = Formulas()
    texts: dict[Path, str] = {}
    made: dict[Path, tuple[str, str]] = {}  # page -> (id, page key) of the pages made now
    finished: dict[Path, Page] = {}
    plots: list[Path] = []
    missing: list[str] = []
    for s in summaries:
        path = out / f"{s.id}.html"
        if s.plot is not None and s.svg is not None:
            plots.append(out / s.plot.src)
            plots[-1].parent.mkdir(parents=True, exist_ok=True)
            plots[-1].write_text(s.svg, encoding="utf-8")
        elif s.plot is not None:
            missing.append(f"{s.id}: {s.plot.missing}")
        summary_key = keys[s.id]
        if cache and summary_key:
            key_of_page = page_key(summary_key, reports.get(s.id), context(s.id, book))
            page = cache.page(s.id, summary_key, key_of_page)
            if page is not None:
                finished[path] = page
                continue
            made[path] = (s.id, key_of_page)
        d = built.get(s.id) or get(s.id)
        texts[path] = derivation_page(d, maths, report=reports.get(s.id), plot=s.plot, book=book)
    rebuilt = tuple(path.stem for path in texts)
    sections = []
    if documents:
        from derive.book.documents import documents_index

        sections.append(documents_index(documents))
    texts[out / "index.html"] = index_page(summaries, reports, maths, sections=sections)
    texts[out / "mistakes.html"] = page_of([r for s in summaries for r in s.mistakes], maths)
    if cache:
        rendered, fresh = cache.typeset(maths.items)
        cached = len(maths.items) - fresh
        say(
            f"typesetting {fresh} formulas with KaTeX {katex.version()}"
            + (f" ({cached} more from the cache)" if cached else "")
        )
    else:
        say(f"typesetting {len(maths.items)} formulas with KaTeX {katex.version()}")
        rendered, fresh = katex.render(maths.items), len(maths.items)
    formulas = set(maths.items)
    for path, text in texts.items():
        html = maths.fill(text, rendered)
        path.write_text(html, encoding="utf-8")
        if cache and path in made:
            identifier, key_of_page = made[path]
            summary_key = keys[identifier]
            assert summary_key is not None
            cache.put_page(identifier, summary_key, key_of_page, Page(html, maths.on(text)))
    for path, page in finished.items():
        path.write_text(page.html, encoding="utf-8")
        formulas.update(page.formulas)
    texts.update(_document_pages(out, documents))
    katex.copy_assets(out)
    search.write_entries(out, [s.search for s in summaries])
    (out / "assets" / "book.css").write_text(CSS.lstrip(), encoding="utf-8")
    pages = tuple(sorted([*texts, *finished]))
    return Site(out, pages, tuple(plots), tuple(missing), len(formulas), rebuilt, fresh)
