"""The example notebook ``examples/notebooks/derive-magic.ipynb`` executes top to bottom in a
fresh kernel of this venv (nbclient), and its outputs carry each line's mark: correct working,
a refuted line with its counterexample, a ``derive.check`` result, a derivation, and a cell that
cannot be read (one line, no traceback). The marks expected are mathematics known by hand."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("JUPYTER_PLATFORM_DIRS", "1")  # jupyter_core's path migration warning

import nbformat
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).parents[2] / "examples" / "notebooks" / "derive-magic.ipynb"

# each code cell (by its first line) and the marks its output shows, line by line
EXPECTED = {
    "%%derive\ngiven: z scalar": ["defined", "start", "proven", "proven"],  # σ' = σ(1 − σ)
    "%%derive\nx^2 - 3x = 0": ["given", "proven", "refuted", "proven"],  # ÷x loses x = 0
    "import derive": ["start", "proven", "proven"],  # (a+b)² = a²+2ab+b² ≥ 4ab
}


@pytest.fixture(scope="module")
def executed() -> Any:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": NOTEBOOK.parent}},
    ).execute()
    return [cell for cell in notebook.cells if cell.cell_type == "code"]


def output(cell: Any, kind: str) -> str:
    found = [o["data"][kind] for o in cell.outputs if kind in o.get("data", {})]
    assert len(found) == 1, f"{cell.source[:30]!r}: {len(found)} outputs of {kind}"
    return str(found[0])


def marks(html: str) -> list[str]:
    return re.findall(r'class="dw-line[^"]*" data-mark="([a-z]+)"', html)


@pytest.mark.slow
def test_each_cells_output_carries_the_marks(executed: Any) -> None:
    for start, expected in EXPECTED.items():
        (cell,) = [c for c in executed if c.source.startswith(start)]
        assert marks(output(cell, "text/html")) == expected, start
        assert "<math" in output(cell, "text/html")  # typeset, not source
        latex = output(cell, "text/latex")
        for mark in set(expected) - {"start"}:
            assert f"\\text{{{mark}" in latex or f"— {mark}" in latex, (start, mark)


@pytest.mark.slow
def test_the_refuted_line_shows_its_counterexample(executed: Any) -> None:
    (cell,) = [c for c in executed if c.source.startswith("%%derive\nx^2 - 3x")]
    html = output(cell, "text/html")
    assert "✗ incorrect: line 3 does not follow" in html
    assert 'counterexample: <span class="dw-cx">x = 0</span>' in html
    assert "dividing by x loses the solution x = 0" in html


@pytest.mark.slow
def test_a_derivation_shows_its_verified_steps(executed: Any) -> None:
    (cell,) = [c for c in executed if c.source.startswith('derive.get("inverse-2x2")')]
    html = output(cell, "text/html")
    assert "<h3>Inverse of a 2×2 matrix</h3>" in html
    assert re.search(r"✓ passed: (\d+) of \1 checks", html)
    shown = marks(html)
    assert shown[-1] == "result"
    assert set(shown[:-1]) == {"given", "proven"}


@pytest.mark.slow
def test_an_unreadable_cell_is_one_line(executed: Any) -> None:
    cell = executed[-1]
    assert cell.metadata.get("tags") == ["raises-exception"]
    text = "".join(o.get("text", "") for o in cell.outputs if o["output_type"] == "stream")
    assert text == "UsageError: <cell>:2:16: unexpected end of input; expected ')'\n"
    assert not [o for o in cell.outputs if o["output_type"] == "error"]  # no traceback
