"""The calculus-and-optimisation catalog: numerical stability against 50-digit mpmath, properties
of the twins, the gradient-descent boundary, backpropagation against brute force, and the core
support the catalog needed (scalar bindings, entrywise functions, sizes read off inputs)."""

from __future__ import annotations

import doctest
import importlib
import re
import subprocess
from pathlib import Path

import mpmath as mp
import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from derive.catalog import get, ids
from derive.catalog.calculus_optimization import backprop_two_layer, gradient_descent_convergence
from derive.core.functions import sigmoid
from derive.core.model import Topic
from derive.numeric.realise import Realiser
from derive.numeric.twin import Twin
from derive.reasoning.equivalence import Context
from derive.render.tex import PREAMBLE, body, prose, tex
from tests.conftest import require_tool

CALCULUS = ids(Topic.CALCULUS_OPTIMIZATION)
EPS = float(np.finfo(float).eps)
TINY = float(np.finfo(float).tiny)  # the smallest normal double, about 2.2e-308
# |z| up to 1e3 on both sides, through every regime: 0, small, where σ(z) rounds to 1 (z ≈ 37),
# where exp(z) overflows (z ≈ 709.8) and where e^{−|z|} underflows (|z| ≈ 745).
LOGITS = np.array(
    sorted(
        {
            sign * v
            for v in (
                *(0.0, 1e-8, 1e-3, 0.1, 0.5, 1, 2, 5, 10, 20, 36, 37, 40, 100, 300, 500),
                *(700, 709, 710, 711, 745, 746, 800, 999.5, 1000),
            )
            for sign in (1, -1)
        }
    )
)
# Relative error bound where the exact value is a normal double: 4.5 ε (measured: ≤ 1.2 ε).
REL_BOUND = 1e-15


def twin(identifier: str, name: str) -> Twin:
    return next(t for t in get(identifier).twins if t.name == name)


def close_to_exact(got: np.ndarray, exact: list[mp.mpf]) -> None:
    """Finite everywhere; relative error ≤ REL_BOUND where the exact value is a normal double,
    and correctly underflowed (|got| ≤ TINY) where it is not."""
    got = np.asarray(got, dtype=float)
    assert np.isfinite(got).all()
    want = np.array([float(e) for e in exact])
    normal = np.abs(want) >= TINY
    relative = np.abs(got[normal] - want[normal]) / np.abs(want[normal])
    assert relative.max() <= REL_BOUND, f"relative error {relative.max():.2e}"
    assert np.all(np.abs(got[~normal]) <= TINY)


def mp_sigmoid(z: float) -> mp.mpf:
    return 1 / (1 + mp.exp(-mp.mpf(z)))


def mp_softplus(z: float) -> mp.mpf:
    return mp.log1p(mp.exp(mp.mpf(z)))  # log1p: no cancellation, 50 digits are 50 digits


@pytest.fixture(autouse=True)
def fifty_digits():
    with mp.workdps(50):
        yield


# -- stability against 50-digit mpmath -------------------------------------------------------


def test_sigmoid_twin_is_stable() -> None:
    """softplus′ = σ: the twin is σ(z) itself, through the stable sigmoid."""
    got = twin("chain-rule-activations", "softplus′")(z=LOGITS)
    close_to_exact(got, [mp_sigmoid(z) for z in LOGITS])


def test_sigmoid_slope_twin_is_stable() -> None:
    """σ′ = σ(z)σ(−z) keeps relative accuracy where σ(1 − σ) would cancel to 0 (z > 37)."""
    got = twin("chain-rule-activations", "sigmoid′")(z=LOGITS)
    close_to_exact(got, [mp_sigmoid(z) * mp_sigmoid(-z) for z in LOGITS])
    naive = 1 / (1 + np.exp(-40.0)) * (1 - 1 / (1 + np.exp(-40.0)))
    assert naive == 0.0  # the textbook form would have lost everything here


def test_tanh_slope_twin_is_stable() -> None:
    got = twin("chain-rule-activations", "tanh′")(z=LOGITS)
    close_to_exact(got, [1 / mp.cosh(mp.mpf(z)) ** 2 for z in LOGITS])


