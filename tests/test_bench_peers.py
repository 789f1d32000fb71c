"""The benchmark's peers (derive.bench.peers) and the one-shot part: what they read, how
they judge, and that a missing peer is a note, not an error. Behaviour only, no timings."""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from derive.bench import peers, processes
from derive.bench.report import render, targets

CHECK = Path(__file__).parent / "check"


@pytest.mark.parametrize(
    ("request_", "steps"),
    [
        ({"claim": "(a+b)^2 = a^2 + 2a b + b^2"}, ["(a+b)^2", "a^2 + 2a b + b^2"]),
        ({"steps": ["x + x", "= 2x", "2*x"]}, ["x + x", "2x", "2*x"]),
        ({"claim": "a = b", "given": {"a": "positive"}}, ["a", "b"]),
        ({"steps": ["2x = 4", "<=> x = 2"]}, None),  # statements
        ({"steps": ["(a+b)^2", ">= 4a b"]}, None),  # a relation
        ({"steps": ["let s = x^2", "s + 1"]}, None),  # a definition
        ({"claim": "inv(A) = A", "given": {"A": "matrix 2 2"}}, None),  # a matrix
        ({"claim": "x"}, None),  # nothing to compare
    ],
)
def test_chain_reads_only_chains_of_scalar_expressions(
    request_: dict[str, Any], steps: list[str] | None
) -> None:
    assert peers.chain(request_) == steps


@pytest.mark.parametrize(
    ("request_", "verdict"),
    [
        ({"claim": "(a + b)^2 = a^2 + 2*a*b + b^2"}, "correct"),
        ({"claim": "(a + b)^2 = a^2 + b^2"}, "incorrect"),
        ({"claim": "sin(x)^2 + cos(x)^2 = 1"}, "correct"),
        ({"claim": "diff(x^3, x) = 3x^2"}, "correct"),
        ({"claim": "diff(x^3, x) = 3x"}, "incorrect"),
        ({"claim": "diff(sigmoid(z), z) = sigmoid(z)(1 - sigmoid(z))"}, "correct"),
        ({"claim": "x + ) = 1"}, "unknown"),  # its parser refuses
        ({"steps": ["2x = 4", "<=> x = 2"]}, "unknown"),  # not its ground
    ],
)
def test_sympy_peer(request_: dict[str, Any], verdict: str) -> None:
    assert peers.judge_sympy(request_) == verdict


@pytest.mark.parametrize(
    ("request_", "verdict"),
    [
        ({"claim": "(a + b)^2 = a^2 + 2*a*b + b^2"}, "correct"),
        ({"claim": "(a + b)^2 = a^2 + b^2"}, "incorrect"),
        ({"claim": r"\frac{1}{1+e^{-z}} = \frac{e^z}{1+e^z}"}, "correct"),
        ({"claim": "sin(2*x) = 2*sin(x)"}, "incorrect"),
        ({"steps": ["2x = 4", "<=> x = 2"]}, "unknown"),
    ],
)
def test_math_verify_peer(request_: dict[str, Any], verdict: str) -> None:
    assert peers.judge_math_verify(request_) == verdict


def test_latex_for_math_verify() -> None:
    assert peers._latex("log(exp(x)) + 2a b") == r"$\ln(\exp(x)) + 2a*b$"
    assert peers._latex(r"\frac{1}{2}") == r"$\frac{1}{2}$"


def test_checkers_side_by_side_on_the_corpora() -> None:
    rows = peers.corpus_rows(CHECK, 6)
    assert len(rows) == 12  # six of each corpus
    out = peers.checkers(rows)
    names = [p["name"] for p in out["peers"]]
    assert names == ["derive", "sympy simplify", "math-verify"]
    assert out["notes"] == []
    ours = out["peers"][0]
    # these rows are in the corpora's own tests: derive agrees with every one
    assert ours["agreement"] == 1.0
    for p in out["peers"]:
        assert 0.0 <= p["agreement"] <= 1.0
        assert p["median_ms"] > 0
        assert p["chain_median_ms"] > 0


def test_rows_expecting_an_error_expect_unknown() -> None:
    rows = peers.corpus_rows(CHECK)
    refused = [r for r in rows if "verdict" not in r]
    assert refused, "the v2 corpus has rows that must be refused"
    assert all(peers.expected(r) == "unknown" for r in refused)
    out = peers.checkers(refused[:2])
    assert out["peers"][0]["agreement"] == 1.0  # derive refuses them: verdict unknown


