"""The on-disk index of the names recorded mistakes need: a new process builds only the
derivations whose mistakes a learner's names allow, and finds the same mistakes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from derive.catalog import ids
from derive.checker import catalog, index
from derive.checker.index import NeedsIndex


@pytest.fixture
def fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[NeedsIndex]:
    """An empty index in a folder of its own, and no derivation indexed in this process."""
    monkeypatch.setenv("DERIVE_CACHE_DIR", str(tmp_path))
    index.default.cache_clear()
    catalog.recorded.cache_clear()
    yield index.default()
    index.default.cache_clear()


def test_a_new_process_builds_only_the_derivations_the_names_allow(fresh: NeedsIndex) -> None:
    available = {"A", "B"}
    catalog.warm()  # the first process: every derivation built, and indexed on disk
    expected = [(k.derivation.id, k.mistake.name) for k in catalog.candidates(available)]
    assert NeedsIndex(fresh.path).entries.keys() == set(ids())

    index.default.cache_clear()  # a second process: the index read back from disk
    catalog.recorded.cache_clear()
    found = [(k.derivation.id, k.mistake.name) for k in catalog.candidates(available)]
    assert found == expected
    assert ("inverse-2x2", "(AB)⁻¹ = A⁻¹B⁻¹") in found
    built = catalog.recorded.cache_info().currsize
    assert built == len({identifier for identifier, _ in found}) < len(ids()) / 2


@pytest.mark.parametrize("content", ["", "not json", "[1, 2]", '{"inverse-2x2": 3}'])
def test_an_unreadable_index_is_ignored(tmp_path: Path, content: str) -> None:
    path = tmp_path / "needs.json"
    path.write_text(content)
    assert NeedsIndex(path).allows("inverse-2x2", {"A"}) is None


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