@pytest.mark.parametrize("label", [0.0, 1.0, 0.3])
def test_log_sigmoid_loss_twin_is_stable(label: float) -> None:
    """−y log σ(z) − (1 − y) log σ(−z): log-sigmoid (y = 1) and softplus (y = 0) at |z| ≤ 1e3."""
    got = twin("logistic-regression-gradient", "loss (stable)")(
        z=LOGITS, y=np.full_like(LOGITS, label)
    )
    exact = [label * mp_softplus(-z) + (1 - label) * mp_softplus(z) for z in LOGITS]
    close_to_exact(got, exact)


def test_softplus_twin_is_stable() -> None:
    """The binary cross-entropy twin at y = 0 is softplus(z), its gradient σ(z)."""
    got = twin("loss-functions", "binary cross-entropy")(z=LOGITS, y=np.zeros_like(LOGITS))
    close_to_exact(got[:, 0], [mp_softplus(z) for z in LOGITS])
    close_to_exact(got[:, 1], [mp_sigmoid(z) for z in LOGITS])


def _softmax_cases() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(20240601)
    extreme = np.array(
        [
            [1000, -1000, 0],
            [-1000, -999, -998],
            [700, 710, 705],
            [1000, 1000, 1000],
            [0, 0, 0],
            [1e-3, 0, -1e-3],
            [30, 0, 0],
            [-1000, 1000, 999],
        ]
    )
    z = np.concatenate([rng.uniform(-1000, 1000, size=(120, 3)), extreme])
    hard = np.eye(3)[rng.integers(0, 3, size=len(z))]
    soft = rng.dirichlet(np.ones(3), size=len(z))
    y = np.where(rng.random((len(z), 1)) < 0.5, hard, soft)
    return z, y


def _mp_cross_entropy(z: np.ndarray, y: np.ndarray) -> tuple[mp.mpf, list[mp.mpf]]:
    """−Σ yₖ log softmaxₖ = Σ yₖ log1p(Σ_{j≠k} exp(zⱼ − zₖ)), with no cancellation."""
    zz = [mp.mpf(float(v)) for v in z]
    loss = sum(
        mp.mpf(float(y[k])) * mp.log1p(sum(mp.exp(b - zz[k]) for j, b in enumerate(zz) if j != k))
        for k in range(len(zz))
    )
    probabilities = [1 / sum(mp.exp(b - c) for b in zz) for c in zz]
    return loss, [p - mp.mpf(float(t)) for p, t in zip(probabilities, y, strict=True)]


def test_softmax_cross_entropy_twins_are_stable() -> None:
    """Logits up to ±1e3: finite; loss error ≤ 4ε·max(1, max|z|) (measured 1.6ε), which is the
    conditioning of LSE(z) − yᵀz; gradient error ≤ 2ε·max(1, max|z|) (measured 0.5ε)."""
    z, y = _softmax_cases()
    loss = twin("softmax-cross-entropy-gradient", "loss (stable)")(z=z, y=y)
    grad = twin("softmax-cross-entropy-gradient", "gradient")(z=z, y=y)
    assert np.isfinite(loss).all()
    assert np.isfinite(grad).all()
    exact = [_mp_cross_entropy(a, b) for a, b in zip(z, y, strict=True)]
    want_loss = np.array([float(e[0]) for e in exact])
    want_grad = np.array([[float(v) for v in e[1]] for e in exact])
    scale = EPS * np.maximum(1.0, np.abs(z).max(axis=1))
    assert np.all(np.abs(loss - want_loss) <= 4 * scale)
    assert np.all(np.abs(grad - want_grad) <= 2 * scale[:, None])


def test_naive_softmax_would_overflow() -> None:
    """The reason for the log-sum-exp form: the textbook softmax is NaN at these logits."""
    z = np.array([1000.0, -1000.0, 0.0])
    with np.errstate(all="ignore"):
        naive = np.exp(z) / np.exp(z).sum()
    assert np.isnan(naive).any()
    stable = twin("softmax-cross-entropy-gradient", "gradient")(z=z, y=np.array([1.0, 0, 0]))
    assert np.isfinite(stable).all()


# -- properties of the twins (Hypothesis, derandomised by the conftest profile) -------------

logits = st.floats(min_value=-1e3, max_value=1e3, allow_nan=False)


