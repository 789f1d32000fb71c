"""Properties of the linear-algebra twins (Hypothesis) and their domain/NaN policy."""

from __future__ import annotations

import functools

import numpy as np
import pytest
import scipy.linalg
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from derive.catalog import get
from derive.numeric.twin import Twin

EPS = float(np.finfo(float).eps)


@functools.cache
def twin(identifier: str, name: str) -> Twin:
    """A twin of a catalog entry, by name."""
    return next(t for t in get(identifier).twins if t.name == name)


def entries(scale: float = 1e3) -> st.SearchStrategy[float]:
    """Floats in [−scale, scale], either 0 or at least 1e−100 in magnitude.

    Free-size twins built on sums of squares have that domain (squares must not underflow);
    the explicit 2×2 and 3×3 twins scale their input and take any magnitude (tested in
    test_linear_algebra_accuracy.py).
    """
    values = st.floats(-scale, scale, allow_nan=False, allow_infinity=False)
    return values.filter(lambda x: x == 0 or abs(x) >= 1e-100)


def matrices(rows: int, cols: int, scale: float = 1e3) -> st.SearchStrategy[np.ndarray]:
    """Finite real matrices with entries from ``entries(scale)``."""
    return arrays(np.float64, (rows, cols), elements=entries(scale))


def well_conditioned(A: np.ndarray, limit: float = 1e8) -> float:
    """The 2-norm condition number, after rejecting (near-)singular draws."""
    assume(np.abs(A).max() > 0)
    cond = float(np.linalg.cond(A))
    assume(np.isfinite(cond) and cond < limit)
    return cond


# -- inverses and linear systems ----------------------------------------------------------


@given(matrices(2, 2))
def test_inverse_2x2_is_a_two_sided_inverse(A: np.ndarray) -> None:
    cond = well_conditioned(A)
    X = twin("inverse-2x2", "inverse")(A=A)
    tolerance = 10 * cond * EPS
    assert np.abs(A @ X - np.eye(2)).max() <= tolerance
    assert np.abs(X @ A - np.eye(2)).max() <= tolerance


@pytest.mark.parametrize("name", ["inverse (adjugate)", "inverse (pivoted elimination)"])
@given(A=matrices(3, 3))
def test_inverse_3x3_twins_invert(name: str, A: np.ndarray) -> None:
    cond = well_conditioned(A, 1e6)
    X = twin("inverse-3x3-adjugate", name)(A=A)
    # The adjugate formula's error can reach cond²·ε; the elimination stays near cond·ε.
    bound = cond**2 if name == "inverse (adjugate)" else cond
    assert np.abs(A @ X - np.eye(3)).max() <= 50 * bound * EPS


@given(matrices(2, 2), arrays(np.float64, 2, elements=entries()))
def test_cramer_solves_the_system(A: np.ndarray, b: np.ndarray) -> None:
    cond = well_conditioned(A)
    x = twin("linear-system-2x2", "solution")(A=A, b=b)
    scale = np.abs(A).max() * np.abs(x).max() + np.abs(b).max()
    assert np.abs(A @ x - b).max() <= 10 * cond * EPS * max(scale, 1e-300)


def test_singular_and_non_finite_matrices_give_nan() -> None:
    singular = np.array([[1.0, 2.0], [2.0, 4.0]])
    assert np.isnan(twin("inverse-2x2", "inverse")(A=singular)).all()
    assert np.isnan(twin("inverse-2x2", "inverse")(A=np.zeros((2, 2)))).all()
    assert np.isnan(twin("inverse-2x2", "inverse")(A=np.array([[np.inf, 0], [0, 1.0]]))).all()
    rank_two = np.array([[1.0, 2.0, 4.0], [2.0, 4.0, 8.0], [1.0, 1.0, 1.0]])  # exact in binary
    for name in ("inverse (adjugate)", "inverse (pivoted elimination)"):
        assert np.isnan(twin("inverse-3x3-adjugate", name)(A=rank_two)).all()
    solve = twin("linear-system-2x2", "solution")
    assert np.isnan(solve(A=singular, b=np.array([1.0, 2.0]))).all()
    assert np.isnan(solve(A=np.eye(2), b=np.array([np.nan, 1.0]))).all()


