"""Batched numeric twins against NumPy/LAPACK: time, accuracy against 50-digit mpmath, and
distance from the memory-bandwidth bound.

>>> rows = measure(CASES[:1], sizes=(100,), repeats=1, samples=5)
>>> rows[0].name, rows[0].n, rows[0].speedup > 0, rows[0].max_rel_err < 1e-12
('inverse-2x2', 100, True, True)

Timing inputs are Gaussian (about 29% of general 2×2 matrices then have a complex pair of
eigenvalues). Accuracy is measured on the twin's own seeded sampler (well-conditioned inputs)
and on a second, ill-conditioned set, each against mpmath at 50 digits of the very same
float64 inputs: so the reference's error is measured too, on equal terms.
"""

from __future__ import annotations

import functools
import math
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import mpmath
import numpy as np

Inputs = dict[str, np.ndarray]
EPS = float(np.finfo(float).eps)


def _inverse(A: np.ndarray) -> list[Any]:
    return list(mpmath.inverse(mpmath.matrix(A.tolist())))


def _eigvals(A: np.ndarray) -> list[Any]:
    return list(mpmath.eig(mpmath.matrix(A.tolist()), left=False, right=False))


def _eigvalsh(S: np.ndarray) -> list[Any]:
    return sorted(mpmath.eigsy(mpmath.matrix(S.tolist()), eigvals_only=True))


def _solve(A: np.ndarray, b: np.ndarray) -> list[Any]:
    return list(mpmath.lu_solve(mpmath.matrix(A.tolist()), mpmath.matrix(b.tolist())))


def _gaussian(n: int) -> Callable[[np.random.Generator, int], Inputs]:
    return lambda rng, size: {"A": rng.normal(size=(size, n, n))}


def _symmetric(rng: np.random.Generator, size: int) -> Inputs:
    B = rng.normal(size=(size, 2, 2))
    return {"S": (B + np.swapaxes(B, -1, -2)) / 2}


def _system(rng: np.random.Generator, size: int) -> Inputs:
    return {"A": rng.normal(size=(size, 2, 2)), "b": rng.normal(size=(size, 2))}


def _rotation(rng: np.random.Generator, n: int) -> np.ndarray:
    Q, R = np.linalg.qr(rng.normal(size=(n, n)))
    return np.asarray(Q * np.sign(np.diag(R)))


def _with_condition(rng: np.random.Generator, size: int, n: int) -> np.ndarray:
    """Matrices U·diag(σ)·Vᵀ with condition number 10⁴ to 10¹² (log-uniform) and one small
    singular value (any middle ones between 0.1 and 1)."""
    out = np.empty((size, n, n))
    for k in range(size):
        kappa = 10 ** rng.uniform(4, 12)
        middle = sorted(10 ** rng.uniform(-1, 0, size=n - 2), reverse=True)
        sigma = np.array([1.0, *middle, 1 / kappa])
        out[k] = _rotation(rng, n) @ np.diag(sigma) @ _rotation(rng, n).T
    return out


def _spread_symmetric(rng: np.random.Generator, size: int) -> Inputs:
    """Symmetric matrices whose eigenvalues differ by a factor 10⁶ to 10¹⁴."""
    out = np.empty((size, 2, 2))
    for k in range(size):
        lam = np.array([1.0, rng.choice((-1, 1)) * 10 ** -rng.uniform(6, 14)])
        Q = _rotation(rng, 2)
        S = Q @ np.diag(lam) @ Q.T
        out[k] = (S + S.T) / 2
    return {"S": out}


def _spread_general(rng: np.random.Generator, size: int) -> Inputs:
    """General matrices with real eigenvalues differing by a factor 10⁶ to 10¹⁴ and
    eigenvectors at a moderate angle (so that only the spread is hard)."""
    out = np.empty((size, 2, 2))
    for k in range(size):
        lam = np.diag([1.0, rng.choice((-1, 1)) * 10 ** -rng.uniform(6, 14)])
        V = np.eye(2) + 0.5 * rng.uniform(-1, 1, size=(2, 2))
        out[k] = V @ lam @ np.linalg.inv(V)
    return {"A": out}


