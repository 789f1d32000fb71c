"""A generated class with planted mistakes, for testing ``derive grade``.

Each exercise has variants — a correct working and planted mistakes — each with the line of
its first error, the kind of mistake a teacher would name, and its score with the error carried
forward. Every step (and the key's answer, or the catalog result it is graded against) is also
written as a plain Python function of floats, so that the first error and the score of every
variant are established by an evaluator independent of the checker
(:func:`oracle`, run by ``test_classroom.py``). Students are assigned variants by a seeded
shuffle with fixed counts, so each exercise's most common mistake is known by construction.
"""

from __future__ import annotations

import itertools
import json
import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

Value = Callable[[dict[str, float]], Any]
H = 1e-5
UNREADABLE = "could not be read"


def d(f: Callable[[float], float], x: float) -> float:
    """A central difference (the oracle's derivative, independent of any symbolic rule)."""
    return (f(x + H) - f(x - H)) / (2 * H)


def sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-z))


def inverse(v: dict[str, float]) -> Any:
    return np.linalg.inv(np.array([[v["a"], v["b"]], [v["c"], v["d"]]]))


@dataclass(frozen=True)
class Variant:
    """One way of doing an exercise."""

    name: str
    steps: tuple[str, ...]
    values: tuple[Value, ...]  # each step as a function of the names
    count: int  # how many students write it
    first_error: int | None  # planted (the key's answer is line len(steps))
    mistake: str | None  # the kind the report should name
    score: float

    @property
    def readable(self) -> bool:
        """Whether the steps are well formed (an unbalanced parenthesis is planted in one)."""
        return self.mistake != UNREADABLE


@dataclass(frozen=True)
class Exercise:
    """An exercise, its key entry, and the variants the class writes."""

    id: str
    key: dict[str, Any]
    names: tuple[str, ...]
    target: Value | None  # the key's answer or catalog result, for the oracle
    variants: tuple[Variant, ...]

    @property
    def students(self) -> int:
        return sum(v.count for v in self.variants)

    @property
    def top(self) -> Variant:
        """The most common planted mistake."""
        return max((v for v in self.variants if v.mistake), key=lambda v: v.count)


def _v(
    name: str,
    pairs: Sequence[tuple[str, Value]],
    count: int,
    first: int | None,
    mistake: str | None,
    score: float,
) -> Variant:
    return Variant(
        name, tuple(s for s, _ in pairs), tuple(f for _, f in pairs), count, first, mistake, score
    )


SQUARE = ("(a + b)^2", lambda v: (v["a"] + v["b"]) ** 2)
DSIN = ("diff(sin(x^2), x)", lambda v: d(lambda t: math.sin(t**2), v["x"]))
DGAUSS = ("diff(exp(-x^2/2), x)", lambda v: d(lambda t: math.exp(-(t**2) / 2), v["x"]))
INV = ("inv([[a, b], [c, d]])", inverse)
DSIG = ("diff(sigmoid(z), z)", lambda v: d(sigmoid, v["z"]))
SCALARS = {n: "scalar" for n in "abcd"}


def _det(v: dict[str, float]) -> float:
    return v["a"] * v["d"] - v["b"] * v["c"]


