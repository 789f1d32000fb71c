"""The verifier's equivalence engine: proofs, numeric agreement, refutations, domains."""

from __future__ import annotations

import sympy as sp

from derive.core.model import Domain
from derive.reasoning.equivalence import Context, is_zero

x, y = sp.symbols("x y", real=True)
p = sp.Symbol("p", positive=True)
ctx = Context()


def test_true_identities_are_proven() -> None:
    assert ctx.equal(sp.sin(x) ** 2 + sp.cos(x) ** 2, sp.Integer(1)).status == "proven"
    assert ctx.equal((x + 1) ** 2, x**2 + 2 * x + 1).status == "proven"


def test_cancellation_cannot_fool_the_screen() -> None:
    big = sp.Integer(10) ** 8
    assert ctx.equal((x + big) - big, x).passed
    outcome = ctx.equal((x + big) - big, x + sp.Integer(10) ** -9)
    assert outcome.status == "refuted"
    assert outcome.counterexample is not None
    assert "x" in outcome.counterexample


def test_a_false_identity_is_refuted_with_a_point() -> None:
    outcome = ctx.equal(sp.exp(x + y), sp.exp(x) + sp.exp(y))
    assert outcome.status == "refuted"
    assert set(outcome.counterexample or {}) == {"x", "y"}


def test_domains_are_honoured() -> None:
    # sqrt(p²) = p only for p ≥ 0: true for a positive symbol, false for a real one.
    assert ctx.equal(sp.sqrt(p**2), p).passed
    assert ctx.equal(sp.sqrt(x**2), x).status == "refuted"
    q = sp.Symbol("q", real=True)
    probability = Context(domains={q: Domain.PROBABILITY})
    assert probability.nonnegative(q * (1 - q)).passed
    assert ctx.nonnegative(q * (1 - q)).status == "refuted"


def test_removable_singularity_is_equal() -> None:
    assert ctx.equal((x**2 - 1) / (x - 1), x + 1).passed


def test_shapes_must_match() -> None:
    outcome = ctx.equal(sp.Matrix([x, y]), sp.Matrix([[x, y]]))
    assert outcome.status == "refuted"
    assert "shapes differ" in outcome.detail


def test_differs_needs_a_counterexample() -> None:
    A = sp.MatrixSymbol("A", 2, 2)
    B = sp.MatrixSymbol("B", 2, 2)
    assert ctx.differs(A * B, B * A).status == "proven"
    assert ctx.differs((A * B).T, B.T * A.T).status == "refuted"


def test_scaled_requires_invertible_factor() -> None:
    assert ctx.scaled(2 * x - 2, x - 1, 2).passed
    assert not ctx.scaled(0 * x, x - 1, 0).passed


def test_is_zero_respects_its_budget() -> None:
    assert is_zero(sp.sin(x) ** 2 + sp.cos(x) ** 2 - 1, budget=5.0)
    assert not is_zero(x - y, budget=5.0)


def test_a_scalar_residual_can_vanish() -> None:
    assert ctx.vanishes((x + 1) ** 2 - x**2 - 2 * x - 1).status == "proven"
    assert ctx.vanishes(x - 1).status == "refuted"


def test_shapes_are_compared_before_realising() -> None:
    # (XXᵀ)⁻¹Xᵀy does not even fit together for a tall X; it is refuted on shape alone.
    from derive.numeric.realise import Realiser

    n, p = sp.symbols("n p", integer=True, positive=True)
    X, y = sp.MatrixSymbol("X", n, p), sp.MatrixSymbol("y", n, 1)
    wrong = sp.Basic.__new__(sp.MatMul, (X * X.T).I, X.T, y)
    sized = Context(realisers=(Realiser(sizes={n: 4, p: 2}),))
    outcome = sized.equal((X.T * X).I * X.T * y, wrong)
    assert outcome.status == "refuted"
    assert outcome.detail == "shapes differ: 2×1 vs 4×1"
    assert sized.equal(X.T * y, X.T * y).status == "proven"


def test_a_gradient_by_a_vector_is_not_mistaken_for_a_scalar() -> None:
    from sympy.matrices.expressions.matexpr import MatrixElement

    from derive.numeric.realise import Realiser

    n = sp.Symbol("n", integer=True, positive=True)
    v = sp.MatrixSymbol("v", n, 1)
    sized = Context(realisers=(Realiser(sizes={n: 3}),))
    assert sized.equal(sp.Derivative(MatrixElement(v.T * v, 0, 0), v), 2 * v).status == "proven"


def test_rational_identities_are_proven_through_one_common_denominator() -> None:
    from derive.reasoning.ladder import expanded_numerator as _expanded_numerator

    e = 1 / (x - 1) - 1 / (x + 1) - 2 / (x**2 - 1)
    assert _expanded_numerator(e) == 0
    assert is_zero(e, budget=5.0)
    assert not is_zero(e + 1 / x, budget=5.0)


def test_a_piecewise_expression_vanishes_when_every_branch_does() -> None:
    from derive.reasoning.ladder import branchwise as _branchwise

    e = sp.Piecewise(((x + 1) ** 2 - x**2 - 2 * x - 1, x > 0), (x * (x - 1) - x**2 + x, True))
    assert _branchwise(e) == 0
    assert is_zero(e, budget=5.0)
    assert _branchwise(sp.Piecewise((x, x > 0), (0, True))) != 0
