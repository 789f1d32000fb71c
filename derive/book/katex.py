"""Math for the book: KaTeX (from npm, pinned by package-lock.json) renders at build time.

>>> html = render([(r"\\frac{1}{2}", False)])[0]
>>> 'class="katex"' in html
True

Why server-side KaTeX: the pages need no JavaScript and no network, the math is on the page
when it loads (no flash of raw TeX), and a formula KaTeX cannot parse fails the *build* with
its message instead of showing a red box to a reader. Only KaTeX's CSS and fonts are copied into
the site. ``make setup`` installs KaTeX with ``npm ci`` into ``node_modules/`` at the repository
root; ``DERIVE_KATEX`` may point at another ``katex`` package folder.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

# Reads [[tex, display], ...] as JSON on stdin, writes [{"html"} | {"error"}, ...] as JSON.
_SCRIPT = r"""
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

# The files of KaTeX's dist/ folder that a page needs (fonts: woff2 only, every browser has it).
ASSETS = ("katex.min.css",)


class KatexError(RuntimeError):
    """KaTeX is missing, or it could not parse a formula (the message says which)."""


def _candidates() -> list[Path]:
    here = Path(__file__).resolve()
    roots = [Path.cwd(), *here.parents]
    return [root / "node_modules" / "katex" for root in roots]


def katex_dir() -> Path:
    """The installed ``katex`` package folder (``DERIVE_KATEX`` or ``node_modules/katex``)."""
    override = os.environ.get("DERIVE_KATEX")
    options = [Path(override)] if override else _candidates()
    for folder in options:
        if (folder / "dist" / "katex.min.css").is_file():
            return folder
    where = override or "node_modules/katex"
    raise KatexError(f"KaTeX not found at {where} (run `make setup`, which runs `npm ci`)")


def version() -> str:
    """The installed KaTeX version."""
    data = json.loads((katex_dir() / "package.json").read_text(encoding="utf-8"))
    return str(data["version"])


def render(formulas: Sequence[tuple[str, bool]], *, timeout: float = 300.0) -> list[str]:
    """HTML for each ``(tex, display)``; a formula KaTeX rejects raises ``KatexError``."""
    if not formulas:
        return []
    node = shutil.which("node")
    if node is None:
        raise KatexError("node is not installed (run `make setup`)")
    done = subprocess.run(
        [node, "-e", _SCRIPT, str(katex_dir())],
        input=json.dumps([[tex, display] for tex, display in formulas]),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        lines = done.stderr.strip().splitlines()
        raise KatexError(f"node failed: {lines[-1] if lines else done.returncode}")
    results = json.loads(done.stdout)
    failed = [(f, r["error"]) for f, r in zip(formulas, results, strict=True) if "error" in r]
    if failed:
        (tex, _), message = failed[0]
        raise KatexError(
            f"KaTeX cannot render {tex!r}: {message} ({len(failed)} formula(s) failed)"
        )
    return [str(r["html"]) for r in results]


def copy_assets(site: Path) -> Path:
    """Copy KaTeX's CSS and woff2 fonts into ``site/assets/katex``; return that folder."""
    dist = katex_dir() / "dist"
    target = site / "assets" / "katex"
    (target / "fonts").mkdir(parents=True, exist_ok=True)
    for name in ASSETS:
        shutil.copyfile(dist / name, target / name)
    for font in sorted((dist / "fonts").glob("*.woff2")):
        shutil.copyfile(font, target / "fonts" / font.name)
    shutil.copyfile(katex_dir() / "LICENSE", target / "LICENSE")
    return target
