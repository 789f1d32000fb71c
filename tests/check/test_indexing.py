"""A bracket right after a name or a call (``x[2]``, ``softmax(z)[2]``) is indexing to a
learner and a product to the grammar: refused in one line, never read as a product."""

from __future__ import annotations

import pytest

import derive


@pytest.mark.parametrize(
    ("step", "given", "column"),
    [
        ("x[2]", {}, 2),
        ("-log(softmax(z)[2])", {"z": "vector 3"}, 16),
        ("A[1, 2]", {"A": "matrix 2 2"}, 2),
        ("(a + b)[1]", {}, 8),
    ],
)
def test_indexing_is_refused_where_it_is(step: str, given: dict[str, str], column: int) -> None:
    result = derive.check([step, "1"], given=given)
    assert result.verdict == "unknown"
    assert result.error is not None
    assert "indexing such as x[2] is not supported" in result.error
    assert f"column {column}:" in result.error


@pytest.mark.parametrize("step", ["x*[2]", "x [2]", "2[1, 2]"])
def test_a_written_product_with_a_vector_is_still_read(step: str) -> None:
    result = derive.check([step, "[2x]"])
    assert result.error is None
    assert result.verdict in {"correct", "incorrect"}
