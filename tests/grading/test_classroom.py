"""The generated class is what it claims: each variant's first error and score, as planted,
agree with an evaluator in plain floats (central differences, NumPy's inverse), independent of
the checker."""

from __future__ import annotations

import pytest

from tests.grading.classroom import EXERCISES, Exercise, Variant, generate, oracle

VARIANTS = [(e, v) for e in EXERCISES for v in e.variants if v.readable]


@pytest.mark.parametrize(
    ("exercise", "variant"), VARIANTS, ids=[f"{e.id}:{v.name}" for e, v in VARIANTS]
)
def test_a_planted_variant_is_what_the_oracle_says(exercise: Exercise, variant: Variant) -> None:
    first, score = oracle(exercise, variant)
    assert first == variant.first_error
    assert score == pytest.approx(variant.score)


def test_the_class_is_seeded_and_a_few_hundred_submissions() -> None:
    planted = generate()
    assert [(p.student, p.exercise.id) for p in planted] == [
        (p.student, p.exercise.id) for p in generate()
    ]
    assert 100 <= len(planted) <= 300
    assert len({(p.student, p.exercise.id) for p in planted}) == len(planted)


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.id)
def test_each_exercise_has_one_most_common_mistake(exercise: Exercise) -> None:
    counts = sorted((v.count for v in exercise.variants if v.mistake), reverse=True)
    assert len(counts) == 1 or counts[0] > counts[1]
