"""``derive render [--out DIR]``: write every derivation as LaTeX and Markdown."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def register(sub: Any) -> None:
    """Add the ``render`` command."""
    p = sub.add_parser(
        "render",
        help="write every derivation as LaTeX and Markdown files",
        description="Write DIR/latex/ID.tex and DIR/markdown/ID.md for every "
        "derivation, plus DIR/markdown/index.md.",
    )
    p.add_argument(
        "--out",
        type=Path,
        default=Path("build"),
        metavar="DIR",
        help="output directory (default: build)",
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Render the catalog."""
    from derive.catalog import derivations
    from derive.render.markdown import markdown
    from derive.render.tex import document

    latex_dir, md_dir = args.out / "latex", args.out / "markdown"
    latex_dir.mkdir(parents=True, exist_ok=True)
    md_dir.mkdir(parents=True, exist_ok=True)
    index = ["# derive: the derivation catalog", ""]
    count = 0
    for d in derivations():
        (latex_dir / f"{d.id}.tex").write_text(document(d), encoding="utf-8")
        (md_dir / f"{d.id}.md").write_text(markdown(d), encoding="utf-8")
        index.append(f"- [{d.title}]({d.id}.md) — {d.topic.value}")
        count += 1
    (md_dir / "index.md").write_text("\n".join(index) + "\n", encoding="utf-8")
    print(f"wrote {count} derivations to {latex_dir} and {md_dir}")
    return 0
