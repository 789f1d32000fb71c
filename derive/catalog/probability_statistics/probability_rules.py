"""The rules of probability: complement, inclusion–exclusion, product rule, total probability
and independence, for two general events and on two dice.

>>> sp.expand(build().result.rhs)
-a*c + a + c
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from fractions import Fraction

import numpy as np
import sympy as sp
from sympy import stats

from derive.catalog.common import fmt
from derive.catalog.entry import Entry, Exercise
from derive.catalog.parts import Check, Parts
from derive.catalog.probability_statistics.helpers import Named
from derive.catalog.steps import given, identity, ne
from derive.core.model import Domain, Formula, Interview, Mistake, Step, Topic, Var
from derive.numeric.derivation import Derivation
from derive.numeric.twin import Arg, Reference, Twin

ENTRY = Entry(
    id="probability-rules",
    topic=Topic.PROBABILITY_STATISTICS,
    title="Rules of probability",
    exercise=Exercise(
        question=(
            r"Event $A$ has probability $a$; event $B$ happens with probability $b$ when $A$ "
            r"happens and $c$ when it does not. Compute ${lhs}$, the probability that $A$ or "
            r"$B$ happens, for {given}."
        ),
        lhs=r"\operatorname{P}(A \cup B)",
    ),
)

FACES = 6

P = stats.Probability

INTUITION = (
    "Think of probability as area on a unit square of outcomes. The complement is the "
    "area outside an event; the union of two events is both areas minus the overlap "
    "that was counted twice; the product rule says the overlap is the share of A that "
    "also lies in B, times the size of A; total probability adds up the pieces of B "
    "inside A and outside A. Two events are independent when knowing one does not "
    "change the share of the other — which can happen by coincidence of numbers, as "
    "with a sum of 7 and the first die."
)


def _dice_counts() -> dict[str, Fraction]:
    """The dice facts by counting the 36 equally likely outcomes with integers."""
    outcomes = list(itertools.product(range(1, FACES + 1), repeat=2))

    def share(event: Callable[[int, int], bool]) -> Fraction:
        return Fraction(sum(1 for o in outcomes if event(*o)), len(outcomes))

    return {
        "seven": share(lambda x, y: x + y == 7),
        "not seven": share(lambda x, y: x + y != 7),
        "a six": share(lambda x, y: x == 6 or y == 6),
        "seven and three": share(lambda x, y: x + y == 7 and x == 3),
        "eight and three": share(lambda x, y: x + y == 8 and x == 3),
        "eight": share(lambda x, y: x + y == 8),
    }


def _union_by_table(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    table = np.stack(  # rows: A, not A; columns: B, not B
        [np.stack([a * b, a * (1 - b)], -1), np.stack([(1 - a) * c, (1 - a) * (1 - c)], -1)],
        -2,
    )
    return table[..., 0, 0] + table[..., 0, 1] + table[..., 1, 0]


def _loaded_dice(rng: np.random.Generator, count: int) -> dict[str, np.ndarray]:
    faces = rng.uniform(0.1, 1.0, size=(2, count, FACES))
    faces /= faces.sum(axis=-1, keepdims=True)
    return {"p": faces[0], "q": faces[1]}


def _is_pmf(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    ok = [(v >= 0).all(axis=-1) & np.isclose(v.sum(axis=-1), 1.0) for v in (p, q)]
    return ok[0] & ok[1]


def _counted(derived: dict[str, sp.Rational]) -> Callable[[np.random.Generator], tuple[bool, str]]:
    """The ``derived`` dice probabilities equal the counts of the 36 outcomes."""
    counts = _dice_counts()

    def counted(rng: np.random.Generator) -> tuple[bool, str]:
        wrong = [
            k for k, v in counts.items() if Fraction(int(derived[k].p), int(derived[k].q)) != v
        ]
        return not wrong, (
            "counting 36 outcomes with integers: "
            + ", ".join(f"{k} {v}" for k, v in counts.items())
            + (f"; disagree: {wrong}" if wrong else "; all equal to sympy.stats")
        )

    return counted


class _Parts(Parts):
    """Two general events A and B, and two fair dice X and Y, with their events."""

    intuition = INTUITION
    assumptions = ("0 < a, b, c < 1",)

    def __init__(self) -> None:
        self.a, self.b, self.c = a, b, c = sp.symbols("a b c", positive=True)
        self.first = first = stats.Bernoulli("A", a)
        S = stats.Bernoulli("S", b)
        F = stats.Bernoulli("F", c)
        self.second = Named(first * S + (1 - first) * F, sp.Symbol("B"))
        self.A, self.notA = sp.Eq(first, 1), sp.Eq(first, 0)
        self.B = sp.Eq(self.second, 1)
        self.union = stats.P(sp.Or(self.A, self.B))

        self.X, self.Y = X, Y = stats.Die("X", FACES), stats.Die("Y", FACES)
        self.seven, self.eight, self.three = sp.Eq(X + Y, 7), sp.Eq(X + Y, 8), sp.Eq(X, 3)
        self.six_either = sp.Or(sp.Eq(X, 6), sp.Eq(Y, 6))

    def symbols(self) -> tuple[Var, ...]:
        return (
            Var(self.first, "1 if event A happens"),
            Var(sp.Symbol("B"), "1 if event B happens"),
            Var(self.a, "P(A)", Domain.PROBABILITY),
            Var(self.b, "P(B | A)", Domain.PROBABILITY),
            Var(self.c, "P(B | not A)", Domain.PROBABILITY),
            Var(self.X, "a fair die"),
            Var(self.Y, "another fair die, independent of X"),
        )

    def event_steps(self) -> tuple[Step, ...]:
        a, b, c, A, notA, B = self.a, self.b, self.c, self.A, self.notA, self.B
        return (
            given(
                sp.Symbol("B"),
                self.second.args[0],
                "Two general events: A happens with probability a; B then happens with "
                "probability b if A did and c if not (S and F are Bernoulli(b) and Bernoulli(c), "
                "independent of A). Every joint distribution of two events has this form.",
            ),
            identity(P(notA), 1 - P(A), "Complement: P(not A) = 1 − P(A)."),
            identity(
                P(sp.And(A, B)),
                P(B, A) * P(A),
                "Product rule: P(A and B) = P(B | A) P(A).",
            ),
            identity(
                P(B),
                P(B, A) * P(A) + P(B, notA) * P(notA),
                "Total probability: split B by whether A happened.",
            ),
            Step(rhs=a * b + (1 - a) * c, why="In the parameters."),
            identity(
                P(sp.Or(A, B)),
                P(A) + P(B) - P(sp.And(A, B)),
                "Inclusion–exclusion: adding P(A) and P(B) counts 'both' twice.",
            ),
            Step(rhs=self.union, why="In the parameters."),
            identity(
                P(sp.And(A, B)) - P(A) * P(B),
                sp.factor(stats.P(sp.And(A, B)) - stats.P(A) * stats.P(B)),
                "Independence means P(A and B) = P(A)P(B); the difference factors, so A and B "
                "are independent exactly when P(B | A) = b equals P(B | not A) = c.",
            ),
        )

    def dice_steps(self) -> tuple[Step, ...]:
        X, Y, seven, eight, three = self.X, self.Y, self.seven, self.eight, self.three
        by_first = sp.Add(
            *(P(seven, sp.Eq(X, k)) * P(sp.Eq(X, k)) for k in range(1, FACES + 1)), evaluate=False
        )
        return (
            identity(
                P(seven),
                stats.P(seven),
                "Two fair dice X and Y: sympy.stats enumerates the 36 outcomes; six of them "
                "sum to 7.",
            ),
            identity(P(sp.Ne(X + Y, 7)), 1 - stats.P(seven), "Complement."),
            identity(
                P(seven),
                by_first,
                "Total probability over the first die: whatever X shows, exactly one face of Y "
                "completes a 7.",
            ),
            identity(
                P(self.six_either),
                P(sp.Eq(X, 6)) + P(sp.Eq(Y, 6)) - P(sp.And(sp.Eq(X, 6), sp.Eq(Y, 6))),
                "At least one six: inclusion–exclusion, not 1/6 + 1/6 …",
            ),
            Step(rhs=stats.P(self.six_either), why="… = 11/36."),
            identity(
                P(sp.And(seven, three)),
                P(seven) * P(three),
                "'Sum is 7' is independent of 'first die shows 3' (a surprise) …",
            ),
            ne(
                P(sp.And(eight, three)),
                stats.P(eight) * stats.P(three),
                "… but 'sum is 8' is not: 1/36 ≠ (5/36)(1/6).",
            ),
        )

    def results(self) -> tuple[Formula, ...]:
        a, b, c = self.a, self.b, self.c
        return (
            Formula(P(sp.Or(self.A, self.B)), self.union, name="inclusion–exclusion"),
            Formula(P(self.B), a * b + (1 - a) * c, name="total probability"),
            Formula(P(self.seven), stats.P(self.seven), name="P(X + Y = 7)"),
            Formula(P(self.six_either), stats.P(self.six_either), name="at least one six"),
        )

    def derived(self) -> dict[str, sp.Rational]:
        """The dice probabilities sympy.stats derives, by the names of ``_dice_counts``."""
        seven, eight, three = self.seven, self.eight, self.three
        return {
            "seven": stats.P(seven),
            "not seven": 1 - stats.P(seven),
            "a six": stats.P(self.six_either),
            "seven and three": stats.P(sp.And(seven, three)),
            "eight and three": stats.P(sp.And(eight, three)),
            "eight": stats.P(eight),
        }

    def interview(self) -> Interview:
        seven, eight, three = self.seven, self.eight, self.three
        return Interview(
            question="Roll two fair dice. What is the probability of at least one six? Of a sum "
            "of 7? Is 'the sum is 7' independent of 'the first die shows 3'?",
            answer=(
                f"At least one six: 1/6 + 1/6 − 1/36 = {fmt(stats.P(self.six_either))} "
                f"(or 1 − (5/6)² by the complement). A sum of 7: {fmt(stats.P(seven))}, since "
                "for each face of the first die exactly one face of the second completes 7. "
                f"Independence: P(sum 7 and first 3) = {fmt(stats.P(sp.And(seven, three)))} = "
                f"P(sum 7)·P(first 3) = {fmt(stats.P(seven) * stats.P(three))}, so yes — but "
                f"for a sum of 8 it is {fmt(stats.P(sp.And(eight, three)))} against "
                f"{fmt(stats.P(eight) * stats.P(three))}, so no."
            ),
        )

    def twins(self, results: tuple[Formula, ...]) -> tuple[Twin, ...]:
        a, b, c = self.a, self.b, self.c
        p = sp.symbols(f"p1:{FACES + 1}", positive=True)
        q = sp.symbols(f"q1:{FACES + 1}", positive=True)
        loaded_X = stats.FiniteRV("X", dict(zip(range(1, FACES + 1), p, strict=True)))
        loaded_Y = stats.FiniteRV("Y", dict(zip(range(1, FACES + 1), q, strict=True)))
        loaded_seven = stats.P(sp.Eq(loaded_X + loaded_Y, 7))
        return (
            Twin(
                name="union of two events",
                formula=Formula(P(sp.Or(self.A, self.B)), self.union),
                args=(Arg("a", a), Arg("b", b), Arg("c", c)),
                reference=Reference(
                    "summing the cells of the 2×2 joint table where A or B holds",
                    _union_by_table,
                    kind="enumeration",
                ),
                sample=lambda rng, count: {k: rng.uniform(0.01, 0.99, size=count) for k in "abc"},
                domain="0 < a, b, c < 1; NaN outside",
                valid=lambda a, b, c: (a > 0) & (a < 1) & (b > 0) & (b < 1) & (c > 0) & (c < 1),
                rtol=1e-12,
            ),
            Twin(
                name="loaded dice: P(X + Y = 7)",
                formula=Formula(P(self.seven), loaded_seven),
                args=(Arg("p", sp.ImmutableMatrix(p)), Arg("q", sp.ImmutableMatrix(q))),
                reference=Reference(
                    "np.convolve of the two face distributions",
                    lambda p, q: np.convolve(p, q)[5],
                    batched=False,
                ),
                sample=_loaded_dice,
                domain="p and q are probability vectors over the six faces; NaN otherwise",
                valid=_is_pmf,
                rtol=1e-12,
            ),
        )

    def mistakes(self) -> tuple[Mistake, ...]:
        A, notA, B = self.A, self.notA, self.B
        return (
            Mistake(
                P(sp.Or(A, B)),
                P(A) + P(B),
                "The overlap P(A and B) is counted twice; subtract it once.",
                name="union without overlap",
            ),
            Mistake(
                P(sp.And(A, B)),
                P(A) * P(B),
                "Multiplying probabilities needs independence; in general use P(B | A)P(A).",
                name="independence assumed",
            ),
            Mistake(
                P(B),
                P(B, A) + P(B, notA),
                "Total probability weights each conditional by the probability of its case.",
                name="unweighted total probability",
            ),
            Mistake(
                P(A, B),
                P(B, A),
                "P(A | B) and P(B | A) differ unless P(A) = P(B) (Bayes' theorem).",
                name="conditional reversed",
            ),
            Mistake(
                P(self.seven),
                sp.Rational(1, 11),
                "The 11 possible sums 2, …, 12 are not equally likely; 7 has six of the 36 "
                "outcomes.",
                name="sums equally likely",
            ),
        )

    def steps(self) -> tuple[Step, ...]:
        return self.event_steps() + self.dice_steps()

    def checks(self, results: tuple[Formula, ...], twins: tuple[Twin, ...]) -> tuple[Check, ...]:
        return (
            (
                "the dice probabilities by counting 36 outcomes with integers",
                _counted(self.derived()),
            ),
        )


def build() -> Derivation:
    """Build the derivation."""
    return _Parts().derivation(ENTRY)
