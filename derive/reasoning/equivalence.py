"""Decide whether two SymPy objects are equal: symbolically if possible, else by a numeric screen.

>>> import sympy as sp
>>> x = sp.Symbol("x", real=True)
>>> Context().equal(sp.sin(x) ** 2 + sp.cos(x) ** 2, sp.Integer(1)).status
'proven'
>>> Context().equal(sp.exp(x), 1 + x).status
'refuted'

A symbolic proof is looked for on explicit entries (``derive.numeric.realise``) under a time budget;
without one, agreement at seeded exact sample points (honouring domains) is reported as
``numeric``. Any clear mismatch refutes, with the sample point as the counterexample.

The parts are shared with the learner's checker: the verdicts (``status``), the precision
policy (``precision``, ``numbers``), the proof ladder (``ladder``) and the sampling interface
(``points`` over ``derive.numeric.sampling``). This module states the catalog's claims.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import sympy as sp

from derive.core.model import Domain, frozen_map
from derive.numeric.realise import Realiser, as_scalar
from derive.reasoning.ladder import is_nonnegative, is_zero
from derive.reasoning.numbers import Undefined, confirmed, number, settled
from derive.reasoning.points import Variables, free_variables, sample_point
from derive.reasoning.precision import allowance, within
from derive.reasoning.shapes import as_ints, describe, flatten, shape_of, sized_shape
from derive.reasoning.status import Status, passed

__all__ = ["Context", "Outcome", "Status", "is_zero"]


@dataclass(frozen=True)
class Outcome:
    """The verdict on one claim, with a human detail and, if refuted, the point that refutes it."""

    status: Status
    detail: str
    counterexample: Mapping[str, str] | None = None

    @property
    def passed(self) -> bool:
        """Proven, or agreeing at every sample point."""
        return passed(self.status)


def _distinct_claims(realisers: Sequence[Realiser], realised: Sequence[Any]) -> list[Any]:
    """(realiser, realised claim) pairs, dropping claims identical to an earlier one: a claim
    that does not depend on the sizes is screened once, not once per size."""
    seen: list[Any] = []
    out = []
    for realiser, claim in zip(realisers, realised, strict=True):
        if claim not in seen:
            seen.append(claim)
            out.append((realiser, claim))
    return out


@dataclass(frozen=True)
class Context:
    """What a check needs to know: sizes to realise at, bindings, domains, seed and budgets."""

    realisers: tuple[Realiser, ...] = (Realiser(),)
    domains: Mapping[Any, Domain] = field(default_factory=frozen_map)
    seed: int = 0
    points: int = 12
    budget: float = 10.0

    # -- public claims --------------------------------------------------------------

    def equal(self, a: Any, b: Any) -> Outcome:
        """``a = b`` for every admissible value."""
        mismatch = self._shapes_differ(a, b)
        if mismatch:
            return Outcome("refuted", f"shapes differ: {mismatch}")
        return self._decide((a, b), lambda x, y: (x, y))

    def vanishes(self, residual: Any) -> Outcome:
        """``residual = 0`` for every admissible value."""
        return self._decide(
            (residual,), lambda r: (r, sp.zeros(*r.shape) if shape_of(r) else sp.Integer(0))
        )

    def scaled(self, new: Any, old: Any, by: Any) -> Outcome:
        """``new = by · old`` (residuals of equations, flattened), with ``by`` invertible."""

        def combine(n: Any, o: Any, f: Any) -> tuple[Any, Any]:
            left, right = sp.Matrix(flatten(n)), sp.Matrix(flatten(o))
            return left, (1 if f is None else as_scalar(f)) * right

        outcome = self._decide((new, old, by), combine)
        if not outcome.passed:
            return outcome
        invertible = self._invertible(by)
        if not invertible.passed:
            return invertible
        return Outcome(outcome.status, f"{outcome.detail}; {invertible.detail}")

    def nonnegative(self, expr: Any) -> Outcome:
        """``expr ≥ 0`` for every admissible value."""
        realised = [as_scalar(r(expr)) for r in self.realisers]
        if is_nonnegative(realised[0], self.budget):
            return Outcome("proven", "nonnegative by SymPy's assumptions" + self._sized_note())
        rng = np.random.default_rng(self.seed)
        used = 0
        for realiser, value in _distinct_claims(self.realisers, realised):
            variables = free_variables(realiser, (expr,), (value,))
            for _ in range(self.points):
                point, subs = self._point(rng, realiser, (expr,), variables=variables)
                try:
                    found = number(value.xreplace(subs))
                except Undefined:
                    continue
                if found.is_real and found < -allowance(found):
                    try:  # confirm at higher precision before refuting
                        found = settled(value.xreplace(subs))
                    except Undefined:
                        continue
                used += 1
                if not found.is_real or found < -allowance(found):
                    return Outcome("refuted", f"negative value {sp.N(found, 8)}", point)
        return self._numeric_or_unknown(used, "nonnegative")

    def differs(self, a: Any, b: Any) -> Outcome:
        """``a ≠ b`` for some admissible value: proven by exhibiting one."""
        outcome = self.equal(a, b)
        if outcome.status == "refuted":
            return Outcome("proven", f"they differ: {outcome.detail}", outcome.counterexample)
        return Outcome("refuted", f"no difference found ({outcome.detail})")

    # -- machinery ------------------------------------------------------------------

    def _shapes_differ(self, a: Any, b: Any) -> str:
        """Shapes first: two sides whose shapes differ at some sizes cannot be equal, even
        when one of them cannot be realised (e.g. a product whose factors do not fit)."""
        if any(getattr(side, "has", lambda *_: False)(sp.Derivative) for side in (a, b)):
            return ""  # a derivative by a matrix takes the variable's shape: realise first
        for realiser in self.realisers:
            shapes = [sized_shape(side, realiser.sizes) for side in (a, b)]
            known = all(s is None or all(d.is_Integer for d in s) for s in shapes)
            if known and shapes[0] != shapes[1]:
                left, right = (describe(as_ints(s)) for s in shapes)
                return f"{left} vs {right}"
        return ""

    def _sized_note(self) -> str:
        sizes = self.realisers[0].sizes
        if not sizes:
            return ""
        listed = ", ".join(f"{k}={v}" for k, v in sizes.items())
        return f" on explicit entries ({listed})"

    def _invertible(self, by: Any) -> Outcome:
        if by is None:
            return Outcome("proven", "factor 1")
        realised = as_scalar(self.realisers[0](by))
        det = realised.det() if isinstance(realised, sp.MatrixBase) else realised
        if det.is_number and det != 0:
            return Outcome("proven", f"factor {sp.sstr(realised)} is invertible")
        rng = np.random.default_rng(self.seed + 1)
        for _ in range(self.points):
            point, subs = self._point(rng, self.realisers[0], (by,))
            try:
                if number(det.xreplace(subs)) == 0:
                    return Outcome("refuted", "the factor is singular", point)
            except Undefined:
                continue
        return Outcome("numeric", "factor invertible at every sample point")

    def _point(
        self,
        rng: np.random.Generator,
        realiser: Realiser,
        originals: Sequence[Any],
        variables: Variables | None = None,
    ) -> tuple[dict[str, str], dict[Any, Any]]:
        """A sample point for every free variable of ``originals`` (pass ``variables`` in
        when drawing many points), and its entry substitution."""
        chosen = variables or free_variables(realiser, originals)
        return sample_point(rng, chosen, self.domains)

    def _decide(self, originals: Sequence[Any], combine: Callable[..., tuple[Any, Any]]) -> Outcome:
        try:
            realised = [
                tuple(r(o) if o is not None else None for o in originals) for r in self.realisers
            ]
        except (NotImplementedError, ValueError, TypeError) as error:
            return Outcome("unknown", f"cannot evaluate: {error}")
        first = realised[0]
        try:
            left, right = combine(*first)
        except (TypeError, ValueError, sp.ShapeError) as error:
            return Outcome("refuted", f"the sides cannot be compared: {error}")
        if shape_of(left) != shape_of(right):
            shapes = f"{describe(shape_of(left))} vs {describe(shape_of(right))}"
            return Outcome("refuted", f"shapes differ: {shapes}")
        rng = np.random.default_rng(self.seed)
        used = 0
        for realiser, operands in _distinct_claims(self.realisers, realised):
            left, right = combine(*operands)
            pairs = list(zip(flatten(left), flatten(right), strict=True))
            variables = free_variables(realiser, originals, operands)
            for _ in range(self.points):
                point, subs = self._point(rng, realiser, originals, variables=variables)
                try:
                    values = [
                        (number(a.xreplace(subs)), number(b.xreplace(subs))) for a, b in pairs
                    ]
                except (Undefined, TypeError, ZeroDivisionError):
                    continue
                try:
                    values = [
                        confirmed(a, b, pair, subs)
                        for (a, b), pair in zip(values, pairs, strict=True)
                    ]
                except (Undefined, TypeError, ZeroDivisionError):
                    continue
                used += 1
                for a, b in values:
                    if not within(a, b):
                        shown = f"{sp.N(a, 10)} vs {sp.N(b, 10)}"
                        return Outcome("refuted", f"differ at a sample point: {shown}", point)
        left, right = combine(*first)
        if all(
            is_zero(a - b, self.budget) for a, b in zip(flatten(left), flatten(right), strict=True)
        ):
            return Outcome("proven", "proven symbolically" + self._sized_note())
        return self._numeric_or_unknown(used, "agree")

    def _numeric_or_unknown(self, used: int, what: str) -> Outcome:
        needed = max(3, self.points // 2)
        if used < needed:
            return Outcome("unknown", f"only {used} sample points were defined (need {needed})")
        return Outcome("numeric", f"{what} at {used} exact sample points; no symbolic proof found")
