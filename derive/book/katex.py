"""Math for the book: KaTeX renders every formula at build time, in an embedded V8 (no Node.js).

>>> html = render([(r"\\frac{1}{2}", False)])[0]
>>> 'class="katex"' in html
True

Why server-side KaTeX: the pages need no JavaScript and no network, the math is on the page
when it loads (no flash of raw TeX), and a formula KaTeX cannot parse fails the *build* with
its message instead of showing a red box to a reader. Only KaTeX's CSS and fonts are copied into
the site.

KaTeX's own ``katex.min.js`` runs in V8 through ``mini-racer`` (a wheel on PyPI for every
platform, no Node.js); its HTML is byte for byte what Node.js gives (tests/test_katex.py). The
KaTeX files come from, in order: ``DERIVE_KATEX`` (a ``katex`` package folder); a clone's
``node_modules/katex`` (``make setup`` runs ``npm ci``, pinned by ``package-lock.json``); the
copy shipped inside the wheel (``derive/book/vendor/katex``, copied from ``node_modules`` when
the wheel or sdist is built: ``setup.py`` calls :func:`ship`).
"""

from __future__ import annotations

import concurrent.futures
import json
import os
import shutil
from collections.abc import Sequence
from pathlib import Path

# Defines renderAll(json of [[tex, display], ...], output) -> json of [{"html"} | {"error"}, ...].
_SCRIPT = r"""
function renderAll(input, output) {
  return JSON.stringify(JSON.parse(input).map(function (pair) {
    try {
      return { html: katex.renderToString(pair[0], {
        displayMode: pair[1], throwOnError: true, strict: "error", output: output }) };
    } catch (e) {
      return { error: String(e.message || e) };
    }
  }));
}
"""

# The files of KaTeX's dist/ folder that a page needs (fonts: woff2 only, every browser has it).
ASSETS = ("katex.min.css",)
# What the wheel carries of the npm package (paths inside it; fonts: every dist/fonts/*.woff2).
SHIPPED = ("package.json", "LICENSE", "dist/katex.min.js", "dist/katex.min.css")
# Where the wheel carries it.
VENDOR = Path(__file__).resolve().parent / "vendor" / "katex"


class KatexError(RuntimeError):
    """KaTeX is missing, or it could not parse a formula (the message says which)."""


def _usable(folder: Path) -> bool:
    dist = folder / "dist"
    return (dist / "katex.min.js").is_file() and (dist / "katex.min.css").is_file()


def katex_dir() -> Path:
    """The ``katex`` package folder: ``DERIVE_KATEX``, a clone's ``node_modules``, the wheel's."""
    override = os.environ.get("DERIVE_KATEX")
    if override:
        if _usable(Path(override)):
            return Path(override)
        raise KatexError(f"DERIVE_KATEX={override}: not a katex package folder (no dist/)")
    here = Path(__file__).resolve()
    for folder in [*(root / "node_modules" / "katex" for root in here.parents), VENDOR]:
        if _usable(folder):
            return folder
    raise KatexError(
        "KaTeX not found: not in node_modules/katex (in a clone, run `make setup`, which runs "
        "`npm ci`) nor shipped with this install (reinstall derive)"
    )


def version() -> str:
    """The KaTeX version in use."""
    data = json.loads((katex_dir() / "package.json").read_text(encoding="utf-8"))
    return str(data["version"])


def ship(source: Path, target: Path) -> list[Path]:
    """Copy what the wheel carries of the ``katex`` package ``source`` into ``target``."""
    if not _usable(source):
        raise KatexError(f"{source}: not a katex package folder (run `npm ci`)")
    names = [*SHIPPED, *(f"dist/fonts/{p.name}" for p in sorted(source.glob("dist/fonts/*.woff2")))]
    written = []
    for name in names:
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / name, path)
        written.append(path)
    return written


def render(
    formulas: Sequence[tuple[str, bool]],
    *,
    timeout: float = 300.0,
    output: str = "htmlAndMathml",
) -> list[str]:
    """HTML for each ``(tex, display)``; a formula KaTeX rejects raises ``KatexError``.

    ``output="mathml"`` gives MathML alone, which a browser draws with no CSS or fonts (the
    notebook display uses it)."""
    if not formulas:
        return []
    source = (katex_dir() / "dist" / "katex.min.js").read_text(encoding="utf-8")
    try:
        from py_mini_racer import JSTimeoutException, MiniRacer
    except ImportError:
        raise KatexError("mini-racer is not installed (pip install mini-racer)") from None
    pairs = json.dumps([[tex, display] for tex, display in formulas])

    def run() -> object:
        # A thread of its own: MiniRacer adopts a running asyncio loop of the calling thread
        # (one left set by earlier code in the process, e.g. a notebook client) and then refuses
        # a timeout; a fresh thread has none, so it starts its own loop.
        engine = MiniRacer()
        try:
            engine.eval(source)
            engine.eval(_SCRIPT)
            return engine.call("renderAll", pairs, output, timeout_sec=timeout)
        finally:
            engine.close()

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        try:
            answer = pool.submit(run).result()
        except JSTimeoutException:
            raise KatexError(f"KaTeX took more than {timeout:g}s") from None
    results = json.loads(str(answer))
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
