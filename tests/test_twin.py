"""Twin conventions: batch shapes, broadcasting, NaN policy, input errors, matrix mode."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from derive.catalog import get
from derive.core.model import Formula
from derive.numeric.twin import Arg, Reference, Twin


@pytest.fixture
def inverse() -> Twin:
    return get("inverse-2x2").twins[0]


def test_unbatched_and_batched_shapes(inverse: Twin) -> None:
    A = np.array([[4.0, 7.0], [2.0, 6.0]])
    assert inverse(A=A).shape == (2, 2)
    assert inverse(A=np.stack([A] * 5)).shape == (5, 2, 2)
    assert inverse(A=np.broadcast_to(A, (3, 4, 2, 2))).shape == (3, 4, 2, 2)


def test_singular_input_gives_nan_not_a_warning(inverse: Twin) -> None:
    A = np.array([[[1.0, 2.0], [2.0, 4.0]], [[4.0, 7.0], [2.0, 6.0]]])
    out = inverse(A=A)
    assert np.isnan(out[0]).all()
    np.testing.assert_allclose(out[1], np.linalg.inv(A[1]))


def test_wrong_names_and_shapes_are_one_line_errors(inverse: Twin) -> None:
    with pytest.raises(ValueError, match="missing") as missing:
        inverse(B=np.eye(2))
    with pytest.raises(ValueError, match="shape") as shape:
        inverse(A=np.eye(3))
    for error in (missing, shape):
        assert "\n" not in str(error.value)


def test_matrix_mode_twin_handles_batches_and_transposes() -> None:
    n, k = sp.symbols("n k", integer=True, positive=True)
    X = sp.MatrixSymbol("X", n, k)
    y = sp.MatrixSymbol("y", n, 1)
    theta = sp.MatrixSymbol("theta", k, 1)
    formula = Formula(theta, (X.T * X).I * X.T * y)
    twin = Twin(
        name="normal equation",
        formula=formula,
        args=(Arg("X", X), Arg("y", y)),
        reference=Reference(
            "lstsq", lambda X, y: np.linalg.lstsq(X, y, rcond=None)[0], batched=False
        ),
        sample=lambda rng, size: {
            "X": rng.normal(size=(size, 6, 2)),
            "y": rng.normal(size=(size, 6)),
        },
    )
    inputs = twin.sample(np.random.default_rng(0), 4)
    got = twin(**inputs)
    assert got.shape == (4, 2)
    np.testing.assert_allclose(got, twin.reference(**inputs), rtol=1e-10)
    single = twin(X=inputs["X"][0], y=inputs["y"][0])
    np.testing.assert_allclose(single, got[0])


def test_complex_sqrt_gives_complex_results_instead_of_nan() -> None:
    t = sp.Symbol("t", real=True)
    formula = Formula(sp.Symbol("r"), sp.sqrt(t))
    common = dict(
        name="root",
        formula=formula,
        args=(Arg("t", t),),
        reference=Reference("emath", np.emath.sqrt),
        sample=lambda rng, size: {"t": rng.normal(size=size)},
    )
    real = Twin(**common)  # type: ignore[arg-type]
    complex_ = Twin(**common, complex_sqrt=True)  # type: ignore[arg-type]
    assert np.isnan(real(t=np.array(-4.0)))
    assert complex_(t=np.array(-4.0)) == 2j


def test_matrix_mode_twin_reads_symbolic_sizes_off_its_inputs() -> None:
    n, k = sp.symbols("n k", integer=True, positive=True)
    lam = sp.Symbol("lambda", positive=True)
    X = sp.MatrixSymbol("X", n, k)
    y = sp.MatrixSymbol("y", n, 1)
    theta = sp.MatrixSymbol("theta", k, 1)
    ridge = (X.T * X + lam * sp.Identity(k)).I * X.T * y
    centred = y - sp.OneMatrix(n, n) * y / n

    def solve(X: np.ndarray, y: np.ndarray, lam: np.ndarray) -> np.ndarray:
        gram = np.swapaxes(X, -1, -2) @ X + lam[..., None, None] * np.eye(X.shape[-1])
        return np.linalg.solve(gram, (np.swapaxes(X, -1, -2) @ y[..., None]))[..., 0]

    twin = Twin(
        name="ridge",
        formula=Formula(theta, ridge),
        args=(Arg("X", X), Arg("y", y), Arg("lam", lam)),
        reference=Reference("solve", solve),
        sample=lambda rng, size: {},
    )
    rng = np.random.default_rng(1)
    X_, y_, lam_ = rng.normal(size=(3, 7, 2)), rng.normal(size=(3, 7)), np.array([0.1, 1.0, 5.0])
    np.testing.assert_allclose(twin(X=X_, y=y_, lam=lam_), solve(X_, y_, lam_), rtol=1e-10)
    mean_free = Twin(
        name="centred",
        formula=Formula(y, centred),
        args=(Arg("y", y),),
        reference=Reference("y - mean", lambda y: y - y.mean(-1, keepdims=True)),
        sample=lambda rng, size: {},
    )
    np.testing.assert_allclose(mean_free(y=y_), y_ - y_.mean(-1, keepdims=True), atol=1e-14)
    with pytest.raises(ValueError, match="size n differs") as mismatch:
        twin(X=X_, y=y_[..., :5], lam=lam_)
    assert "\n" not in str(mismatch.value)


def test_explicit_matrix_twin_keeps_unevaluated_subexpressions() -> None:
    # s·(a/s)² must not be recombined into a²/s: a² overflows for a = 1e200.
    a = sp.Symbol("a", real=True)
    s = sp.Max(sp.Abs(a), 1)
    scaled = sp.ImmutableMatrix([[s * sp.UnevaluatedExpr(a / s) ** 2]])
    twin = Twin(
        name="square",
        formula=Formula(sp.Symbol("q"), scaled),
        args=(Arg("a", a),),
        reference=Reference("|a|", lambda a: np.abs(a)),
        sample=lambda rng, size: {"a": rng.normal(size=size)},
    )
    np.testing.assert_allclose(twin(a=np.array(1e200)), [1e200], rtol=1e-14)


def test_an_entry_of_a_scaled_product_keeps_its_factor() -> None:
    # ((c·AᵀA)₀₀)²: the factor c must be inside the entry that is squared.
    n = sp.Symbol("n", integer=True, positive=True)
    A = sp.MatrixSymbol("A", n, 2)
    c = sp.Symbol("c", positive=True)
    from sympy.matrices.expressions.matexpr import MatrixElement

    entry = MatrixElement(c * A.T * A, 0, 1) ** 2
    twin = Twin(
        name="entry",
        formula=Formula(sp.Symbol("e"), entry),
        args=(Arg("A", A), Arg("c", c)),
        reference=Reference("NumPy", lambda A, c: (c * (A.T @ A)[0, 1]) ** 2, batched=False),
        sample=lambda rng, size: {},
    )
    A_ = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    np.testing.assert_allclose(twin(A=A_, c=np.array(3.0)), (3.0 * (A_.T @ A_)[0, 1]) ** 2)
