"""Verification results cached on disk, keyed by everything that could change them.

>>> import tempfile
>>> cache = Cache(Path(tempfile.mkdtemp()))
>>> cache.get("inverse-2x2") is None
True
>>> report = cache.verify("inverse-2x2")  # verified, then stored
>>> cache.get("inverse-2x2") == report
True

The key of a derivation is a SHA-256 over: the source of its catalog module and of every
``derive`` module it imports, directly or not (found by reading the ``import`` statements, so
nothing is executed), together with those of ``derive.verify``; its id, topic and builder;
the verify parameters; the versions of Python, SymPy, NumPy, SciPy, mpmath and SymEngine;
and the twin backend in force. Edit any of these and the entry is simply not found again: a
stale result cannot be served. Only passing reports are stored (a failure is always checked
afresh), an unreadable or malformed entry is ignored, and entries are written atomically, so
parallel workers and an interrupted run are safe. The cache lives in ``$DERIVE_CACHE_DIR``,
else ``$XDG_CACHE_HOME/derive``, else ``~/.cache/derive``; deleting it only costs time.
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
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from derive.cache_dir import default_dir

if TYPE_CHECKING:
    from derive.verify import Report

FORMAT = 1
PACKAGE = Path(__file__).resolve().parent
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


def _read(path: Path) -> bytes:
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


def _imported(name: str, path: Path) -> set[str]:
    """The ``derive`` modules one module imports (anywhere in it, also inside functions)."""
    tree = ast.parse(_read(path), filename=str(path))
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
def _versions() -> tuple[tuple[str, str], ...]:
    versions = [("python", platform.python_version()), ("machine", platform.machine())]
    for library in LIBRARIES:
        try:
            versions.append((library, importlib.metadata.version(library)))
        except importlib.metadata.PackageNotFoundError:
            versions.append((library, "not installed"))
    return tuple(versions)


def fingerprint(identifier: str, *, points: int = 12, budget: float = 10.0) -> dict[str, Any]:
    """Everything the key of a derivation's entry is made from (sources by their hashes)."""
    from derive.catalog import CATALOG, UnknownDerivation
    from derive.fast import backend

    if identifier not in CATALOG:
        raise UnknownDerivation(f"unknown derivation '{identifier}'")
    topic, builder = CATALOG[identifier]
    modules = closure(builder.__module__, "derive.verify")
    return {
        "format": FORMAT,
        "id": identifier,
        "topic": str(topic.value),
        "builder": f"{builder.__module__}.{builder.__qualname__}",
        "parameters": {"points": points, "budget": budget},
        "backend": backend(),
        "versions": dict(_versions()),
        "sources": {
            name: hashlib.sha256(_read(path)).hexdigest() for name, path in sorted(modules.items())
        },
    }


def key(identifier: str, *, points: int = 12, budget: float = 10.0) -> str:
    """The cache key of a derivation's verification."""
    text = json.dumps(fingerprint(identifier, points=points, budget=budget), sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def _report(data: Any, identifier: str) -> Report | None:
    """A Report from a stored entry, or None if the entry is not a passing report of it."""
    from derive.verify import Check, Report

    try:
        stored = data["report"]
        checks = tuple(
            Check(str(c["name"]), bool(c["passed"]), str(c["detail"]), str(c["status"]))
            for c in stored["checks"]
        )
        report = Report(str(stored["id"]), checks)
    except (KeyError, TypeError):
        return None
    if data.get("format") != FORMAT or report.id != identifier or not report.passed:
        return None
    return report


@dataclass(frozen=True)
class Cache:
    """The verification cache in one folder (``default_dir()`` unless given)."""

    root: Path
    points: int = 12
    budget: float = 10.0

    @classmethod
    def default(cls) -> Cache:
        """The cache in ``default_dir()``."""
        return cls(default_dir())

    def path(self, identifier: str) -> Path:
        """Where the entry for this derivation's current key is stored."""
        entry = key(identifier, points=self.points, budget=self.budget)
        return self.root / "verify" / f"{identifier}-{entry[:32]}.json"

    def get(self, identifier: str) -> Report | None:
        """The stored passing report under the current key, if there is a readable one."""
        try:
            data = json.loads(self.path(identifier).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return _report(data, identifier)

    def put(self, report: Report) -> None:
        """Store a passing report (atomically; a failure to write is not an error)."""
        if not report.passed:
            return
        path = self.path(report.id)
        if not write_json(path, {"format": FORMAT, "report": report.as_dict()}):
            return
        for stale in path.parent.glob(f"{report.id}-*.json"):  # entries under old keys
            if stale != path:
                stale.unlink(missing_ok=True)

    def verify(self, identifier: str) -> Report:
        """The cached report, or verify now (and store the report if it passed)."""
        report = self.get(identifier)
        if report is None:
            from derive.catalog import get
            from derive.verify import verify

            report = verify(get(identifier), points=self.points, budget=self.budget)
            self.put(report)
        return report
