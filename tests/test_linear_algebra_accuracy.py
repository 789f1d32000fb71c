"""Accuracy of the explicit-entry linear-algebra twins against 50-digit mpmath, on random and
adversarial inputs: near-singular matrices (errors compared with cond·ε), nearly repeated
eigenvalues, and entries from 1e−300 to 1e300.

The measurement helpers return the worst ratio error/bound; the tests assert it stays small.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable

import mpmath as mp
import numpy as np
import pytest
import scipy.linalg
import sympy as sp

from derive.catalog import get
from derive.core.model import Formula
from derive.numeric.realise import Realiser
from derive.numeric.twin import Arg, Twin

EPS = float(np.finfo(float).eps)
DIGITS = 50


@functools.cache
def twin(identifier: str, name: str) -> Twin:
    """A twin of a catalog entry, by name."""
    return next(t for t in get(identifier).twins if t.name == name)


def exact(A: np.ndarray) -> mp.matrix:
    """A float matrix as an mpmath matrix (every double is exact in mpmath)."""
    return mp.matrix(A.tolist())


def to_numpy(M: mp.matrix) -> np.ndarray:
    return np.array(M.tolist(), dtype=complex if any(mp.im(v) for v in M) else float)


def cond2(A: np.ndarray) -> float:
    """The 2-norm condition number, from 50-digit singular values."""
    with mp.workdps(DIGITS):
        s = mp.svd_r(exact(A), compute_uv=False)
        return float(max(s) / min(s))


def orthogonal(rng: np.random.Generator, n: int) -> np.ndarray:
    q, _ = np.linalg.qr(rng.normal(size=(n, n)))
    return q


def with_singular_values(rng: np.random.Generator, values: Iterable[float]) -> np.ndarray:
    """U diag(values) Vᵀ for random orthogonal U, V."""
    values = list(values)
    n = len(values)
    return orthogonal(rng, n) @ np.diag(values) @ orthogonal(rng, n).T


def relative(got: np.ndarray, want: np.ndarray) -> float:
    """Normwise relative error max|got − want| / max|want|."""
    return float(np.max(np.abs(got - want)) / np.max(np.abs(want)))


def entrywise(got: np.ndarray, want: np.ndarray) -> float:
    """The largest relative error of a single entry (exact zeros must be reproduced exactly)."""
    zero = want == 0
    if np.any(got[zero] != 0):
        return float("inf")
    return float(np.max(np.abs(got[~zero] - want[~zero]) / np.abs(want[~zero]), initial=0.0))


# -- inverses and systems ---------------------------------------------------------------------


def inverse_ratios(
    name: tuple[str, str],
    matrices: Iterable[np.ndarray],
    measure: Callable[[np.ndarray, np.ndarray], float] = relative,
) -> list[float]:
    """error/(cond·ε) for each matrix."""
    ratios = []
    for A in matrices:
        with mp.workdps(DIGITS):
            want = to_numpy(mp.inverse(exact(A)))
        got = twin(*name)(A=A)
        ratios.append(measure(got, want) / (cond2(A) * EPS))
    return ratios


def near_singular(n: int, seed: int, conds: Iterable[float]) -> list[np.ndarray]:
    """Matrices with one tiny singular value 1/cond (the others 1)."""
    rng = np.random.default_rng(seed)
    return [with_singular_values(rng, [1.0] * (n - 1) + [1 / c]) for c in conds for _ in range(5)]


CONDS = [10.0**k for k in range(1, 15)]
SCALES = [1e-300, 1e-150, 1.0, 1e150, 1e300]


def test_inverse_2x2_is_entrywise_accurate_to_cond_eps() -> None:
    rng = np.random.default_rng(1)
    random = [rng.normal(size=(2, 2)) for _ in range(60)]
    ratios = inverse_ratios(
        ("inverse-2x2", "inverse"), random + near_singular(2, 2, CONDS), entrywise
    )
    assert max(ratios) < 4


@pytest.mark.parametrize("scale", SCALES)
def test_inverse_2x2_works_for_tiny_and_huge_entries(scale: float) -> None:
    rng = np.random.default_rng(3)
    matrices = [rng.normal(size=(2, 2)) * scale for _ in range(20)]
    assert max(inverse_ratios(("inverse-2x2", "inverse"), matrices, entrywise)) < 4


def test_pivoted_3x3_inverse_stays_within_cond_eps_where_the_adjugate_does_not() -> None:
    rng = np.random.default_rng(4)
    one_small = near_singular(3, 5, CONDS)
    two_small = [
        with_singular_values(rng, [1.0, 1 / c, 1 / c]) for c in (1e4, 1e6, 1e8) for _ in range(5)
    ]
    pivoted = ("inverse-3x3-adjugate", "inverse (pivoted elimination)")
    adjugate = ("inverse-3x3-adjugate", "inverse (adjugate)")
    assert max(inverse_ratios(pivoted, one_small + two_small)) < 5
    assert max(inverse_ratios(adjugate, one_small)) < 5
    # Close to rank 1 every cofactor cancels: the adjugate formula is far worse than cond·ε ...
    assert max(inverse_ratios(adjugate, two_small)) > 1e3
    # ... but stays within its own bound ε‖A‖³/|det A| = cond·ε·σ₁/σ₂.
    for A in two_small:
        s = np.linalg.svd(A, compute_uv=False)
        with mp.workdps(DIGITS):
            want = to_numpy(mp.inverse(exact(A)))
        bound = EPS * s[0] ** 2 / (s[1] * s[2])
        assert relative(twin(*adjugate)(A=A), want) < 10 * bound


@pytest.mark.parametrize("scale", SCALES)
def test_3x3_inverses_work_for_tiny_and_huge_entries(scale: float) -> None:
    rng = np.random.default_rng(6)
    matrices = [rng.normal(size=(3, 3)) * scale for _ in range(10)]
    for name in ("inverse (pivoted elimination)", "inverse (adjugate)"):
        assert max(inverse_ratios(("inverse-3x3-adjugate", name), matrices)) < 10


def system_ratios(matrices: Iterable[np.ndarray], seed: int) -> list[float]:
    rng = np.random.default_rng(seed)
    ratios = []
    for A in matrices:
        b = rng.normal(size=2) * np.abs(A).max()
        with mp.workdps(DIGITS):
            want = to_numpy(mp.lu_solve(exact(A), mp.matrix(b.tolist()))).ravel()
        got = twin("linear-system-2x2", "solution")(A=A, b=b)
        ratios.append(relative(got, want) / (cond2(A) * EPS))
    return ratios


def test_cramer_2x2_is_forward_stable() -> None:
    rng = np.random.default_rng(7)
    random = [rng.normal(size=(2, 2)) for _ in range(60)]
    assert max(system_ratios(random + near_singular(2, 8, CONDS), seed=9)) < 4
    huge_and_tiny = [rng.normal(size=(2, 2)) * s for s in SCALES for _ in range(10)]
    assert max(system_ratios(huge_and_tiny, seed=10)) < 4


# -- eigenvalues ----------------------------------------------------------------------------------


def mp_eigenvalues(A: np.ndarray) -> np.ndarray:
    """50-digit eigenvalues, in the twin's order (real: larger first; complex: Im > 0 first)."""
    with mp.workdps(DIGITS):
        values = [complex(v) for v in mp.eig(exact(A), left=False, right=False)]
    w = np.array(values)
    key = np.where(w.imag != 0, w.imag, w.real)
    w = w[np.argsort(-key)]
    return w if np.any(w.imag) else w.real


