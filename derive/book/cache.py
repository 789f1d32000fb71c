"""The book's cache: what each derivation gives the book, kept on disk and keyed by content.

>>> import tempfile
>>> cache = BookCache(Path(tempfile.mkdtemp()))
>>> cache.summary("inverse-2x2") is None
True
>>> from derive.catalog import get
>>> cache.put_summary(summarize(get("inverse-2x2")))
>>> found = cache.summary("inverse-2x2")
>>> found.title, found.plot.src, found.uses
('Inverse of a 2×2 matrix', 'plots/inverse-2x2.svg', ())

Building a derivation (SymPy) and drawing its picture (Matplotlib) is most of the book's time,
so a second ``derive book`` builds only the derivations that changed. For each derivation the
cache keeps a :class:`Summary` — what the index, the mistakes page, the search index and the
links between pages need, and its picture as SVG — and its finished page HTML. A summary's key
is a SHA-256 over the source of the derivation's catalog module and of every ``derive`` module
it imports (as in ``derive.catalog.cache``), the sources of the book's own code (``ROOTS`` and
what they import, and ``derive/book/build.py``), the versions of Python and of the libraries
that shape a page (SymPy, NumPy, Matplotlib, latexify-py, ...) and the bytes of the KaTeX in
use. A page's key adds what else the page shows: its verification report and its context (the
neighbours' and linked derivations' titles), so a page is rebuilt when a derivation it links
to is renamed or starts using it. KaTeX's HTML for each formula is kept too, keyed by the KaTeX
script. Plug-in derivations are never cached (the key hashes only ``derive``'s own sources).
Entries are written atomically; an unreadable one is ignored; deleting the folder
(``default_dir() / "book"``) only costs time.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from derive.book import katex, search
from derive.book.links import HOMES, Use, uses
from derive.book.mistakes import Recorded, recorded
from derive.book.pages import Book, PlotView
from derive.book.plots import PLOTS, PlotUnavailable, svg
from derive.catalog import CATALOG, UnknownDerivation
from derive.core import sources
from derive.core.cache_dir import default_dir
from derive.core.model import Topic
from derive.core.sources import module_file, versions, write_json

if TYPE_CHECKING:
    from derive.numeric.derivation import Derivation
    from derive.reasoning.verify import Report

FORMAT = 1
# The book's modules that make a derivation's summary and page.
ROOTS = ("derive.book.cache", "derive.book.pages", "derive.book.plots", "derive.book.katex")
LIBRARIES = ("matplotlib", "latexify-py", "mini-racer")


@dataclass(frozen=True)
class Summary:
    """What the book needs of one derivation besides its page."""

    id: str
    title: str
    topic: Topic
    intuition: str
    uses: tuple[Use, ...]  # against every home, present in the book or not
    mistakes: tuple[Recorded, ...]
    search: Mapping[str, Any]  # its entry in the search index
    plot: PlotView | None
    svg: str | None  # the picture, when it could be drawn

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape kept on disk."""
        plot = self.plot
        return {
            "id": self.id,
            "title": self.title,
            "topic": self.topic.value,
            "intuition": self.intuition,
            "uses": [[u.home, list(u.operations)] for u in self.uses],
            "mistakes": [
                [r.home, r.title, r.number, r.name, r.explanation, r.latex] for r in self.mistakes
            ],
            "search": dict(self.search),
            "plot": None if plot is None else [plot.src, plot.caption, plot.missing],
            "svg": self.svg,
        }

    @classmethod
    def of(cls, data: Any) -> Summary:
        """A summary from its JSON shape (KeyError, TypeError or ValueError if it is not one)."""
        plot = data["plot"]
        return cls(
            str(data["id"]),
            str(data["title"]),
            Topic(data["topic"]),
            str(data["intuition"]),
            tuple(Use(str(h), tuple(str(o) for o in ops)) for h, ops in data["uses"]),
            tuple(
                Recorded(str(h), str(t), int(n), str(a), str(e), str(x))
                for h, t, n, a, e, x in data["mistakes"]
            ),
            dict(data["search"]),
            None if plot is None else PlotView(str(plot[0]), str(plot[1]), str(plot[2])),
            None if data["svg"] is None else str(data["svg"]),
        )


def summarize(d: Derivation) -> Summary:
    """Build a derivation's summary (this draws its picture, if it has one)."""
    plot: PlotView | None = None
    picture: str | None = None
    registered = PLOTS.get(d.id)
    if registered is not None:
        try:
            picture = svg(registered.draw(d))
            plot = PlotView(f"plots/{d.id}.svg", registered.caption)
        except PlotUnavailable as error:
            plot = PlotView("", registered.caption, missing=str(error))
    return Summary(
        d.id,
        d.title,
        d.topic,
        d.intuition,
        tuple(uses(d, HOMES)),
        tuple(recorded([d])),
        search.entries([d])[0],
        plot,
        picture,
    )


