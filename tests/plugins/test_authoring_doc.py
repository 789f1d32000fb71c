"""docs/authoring.md, "As a Python package": the worked example runs and prints what the
guide shows."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "authoring.md"


def _section() -> str:
    text = GUIDE.read_text(encoding="utf-8")
    return text.split("## As a Python package", 1)[1]


def test_the_python_example_prints_what_the_guide_shows(tmp_path: Path) -> None:
    section = _section()
    code = re.search(r"`my_tanh.py`:\n\n```python\n(.*?)```", section, re.S)
    shown = re.search(r"```console\n\$ python my_tanh.py\n(.*?)```", section, re.S)
    assert code is not None
    assert shown is not None
    (tmp_path / "my_tanh.py").write_text(code.group(1), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "my_tanh.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    expected = shown.group(1).splitlines()
    cut = expected.index("…")  # the guide shows the start and the last line
    got = done.stdout.splitlines()
    assert got[:cut] == expected[:cut]
    assert got[-1] == expected[-1]
