"""``derive bench``: the shape of its output and the logic of each part. No timing is
asserted (the figures depend on the machine); accuracy is, since it must not."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

from derive.bench import checker, processes, twins
from derive.bench.report import targets
from derive.commands.cli import main


def test_quick_json_has_the_documented_keys(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["bench", "--quick", "--parts", "startup", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert status == 0
    assert data["startup_s"] > 0
    assert data["quick"] is True
    assert {"cpus", "load", "load_after", "backend"} <= set(data["machine"])
    assert [t["what"] for t in data["targets"]] == ["derive --help"]


def test_unknown_part_is_a_one_line_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", "--parts", "twins,speed"]) == 2
    err = capsys.readouterr().err
    assert "unknown part 'speed'" in err
    assert err.count("\n") == 1


def test_twin_rows_measure_speed_and_accuracy() -> None:
    (row,) = twins.measure(twins.CASES[:1], sizes=(64,), repeats=1, samples=8)
    assert (row.name, row.n, row.reference) == ("inverse-2x2", 64, "np.linalg.inv")
    assert row.derive_s > 0
    assert row.reference_s > 0
    assert row.bytes_moved == 2 * 64 * 4 * 8
    assert row.copy_s > 0
    assert row.bound_s == row.copy_s  # an inverse writes as many bytes as it reads
    assert row.max_rel_err < 1e-12  # speed is never bought with accuracy
    assert row.reference_max_rel_err < 1e-12
    assert row.ill["measure"] == "error / (κ·ε)"
    assert row.ill["derive"] < 10


@pytest.mark.parametrize("case", twins.CASES, ids=lambda c: c.name)
def test_each_case_is_accurate_on_well_conditioned_inputs(case: twins.Case) -> None:
    from derive.catalog import get

    twin = get(case.name).twins[case.twin]
    accuracy = twins.accuracy(case, twin.sample(np.random.default_rng(3), 12))
    assert accuracy.derive < 1e-12
    assert accuracy.reference < 1e-12


def test_errors_match_unordered_outputs_and_flag_non_finite() -> None:
    exact = [2, 1]
    assert twins._errors(np.array([1.0, 2.0]), exact, True, "normwise") == 0
    assert twins._errors(np.array([1.0, 2.0]), exact, False, "normwise") > 0.5
    assert twins._errors(np.array([np.nan, 2.0]), exact, True, "normwise") == np.inf


def test_ill_conditioned_matrices_have_the_condition_asked_for() -> None:
    A = twins._with_condition(np.random.default_rng(0), 20, 3)
    cond = np.linalg.cond(A)
    assert (cond > 1e3).all()
    assert (cond < 1e13).all()


def test_copy_bandwidth_is_positive() -> None:
    assert twins.copy_gbps(megabytes=8, repeats=1) > 0


def test_verify_cold_and_warm_in_fresh_processes() -> None:
    figures = processes.verification(["inverse-2x2"], warm_repeats=1)
    assert (figures.ids, figures.passed) == (1, 1)
    assert figures.cold_s > 0
    assert figures.warm_s > 0


def test_checker_latency_through_the_json_lines_contract(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A stand-in for `derive check --json` that answers each line as the contract says.
    server = tmp_path / "server.py"
    server.write_text(
        "import json, sys\n"
        "for line in sys.stdin:\n"
        "    request = json.loads(line)\n"
        "    wrong = '3' in str(request.get('claim'))\n"
        "    print(json.dumps({'id': request['id'], 'verdict': 'incorrect' if wrong else "
        "'correct', 'first_error': None, 'pairs': [], 'error': None}), flush=True)\n"
    )
    monkeypatch.setattr(checker, "command", lambda: [sys.executable, str(server)])
    requests = [{"claim": "x = x"}, {"claim": "3 = 4"}, {"steps": ["a", "a"]}]
    figures = checker.latency(requests)
    assert figures.requests == 3
    assert figures.verdicts == {"correct": 2, "incorrect": 1}
    assert figures.errors == 0
    assert 0 < figures.median_ms <= figures.p95_ms <= figures.max_ms
    assert figures.batch_per_second > 0


def test_a_checker_that_dies_is_reported_with_its_stderr(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A stand-in for `derive check --json` that answers the warm-up request, then dies.
    server = tmp_path / "server.py"
    server.write_text(
        "import json, sys\n"
        "request = json.loads(sys.stdin.readline())\n"
        "print(json.dumps({'id': request['id'], 'verdict': 'correct', 'first_error': None, "
        "'pairs': [], 'error': None}), flush=True)\n"
        "sys.stdin.readline()\n"
        "print('derive: internal error: TypeError: Cannot convert expression to float', "
        "file=sys.stderr)\n"
        "sys.exit(3)\n"
    )
    monkeypatch.setattr(checker, "command", lambda: [sys.executable, str(server)])
    with pytest.raises(RuntimeError) as failure:
        checker.latency([{"claim": "x = x"}])
    assert str(failure.value) == (
        "derive check stopped answering: exit status 3; its stderr ends:\n"
        "derive: internal error: TypeError: Cannot convert expression to float"
    )


def test_a_batch_that_answers_too_few_lines_is_reported_with_its_stderr(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A stand-in answering every line, except that a batch (stdin not a live pipe) dies.
    server = tmp_path / "server.py"
    server.write_text(
        "import json, sys\n"
        "for number, line in enumerate(sys.stdin):\n"
        "    request = json.loads(line)\n"
        "    if request['id'] == 1 and number == 1 and 'batch' in sys.argv:\n"
        "        sys.exit('boom')\n"
        "    print(json.dumps({'id': request['id'], 'verdict': 'correct', 'first_error': None, "
        "'pairs': [], 'error': None}), flush=True)\n"
    )
    sessions = iter(([], [], ["batch"]))
    monkeypatch.setattr(checker, "command", lambda: [sys.executable, str(server), *next(sessions)])
    with pytest.raises(RuntimeError) as failure:
        checker.latency([{"claim": "x = x"}, {"claim": "y = y"}])
    assert str(failure.value) == (
        "derive check --json answered 1 of 2 requests: exit status 1; its stderr ends:\nboom"
    )


def test_targets_are_judged_on_the_largest_batch() -> None:
    case = {"name": "inverse-2x2", "max_rel_err": 1e-15, "times_bound": 2.0, "speedup": 4.0}
    results = {
        "cases": [{**case, "n": 1000}, {**case, "n": 10**6, "speedup": 12.0}],
        "verify_warm_s": 7.0,
        "check_median_ms": None,
    }
    met = {t.what: t.met for t in targets(results)}
    assert met == {
        "inverse-2x2 at n = 1e6: speed-up, max rel. error": True,
        "inverse-2x2: time / copy-bandwidth bound": True,
        "derive verify, warm": False,
    }
