"""The probability-and-statistics catalog: its references are independent of the derivations
and tight enough to catch a wrong formula; properties of the results; the NaN policy."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from fractions import Fraction
from typing import Any

import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from derive.catalog import get, ids
from derive.catalog.probability_statistics.helpers import at_size
from derive.core.model import Formula, Topic
from derive.numeric.probability import evaluate_random
from derive.numeric.twin import Twin

IDS = ids(Topic.PROBABILITY_STATISTICS)
TWINS = [(i, t.name) for i in IDS for t in get(i).twins]


def twin(identifier: str, name: str) -> Twin:
    return next(t for t in get(identifier).twins if t.name == name)


def with_rhs(original: Twin, rhs: Any) -> Twin:
    """The same twin (inputs, reference, tolerance) computing another formula."""
    return dataclasses.replace(original, formula=Formula(original.formula.lhs, rhs))


def agrees(candidate: Twin, seed: int = 2024, size: int = 64) -> bool:
    """Whether a twin matches its reference on seeded inputs, at the twin's own tolerance."""
    inputs = candidate.sample(np.random.default_rng(seed), size)
    got, want = candidate(**inputs), candidate.reference(**inputs)
    return got.shape == want.shape and bool(
        np.allclose(got, want, rtol=candidate.rtol, atol=candidate.atol)
    )


# -- the catalog is complete ---------------------------------------------------------------


def test_all_thirteen_ids_of_the_table_are_registered_in_order() -> None:
    assert IDS == (
        "mean-least-squares",
        "median-least-absolute",
        "variance-shortcut",
        "bessel-correction",
        "standardization",
        "probability-rules",
        "bayes-theorem",
        "expectation-linearity",
        "bernoulli",
        "binomial",
        "normal-distribution",
        "covariance-correlation",
        "hypothesis-tests",
    )


# -- references are independent ------------------------------------------------------------


