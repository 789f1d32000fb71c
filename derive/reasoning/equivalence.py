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
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import sympy as sp

from derive.core.budget import Timeout, time_limit
from derive.core.model import Domain, frozen_map
from derive.numeric import fast
from derive.numeric.probability import random_parameters
from derive.numeric.realise import Realiser, as_scalar, entry_symbol
from derive.numeric.sampling import matrix_value, scalar_value
from derive.numeric.sums import linear_sums

Status = Literal["proven", "numeric", "refuted", "unknown"]
DIGITS = 50
TOLERANCE = sp.Float("1e-30", DIGITS)
# evalf can return a confidently wrong value when a cancellation is nested inside a larger
# expression: at z = 3900 (a sampled magnitude) (1 − σ(z))·((1 − y)/(1 − σ(z)) − …) came out
# as 1e-1509 instead of 1/8 at 50, 100, ... 400 digits. So a value that would refute a claim
# is first re-evaluated at doubling precision until two successive values agree.
SETTLE_DIGITS = 6400


@dataclass(frozen=True)
class Outcome:
    """The verdict on one claim, with a human detail and, if refuted, the point that refutes it."""

    status: Status
    detail: str
    counterexample: Mapping[str, str] | None = None

    @property
    def passed(self) -> bool:
        """Proven, or agreeing at every sample point."""
        return self.status in ("proven", "numeric")


class _Undefined(Exception):
    """The expression has no finite value at this sample point."""


def _flatten(value: Any) -> list[Any]:
    value = as_scalar(value)
    if isinstance(value, sp.MatrixBase):
        return list(value)
    if isinstance(value, (sp.Tuple, tuple, list)):
        return [e for v in value for e in _flatten(v)]
    return [value]


def _shape(value: Any) -> tuple[int, int] | None:
    value = as_scalar(value)
    return tuple(value.shape) if isinstance(value, sp.MatrixBase) else None


def _sized_shape(value: Any, sizes: Mapping[Any, int]) -> tuple[Any, Any] | None:
    """The shape of a matrix expression at these sizes (None for a scalar or a 1×1 matrix),
    read off without rebuilding the expression."""
    if not getattr(value, "is_Matrix", False):
        return None
    rows, cols = (sp.sympify(sp.sympify(d).xreplace(dict(sizes))) for d in value.shape)
    return None if (rows, cols) == (1, 1) else (rows, cols)


def _as_ints(shape: tuple[Any, Any] | None) -> tuple[int, int] | None:
    return None if shape is None else (int(shape[0]), int(shape[1]))


def _describe_shape(shape: tuple[int, int] | None) -> str:
    return "scalar" if shape is None else f"{shape[0]}×{shape[1]}"


def _has_denominator(expr: Any) -> bool:
    """A rational expression with a denominator (no roots, no piecewise parts)."""
    powers = expr.atoms(sp.Pow)
    return (
        any(p.exp.is_negative for p in powers)
        and all(p.exp.is_Integer for p in powers)
        and not expr.has(sp.Piecewise)
    )


def _expanded_numerator(expr: Any) -> Any:
    """The numerator of ``expr`` over a common denominator, expanded: zero iff a rational
    expression vanishes, and cheaper than expanding every fraction separately."""
    return sp.expand(sp.fraction(sp.together(expr))[0])


def _branchwise(expr: Any) -> Any:
    """0 if ``expr`` is piecewise and every branch vanishes (cheap tests only), else ``expr``."""
    if not expr.has(sp.Piecewise):
        return expr
    folded = sp.piecewise_fold(expr)
    if not isinstance(folded, sp.Piecewise):
        return expr
    for branch, _ in folded.args:
        if sp.expand(branch) != 0 and sp.cancel(sp.together(branch)) != 0:
            return expr
    return sp.Integer(0)


def is_zero(expr: Any, budget: float) -> bool:
    """Whether SymPy can show ``expr`` is identically zero within ``budget`` seconds."""
    expr = sp.sympify(expr)
    if expr == 0 or fast.is_zero(expr):  # SymEngine first: polynomial identities at once
        return True
    attempts: tuple[Callable[[Any], Any], ...] = (
        _expanded_numerator if _has_denominator(expr) else sp.expand,
        lambda e: sp.cancel(sp.together(e)),
        _branchwise,
        sp.simplify,
        lambda e: sp.simplify(sp.expand(e.rewrite(sp.exp))),
        # rational=True: floats become exact rationals, but a tiny Rational is not rounded to 0
        lambda e: sp.nsimplify(sp.simplify(e.rewrite(sp.cos)), rational=True),
    )
    if expr.has(sp.Sum):
        # Sums left after realisation have no closed form (closed forms came from doit), so
        # simplify only burns the budget on them; normalise and cancel instead.
        attempts = (
            lambda e: sp.expand(linear_sums(e)),
            lambda e: sp.cancel(sp.together(sp.expand(linear_sums(e)))),
        )
    try:
        with time_limit(budget):
            for attempt in attempts:
                if attempt(expr) == 0:
                    return True
    except Timeout:
        return False
    return False


