"""``derive check notes.md`` and ``derive latex notes.md --pdf`` on the example documents:
each line's verdict (worked out by hand for these documents), exit statuses, JSON per block,
the PDF's text; bad documents exit 2 with one line ``file:line:col``."""

from __future__ import annotations

import json
import math
import subprocess
from pathlib import Path

import pytest

from derive.commands.cli import main
from tests.conftest import require_tool

FOLDER = Path(__file__).parents[2] / "examples" / "documents"

# file line -> mark, worked out by hand for each example (unlisted lines: the start of a chain)
EXPECTED = {
    "normal_equations.md": (
        0, {17: "proven", 18: "proven", 19: "proven", 28: "given", 29: "✓", 30: "✓"},
    ),
    "sigmoid_derivative.md": (
        1,
        {12: "proven", 13: "proven", 14: "proven", 15: "proven", 24: "defined", 26: "proven",
         27: "proven", 28: "proven", 29: "refuted"},
    ),
    "variance.md": (
        0, {13: "proven", 14: "proven", 15: "proven", 16: "proven", 25: "proven", 35: "proven"},
    ),
}  # fmt: skip


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_check_reports_each_line_of_each_block(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(capsys, "check", str(FOLDER / name))
    expected_status, marks = EXPECTED[name]
    assert (status, err) == (expected_status, "")
    rows = {int(line.split()[0]): line for line in out.splitlines() if line[:5].strip().isdigit()}
    for number, mark in marks.items():
        assert mark in rows[number], rows[number]
    for number in set(rows) - set(marks):
        assert "✓" not in rows[number]
        assert "✗" not in rows[number]
    assert out.count("\nlines ") == len(json_blocks(capsys, name))


def json_blocks(capsys: pytest.CaptureFixture[str], name: str) -> list[dict[str, object]]:
    status, out, _ = run(capsys, "check", str(FOLDER / name), "--json")
    assert status == EXPECTED[name][0]
    return [json.loads(line) for line in out.splitlines()]


def test_json_gives_one_result_per_block_with_file_lines(
    capsys: pytest.CaptureFixture[str],
) -> None:
    results = json_blocks(capsys, "sigmoid_derivative.md")
    assert [r["verdict"] for r in results] == ["correct", "incorrect"]
    assert results[1]["lines"] == [24, 25, 26, 27, 28, 29]
    assert results[1]["first_error"] == 5
    pair = results[1]["pairs"][-1]
    assert isinstance(pair, dict)
    assert pair["verdict"] == "refuted"
    z = float(pair["counterexample"]["z"])
    s = 1 / (1 + math.exp(-z))  # line 28 says 1 - s, line 29 says s: they differ at z
    assert not math.isclose(1 - s, s)


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("---\ntitle: x\nauthor: me\n---\n", "3:1", "unknown front-matter key 'author'"),
        ("# Notes\n\n```derive\nx + x\n= 2x\n", "3:1", "unclosed block"),
        ("Text\n```derive\nx\n  = (2x + \n```\n", "4:10", "unexpected end of input"),
        ("```derive\ngiven: A matrix 2\nA\n= A\n```\n", "2:8", "kind 'matrix 2' needs 2 size"),
    ],
)
@pytest.mark.parametrize("command", ["check", "latex"])
def test_a_bad_document_exits_2_with_one_line(
    command: str,
    text: str,
    where: str,
    message: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "bad.md"
    path.write_text(text)
    status, out, err = run(capsys, command, str(path))
    assert (status, out) == (2, "")
    assert err.count("\n") == 1
    assert f"{path}:{where}: {message}" in err


def test_a_missing_document_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, _, err = run(capsys, "check", str(tmp_path / "nothere.md"))
    assert status == 2
    assert "nothere.md: no such file" in err


def test_given_on_the_command_line_is_refused_for_a_document(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, _, err = run(capsys, "check", str(FOLDER / "variance.md"), "--given", "x=positive")
    assert status == 2
    assert "front matter" in err


def test_latex_pdf_holds_every_mark_and_the_counterexample(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    require_tool("pdflatex")
    tex = tmp_path / "sigmoid.tex"
    status, _, err = run(
        capsys, "latex", str(FOLDER / "sigmoid_derivative.md"), "--out", str(tex), "--pdf"
    )
    assert status == 0
    assert f"wrote {tex.with_suffix('.pdf')}" in err
    assert "\\begin{align*}" in tex.read_text()
    text = subprocess.run(
        [require_tool("pdftotext"), str(tex.with_suffix(".pdf")), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    words = " ".join(text.split())
    _, marks = EXPECTED["sigmoid_derivative.md"]
    for mark in ("proven", "refuted", "defined"):  # each line's mark, once per line
        assert words.count(f"{mark} ") >= sum(m == mark for m in marks.values()), mark
    assert words.count("✓ proven") == sum(m == "proven" for m in marks.values())
    assert words.count("start") == 2  # the two chains' first expressions
    assert "× refuted" in words
    assert "Line 29 is refuted." in words
    assert "Counterexample: z = -39" in words
    assert "The derivative of the sigmoid" in words
    assert "A mistake, kept on purpose" in words


def test_latex_without_out_writes_tex_to_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "latex", str(FOLDER / "normal_equations.md"))
    assert status == 0
    assert out.startswith("\\documentclass")
    assert out.count("\\begin{align*}") == 2
    assert out.count("\\Mark{given}") == 1


def test_an_internal_error_exits_3_and_says_so(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import derive.documents.blocks as blocks
    from derive.checker.api import internal_error

    def broken(*args: object, **kwargs: object) -> object:
        return internal_error(None, ZeroDivisionError("division by zero"))

    monkeypatch.setattr(blocks, "check", broken)
    status, out, _ = run(capsys, "check", str(FOLDER / "variance.md"))
    assert status == 3
    assert out.count("not checked: internal error: ZeroDivisionError: division by zero") == 3
