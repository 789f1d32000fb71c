"""derive.core.lazy, and what it buys: building catalog derivations (as the checker does to
name a recorded mistake) imports none of SciPy's heavy subpackages; their twins still run."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from derive.core import lazy

# (not scipy.special: backprop-two-layer evaluates a twin while it is built, for its notes, and
# lambdify's "scipy" namespace imports it)
HEAVY = ("scipy.stats", "scipy.spatial", "scipy.optimize", "scipy.integrate")


def test_a_lazy_module_works_like_the_module() -> None:
    special = lazy.module("scipy.special")
    assert float(special.expit(0.0)) == 0.5
    assert special.expit is sys.modules["scipy.special"].expit
    assert lazy.module("scipy.special") is sys.modules["scipy.special"]  # once imported


def test_a_missing_module_is_an_import_error_at_once() -> None:
    with pytest.raises(ImportError, match="no_such_module_here"):
        lazy.module("no_such_module_here")


def test_building_the_catalog_imports_no_heavy_scipy() -> None:
    # a fresh process: this one has SciPy loaded already
    program = (
        "import sys\n"
        "from derive.catalog import get, ids\n"
        "for i in ids(): get(i)\n"
        f"heavy = {HEAVY!r}\n"
        "loaded = [m for m in heavy if m in sys.modules]\n"
        "print(','.join(loaded) or 'none')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True, timeout=300
    )
    assert done.stdout.strip() == "none"


LAZY_IDS = (
    "chain-rule-activations",
    "logistic-regression-gradient",
    "loss-functions",
    "softmax-cross-entropy-gradient",
    "attention-scaling",
    "cosine-similarity",
    "bernoulli",
    "binomial",
    "expectation-linearity",
    "hypothesis-tests",
    "mean-least-squares",
    "normal-distribution",
    "standardization",
    "variance-shortcut",
)


@pytest.mark.parametrize("identifier", LAZY_IDS)
def test_the_twins_behind_lazy_references_still_agree(identifier: str) -> None:
    from derive.catalog import get

    twins = [t for t in get(identifier).twins if "scipy" in t.reference.name.lower()]
    assert twins, "each of these entries checks a twin against SciPy"
    for twin in twins:
        inputs = twin.sample(np.random.default_rng(3), 3)
        ours, theirs = twin(**inputs), twin.reference(**inputs)
        np.testing.assert_allclose(ours, theirs, rtol=max(twin.rtol, 1e-6), atol=twin.atol)


def test_threads_racing_to_the_first_use_all_get_the_module() -> None:
    program = (
        "import sys, threading\n"
        "from derive.core import lazy\n"
        "stats = lazy.module('scipy.stats')\n"
        "assert 'scipy.stats' not in sys.modules\n"
        "got = []\n"
        "def use(): got.append(float(stats.norm.cdf(0.0)))\n"
        "threads = [threading.Thread(target=use) for _ in range(8)]\n"
        "[t.start() for t in threads]; [t.join() for t in threads]\n"
        "print(got)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True, timeout=300
    )
    assert done.stdout.strip() == str([0.5] * 8)
