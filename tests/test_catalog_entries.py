"""The catalog entry contract: each module states its entry once, the catalog reads it from the
source without importing anything, and whatever an entry names (a drawing, an input generator,
a panel) exists and is about that entry."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from derive.catalog import CATALOG, MODULES, ids
from derive.catalog import entries as entries_module
from derive.catalog.entries import EntryError, parse, read
from derive.catalog.entry import Entry, Exercise, Picture
from derive.commands.cli import main
from derive.core.model import Topic
from derive.numeric.derivation import Derivation

ROOT = Path(__file__).resolve().parents[1]
CATALOG_DIR = ROOT / "derive" / "catalog"


@pytest.mark.parametrize("module", MODULES)
def test_the_entry_read_from_source_is_the_modules_entry(module: str) -> None:
    imported = importlib.import_module(f"derive.catalog.{module}")
    assert read(module) == imported.ENTRY
    folder, name = module.split(".")
    assert imported.ENTRY.id.replace("-", "_") == name
    assert imported.ENTRY.topic.value.replace("-", "_") == folder
    assert imported.ENTRY.module == imported.__name__


def test_every_module_declaring_an_entry_is_listed_once() -> None:
    declaring = sorted(
        ".".join(path.relative_to(CATALOG_DIR).with_suffix("").parts)
        for path in CATALOG_DIR.glob("*/*.py")
        if "\nENTRY = " in path.read_text(encoding="utf-8")
        or "\ndef build(" in path.read_text(encoding="utf-8")
    )
    assert sorted(MODULES) == declaring
    assert len(set(MODULES)) == len(MODULES) == len(CATALOG)
    assert list(CATALOG) == list(ids())


def test_listing_the_catalog_imports_no_sympy() -> None:
    program = (
        "import sys\n"
        "from derive.commands.cli import main\n"
        "status = main(['list', '--json'])\n"
        "heavy = sorted(m for m in ('sympy', 'numpy', 'symengine') if m in sys.modules)\n"
        "assert status == 0 and not heavy, heavy\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert [r["id"] for r in rows] == list(CATALOG)
    assert all(
        (r["title"], r["topic"]) == (CATALOG[r["id"]].title, CATALOG[r["id"]].topic.value)
        for r in rows
    )


def test_list_by_topic_keeps_catalog_order(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list", "--topic", "probability-statistics", "--json"]) == 0
    listed = [r["id"] for r in json.loads(capsys.readouterr().out)]
    assert listed == list(ids(Topic.PROBABILITY_STATISTICS))


def test_show_json_opens_with_the_entrys_metadata(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", "dot-product", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    entry = CATALOG["dot-product"]
    assert list(data)[:3] == ["id", "title", "topic"]
    assert (data["id"], data["title"], data["topic"]) == (
        entry.id,
        entry.title,
        entry.topic.value,
    )
    assert data["steps"]


def test_parse_reads_one_line_multi_line_and_fallback_forms() -> None:
    want = Entry(
        id="pagerank",
        topic=Topic.LINEAR_ALGEBRA,
        title="PageRank",
        plot=Picture("two lines", "pca_axes"),
        exercise=Exercise(r"Compute ${lhs}$.", draw="link_matrix"),
    )
    body = (
        'id="pagerank", topic=Topic.LINEAR_ALGEBRA, title="PageRank", '
        'plot=Picture("two " "lines", drawing="pca_axes"), '
        'exercise=Exercise(question=r"Compute ${lhs}$.", draw="link_matrix")'
    )
    one_line = f"import x\n\nENTRY = Entry({body})\n\n\ndef build():\n    return 1\n"
    multi_line = "ENTRY = Entry(\n" + body.replace(", ", ",\n    ") + "\n)\nPAGES = 5\n"
    # "ENTRY = " twice (here in a docstring): the text search gives up, the module is parsed.
    quoted = f'"""\nENTRY = Entry(id="x")\n"""\n\nENTRY = Entry({body})\n'
    assert parse(one_line) == parse(multi_line) == parse(quoted) == want


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ('TITLE = "t"\nENTRY = Entry(id="a", topic=Topic.LINEAR_ALGEBRA, title=TITLE)', "TITLE"),
        ('ENTRY = Entry(id="a", topic=Topic.LINEAR_ALGEBRA, title="t" + "u")', "literals"),
        ('ENTRY = Entry(id="a", topic=Topic.GEOMETRY, title="t")', "Topic.GEOMETRY"),
        ('ENTRY = Entry(**{"id": "a"})', r"no \*\*"),
        ('ENTRY = Picture("caption", "drawing")', "must be an Entry"),
        ("def build():\n    pass\n", "exactly one"),
    ],
)
def test_parse_refuses_what_is_not_a_literal_entry(source: str, message: str) -> None:
    with pytest.raises(EntryError, match=message):
        parse(source, "mod.py")


def test_read_holds_the_file_name_convention(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "linear_algebra"
    folder.mkdir()
    (folder / "page_rank.py").write_text(
        'ENTRY = Entry(id="pagerank", topic=Topic.LINEAR_ALGEBRA, title="PageRank")\n'
    )
    (folder / "pagerank.py").write_text(
        'ENTRY = Entry(id="pagerank", topic=Topic.PROBABILITY_STATISTICS, title="PageRank")\n'
    )
    monkeypatch.setattr(entries_module, "HERE", tmp_path)
    with pytest.raises(EntryError, match="file-name convention"):
        read("linear_algebra.page_rank")
    with pytest.raises(EntryError, match=r"probability_statistics\.pagerank"):
        read("linear_algebra.pagerank")


def test_get_refuses_a_module_that_builds_another_entry(monkeypatch: pytest.MonkeyPatch) -> None:
    import derive.catalog as catalog

    real = CATALOG["dot-product"]
    other = Entry(id="dot-product", topic=real.topic, title="Another title")
    monkeypatch.setattr(catalog, "CATALOG", {**CATALOG, "dot-product": other})
    catalog.get.cache_clear()
    try:
        with pytest.raises(RuntimeError, match="not its ENTRY"):
            catalog.get("dot-product")
    finally:
        catalog.get.cache_clear()


def test_every_picture_names_a_registered_drawing_and_every_drawing_is_used() -> None:
    from derive.book.plots import DRAWINGS, PLOTS, plot_for

    pictured = {i: e.plot for i, e in CATALOG.items() if e.plot is not None}
    assert set(PLOTS) == set(pictured)
    for identifier, picture in pictured.items():
        plot = plot_for(CATALOG[identifier])
        assert plot is not None
        assert (plot.caption, plot.draw) == (picture.caption, DRAWINGS[picture.drawing])
    assert {p.drawing for p in pictured.values()} == set(DRAWINGS)


def test_a_picture_naming_no_drawing_fails_loudly() -> None:
    from derive.book.plots import plot_for

    entry = Entry("pca-2d", Topic.LINEAR_ALGEBRA, "PCA", plot=Picture("c", "no_such_drawing"))
    with pytest.raises(LookupError, match="no_such_drawing"):
        plot_for(entry)


def test_every_exercise_wording_comes_from_its_entry() -> None:
    from derive.render.exercises import DEFAULT, DRAWS, TEMPLATES, template_for

    worded = {i: e.exercise for i, e in CATALOG.items() if e.exercise is not None}
    assert set(TEMPLATES) == set(worded)
    for identifier, wording in worded.items():
        template = template_for(CATALOG[identifier])
        assert template.question == wording.question
        assert template.lhs == (wording.lhs or "")
        assert template.draw is (DRAWS[wording.draw] if wording.draw else None)
    assert {w.draw for w in worded.values() if w.draw} == set(DRAWS)
    assert template_for(Entry("dot-product", Topic.LINEAR_ALGEBRA, "D")) is DEFAULT
    entry = Entry("pagerank", Topic.LINEAR_ALGEBRA, "P", exercise=Exercise("q", draw="nope"))
    with pytest.raises(LookupError, match="'nope'"):
        template_for(entry)


def test_every_widget_names_a_panel_that_reads_the_entrys_derivation(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from derive.widgets import common
    from derive.widgets.panels import featured, panel_builder

    read_ids: list[str] = []
    real = common.derivation

    def recording(identifier: str) -> Derivation:
        read_ids.append(identifier)
        return real(identifier)

    monkeypatch.setattr(common, "derivation", recording)
    panels = featured()
    assert panels
    for widget, identifiers in panels.items():
        read_ids.clear()
        builder = panel_builder(CATALOG[identifiers[0]])
        assert builder is not None
        assert isinstance(builder(), common.Panel)
        assert set(identifiers) <= set(read_ids), (widget, identifiers, read_ids)
    with pytest.raises(LookupError, match=r"calculus\.nothing"):
        panel_builder(Entry("x", Topic.LINEAR_ALGEBRA, "x", widget="calculus.nothing"))


def test_bench_measures_derive_list(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", "--quick", "--parts", "list", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["list_s"] > 0
    assert [t["what"] for t in data["targets"]] == ["derive list (no SymPy)"]
