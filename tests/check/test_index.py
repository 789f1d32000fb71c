"""The on-disk index of recorded mistakes: a new process reads back the mistakes a learner's
names (and their kinds) allow, without building any derivation, and finds what building
would give."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sympy as sp

import derive.catalog
from derive.catalog import get, ids
from derive.checker import catalog, index
from derive.checker.api import check
from derive.checker.index import MATRIX, SCALAR, NeedsIndex, typed
from derive.commands.cli import main


@pytest.fixture
def fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[NeedsIndex]:
    """An empty index in a folder of its own, and no derivation indexed in this process."""
    monkeypatch.setenv("DERIVE_CACHE_DIR", str(tmp_path))
    index.default.cache_clear()
    catalog.recorded.cache_clear()
    yield index.default()
    index.default.cache_clear()
    catalog.recorded.cache_clear()


@pytest.fixture(scope="module")
def warmed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[str, Any]]]:
    """The whole catalog's mistakes built and indexed once, in a folder of its own: the folder,
    and what building gave for each derivation."""
    folder = tmp_path_factory.mktemp("warmed")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DERIVE_CACHE_DIR", str(folder))
        index.default.cache_clear()
        catalog.recorded.cache_clear()
        catalog.warm()
        yield folder, {identifier: catalog.recorded(identifier) for identifier in ids()}
    index.default.cache_clear()
    catalog.recorded.cache_clear()


@pytest.fixture
def in_warmed(
    warmed: tuple[Path, dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> Iterator[NeedsIndex]:
    """The warmed folder's index, in this test."""
    monkeypatch.setenv("DERIVE_CACHE_DIR", str(warmed[0]))
    index.default.cache_clear()
    catalog.recorded.cache_clear()
    yield index.default()
    index.default.cache_clear()
    catalog.recorded.cache_clear()


def _another_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """As if in a new process: nothing read yet, and building a derivation is an error."""
    index.default.cache_clear()
    catalog.recorded.cache_clear()

    def no_build(identifier: str) -> None:
        raise AssertionError(f"{identifier} was built instead of read from the index")

    monkeypatch.setattr(derive.catalog, "get", no_build)


