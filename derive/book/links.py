"""Which derivations a derivation uses, read from the operations its steps apply.

>>> from derive.catalog import get
>>> [(use.home, use.operations) for use in uses(get("eigenvalues-2x2"), HOMES)]
[('determinant-trace-2x2', ('det', 'tr'))]

A derivation *uses* another when one of its steps applies an operation whose rules the other
one derives: the step ``det(A − λI) = 0`` of the 2×2 eigenvalues applies ``det``, and the
determinant page derives ``det A = ad − bc``. Each operation has one home, the derivation a
learner should read for it (``OPERATIONS``); a test checks that every home's own results
really contain its operation, so a link never points at a page that does not derive it.
Occurrences are found in the SymPy expressions of the steps (``Determinant`` nodes, a
derivative with respect to a vector, ...), never in the prose.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sympy as sp

from derive.numeric.derivation import Derivation


def _named(*names: str) -> Callable[[Any], bool]:
    """A node of one of these classes (by name: the catalog's helper classes move around)."""
    return lambda node: type(node).__name__ in names


def _transpose_of_compound(node: Any) -> bool:
    """``(AB)ᵀ``, ``(A + B)ᵀ``, ``(A⁻¹)ᵀ``: a transpose that needs a rule, not ``aᵀ``."""
    return isinstance(node, sp.Transpose) and not isinstance(node.arg, sp.MatrixSymbol)


def _expectation_of_sum(node: Any) -> bool:
    return type(node).__name__ == "Expectation" and isinstance(node.args[0], sp.Add)


def _conditional(node: Any) -> bool:
    return type(node).__name__ == "Probability" and len(node.args) > 1 and node.args[1] is not None


def _vector_gradient(node: Any) -> bool:
    return isinstance(node, sp.Derivative) and any(
        isinstance(v, sp.MatrixSymbol) for v, _ in node.variable_count
    )


@dataclass(frozen=True)
class Operation:
    """An operation (``det``) and the derivation that derives its rules (its home)."""

    name: str
    home: str
    occurs: Callable[[Any], bool]


OPERATIONS: tuple[Operation, ...] = (
    Operation("det", "determinant-trace-2x2", _named("Determinant")),
    Operation("tr", "determinant-trace-2x2", _named("Trace")),
    Operation("A⁻¹", "inverse-2x2", _named("Inverse")),
    Operation("(AB)ᵀ", "transpose-rules", _transpose_of_compound),
    Operation("E of a sum", "expectation-linearity", _expectation_of_sum),
    Operation("Var", "variance-shortcut", _named("Variance")),
    Operation("Cov", "covariance-correlation", _named("Covariance")),
    Operation("P(A | B)", "bayes-theorem", _conditional),
    Operation("the mean x̄", "mean-least-squares", _named("SampleMean")),
    Operation("erf", "normal-distribution", _named("erf", "erfc")),
    Operation("σ", "chain-rule-activations", _named("sigmoid")),
    Operation("tanh", "chain-rule-activations", _named("tanh")),
    Operation("softplus", "chain-rule-activations", _named("softplus")),
    Operation("log σ", "logistic-regression-gradient", _named("log_sigmoid")),
    Operation("LSE", "softmax-cross-entropy-gradient", _named("logsumexp")),
    Operation("∂/∂x for a vector x", "gradient-quadratic-form", _vector_gradient),
)
HOMES: Mapping[str, tuple[Operation, ...]] = {
    home: tuple(o for o in OPERATIONS if o.home == home)
    for home in dict.fromkeys(o.home for o in OPERATIONS)
}


@dataclass(frozen=True)
class Use:
    """One link: the derivation used (``home``) and the operations that make the link."""

    home: str
    operations: tuple[str, ...]


def nodes(values: Iterable[Any]) -> Iterator[Any]:
    """Every SymPy node inside these values (tuples and lists are opened)."""
    for value in values:
        if isinstance(value, (tuple, list)):
            yield from nodes(value)
        elif isinstance(value, sp.Basic):
            yield from sp.preorder_traversal(value)


def applied(expressions: Iterable[Any], operations: Sequence[Operation]) -> tuple[str, ...]:
    """The names of the operations that occur in the expressions, in ``operations`` order."""
    found = [False] * len(operations)
    for node in nodes(expressions):
        for k, operation in enumerate(operations):
            found[k] = found[k] or operation.occurs(node)
    return tuple(o.name for o, hit in zip(operations, found, strict=True) if hit)


def step_expressions(d: Derivation) -> list[Any]:
    """The expressions of a derivation's steps."""
    return [e for s in d.steps for e in (s.lhs, s.rhs) if e is not None]


def uses(d: Derivation, homes: Mapping[str, Sequence[Operation]]) -> list[Use]:
    """The homes (among ``homes``) whose operations ``d``'s steps apply, in ``homes`` order."""
    expressions = step_expressions(d)
    found = []
    for home, operations in homes.items():
        names = applied(expressions, operations) if home != d.id else ()
        if names:
            found.append(Use(home, names))
    return found


def graph(derivations: Sequence[Derivation]) -> tuple[dict[str, list[Use]], dict[str, list[Use]]]:
    """(uses, used by) of every derivation, with links only to derivations in ``derivations``."""
    present = {d.id for d in derivations}
    homes = {h: ops for h, ops in HOMES.items() if h in present}
    forward = {d.id: uses(d, homes) for d in derivations}
    backward: dict[str, list[Use]] = {d.id: [] for d in derivations}
    for d in derivations:
        for use in forward[d.id]:
            backward[use.home].append(Use(d.id, use.operations))
    return forward, backward
