"""The equivalence engine on sympy.stats queries and on sums over data of symbolic length."""

from __future__ import annotations

import sympy as sp
from sympy import stats

from derive.core.model import Domain
from derive.numeric.realise import Realiser
from derive.numeric.sums import linear_sums
from derive.reasoning.equivalence import Context

p = sp.Symbol("p", positive=True)
mu = sp.Symbol("mu", real=True)
sigma = sp.Symbol("sigma", positive=True)
a, b, c = sp.symbols("a b c", real=True)
n = sp.Symbol("n", integer=True, positive=True)
i, j = sp.symbols("i j", integer=True)
x = sp.IndexedBase("x", real=True)
w = sp.IndexedBase("w", positive=True)


def test_stats_queries_are_evaluated_and_their_parameters_sampled() -> None:
    X = stats.Bernoulli("X", p)
    ctx = Context(domains={p: Domain.PROBABILITY})
    assert ctx.equal(stats.Variance(X), p * (1 - p)).status == "proven"
    wrong = ctx.equal(stats.Variance(X), p)
    assert wrong.status == "refuted"
    assert set(wrong.counterexample or {}) == {"p"}


def test_variance_of_an_affine_map() -> None:
    N = stats.Normal("N", mu, sigma)
    ctx = Context()
    assert ctx.equal(stats.Variance(a * N + b), a**2 * sigma**2).status == "proven"
    assert ctx.equal(stats.Variance(a * N + b), a * sigma**2).status == "refuted"


def test_conditional_probability_from_a_finite_joint_distribution() -> None:
    q = sp.Symbol("q", positive=True)
    W = stats.FiniteRV("W", {0: p * q, 1: p * (1 - q), 2: (1 - p) * q, 3: (1 - p) * (1 - q)})
    first = sp.Or(sp.Eq(W, 0), sp.Eq(W, 1))
    second = sp.Or(sp.Eq(W, 0), sp.Eq(W, 2))
    ctx = Context(domains={p: Domain.PROBABILITY, q: Domain.PROBABILITY})
    assert ctx.equal(stats.Probability(first, second), p).status == "proven"
    assert ctx.equal(stats.Probability(first, second), q).status == "refuted"


def test_abstract_expectations_are_linear() -> None:
    X = stats.rv.RandomSymbol(sp.Symbol("X"))
    ctx = Context()
    claim = ctx.equal(stats.Variance(a * X + b), a**2 * stats.Variance(X))
    assert claim.status == "proven"


def test_linear_sums_normalises_dummies_and_factors() -> None:
    mean = sp.Sum(x[j], (j, 1, n)) / n
    spread = sp.Sum((x[i] - mean) ** 2, (i, 1, n))
    shortcut = sp.Sum(x[i] ** 2, (i, 1, n)) - n * mean**2
    assert sp.expand(linear_sums(spread - shortcut)) == 0
    assert linear_sums(sp.Sum(c, (i, 1, n))) == c * n


def test_linear_sums_does_not_capture_an_inner_index() -> None:
    inner = sp.Sum(sp.exp(x[i] * x[j]), (j, 1, n))
    total = linear_sums(sp.Sum(inner, (i, 1, n)))
    assert total.subs(n, 2).doit() == sp.Sum(inner, (i, 1, n)).subs(n, 2).doit()


def test_sums_are_proven_with_symbolic_n_and_refuted_at_explicit_n() -> None:
    realisers = (Realiser(), *(Realiser(sizes={n: k}) for k in (2, 3, 4)))
    ctx = Context(realisers=realisers, domains={n: Domain.COUNT, x: Domain.REAL})
    mean = sp.Sum(x[j], (j, 1, n)) / n
    assert ctx.equal(sp.Sum(x[i] - mean, (i, 1, n)), 0).status == "proven"
    wrong = ctx.equal(sp.Sum((x[i] - mean) ** 2, (i, 1, n)), sp.Sum(x[i] ** 2, (i, 1, n)))
    assert wrong.status == "refuted"
    assert any(name.startswith("x[") for name in wrong.counterexample or {})


def test_data_entries_take_the_domain_of_their_base() -> None:
    realisers = (Realiser(sizes={n: 3}),)
    ctx = Context(realisers=realisers, domains={w: Domain.POSITIVE})
    total = sp.Sum(w[i], (i, 1, n))
    assert ctx.nonnegative(total).passed
    assert ctx.nonnegative(-total).status == "refuted"


def test_latex_shows_the_condition_of_a_probability_and_an_expectation() -> None:
    from derive.render.tex import tex

    X = stats.Die("X", 6)
    assert tex(stats.Probability(sp.Eq(X, 6), X > 3)) == (
        r"\operatorname{P}\left(X = 6 \mid X > 3\right)"
    )
    assert tex(stats.Expectation(X, X > 3)) == r"\operatorname{E}\left[X \mid X > 3\right]"
    assert tex(stats.Probability(X > 3)) == r"\operatorname{P}\left(X > 3\right)"


def test_a_scalar_residual_vanishes_or_is_refuted() -> None:
    ctx = Context()
    assert ctx.vanishes((a + b) ** 2 - a**2 - 2 * a * b - b**2).status == "proven"
    assert ctx.vanishes(a * b).status == "refuted"


def test_an_inner_expectation_is_a_constant() -> None:
    X = stats.rv.RandomSymbol(sp.Symbol("X"))
    E = stats.Expectation
    ctx = Context()
    assert ctx.equal(stats.Variance(X), E(X**2) - E(X) ** 2).status == "proven"
    assert ctx.equal(E(X * E(X)), E(X) ** 2).status == "proven"


def test_twins_can_use_special_functions() -> None:
    import numpy as np
    from scipy import special

    from derive.core.model import Formula
    from derive.numeric.twin import Arg, Reference, Twin

    k = sp.Symbol("k", real=True)
    twin = Twin(
        name="special",
        formula=Formula(sp.Symbol("f"), sp.erf(k) + sp.binomial(5, k)),
        args=(Arg("k", k),),
        reference=Reference("scipy", lambda k: special.erf(k) + special.binom(5, k)),
        sample=lambda rng, size: {"k": rng.integers(0, 6, size=size).astype(float)},
    )
    values = np.array([0.0, 1.0, 2.5])
    np.testing.assert_allclose(twin(k=values), twin.reference(k=values), rtol=1e-12)


def test_a_query_sympy_stats_cannot_evaluate_is_confirmed_at_explicit_sizes() -> None:
    # sympy.stats refuses probabilities of a binomial with a symbolic number of trials.
    X = stats.Binomial("X", n, p)
    k = sp.Symbol("k", integer=True, positive=True)
    realisers = (Realiser(), *(Realiser(sizes={n: size}) for size in (2, 3, 4)))
    domains = {n: Domain.COUNT, k: Domain.COUNT, p: Domain.PROBABILITY}
    ctx = Context(realisers=realisers, domains=domains)
    pmf = sp.binomial(n, k) * p**k * (1 - p) ** (n - k)
    assert ctx.equal(stats.Probability(sp.Eq(X, k)), pmf).status == "numeric"
    assert ctx.equal(stats.Probability(sp.Eq(X, k)), p**k * (1 - p) ** (n - k)).status == (
        "refuted"
    )