@given(logits)
def test_sigmoid_slope_is_between_0_and_a_quarter(z: float) -> None:
    slope = float(twin("chain-rule-activations", "sigmoid′")(z=np.array(z)))
    assert 0.0 <= slope <= 0.25


@given(logits)
def test_tanh_slope_is_between_0_and_1(z: float) -> None:
    slope = float(twin("chain-rule-activations", "tanh′")(z=np.array(z)))
    assert 0.0 <= slope <= 1.0


@given(
    st.lists(logits, min_size=3, max_size=3),
    st.lists(st.floats(min_value=0.01, max_value=1.0), min_size=3, max_size=3),
)
def test_softmax_gradient_entries_sum_to_zero(z: list[float], weights: list[float]) -> None:
    y = np.array(weights) / np.sum(weights)
    grad = twin("softmax-cross-entropy-gradient", "gradient")(z=np.array(z), y=y)
    assert abs(grad.sum()) <= 1e-12
    assert np.all(grad >= -y - 1e-15)
    assert np.all(grad <= 1 - y + 1e-15)


@given(
    st.floats(min_value=-1e3, max_value=1e3),
    st.floats(min_value=0.0, max_value=1.0),
)
def test_binary_cross_entropy_is_nonnegative_with_gradient_in_range(z: float, y: float) -> None:
    value, slope = twin("loss-functions", "binary cross-entropy")(z=np.array(z), y=np.array(y))
    assert value >= 0.0
    assert -1.0 <= slope <= 1.0


@given(st.floats(min_value=-50, max_value=50), st.floats(min_value=0.1, max_value=5))
def test_huber_gradient_is_clipped(r: float, delta: float) -> None:
    _, slope = twin("loss-functions", "Huber")(r=np.array(r), delta=np.array(delta))
    assert abs(slope) <= delta + 1e-12


@given(st.integers(min_value=0, max_value=2**32 - 1), st.integers(min_value=2, max_value=12))
def test_mse_gradient_vanishes_at_least_squares_solution(seed: int, rows: int) -> None:
    """At np.linalg.lstsq's solution the MSE gradient is 0, for any number of rows: the twin
    reads n off the shape of X."""
    rng = np.random.default_rng(seed)
    X, y = rng.normal(size=(rows, 2)), rng.normal(size=rows)
    w = np.linalg.lstsq(X, y, rcond=None)[0]
    grad = twin("mse-gradient", "MSE gradient")(X=X, w=w, y=y)
    assert np.allclose(grad, 0.0, atol=1e-12)
    grad_off = twin("mse-gradient", "MSE gradient")(X=X, w=w + 1.0, y=y)
    assert np.allclose(grad_off, 2 / rows * X.T @ X @ np.ones(2))


@given(st.integers(min_value=0, max_value=2**32 - 1))
def test_batch_logistic_gradient_is_the_mean_of_per_example_gradients(seed: int) -> None:
    rng = np.random.default_rng(seed)
    X, w = rng.normal(size=(5, 3)), rng.normal(size=3)
    y = rng.integers(0, 2, size=5).astype(float)
    batch = twin("logistic-regression-gradient", "batch gradient")(X=X, w=w, y=y)
    one = twin("logistic-regression-gradient", "gradient")
    singles = one(w=np.broadcast_to(w, X.shape), x=X, b=np.zeros((5, 1)), y=y)
    np.testing.assert_allclose(batch, singles.mean(axis=0), rtol=1e-12, atol=1e-15)


@given(
    st.floats(min_value=0.1, max_value=10),
    st.floats(min_value=0.01, max_value=0.99),
    st.integers(min_value=1, max_value=200),
)
def test_gradient_descent_closed_form_shrinks_inside_the_boundary(
    a: float, fraction: float, t: int
) -> None:
    closed = twin("gradient-descent-convergence", "iterate")
    w = closed(a=np.array(a), eta=np.array(fraction * 2 / a), w0=np.array(1.0), t=np.array(t))
    assert abs(float(w)) < 1.0
    w = closed(a=np.array(a), eta=np.array((1 + fraction) * 2 / a), w0=np.array(1.0), t=np.array(t))
    assert abs(float(w)) > 1.0


# -- the gradient-descent boundary -----------------------------------------------------------


@pytest.mark.parametrize("seed", range(5))
def test_descent_converges_just_below_two_over_a_and_diverges_just_above(seed: int) -> None:
    passed, detail = gradient_descent_convergence.boundary_check(np.random.default_rng(seed))
    assert passed, detail


