"""Native kernels that read several input arrays in place (derive.numeric.native.compile_parts):
the twins with more than one input (linear-system-2x2: A and b) no longer pack their inputs
into one array before a large batch. Same answers as the NumPy fallback; no concatenation."""

from __future__ import annotations

import numpy as np
import pytest
import symengine as se

from derive.catalog import get
from derive.numeric import fast, native


def test_parts_kernel_equals_the_packed_one() -> None:
    x, y, z, w = se.symbols("x y z w")
    outputs = [x * y - z / w, se.sqrt(x * x + w * w)]
    parts = native.compile_parts((x, y, z, w), outputs, (2, 1, 1))
    packed = native.compile_native((x, y, z, w), outputs)
    assert parts is not None
    assert packed is not None
    rng = np.random.default_rng(11)
    a, b, c = rng.normal(size=(37, 2)), rng.normal(size=(37, 1)), rng.normal(size=(37, 1))
    np.testing.assert_array_equal(parts([a, b, c]), packed(np.concatenate([a, b, c], axis=1)))


def test_widths_must_cover_the_inputs() -> None:
    x, y = se.symbols("x y")
    with pytest.raises(ValueError, match="do not add up"):
        native.source((x, y), [x + y], (1, 2))
    kernel = native.compile_parts((x, y), [x + y], (1, 1))
    assert kernel is not None
    with pytest.raises(ValueError, match="not"):
        kernel([np.ones((3, 1)), np.ones((4, 1))])


def _fallback(
    twin: object, inputs: dict[str, np.ndarray], monkeypatch: pytest.MonkeyPatch
) -> np.ndarray:
    with monkeypatch.context() as m:
        m.setenv("DERIVE_BACKEND", "numpy")
        return np.asarray(twin(**inputs))  # type: ignore[operator]


def test_a_large_linear_system_batch_is_not_packed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    twin = get("linear-system-2x2").twins[0]
    rows = fast.NATIVE_ROWS + 5
    inputs = twin.sample(np.random.default_rng(2), rows)
    inputs["A"][3] = 0.0  # singular: NaN, as the fallback gives
    inputs["b"][4, 0] = np.nan
    expected = _fallback(twin, inputs, monkeypatch)
    assert twin.backend(rows) == "native"
    with monkeypatch.context() as m:
        m.setattr(fast.np, "concatenate", _refuse)
        got = twin(**inputs)
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=0)
    assert np.isnan(got[3]).all()
    assert np.isnan(got[4]).all()


def _refuse(*args: object, **kwargs: object) -> None:
    raise AssertionError("inputs were packed into one array")


def test_strided_and_broadcast_inputs_are_read_right(monkeypatch: pytest.MonkeyPatch) -> None:
    twin = get("linear-system-2x2").twins[0]
    rows = fast.NATIVE_ROWS + 1
    rng = np.random.default_rng(4)
    A = rng.normal(size=(rows, 2, 2)) + 3 * np.eye(2)
    wide = rng.normal(size=(rows, 4))
    inputs = {"A": A, "b": wide[:, ::2]}  # a strided view
    np.testing.assert_allclose(
        twin(**inputs), _fallback(twin, inputs, monkeypatch), rtol=1e-12, atol=1e-15
    )
    shared = {"A": A, "b": np.array([1.0, -2.0])}  # one b for every system
    np.testing.assert_allclose(
        twin(**shared), _fallback(twin, shared, monkeypatch), rtol=1e-12, atol=1e-15
    )
