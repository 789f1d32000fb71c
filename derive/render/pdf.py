"""Compile LaTeX to PDF with pdflatex, reproducibly (same source ⇒ same bytes).

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> hello = r"\\documentclass{article}\\pdftrailerid{}\\begin{document}Hi\\end{document}"
>>> pdf = compile_pdf(hello, folder / "a.pdf").read_bytes()
>>> pdf[:5], pdf == compile_pdf(hello, folder / "b.pdf").read_bytes()
(b'%PDF-', True)

Reproducibility: ``SOURCE_DATE_EPOCH`` with ``FORCE_SOURCE_DATE=1`` fixes the dates pdfTeX writes,
and documents should say ``\\pdftrailerid{}`` (the preambles in ``derive.render`` do) so the
trailer ID does not depend on the time or the path.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

EPOCH = "946684800"  # 2000-01-01: the date stamped into every PDF derive writes


class LatexError(RuntimeError):
    """pdflatex is missing or failed; the message has the first error and its line."""


def first_error(log: str) -> str:
    """The first ``! ...`` error of a TeX log with the ``l.N`` line that follows it.

    >>> first_error("x\\n! Undefined control sequence.\\nl.7 \\\\foo\\n")
    'Undefined control sequence. (l.7 \\\\foo)'
    """
    lines = log.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("! "):
            where = next((w for w in lines[i + 1 : i + 12] if w.startswith("l.")), "")
            return line[2:] + (f" ({where.strip()})" if where else "")
    return "pdflatex failed (no error line in the log)"


def compile_pdf(source: str, out: Path, *, timeout: float = 120.0) -> Path:
    """Compile ``source`` with pdflatex and write the PDF to ``out``."""
    pdflatex = shutil.which("pdflatex")
    if pdflatex is None:
        raise LatexError("pdflatex is not installed (run `make setup`)")
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH, FORCE_SOURCE_DATE="1")
    with tempfile.TemporaryDirectory(prefix="derive-tex-") as tmp:
        (Path(tmp) / "doc.tex").write_text(source, encoding="utf-8")
        done = subprocess.run(
            [pdflatex, "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", "doc.tex"],
            cwd=tmp,
            env=env,
            capture_output=True,
            timeout=timeout,
            check=False,
        )
        log_path = Path(tmp) / "doc.log"
        log = log_path.read_text(errors="replace") if log_path.exists() else done.stdout.decode()
        if done.returncode != 0 or not (Path(tmp) / "doc.pdf").exists():
            raise LatexError(first_error(log))
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(Path(tmp) / "doc.pdf", out)
    return out
