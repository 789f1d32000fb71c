"""Peers beside derive in one run: the checker against math-verify and against a plain SymPy
``simplify(a - b) == 0`` on the project's own corpora, and the twins against JAX ``jit`` (CPU).

>>> judged = judge_sympy({"claim": "(a + b)^2 = a^2 + 2*a*b + b^2"})
>>> judged
'correct'
>>> judge_sympy({"steps": ["2x = 4", "<=> x = 2"]})  # a statement: not an expression chain
'unknown'

Each peer reads what it can: a chain of expressions (``a = b = c``, or steps none of which is
a statement, a relation or a definition) with scalar names. A request it cannot read (matrix
kinds, statements, ``let``, a parse error) or a pair it cannot decide in time is its
``unknown``. Agreement is counted against the corpora's expected verdicts, over all rows and
over the rows that are expression chains (the peers' own ground). A peer that is not installed
is skipped with a note saying how to install it (``pip install 'derive[bench]'``).
"""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import itertools
import json
import re
import signal
import statistics
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

CORPORA = ("corpus.jsonl", "corpus_v2.jsonl")
INSTALL = "pip install 'derive[bench]'"
PEER_SECONDS = 5  # per pair, for each peer
RELATION = re.compile(
    r"(<=>|=>|<=|>=|!=|<|>|≤|≥|≠|≈|⇔|⇒|\\(iff|implies|Leftrightarrow|Rightarrow|"
    r"le|leq|ge|geq|lt|gt|neq|approx)\b)"
)
FUNCTIONS = ("sin", "cos", "tan", "tanh", "exp")


def corpus_rows(folder: Path, limit: int | None = None) -> list[dict[str, Any]]:
    """The corpora's rows (request and expected verdict), the first ``limit`` of each."""
    rows: list[dict[str, Any]] = []
    for name in CORPORA:
        path = folder / name
        if not path.exists():
            continue
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        rows += [json.loads(line) for line in lines[:limit]]
    return rows


def expected(row: dict[str, Any]) -> str:
    """The row's expected verdict; a request the corpus expects refused as unreadable (an
    ``error`` row) is ``unknown``, as derive's result for it is."""
    return str(row.get("verdict", "unknown"))


def chain(request: dict[str, Any]) -> list[str] | None:
    """The request as a chain of expressions, or None when it is not one (statements,
    relations other than ``=``, definitions, non-scalar kinds)."""
    kinds = request.get("given", {}).values()
    if any(k.split()[0] not in ("scalar", "positive", "probability") for k in kinds):
        return None
    if "claim" in request:
        steps = [part.strip() for part in str(request["claim"]).split("=")]
    else:
        steps = [str(s).strip() for s in request.get("steps", [])]
        if steps and steps[0].startswith("="):
            return None
        steps = [s[1:].strip() if s.startswith("=") else s for s in steps]
    if len(steps) < 2 or any(not s for s in steps):
        return None
    for step in steps:
        if RELATION.search(step) or "=" in step or "!" in step or step.startswith("let "):
            return None
        if re.search(r"\b(and|or|not|P|E|Var)\b", step):
            return None
    return steps


@contextlib.contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    """Raise TimeoutError after ``seconds`` (main thread, Unix)."""

    def expire(signum: int, frame: Any) -> None:
        raise TimeoutError

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _sympy_reader(request: dict[str, Any]) -> Callable[[str], Any]:
    """Plain text to SymPy with ``parse_expr`` (implicit products, ``^``), names real, or
    positive, or in (0, 1) as given; LaTeX through latex2sympy2_extended where installed."""
    import sympy
    from sympy.parsing.sympy_parser import (
        convert_xor,
        implicit_multiplication_application,
        parse_expr,
        standard_transformations,
    )

    transformations = (*standard_transformations, implicit_multiplication_application, convert_xor)
    names: dict[str, Any] = {
        "sigmoid": lambda z: 1 / (1 + sympy.exp(-z)),
        "softplus": lambda z: sympy.log(1 + sympy.exp(z)),
        "ln": sympy.log,
    }
    for name, kind in request.get("given", {}).items():
        positive = kind.split()[0] in ("positive", "probability")
        names[name] = (
            sympy.Symbol(name, positive=True) if positive else sympy.Symbol(name, real=True)
        )

    def read(text: str) -> Any:
        if "\\" in text:
            from latex2sympy2_extended import latex2sympy

            return latex2sympy(text)
        for letter in set(re.findall(r"\b[A-Za-z]\b", text)) - set(names):
            names[letter] = sympy.Symbol(letter, real=True)
        return parse_expr(text, local_dict=names, transformations=transformations)

    return read


def judge_sympy(request: dict[str, Any]) -> str:
    """Plain SymPy: every pair ``simplify(a - b) == 0``."""
    import sympy

    steps = chain(request)
    if steps is None:
        return "unknown"
    try:
        with _alarm(PEER_SECONDS * (len(steps) - 1)), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # parse_expr compiles the text: SyntaxWarnings
            read = _sympy_reader(request)
            values = [read(s) for s in steps]
            for a, b in itertools.pairwise(values):
                if sympy.simplify(a - b) != 0:
                    return "incorrect"
    except Exception:  # any failure of the peer is its "unknown"
        return "unknown"
    return "correct"


