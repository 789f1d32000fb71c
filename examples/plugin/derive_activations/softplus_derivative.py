"""The derivative of softplus is the logistic sigmoid (no numeric twin: checked step by step)."""

from __future__ import annotations

import sympy as sp

from derive import Derivation, Domain, Entry, Formula, Interview, Mistake, Rel, Step, Topic, Var

ENTRY = Entry(
    id="softplus-derivative",
    topic=Topic.CALCULUS_OPTIMIZATION,
    title="The derivative of softplus",
)


def build() -> Derivation:
    x = sp.Symbol("x", real=True)
    slope = sp.Derivative(sp.log(1 + sp.exp(x)), x)
    return ENTRY.derivation(
        symbols=(Var(x, "the pre-activation", Domain.REAL),),
        steps=(
            Step(
                lhs=slope,
                rhs=sp.exp(x) / (1 + sp.exp(x)),
                rel=Rel.IDENTITY,
                why="Chain rule: (log u)' = u'/u with u = 1 + eˣ.",
            ),
            Step(rhs=1 / (1 + sp.exp(-x)), why="Divide numerator and denominator by eˣ."),
        ),
        results=(Formula(slope, 1 / (1 + sp.exp(-x)), name="softplus' = σ"),),
        twins=(),
        intuition=(
            "softplus is a smooth ReLU: log(1 + eˣ) ≈ 0 for very negative x and ≈ x for large "
            "x. Its slope moves smoothly from 0 to 1, and that slope is exactly the sigmoid."
        ),
        interview=Interview(
            "What is the derivative of softplus(x) = log(1 + eˣ)?",
            "The logistic sigmoid σ(x) = 1/(1 + e⁻ˣ).",
        ),
        mistakes=(
            Mistake(
                slope,
                1 / (1 + sp.exp(x)),
                "Dividing by eˣ flips the sign in the exponent: 1/(1 + e⁻ˣ), not 1/(1 + eˣ).",
                name="sign of the exponent",
            ),
            Mistake(
                slope,
                sp.exp(x) / (1 + sp.exp(x)) ** 2,
                "That is σ(1 − σ), the second derivative of softplus.",
                name="one derivative too many",
            ),
        ),
    )
