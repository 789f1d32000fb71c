"""Helpers for probability derivations: named random expressions, sample means of data of
symbolic length n, expectations over IID samples, and explicit instances for numeric twins.

>>> import sympy as sp
>>> from sympy import stats
>>> D, S = stats.Bernoulli("D", sp.Rational(1, 2)), stats.Bernoulli("S", sp.Rational(1, 3))
>>> T = Named(D * S, sp.Symbol("T"))
>>> print(stats.Probability(sp.Eq(D, 1), sp.Eq(T, 1)), stats.P(sp.Eq(D, 1), sp.Eq(T, 1)))
Probability(Eq(D, 1), Eq(T, 1)) 1
>>> n = sp.Symbol("n", integer=True, positive=True)
>>> x = sp.IndexedBase("x", real=True)
>>> sp.latex(SampleMean(x, n))
'\\\\bar{x}'
>>> SampleMean(x, n).subs(n, 3).doit()
x[1]/3 + x[2]/3 + x[3]/3
>>> mu, sigma = sp.Symbol("mu", real=True), sp.Symbol("sigma", positive=True)
>>> X = sp.IndexedBase("X", real=True)
>>> square = IIDExpectation(SampleMean(X, n) ** 2, X, n, normal(mu, sigma))
>>> sp.expand(square.subs(n, 4).doit())
mu**2 + sigma**2/4

``IIDExpectation`` stays unevaluated while n is a symbol; once n is a number (the verifier
confirms statements at n = 2, …, 6), it expands the statistic into a polynomial in
X₁, …, Xₙ and takes the expectation term by term: independence turns the expectation of a
product into the product of expectations, and each moment E[Xᵏ] comes from sympy.stats.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

import sympy as sp
from sympy import stats
from sympy.stats.rv import is_random

from derive.numeric.sums import write_out_sums

INDEX = sp.Symbol("i", integer=True, positive=True)
_INNER = sp.Symbol("j", integer=True, positive=True)
SIZES = (2, 3, 4, 5, 6)


def sizes(n: sp.Symbol) -> tuple[dict[Any, int], ...]:
    """Symbolic n first (for proofs), then the explicit sizes the screen confirms at."""
    return ({}, *({n: k} for k in SIZES))


def total(body: Any, n: Any, index: sp.Symbol = INDEX) -> sp.Sum:
    """Σᵢ₌₁ⁿ body."""
    return sp.Sum(body, (index, 1, n))


class Named(sp.Function):
    """A random expression shown by a name (T for D·S + (1 − D)·F); sympy.stats sees through it.

    Once its value no longer depends on chance (sympy.stats substitutes outcomes), it is
    just that value.
    """

    nargs = 2

    @classmethod
    def eval(cls, expr: Any, name: Any) -> Any:
        """The expression itself once it is not random."""
        if not is_random(expr):
            return expr
        return None

    @property
    def free_symbols(self) -> set[Any]:
        """Those of the expression: the name is only a label."""
        return set(self.args[0].free_symbols)

    def _latex(self, printer: Any, exp: Any = None) -> str:
        name = str(printer._print(self.args[1]))
        return name if exp is None else f"{name}^{{{exp}}}"

    def _pretty(self, printer: Any) -> Any:
        return printer._print(self.args[1])

    def _sympystr(self, printer: Any) -> str:
        return str(printer._print(self.args[1]))


class SampleMean(sp.Function):
    """x̄ = (1/n) Σᵢ xᵢ of data (an IndexedBase) of length n."""

    nargs = 2

    def doit(self, **hints: Any) -> Any:
        """The sum itself, (1/n) Σⱼ xⱼ."""
        base, n = self.args
        return (sp.Sum(base[_INNER], (_INNER, 1, n)) / n).doit(**hints)

    def _eval_is_real(self) -> bool:
        return True

    def _latex(self, printer: Any, exp: Any = None) -> str:
        bar = rf"\bar{{{printer._print(self.args[0])}}}"
        return bar if exp is None else f"{bar}^{{{exp}}}"

    def _pretty(self, printer: Any) -> Any:
        return printer._print(sp.Symbol(f"{self.args[0]}\u0304"))

    def _sympystr(self, printer: Any) -> str:
        return f"mean({printer._print(self.args[0])})"


def _template(distribution: Any) -> Any:
    """A random symbol with this distribution."""
    from sympy.stats.crv import SingleContinuousDistribution, SingleContinuousPSpace
    from sympy.stats.drv import SingleDiscreteDistribution, SingleDiscretePSpace
    from sympy.stats.frv import SingleFiniteDistribution, SingleFinitePSpace

    name = sp.Symbol("Y")
    if isinstance(distribution, SingleContinuousDistribution):
        return SingleContinuousPSpace(name, distribution).value
    if isinstance(distribution, SingleDiscreteDistribution):
        return SingleDiscretePSpace(name, distribution).value
    if isinstance(distribution, SingleFiniteDistribution):
        return SingleFinitePSpace(name, distribution).value
    raise NotImplementedError(f"no random symbol for {distribution}")


def normal(mu: Any, sigma: Any) -> Any:
    """The distribution N(μ, σ²), as a SymPy object."""
    from sympy.stats.crv_types import NormalDistribution

    return NormalDistribution(mu, sigma)


@functools.cache
def _stats_moment(distribution: Any, function: Any) -> Any:
    return sp.expand(stats.E(function.xreplace({_Y: _template(distribution)})))


def _moment(template: Any, moments: dict[Any, Any], function: Any) -> Any:
    """E[function(Y)] by sympy.stats, cached."""
    if function not in moments:
        moments[function] = _stats_moment(template.pspace.distribution, function)
    return moments[function]


_Y = sp.Symbol("Y")


class IIDExpectation(sp.Function):
    """E[statistic] over an IID sample X₁, …, Xₙ from ``distribution``.

    With a number n the statistic is written out as a polynomial in X₁, …, Xₙ; with a symbol n
    it may be a polynomial of degree at most 2 in sums Σᵢ f(Xᵢ) (or in single draws X₁, X₂…):
    E[Σf] = nE[f], E[Σf·Σg] = nE[fg] + n(n − 1)E[f]E[g]. Both ways, independence turns
    expectations of products of different draws into products of expectations, and every
    moment comes from sympy.stats.
    """

    nargs = 4

    def doit(self, **hints: Any) -> Any:
        """The expectation (left unevaluated if the statistic is not of a supported form)."""
        statistic, base, n, distribution = self.args
        template = _template(distribution)
        moments: dict[Any, Any] = {}
        try:
            if n.is_Integer:
                return _explicit_expectation(statistic, base, int(n), template, moments)
            return _symbolic_expectation(statistic, base, n, template, moments)
        except NotImplementedError:
            return self

    def _latex(self, printer: Any, exp: Any = None) -> str:
        mean = rf"\operatorname{{E}}\left[{printer._print(self.args[0])}\right]"
        return mean if exp is None else f"{mean}^{{{exp}}}"

    def _pretty(self, printer: Any) -> Any:
        return printer._print(sp.Function("E")(self.args[0]))

    def _sympystr(self, printer: Any) -> str:
        return f"E[{printer._print(self.args[0])}]"


def _explicit_expectation(
    statistic: Any, base: Any, size: int, template: Any, moments: dict[Any, Any]
) -> Any:
    expanded = sp.expand(statistic.doit())
    entries = [base[k] for k in range(1, size + 1)]
    stray = {e for e in expanded.atoms(sp.Indexed) if e.base == base} - set(entries)
    if stray:
        raise NotImplementedError(f"entries {stray} outside 1..{size}")
    out = sp.Integer(0)
    for powers, coefficient in sp.Poly(expanded, *entries).terms():
        term = coefficient
        for power in powers:
            term *= _moment(template, moments, _Y**power)
        out += term
    return sp.expand(out)


def _symbolic_expectation(
    statistic: Any, base: Any, n: Any, template: Any, moments: dict[Any, Any]
) -> Any:
    from derive.numeric.sums import linear_sums

    expanded = sp.expand(linear_sums(sp.expand(statistic.doit())))
    sums: dict[Any, Any] = {}  # Σ f(X_k) -> f(Y)
    for total_ in expanded.atoms(sp.Sum):
        (index, low, high), body = total_.limits[0], total_.function
        entry = base[index]
        single = body.xreplace({entry: _Y})
        if len(total_.limits) != 1 or low != 1 or high != n or single.has(index, base):
            raise NotImplementedError(f"not a sum over the sample: {total_}")
        sums[total_] = single
    draws = {e: e for e in expanded.atoms(sp.Indexed) if e.base == base and e.indices[0].is_Integer}
    if expanded.has(base) and not sums and not draws:
        raise NotImplementedError("the sample appears outside sums and single draws")
    generators = [*sums, *draws]
    if not generators:
        return expanded
    out = sp.Integer(0)
    for powers, coefficient in sp.Poly(expanded, *generators).terms():
        sum_powers = powers[: len(sums)]
        draw_powers = powers[len(sums) :]
        if any(draw_powers) and any(sum_powers):
            raise NotImplementedError("products of sums and single draws")
        term = coefficient
        for power in draw_powers:
            term *= _moment(template, moments, _Y**power)
        factors = [f for f, p in zip(sums.values(), sum_powers, strict=True) for _ in range(p)]
        if len(factors) == 1:
            term *= n * _moment(template, moments, factors[0])
        elif len(factors) == 2:
            first, second = factors
            term *= n * _moment(template, moments, first * second) + n * (n - 1) * _moment(
                template, moments, first
            ) * _moment(template, moments, second)
        elif len(factors) > 2:
            raise NotImplementedError("products of more than two sums")
        out += term
    return sp.expand(out)


def squared_deviations(x: Any) -> Any:
    """Σ(xᵢ − x̄)² over the last axis (NumPy), for domain masks of twins that divide by a spread."""
    import numpy as np

    return np.sum((x - np.mean(x, axis=-1, keepdims=True)) ** 2, axis=-1)


def representable(value: Any) -> Any:
    """Whether a positive spread is a normal double: zero, underflowed or overflowed spreads
    make the twin NaN (dividing by them would give inf or 0/0)."""
    import numpy as np

    return (value > np.finfo(float).tiny) & np.isfinite(value)


def entry_symbols(base: sp.IndexedBase, size: int) -> sp.ImmutableMatrix:
    """The column [x_1, …, x_size] of plain real symbols standing for x[1], …, x[size]."""
    return sp.ImmutableMatrix(
        [sp.Symbol(f"{base.label}_{k}", real=True) for k in range(1, size + 1)]
    )


def at_size(expr: Any, n: Any, size: int, bases: Sequence[sp.IndexedBase]) -> Any:
    """``expr`` with n = size, sums written out and entries x[k] as the plain symbols x_k."""
    explicit = expr.xreplace({n: size}).replace(
        lambda e: isinstance(e, SampleMean),
        lambda e: sp.Sum(e.args[0][_INNER], (_INNER, 1, e.args[1])) / e.args[1],
    )
    explicit = write_out_sums(explicit)
    swap = {}
    for base in bases:
        for k, symbol in enumerate(entry_symbols(base, size), 1):
            swap[base[k]] = symbol
    return explicit.xreplace(swap)