def test_a_batch_mixes_valid_and_invalid_inputs() -> None:
    A = np.stack([np.eye(2), np.ones((2, 2)), 2 * np.eye(2)])
    out = twin("inverse-2x2", "inverse")(A=A)
    assert np.isnan(out[1]).all()
    np.testing.assert_allclose(out[[0, 2]], np.linalg.inv(A[[0, 2]]))


# -- eigenvalues ----------------------------------------------------------------------------


def eigenvalue_condition(A: np.ndarray) -> float:
    """The larger eigenvalue condition number 1/|yᴴx| (unit left and right eigenvectors)."""
    _, left, right = scipy.linalg.eig(A, left=True, right=True)
    overlap = np.abs(np.sum(np.conj(left) * right, axis=0))
    return float(np.max(1 / np.maximum(overlap, 1e-300)))


@given(matrices(2, 2))
def test_eigenvalues_add_to_the_trace_and_multiply_to_the_determinant(A: np.ndarray) -> None:
    kappa = eigenvalue_condition(A)
    assume(kappa < 1e8)  # nearly defective: any method loses digits
    lam = twin("eigenvalues-2x2", "eigenvalues")(A=A)
    scale = max(float(np.abs(A).max()), 1e-300)
    assert abs(lam.sum() - np.trace(A)) <= 20 * kappa * EPS * scale
    assert abs(lam.prod() - np.linalg.det(A)) <= 20 * kappa * EPS * scale**2


@given(matrices(2, 2))
def test_eigenvalues_come_as_a_conjugate_pair_or_a_real_pair(A: np.ndarray) -> None:
    lam = twin("eigenvalues-2x2", "eigenvalues")(A=A)
    if np.iscomplexobj(lam) and lam.imag.any():
        assert lam[0].imag > 0
        assert lam[0] == np.conj(lam[1]) or np.isclose(lam[0], np.conj(lam[1]), rtol=1e-12)
    else:
        assert lam.real[0] >= lam.real[1]


@given(matrices(2, 2))
def test_symmetric_eigenvectors_are_orthonormal_eigenvectors(B: np.ndarray) -> None:
    S = (B + B.T) / 2
    assume(S[0, 0] != S[1, 1] or S[0, 1] != 0)
    lam = twin("eigen-symmetric-2x2", "eigenvalues")(S=S)
    V = twin("eigen-symmetric-2x2", "eigenvectors")(S=S)
    scale = float(np.abs(S).max())
    assert lam[0] <= lam[1]
    np.testing.assert_allclose(V.T @ V, np.eye(2), atol=10 * EPS)
    assert np.abs(S @ V - V * lam).max() <= 20 * EPS * scale


def test_eigen_twins_outside_their_domain() -> None:
    eig = twin("eigenvalues-2x2", "eigenvalues")
    assert (eig(A=np.zeros((2, 2))) == 0).all()
    assert np.isnan(eig(A=np.array([[np.nan, 0.0], [0.0, 1.0]]))).all()
    rotation = eig(A=np.array([[0.0, -1.0], [1.0, 0.0]]))
    np.testing.assert_array_equal(rotation, [1j, -1j])
    vectors = twin("eigen-symmetric-2x2", "eigenvectors")
    assert np.isnan(vectors(S=3 * np.eye(2))).all()  # every vector is an eigenvector
    assert not np.isnan(vectors(S=np.diag([3.0, 1.0]))).any()


# -- pseudoinverse ----------------------------------------------------------------------------


@given(matrices(4, 2, scale=10.0))
def test_tall_pseudoinverse_satisfies_the_penrose_conditions(A: np.ndarray) -> None:
    cond = well_conditioned(A, 1e4)
    P = twin("pseudoinverse", "pseudoinverse (tall)")(A=A)
    tolerance = 100 * cond**2 * EPS
    assert np.abs(A @ P @ A - A).max() <= tolerance * np.abs(A).max()
    assert np.abs(P @ A @ P - P).max() <= tolerance * np.abs(P).max()
    assert np.abs((A @ P).T - A @ P).max() <= tolerance
    assert np.abs((P @ A).T - P @ A).max() <= tolerance


@given(matrices(2, 5, scale=10.0))
def test_wide_pseudoinverse_gives_the_minimum_norm_solution(W: np.ndarray) -> None:
    cond = well_conditioned(W, 1e4)
    P = twin("pseudoinverse", "pseudoinverse (wide)")(W=W)
    c = np.array([1.0, -2.0])
    x = P @ c
    assert np.abs(W @ x - c).max() <= 100 * cond**2 * EPS * max(1.0, np.abs(x).max())
    # Adding a null-space vector never shortens the solution.
    z = (np.eye(5) - P @ W) @ np.arange(5.0)
    assert np.linalg.norm(x + z) >= np.linalg.norm(x) * (1 - 1e-12)