def test_a_new_process_reads_the_mistakes_the_names_allow_without_building(
    warmed: tuple[Path, dict[str, Any]], in_warmed: NeedsIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    available = typed({"A": MATRIX, "B": MATRIX})
    built = warmed[1]  # the first process: every derivation built, and indexed on disk
    expected = [
        (identifier, known.mistake.name)
        for identifier in ids()
        for known in built[identifier]
        if known.possible(available)
    ]
    assert NeedsIndex(in_warmed.path).entries.keys() == set(ids())
    assert all(in_warmed.has(identifier) for identifier in ids())

    _another_process(monkeypatch)
    found = [(k.derivation.id, k.mistake.name) for k in catalog.candidates(available)]
    assert found == expected
    assert ("inverse-2x2", "(AB)⁻¹ = A⁻¹B⁻¹") in found
    read = catalog.recorded.cache_info().currsize
    assert read == len({identifier for identifier, _ in found}) < len(ids()) / 2

    # a learner's refuted step named from the index alone (still nothing built)
    _another_process(monkeypatch)
    given = {"A": "matrix 2 2", "B": "matrix 2 2"}
    result = check(["inv(A B)", "inv(A) inv(B)"], given, budget=60)
    assert result.verdict == "incorrect"
    assert "(AB)⁻¹ = A⁻¹B⁻¹ (inverse-2x2)" in (result.pairs[0].diagnosis or "")


@pytest.mark.parametrize("identifier", ids())
def test_the_index_gives_back_what_building_gives(
    warmed: tuple[Path, dict[str, Any]], in_warmed: NeedsIndex, identifier: str
) -> None:
    derivation = get(identifier)
    stored = catalog._stored(identifier)
    assert stored is not None
    built = warmed[1][identifier]
    assert all(k.derivation is derivation for k in built)  # built, not read
    assert [k.mistake for k in stored] == [k.mistake for k in built]
    assert [k.needs for k in stored] == [k.needs for k in built]
    for known in stored:
        assert known.derivation.id == identifier
        assert dict(known.derivation.bindings) == dict(derivation.bindings)
        assert [dict(s) for s in known.derivation.sizes] == [dict(s) for s in derivation.sizes]


def test_a_number_does_not_stand_for_a_matrix_in_the_needs(in_warmed: NeedsIndex) -> None:
    """``dot-product``'s mistakes are about vectors ``a`` and ``b``: numbers ``a`` and ``b``
    cannot be making them, vectors can."""
    assert in_warmed.allows("dot-product", typed({"a": SCALAR, "b": SCALAR})) is False
    assert in_warmed.allows("dot-product", typed({"a": MATRIX, "b": MATRIX})) is True


def test_a_matrix_need_is_typed_and_a_scalar_one_plain(in_warmed: NeedsIndex) -> None:
    alternatives = {
        name for needs in in_warmed.entries["inverse-2x2"] for need in needs for name in need
    }
    assert "[A]" in alternatives  # A ↦ [[a, b], [c, d]]: the matrix A, or its entry a
    assert "a" in alternatives


def test_verify_prepares_the_index(fresh: NeedsIndex) -> None:
    assert not catalog.prepared("inverse-2x2")
    assert main(["verify", "inverse-2x2", "--json", "--jobs", "1"]) == 0
    index.default.cache_clear()
    assert catalog.prepared("inverse-2x2")


@pytest.mark.parametrize(
    "content", [b"", b"not a pickle", b"\x80\x04K\x03.", b"\x80\x04\x95\x05\x00\x00\x00\x00"]
)
def test_an_unreadable_stored_derivation_is_built_again(fresh: NeedsIndex, content: bytes) -> None:
    catalog.prepare("inverse-2x2")
    fresh._pickle("inverse-2x2").write_bytes(content)
    catalog.recorded.cache_clear()
    assert catalog._stored("inverse-2x2") is None
    again = catalog.recorded("inverse-2x2")  # built, and stored afresh
    assert [k.mistake.name for k in again] == [m.name for m in get("inverse-2x2").mistakes]
    assert catalog._stored("inverse-2x2") is not None


def test_a_stored_derivation_of_another_id_is_not_used(fresh: NeedsIndex) -> None:
    catalog.prepare("inverse-2x2")
    catalog.prepare("transpose-rules")
    path = fresh._pickle("inverse-2x2")
    path.write_bytes(fresh._pickle("transpose-rules").read_bytes())
    assert catalog._stored("inverse-2x2") is None


@pytest.mark.parametrize("content", ["", "not json", "[1, 2]", '{"inverse-2x2": 3}'])
def test_an_unreadable_index_is_ignored(tmp_path: Path, content: str) -> None:
    path = tmp_path / "needs.json"
    path.write_text(content)
    assert NeedsIndex(path).allows("inverse-2x2", {"[A]"}) is None


def test_the_index_of_edited_sources_is_not_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DERIVE_CACHE_DIR", str(tmp_path))
    index.default.cache_clear()
    before = index.default().path
    index._key.cache_clear()
    monkeypatch.setattr(Path, "read_bytes", lambda self: b"an edited source")
    try:
        assert index.default.__wrapped__().path != before
    finally:
        index._key.cache_clear()
        index.default.cache_clear()


def test_sympy_objects_survive_the_round_trip() -> None:
    """What the pickles hold compares equal after reading back (the index relies on it)."""
    import pickle

    x = sp.MatrixSymbol("X", sp.Symbol("n"), 2)
    t = sp.Symbol("t", positive=True)
    for expr in ((x.T * x).inverse(), sp.Derivative(sp.Function("f")(t), t) + sp.log(t)):
        assert pickle.loads(pickle.dumps(expr)) == expr