def _latex(text: str) -> str:
    """A plain-text step as LaTeX for math-verify (already LaTeX: unchanged)."""
    if "\\" in text:
        return f"${text}$"
    text = re.sub(r"\blog\(", r"\\ln(", text)
    for name in FUNCTIONS:
        text = re.sub(rf"\b{name}\(", rf"\\{name}(", text)
    text = re.sub(r"(?<=[\w)])\s+(?=[\w(\\])", "*", text)
    return f"${text}$"


def judge_math_verify(request: dict[str, Any]) -> str:
    """math-verify: ``verify(parse(a), parse(b))`` for every pair, steps given as LaTeX."""
    from math_verify import parse, verify

    steps = chain(request)
    if steps is None:
        return "unknown"
    try:
        values = [parse(_latex(s), parsing_timeout=PEER_SECONDS) for s in steps]
        if any(not v for v in values):
            return "unknown"
        for a, b in itertools.pairwise(values):
            if not verify(a, b, timeout_seconds=PEER_SECONDS):
                return "incorrect"
    except Exception:  # any failure of the peer is its "unknown"
        return "unknown"
    return "correct"


def judge_derive(request: dict[str, Any]) -> str:
    """derive's checker in this process (the catalog's mistake search off: it names a
    mistake, it does not change a verdict)."""
    from derive.checker.api import Request, check_request

    return check_request(Request.from_json(request), catalog=False).verdict


def _installed(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def checkers(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Agreement with the expected verdicts and time per request, for derive and each peer."""
    judges: dict[str, Callable[[dict[str, Any]], str]] = {"derive": judge_derive}
    notes: list[str] = []
    judges["sympy simplify"] = judge_sympy
    if _installed("math_verify"):
        judges["math-verify"] = judge_math_verify
    else:
        notes.append(f"math-verify is not installed ({INSTALL}): skipped")
    on_chains = [chain(row["request"]) is not None for row in rows]
    out: dict[str, Any] = {"rows": len(rows), "chain_rows": sum(on_chains), "peers": []}
    judge_derive({"claim": "x = x"})  # imports paid before timing
    for name, judge in judges.items():
        times: list[float] = []
        chain_times: list[float] = []
        agree = agree_chain = 0
        for row, on_chain in zip(rows, on_chains, strict=True):
            start = time.perf_counter()
            verdict = judge(row["request"])
            times.append(1000 * (time.perf_counter() - start))
            if on_chain:
                chain_times.append(times[-1])
            same = verdict == expected(row)
            agree += same
            agree_chain += same and on_chain
        out["peers"].append(
            {
                "name": name,
                "agreement": agree / len(rows) if rows else None,
                "chain_agreement": agree_chain / sum(on_chains) if any(on_chains) else None,
                "median_ms": statistics.median(times) if times else None,
                "mean_ms": statistics.fmean(times) if times else None,
                "max_ms": max(times) if times else None,
                # on the chains, which every peer reads (elsewhere a peer answers at once)
                "chain_median_ms": statistics.median(chain_times) if chain_times else None,
            }
        )
    out["notes"] = notes
    return out


# ----------------------------------------------------------------------------- the twins


def _jax_calls() -> dict[str, Callable[..., Any]]:
    import jax
    import jax.numpy as jnp

    jax.config.update("jax_enable_x64", True)
    return {
        "inverse-2x2": jax.jit(lambda A: jnp.linalg.inv(A)),
        "eigenvalues-2x2": jax.jit(lambda A: jnp.linalg.eigvals(A)),
        "eigen-symmetric-2x2": jax.jit(lambda S: jnp.linalg.eigvalsh(S)),
        "inverse-3x3-adjugate": jax.jit(lambda A: jnp.linalg.inv(A)),
        "linear-system-2x2": jax.jit(lambda A, b: jnp.linalg.solve(A, b[..., None])[..., 0]),
    }


def _ready(call: Callable[..., Any], inputs: dict[str, Any]) -> Any:
    return call(**inputs).block_until_ready()


def jax_twins(sizes: Sequence[int], repeats: int, seed: int = 2024) -> dict[str, Any]:
    """Median time of JAX's jitted ``jnp.linalg`` call on the twins' timing inputs (already on
    the device; compile excluded; ``block_until_ready``), or a note when JAX is missing."""
    if not _installed("jax"):
        return {"jax_cases": [], "jax_note": f"JAX is not installed ({INSTALL}): skipped"}
    import numpy as np

    from derive.bench.twins import CASES, _median_time

    calls = _jax_calls()
    import jax

    rows = []
    for number, case in enumerate(CASES):
        call = calls.get(case.name)
        if call is None:
            continue
        for n in sizes:
            inputs = case.timing(np.random.default_rng([seed, number, n]), n)
            on_device = {k: jax.device_put(v) for k, v in inputs.items()}
            got = np.asarray(call(**on_device).block_until_ready())  # compiles
            expected = case.call(**inputs)
            agrees = bool(
                np.allclose(np.sort_complex(got.ravel()), np.sort_complex(expected.ravel()))
                if case.unordered
                else np.allclose(got, expected)
            )
            run = functools.partial(_ready, call, on_device)
            seconds = statistics.median(_median_time(run, repeats))
            rows.append({"name": case.name, "n": n, "jax_s": seconds, "agrees_numpy": agrees})
    return {"jax_cases": rows, "jax_version": jax.__version__, "jax_device": str(jax.devices()[0])}