def test_the_boundary_check_can_fail(monkeypatch: pytest.MonkeyPatch) -> None:
    """Simulating on the wrong sides of 2/a (a negative margin) must be reported as failing."""
    monkeypatch.setattr(gradient_descent_convergence, "MARGIN", -1e-3)
    passed, _ = gradient_descent_convergence.boundary_check(np.random.default_rng(0))
    assert not passed


def test_one_over_a_is_not_the_boundary() -> None:
    """The recorded mistake 'η < 1/a' is refuted by simulation too: η = 1.9/a still converges."""
    a = 3.0
    w = gradient_descent_convergence._simulate(a, 1.9 / a, 1.0, 2000)
    assert abs(w) < 1e-40


# -- backpropagation against brute force -----------------------------------------------------


def _brute_force_network() -> tuple[list[sp.Symbol], sp.Expr, sp.Matrix, sp.Matrix]:
    """The 3-4-2 network's loss written out entry by entry, from scratch, and its W₁ and W₂
    gradients by differentiating that one big expression."""
    n_in, n_hidden, n_out = (
        backprop_two_layer.N_IN,
        backprop_two_layer.N_HIDDEN,
        backprop_two_layer.N_OUT,
    )
    W1 = sp.Matrix(n_hidden, n_in, lambda i, j: sp.Symbol(f"a{i}{j}"))
    b1 = sp.Matrix(n_hidden, 1, lambda i, j: sp.Symbol(f"c{i}"))
    W2 = sp.Matrix(n_out, n_hidden, lambda i, j: sp.Symbol(f"d{i}{j}"))
    b2 = sp.Matrix(n_out, 1, lambda i, j: sp.Symbol(f"e{i}"))
    x = sp.Matrix(n_in, 1, lambda i, j: sp.Symbol(f"x{i}"))
    y = sp.Matrix(n_out, 1, lambda i, j: sp.Symbol(f"y{i}"))
    hidden = (W1 * x + b1).applyfunc(lambda s: 1 / (1 + sp.exp(-s)))
    residual = W2 * hidden + b2 - y
    loss = sum(r**2 for r in residual) / 2
    symbols = [*W1, *b1, *W2, *b2, *x, *y]
    return (
        symbols,
        loss,
        W1.applyfunc(lambda s: sp.diff(loss, s)),
        W2.applyfunc(lambda s: sp.diff(loss, s)),
    )


def test_backprop_equals_brute_force_differentiation_numerically() -> None:
    symbols, _, dW1, dW2 = _brute_force_network()
    brute = sp.lambdify(symbols, [dW1, dW2], "numpy")
    inputs = backprop_two_layer.sample(np.random.default_rng(11), 16)
    names = ("W1", "b1", "W2", "b2", "x", "y")
    for k in range(16):
        flat = np.concatenate([inputs[name][k].ravel() for name in names])
        want_W1, want_W2 = (np.asarray(m, dtype=float) for m in brute(*flat))
        one = {name: inputs[name][k] for name in names}
        np.testing.assert_allclose(
            twin("backprop-two-layer", "∂L/∂W1")(**one), want_W1, 1e-12, 1e-14
        )
        np.testing.assert_allclose(
            twin("backprop-two-layer", "∂L/∂W2")(**one), want_W2, 1e-12, 1e-14
        )


def test_backprop_equals_brute_force_differentiation_symbolically() -> None:
    """The derivation's δ₁xᵀ, realised on entries, minus the from-scratch brute-force ∂L/∂W₁
    cancels to exactly 0 in every entry (a rational function of the exponentials)."""
    symbols, _, dW1, _ = _brute_force_network()
    derivation = get("backprop-two-layer")
    delta_form = Realiser(bindings=derivation.bindings)(derivation.results[2].rhs)
    ours = {str(s): s for s in delta_form.free_symbols}
    theirs = iter(symbols)
    rename = {}
    shapes = (("W_1", 4, 3), ("b_1", 4, 1), ("W_2", 2, 4), ("b_2", 2, 1), ("x", 3, 1), ("y", 2, 1))
    for name, rows, cols in shapes:
        for i in range(rows):
            for j in range(cols):
                label = f"{name}_{{{i + 1}}}" if cols == 1 else f"{name}_{{{i + 1},{j + 1}}}"
                rename[ours[label]] = next(theirs)
    difference = delta_form.xreplace(rename) - dW1
    assert all(sp.cancel(sp.together(e)) == 0 for e in difference)


