"""Build hook: KaTeX's files go into the wheel and the sdist (the metadata is in pyproject.toml).

``derive book`` runs KaTeX in an embedded V8, so an install needs KaTeX's JavaScript, CSS and
fonts but no Node.js. They are copied from the clone's ``node_modules/katex`` (``npm ci``, the
version pinned in package.json) into ``derive/book/vendor/katex`` of the build, and into the
sdist too, so that a wheel built from the sdist carries them without Node.js or npm.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.command.sdist import sdist

ROOT = Path(__file__).resolve().parent
INSIDE = Path("derive", "book", "vendor", "katex")


def _katex() -> ModuleType:
    """derive/book/katex.py itself (standard library only), without importing derive."""
    spec = importlib.util.spec_from_file_location("_derive_katex", ROOT / "derive/book/katex.py")
    if spec is None or spec.loader is None:
        raise SystemExit("setup.py: cannot load derive/book/katex.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _source() -> Path:
    """The KaTeX to ship: an unpacked sdist's copy, else the clone's pinned node_modules."""
    if (ROOT / INSIDE / "package.json").is_file():
        return ROOT / INSIDE
    npm = ROOT / "node_modules" / "katex"
    pin = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["dependencies"]["katex"]
    if not (npm / "package.json").is_file():
        raise SystemExit(f"setup.py: KaTeX {pin} is not in node_modules/katex: run `npm ci` first")
    found = json.loads((npm / "package.json").read_text(encoding="utf-8"))["version"]
    if found != pin:
        raise SystemExit(f"setup.py: node_modules has KaTeX {found}, package.json pins {pin}")
    return npm


class BuildPy(build_py):
    """Python files and package data as usual, then KaTeX's files beside the book."""

    def run(self) -> None:
        super().run()
        if not self.editable_mode:  # an editable install finds node_modules by itself
            _katex().ship(_source(), Path(self.build_lib) / INSIDE)


class Sdist(sdist):
    """The usual release tree, plus KaTeX's files where the wheel will want them."""

    def make_release_tree(self, base_dir: str, files: list[str]) -> None:
        super().make_release_tree(base_dir, files)
        _katex().ship(_source(), Path(base_dir) / INSIDE)


setup(cmdclass={"build_py": BuildPy, "sdist": Sdist})
