"""KaTeX in an embedded V8: the same HTML as Node.js, from the npm package or the wheel's copy."""

from __future__ import annotations

import asyncio
import json
import subprocess
import threading
from collections.abc import Sequence
from pathlib import Path

import pytest

from derive.book import build, katex
from derive.catalog import ids
from tests.conftest import require_tool

ROOT = Path(__file__).resolve().parents[1]

# How the book ran KaTeX before (Node.js), kept here as the reference the engine must match.
NODE_SCRIPT = r"""
const katex = require(process.argv[1]);
let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const out = JSON.parse(input).map(([tex, display]) => {
    try {
      return { html: katex.renderToString(tex, {
        displayMode: display, throwOnError: true, strict: "error", output: "htmlAndMathml" }) };
    } catch (e) {
      return { error: String(e.message || e) };
    }
  });
  process.stdout.write(JSON.stringify(out));
});
"""


def node_render(formulas: Sequence[tuple[str, bool]]) -> list[dict[str, str]]:
    done = subprocess.run(
        [require_tool("node"), "-e", NODE_SCRIPT, str(katex.katex_dir())],
        input=json.dumps([list(f) for f in formulas]),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        check=True,
    )
    return list(json.loads(done.stdout))


@pytest.mark.slow
def test_every_formula_of_the_book_is_nodes_html_byte_for_byte(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[tuple[str, bool], ...]] = []
    shown: list[list[str]] = []
    render = katex.render

    def spy(formulas: Sequence[tuple[str, bool]], **kwargs: float) -> list[str]:
        seen.append(tuple(formulas))
        shown.append(render(formulas, **kwargs))
        return shown[-1]

    monkeypatch.setattr(build.katex, "render", spy)
    site = build.build(tmp_path, reports={}, identifiers=list(ids()))
    (formulas,) = seen
    assert len(formulas) == site.formulas > 1000
    expected = node_render(formulas)
    assert [r.get("error") for r in expected if "error" in r] == []
    assert shown[0] == [r["html"] for r in expected]


def test_ship_copies_what_an_install_needs_and_the_book_can_use_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shipped = tmp_path / "katex"
    written = katex.ship(katex.katex_dir(), shipped)
    names = {p.relative_to(shipped).as_posix() for p in written}
    assert set(katex.SHIPPED) <= names
    assert "dist/fonts/KaTeX_Main-Regular.woff2" in names
    assert all(n.endswith(".woff2") for n in names - set(katex.SHIPPED))
    monkeypatch.setenv("DERIVE_KATEX", str(shipped))
    assert katex.katex_dir() == shipped
    pinned = json.loads((ROOT / "package.json").read_text())["dependencies"]["katex"]
    assert katex.version() == pinned
    assert 'class="katex"' in katex.render([(r"\frac{a}{b}", True)])[0]
    assets = katex.copy_assets(tmp_path / "site")
    assert (assets / "fonts" / "KaTeX_Main-Regular.woff2").is_file()


def test_a_folder_without_katex_is_a_one_line_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DERIVE_KATEX", str(tmp_path))
    with pytest.raises(katex.KatexError, match="not a katex package folder") as error:
        katex.katex_dir()
    assert "\n" not in str(error.value)
    with pytest.raises(katex.KatexError, match="run `npm ci`"):
        katex.ship(tmp_path, tmp_path / "out")


def test_render_works_where_an_asyncio_loop_is_running() -> None:
    """MiniRacer adopts the calling thread's running loop and then refuses a timeout; the
    render runs in a thread of its own (seen failing when earlier code left a loop set)."""

    async def inside() -> list[str]:
        return katex.render([(r"\frac{1}{2}", False)])

    # asyncio.run in a thread of its own: the session's Playwright browser (tests/conftest.py)
    # keeps a loop marked running in the main thread of a worker that used it.
    answers: list[list[str]] = []
    worker = threading.Thread(target=lambda: answers.append(asyncio.run(inside())))
    worker.start()
    worker.join(timeout=60)
    assert answers
    assert 'class="katex"' in answers[0][0]