def eigenvalue_condition(A: np.ndarray) -> float:
    """The larger eigenvalue condition number 1/|yᴴx|."""
    _, left, right = scipy.linalg.eig(A, left=True, right=True)
    return float(np.max(1 / np.abs(np.sum(np.conj(left) * right, axis=0))))


def eigenvalue_ratios(matrices: Iterable[np.ndarray]) -> list[float]:
    """|λ̂ − λ| / (κ(λ)·‖A‖₂·ε), the backward-stable level, for each matrix."""
    ratios = []
    for A in matrices:
        got = twin("eigenvalues-2x2", "eigenvalues")(A=A)
        want = mp_eigenvalues(A)
        scale = np.linalg.norm(A, 2) * eigenvalue_condition(A) * EPS
        ratios.append(float(np.max(np.abs(got - want)) / scale))
    return ratios


def test_eigenvalues_2x2_random_and_scaled() -> None:
    rng = np.random.default_rng(11)
    random = [rng.normal(size=(2, 2)) for _ in range(80)]
    scaled = [rng.normal(size=(2, 2)) * s for s in SCALES for _ in range(10)]
    assert max(eigenvalue_ratios(random + scaled)) < 4


@functools.cache
def textbook_eigenvalues() -> Twin:
    """The plain quadratic formula (tr ± √(tr² − 4 det))/2 of the derivation, lambdified."""
    derivation = get("eigenvalues-2x2")
    result = next(r for r in derivation.results if r.name == "eigenvalues")
    realise = Realiser(bindings=derivation.bindings)
    stable = derivation.twins[0]
    roots = sp.Tuple(*(realise(root) for root in result.rhs.args))
    return Twin(
        name="textbook",
        formula=Formula(result.lhs, roots),
        args=stable.args,
        reference=stable.reference,
        sample=stable.sample,
        complex_sqrt=True,
    )


