"""The fast paths (SymEngine/LLVM kernels, native kernels) and the NumPy fallback give the same
answers, for every twin in the catalog, on the same seeded inputs; and the fast paths really
are used."""

from __future__ import annotations

import doctest
from pathlib import Path

import numpy as np
import pytest
import sympy as sp

from derive.catalog import get, ids
from derive.core import cache_dir
from derive.core.model import Formula
from derive.numeric import fast, native
from derive.numeric.twin import Arg, Condition, Reference, Twin
from derive.reasoning.verify import seed_for
from tests.conftest import require_tool

TWINS = [(i, n) for i in ids() for n in range(len(get(i).twins))]
NEEDS_SYMENGINE = pytest.mark.skipif(not fast.have_symengine(), reason="SymEngine not installed")

# The twins the benchmark measures, which the fast path must compile (the eigenvalues of a
# general 2×2 matrix are complex, so that twin runs on NumPy).
COMPILED = [
    ("inverse-2x2", 0),
    ("inverse-3x3-adjugate", 0),
    ("inverse-3x3-adjugate", 1),
    ("eigen-symmetric-2x2", 0),
    ("eigen-symmetric-2x2", 1),
    ("linear-system-2x2", 0),
]


def run(twin: Twin, inputs: dict[str, np.ndarray]) -> np.ndarray | str:
    """The twin's output, or the name of the error it raised (LinAlgError on NaN input...)."""
    try:
        return twin(**inputs)
    except (ValueError, ArithmeticError) as error:
        return type(error).__name__


def both(
    twin: Twin,
    inputs: dict[str, np.ndarray],
    monkeypatch: pytest.MonkeyPatch,
    backend: str = "auto",
) -> tuple[np.ndarray | str, np.ndarray | str]:
    """The twin's output on ``backend`` and on the NumPy fallback."""
    monkeypatch.setenv("DERIVE_BACKEND", backend)
    default = run(twin, inputs)
    monkeypatch.setenv("DERIVE_BACKEND", "numpy")
    return default, run(twin, inputs)


def assert_same(got: np.ndarray | str, want: np.ndarray | str) -> None:
    if isinstance(got, str) or isinstance(want, str):
        assert got == want
        return
    assert got.shape == want.shape
    assert got.dtype == want.dtype
    np.testing.assert_array_equal(np.isnan(got), np.isnan(want))
    np.testing.assert_array_equal(np.isinf(got), np.isinf(want))
    finite = np.isfinite(want)
    scale = np.abs(want[finite]).max() if finite.any() else 1.0
    np.testing.assert_allclose(
        got[finite], want[finite], rtol=1e-12, atol=1e-13 * scale, equal_nan=True
    )


def extremes(inputs: dict[str, np.ndarray]) -> list[dict[str, np.ndarray]]:
    """The inputs scaled far up and down, and with a NaN and an infinity in the first rows."""
    out = [{k: v * s for k, v in inputs.items()} for s in (1e200, 1e-200)]
    broken = {k: v.copy() for k, v in inputs.items()}
    for value in broken.values():
        value.reshape(len(value), -1)[0, 0] = np.nan
        value.reshape(len(value), -1)[1, -1] = np.inf
    return [*out, broken]


