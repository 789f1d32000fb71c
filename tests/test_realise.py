"""Matrix calculus on explicit entries, against the Matrix Cookbook (where SymPy's own fails)."""

from __future__ import annotations

import sympy as sp

from derive.core.model import Domain
from derive.numeric.realise import Realiser, explicit_matrix, gradient

n = 3
x = sp.MatrixSymbol("x", n, 1)
A = sp.MatrixSymbol("A", n, n)
X = sp.MatrixSymbol("X", n, n)


def test_gradient_of_quadratic_form_is_a_plus_a_transpose_x() -> None:
    realise = Realiser()
    got = realise(sp.Derivative((x.T * A * x)[0, 0], x))
    want = realise((A + A.T) * x)
    assert sp.simplify(got - want) == sp.zeros(n, 1)


def test_gradient_of_log_det_is_inverse_transpose_where_sympy_says_zero() -> None:
    assert sp.diff(sp.log(sp.Determinant(X)), X) == sp.ZeroMatrix(n, n)  # SymPy is wrong here
    realise = Realiser(sizes={})
    got = realise(sp.Derivative(sp.log(sp.Determinant(X)), X))
    want = realise(X.inv().T)
    assert sp.simplify(got - want) == sp.zeros(n, n)


def test_gradient_is_denominator_layout_for_vector_by_vector() -> None:
    B = explicit_matrix("B", 2, n, Domain.MATRIX)
    v = explicit_matrix("v", n, 1, Domain.MATRIX)
    # d(Bv)/dv = Bᵀ in denominator layout (The Matrix Cookbook, eq. 69)
    assert gradient(B * v, v) == B.T


def test_symbolic_sizes_are_replaced() -> None:
    m = sp.Symbol("m", integer=True, positive=True)
    Y = sp.MatrixSymbol("Y", m, 2)
    realised = Realiser(sizes={m: 4})(Y.T * Y)
    assert realised.shape == (2, 2)


def test_symmetric_domain_shares_entries() -> None:
    S = explicit_matrix("S", 3, 3, Domain.SYMMETRIC)
    assert S == S.T


def test_bindings_replace_matrix_symbols() -> None:
    a, b = sp.symbols("a b", real=True)
    M = sp.MatrixSymbol("M", 2, 2)
    realised = Realiser(bindings={M: sp.Matrix([[a, b], [b, a]])})(sp.Determinant(M))
    assert sp.expand(realised - (a**2 - b**2)) == 0


def test_sums_over_symbolic_sizes_are_written_out() -> None:
    # (vᵀv)[0, 0] is SymPy's Σᵢ v[i, 0]² over i < n: realised at n = 3 it has three terms.
    m = sp.Symbol("m", integer=True, positive=True)
    v = sp.MatrixSymbol("v", m, 1)
    i = sp.Symbol("i", integer=True)
    realise = Realiser(sizes={m: 3})
    want = sum(sp.Symbol(f"v_{{{k}}}", real=True) ** 2 for k in (1, 2, 3))
    assert realise(sp.sqrt((v.T * v)[0, 0])) == sp.sqrt(want)
    assert realise(sp.Sum(v[i, 0] ** 2, (i, 0, m - 1))) == want
    grad = realise(sp.Derivative(sp.Sum(sp.Abs(v[i, 0]), (i, 0, m - 1)), v))
    signs = [sp.sign(sp.Symbol(f"v_{{{k}}}", real=True)) for k in (1, 2, 3)]
    assert grad == sp.ImmutableMatrix(signs)


def test_function_matrices_are_realised_entry_by_entry() -> None:
    # (AB)ᵢⱼ = Σₖ AᵢₖBₖⱼ as a FunctionMatrix equals the product, realised at sizes.
    m, k, q = sp.symbols("m k q", integer=True, positive=True)
    i, j, r = sp.symbols("i j r", integer=True)
    A, B = sp.MatrixSymbol("A", m, k), sp.MatrixSymbol("B", k, q)
    entries = sp.FunctionMatrix(m, q, sp.Lambda((i, j), sp.Sum(A[i, r] * B[r, j], (r, 0, k - 1))))
    realise = Realiser(sizes={m: 2, k: 3, q: 2})
    assert realise(entries) == realise(A * B)


def test_nested_sums_with_dependent_ranges_are_written_out() -> None:
    # Σ_{i<j} (aᵢbⱼ − aⱼbᵢ)²: the inner range starts at i + 1.
    m = sp.Symbol("m", integer=True, positive=True)
    i, j = sp.symbols("i j", integer=True)
    a, b = sp.MatrixSymbol("a", m, 1), sp.MatrixSymbol("b", m, 1)
    pairs = sp.Sum((a[i, 0] * b[j, 0] - a[j, 0] * b[i, 0]) ** 2, (j, i + 1, m - 1), (i, 0, m - 1))
    realise = Realiser(sizes={m: 3})
    gap = realise((a.T * a)[0, 0] * (b.T * b)[0, 0] - (a.T * b)[0, 0] ** 2)
    assert sp.expand(realise(pairs) - gap) == 0
    assert len(realise(pairs).args) == 3  # three pairs i < j


def test_bindings_are_realised_once_and_inverses_directly() -> None:
    m = sp.Symbol("m", integer=True, positive=True)
    A = sp.MatrixSymbol("A", m, 2)
    P = sp.MatrixSymbol("P", 2, m)
    realise = Realiser(bindings={P: (A.T * A).I * A.T}, sizes={m: 3})
    left = realise(P * A)
    assert sp.simplify(left - sp.eye(2)) == sp.zeros(2, 2)
    assert realise.matrix(realise.sized(P)) is realise.matrix(realise.sized(P))
