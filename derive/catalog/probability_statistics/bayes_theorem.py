"""Bayes' theorem, P(D | T) = P(T | D)P(D)/P(T), with P(T) by total probability.

>>> import sympy as sp
>>> build().results[2].rhs
1/6
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import sympy as sp
from sympy import stats

from derive.catalog.common import decimal, fmt
from derive.catalog.entry import Entry, Exercise
from derive.catalog.probability_statistics.helpers import Named
from derive.core.model import Domain, Formula, Interview, Mistake, Rel, Step, Topic, Var
from derive.numeric.derivation import Derivation
from derive.numeric.twin import Arg, Reference, Twin

ENTRY = Entry(
    id="bayes-theorem",
    topic=Topic.PROBABILITY_STATISTICS,
    title="Bayes' theorem and base rates",
    exercise=Exercise(question=r"Using Bayes' theorem, compute ${lhs}$ for {given}."),
    widget="probability.bayes",
)

POPULATION = 10_000


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


def build() -> Derivation:
    """Build the derivation."""
    p = sp.Symbol("p", positive=True)
    s = sp.Symbol("s", positive=True)
    f = sp.Symbol("f", positive=True)
    D = stats.Bernoulli("D", p)
    S = stats.Bernoulli("S", s)
    F = stats.Bernoulli("F", f)
    T = sp.Symbol("T")
    test = Named(D * S + (1 - D) * F, T)
    sick, healthy, positive = sp.Eq(D, 1), sp.Eq(D, 0), sp.Eq(test, 1)

    prior = stats.P(sick)
    sensitivity = stats.P(positive, sick)
    false_positive = stats.P(positive, healthy)
    joint = sensitivity * prior
    evidence = sensitivity * prior + false_positive * stats.P(healthy)
    posterior = joint / evidence

    values = {p: sp.Rational(1, 100), s: sp.Rational(99, 100), f: sp.Rational(5, 100)}
    numeric_query = stats.Probability(sick, positive).xreplace(values)
    unevaluated = sp.Mul(
        sp.Mul(values[s], values[p], evaluate=False),
        sp.Pow(
            sp.Add(
                sp.Mul(values[s], values[p], evaluate=False),
                sp.Mul(values[f], 1 - values[p], evaluate=False),
                evaluate=False,
            ),
            -1,
            evaluate=False,
        ),
        evaluate=False,
    )
    answer = posterior.xreplace(values)

    query = stats.Probability(sick, positive)
    evidence_query = stats.Probability(positive)
    steps = (
        Step(
            lhs=T,
            rhs=test.args[0],
            rel=Rel.GIVEN,
            why="Model: D, a Bernoulli(p) variable, says whether a person is sick (p is the "
            "prevalence). The test result T is S, a Bernoulli(s) variable, for a sick person "
            "and F, a Bernoulli(f) variable, for a healthy one; S and F are independent of D.",
        ),
        Step(
            lhs=stats.Probability(positive, sick),
            rhs=sensitivity,
            rel=Rel.IDENTITY,
            why="Given D = 1 the test is S: sympy.stats conditions the joint distribution and "
            "finds the sensitivity s.",
        ),
        Step(
            lhs=stats.Probability(positive, healthy),
            rhs=false_positive,
            rel=Rel.IDENTITY,
            why="Given D = 0 the test is F: the false-positive rate f.",
        ),
        Step(
            lhs=stats.Probability(sp.And(sick, positive)),
            rhs=joint,
            rel=Rel.IDENTITY,
            why="Product rule: P(D = 1 and T = 1) = P(T = 1 | D = 1) P(D = 1).",
        ),
        Step(
            lhs=evidence_query,
            rhs=evidence,
            rel=Rel.IDENTITY,
            why="Total probability over D = 1 and D = 0: the evidence P(T = 1) counts true and "
            "false positives.",
        ),
        Step(
            lhs=query,
            rhs=posterior,
            rel=Rel.IDENTITY,
            why="Bayes: P(D = 1 | T = 1) = P(D = 1 and T = 1)/P(T = 1); sympy.stats conditions "
            "on T = 1 directly and agrees.",
        ),
        Step(
            lhs=numeric_query,
            rhs=unevaluated,
            rel=Rel.IDENTITY,
            why="Prevalence 1%, sensitivity 99%, false-positive rate 5%.",
        ),
        Step(rhs=answer, why="Exact arithmetic: 99/10000 over (99 + 495)/10000."),
        Step(
            lhs=posterior,
            rhs=prior,
            rel=Rel.NE,
            why="A positive test does change the belief: the posterior differs from the prior "
            "p unless s = f.",
        ),
    )
    results = (
        Formula(query, posterior, name="P(D | T)"),
        Formula(evidence_query, evidence, name="P(T)"),
        Formula(numeric_query, answer, name="P(D | T) at 1%, 99%, 5%"),
    )

    counts = {
        "sick": POPULATION * values[p],
        "true": POPULATION * values[p] * values[s],
        "false": POPULATION * (1 - values[p]) * values[f],
    }
    interview = Interview(
        question="A disease affects 1% of people. A test detects it in 99% of the sick and "
        "gives a false positive for 5% of the healthy. You test positive: how likely is it "
        "that you are sick?",
        answer=(
            f"P(D | T) = P(T | D)P(D)/P(T) = (0.99·0.01)/(0.99·0.01 + 0.05·0.99) = "
            f"{fmt(answer)} ≈ {decimal(100 * answer, 3)}%. Count 10,000 people: "
            f"{fmt(counts['sick'])} are sick and {fmt(counts['true'])} of them test positive; "
            f"of the {fmt(POPULATION - counts['sick'])} healthy, {fmt(counts['false'])} test "
            f"positive too, so only {fmt(counts['true'])} of the "
            f"{fmt(counts['true'] + counts['false'])} positives are sick. The low prevalence "
            "(the base rate) makes false positives outnumber true ones five to one."
        ),
    )

    def posterior_by_counting(p: np.ndarray, s: np.ndarray, f: np.ndarray) -> np.ndarray:
        return np.array(_count_posterior(float(p), float(s), float(f))[0])

    def evidence_by_counting(p: np.ndarray, s: np.ndarray, f: np.ndarray) -> np.ndarray:
        return np.array(_count_posterior(float(p), float(s), float(f))[1])

    args = (Arg("p", p), Arg("s", s), Arg("f", f))
    twins = (
        Twin(
            name="posterior",
            formula=Formula(query, posterior),
            args=args,
            reference=Reference(
                "counting a population (exact integers)",
                posterior_by_counting,
                kind="enumeration",
                batched=False,
            ),
            sample=_rates,
            domain="0 < p, s, f < 1; NaN outside",
            valid=_valid,
            rtol=1e-12,
        ),
        Twin(
            name="evidence",
            formula=Formula(evidence_query, evidence),
            args=args,
            reference=Reference(
                "counting a population (exact integers)",
                evidence_by_counting,
                kind="enumeration",
                batched=False,
            ),
            sample=_rates,
            domain="0 < p, s, f < 1; NaN outside",
            valid=_valid,
            rtol=1e-12,
        ),
    )

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

    return ENTRY.derivation(
        symbols=(
            Var(p, "prevalence P(D = 1), the prior", Domain.PROBABILITY),
            Var(s, "sensitivity P(T = 1 | D = 1)", Domain.PROBABILITY),
            Var(f, "false-positive rate P(T = 1 | D = 0)", Domain.PROBABILITY),
            Var(D, "1 if the person is sick"),
            Var(S, "the test's result for a sick person"),
            Var(F, "the test's result for a healthy person"),
            Var(T, "the test's result, S if D = 1 and F if D = 0"),
        ),
        steps=steps,
        results=results,
        twins=twins,
        assumptions=("0 < p, s, f < 1",),
        intuition=(
            "Bayes' theorem turns the probability of the evidence given the hypothesis into the "
            "probability of the hypothesis given the evidence. Picture everyone who tests "
            "positive: they are the sick people the test caught plus the healthy people it "
            "wrongly flagged. The posterior is the first group's share of that crowd. When the "
            "disease is rare, even a small false-positive rate applied to the huge healthy "
            "majority produces more false alarms than there are sick people, so a positive "
            "result from an accurate test can still leave the disease unlikely."
        ),
        interview=interview,
        mistakes=(
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
        ),
        checks=(
            ("a population of 10,000 counted with integers gives the derived 1/6", ten_thousand),
            ("a seeded simulation agrees with the derived 1/6", simulated),
        ),
        notes=(
            "The twins are compared with exact counts: each rate is read as a fraction and the "
            "population is the product of the denominators, so every group is a whole number.",
        ),
    )
