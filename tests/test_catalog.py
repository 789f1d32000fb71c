"""Every catalog entry, verified: parametrised over the whole catalog, so a new entry is
tested by being added."""

from __future__ import annotations

import functools

import numpy as np
import pytest

from derive.catalog import CATALOG, get, ids
from derive.core.model import Rel, Topic
from derive.reasoning.verify import Report, seed_for, verify

ALL = list(ids())
# The verification of one id is cached per process: its tests share an xdist group so they
# run on the same worker (``--dist loadgroup``) and each derivation is verified once.
GROUPED = [pytest.param(i, marks=pytest.mark.xdist_group(i)) for i in ALL]


@functools.cache
def report(identifier: str) -> Report:
    """One verification per derivation per test process."""
    return verify(get(identifier))


@pytest.mark.parametrize("identifier", GROUPED)
def test_every_check_passes(identifier: str) -> None:
    failed = [f"{c.name}: {c.detail}" for c in report(identifier).checks if not c.passed]
    assert not failed, "\n".join(failed)


@pytest.mark.parametrize("identifier", GROUPED)
def test_step_chain_is_verified_not_just_stated(identifier: str) -> None:
    d = get(identifier)
    derived = [s for s in d.steps if s.rel is not Rel.GIVEN]
    assert len(derived) >= 2, "a derivation needs at least two derived (verified) steps"
    step_checks = [c for c in report(identifier).checks if c.name.startswith("step ")]
    assert len(step_checks) == len(derived)
    assert all(c.status in ("proven", "numeric") for c in step_checks)


@pytest.mark.parametrize("identifier", GROUPED)
def test_metadata_matches_catalog(identifier: str) -> None:
    d = get(identifier)
    assert d.id == identifier
    assert (d.title, d.topic) == (CATALOG[identifier].title, CATALOG[identifier].topic)
    assert d.title
    assert d.intuition
    assert d.interview.question
    assert d.interview.answer
    assert d.mistakes
    assert d.twins


@pytest.mark.parametrize("identifier", GROUPED)
def test_twins_agree_with_reference_on_fresh_seeds(identifier: str) -> None:
    """Different seeds from the ones verify uses: agreement is not an accident of one seed."""
    d = get(identifier)
    for number, twin in enumerate(d.twins):
        rng = np.random.default_rng([seed_for(identifier), number, 999])
        inputs = twin.sample(rng, 32)
        got, want = twin(**inputs), twin.reference(**inputs)
        assert got.shape == want.shape
        np.testing.assert_allclose(got, want, rtol=twin.rtol, atol=twin.atol)


@pytest.mark.parametrize("identifier", GROUPED)
def test_twin_batch_equals_per_sample(identifier: str) -> None:
    d = get(identifier)
    for number, twin in enumerate(d.twins):
        inputs = twin.sample(np.random.default_rng([seed_for(identifier), number, 7]), 5)
        batch = twin(**inputs)
        singles = np.stack([twin(**{k: v[i] for k, v in inputs.items()}) for i in range(5)])
        np.testing.assert_array_equal(batch, singles)


def test_catalog_ids_are_unique_and_kebab_case() -> None:
    assert len(set(ALL)) == len(ALL)
    assert all(i == i.lower() and " " not in i and "_" not in i for i in ALL)


def test_topics_are_the_three_of_the_design() -> None:
    assert {e.topic for e in CATALOG.values()} <= set(Topic)