@dataclass(frozen=True)
class Case:
    """One benchmarked twin: its catalog id and twin, the LAPACK call it replaces, inputs for
    timing, a 50-digit evaluation of one sample, and an ill-conditioned input set."""

    name: str
    reference: str
    call: Callable[..., np.ndarray]
    timing: Callable[[np.random.Generator, int], Inputs]
    exact: Callable[..., list[Any]]
    ill: Callable[[np.random.Generator, int], Inputs]
    ill_measure: str  # "condition": normwise error / (κ ε); "norm": max |error| / (ε ‖A‖₂)
    twin: int = 0
    unordered: bool = False  # outputs compared as a set (eigenvalues)


CASES: tuple[Case, ...] = (
    Case(
        "inverse-2x2",
        "np.linalg.inv",
        lambda A: np.linalg.inv(A),
        _gaussian(2),
        _inverse,
        lambda rng, size: {"A": _with_condition(rng, size, 2)},
        "condition",
    ),
    Case(
        "eigenvalues-2x2",
        "np.linalg.eigvals",
        lambda A: np.linalg.eigvals(A),
        _gaussian(2),
        _eigvals,
        _spread_general,
        "norm",
        unordered=True,
    ),
    Case(
        "eigen-symmetric-2x2",
        "np.linalg.eigvalsh",
        lambda S: np.linalg.eigvalsh(S),
        _symmetric,
        _eigvalsh,
        _spread_symmetric,
        "norm",
        unordered=True,
    ),
    Case(
        "inverse-3x3-adjugate",
        "np.linalg.inv",
        lambda A: np.linalg.inv(A),
        _gaussian(3),
        _inverse,
        lambda rng, size: {"A": _with_condition(rng, size, 3)},
        "condition",
    ),
    Case(
        "linear-system-2x2",
        "np.linalg.solve",
        lambda A, b: np.linalg.solve(A, b[..., None])[..., 0],
        _system,
        _solve,
        lambda rng, size: {
            "A": _with_condition(rng, size, 2),
            "b": rng.normal(size=(size, 2)),
        },
        "condition",
    ),
)


@dataclass(frozen=True)
class Accuracy:
    """Errors of the twin and of the reference against 50-digit values of the same inputs."""

    derive: float
    reference: float


@dataclass(frozen=True)
class Row:
    """One case at one batch size (accuracy is per case, repeated on each row)."""

    name: str
    n: int
    derive_s: float
    reference_s: float
    reference: str
    backend: str
    in_bytes: int  # inputs read
    out_bytes: int  # outputs written
    copy_s: float  # copying the same inputs into new arrays, interleaved with both
    max_rel_err: float
    reference_max_rel_err: float
    ill: dict[str, Any] = field(default_factory=dict)

    @property
    def speedup(self) -> float:
        """How many times faster than the reference."""
        return self.reference_s / self.derive_s if self.derive_s > 0 else math.inf

    @property
    def bytes_moved(self) -> int:
        """Inputs read and outputs written."""
        return self.in_bytes + self.out_bytes

    @property
    def bound_s(self) -> float:
        """The memory-bandwidth bound: ``bytes_moved`` at the speed of copying these very
        inputs (same sizes, same caches, same allocator) into new arrays."""
        return self.copy_s * self.bytes_moved / (2 * self.in_bytes)


def _errors(got: np.ndarray, exact: list[Any], unordered: bool, measure: str) -> float:
    """Normwise relative error ‖got − exact‖/‖exact‖, or the largest absolute error for
    ``measure == "norm"`` (the caller divides by ε‖A‖); ∞ where ``got`` is not finite.
    Unordered outputs (eigenvalues) are matched in the better of the two orders."""
    if not np.isfinite(got).all():
        return math.inf
    values = [complex(v) for v in exact]
    candidates = [got.ravel().tolist()]
    if unordered:
        candidates.append(list(reversed(candidates[0])))
    best = math.inf
    for candidate in candidates:
        diffs = [abs(complex(g) - v) for g, v in zip(candidate, values, strict=True)]
        if measure == "norm":
            error = max(diffs)
        else:
            norm = math.sqrt(sum(abs(v) ** 2 for v in values))
            error = math.sqrt(sum(d * d for d in diffs)) / norm
        best = min(best, error)
    return best


