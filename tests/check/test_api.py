"""The Python API: ``derive.check(...)`` returns a frozen result shaped like the contract."""

from __future__ import annotations

import dataclasses
import doctest
import importlib
import json
import pkgutil

import pytest

import derive
import derive.checker
from derive.checker.api import Pair, Request, Result, check, check_data


def test_derive_check_is_callable_and_a_package() -> None:
    assert derive.check("x + x = 2x").verdict == "correct"
    importlib.import_module("derive.checker.bench")
    assert derive.checker.bench.__name__ == "derive.checker.bench"  # type: ignore[attr-defined]
    from derive import check as exported

    assert exported("x = x").as_dict() == check("x = x").as_dict()


def test_results_are_frozen() -> None:
    result = check("x = 2x")
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.verdict = "correct"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.pairs[0].verdict = "proven"  # type: ignore[misc]
    assert isinstance(result.pairs[0], Pair)


def test_the_json_contract_shape() -> None:
    result = check(["a", "a", "2a", "2a"], id={"learner": 7}).as_dict()
    assert json.loads(json.dumps(result)) == result
    assert list(result) == [
        "id", "verdict", "first_error", "score", "pairs", "read", "assumed", "error"
    ]  # fmt: skip
    assert result["score"] == 2 / 3
    assert result["read"] == ["a", "a", "2*a", "2*a"]
    assert result["assumed"] == ["a"]
    assert [p["relation"] for p in result["pairs"]] == ["=", "=", "="]
    assert result["id"] == {"learner": 7}
    assert result["verdict"] == "incorrect"
    assert result["first_error"] == 2
    assert [(p["from"], p["to"]) for p in result["pairs"]] == [(0, 1), (1, 2), (2, 3)]
    assert [p["verdict"] for p in result["pairs"]] == ["proven", "refuted", "proven"]
    assert result["error"] is None


def test_a_string_is_a_claim_and_a_list_is_steps() -> None:
    assert check("a = a = a").pairs == check(["a", "a", "a"]).pairs
    lone = check(["a = a"])  # version 2: a lone statement is claimed for every value
    assert (lone.verdict, lone.pairs[0].relation, lone.read) == ("correct", "=", ("a = a",))
    assert check(["x", "= x"]).verdict == "correct"  # a continued line


def test_requests_from_json_are_validated() -> None:
    cases = {
        "a request must be a JSON object, not an array": [],
        "unknown field 'steeps'": {"steeps": ["x"]},
        "give either 'steps' (a list of expressions) or 'claim'": {"id": 1},
        "field 'given' must map names to kinds": {"claim": "x = x", "given": ["x"]},
        "field 'against' must be a catalog id": {"claim": "x = x", "against": 3},
    }
    for message, data in cases.items():
        result = check_data(data)
        assert result.error is not None
        assert message in result.error
    assert check_data({"id": 3, "steps": "x"}).id == 3


def test_request_round_trip() -> None:
    request = Request.from_json({"id": "r", "claim": "x = x", "given": {"x": "positive"}})
    assert request == Request(claim="x = x", given={"x": "positive"}, id="r")
    assert isinstance(check("x = x"), Result)


def test_input_error_results_exit_2_and_verdicts_exit_0_or_1() -> None:
    assert check("x = x").status == 0
    assert check("x = 2x").status == 1
    assert check("x = ").status == 2


MODULES = [
    importlib.import_module(f"derive.checker.{m.name}")
    for m in pkgutil.iter_modules(derive.checker.__path__)
]


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_docstring_examples_run(module: object) -> None:
    failures, attempted = doctest.testmod(module, optionflags=doctest.ELLIPSIS)  # type: ignore[arg-type]
    assert failures == 0
    assert attempted > 0