@pytest.mark.parametrize(("identifier", "name"), TWINS)
def test_reference_runs_without_the_derivation(
    identifier: str, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With every twin and lambdify disabled, the reference still computes: it does not
    evaluate the derived formula."""
    original = twin(identifier, name)
    inputs = original.sample(np.random.default_rng(5), 8)
    expected = original(**inputs)

    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("the reference used the derivation")

    monkeypatch.setattr(Twin, "__call__", forbidden)
    monkeypatch.setattr(sp, "lambdify", forbidden)
    got = original.reference(**inputs)
    assert np.asarray(got).shape == np.asarray(expected).shape


# -- references are tight ------------------------------------------------------------------


def scaled(rhs: Any, factor: sp.Rational) -> Any:
    if isinstance(rhs, (sp.Tuple, tuple)):
        return sp.Tuple(*(e * factor for e in rhs))
    return rhs * factor


@pytest.mark.parametrize(("identifier", "name"), TWINS)
def test_a_result_one_percent_off_is_caught(identifier: str, name: str) -> None:
    original = twin(identifier, name)
    assert agrees(original)
    assert not agrees(with_rhs(original, scaled(original.formula.rhs, sp.Rational(101, 100))))


def explicit(rhs: Any, original: Twin) -> Any:
    """A mistake's formula in the twin's terms: sympy.stats evaluated, sums written out at the
    twin's data length."""
    rhs = sp.sympify(evaluate_random(rhs)).doit()
    bases = sorted(rhs.atoms(sp.IndexedBase), key=str)
    if bases:
        n = next(s for s in rhs.free_symbols if s.name == "n")
        length = next(a.shape[0] for a in original.args if a.shape)
        rhs = at_size(rhs, n, length, bases)
    return rhs


def mistake_twins() -> Iterator[tuple[str, str, str]]:
    """(id, twin, mistake) where the mistake is about the twin's quantity and in its inputs."""
    for identifier in IDS:
        d = get(identifier)
        for t in d.twins:
            for m in d.mistakes:
                if m.lhs not in (t.formula.lhs, t.formula.rhs):
                    continue
                try:
                    rhs = explicit(m.rhs, t)
                except StopIteration:
                    continue
                inputs = {s for a in t.args for s in sp.sympify(a.value).free_symbols}
                if sp.sympify(rhs).free_symbols <= inputs:
                    yield identifier, t.name, m.name


MISTAKE_TWINS = list(mistake_twins())


def test_many_mistakes_are_checked_against_references() -> None:
    assert len(MISTAKE_TWINS) >= 20
    assert {i for i, _, _ in MISTAKE_TWINS} >= {
        "bayes-theorem",
        "bessel-correction",
        "binomial",
        "bernoulli",
        "expectation-linearity",
        "normal-distribution",
        "hypothesis-tests",
        "standardization",
        "covariance-correlation",
    }


@pytest.mark.parametrize(("identifier", "name", "mistake"), MISTAKE_TWINS)
def test_a_twin_built_from_a_recorded_mistake_disagrees(
    identifier: str, name: str, mistake: str
) -> None:
    original = twin(identifier, name)
    wrong = next(m for m in get(identifier).mistakes if m.name == mistake)
    assert not agrees(with_rhs(original, explicit(wrong.rhs, original)))


def data_symbols(original: Twin, name: str) -> list[sp.Symbol]:
    return list(next(a.value for a in original.args if a.name == name))


def test_dividing_by_n_minus_1_is_not_the_mean() -> None:
    mean = twin("mean-least-squares", "mean")
    x = data_symbols(mean, "x")
    assert not agrees(with_rhs(mean, sp.Add(*x) / (len(x) - 1)))


def test_the_mean_is_not_the_median() -> None:
    median = twin("median-least-absolute", "median (n = 5)")
    x = data_symbols(median, "x")
    assert not agrees(with_rhs(median, sp.Add(*x) / len(x)))


def test_np_var_distinguishes_n_from_n_minus_1() -> None:
    sample = twin("variance-shortcut", "sample variance")
    population = twin("variance-shortcut", "population variance")
    assert not agrees(with_rhs(sample, population.formula.rhs))
    assert not agrees(with_rhs(population, sample.formula.rhs))


@pytest.mark.parametrize("n", [2, 3, 4, 5, 6])
def test_enumeration_distinguishes_n_from_n_minus_1_at_every_small_n(n: int) -> None:
    biased = twin("bessel-correction", "expected variance dividing by n")
    sigma = np.array(1.3)
    size = np.array(float(n))
    dividing_by_n = biased.reference(n=size[None], sigma=sigma[None])[0]
    np.testing.assert_allclose(dividing_by_n, (n - 1) / n * 1.3**2, rtol=1e-12)
    assert abs(dividing_by_n - 1.3**2) > 1.3**2 / (2 * n)


def test_t_without_root_n_and_one_sided_p_values_are_caught() -> None:
    t = twin("hypothesis-tests", "t statistic (n = 5)")
    p = twin("hypothesis-tests", "t-test p-value (n = 5)")
    assert not agrees(with_rhs(t, t.formula.rhs / sp.sqrt(5)))
    assert not agrees(with_rhs(p, p.formula.rhs / 2))


def test_correlation_is_not_the_regression_slope() -> None:
    r = twin("covariance-correlation", "sample correlation")
    cov = twin("covariance-correlation", "sample covariance").formula.rhs
    x = data_symbols(r, "x")
    mean = sp.Add(*x) / len(x)
    variance = sp.Add(*((v - mean) ** 2 for v in x)) / (len(x) - 1)
    assert not agrees(with_rhs(r, cov / variance))


# -- exact facts ----------------------------------------------------------------------------


def test_bayes_gives_exactly_one_sixth() -> None:
    d = get("bayes-theorem")
    assert d.results[2].rhs == sp.Rational(1, 6)
    check = dict(d.checks)["a population of 10,000 counted with integers gives the derived 1/6"]
    passed, detail = check(np.random.default_rng(0))
    assert passed, detail
    assert "99 true and 495 false positives" in detail


def test_bessel_result_is_n_minus_1_sigma_squared() -> None:
    d = get("bessel-correction")
    n = sp.Symbol("n", integer=True, positive=True)
    sigma = sp.Symbol("sigma", positive=True)
    assert sp.expand(d.result.rhs - (n - 1) * sigma**2) == 0


def test_sixty_eight_ninety_five_ninety_nine_point_seven() -> None:
    within = twin("normal-distribution", "within k standard deviations")
    values = within(k=np.array([1.0, 2.0, 3.0]))
    np.testing.assert_allclose(values, [0.682689492, 0.954499736, 0.997300204], atol=1e-9)


# -- properties (Hypothesis, derandomised) --------------------------------------------------

unit = st.floats(0.01, 0.99)


@given(n=st.integers(1, 60), p=st.floats(0.0, 1.0))
def test_binomial_pmf_sums_to_one(n: int, p: float) -> None:
    pmf = twin("binomial", "pmf")
    k = np.arange(n + 1, dtype=float)
    total = pmf(k=k, n=np.full_like(k, n), p=np.full_like(k, p)).sum()
    assert total == pytest.approx(1.0, abs=1e-9)


@given(
    a=st.floats(-10, 10),
    b=st.floats(-10, 10),
    k=st.floats(0.1, 10),
    theta=st.floats(0.1, 10),
)
def test_mean_and_variance_of_an_affine_map(a: float, b: float, k: float, theta: float) -> None:
    mean = twin("expectation-linearity", "E[aG + b]")
    variance = twin("expectation-linearity", "Var(aG + b)")
    base = {"k": np.array(k), "theta": np.array(theta)}
    plain_mean = mean(a=np.array(1.0), b=np.array(0.0), **base)
    plain_variance = variance(a=np.array(1.0), b=np.array(0.0), **base)
    assert mean(a=np.array(a), b=np.array(b), **base) == pytest.approx(
        a * plain_mean + b, rel=1e-12, abs=1e-12
    )
    assert variance(a=np.array(a), b=np.array(b), **base) == pytest.approx(
        a**2 * plain_variance, rel=1e-12, abs=1e-12
    )


data = hnp.arrays(np.float64, 6, elements=st.floats(-1e3, 1e3, allow_subnormal=False))


@given(x=data, y=data)
def test_correlation_lies_in_minus_one_to_one(x: np.ndarray, y: np.ndarray) -> None:
    r = twin("covariance-correlation", "sample correlation")(x=x, y=y)
    assert np.isnan(r) or -1 - 1e-9 <= r <= 1 + 1e-9


@given(x=data)
def test_z_scores_have_mean_zero_and_unit_mean_square(x: np.ndarray) -> None:
    z = twin("standardization", "z-scores")(x=x)
    if np.ptp(x) < 1e-6 * (1 + np.abs(x).max()):
        return  # (nearly) constant data: NaN or ill-conditioned
    assert z.mean() == pytest.approx(0.0, abs=1e-9)
    assert (z**2).mean() == pytest.approx(1.0, rel=1e-9)


@given(x=data, shift=st.floats(-100, 100))
def test_median_is_permutation_invariant_and_shift_equivariant(x: np.ndarray, shift: float) -> None:
    median = twin("median-least-absolute", "median (n = 6)")
    value = median(x=x)
    if np.isnan(value):
        assert len(np.unique(x)) < len(x)  # NaN only for ties
        return
    assert median(x=x[::-1]) == value
    assert x.min() <= value <= x.max()
    moved = x + shift
    if len(np.unique(moved)) == len(moved):  # rounding can merge two values into a tie
        assert median(x=moved) == pytest.approx(value + shift, rel=1e-9, abs=1e-9)


@given(p=unit, s=unit, f=unit)
def test_posterior_is_a_probability_that_moves_with_the_evidence(
    p: float, s: float, f: float
) -> None:
    posterior = twin("bayes-theorem", "posterior")
    value = float(posterior(p=np.array(p), s=np.array(s), f=np.array(f)))
    assert 0 < value < 1
    if s > f:
        assert value >= p - 1e-12  # a positive result from an informative test raises belief
    same = float(posterior(p=np.array(p), s=np.array(s), f=np.array(s)))
    assert same == pytest.approx(p, rel=1e-12)


@given(k=st.integers(1, 40), m=st.integers(1, 40))
def test_mle_is_the_observed_fraction(k: int, m: int) -> None:
    mle = twin("bernoulli", "maximum-likelihood estimate")
    assert float(mle(k=np.array(k), m=np.array(m))) == pytest.approx(
        float(Fraction(k, k + m)), rel=1e-14
    )


# -- the NaN policy -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("identifier", "name", "inputs"),
    [
        ("bayes-theorem", "posterior", {"p": 1.5, "s": 0.9, "f": 0.1}),
        ("bayes-theorem", "posterior", {"p": 0.1, "s": -0.2, "f": 0.1}),
        ("bayes-theorem", "evidence", {"p": 0.1, "s": 0.9, "f": 1.0}),
        ("bernoulli", "variance", {"p": -0.1}),
        ("bernoulli", "variance", {"p": 1.1}),
        ("bernoulli", "variance of the proportion", {"p": 2.0, "n": 10.0}),
        ("binomial", "pmf", {"k": 3.0, "n": 10.0, "p": 1.2}),
        ("binomial", "pmf", {"k": 11.0, "n": 10.0, "p": 0.5}),
        ("binomial", "variance", {"n": 10.0, "p": -0.5}),
        ("bessel-correction", "expected variance dividing by n − 1", {"n": 1.0, "sigma": 2.0}),
        ("bessel-correction", "expected variance dividing by n", {"n": 2.5, "sigma": 2.0}),
        ("bessel-correction", "expected variance dividing by n", {"n": 3.0, "sigma": -1.0}),
        ("normal-distribution", "pdf", {"x": 0.5, "mu": 0.0, "sigma": 0.0}),
        ("normal-distribution", "pdf", {"x": 0.5, "mu": 0.0, "sigma": -2.0}),
        ("standardization", "standardised value", {"x": 1.0, "mu": 0.0, "sigma": 0.0}),
        ("expectation-linearity", "Var(aG + b)", {"a": 1.0, "b": 0.0, "k": -1.0, "theta": 1.0}),
        ("hypothesis-tests", "z-test p-value", {"c": -1.0}),
        ("normal-distribution", "within k standard deviations", {"k": -1.0}),
    ],
)
def test_inputs_outside_the_domain_give_nan(
    identifier: str, name: str, inputs: dict[str, float]
) -> None:
    value = twin(identifier, name)(**{k: np.array(v) for k, v in inputs.items()})
    assert np.isnan(value).all()


