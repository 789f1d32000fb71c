"""The verification cache: keyed by content, a stale result is never served, a corrupt entry
is ignored, failures are not stored, and the commands use it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from derive.catalog import get
from derive.catalog.cache import Cache, fingerprint, key
from derive.core import sources
from derive.core.sources import closure, module_file
from derive.reasoning.verify import Check, Report

ID = "inverse-2x2"


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every real verification made, by id (the result is a cheap stand-in report)."""
    made: list[str] = []

    def fake_verify(derivation, **_: object) -> Report:  # type: ignore[no-untyped-def]
        made.append(derivation.id)
        return Report(derivation.id, (Check("stand-in", True, "ok", "passed"),))

    monkeypatch.setattr("derive.catalog.cache.verify", fake_verify)
    monkeypatch.setattr("derive.reasoning.verify.verify", fake_verify)
    return made


def edit(monkeypatch: pytest.MonkeyPatch, module: str, text: bytes) -> None:
    """Make the cache see ``module``'s source with ``text`` appended (nothing is written)."""
    target = module_file(module)
    real = sources.read_source

    def read(path: Path) -> bytes:
        return real(path) + text if path == target else real(path)

    monkeypatch.setattr(sources, "read_source", read)


def test_key_covers_the_module_its_imports_and_verify() -> None:
    sources = fingerprint(ID)["sources"]
    for module in (
        "derive.catalog.linear_algebra.inverse_2x2",
        "derive.catalog.linear_algebra.stable",  # imported by the module
        "derive.numeric.twin",
        "derive.numeric.fast",  # imported by derive.numeric.twin
        "derive.reasoning.verify",
        "derive.reasoning.equivalence",
        "derive.numeric.realise",
    ):
        assert module in sources, module
    # another derivation's module is not part of it
    assert "derive.catalog.linear_algebra.eigenvalues_2x2" not in sources


def test_key_covers_versions_parameters_and_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    parts = fingerprint(ID)
    assert {"sympy", "numpy", "scipy", "mpmath", "symengine", "python"} <= set(parts["versions"])
    assert key(ID) != key(ID, points=13)
    assert key(ID) != key(ID, budget=5.0)
    before = key(ID)
    monkeypatch.setenv("DERIVE_BACKEND", "numpy")
    assert key(ID) != before


@pytest.mark.parametrize(
    "module",
    ["derive.catalog.linear_algebra.inverse_2x2", "derive.catalog.linear_algebra.stable"],
)
def test_editing_a_derivation_or_what_it_imports_changes_the_key(
    module: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = key(ID)
    edit(monkeypatch, module, b"\n# edited\n")
    assert key(ID) != before


def test_an_edit_elsewhere_keeps_the_key(monkeypatch: pytest.MonkeyPatch) -> None:
    before = key(ID)
    edit(monkeypatch, "derive.catalog.linear_algebra.eigenvalues_2x2", b"\n# edited\n")
    assert key(ID) == before


def test_hit_miss_and_invalidation(
    tmp_path: Path, calls: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = Cache(tmp_path)
    first = cache.verify(ID)
    assert cache.verify(ID) == first
    assert calls == [ID]  # the second came from the cache
    edit(monkeypatch, "derive.catalog.linear_algebra.inverse_2x2", b"\nX = 1\n")
    assert cache.get(ID) is None
    cache.verify(ID)
    assert calls == [ID, ID]
    assert len(list((tmp_path / "verify").glob(f"{ID}-*.json"))) == 1  # the stale one is gone


@pytest.mark.parametrize(
    "content",
    [
        "not json {",
        "",
        '{"format": 1}',
        '{"format": 1, "report": {"id": "inverse-2x2", "checks": [{"name": 1}]}}',
        '{"format": 1, "report": {"id": "eigenvalues-2x2", "passed": true, "checks": []}}',
        '{"format": 0, "report": {"id": "inverse-2x2", "passed": true, "checks": []}}',
    ],
)
def test_a_corrupt_or_foreign_entry_is_ignored_and_replaced(
    content: str, tmp_path: Path, calls: list[str]
) -> None:
    cache = Cache(tmp_path)
    path = cache.path(ID)
    path.parent.mkdir(parents=True)
    path.write_text(content)
    assert cache.get(ID) is None
    assert cache.verify(ID).passed
    assert calls == [ID]
    assert json.loads(path.read_text())["report"]["id"] == ID


def test_failures_are_not_stored(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    failed = Report(ID, (Check("something", False, "wrong", "failed"),))
    cache.put(failed)
    assert cache.get(ID) is None
    assert not (tmp_path / "verify").exists()


def test_a_real_report_round_trips(tmp_path: Path) -> None:
    from derive.reasoning.verify import verify

    report = verify(get(ID))
    cache = Cache(tmp_path)
    cache.put(report)
    assert cache.get(ID) == report


def test_closure_reads_imports_without_running_them() -> None:
    modules = closure("derive.reasoning.verify")
    assert {
        "derive.reasoning.verify",
        "derive.reasoning.equivalence",
        "derive.core.model",
        "derive.core.budget",
    } <= set(modules)
    assert "derive.catalog" not in modules  # only named in TYPE_CHECKING blocks, if at all


def test_verify_command_uses_the_cache(
    calls: list[str],
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from derive.commands.cli import main

    monkeypatch.setenv("DERIVE_CACHE_DIR", str(tmp_path))
    assert main(["verify", ID, "--json", "--jobs", "1"]) == 0
    assert main(["verify", ID, "--json", "--jobs", "1"]) == 0
    assert calls == [ID]
    assert main(["verify", ID, "--json", "--jobs", "1", "--no-cache"]) == 0
    assert calls == [ID, ID]
    out = capsys.readouterr().out
    assert '"passed": 1' in out
