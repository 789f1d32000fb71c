"""Bayes' theorem, P(D | T) = P(T | D)P(D)/P(T), with P(T) by total probability.

>>> import sympy as sp
>>> build().results[2].rhs
1/6
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from fractions import Fraction

import numpy as np
import sympy as sp
from sympy import stats

from derive.catalog.common import decimal, fmt
from derive.catalog.entry import Entry, Exercise, Picture
from derive.catalog.parts import Check, Parts
from derive.catalog.probability_statistics.helpers import Named
from derive.catalog.steps import given, identity, ne
from derive.core.model import Domain, Formula, Interview, Mistake, Step, Topic, Var
from derive.numeric.derivation import Derivation
from derive.numeric.twin import Arg, Reference, Twin

ENTRY = Entry(
    id="bayes-theorem",
    topic=Topic.PROBABILITY_STATISTICS,
    title="Bayes' theorem and base rates",
    plot=Picture(
        caption=(
            "The probability of the condition after a positive test, over its prior: for a "
            "rare condition most positives are false."
        ),
        drawing="bayes_posterior",
    ),
    exercise=Exercise(
        question=(
            r"A test $T$ for a condition $D$ has sensitivity $s = P(T = 1 \mid D = 1)$ and "
            r"false-positive rate $f = P(T = 1 \mid D = 0)$, and the condition's prevalence "
            r"is $p = P(D = 1)$. Using Bayes' theorem, compute ${lhs}$ for {given}."
        ),
    ),
    widget="probability.bayes",
)

POPULATION = 10_000

INTUITION = (
    "Bayes' theorem turns the probability of the evidence given the hypothesis into the "
    "probability of the hypothesis given the evidence. Picture everyone who tests "
    "positive: they are the sick people the test caught plus the healthy people it "
    "wrongly flagged. The posterior is the first group's share of that crowd. When the "
    "disease is rare, even a small false-positive rate applied to the huge healthy "
    "majority produces more false alarms than there are sick people, so a positive "
    "result from an accurate test can still leave the disease unlikely."
)
NOTES = (
    "The twins are compared with exact counts: each rate is read as a fraction and the "
    "population is the product of the denominators, so every group is a whole number.",
)


def _count_posterior(p: float, s: float, f: float) -> tuple[float, float]:
    """P(D | T) and P(T) by counting a population in which every group is a whole number.

    Each rate is read as an exact fraction; the population size is the product of their
    denominators, so the counts below are integers and the answer is exact.
    """
    rates = [Fraction(float(v)).limit_denominator(10**6) for v in (p, s, f)]
    prevalence, sensitivity, false_positive = rates
    people = 1
    for rate in rates:
        people *= rate.denominator
    sick = people * prevalence.numerator // prevalence.denominator
    healthy = people - sick
    true_positives = sick * sensitivity.numerator // sensitivity.denominator
    false_positives = healthy * false_positive.numerator // false_positive.denominator
    positives = true_positives + false_positives
    return true_positives / positives, positives / people


def _rates(rng: np.random.Generator, size: int) -> dict[str, np.ndarray]:
    """Rates with three decimals in (0, 1)."""
    return {k: rng.integers(1, 1000, size=size) / 1000 for k in ("p", "s", "f")}


def _valid(p: np.ndarray, s: np.ndarray, f: np.ndarray) -> np.ndarray:
    inside = [(v > 0) & (v < 1) for v in (p, s, f)]
    return inside[0] & inside[1] & inside[2]


def _posterior_by_counting(p: np.ndarray, s: np.ndarray, f: np.ndarray) -> np.ndarray:
    return np.array(_count_posterior(float(p), float(s), float(f))[0])


def _evidence_by_counting(p: np.ndarray, s: np.ndarray, f: np.ndarray) -> np.ndarray:
    return np.array(_count_posterior(float(p), float(s), float(f))[1])


def _ten_thousand(answer: sp.Rational) -> Callable[[np.random.Generator], tuple[bool, str]]:
    """Counting 10,000 people with integers gives the derived ``answer``."""

    def ten_thousand(rng: np.random.Generator) -> tuple[bool, str]:
        sick_people = POPULATION // 100
        true_positive = sick_people * 99 // 100
        false_positive_count = (POPULATION - sick_people) * 5 // 100
        counted = Fraction(true_positive, true_positive + false_positive_count)
        derived = Fraction(int(answer.p), int(answer.q))
        return counted == derived, (
            f"of {POPULATION} people {sick_people} are sick, {true_positive} true and "
            f"{false_positive_count} false positives: {counted} (derived {derived})"
        )

    return ten_thousand


def _simulated(answer: sp.Rational) -> Callable[[np.random.Generator], tuple[bool, str]]:
    """A seeded simulation of 2,000,000 people agrees with the derived ``answer``."""

    def simulated(rng: np.random.Generator) -> tuple[bool, str]:
        people = 2_000_000
        is_sick = rng.random(people) < 0.01
        positive_test = np.where(is_sick, rng.random(people) < 0.99, rng.random(people) < 0.05)
        sick_among_positive = is_sick[positive_test]
        estimate = float(sick_among_positive.mean())
        error = float(np.sqrt(estimate * (1 - estimate) / sick_among_positive.size))
        ok = abs(estimate - float(answer)) < 4 * error
        return ok, (
            f"seeded simulation of {people} people: {estimate:.5f} ± {error:.5f} (1 s.e.), "
            f"derived {float(answer):.5f}; tolerance 4 s.e."
        )

    return simulated


class _Parts(Parts):
    """The test model, the conditional probabilities and the worked numbers."""

    intuition = INTUITION
    assumptions = ("0 < p, s, f < 1",)
    notes = NOTES

    def __init__(self) -> None:
        self.p = p = sp.Symbol("p", positive=True)
        self.s = s = sp.Symbol("s", positive=True)
        self.f = f = sp.Symbol("f", positive=True)
        self.D = D = stats.Bernoulli("D", p)
        self.S = S = stats.Bernoulli("S", s)
        self.F = F = stats.Bernoulli("F", f)
        self.T = T = sp.Symbol("T")
        self.test = Named(D * S + (1 - D) * F, T)
        self.sick, self.healthy = sp.Eq(D, 1), sp.Eq(D, 0)
        self.positive = sp.Eq(self.test, 1)

        self.prior = stats.P(self.sick)
        self.sensitivity = stats.P(self.positive, self.sick)
        self.false_positive = stats.P(self.positive, self.healthy)
        self.joint = self.sensitivity * self.prior
        self.evidence = self.joint + self.false_positive * stats.P(self.healthy)
        self.posterior = self.joint / self.evidence

        self.values = {p: sp.Rational(1, 100), s: sp.Rational(99, 100), f: sp.Rational(5, 100)}
        self.numeric_query = stats.Probability(self.sick, self.positive).xreplace(self.values)
        self.answer = self.posterior.xreplace(self.values)
        self.query = stats.Probability(self.sick, self.positive)
        self.evidence_query = stats.Probability(self.positive)

    def unevaluated(self) -> sp.Expr:
        """s·p/(s·p + f·(1 − p)) at the worked numbers, not yet multiplied out."""
        p, s, f = (self.values[v] for v in (self.p, self.s, self.f))
        true = sp.Mul(s, p, evaluate=False)
        false = sp.Mul(f, 1 - p, evaluate=False)
        return sp.Mul(
            true, sp.Pow(sp.Add(true, false, evaluate=False), -1, evaluate=False), evaluate=False
        )

    def symbols(self) -> tuple[Var, ...]:
        return (
            Var(self.p, "prevalence P(D = 1), the prior", Domain.PROBABILITY),
            Var(self.s, "sensitivity P(T = 1 | D = 1)", Domain.PROBABILITY),
            Var(self.f, "false-positive rate P(T = 1 | D = 0)", Domain.PROBABILITY),
            Var(self.D, "1 if the person is sick"),
            Var(self.S, "the test's result for a sick person"),
            Var(self.F, "the test's result for a healthy person"),
            Var(self.T, "the test's result, S if D = 1 and F if D = 0"),
        )

    def steps(self) -> tuple[Step, ...]:
        sick, healthy, positive = self.sick, self.healthy, self.positive
        return (
            given(
                self.T,
                self.test.args[0],
                "Model: D, a Bernoulli(p) variable, says whether a person is sick (p is the "
                "prevalence). The test result T is S, a Bernoulli(s) variable, for a sick person "
                "and F, a Bernoulli(f) variable, for a healthy one; S and F are independent of D.",
            ),
            identity(
                stats.Probability(positive, sick),
                self.sensitivity,
                "Given D = 1 the test is S: sympy.stats conditions the joint distribution and "
                "finds the sensitivity s.",
            ),
            identity(
                stats.Probability(positive, healthy),
                self.false_positive,
                "Given D = 0 the test is F: the false-positive rate f.",
            ),
            identity(
                stats.Probability(sp.And(sick, positive)),
                self.joint,
                "Product rule: P(D = 1 and T = 1) = P(T = 1 | D = 1) P(D = 1).",
            ),
            identity(
                self.evidence_query,
                self.evidence,
                "Total probability over D = 1 and D = 0: the evidence P(T = 1) counts true and "
                "false positives.",
            ),
            identity(
                self.query,
                self.posterior,
                "Bayes: P(D = 1 | T = 1) = P(D = 1 and T = 1)/P(T = 1); sympy.stats conditions "
                "on T = 1 directly and agrees.",
            ),
            identity(
                self.numeric_query,
                self.unevaluated(),
                "Prevalence 1%, sensitivity 99%, false-positive rate 5%.",
            ),
            Step(rhs=self.answer, why="Exact arithmetic: 99/10000 over (99 + 495)/10000."),
            ne(
                self.posterior,
                self.prior,
                "A positive test does change the belief: the posterior differs from the prior "
                "p unless s = f.",
            ),
        )

    def results(self) -> tuple[Formula, ...]:
        return (
            Formula(self.query, self.posterior, name="P(D | T)"),
            Formula(self.evidence_query, self.evidence, name="P(T)"),
            Formula(self.numeric_query, self.answer, name="P(D | T) at 1%, 99%, 5%"),
        )

    def interview(self) -> Interview:
        values, answer = self.values, self.answer
        counts = {
            "sick": POPULATION * values[self.p],
            "true": POPULATION * values[self.p] * values[self.s],
            "false": POPULATION * (1 - values[self.p]) * values[self.f],
        }
        return Interview(
            question="A disease affects 1% of people. A test detects it in 99% of the sick and "
            "gives a false positive for 5% of the healthy. You test positive: how likely is it "
            "that you are sick?",
            answer=(
                f"P(D | T) = P(T | D)P(D)/P(T) = (0.99·0.01)/(0.99·0.01 + 0.05·0.99) = "
                f"{fmt(answer)} ≈ {decimal(100 * answer, 3)}%. Count 10,000 people: "
                f"{fmt(counts['sick'])} are sick and {fmt(counts['true'])} of them test "
                f"positive; of the {fmt(POPULATION - counts['sick'])} healthy, "
                f"{fmt(counts['false'])} test positive too, so only {fmt(counts['true'])} of "
                f"the {fmt(counts['true'] + counts['false'])} positives are sick. The low "
                "prevalence (the base rate) makes false positives outnumber true ones five to "
                "one."
            ),
        )

    def twins(self, results: tuple[Formula, ...]) -> tuple[Twin, ...]:
        posterior = Twin(
            name="posterior",
            formula=Formula(self.query, self.posterior),
            args=(Arg("p", self.p), Arg("s", self.s), Arg("f", self.f)),
            reference=Reference(
                "counting a population (exact integers)",
                _posterior_by_counting,
                kind="enumeration",
                batched=False,
            ),
            sample=_rates,
            domain="0 < p, s, f < 1; NaN outside",
            valid=_valid,
            rtol=1e-12,
        )
        evidence = replace(
            posterior,
            name="evidence",
            formula=Formula(self.evidence_query, self.evidence),
            reference=replace(posterior.reference, fn=_evidence_by_counting),
        )
        return (posterior, evidence)

    def mistakes(self) -> tuple[Mistake, ...]:
        query, p, s, f = self.query, self.p, self.s, self.f
        return (
            Mistake(
                query,
                s,
                "P(D | T) is not P(T | D): the sensitivity answers the opposite question.",
                name="conditional reversed",
            ),
            Mistake(
                query,
                s * p,
                "That is P(D and T); it still has to be divided by the evidence P(T).",
                name="evidence forgotten",
            ),
            Mistake(
                query,
                s / (s + f),
                "Ignoring the prevalence (base-rate neglect) treats sick and healthy as "
                "equally common.",
                name="base rate neglected",
            ),
            Mistake(
                query,
                s * p / (s * p + f),
                "False positives come from the healthy, a fraction 1 − p of people: "
                "the second term of P(T) is f(1 − p).",
                name="healthy fraction forgotten",
            ),
            Mistake(
                query,
                1 - f,
                "1 − f is the specificity, P(T = 0 | D = 0), not the chance of being sick.",
                name="specificity as posterior",
            ),
        )

    def checks(self, results: tuple[Formula, ...], twins: tuple[Twin, ...]) -> tuple[Check, ...]:
        return (
            (
                "a population of 10,000 counted with integers gives the derived 1/6",
                _ten_thousand(self.answer),
            ),
            ("a seeded simulation agrees with the derived 1/6", _simulated(self.answer)),
        )


def build() -> Derivation:
    """Build the derivation."""
    return _Parts().derivation(ENTRY)
