"""What every test needs, here at the root so that it reaches both halves of the suite: the
tests in ``tests/`` and the examples in the docstrings of ``derive/`` (``--doctest-modules``,
see ``[tool.pytest.ini_options]`` in pyproject.toml).

A few examples need more than Python: they run when it is installed (``make setup`` installs
all of it), are skipped without it locally and fail without it under CI (``tests/tools.py``).
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable, Iterator

import pytest

from tests.tools import IN_CI, missing, require_tool

# The suite checks the built-in catalog: plug-in catalogs installed beside derive (the Makefile
# installs examples/plugin) are left out here, and in the commands tests run, except in
# tests/plugins, which runs derive without this. Set before anything imports derive.catalog.
os.environ["DERIVE_DISABLE_PLUGINS"] = "1"

# the extras the widgets and ``derive worksheets`` need (pip install 'derive[worksheets]')
WORKSHEETS = ("ipywidgets", "voila", "ipykernel")


def _katex() -> None:
    from derive.book.katex import KatexError, katex_dir

    try:
        katex_dir()
    except KatexError as error:
        missing(str(error))


def _tool(name: str) -> Callable[[], None]:
    def need() -> None:
        require_tool(name)

    return need


def _compiler() -> None:
    require_tool(os.environ.get("CC") or "cc")


def _packages(*names: str) -> Callable[[], None]:
    def need() -> None:
        absent = [name for name in names if importlib.util.find_spec(name) is None]
        if absent:
            missing(f"{', '.join(absent)} not installed (run `make setup`)")

    return need


# module -> what its examples need, checked before each of them runs
DOCTEST_NEEDS: dict[str, tuple[Callable[[], None], ...]] = {
    "derive.render.pdf": (_tool("pdflatex"),),
    "derive.numeric.native": (_compiler,),
    "derive.book.katex": (_katex,),
    "derive.book.build": (_katex,),
    "derive.commands.worksheets": (_packages(*WORKSHEETS),),
}


def pytest_configure(config: pytest.Config) -> None:
    """Without the worksheets extra, ``derive/widgets`` cannot even be imported: its examples
    are then reported as skipped (locally; under CI the import error fails the run)."""
    if not IN_CI and importlib.util.find_spec("ipywidgets") is None:
        config.option.doctest_ignore_import_errors = True


@pytest.fixture(autouse=True, scope="session")
def _private_verify_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Tests, examples (and the commands they run) cache verifications, the checker's index
    and native kernels in a folder of their own, never in the user's ``~/.cache/derive``."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DERIVE_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        yield


@pytest.fixture(autouse=True)
def _doctest_needs(request: pytest.FixtureRequest) -> None:
    """Before a module's examples run: what ``DOCTEST_NEEDS`` says they need is there."""
    example = getattr(request.node, "dtest", None)  # a DoctestItem's doctest.DocTest
    if example is not None:
        for need in DOCTEST_NEEDS.get(example.globs.get("__name__", ""), ()):
            need()