def test_sums_of_squares_outside_the_double_range_give_nan() -> None:
    tiny, huge = np.full(4, 1e-160), np.full(4, 1e160)
    norm = twin("vector-norms", "L2 norm")
    assert np.isnan(norm(v=tiny))
    assert np.isnan(norm(v=huge))
    assert norm(v=np.zeros(4)) == 0
    np.testing.assert_allclose(norm(v=np.full(4, 1e-150)), 2e-150, rtol=1e-15)
    cosine = twin("cosine-similarity", "cosine similarity")
    assert np.isnan(cosine(a=np.ones(4), b=tiny))
    assert np.isnan(twin("pseudoinverse", "pseudoinverse (wide)")(W=np.full((2, 4), 1e-161))).all()


def test_rank_deficient_least_squares_raises_a_clear_error() -> None:
    X = np.array([[1.0, 2.0], [2.0, 4.0], [3.0, 6.0]])
    with pytest.raises(np.linalg.LinAlgError, match="Singular"):
        twin("normal-equation", "theta")(X=X, y=np.ones(3))


# -- the rest -----------------------------------------------------------------------------------


@given(arrays(np.float64, 5, elements=entries()))
def test_norm_inequalities(v: np.ndarray) -> None:
    l2 = twin("vector-norms", "L2 norm")(v=v)
    l1 = twin("vector-norms", "L1 norm")(v=v)
    assert l2 <= l1 * (1 + 1e-12)
    assert l1 <= np.sqrt(5) * l2 * (1 + 1e-12)


@given(arrays(np.float64, 4, elements=entries(10)), arrays(np.float64, 4, elements=entries(10)))
def test_cosine_similarity_is_bounded(a: np.ndarray, b: np.ndarray) -> None:
    cos = twin("cosine-similarity", "cosine similarity")(a=a, b=b)
    if not a.any() or not b.any():
        assert np.isnan(cos)
    else:
        assert -1 - 1e-12 <= cos <= 1 + 1e-12


@given(arrays(np.float64, 4, elements=st.floats(-700, 700)))
def test_softmax_is_a_distribution_even_for_huge_scores(z: np.ndarray) -> None:
    p = twin("attention-scaling", "softmax")(z=z)
    assert np.all(p >= 0)
    assert abs(p.sum() - 1) <= 10 * EPS


def test_pagerank_is_a_distribution_and_uniform_on_a_cycle() -> None:
    pr = twin("pagerank", "PageRank")
    cycle = np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [1.0, 0.0, 0.0]])
    for d in (0.0, 0.5, 0.85, 0.99):
        np.testing.assert_allclose(pr(M=cycle, d=np.array(d)), np.full(3, 1 / 3), rtol=1e-12)
    rng = np.random.default_rng(5)
    M = rng.random((4, 6, 6))
    r = pr(M=M / M.sum(axis=-1, keepdims=True), d=np.array(0.85))
    np.testing.assert_allclose(r.sum(axis=-1), 1.0, rtol=1e-12)
    assert (r > 0).all()


def test_graph_laplacian_annihilates_constants() -> None:
    rng = np.random.default_rng(6)
    upper = np.triu(rng.random((5, 4, 4)), 1)
    W = upper + np.swapaxes(upper, -1, -2)
    L = twin("graph-laplacian", "Laplacian")(W=W)
    np.testing.assert_allclose(L @ np.ones(4), 0, atol=1e-14)
    energy = twin("graph-laplacian", "energy")(W=W, x=np.ones((5, 4)) * 3.0)
    np.testing.assert_allclose(energy, 0, atol=1e-12)


def test_free_size_twins_take_any_size_and_reject_mismatches() -> None:
    slope = twin("simple-linear-regression", "slope")
    x = np.arange(12.0)
    np.testing.assert_allclose(slope(x=x, y=3 * x + 1), 3.0, rtol=1e-13)
    assert np.isnan(slope(x=np.ones(4), y=np.arange(4.0)))  # all x equal: no slope
    with pytest.raises(ValueError, match="size n differs"):
        slope(x=np.arange(5.0), y=np.arange(6.0))