def book_of(summaries: Sequence[Summary]) -> Book:
    """The links between the pages of these derivations (as ``Book.of`` on the derivations)."""
    return Book.linked([(s.id, s.topic, s.title, s.uses) for s in summaries])


def context(identifier: str, book: Book) -> dict[str, Any]:
    """What a derivation's page shows of the other derivations."""

    def titled(other: str | None) -> list[str] | None:
        return None if other is None else [other, book.titles[other]]

    def linked(items: Sequence[Use]) -> list[Any]:
        return [[u.home, book.titles[u.home], list(u.operations)] for u in items]

    return {
        "previous": titled(book.previous.get(identifier)),
        "next": titled(book.next.get(identifier)),
        "uses": linked(book.uses.get(identifier, ())),
        "used_by": linked(book.used_by.get(identifier, ())),
    }


def layout() -> str:
    """A hash of the names of ``derive``'s source files (what an import statement resolves to
    depends on which modules exist)."""
    names = sorted(str(p.relative_to(sources.PACKAGE)) for p in sources.PACKAGE.rglob("*.py"))
    return hashlib.sha256("\n".join(names).encode()).hexdigest()


class Sources:
    """The hashes and imports of ``derive`` modules, each read and parsed once (for the keys
    of many derivations at a time, whose modules share most of what they import).

    ``parsed``: the imports of a module by its name and the hash of its source, kept from
    earlier runs (valid while the ``layout`` is the same); what is parsed now is added."""

    def __init__(self, parsed: dict[str, list[str]] | None = None) -> None:
        self._seen: dict[str, tuple[str, frozenset[str]]] = {}
        self.parsed = parsed if parsed is not None else {}
        self.added = 0

    def _module(self, name: str) -> tuple[str, frozenset[str]]:
        if name not in self._seen:
            path = module_file(name)
            assert path is not None
            digest = hashlib.sha256(sources.read_source(path)).hexdigest()
            known = f"{name}:{digest}"
            if known not in self.parsed:
                self.parsed[known] = sorted(sources._imported(name, path))
                self.added += 1
            self._seen[name] = (digest, frozenset(self.parsed[known]))
        return self._seen[name]

    def current(self) -> dict[str, str]:
        """The hash of each module read so far."""
        return {name: digest for name, (digest, _) in self._seen.items()}

    def digest(self, name: str) -> str:
        """The hash of one module's source."""
        return self._module(name)[0]

    @functools.cached_property
    def katex(self) -> str:
        """The hash of the KaTeX in use (``katex_hash``)."""
        return katex_hash()

    def hashes(self, *roots: str) -> dict[str, str]:
        """The hash of every module the roots import, directly or not (as ``closure``)."""
        found: dict[str, str] = {}
        pending = [r for r in roots if module_file(r) is not None]
        while pending:
            name = pending.pop()
            if name not in found:
                found[name], imported = self._module(name)
                pending += sorted(imported - set(found))
        return found


@functools.cache
def _library_versions() -> tuple[tuple[str, str], ...]:
    found = []
    for library in LIBRARIES:
        try:
            found.append((library, importlib.metadata.version(library)))
        except importlib.metadata.PackageNotFoundError:
            found.append((library, "not installed"))
    return tuple(found)


def katex_hash() -> str:
    """A hash of the KaTeX script in use and of how it is called."""
    script = (katex.katex_dir() / "dist" / "katex.min.js").read_bytes()
    return hashlib.sha256(script + katex._SCRIPT.encode()).hexdigest()


def fingerprint(identifier: str, known: Sources | None = None) -> dict[str, Any]:
    """Everything a derivation's summary key is made from (sources by their hashes)."""
    if identifier not in CATALOG:
        raise UnknownDerivation(f"unknown derivation '{identifier}'")
    known = known or Sources()
    hashes = known.hashes(CATALOG[identifier].module, *ROOTS)
    hashes["derive.book.build"] = known.digest("derive.book.build")  # not what it imports
    return {
        "format": FORMAT,
        "id": identifier,
        "versions": dict(versions()) | dict(_library_versions()),
        "katex": known.katex,
        "sources": dict(sorted(hashes.items())),
    }


def _digest(data: Any) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def key(identifier: str, known: Sources | None = None) -> str:
    """The key of a derivation's summary."""
    return _digest(fingerprint(identifier, known))


def page_key(summary_key: str, report: Report | None, links: Mapping[str, Any]) -> str:
    """The key of a derivation's page: its summary's, its report and its context."""
    shown = None if report is None else report.as_dict()
    return _digest({"summary": summary_key, "report": shown, "context": links})


