"""sympy.stats queries inside expressions: evaluated by sympy.stats, with their hidden parameters.

>>> import sympy as sp
>>> from sympy import stats
>>> p = sp.Symbol("p", positive=True)
>>> X = stats.Bernoulli("X", p)
>>> sp.factor(evaluate_random(stats.Variance(X)))
-p*(p - 1)
>>> sorted(map(str, random_parameters(stats.Variance(X))))
['p']

``Variance``, ``Covariance`` and ``Probability`` stay unevaluated under ``doit()`` in SymPy, and
a random symbol hides its distribution's parameters from ``free_symbols`` (``Variance(X)`` has
only ``X``). The verifier needs both: the value, to compare it, and the parameters, to sample
them. Expectations of random symbols without a distribution are expanded by linearity
(``E[aX + b] = aE[X] + b``, and an inner ``E[X]`` is a constant), which is all SymPy can do
with them.
"""

from __future__ import annotations

from typing import Any

import sympy as sp


def _queries() -> tuple[type, ...]:
    from sympy.stats.symbolic_probability import Covariance, Expectation, Probability, Variance

    return (Expectation, Variance, Covariance, Probability)


def evaluate_random(expr: Any) -> Any:
    """``expr`` with every expectation, variance, covariance and probability evaluated."""
    expectation, variance, covariance, probability = _queries()
    if not isinstance(expr, sp.Basic) or not expr.has(*_queries()):
        return expr
    expr = expr.replace(
        lambda e: isinstance(e, (variance, covariance)), lambda e: e.rewrite(expectation)
    )
    # Linearity first: SymPy's doit() drops the E of E[X·E[X]].
    expr = expr.replace(lambda e: isinstance(e, expectation), _linear)
    return expr.replace(lambda e: isinstance(e, (expectation, probability)), _evaluated)


def _evaluated(query: Any) -> Any:
    """The query's value, or NaN where sympy.stats cannot evaluate it (e.g. a binomial with a
    symbolic number of trials): no value, so no proof, and the numeric screen skips it."""
    try:
        return query.doit()
    except NotImplementedError:
        return sp.nan


def _linear(expectation: Any) -> Any:
    """E[...] expanded by linearity, inner expectations (constants) taken out."""
    inner = {q: sp.Dummy() for q in expectation.args[0].atoms(type(expectation))}
    constant = {v: k for k, v in inner.items()}
    plain = type(expectation)(expectation.args[0].xreplace(inner), *expectation.args[1:])
    return plain.expand().xreplace(constant)


def random_parameters(expr: Any) -> set[sp.Symbol]:
    """The parameters of the distributions behind the random symbols in ``expr``."""
    from sympy.stats.rv import PSpace, RandomSymbol

    if not isinstance(expr, sp.Basic):
        return set()
    out: set[sp.Symbol] = set()
    for rv in expr.atoms(RandomSymbol):
        space = rv.pspace
        if type(space) is PSpace:  # a random symbol without a distribution
            continue
        names = {r.symbol for r in space.atoms(RandomSymbol)} | {rv.symbol}
        names |= {getattr(v, "symbol", v) for v in space.values}
        out |= {s for s in space.free_symbols if isinstance(s, sp.Symbol)} - names
    return out
