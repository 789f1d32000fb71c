"""The catalog: one explicit mapping from derivation id to its builder.

>>> get("inverse-2x2").title
'Inverse of a 2×2 matrix'
>>> ids(Topic.CALCULUS_OPTIMIZATION)[:1]
('derivative-from-limit',)
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType

from derive.catalog.calculus_optimization import (
    backprop_two_layer,
    chain_rule_activations,
    derivative_from_limit,
    gradient_descent_convergence,
    gradient_quadratic_form,
    hessian_convexity,
    logistic_regression_gradient,
    loss_functions,
    mse_gradient,
    partial_derivatives,
    softmax_cross_entropy_gradient,
)
from derive.catalog.linear_algebra import (
    attention_scaling,
    cosine_similarity,
    determinant_trace_2x2,
    dot_product,
    eigen_symmetric_2x2,
    eigenvalues_2x2,
    graph_laplacian,
    inverse_2x2,
    inverse_3x3_adjugate,
    linear_layer,
    linear_system_2x2,
    matrix_product_entries,
    normal_equation,
    pagerank,
    pca_2d,
    pseudoinverse,
    regularization_gradients,
    simple_linear_regression,
    transpose_rules,
    vector_norms,
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
from derive.core.model import Topic
from derive.numeric.derivation import Derivation

Builder = Callable[[], Derivation]

CATALOG: Mapping[str, tuple[Topic, Builder]] = MappingProxyType(
    {
        # linear-algebra
        "vector-norms": (Topic.LINEAR_ALGEBRA, vector_norms.build),
        "dot-product": (Topic.LINEAR_ALGEBRA, dot_product.build),
        "cosine-similarity": (Topic.LINEAR_ALGEBRA, cosine_similarity.build),
        "matrix-product-entries": (Topic.LINEAR_ALGEBRA, matrix_product_entries.build),
        "transpose-rules": (Topic.LINEAR_ALGEBRA, transpose_rules.build),
        "linear-layer": (Topic.LINEAR_ALGEBRA, linear_layer.build),
        "determinant-trace-2x2": (Topic.LINEAR_ALGEBRA, determinant_trace_2x2.build),
        "inverse-2x2": (Topic.LINEAR_ALGEBRA, inverse_2x2.build),
        "inverse-3x3-adjugate": (Topic.LINEAR_ALGEBRA, inverse_3x3_adjugate.build),
        "eigenvalues-2x2": (Topic.LINEAR_ALGEBRA, eigenvalues_2x2.build),
        "eigen-symmetric-2x2": (Topic.LINEAR_ALGEBRA, eigen_symmetric_2x2.build),
        "linear-system-2x2": (Topic.LINEAR_ALGEBRA, linear_system_2x2.build),
        "normal-equation": (Topic.LINEAR_ALGEBRA, normal_equation.build),
        "simple-linear-regression": (Topic.LINEAR_ALGEBRA, simple_linear_regression.build),
        "pseudoinverse": (Topic.LINEAR_ALGEBRA, pseudoinverse.build),
        "pca-2d": (Topic.LINEAR_ALGEBRA, pca_2d.build),
        "pagerank": (Topic.LINEAR_ALGEBRA, pagerank.build),
        "graph-laplacian": (Topic.LINEAR_ALGEBRA, graph_laplacian.build),
        "attention-scaling": (Topic.LINEAR_ALGEBRA, attention_scaling.build),
        "regularization-gradients": (Topic.LINEAR_ALGEBRA, regularization_gradients.build),
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
        # calculus-optimization
        "derivative-from-limit": (Topic.CALCULUS_OPTIMIZATION, derivative_from_limit.build),
        "partial-derivatives": (Topic.CALCULUS_OPTIMIZATION, partial_derivatives.build),
        "gradient-quadratic-form": (Topic.CALCULUS_OPTIMIZATION, gradient_quadratic_form.build),
        "chain-rule-activations": (Topic.CALCULUS_OPTIMIZATION, chain_rule_activations.build),
        "logistic-regression-gradient": (
            Topic.CALCULUS_OPTIMIZATION,
            logistic_regression_gradient.build,
        ),
        "softmax-cross-entropy-gradient": (
            Topic.CALCULUS_OPTIMIZATION,
            softmax_cross_entropy_gradient.build,
        ),
        "backprop-two-layer": (Topic.CALCULUS_OPTIMIZATION, backprop_two_layer.build),
        "mse-gradient": (Topic.CALCULUS_OPTIMIZATION, mse_gradient.build),
        "loss-functions": (Topic.CALCULUS_OPTIMIZATION, loss_functions.build),
        "gradient-descent-convergence": (
            Topic.CALCULUS_OPTIMIZATION,
            gradient_descent_convergence.build,
        ),
        "hessian-convexity": (Topic.CALCULUS_OPTIMIZATION, hessian_convexity.build),
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
