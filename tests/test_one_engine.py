"""One reasoning engine: the checker proves what the book proves.

Every equality in the catalog — a step equal to the one before it (``Rel.EQ``: previous
right-hand side = this one) and a step stating an identity (``Rel.IDENTITY``: left = right) —
is printed in the checker's syntax (``derive.checker.printer`` through
``derive.checker.catalog.request_for``) and submitted as a learner's two steps. Whenever the
catalog's verifier proves it, the checker must answer ``proven`` too, and it must never refute
an equality the verifier accepts. The verifier only runs for the few steps the checker does
not prove (a step the checker proves passes whatever the verifier says).

Steps the syntax cannot say are listed in ``INEXPRESSIBLE`` with the reason, and the list is
kept honest both ways: a listed step must still be refused by the printer for that reason,
and an unlisted step must be printable. Parametrised over the catalog's ids, so a new entry is
tested by being added.
"""

from __future__ import annotations

import ast
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from derive.catalog import get, ids
from derive.checker.api import check_data
from derive.checker.catalog import request_for
from derive.checker.limits import Limits
from derive.checker.printer import Unprintable
from derive.core.model import Rel, Step
from derive.numeric.derivation import Derivation
from derive.reasoning.verify import context_for, step_outcome

# Outcomes must not depend on the machine's speed: a budget no request comes near.
GENEROUS = Limits(budget=120.0, catalog_search=0.0)
PACKAGE = Path(__file__).resolve().parents[1] / "derive"


@dataclass(frozen=True)
class Why:
    """Why the checker's syntax cannot say a step, and what the printer's refusal says."""

    reason: str
    refusal: str


EXPECTATION = Why(
    "E[·], Var and Cov of random variables (sympy.stats): the syntax has names, matrices and "
    "functions, but no random variables or expectations",
    "Expectation has no spelling",
)
PIECEWISE = Why(
    "a function defined case by case (a stable branch, a pmf, a clipped residual, a sum "
    "split at k = 1): the syntax has no cases",
    "Piecewise has no spelling",
)
STEP_FUNCTION = Why(
    "the unit step θ (a subgradient counting points): not in the syntax's vocabulary",
    "Heaviside has no spelling",
)
SYMBOLIC_SIZE = Why(
    "a matrix bound to an expression or blocks of symbolic size (A⁺ ↦ (AᵀA)⁻¹Aᵀ, "
    "X ↦ [1, x] over n data points, X_c ↦ X − 1μᵀ): a bound matrix is written out as its "
    "entries, which SymPy cannot form while a size is a symbol",
    "Matrix with symbolic shape",
)
TOO_LONG = Why(
    "written out entry by entry it exceeds the 2,000 characters one step may have "
    "(Limits.max_step_chars): a request is data, never a resource bomb",
    "too long to write out",
)
PAIR = Why(
    "a pair of values (λ₁, λ₂) = (m + r, m − r): a step is one expression, not a tuple",
    "Tuple has no spelling",
)
INTEGRAL = Why(
    "an integral of Student's t density (its normalising beta function): the syntax has no "
    "integrals and no beta function",
    "beta has no spelling",
)
ANGLE = Why(
    "a rotation by half the angle atan2(2h₁₂, h₁₁ − h₂₂): atan2 is not in the vocabulary",
    "atan2 has no spelling",
)

# (catalog id, step number): why that equality cannot be written in the checker's syntax.
INEXPRESSIBLE: dict[tuple[str, int], Why] = {
    ("linear-layer", 3): SYMBOLIC_SIZE,
    ("eigenvalues-2x2", 8): PIECEWISE,
    ("eigenvalues-2x2", 9): PIECEWISE,
    ("eigenvalues-2x2", 10): PIECEWISE,
    ("eigenvalues-2x2", 11): PIECEWISE,
    ("eigen-symmetric-2x2", 7): PAIR,
    ("eigen-symmetric-2x2", 13): PIECEWISE,
    ("eigen-symmetric-2x2", 14): PIECEWISE,
    ("simple-linear-regression", 2): SYMBOLIC_SIZE,
    ("simple-linear-regression", 3): SYMBOLIC_SIZE,
    ("pseudoinverse", 2): SYMBOLIC_SIZE,
    ("pseudoinverse", 3): SYMBOLIC_SIZE,
    ("pseudoinverse", 4): SYMBOLIC_SIZE,
    ("pseudoinverse", 5): SYMBOLIC_SIZE,
    ("pseudoinverse", 6): SYMBOLIC_SIZE,
    ("pseudoinverse", 10): SYMBOLIC_SIZE,
    ("pseudoinverse", 12): SYMBOLIC_SIZE,
    ("pseudoinverse", 14): SYMBOLIC_SIZE,
    ("pseudoinverse", 15): TOO_LONG,
    ("pseudoinverse", 16): TOO_LONG,
    ("pca-2d", 3): SYMBOLIC_SIZE,
    ("pagerank", 8): TOO_LONG,
    ("pagerank", 9): TOO_LONG,
    ("median-least-absolute", 3): STEP_FUNCTION,
    ("median-least-absolute", 5): STEP_FUNCTION,
    ("variance-shortcut", 1): EXPECTATION,
    ("variance-shortcut", 2): EXPECTATION,
    ("variance-shortcut", 3): EXPECTATION,
    ("variance-shortcut", 4): EXPECTATION,
    ("standardization", 3): EXPECTATION,
    ("expectation-linearity", 1): EXPECTATION,
    ("expectation-linearity", 2): EXPECTATION,
    ("expectation-linearity", 3): EXPECTATION,
    ("expectation-linearity", 4): EXPECTATION,
    ("expectation-linearity", 5): EXPECTATION,
    ("bernoulli", 1): PIECEWISE,
    ("binomial", 2): PIECEWISE,
    ("covariance-correlation", 1): EXPECTATION,
    ("covariance-correlation", 2): EXPECTATION,
    ("covariance-correlation", 3): EXPECTATION,
    ("covariance-correlation", 4): EXPECTATION,
    ("covariance-correlation", 5): EXPECTATION,
    ("hypothesis-tests", 7): INTEGRAL,
    ("derivative-from-limit", 10): PIECEWISE,
    ("derivative-from-limit", 11): PIECEWISE,
    ("derivative-from-limit", 12): PIECEWISE,
    ("backprop-two-layer", 7): TOO_LONG,
    ("backprop-two-layer", 10): TOO_LONG,
    ("backprop-two-layer", 11): TOO_LONG,
    ("loss-functions", 12): STEP_FUNCTION,
    ("loss-functions", 13): STEP_FUNCTION,
    ("loss-functions", 16): PIECEWISE,
    ("loss-functions", 17): PIECEWISE,
    ("gradient-descent-convergence", 20): ANGLE,
    ("gradient-descent-convergence", 21): ANGLE,
    ("gradient-descent-convergence", 22): ANGLE,
}


