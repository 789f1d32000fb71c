"""Native kernels with a flag output that is counted, not stored (complex-pair twins)."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from derive.numeric import fast
from derive.numeric.native import compile_flagged, compiler


@pytest.fixture(scope="module")
def kernel():  # type: ignore[no-untyped-def]
    import symengine as se

    if compiler() is None:
        pytest.fail("no C compiler (cc or $CC) found")
    x, y = se.symbols("x y")
    built = compile_flagged((x, y), [x * y, x - y, se.Piecewise((1, x < y), (0, True))])
    assert built is not None
    return built


@pytest.mark.parametrize("rows", [1, 7, 8, 9, 17])
def test_the_flag_is_any_row_and_not_stored(kernel, rows: int) -> None:  # type: ignore[no-untyped-def]
    # a partial last block: its unused lanes must not raise (or hide) the flag
    for flagged_row in [None, *range(rows)]:
        data = np.column_stack([np.arange(rows, dtype=float) + 10, np.arange(rows, dtype=float)])
        if flagged_row is not None:
            data[flagged_row] = [-1.0, 2.0]
        out, flagged = kernel(data)
        assert out.shape == (rows, 2)
        np.testing.assert_array_equal(
            out, np.column_stack([data[:, 0] * data[:, 1], data[:, 0] - data[:, 1]])
        )
        assert flagged is (flagged_row is not None)


def test_an_empty_batch_is_not_flagged(kernel) -> None:  # type: ignore[no-untyped-def]
    out, flagged = kernel(np.empty((0, 2)))
    assert out.shape == (0, 2)
    assert flagged is False


def test_a_shared_condition_is_an_int_in_c() -> None:
    # GCC 12 does not vectorise some selects on conditions kept as doubles compared with 1.0
    import symengine as se

    from derive.numeric.native import source

    x, y = se.symbols("x y")
    inside = x * x + y < 0
    code = source(
        (x, y), [se.Piecewise((x, inside), (0, True)), se.Piecewise((y, inside), (1, True))]
    )
    assert "const int x" in code
    assert "== 1.0" not in code


def test_the_llvm_and_native_paths_agree_on_the_flag(monkeypatch: pytest.MonkeyPatch) -> None:
    x, y = sp.symbols("x y", real=True)
    compiled = fast.compile_kernel((x, y), [x + y, sp.Piecewise((1, x < 0), (0, True))])
    assert compiled is not None
    rng = np.random.default_rng(5)
    data = np.abs(rng.normal(size=(20_003, 2)))
    for negative in (False, True):
        if negative:
            data[-1, 0] = -1.0
        results = {}
        for backend in ("symengine", "native"):
            monkeypatch.setenv("DERIVE_BACKEND", backend)
            results[backend] = compiled.flagged(data)
        (llvm, llvm_flag), (native, native_flag) = results["symengine"], results["native"]
        np.testing.assert_array_equal(llvm, native)
        assert llvm_flag is native_flag is negative