@dataclass(frozen=True)
class Page:
    """A finished page and the formulas on it."""

    html: str
    formulas: tuple[tuple[str, bool], ...]


@dataclass(frozen=True)
class BookCache:
    """The book's cache in one folder (``default_dir() / "book"`` unless given)."""

    root: Path

    @classmethod
    def default(cls) -> BookCache:
        """The cache in ``default_dir() / "book"``."""
        return cls(default_dir() / "book")

    def key(self, identifier: str, known: Sources | None = None) -> str | None:
        """The current key of a derivation's summary; None for a plug-in's (never cached)."""
        if identifier not in CATALOG or not CATALOG[identifier].builtin:
            return None
        return key(identifier, known)

    def keys(self, identifiers: Sequence[str]) -> dict[str, str | None]:
        """The current keys of these derivations' summaries (each source read once, and parsed
        only if its imports are not kept from an earlier run)."""
        path = self.root / f"imports-{layout()[:32]}.json"
        stored = self._read(path)
        parsed = stored.get("imports") if stored else None
        known = Sources(parsed if isinstance(parsed, dict) else None)
        found = {i: self.key(i, known) for i in identifiers}
        if known.added:
            current = known.current()
            kept = {k: v for k, v in known.parsed.items() if k.split(":")[0] not in current}
            kept.update((f"{n}:{d}", known.parsed[f"{n}:{d}"]) for n, d in current.items())
            self._write(path, {"imports": kept}, lambda p: not p.name.startswith("imp"))
        return found

    def _read(self, path: Path) -> Any:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) and data.get("format") == FORMAT else None

    def _write(self, path: Path, data: dict[str, Any], keep: Callable[[Path], bool]) -> None:
        if not write_json(path, {"format": FORMAT, **data}):
            return
        for stale in path.parent.glob("*.json"):
            if stale != path and not keep(stale):
                stale.unlink(missing_ok=True)

    def summary(self, identifier: str, summary_key: str | None = None) -> Summary | None:
        """The stored summary under the current key, if there is a readable one."""
        summary_key = summary_key or self.key(identifier)
        if summary_key is None:
            return None
        data = self._read(self.root / identifier / f"{summary_key[:32]}.json")
        try:
            found = Summary.of(data["summary"]) if data else None
        except (KeyError, TypeError, ValueError):
            return None
        return found if found is not None and found.id == identifier else None

    def put_summary(self, summary: Summary, summary_key: str | None = None) -> None:
        """Store a summary (and forget the entries of the derivation's older keys)."""
        summary_key = summary_key or self.key(summary.id)
        if summary_key is None:
            return
        prefix = summary_key[:32]
        self._write(
            self.root / summary.id / f"{prefix}.json",
            {"summary": summary.as_dict()},
            lambda other: other.name.startswith(prefix),
        )

    def page(self, identifier: str, summary_key: str, key_of_page: str) -> Page | None:
        """The stored page under this key, if there is a readable one."""
        data = self._read(self.root / identifier / f"{summary_key[:32]}-{key_of_page[:32]}.json")
        try:
            return (
                Page(str(data["html"]), tuple((str(t), bool(b)) for t, b in data["formulas"]))
                if data
                else None
            )
        except (KeyError, TypeError, ValueError):
            return None

    def put_page(self, identifier: str, summary_key: str, key_of_page: str, page: Page) -> None:
        """Store a finished page (pages under the derivation's other keys are forgotten)."""
        prefix = summary_key[:32]
        self._write(
            self.root / identifier / f"{prefix}-{key_of_page[:32]}.json",
            {"html": page.html, "formulas": [list(f) for f in page.formulas]},
            lambda other: other.name.startswith(prefix),
        )

    def typeset(self, formulas: Sequence[tuple[str, bool]]) -> tuple[list[str], int]:
        """KaTeX's HTML for each formula, and how many had to be rendered now (the others
        come from the cache, keyed by the KaTeX script)."""
        path = self.root / f"katex-{katex_hash()[:32]}.json"
        data = self._read(path) or {}
        known: dict[str, str] = data.get("html", {}) if isinstance(data.get("html"), dict) else {}
        names = [f"{int(display)}{tex}" for tex, display in formulas]
        missing = [(f, n) for f, n in zip(formulas, names, strict=True) if n not in known]
        if missing:
            fresh = katex.render([f for f, _ in missing])
            known.update((n, html) for (_, n), html in zip(missing, fresh, strict=True))
            self._write(path, {"html": known}, lambda other: not other.name.startswith("katex-"))
        return [str(known[n]) for n in names], len(missing)
