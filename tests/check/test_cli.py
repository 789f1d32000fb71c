"""``derive check`` on the command line: exit statuses 0/1/2, one-line errors, JSON Lines
answered in order."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

from derive.commands.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(["check", *argv])
    out, err = capsys.readouterr()
    return status, out, err


def test_a_correct_claim_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "diff(x^2, x) = 2*x", "--given", "x=scalar")
    assert status == 0
    assert "✓ proven" in out
    assert out.strip().endswith("correct: every step follows from the one before")
    assert err == ""


def test_a_wrong_step_exits_1_with_counterexample_and_diagnosis(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, _ = run(capsys, "(x+1)^2", "x^2 + 2x + 1", "x^2 + 1")
    assert status == 1
    assert "✗ refuted" in out
    assert "counterexample: x = " in out
    assert "a term dropped: 2*x" in out
    assert "incorrect: the first error is step 2" in out


def test_an_undecided_step_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "log(-x^2 - 1) = 0")
    assert status == 1
    assert "unknown" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["x + ) = 1"], "derive: error: claim, column 5: unexpected ')'\n"),
        (
            ["x", "x)"],
            "derive: error: step 1, column 2: unexpected ')'; no matching opening bracket\n",
        ),
        (
            ["A*B = B*A", "--given", "A=matrix 2 3,B=matrix 2 3"],
            "derive: error: claim, column 2: "
            "cannot multiply a 2×3 matrix by a 2×3 matrix (inner sizes 3 and 2 differ)\n",
        ),
        (["x = x", "--given", "x=vectr 3"], "derive: error: given 'x': unknown kind 'vectr 3'"),
        (["x = x", "--given", "x"], "derive: error: --given wants NAME=KIND, got 'x'\n"),
        (["x = x", "--against", "inverse2x2"], "did you mean 'inverse-2x2'?"),
        (["x"], "derive: error: at least two steps are needed (or a claim a = b)\n"),
        ([], "derive: error: give the steps (or a claim), or --json to read requests from stdin"),
        (["x = x", "--budget", "-1"], "derive: error: --budget must be between 0 and 600"),
    ],
)
def test_unreadable_input_exits_2_with_one_line(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    status, out, err = run(capsys, *argv)
    assert status == 2
    assert out == ""
    assert err.startswith("derive: error: ")
    assert message in err
    assert err.count("\n") == 1


def test_given_accepts_commas_and_repeats(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(
        capsys, "inv(A B) = inv(B) inv(A)", "--given", "A=matrix 2 2, B=matrix 2 2"
    )
    assert status == 0, out


def test_json_output_for_arguments(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "x - y = y - x", "--json")
    result = json.loads(out)
    assert status == 1
    assert set(result) == {
        "id", "verdict", "first_error", "score", "pairs", "read", "assumed", "error"
    }  # fmt: skip
    assert result["first_error"] == 1
    pair = result["pairs"][0]
    assert set(pair) == {"from", "to", "relation", "verdict", "counterexample", "diagnosis", "note"}
    assert (pair["from"], pair["to"], pair["verdict"]) == (0, 1, "refuted")
    assert set(pair["counterexample"]) == {"x", "y"}
    assert pair["diagnosis"].startswith("sign flipped")


def stdin(data: bytes, *argv: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "derive.commands.cli", "check", "--json", *argv],
        input=data,
        capture_output=True,
        timeout=300,
        check=False,
    )


def test_json_lines_keep_their_order_and_the_worst_status() -> None:
    requests = [
        {"id": "a", "claim": "x + x = 2x"},
        {
            "id": "b",
            "steps": ["inv(A*B)", "inv(A)*inv(B)"],
            "given": {"A": "matrix 2 2", "B": "matrix 2 2"},
        },
        {"id": "c", "claim": "x = x"},
        {"id": "d", "steps": ["x", "x)"]},
        {"id": 5, "claim": r"\frac{d}{dx} \sin x = \cos x"},
    ]
    data = "".join(json.dumps(r) + "\n" for r in requests).encode()
    completed = stdin(data, "--no-catalog")
    results = [json.loads(line) for line in completed.stdout.decode().splitlines()]
    assert [r["id"] for r in results] == ["a", "b", "c", "d", 5]
    assert [r["verdict"] for r in results] == [
        "correct",
        "incorrect",
        "correct",
        "unknown",
        "correct",
    ]
    assert results[3]["error"] == "step 1, column 2: unexpected ')'; no matching opening bracket"
    assert completed.returncode == 2
    assert completed.stderr.decode() == (
        "derive: error: line 4: step 1, column 2: unexpected ')'; no matching opening bracket\n"
    )


def test_one_pretty_printed_request() -> None:
    data = json.dumps({"id": 1, "claim": "(a+b)^2 = a^2 + 2a b + b^2"}, indent=2).encode()
    completed = stdin(data)
    assert completed.returncode == 0
    assert json.loads(completed.stdout)["verdict"] == "correct"


def test_all_correct_json_lines_exit_0() -> None:
    completed = stdin(b'{"claim": "x = x"}\n\n{"claim": "2x = x + x"}\n')
    assert completed.returncode == 0
    assert len(completed.stdout.splitlines()) == 2


def test_empty_stdin_is_an_error() -> None:
    completed = stdin(b"")
    assert completed.returncode == 2
    assert completed.stderr.decode() == "derive: error: no request on stdin\n"


def test_against_a_catalog_result(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(
        capsys,
        "inv([[a, b], [c, d]])",
        "1/(a d - b c) [[d, -b], [-c, a]]",
        "--against",
        "inverse-2x2",
    )
    assert status == 0
    assert "against the catalog result" in out


def test_warm_builds_the_mistake_index_first(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    request = {"id": 1, "steps": ["inv([[a, b], [c, d]])", "[[1/a, 1/b], [1/c, 1/d]]"]}
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(json.dumps(request).encode())))
    status, out, _ = run(capsys, "--json", "--warm")
    assert status == 1
    assert "entrywise reciprocal (inverse-2x2)" in json.loads(out)["pairs"][0]["diagnosis"]


@pytest.mark.parametrize(
    ("argv", "status", "last"),
    [
        (["x + x", "2x"], 0, "correct: every step follows from the one before"),
        (["(a+b)^2", "a^2 + b^2"], 1, "incorrect: the first error is step 1"),
        (["x + ) = 1"], 2, ""),
    ],
)
def test_a_one_shot_process_leaves_at_once_with_its_output_and_status(
    argv: list[str], status: int, last: str
) -> None:
    """The console script skips the interpreter's teardown after a one-shot check
    (``cli.entry``): everything printed still arrives, and the exit status is the verdict's."""
    completed = subprocess.run(
        [sys.executable, "-m", "derive.commands.cli", "check", *argv],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == status, completed.stderr
    if last:
        assert completed.stdout.splitlines()[-1] == last
    else:
        assert completed.stderr.startswith("derive: error: claim, column 5: unexpected ')'")