@pytest.mark.parametrize("backend", ["auto", "native"])
@pytest.mark.parametrize(("identifier", "number"), TWINS)
def test_fast_path_and_fallback_agree(
    identifier: str, number: int, backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    twin = get(identifier).twins[number]
    if backend == "native":
        require_tool("cc")
        monkeypatch.setenv("DERIVE_BACKEND", "native")
        # whatever SymEngine compiles, the C compiler compiles too (no silent LLVM fallback)
        assert twin.backend(45) in ("native", "numpy")
    # 45 rows: five full blocks of native lanes and a partial one
    inputs = twin.sample(np.random.default_rng([seed_for(identifier), number, 31]), 45)
    assert_same(*both(twin, inputs, monkeypatch, backend))
    for variant in extremes(inputs):
        assert_same(*both(twin, variant, monkeypatch, backend))


@NEEDS_SYMENGINE
@pytest.mark.parametrize(("identifier", "number"), COMPILED)
def test_benchmarked_twins_compile(identifier: str, number: int) -> None:
    assert get(identifier).twins[number].backend() == "symengine"


@NEEDS_SYMENGINE
@pytest.mark.parametrize(("identifier", "number"), COMPILED)
def test_benchmarked_twins_run_natively_on_large_batches(identifier: str, number: int) -> None:
    require_tool("cc")
    twin = get(identifier).twins[number]
    assert twin.backend(fast.NATIVE_ROWS - 1) == "symengine"
    assert twin.backend(fast.NATIVE_ROWS) == "native"


@NEEDS_SYMENGINE
def test_a_large_batch_gives_what_small_ones_give() -> None:
    require_tool("cc")
    twin = get("inverse-3x3-adjugate").twins[0]
    A = twin.sample(np.random.default_rng(5), fast.NATIVE_ROWS + 3)["A"]
    A[7, 1, 1] = np.nan
    A[-1] = 0.0  # singular: NaN
    large = twin(A=A)
    small = np.concatenate([twin(A=A[k : k + 100]) for k in range(0, len(A), 100)])
    assert_same(large, small)
    assert np.isnan(large[7]).all()
    assert np.isnan(large[-1]).all()
    fine = np.isfinite(A).all(axis=(1, 2)) & np.any(A != 0, axis=(1, 2))
    np.testing.assert_allclose(large[fine], np.linalg.inv(A[fine]), rtol=1e-9, atol=1e-9)


@NEEDS_SYMENGINE
def test_native_source_prints_constants_exactly_and_powers_as_products() -> None:
    import symengine as se

    x = se.Symbol("x")
    largest = float(np.finfo(float).max)
    code = native.source([x], [x * se.RealDouble(0.1) + se.RealDouble(largest), x**3])
    assert (0.1).hex() in code  # 0.1 to the last bit, not 0.1 rounded to 15 digits
    assert largest.hex() in code  # DBL_MAX itself, not a 15-digit value that overflows
    assert "powi(v0, 3)" in code
    assert "pow(" not in code.replace("powi(", "")  # no libm call: the loop vectorises


@NEEDS_SYMENGINE
def test_native_kernels_are_cached_on_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import symengine as se

    require_tool("cc")
    x = se.Symbol("x")
    code = native.source([x], [2 * x])
    first = native.library(code, tmp_path)
    assert first is not None
    assert first.parent == tmp_path

    def compile_again(*args: object, **kwargs: object) -> None:
        raise AssertionError("compiled again instead of loading the cached library")

    monkeypatch.setattr(native.subprocess, "run", compile_again)
    assert native.library(code, tmp_path) == first


def test_numpy_backend_is_used_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    twin = get("inverse-2x2").twins[0]
    monkeypatch.setenv("DERIVE_BACKEND", "numpy")
    assert twin.backend() == "numpy"
    monkeypatch.setenv("DERIVE_BACKEND", "fortran")
    with pytest.raises(ValueError, match="DERIVE_BACKEND must be one of"):
        twin.backend()


@NEEDS_SYMENGINE
def test_scaled_entries_stay_units_in_compiled_code() -> None:
    # s·(a/s)² must not become a²/s in the kernel either: a² overflows for a = 1e200.
    a = sp.Symbol("a", real=True)
    s = sp.Max(sp.Abs(a), 1)
    twin = Twin(
        name="square",
        formula=Formula(sp.Symbol("q"), s * sp.UnevaluatedExpr(a / s) ** 2),
        args=(Arg("a", a),),
        reference=Reference("|a|", np.abs),
        sample=lambda rng, size: {"a": rng.normal(size=size)},
    )
    assert twin.backend() == "symengine"
    np.testing.assert_allclose(twin(a=np.array([1e200, -3.0])), [1e200, 3.0], rtol=1e-14)


@pytest.mark.parametrize("backend", ["auto", "numpy"])
def test_condition_masks_and_compiles_into_the_kernel(
    backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DERIVE_BACKEND", backend)
    x, y = sp.symbols("x y", real=True)
    condition = Condition(sp.Ne(y, 0), (Arg("x", x), Arg("y", y)))
    twin = Twin(
        name="ratio",
        formula=Formula(sp.Symbol("r"), x / y),
        args=(Arg("x", x), Arg("y", y)),
        reference=Reference("x / y", lambda x, y: x / y),
        sample=lambda rng, size: {},
        valid=condition,
    )
    xs = np.array([1.0, 1.0, np.inf, 6.0])
    ys = np.array([2.0, 0.0, 1.0, np.nan])
    assert condition(xs, ys).tolist() == [True, False, False, False]
    assert condition(x=xs, y=np.array(3.0)).tolist() == [True, True, False, True]
    out = twin(x=xs, y=ys)
    assert out[0] == 0.5
    assert np.isnan(out[1:]).all()
    np.testing.assert_array_equal(
        twin(x=np.array([[1.0], [4.0]]), y=np.array([2.0, 4.0])),
        [
            [0.5, 0.25],
            [2.0, 1.0],
        ],
    )


def test_functions_symengine_lacks_fall_back_to_numpy() -> None:
    from derive.core.functions import sigmoid

    z = sp.Symbol("z", real=True)
    twin = Twin(
        name="sigmoid",
        formula=Formula(sp.Symbol("s"), sigmoid(z)),
        args=(Arg("z", z),),
        reference=Reference("expit", lambda z: 1 / (1 + np.exp(-z))),
        sample=lambda rng, size: {},
    )
    assert twin.backend() == "numpy"
    np.testing.assert_allclose(twin(z=np.array([0.0, 2.0])), [0.5, 1 / (1 + np.exp(-2.0))])


def test_empty_batches_and_read_only_inputs() -> None:
    twin = get("inverse-2x2").twins[0]
    assert twin(A=np.empty((0, 2, 2))).shape == (0, 2, 2)
    A = np.array([[4.0, 7.0], [2.0, 6.0]])
    A.flags.writeable = False
    np.testing.assert_allclose(twin(A=A), np.linalg.inv(A), rtol=1e-14)


@pytest.mark.parametrize("backend", ["auto", "numpy"])
def test_max_min_and_sign_propagate_nan_as_numpy_does(
    backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DERIVE_BACKEND", backend)
    x, y = sp.symbols("x y", real=True)
    twin = Twin(
        name="nan",
        formula=Formula(sp.Symbol("r"), sp.Tuple(sp.Max(sp.sign(x), y), sp.Min(x, y))),
        args=(Arg("x", x), Arg("y", y)),
        reference=Reference("numpy", lambda x, y: np.stack([np.maximum(np.sign(x), y)], -1)),
        sample=lambda rng, size: {},
    )
    out = twin(x=np.array([np.nan, 2.0, -3.0]), y=np.array([-5.0, np.nan, 0.5]))
    np.testing.assert_array_equal(out, [[np.nan, np.nan], [np.nan, np.nan], [0.5, -3.0]])


@pytest.mark.parametrize("module", [fast, native, cache_dir], ids=lambda m: m.__name__)
def test_doctests(module: object) -> None:
    result = doctest.testmod(module)  # type: ignore[arg-type]
    assert result.attempted > 0
    assert result.failed == 0