@pytest.mark.parametrize("k", range(1, 13))
def test_nearly_repeated_eigenvalues_keep_their_gap(k: int) -> None:
    eps_k = 10.0**-k
    A = np.array([[1.0, eps_k], [eps_k, 1.0]])
    want = mp_eigenvalues(A)  # 1 ± ε
    got = twin("eigenvalues-2x2", "eigenvalues")(A=A)
    assert np.max(np.abs(got - want) / np.abs(want)) <= 2 * EPS
    symmetric = twin("eigen-symmetric-2x2", "eigenvalues")(S=A)
    assert np.max(np.abs(symmetric[::-1] - want) / np.abs(want)) <= 2 * EPS
    if eps_k <= 1e-9:  # the textbook formula loses the whole gap: tr² − 4 det rounds to 0
        plain = textbook_eigenvalues()(A=A)
        assert plain[0] == plain[1]


def test_symmetric_eigenvalues_are_accurate_including_tiny_ones() -> None:
    rng = np.random.default_rng(12)
    values = twin("eigen-symmetric-2x2", "eigenvalues")
    worst = 0.0
    for _ in range(80):
        B = rng.normal(size=(2, 2)) * 10.0 ** rng.integers(-200, 200)
        S = (B + B.T) / 2
        with mp.workdps(DIGITS):
            want = np.array(sorted(float(v) for v in mp.eigsy(exact(S), eigvals_only=True)))
        worst = max(worst, float(np.max(np.abs(values(S=S) - want)) / (np.abs(S).max() * EPS)))
    assert worst < 4
    # The small eigenvalue keeps full relative precision (the plain m − r would give 0).
    np.testing.assert_allclose(values(S=np.diag([1e8, 1e-8])), [1e-8, 1e8], rtol=4 * EPS)


def test_symmetric_eigenvectors_are_accurate_up_to_the_gap() -> None:
    rng = np.random.default_rng(13)
    vectors = twin("eigen-symmetric-2x2", "eigenvectors")
    worst = 0.0
    for k in range(80):
        B = rng.normal(size=(2, 2))
        S = (B + B.T) / 2 + (np.eye(2) * 10.0 ** -(k % 12) if k % 3 == 0 else 0)
        with mp.workdps(DIGITS):
            E, Q = mp.eigsy(exact(S))
        gap = float(abs(E[1] - E[0]))
        want = np.array(Q.tolist(), dtype=float)
        want = want * np.sign(np.take_along_axis(want, np.argmax(np.abs(want), 0)[None], 0))
        error = float(np.max(np.abs(vectors(S=S) - want)))
        worst = max(worst, error / (EPS * np.abs(S).max() / gap))
    assert worst < 4
    tiny = vectors(S=np.array([[1.0, 1e-13], [1e-13, 1.0]]))
    np.testing.assert_allclose(np.abs(tiny), np.full((2, 2), np.sqrt(0.5)), rtol=1e-15)


# -- least squares -----------------------------------------------------------------------------


def test_normal_equation_loses_cond_squared_as_documented() -> None:
    rng = np.random.default_rng(14)
    theta = twin("normal-equation", "theta")
    worst = 0.0
    for c in (1e1, 1e2, 1e3, 1e4, 1e5):
        for _ in range(4):
            z = rng.normal(size=20)
            X = np.column_stack([np.ones(20), z, z + rng.normal(size=20) / c])
            y = X @ rng.normal(size=3) + 0.01 * rng.normal(size=20)
            with mp.workdps(DIGITS):
                M, v = exact(X), mp.matrix(y.tolist())
                want = to_numpy(mp.lu_solve(M.T * M, M.T * v)).ravel()
            worst = max(worst, relative(theta(X=X, y=y), want) / (cond2(X) ** 2 * EPS))
    assert worst < 1


def test_scaled_twins_have_an_arg_per_matrix() -> None:
    """The explicit-entry twins the performance work benchmarks take (N, 2, 2)-style input."""
    for identifier, name, shape in (
        ("inverse-2x2", "inverse", (2, 2)),
        ("eigenvalues-2x2", "eigenvalues", (2, 2)),
        ("eigen-symmetric-2x2", "eigenvalues", (2, 2)),
        ("inverse-3x3-adjugate", "inverse (adjugate)", (3, 3)),
        ("linear-system-2x2", "solution", (2, 2)),
    ):
        first: Arg = twin(identifier, name).args[0]
        assert first.shape == shape