@pytest.mark.parametrize(
    ("identifier", "name", "extra"),
    [
        ("standardization", "z-scores", {}),
        ("covariance-correlation", "sample correlation", {"y": np.arange(6.0)}),
        ("hypothesis-tests", "t statistic (n = 5)", {"mu0": np.array(0.0)}),
    ],
)
def test_constant_data_give_nan_where_a_spread_divides(
    identifier: str, name: str, extra: dict[str, np.ndarray]
) -> None:
    original = twin(identifier, name)
    length = next(a.shape[0] for a in original.args if a.name == "x")
    value = original(x=np.full(length, 3.0), **extra)
    assert np.isnan(value).all()


def test_ties_give_nan_for_the_median_twin() -> None:
    median = twin("median-least-absolute", "median (n = 5)")
    assert np.isnan(median(x=np.array([1.0, 3.0, 3.0, 6.0, 7.0])))
    assert median(x=np.array([1.0, 3.0, 4.0, 6.0, 7.0])) == 4.0


def test_a_batch_mixes_valid_and_invalid_inputs() -> None:
    variance = twin("bernoulli", "variance")
    values = variance(p=np.array([0.5, 1.5, 0.1]))
    assert np.isnan(values[1])
    np.testing.assert_allclose(values[[0, 2]], [0.25, 0.09])


def test_the_hand_written_gamma_density_of_the_reference_is_scipys() -> None:
    from scipy import stats as sps

    from derive.catalog.probability_statistics.expectation_linearity import gamma_density

    v = np.linspace(0.01, 20, 400)
    for k, theta in ((0.5, 1.0), (2.3, 1.7), (5.0, 0.2)):
        np.testing.assert_allclose(
            gamma_density(v, k, theta), sps.gamma.pdf(v, k, scale=theta), rtol=1e-12
        )


def test_a_spread_that_underflows_gives_nan_not_inf() -> None:
    # Found by Hypothesis: the squared deviations of y (about 1e-453) underflow to 0.
    r = twin("covariance-correlation", "sample correlation")
    tiny = np.array([0.0, *[4.36684148e-227] * 5])
    assert np.isnan(r(x=np.array([0.0, 1, 1, 1, 1, 1]), y=tiny))
    z = twin("standardization", "z-scores")
    assert np.isnan(z(x=np.array([0.0, 1e-200, 2e-200, 3e-200, 4e-200, 5e-200]))).all()
