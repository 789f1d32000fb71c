"""The architecture as a test: every import in ``derive/`` goes down the layer order, and no
module imports itself round a cycle.

Imports are read from the source (``ast``), at any depth — inside functions and under
``TYPE_CHECKING`` too: a type-only import still ties the lower layer to the higher one.
"""

from __future__ import annotations

import ast
import graphlib
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "derive"

# Lowest first. A module may import its own layer and those before it, never one after it.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("derive.core",),
    ("derive.numeric",),
    ("derive.reasoning",),
    ("derive.catalog",),
    ("derive.checker",),
    ("derive.render",),
    ("derive.documents",),
    ("derive.practice",),  # interview drills; the widgets show them
    ("derive.book", "derive.widgets", "derive.notebook"),  # notebook: %%derive, rich display
    ("derive.grading",),
    ("derive.export",),
    ("derive.serve",),
    ("derive.bench",),
    ("derive.commands",),
    ("derive.__main__",),  # python -m derive
)


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imported(name: str, path: Path, known: set[str]) -> set[str]:
    """The derive modules ``name`` imports (``from a import b`` counts ``a.b`` when a module)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            submodules = {f"{base}.{alias.name}" for alias in node.names} & known
            found.update(submodules or {base})
    # Python runs a module's parent packages first; that is not an import to judge.
    return {m for m in found if m in known and m != name and not name.startswith(m + ".")}


def graph() -> dict[str, set[str]]:
    """Each module and the derive modules it imports."""
    found = modules()
    return {name: imported(name, path, set(found)) for name, path in found.items()}


def edges() -> list[tuple[str, str]]:
    return [(a, b) for a, targets in graph().items() for b in sorted(targets)]


def layer(module: str) -> int | None:
    for rank, prefixes in enumerate(LAYERS):
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return rank
    return None


def test_every_module_has_a_layer() -> None:
    homeless = [m for m in modules() if m != "derive" and layer(m) is None]
    assert not homeless, f"modules outside every layer (add a folder to LAYERS): {homeless}"


def test_no_import_cycle() -> None:
    g = graph()
    del g["derive"]  # the public API imports everything lazily; nothing imports it
    try:
        graphlib.TopologicalSorter(g).prepare()
    except graphlib.CycleError as error:
        pytest.fail(f"import cycle: {' -> '.join(error.args[1])}")


def test_no_upward_import() -> None:
    upward = [
        f"{a} -> {b}"
        for a, b in edges()
        if a != "derive"
        and b != "derive"
        and layer(a) is not None
        and layer(b) is not None
        and layer(a) < layer(b)  # type: ignore[operator]
    ]
    assert not upward, "imports that go up a layer:\n" + "\n".join(sorted(upward))


def test_nothing_inside_derive_imports_the_public_api() -> None:
    users = sorted(a for a, b in edges() if b == "derive")
    assert not users, f"modules importing the top-level package: {users}"


@pytest.mark.parametrize("example", [("derive.core.model", "derive.numeric.twin")])
def test_the_reader_sees_an_upward_import(example: tuple[str, str], tmp_path: Path) -> None:
    """The checks above can fail: an upward import written into a module is found."""
    low, high = example
    source = tmp_path / "probe.py"
    source.write_text(f"from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import {high}\n")
    found = imported(low, source, set(modules()))
    assert found == {high}
    assert layer(low) < layer(high)  # type: ignore[operator]