def _is_nonnegative(expr: Any, budget: float) -> bool:
    try:
        with time_limit(budget):
            for form in (expr, sp.factor(expr), sp.simplify(expr)):
                if form.is_nonnegative:
                    return True
    except Timeout:
        return False
    return False


def _number(value: Any) -> Any:
    """A 50-digit number, or raise _Undefined for infinities, NaN and unevaluated leftovers."""
    number = sp.N(value, DIGITS)
    if number.has(sp.zoo, sp.oo, -sp.oo, sp.nan) or not number.is_number:
        raise _Undefined
    return number


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


def _confirmed(a: Any, b: Any, pair: tuple[Any, Any], subs: dict[Any, Any]) -> tuple[Any, Any]:
    """Two values as computed, or re-evaluated until settled if they seem to differ."""
    if abs(a - b) <= TOLERANCE * (1 + abs(a) + abs(b)):
        return a, b
    return _settled(pair[0].xreplace(subs)), _settled(pair[1].xreplace(subs))


def _settled(value: Any) -> Any:
    """``value`` at doubling precision until two successive evaluations agree (else _Undefined)."""
    digits = DIGITS
    previous = _number(value)
    while digits < SETTLE_DIGITS:
        digits *= 2
        current = sp.N(value, digits, maxn=4 * digits)
        if current.has(sp.zoo, sp.oo, -sp.oo, sp.nan) or not current.is_number:
            raise _Undefined
        # relative agreement: wrong values are often tiny (1e-392 then 1e-285)
        if abs(current - previous) <= TOLERANCE * max(abs(current), abs(previous)):
            return sp.N(current, DIGITS)
        previous = current
    raise _Undefined


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
            (residual,), lambda r: (r, sp.zeros(*r.shape) if _shape(r) else sp.Integer(0))
        )

    def scaled(self, new: Any, old: Any, by: Any) -> Outcome:
        """``new = by · old`` (residuals of equations, flattened), with ``by`` invertible."""

        def combine(n: Any, o: Any, f: Any) -> tuple[Any, Any]:
            left, right = sp.Matrix(_flatten(n)), sp.Matrix(_flatten(o))
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
        if _is_nonnegative(realised[0], self.budget):
            return Outcome("proven", "nonnegative by SymPy's assumptions" + self._sized_note())
        rng = np.random.default_rng(self.seed)
        used = 0
        for realiser, value in _distinct_claims(self.realisers, realised):
            variables = self._variables(realiser, (expr,), (value,))
            for _ in range(self.points):
                point, subs = self._point(rng, realiser, (expr,), variables=variables)
                try:
                    number = _number(value.xreplace(subs))
                except _Undefined:
                    continue
                if number.is_real and number < -TOLERANCE * (1 + abs(number)):
                    try:  # confirm at higher precision before refuting
                        number = _settled(value.xreplace(subs))
                    except _Undefined:
                        continue
                used += 1
                if not number.is_real or number < -TOLERANCE * (1 + abs(number)):
                    return Outcome("refuted", f"negative value {sp.N(number, 8)}", point)
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
            shapes = [_sized_shape(side, realiser.sizes) for side in (a, b)]
            known = all(s is None or all(d.is_Integer for d in s) for s in shapes)
            if known and shapes[0] != shapes[1]:
                left, right = (_describe_shape(_as_ints(s)) for s in shapes)
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
                if _number(det.xreplace(subs)) == 0:
                    return Outcome("refuted", "the factor is singular", point)
            except _Undefined:
                continue
        return Outcome("numeric", "factor invertible at every sample point")

    def _domain(self, symbol: Any) -> Domain:
        if isinstance(symbol, sp.Indexed):  # an entry of data x[i] lives where x does
            symbol = symbol.base
        if symbol in self.domains:
            return self.domains[symbol]
        for key, value in self.domains.items():
            if getattr(key, "name", None) == getattr(symbol, "name", None):
                return value
        if getattr(symbol, "is_positive", False):
            return Domain.POSITIVE
        return Domain.MATRIX if isinstance(symbol, sp.MatrixSymbol) else Domain.REAL

    def _variables(
        self, realiser: Realiser, originals: Sequence[Any], realised: Sequence[Any] = ()
    ) -> tuple[list[Any], list[Any]]:
        """The free scalars and matrices of ``originals``, in sampling order.

        Free variables include the parameters of random symbols' distributions and the data
        entries ``x[1], x[2], ...`` that ``realised`` sums over once their length is a number.
        """
        scalars: set[Any] = set()
        matrices: set[Any] = set()
        bound = {realiser.sized(k) for k in realiser.bindings}
        pending = [realiser.sized(sp.sympify(o)) for o in originals if o is not None]
        pending += [realiser.sized(v) for v in realiser.bindings.values()]
        for item in pending:
            matrices |= {m for m in item.atoms(sp.MatrixSymbol) if m not in bound}
            labels = {base.label for base in item.atoms(sp.IndexedBase)}
            scalars |= {s for s in item.free_symbols if isinstance(s, sp.Symbol)} - labels
            scalars |= random_parameters(item)
        for item in realised:
            if isinstance(item, sp.Basic):
                entries = item.atoms(sp.Indexed)
                scalars |= {e for e in entries if all(k.is_Integer for k in e.indices)}
        dims = {d for m in matrices for d in m.shape if isinstance(d, sp.Symbol)}
        return sorted(scalars - dims - bound, key=str), sorted(matrices, key=str)

    def _point(
        self,
        rng: np.random.Generator,
        realiser: Realiser,
        originals: Sequence[Any],
        realised: Sequence[Any] = (),
        variables: tuple[list[Any], list[Any]] | None = None,
    ) -> tuple[dict[str, str], dict[Any, Any]]:
        """A sample point for every free variable of ``originals`` (see ``_variables``; pass
        them in when drawing many points), and its entry substitution."""
        scalars, matrices = variables or self._variables(realiser, originals, realised)
        shown: dict[str, str] = {}
        subs: dict[Any, Any] = {}
        for symbol in scalars:
            value = scalar_value(rng, self._domain(symbol))
            subs[symbol] = value
            shown[str(symbol)] = str(value)
        for m in matrices:
            rows, cols = int(m.shape[0]), int(m.shape[1])
            value = matrix_value(rng, rows, cols, self._domain(m))
            for i in range(rows):
                for j in range(cols):
                    subs[entry_symbol(m.name, i, j, cols)] = value[i, j]
            shown[m.name] = str(value.tolist())
        return shown, subs

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
        if _shape(left) != _shape(right):
            shapes = f"{_describe_shape(_shape(left))} vs {_describe_shape(_shape(right))}"
            return Outcome("refuted", f"shapes differ: {shapes}")
        rng = np.random.default_rng(self.seed)
        used = 0
        for realiser, operands in _distinct_claims(self.realisers, realised):
            left, right = combine(*operands)
            pairs = list(zip(_flatten(left), _flatten(right), strict=True))
            variables = self._variables(realiser, originals, operands)
            for _ in range(self.points):
                point, subs = self._point(rng, realiser, originals, variables=variables)
                try:
                    values = [
                        (_number(a.xreplace(subs)), _number(b.xreplace(subs))) for a, b in pairs
                    ]
                except (_Undefined, TypeError, ZeroDivisionError):
                    continue
                try:
                    values = [
                        _confirmed(a, b, pair, subs)
                        for (a, b), pair in zip(values, pairs, strict=True)
                    ]
                except (_Undefined, TypeError, ZeroDivisionError):
                    continue
                used += 1
                for a, b in values:
                    scale = 1 + abs(a) + abs(b)
                    if abs(a - b) > TOLERANCE * scale:
                        shown = f"{sp.N(a, 10)} vs {sp.N(b, 10)}"
                        return Outcome("refuted", f"differ at a sample point: {shown}", point)
        left, right = combine(*first)
        if all(
            is_zero(a - b, self.budget)
            for a, b in zip(_flatten(left), _flatten(right), strict=True)
        ):
            return Outcome("proven", "proven symbolically" + self._sized_note())
        return self._numeric_or_unknown(used, "agree")

    def _numeric_or_unknown(self, used: int, what: str) -> Outcome:
        needed = max(3, self.points // 2)
        if used < needed:
            return Outcome("unknown", f"only {used} sample points were defined (need {needed})")
        return Outcome("numeric", f"{what} at {used} exact sample points; no symbolic proof found")
