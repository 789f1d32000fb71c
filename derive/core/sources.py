"""Source files and versions: what a cached result of ``derive`` depends on.

A module's dependencies are found by reading its ``import`` statements (nothing is run), so
a cache key can hash exactly the sources a result was computed from.

>>> sorted(closure("derive.core.cache_dir"))
['derive.core.cache_dir']
>>> module_file("derive.core.sources").name
'sources.py'
>>> dict(versions())["python"].count(".")
2
"""

from __future__ import annotations

import ast
import functools
import hashlib
import importlib.metadata
import json
import os
import platform
import tempfile
from pathlib import Path
from typing import Any

PACKAGE = Path(__file__).resolve().parents[1]
LIBRARIES = ("sympy", "numpy", "scipy", "mpmath", "symengine")


def write_json(path: Path, data: Any) -> bool:
    """Write ``data`` as JSON to ``path`` atomically (a temporary file, then a rename), so a
    reader never sees half a file; False if it could not be written."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            "w", dir=path.parent, suffix=".tmp", delete=False, encoding="utf-8"
        ) as handle:
            json.dump(data, handle)
        os.replace(handle.name, path)
    except OSError:
        return False
    return True


def read_source(path: Path) -> bytes:
    """A source file's bytes (a seam for tests that simulate an edit)."""
    return path.read_bytes()


def module_file(name: str) -> Path | None:
    """The source file of a ``derive`` module, found on disk without importing it."""
    parts = name.split(".")
    if parts[0] != "derive":
        return None
    base = PACKAGE.joinpath(*parts[1:])
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _runtime_nodes(tree: ast.AST) -> list[ast.AST]:
    """Every node, except inside ``if TYPE_CHECKING:`` blocks (never executed)."""
    nodes: list[ast.AST] = []
    pending = [tree]
    while pending:
        node = pending.pop()
        nodes.append(node)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            pending += node.orelse
            continue
        pending += ast.iter_child_nodes(node)
    return nodes


# (module, sha256 of its source) -> what it imports: a closure per catalog entry reads the
# same few dozen modules again and again; parsing each once per process keeps a cache key cheap
_IMPORTS: dict[tuple[str, str], frozenset[str]] = {}


def _imported(name: str, path: Path) -> set[str]:
    """The ``derive`` modules one module imports (anywhere in it, also inside functions)."""
    source = read_source(path)
    key = (name, hashlib.sha256(source).hexdigest())
    if key not in _IMPORTS:
        _IMPORTS[key] = frozenset(_parse_imports(name, path, source))
    return set(_IMPORTS[key])


def _parse_imports(name: str, path: Path, source: bytes) -> set[str]:
    tree = ast.parse(source, filename=str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in _runtime_nodes(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from . import x, from ..y import z
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            for alias in node.names:
                # ``from derive import fast`` imports a module; ``from derive.x import f`` a
                # name defined in derive.x
                module = f"{base}.{alias.name}"
                found.add(module if module_file(module) is not None else base)
    return {n for n in found if n.split(".")[0] == "derive" and module_file(n) is not None}


def closure(*roots: str) -> dict[str, Path]:
    """Every ``derive`` module the roots import, directly or not, with its file.

    A package's ``__init__`` counts only where it is imported by name: importing
    ``derive.catalog.common`` runs ``derive/catalog/__init__.py`` too, but a derivation does
    not depend on the rest of the catalog unless it imports ``derive.catalog`` itself.
    """
    found: dict[str, Path] = {}
    pending = [r for r in roots if module_file(r) is not None]
    while pending:
        name = pending.pop()
        if name in found:
            continue
        path = module_file(name)
        assert path is not None
        found[name] = path
        pending += sorted(_imported(name, path) - set(found))
    return found


@functools.cache
def versions() -> tuple[tuple[str, str], ...]:
    """Python's, the machine's and each library's version, as (name, version) pairs."""
    versions = [("python", platform.python_version()), ("machine", platform.machine())]
    for library in LIBRARIES:
        try:
            versions.append((library, importlib.metadata.version(library)))
        except importlib.metadata.PackageNotFoundError:
            versions.append((library, "not installed"))
    return tuple(versions)
