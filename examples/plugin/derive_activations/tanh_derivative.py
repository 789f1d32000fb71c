"""The derivative of tanh, with a numeric twin checked against NumPy's cosh."""

from __future__ import annotations

import numpy as np
import sympy as sp

from derive import (
    Arg,
    Derivation,
    Domain,
    Entry,
    Formula,
    Interview,
    Mistake,
    Reference,
    Rel,
    Step,
    Topic,
    Twin,
    Var,
)

ENTRY = Entry(
    id="tanh-derivative",
    topic=Topic.CALCULUS_OPTIMIZATION,
    title="The derivative of tanh",
)


def _sample(rng: np.random.Generator, size: int) -> dict[str, np.ndarray]:
    return {"x": rng.uniform(-4, 4, size=size)}


def _sech_squared(x: np.ndarray) -> np.ndarray:
    return 1 / np.cosh(x) ** 2  # an independent formula: sech²x


def build() -> Derivation:
    x = sp.Symbol("x", real=True)
    slope = sp.Derivative(sp.tanh(x), x)
    result = Formula(slope, 1 - sp.tanh(x) ** 2, name="tanh'")
    return ENTRY.derivation(
        symbols=(Var(x, "the pre-activation", Domain.REAL),),
        steps=(
            Step(
                lhs=slope,
                rhs=sp.Derivative(sp.sinh(x) / sp.cosh(x), x),
                rel=Rel.IDENTITY,
                why="tanh is sinh over cosh.",
            ),
            Step(
                rhs=(sp.cosh(x) ** 2 - sp.sinh(x) ** 2) / sp.cosh(x) ** 2,
                why="Quotient rule, with sinh' = cosh and cosh' = sinh.",
            ),
            Step(rhs=1 - sp.tanh(x) ** 2, why="Divide each term by cosh²x."),
        ),
        results=(result,),
        twins=(
            Twin(
                "tanh'",
                result,
                (Arg("x", x),),
                Reference("numpy.cosh: sech²x", _sech_squared),
                _sample,
            ),
        ),
        intuition=(
            "tanh squashes its input into (−1, 1); its slope 1 − tanh²x is 1 at the origin and "
            "falls towards 0 as the unit saturates, which is why deep tanh networks can have "
            "vanishing gradients."
        ),
        interview=Interview(
            "What is the derivative of tanh, and what is its largest value?",
            "1 − tanh²(x); it is largest, 1, at x = 0, and tends to 0 as |x| grows.",
        ),
        mistakes=(
            Mistake(
                slope,
                1 + sp.tanh(x) ** 2,
                "cosh² − sinh² = 1, so the slope is 1 − tanh², never above 1.",
                name="1 + tanh²",
            ),
            Mistake(
                slope,
                sp.tanh(x) * (1 - sp.tanh(x)),
                "That is the sigmoid's pattern σ(1 − σ); tanh's is 1 − tanh².",
                name="the sigmoid's pattern",
            ),
        ),
    )