def equalities(derivation: Derivation) -> list[tuple[int, Step, Step | None, tuple[Any, Any]]]:
    """(step number, step, previous step, the two sides) of every equality step."""
    found = []
    previous: Step | None = None
    for number, step in enumerate(derivation.steps, 1):
        if step.rel is Rel.EQ and previous is not None:
            found.append((number, step, previous, (previous.rhs, step.rhs)))
        elif step.rel is Rel.IDENTITY:
            found.append((number, step, previous, (step.lhs, step.rhs)))
        previous = step
    return found


@functools.cache
def context(identifier: str) -> Any:
    return context_for(get(identifier))


def _checked(identifier: str, number: int, step: Step, previous: Step | None, request: Any) -> str:
    """'' if the checker answers this printable equality as it must, else what went wrong."""
    result = check_data(request, limits=GENEROUS, catalog=False)
    verdict = result.error or result.pairs[0].verdict
    if verdict == "proven":
        return ""
    outcome = step_outcome(context(identifier), step, previous)
    assert outcome is not None
    where = f"step {number} {request['steps']} given {request['given']}"
    if outcome.status == "proven":
        return f"{where}: the verifier proves it ({outcome.detail}), the checker says {verdict}"
    if outcome.passed and verdict == "refuted":
        return f"{where}: the verifier accepts it ({outcome.status}), the checker refutes it"
    return ""


@pytest.mark.parametrize("identifier", ids())
def test_the_checker_proves_every_equality_the_verifier_proves(identifier: str) -> None:
    derivation = get(identifier)
    failures = []
    for number, step, previous, sides in equalities(derivation):
        listed = INEXPRESSIBLE.get((identifier, number))
        try:
            request = request_for(derivation, sides)
        except Unprintable as refusal:
            if listed is None:
                failures.append(f"step {number} is not printable ({refusal}): list it with why")
            elif listed.refusal not in str(refusal):
                failures.append(f"step {number} is refused for another reason: {refusal}")
            continue
        if listed is not None:
            failures.append(f"step {number} is printable now: take it off INEXPRESSIBLE")
            continue
        failures.append(_checked(identifier, number, step, previous, request))
    assert not [f for f in failures if f], "\n".join(f for f in failures if f)


def test_every_listed_step_is_an_equality_of_the_catalog() -> None:
    """No stale entry: each listed step exists and is an equality."""
    known = {(i, n) for i in ids() for n, *_ in equalities(get(i))}
    assert set(INEXPRESSIBLE) <= known, sorted(set(INEXPRESSIBLE) - known)


def test_most_equalities_can_be_written_in_the_syntax() -> None:
    total = sum(len(equalities(get(i))) for i in ids())
    assert len(INEXPRESSIBLE) <= 0.2 * total, (len(INEXPRESSIBLE), total)


# -- one engine, structurally -------------------------------------------------------------


ENGINES = ("numeric", "reasoning", "checker")  # the catalog's own tolerances are its twins'


def _definitions(name: str) -> list[str]:
    """The engine modules that define ``name`` (a function, class or assignment)."""
    found = []
    paths = sorted(p for folder in ENGINES for p in (PACKAGE / folder).rglob("*.py"))
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            defined: list[str] = []
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                defined = [node.name]
            elif isinstance(node, (ast.Assign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                defined = [t.id for t in targets if isinstance(t, ast.Name)]
            if name in defined:
                found.append(str(path.relative_to(PACKAGE.parent)))
    return found


@pytest.mark.parametrize(
    ("name", "home"),
    [
        ("is_zero", "derive/reasoning/ladder.py"),
        ("Status", "derive/reasoning/status.py"),
        ("DIGITS", "derive/reasoning/precision.py"),
        ("TOLERANCE", "derive/reasoning/precision.py"),
        ("PROOF_ATTEMPTS", None),
    ],
)
def test_one_ladder_one_status_one_precision_policy(name: str, home: str | None) -> None:
    assert _definitions(name) == ([home] if home else [])


def test_the_checker_and_the_verifier_share_the_engine() -> None:
    from derive.checker import engine
    from derive.reasoning import equivalence, ladder, numbers, precision, status

    assert engine.is_zero is ladder.is_zero
    assert equivalence.is_zero is ladder.is_zero
    assert engine.equal_at_point is numbers.equal_at_point
    assert engine.same is precision.close
    assert engine.Status is status.Status is equivalence.Status