EXERCISES: tuple[Exercise, ...] = (
    Exercise(
        "expand-square",
        {"exercise": "expand-square", "answer": "a^2 + 2*a*b + b^2"},
        ("a", "b"),
        lambda v: v["a"] ** 2 + 2 * v["a"] * v["b"] + v["b"] ** 2,
        (
            _v(
                "correct",
                [
                    SQUARE,
                    ("(a + b)*(a + b)", lambda v: (v["a"] + v["b"]) * (v["a"] + v["b"])),
                    (
                        "a^2 + 2*a*b + b^2",
                        lambda v: v["a"] ** 2 + 2 * v["a"] * v["b"] + v["b"] ** 2,
                    ),
                ],
                11,
                None,
                None,
                1.0,
            ),
            _v(
                "cross term dropped",
                [SQUARE, ("a^2 + b^2", lambda v: v["a"] ** 2 + v["b"] ** 2)],
                8,
                1,
                "a term dropped",
                0.0,
            ),
            _v(
                "cross term halved on line 2",
                [
                    SQUARE,
                    ("(a + b)*(a + b)", lambda v: (v["a"] + v["b"]) * (v["a"] + v["b"])),
                    ("a^2 + a*b + b^2", lambda v: v["a"] ** 2 + v["a"] * v["b"] + v["b"] ** 2),
                ],
                4,
                2,
                "a wrong step (no known pattern)",
                1 / 3,
            ),
            _v(
                "unreadable",
                [SQUARE, ("a^2 + (b", lambda v: math.nan)],
                2,
                None,
                UNREADABLE,
                0.0,
            ),
        ),
    ),
    Exercise(
        "chain-rule",
        {"exercise": "chain-rule", "answer": "2*x*cos(x^2)"},
        ("x",),
        lambda v: 2 * v["x"] * math.cos(v["x"] ** 2),
        (
            _v(
                "correct",
                [
                    DSIN,
                    ("cos(x^2)*diff(x^2, x)", lambda v: math.cos(v["x"] ** 2) * 2 * v["x"]),
                    ("2*x*cos(x^2)", lambda v: 2 * v["x"] * math.cos(v["x"] ** 2)),
                ],
                12,
                None,
                None,
                1.0,
            ),
            _v(
                "inner derivative missing",
                [DSIN, ("cos(x^2)", lambda v: math.cos(v["x"] ** 2))],
                9,
                1,
                "missing chain-rule factor",
                0.0,
            ),
            _v(
                "halved on line 2",
                [
                    DSIN,
                    ("cos(x^2)*2*x", lambda v: math.cos(v["x"] ** 2) * 2 * v["x"]),
                    ("x*cos(x^2)", lambda v: v["x"] * math.cos(v["x"] ** 2)),
                ],
                3,
                2,
                "off by a constant factor",
                1 / 3,
            ),
        ),
    ),
    Exercise(
        "gaussian-derivative",
        {"exercise": "gaussian-derivative", "answer": "-x*exp(-x^2/2)"},
        ("x",),
        lambda v: -v["x"] * math.exp(-(v["x"] ** 2) / 2),
        (
            _v(
                "correct",
                [DGAUSS, ("exp(-x^2/2)*(-x)", lambda v: -v["x"] * math.exp(-(v["x"] ** 2) / 2))],
                15,
                None,
                None,
                1.0,
            ),
            _v(
                "sign lost",
                [DGAUSS, ("x*exp(-x^2/2)", lambda v: v["x"] * math.exp(-(v["x"] ** 2) / 2))],
                9,
                1,
                "sign flipped",
                0.0,
            ),
        ),
    ),
    Exercise(
        "inverse-2x2",
        {"exercise": "inverse-2x2", "given": SCALARS, "against": "inverse-2x2"},
        ("a", "b", "c", "d"),
        inverse,
        (
            _v(
                "correct",
                [
                    INV,
                    (
                        "1/(a*d - b*c)*[[d, -b], [-c, a]]",
                        lambda v: np.array([[v["d"], -v["b"]], [-v["c"], v["a"]]]) / _det(v),
                    ),
                ],
                12,
                None,
                None,
                1.0,
            ),
            _v(
                "diagonal not swapped",
                [
                    INV,
                    (
                        "1/(a*d - b*c)*[[a, -b], [-c, d]]",
                        lambda v: np.array([[v["a"], -v["b"]], [-v["c"], v["d"]]]) / _det(v),
                    ),
                ],
                7,
                1,
                "diagonal not swapped (inverse-2x2)",
                0.0,
            ),
            _v(
                "determinant sign",
                [
                    INV,
                    (
                        "1/(a*d + b*c)*[[d, -b], [-c, a]]",
                        lambda v: (
                            np.array([[v["d"], -v["b"]], [-v["c"], v["a"]]])
                            / (v["a"] * v["d"] + v["b"] * v["c"])
                        ),
                    ),
                ],
                4,
                1,
                "determinant sign (inverse-2x2)",
                0.0,
            ),
        ),
    ),
    Exercise(
        "sigmoid-derivative",
        {
            "exercise": "sigmoid-derivative",
            "given": {"z": "scalar"},
            "against": "chain-rule-activations",
        },
        ("z",),
        lambda v: sigmoid(v["z"]) * (1 - sigmoid(v["z"])),
        (
            _v(
                "correct",
                [
                    DSIG,
                    (
                        "exp(-z)/(1 + exp(-z))^2",
                        lambda v: math.exp(-v["z"]) / (1 + math.exp(-v["z"])) ** 2,
                    ),
                    (
                        "sigmoid(z)*(1 - sigmoid(z))",
                        lambda v: sigmoid(v["z"]) * (1 - sigmoid(v["z"])),
                    ),
                ],
                13,
                None,
                None,
                1.0,
            ),
            _v(
                "tanh rule",
                [DSIG, ("1 - sigmoid(z)^2", lambda v: 1 - sigmoid(v["z"]) ** 2)],
                7,
                1,
                "tanh rule applied to σ (chain-rule-activations)",
                0.0,
            ),
        ),
    ),
)


def oracle(exercise: Exercise, variant: Variant, seed: int = 0) -> tuple[int | None, float]:
    """(first error, score) of a variant by evaluating its steps and the target in floats at
    seeded points: a pair is right when the two agree at every point."""
    rng = random.Random(seed)
    points = [{n: rng.uniform(-2, 2) for n in exercise.names} for _ in range(12)]
    values = [*variant.values, *([exercise.target] if exercise.target else [])]
    good: list[bool] = []
    for before, after in itertools.pairwise(values):
        agree = all(
            np.allclose(np.asarray(before(p), float), np.asarray(after(p), float), rtol=1e-6)
            for p in points
        )
        good.append(agree)
    first = next((j + 1 for j, ok in enumerate(good) if not ok), None)
    return first, sum(good) / len(good)


@dataclass(frozen=True)
class Planted:
    """What was planted for one student and exercise."""

    student: str
    exercise: Exercise
    variant: Variant


def generate(seed: int = 17, students: int | None = None) -> list[Planted]:
    """The class: for each exercise, every student writes one variant (a seeded shuffle of
    the variants with their counts); ``students`` keeps only the first few students."""
    rng = random.Random(seed)
    planted = []
    for exercise in EXERCISES:
        pool = [v for v in exercise.variants for _ in range(v.count)]
        rng.shuffle(pool)
        for number, variant in enumerate(pool, 1):
            planted.append(Planted(f"s{number:03d}", exercise, variant))
    if students is not None:
        planted = [p for p in planted if int(p.student[1:]) <= students]
    rng.shuffle(planted)
    return planted


def write(planted: Sequence[Planted], folder: Path) -> tuple[Path, Path]:
    """The submissions and the key as JSON Lines files in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    submissions = folder / "class.jsonl"
    submissions.write_text(
        "".join(
            json.dumps(
                {"student": p.student, "exercise": p.exercise.id, "steps": list(p.variant.steps)}
            )
            + "\n"
            for p in planted
        )
    )
    key = folder / "key.jsonl"
    key.write_text("".join(json.dumps(e.key) + "\n" for e in EXERCISES))
    return submissions, key