def accuracy(case: Case, inputs: Inputs, measure: str = "normwise") -> Accuracy:
    """Largest error of the twin and of the reference over these inputs, against mpmath."""
    from derive.catalog import get

    twin = get(case.name).twins[case.twin]
    got_derive = np.asarray(twin(**inputs))
    got_reference = np.asarray(case.call(**inputs))
    size = len(next(iter(inputs.values())))
    worst = [0.0, 0.0]
    with mpmath.workdps(50):
        for k in range(size):
            one = {name: value[k] for name, value in inputs.items()}
            exact = case.exact(**one)
            scale = 1.0
            if measure == "condition":
                scale = float(np.linalg.cond(one["A"])) * EPS
            elif measure == "norm":
                scale = float(np.linalg.norm(next(iter(one.values())), 2)) * EPS
            for slot, got in enumerate((got_derive, got_reference)):
                error = _errors(got[k], exact, case.unordered, measure) / scale
                worst[slot] = max(worst[slot], error)
    return Accuracy(worst[0], worst[1])


def _median_time(fn: Callable[[], Any], repeats: int) -> list[float]:
    """Per-call times of ``repeats`` measurements, each looping long enough (≥ 20 ms)."""
    start = time.perf_counter()
    fn()
    once = max(time.perf_counter() - start, 1e-7)
    loops = max(1, int(0.02 / once))
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(loops):
            fn()
        times.append((time.perf_counter() - start) / loops)
    return times


def _interleaved(*functions: Callable[[], Any], repeats: int) -> list[float]:
    """Medians of alternating measurements, so that a busy moment hits all alike."""
    times: list[list[float]] = [[] for _ in functions]
    for _ in range(repeats):
        for slot, function in enumerate(functions):
            times[slot] += _median_time(function, 1)
    return [statistics.median(t) for t in times]


def _copies(inputs: Inputs) -> list[np.ndarray]:
    return [np.copy(v) for v in inputs.values()]


def copy_gbps(megabytes: int = 64, repeats: int = 7) -> float:
    """Memory bandwidth of ``np.copy`` into a new array (bytes read + written per second,
    in GB/s): what any function that returns a fresh array of its input's size pays."""
    source = np.ones(megabytes * 2**20 // 8)
    seconds = statistics.median(_median_time(source.copy, repeats))
    return 2 * source.nbytes / seconds / 1e9


def measure(
    cases: Sequence[Case] = CASES,
    *,
    sizes: Sequence[int] = (10**3, 10**5, 10**6),
    repeats: int = 5,
    samples: int = 200,
    seed: int = 2024,
) -> list[Row]:
    """Time every case at every size, and measure its accuracy once."""
    from derive.catalog import get

    rows = []
    for number, case in enumerate(cases):
        twin = get(case.name).twins[case.twin]
        rng = np.random.default_rng([seed, number])
        well = accuracy(case, twin.sample(rng, samples))
        ill = accuracy(case, case.ill(rng, samples), case.ill_measure)
        unit = "error / (κ·ε)" if case.ill_measure == "condition" else "error / (ε·‖A‖)"
        ill_row = {"measure": unit, "derive": ill.derive, "reference": ill.reference}
        for n in sizes:
            inputs = case.timing(np.random.default_rng([seed, number, n]), n)
            twin(**{k: v[:2] for k, v in inputs.items()})  # compiles the kernel
            output = twin(**inputs)  # and, for a large batch, the native one
            derive_s, reference_s, copy_s = _interleaved(
                functools.partial(twin, **inputs),
                functools.partial(case.call, **inputs),
                functools.partial(_copies, inputs),
                repeats=repeats,
            )
            rows.append(
                Row(
                    name=case.name,
                    n=n,
                    derive_s=derive_s,
                    reference_s=reference_s,
                    reference=case.reference,
                    backend=twin.backend(n),
                    in_bytes=sum(v.nbytes for v in inputs.values()),
                    out_bytes=output.nbytes,
                    copy_s=copy_s,
                    max_rel_err=well.derive,
                    reference_max_rel_err=well.reference,
                    ill=ill_row,
                )
            )
    return rows
