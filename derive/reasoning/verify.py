"""Verify a derivation: every step against the one before, results, twins, mistakes, content.

>>> from derive.catalog import get
>>> report = verify(get("inverse-2x2"))
>>> report.passed
True

Each step is checked symbolically on explicit entries where possible and otherwise by a
seeded exact numeric screen (reported as ``numeric``); each numeric twin is compared with its
independent reference on seeded random inputs, one at a time and as a batch; each recorded
mistake must be refuted by a counterexample.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp

from derive.core.model import Rel, Step
from derive.numeric.derivation import Derivation
from derive.numeric.realise import Realiser
from derive.reasoning.equivalence import Context, Outcome, Status

BATCH = 64


@dataclass(frozen=True)
class Check:
    """One named check and its outcome.

    ``status`` is proven, numeric, refuted or unknown for symbolic checks, passed or failed
    for the others, and note for a remark that is not a check (a derivation of your own
    without a numeric twin).
    """

    name: str
    passed: bool
    detail: str
    status: str = ""


@dataclass(frozen=True)
class Report:
    """All checks of one derivation."""

    id: str
    checks: tuple[Check, ...]

    @property
    def passed(self) -> bool:
        """Whether every check passed."""
        return all(c.passed for c in self.checks)

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of ``derive verify --json``."""
        return {
            "id": self.id,
            "passed": self.passed,
            "checks": [
                {"name": c.name, "passed": c.passed, "detail": c.detail, "status": c.status}
                for c in self.checks
            ],
        }


def seed_for(identifier: str) -> int:
    """A stable per-derivation seed."""
    return int.from_bytes(hashlib.sha256(identifier.encode()).digest()[:4], "little")


def context_for(derivation: Derivation, *, points: int = 12, budget: float = 10.0) -> Context:
    """The equivalence context of a derivation: its sizes, bindings and domains."""
    domains = {v.symbol: v.domain for v in derivation.symbols}
    size_sets = derivation.sizes or ({},)
    realisers = tuple(
        Realiser(bindings=derivation.bindings, sizes=sizes, domains=domains) for sizes in size_sets
    )
    return Context(
        realisers=realisers,
        domains=domains,
        seed=seed_for(derivation.id),
        points=points,
        budget=budget,
    )


def _check(name: str, outcome: Outcome) -> Check:
    return Check(name, outcome.passed, outcome.detail, outcome.status)


def _substitution(unknowns: Any, solution: Any) -> dict[Any, Any]:
    if isinstance(unknowns, sp.MatrixBase):
        return dict(zip(unknowns, sp.Matrix(solution), strict=True))
    if isinstance(unknowns, (sp.Tuple, tuple)):
        return dict(zip(unknowns, solution, strict=True))
    return {unknowns: solution}


def _residual(step: Step) -> Any:
    lhs, rhs = step.lhs, step.rhs
    if getattr(lhs, "is_Matrix", False) and rhs == 0:
        return lhs
    return lhs - rhs


def _solutions(step: Step) -> list[Any]:
    return list(step.rhs.args) if isinstance(step.rhs, sp.FiniteSet) else [step.rhs]


def step_outcome(ctx: Context, step: Step, previous: Step | None) -> Outcome | None:
    """The verification of one step against the previous one (None for a given)."""
    rel = step.rel
    if rel is Rel.GIVEN:
        return None
    if rel in (Rel.EQ, Rel.IFF, Rel.IMPLIES) and previous is None:
        return Outcome("refuted", "the first step cannot follow from a previous one")
    if rel is Rel.EQ:
        assert previous is not None
        return ctx.equal(previous.rhs, step.rhs)
    if rel is Rel.IDENTITY:
        return ctx.equal(step.lhs, step.rhs)
    if rel is Rel.IFF:
        assert previous is not None
        return ctx.scaled(_residual(step), _residual(previous), step.by)
    if rel is Rel.IMPLIES:
        assert previous is not None
        residual = _residual(previous)
        outcomes = [
            ctx.vanishes(residual.xreplace(_substitution(step.lhs, s))) for s in _solutions(step)
        ]
        failed = [o for o in outcomes if not o.passed]
        if failed:
            return failed[0]
        status: Status = "proven" if all(o.status == "proven" for o in outcomes) else "numeric"
        return Outcome(
            status,
            f"each of {len(outcomes)} solution(s) satisfies the previous "
            f"equation ({outcomes[0].detail})",
        )
    if rel is Rel.GE:
        return ctx.nonnegative(step.lhs - step.rhs)
    if rel is Rel.LE:
        return ctx.nonnegative(step.rhs - step.lhs)
    if rel is Rel.NE:
        return ctx.differs(step.lhs, step.rhs)
    raise ValueError(f"unknown relation {rel}")


def _step_checks(derivation: Derivation, ctx: Context) -> tuple[list[Check], list[tuple[Any, Any]]]:
    checks: list[Check] = []
    statements: list[tuple[Any, Any]] = []
    previous: Step | None = None
    chain_lhs: Any = None
    for number, step in enumerate(derivation.steps, 1):
        if step.lhs is not None:
            chain_lhs = step.lhs
        outcome = step_outcome(ctx, step, previous)
        if outcome is not None:
            checks.append(_check(f"step {number}: {step.why}", outcome))
            if outcome.passed and step.rel not in (Rel.NE,):
                statements.append((chain_lhs, step.rhs))
        previous = step
    return checks, statements


