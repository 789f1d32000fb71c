"""The catalog: one explicit mapping from derivation id to its builder.

>>> get("inverse-2x2").title
'Inverse of a 2×2 matrix'
>>> ids(Topic.CALCULUS_OPTIMIZATION)[:1]
('partial-derivatives',)
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType

from derive.catalog.linear_algebra import (
    eigen_symmetric_2x2,
    eigenvalues_2x2,
    inverse_2x2,
    inverse_3x3_adjugate,
    linear_system_2x2,
    normal_equation,
)
from derive.catalog.probability_statistics import (
    bayes_theorem,
    bernoulli,
    bessel_correction,
    binomial,
    covariance_correlation,
    expectation_linearity,
    hypothesis_tests,
    mean_least_squares,
    median_least_absolute,
    normal_distribution,
    probability_rules,
    standardization,
    variance_shortcut,
)
from derive.model import Derivation, Topic

Builder = Callable[[], Derivation]

CATALOG: Mapping[str, tuple[Topic, Builder]] = MappingProxyType(
    {
        # linear-algebra
        "inverse-2x2": (Topic.LINEAR_ALGEBRA, inverse_2x2.build),
        "inverse-3x3-adjugate": (Topic.LINEAR_ALGEBRA, inverse_3x3_adjugate.build),
        "eigenvalues-2x2": (Topic.LINEAR_ALGEBRA, eigenvalues_2x2.build),
        "eigen-symmetric-2x2": (Topic.LINEAR_ALGEBRA, eigen_symmetric_2x2.build),
        "linear-system-2x2": (Topic.LINEAR_ALGEBRA, linear_system_2x2.build),
        "normal-equation": (Topic.LINEAR_ALGEBRA, normal_equation.build),
        # probability-statistics
        "mean-least-squares": (Topic.PROBABILITY_STATISTICS, mean_least_squares.build),
        "median-least-absolute": (Topic.PROBABILITY_STATISTICS, median_least_absolute.build),
        "variance-shortcut": (Topic.PROBABILITY_STATISTICS, variance_shortcut.build),
        "bessel-correction": (Topic.PROBABILITY_STATISTICS, bessel_correction.build),
        "standardization": (Topic.PROBABILITY_STATISTICS, standardization.build),
        "probability-rules": (Topic.PROBABILITY_STATISTICS, probability_rules.build),
        "bayes-theorem": (Topic.PROBABILITY_STATISTICS, bayes_theorem.build),
        "expectation-linearity": (Topic.PROBABILITY_STATISTICS, expectation_linearity.build),
        "bernoulli": (Topic.PROBABILITY_STATISTICS, bernoulli.build),
        "binomial": (Topic.PROBABILITY_STATISTICS, binomial.build),
        "normal-distribution": (Topic.PROBABILITY_STATISTICS, normal_distribution.build),
        "covariance-correlation": (Topic.PROBABILITY_STATISTICS, covariance_correlation.build),
        "hypothesis-tests": (Topic.PROBABILITY_STATISTICS, hypothesis_tests.build),
    }
)


class UnknownDerivation(KeyError):
    """An id that is not in the catalog; the message suggests the closest one."""

    def __str__(self) -> str:
        return str(self.args[0])


def suggest(identifier: str) -> str:
    """``; did you mean 'x'?`` for the closest id, or an empty string."""
    close = difflib.get_close_matches(identifier, list(CATALOG), n=1, cutoff=0.5)
    return f"; did you mean '{close[0]}'?" if close else ""


@functools.cache
def get(identifier: str) -> Derivation:
    """The derivation with this id (built once, then cached)."""
    if identifier not in CATALOG:
        raise UnknownDerivation(
            f"unknown derivation '{identifier}'{suggest(identifier)} "
            f"(`derive list` shows all {len(CATALOG)})"
        )
    derivation = CATALOG[identifier][1]()
    if derivation.id != identifier or derivation.topic != CATALOG[identifier][0]:
        raise RuntimeError(
            f"catalog entry {identifier!r} builds {derivation.id!r} in topic {derivation.topic!r}"
        )
    return derivation


def ids(topic: Topic | None = None) -> tuple[str, ...]:
    """Catalog ids in catalog order, optionally of one topic."""
    return tuple(i for i, (t, _) in CATALOG.items() if topic is None or t == topic)


def derivations(topic: Topic | None = None) -> Iterator[Derivation]:
    """Every derivation (of one topic), built on demand."""
    return (get(i) for i in ids(topic))
