"""The catalog: one explicit list of entry modules, in book order.

>>> CATALOG["inverse-2x2"].title
'Inverse of a 2×2 matrix'
>>> ids(Topic.CALCULUS_OPTIMIZATION)[:1]
('derivative-from-limit',)
>>> get("inverse-2x2").result.rhs.shape
(2, 2)

Each module declares its ``ENTRY`` (``derive.catalog.entry``); ``CATALOG`` maps every id to its
entry — the built-in ones, then those of installed plug-in catalogs (``derive.catalog.plugins``)
— read from the modules' source without importing them (``derive.catalog.entries``), so
listing the catalog needs no SymPy. ``get`` imports an entry's module when its derivation is
first asked for, and builds it once.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING

from derive.catalog import plugins
from derive.catalog.entries import read
from derive.catalog.entry import Entry
from derive.core.model import Topic

if TYPE_CHECKING:
    from derive.numeric.derivation import Derivation

# The entry modules under derive/catalog, in book order.
MODULES: tuple[str, ...] = (
    # linear-algebra
    "linear_algebra.vector_norms",
    "linear_algebra.dot_product",
    "linear_algebra.cosine_similarity",
    "linear_algebra.matrix_product_entries",
    "linear_algebra.transpose_rules",
    "linear_algebra.linear_layer",
    "linear_algebra.determinant_trace_2x2",
    "linear_algebra.inverse_2x2",
    "linear_algebra.inverse_3x3_adjugate",
    "linear_algebra.eigenvalues_2x2",
    "linear_algebra.eigen_symmetric_2x2",
    "linear_algebra.linear_system_2x2",
    "linear_algebra.normal_equation",
    "linear_algebra.simple_linear_regression",
    "linear_algebra.pseudoinverse",
    "linear_algebra.pca_2d",
    "linear_algebra.pagerank",
    "linear_algebra.graph_laplacian",
    "linear_algebra.attention_scaling",
    "linear_algebra.regularization_gradients",
    # probability-statistics
    "probability_statistics.mean_least_squares",
    "probability_statistics.median_least_absolute",
    "probability_statistics.variance_shortcut",
    "probability_statistics.bessel_correction",
    "probability_statistics.standardization",
    "probability_statistics.probability_rules",
    "probability_statistics.bayes_theorem",
    "probability_statistics.expectation_linearity",
    "probability_statistics.bernoulli",
    "probability_statistics.binomial",
    "probability_statistics.normal_distribution",
    "probability_statistics.covariance_correlation",
    "probability_statistics.hypothesis_tests",
    # calculus-optimization
    "calculus_optimization.derivative_from_limit",
    "calculus_optimization.partial_derivatives",
    "calculus_optimization.gradient_quadratic_form",
    "calculus_optimization.chain_rule_activations",
    "calculus_optimization.logistic_regression_gradient",
    "calculus_optimization.softmax_cross_entropy_gradient",
    "calculus_optimization.backprop_two_layer",
    "calculus_optimization.mse_gradient",
    "calculus_optimization.loss_functions",
    "calculus_optimization.gradient_descent_convergence",
    "calculus_optimization.hessian_convexity",
)

# The built-in entries, then those of installed plug-in catalogs (``derive.catalog.plugins``).
BUILTIN: Mapping[str, Entry] = MappingProxyType({e.id: e for e in map(read, MODULES)})
_PLUGINS = plugins.load(BUILTIN)
CATALOG: Mapping[str, Entry] = MappingProxyType({**BUILTIN, **{e.id: e for e in _PLUGINS.entries}})


def problems() -> tuple[str, ...]:
    """One line per plug-in that could not be used, and why (``derive`` prints them on
    stderr); the catalog works without them.

    >>> all(isinstance(line, str) for line in problems())
    True
    """
    return _PLUGINS.problems + tuple(plugins.LATER)


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
    entry = CATALOG[identifier]
    if entry.builtin:
        derivation = entry.build()
    else:
        try:
            derivation = entry.build()
        except Exception as error:  # a plug-in's module: say which, in one line
            raise plugins.PluginError(
                f"plug-in entry '{identifier}' ({entry.module}) cannot be built: "
                f"{plugins.one_line(error)}"
            ) from error
    if (derivation.id, derivation.title, derivation.topic) != (entry.id, entry.title, entry.topic):
        raise RuntimeError(f"{entry.module} builds {derivation.id!r}, not its ENTRY {entry.id!r}")
    return derivation


def ids(topic: Topic | None = None) -> tuple[str, ...]:
    """Catalog ids in catalog order, optionally of one topic."""
    return tuple(i for i, e in CATALOG.items() if topic is None or e.topic == topic)


def derivations(topic: Topic | None = None) -> Iterator[Derivation]:
    """Every derivation (of one topic), built on demand."""
    return (get(i) for i in ids(topic))