def test_a_missing_peer_is_a_note(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(peers, "_installed", lambda module: False)
    out = peers.checkers(peers.corpus_rows(CHECK, 1))
    assert [p["name"] for p in out["peers"]] == ["derive", "sympy simplify"]
    assert any("math-verify" in n and "derive[bench]" in n for n in out["notes"])
    jax = peers.jax_twins((10,), 1)
    assert jax["jax_cases"] == []
    assert "derive[bench]" in jax["jax_note"]


def in_a_process_of_its_own(code: str) -> Any:
    """Run ``code`` (which prints JSON) in a fresh interpreter: JAX, once imported, warns at
    every later ``os.fork`` of this worker (the book's verification forks), so it never is."""
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_jax_peer_runs_every_twin_and_agrees_with_numpy() -> None:
    out = in_a_process_of_its_own(
        "import json; from derive.bench import peers; print(json.dumps(peers.jax_twins((16,), 1)))"
    )
    assert {r["name"] for r in out["jax_cases"]} == {
        "inverse-2x2",
        "eigenvalues-2x2",
        "eigen-symmetric-2x2",
        "inverse-3x3-adjugate",
        "linear-system-2x2",
    }
    assert all(r["agrees_numpy"] and r["jax_s"] > 0 for r in out["jax_cases"])
    assert out["jax_device"].startswith("cpu")


def test_jax_peer_computes_what_numpy_does() -> None:
    rng = np.random.default_rng(7)
    A, b = rng.normal(size=(5, 2, 2)), rng.normal(size=(5, 2))
    solved = in_a_process_of_its_own(
        "import json, numpy as np; from derive.bench import peers\n"
        f"A, b = np.array({A.tolist()!r}), np.array({b.tolist()!r})\n"
        "call = peers._jax_calls()['linear-system-2x2']\n"
        "print(json.dumps(np.asarray(call(A=A, b=b)).tolist()))"
    )
    np.testing.assert_allclose(np.array(solved), np.linalg.solve(A, b[..., None])[..., 0])


def test_jax_is_never_imported_here() -> None:
    """The tests above keep JAX out of this process (see in_a_process_of_its_own)."""
    assert "jax" not in sys.modules


def test_oneshot_reports_proven_and_refuted(monkeypatch: pytest.MonkeyPatch) -> None:
    from derive.checker import catalog

    warmed = []
    monkeypatch.setattr(catalog, "warm", lambda: warmed.append(True) or 0)  # tested elsewhere
    monkeypatch.setattr(processes, "ONESHOT", (("x + x", "2x"), ("x + x", "3x")))
    out = processes.oneshot(1)
    assert warmed == [True]  # the mistake index is made ready before timing
    assert out["oneshot_compile_s"] >= 0
    assert out["oneshot_cold_refuted_s"] > 0
    assert [r["status"] for r in out["oneshot_requests"]] == [0, 1]
    assert out["oneshot_proven_median_s"] > 0
    assert out["oneshot_refuted_median_s"] > 0
    goal = [t for t in targets(out) if t.what.startswith("one-shot")]
    assert len(goal) == 1
    assert goal[0].met == (out["oneshot_median_s"] <= 1.0)
    assert out["oneshot_cpu_median_s"] > 0


def test_report_shows_the_peers_beside_derive() -> None:
    results = {
        "machine": {
            "cpus": 2,
            "load": [1.0],
            "load_after": [1.0],
            "backend": "x",
            "numpy": "1",
            "sympy": "1",
            "symengine": "1",
        },
        "check_peers": {
            "rows": 2,
            "chain_rows": 1,
            "notes": ["math-verify is not installed (pip install 'derive[bench]'): skipped"],
            "peers": [
                {
                    "name": "derive",
                    "agreement": 1.0,
                    "chain_agreement": 1.0,
                    "median_ms": 3.0,
                    "mean_ms": 4.0,
                    "max_ms": 5.0,
                    "chain_median_ms": 2.5,
                }
            ],
        },
        "jax_cases": [{"name": "inverse-2x2", "n": 1000, "jax_s": 2e-4, "agrees_numpy": True}],
        "jax_version": "0.0",
    }
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        render(results)
    text = out.getvalue()
    assert "math-verify is not installed" in text
    assert "JAX jit" in text
    assert "inverse-2x2" in text


def test_the_issue_targets_for_the_last_two_twins_are_judged() -> None:
    rows = [
        {
            "name": "linear-system-2x2",
            "n": 10**6,
            "speedup": 4.2,
            "max_rel_err": 5e-15,
            "times_bound": 8.4,
        },
        {
            "name": "eigenvalues-2x2",
            "n": 10**6,
            "speedup": 30.0,
            "max_rel_err": 3e-15,
            "times_bound": 1.9,
        },
    ]
    met = {t.what: t.met for t in targets({"cases": rows})}
    assert met["linear-system-2x2 at n = 1e6: speed-up, max rel. error"] is False
    assert met["linear-system-2x2: time / copy-bandwidth bound"] is False
    assert met["eigenvalues-2x2: time / copy-bandwidth bound"] is True