# -- every entry renders ---------------------------------------------------------------------


def test_doctests_of_the_catalog_modules() -> None:
    for name in ("shared", *(i.replace("-", "_") for i in CALCULUS)):
        module = importlib.import_module(f"derive.catalog.calculus_optimization.{name}")
        assert doctest.testmod(module).failed == 0, name


@pytest.mark.parametrize("identifier", CALCULUS)
def test_teaching_text_is_pdflatex_safe(identifier: str) -> None:
    d = get(identifier)
    texts = [d.title, d.intuition, d.interview.question, d.interview.answer, *d.notes]
    texts += [s.why for s in d.steps] + [m.explanation for m in d.mistakes]
    texts += [v.meaning for v in d.symbols] + list(d.assumptions)
    for text in texts:
        rendered = prose(text)  # raises on characters pdflatex cannot take
        assert "textasciicircum" not in rendered, f"TeX-like markup in prose: {text!r}"


def test_all_calculus_entries_compile_with_pdflatex(tmp_path: Path) -> None:
    pdflatex = require_tool("pdflatex")
    document = (
        PREAMBLE
        + r"\begin{document}"
        + "\n\\newpage\n".join(body(get(i)) for i in CALCULUS)
        + r"\end{document}"
    )
    (tmp_path / "calculus.tex").write_text(document)
    done = subprocess.run(
        [pdflatex, "-interaction=nonstopmode", "-halt-on-error", "calculus.tex"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout[-2000:]
    overfull = [float(w) for w in re.findall(r"Overfull \\hbox \(([\d.]+)pt", done.stdout)]
    assert max(overfull, default=0.0) < 10.0, f"lines too wide by {overfull} pt"


# -- core support used by this catalog -------------------------------------------------------


def test_scalar_bindings_impose_a_constraint() -> None:
    y1, y2, y3, z = sp.symbols("y1 y2 y3 z", real=True)
    constrained = Context(realisers=(Realiser(bindings={y3: 1 - y1 - y2}),))
    assert constrained.equal((y1 + y2 + y3) * z, z).status == "proven"
    assert Context().equal((y1 + y2 + y3) * z, z).status == "refuted"


def test_nested_cancellation_is_not_mistaken_for_a_difference() -> None:
    """At z = 3500, SymPy's evalf returned 1e-392 for an expression equal to 1/8 (nested
    cancellation in 1 − σ(z)); a refuting value is now confirmed at higher precision first."""
    y = sp.Symbol("y", real=True)
    z = sp.Integer(3500)
    s = 1 / (1 + sp.exp(-z))
    product = (1 - s) * (-y * (1 + sp.exp(-z)) + (1 - y) / (1 - s)) / (1 + sp.exp(-z))
    screen = Context(points=6)
    assert screen.equal(product, s - y).passed
    assert screen.equal(product, s - y + sp.Rational(1, 10**20)).status == "refuted"


def test_a_scalar_function_of_a_one_by_one_matrix_realises_to_a_scalar() -> None:
    n = sp.Symbol("n", integer=True, positive=True)
    w, x = sp.MatrixSymbol("w", n, 1), sp.MatrixSymbol("x", n, 1)
    value = Realiser(sizes={n: 2})(sigmoid(w.T * x))
    assert not getattr(value, "is_Matrix", False)
    assert value.has(sp.exp)


def test_entrywise_functions_print_as_functions() -> None:
    X = sp.MatrixSymbol("X", 3, 2)
    w = sp.MatrixSymbol("w", 2, 1)
    assert tex((X * w).applyfunc(sp.Abs)) == r"\left|{X w}\right|"
    assert tex((X * w).applyfunc(sigmoid)) == r"\sigma\left(X w\right)"


def test_prose_sets_angle_brackets_and_bars_in_math() -> None:
    assert prose("0 < η < 2/a, |z|") == (
        r"0 \ensuremath{<} \ensuremath{\eta} \ensuremath{<} 2/a, \ensuremath{|}z\ensuremath{|}"
    )