def _result_checks(
    derivation: Derivation, ctx: Context, statements: list[tuple[Any, Any]]
) -> list[Check]:
    checks = []
    for result in derivation.results:
        name = f"result {result.name or sp.sstr(result.lhs)} is established by a verified step"
        exact = any(lhs == result.lhs and rhs == result.rhs for lhs, rhs in statements)
        if exact:
            checks.append(Check(name, True, "stated by a verified step", "proven"))
            continue
        found = None
        for lhs, rhs in statements:
            if lhs == result.lhs:
                outcome = ctx.equal(rhs, result.rhs)
                if outcome.passed:
                    found = outcome
                    break
        checks.append(
            Check(
                name,
                found is not None,
                found.detail if found else "no verified step states this result",
                found.status if found else "failed",
            )
        )
    return checks


def _max_relative_error(got: np.ndarray, want: np.ndarray) -> float:
    scale = np.maximum(np.abs(want), 1e-300)
    with np.errstate(all="ignore"):
        err = np.abs(got - want) / scale
    return float(np.nanmax(err)) if err.size else 0.0


def _twin_checks(derivation: Derivation, seed: int) -> list[Check]:
    checks = []
    for number, twin in enumerate(derivation.twins):
        for label, size in (("one input at a time", 8), (f"a batch of {BATCH}", BATCH)):
            rng = np.random.default_rng([seed, number, size])
            inputs = twin.sample(rng, size)
            want = twin.reference(**inputs)
            if size == BATCH:
                got = twin(**inputs)
            else:
                got = np.stack([twin(**{k: v[i] for k, v in inputs.items()}) for i in range(size)])
            name = f"twin {twin.name} = {twin.reference.name} ({label})"
            if got.shape != want.shape:
                checks.append(Check(name, False, f"shape {got.shape} vs {want.shape}", "failed"))
                continue
            ok = bool(np.allclose(got, want, rtol=twin.rtol, atol=twin.atol))
            error = _max_relative_error(got, want)
            detail = (
                f"{size} seeded inputs, max relative error {error:.1e} "
                f"(rtol {twin.rtol:g}, atol {twin.atol:g})"
            )
            checks.append(Check(name, ok, detail, "passed" if ok else "failed"))
    return checks


def _mistake_checks(derivation: Derivation, ctx: Context) -> list[Check]:
    # A mistake's left side may be a name a result solves for (θ = (XᵀX)⁻¹Xᵀy): the wrong
    # formula is then compared with that value, not with a free θ (differing from any formula).
    solved = {
        r.lhs: r.rhs for r in derivation.results if isinstance(r.lhs, (sp.Symbol, sp.MatrixSymbol))
    }
    checks = []
    for number, mistake in enumerate(derivation.mistakes, 1):
        outcome = ctx.equal(solved.get(mistake.lhs, mistake.lhs), mistake.rhs)
        refuted = outcome.status == "refuted"
        where = ""
        if outcome.counterexample:
            where = " at " + ", ".join(f"{k}={v}" for k, v in outcome.counterexample.items())
        detail = (
            f"refuted: {outcome.detail}{where}"
            if refuted
            else f"not refuted ({outcome.status}): {outcome.detail}"
        )
        checks.append(
            Check(
                f"mistake {number} is really wrong: {mistake.name or mistake.explanation}",
                refuted,
                detail,
                "passed" if refuted else "failed",
            )
        )
    return checks


def _content_check(derivation: Derivation) -> Check:
    missing = [
        name
        for name, value in (
            ("intuition", derivation.intuition),
            ("interview question", derivation.interview.question),
            ("interview answer", derivation.interview.answer),
            ("mistakes", derivation.mistakes),
            ("numeric twins", derivation.twins or not derivation.twins_required),
        )
        if not value
    ]
    missing += [
        f"justification of step {i}" for i, s in enumerate(derivation.steps, 1) if not s.why.strip()
    ]
    return Check(
        "teaching content is complete",
        not missing,
        "missing: " + ", ".join(missing) if missing else "intuition, interview, mistakes",
        "passed" if not missing else "failed",
    )


def verify(
    derivation: Derivation,
    *,
    points: int = 12,
    budget: float = 10.0,
    progress: Callable[[str], None] | None = None,
) -> Report:
    """Run every check of one derivation."""
    ctx = context_for(derivation, points=points, budget=budget)
    seed = seed_for(derivation.id)
    say = progress or (lambda _: None)
    say("steps")
    checks, statements = _step_checks(derivation, ctx)
    say("results")
    checks += _result_checks(derivation, ctx, statements)
    say("twins")
    checks += _twin_checks(derivation, seed)
    if not derivation.twins and not derivation.twins_required:
        checks.append(
            Check(
                "numeric twin",
                True,
                "no numeric twin: the result is checked symbolically only (a note, not a "
                "failure; the built-in catalog requires twins)",
                "note",
            )
        )
    say("mistakes")
    checks += _mistake_checks(derivation, ctx)
    for name, extra in derivation.checks:
        passed, detail = extra(np.random.default_rng(seed))
        passed = bool(passed)  # a NumPy boolean is fine too
        checks.append(Check(name, passed, detail, "passed" if passed else "failed"))
    checks.append(_content_check(derivation))
    return Report(derivation.id, tuple(checks))
