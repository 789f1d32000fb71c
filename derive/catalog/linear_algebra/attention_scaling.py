"""Scaled dot-product attention: Var(q·k) = d, so q·k/√d has variance 1; softmax sums to 1.

>>> [r.name for r in build().results][2:4]
['variance of the score', 'scaled variance']
"""

from __future__ import annotations

import numpy as np
import sympy as sp
from scipy.special import softmax as scipy_softmax
from sympy.stats import Expectation, Normal, Variance

from derive.catalog.common import decimal, fmt
from derive.catalog.entry import Entry
from derive.core.model import Domain, Formula, Interview, Mistake, Rel, Step, Topic, Var
from derive.numeric.derivation import Derivation
from derive.numeric.realise import Realiser
from derive.numeric.twin import Arg, Reference, Twin

ENTRY = Entry(
    id="attention-scaling",
    topic=Topic.LINEAR_ALGEBRA,
    title="Scaled dot-product attention",
)

SAMPLES = 20_000  # Monte Carlo draws per input
TOLERANCE = 0.08  # relative; at least 5 standard errors of a sample variance of 20 000 draws
SCORES = 4  # length of the softmax twin's input


def sample_scales(rng: np.random.Generator, size: int) -> dict[str, np.ndarray]:
    """Standard deviations of q and k entries, and head dimensions."""
    return {
        "sigma_q": rng.uniform(0.5, 2.0, size),
        "sigma_k": rng.uniform(0.5, 2.0, size),
        "d": rng.choice([2.0, 8.0, 32.0], size),
    }


def simulated_variance(sigma_q: float, sigma_k: float, d: float) -> float:
    """Sample variance of q·k/√d over 20 000 seeded draws of Gaussian q, k ∈ ℝᵈ."""
    rng = np.random.default_rng([int(sigma_q * 1e6), int(sigma_k * 1e6), int(d)])
    dim = int(d)
    q = rng.normal(0.0, sigma_q, size=(SAMPLES, dim))
    k = rng.normal(0.0, sigma_k, size=(SAMPLES, dim))
    return float(np.var(np.einsum("ij,ij->i", q, k) / np.sqrt(dim)))


def sample_scores(rng: np.random.Generator, size: int) -> dict[str, np.ndarray]:
    """Attention scores, some large enough that a naive exp would overflow."""
    return {"z": rng.normal(size=(size, SCORES)) * rng.choice([1.0, 30.0, 400.0], (size, 1))}


def build() -> Derivation:
    """Build the derivation."""
    d = sp.Symbol("d", integer=True, positive=True)
    i = sp.Symbol("i", integer=True)
    c = sp.Symbol("c", real=True)
    s_q, s_k = sp.symbols("sigma_q sigma_k", positive=True)
    q, k = Normal("q_i", 0, 1), Normal("k_i", 0, 1)
    qs, ks = Normal("q_i", 0, s_q), Normal("k_i", 0, s_k)
    Var_ = sp.Function("Var")
    qv, kv = sp.IndexedBase("q"), sp.IndexedBase("k")
    dot = sp.Sum(qv[i] * kv[i], (i, 1, d))
    score = dot / sp.sqrt(d)

    def variance_as_moments(x: sp.Expr) -> sp.Expr:
        return Variance(x).rewrite(Expectation)

    z = sp.MatrixSymbol("z", SCORES, 1)
    exps = [sp.exp(z[j, 0]) for j in range(SCORES)]
    total = sum(exps, sp.Integer(0))
    softmax = sp.ImmutableMatrix([e / total for e in exps])
    shifted = sp.ImmutableMatrix(
        [
            sp.exp(z[j, 0] + c) / sum((sp.exp(z[m, 0] + c) for m in range(SCORES)), sp.Integer(0))
            for j in range(SCORES)
        ]
    )

    steps = (
        Step(
            lhs=Expectation(q * k),
            rhs=sp.Integer(0),
            rel=Rel.IDENTITY,
            why="Take the entries of the query q and key k independent with mean 0 and "
            "variance 1 (standard normal here). Then E[qᵢkᵢ] = E[qᵢ]E[kᵢ] = 0.",
        ),
        Step(
            lhs=Variance(q * k),
            rhs=variance_as_moments(q * k),
            rel=Rel.GIVEN,
            why="By definition Var(qᵢkᵢ) = E[(qᵢkᵢ)²] − E[qᵢkᵢ]² ...",
        ),
        Step(
            rhs=sp.Integer(1),
            why="... = E[qᵢ²]E[kᵢ²] − 0 = 1·1 (SymPy integrates against the normal densities).",
        ),
        Step(
            lhs=Var_(dot),
            rhs=sp.Sum(variance_as_moments(q * k), (i, 1, d)),
            rel=Rel.GIVEN,
            why="The d products qᵢkᵢ are independent, so their variances add (Bienaymé).",
        ),
        Step(rhs=d, why="Each term is 1: Var(q·k) = d, growing with the dimension."),
        Step(
            lhs=Var_(score),
            rhs=sp.Sum(variance_as_moments(q * k / sp.sqrt(d)), (i, 1, d)),
            rel=Rel.GIVEN,
            why="Divide the score by √d: each term's variance is divided by d ...",
        ),
        Step(
            rhs=sp.Integer(1),
            why="... and the scaled score has variance 1 whatever d is, so the softmax that "
            "follows neither saturates (huge scores, vanishing gradients) nor flattens.",
        ),
        Step(
            lhs=sp.Add(*softmax),
            rhs=sp.Integer(1),
            rel=Rel.IDENTITY,
            why="softmax(z)ᵢ = e^{zᵢ}/Σⱼe^{zⱼ} is positive and its entries sum to 1: "
            "attention weights are a probability distribution.",
        ),
        Step(
            lhs=shifted,
            rhs=softmax,
            rel=Rel.IDENTITY,
            why="Adding the same c to every score changes nothing (e^c cancels). With "
            "c = −max zⱼ no exponential overflows: the stable way to compute softmax.",
        ),
        Step(
            lhs=Variance(qs * ks / sp.sqrt(d)) * d,
            rhs=d * variance_as_moments(qs * ks / sp.sqrt(d)),
            rel=Rel.GIVEN,
            why="If the entries have standard deviations σ_q and σ_k instead, the same sum of "
            "d equal terms ...",
        ),
        Step(
            rhs=s_q**2 * s_k**2,
            why="... gives Var(q·k/√d) = σ_q²σ_k²: scaling by √d fixes the dependence on d, "
            "not on the scale of the entries (which layer normalisation controls).",
        ),
    )
    results = (
        Formula(Expectation(q * k), sp.Integer(0), name="mean of a product"),
        Formula(Variance(q * k), sp.Integer(1), name="variance of a product"),
        Formula(Var_(dot), d, name="variance of the score"),
        Formula(Var_(score), sp.Integer(1), name="scaled variance"),
        Formula(sp.Add(*softmax), sp.Integer(1), name="softmax sums to 1"),
        Formula(shifted, softmax, name="shift invariance"),
        Formula(steps[9].lhs, s_q**2 * s_k**2, name="unequal variances"),
    )

    ex_z = sp.ImmutableMatrix([2, 1, 0])
    ex_soft = [sp.exp(v) / sum(sp.exp(u) for u in ex_z) for v in ex_z]
    interview = Interview(
        question=(
            "Why does scaled dot-product attention divide q·k by √d? With d = 64 and "
            "unit-variance entries, what are the standard deviations of q·k and q·k/√8? "
            "Compute softmax(2, 1, 0)."
        ),
        answer=(
            "Each qᵢkᵢ has mean 0 and variance 1, and the d of them add up, so Var(q·k) = d: "
            f"the standard deviation for d = 64 is {fmt(sp.sqrt(64))}, and typical scores of ±8 "
            "to ±16 push the softmax into saturation with tiny gradients. Dividing by √d = 8 "
            f"restores variance 1 (dividing by √8 would leave variance {fmt(sp.Integer(64) / 8)}, "
            f"standard deviation {decimal(sp.sqrt(8))}). softmax(2, 1, 0) = "
            f"({', '.join(decimal(v, 3) for v in ex_soft)}), summing to "
            f"{fmt(sp.nsimplify(sum(ex_soft)))}."
        ),
    )

    realise = Realiser()
    stable = shifted.xreplace({c: -sp.Max(*(z[j, 0] for j in range(SCORES)))})
    twins = (
        Twin(
            name="scaled score variance",
            formula=results[6],
            args=(Arg("sigma_q", s_q), Arg("sigma_k", s_k), Arg("d", d)),
            reference=Reference(
                f"seeded Monte Carlo, {SAMPLES} draws",
                simulated_variance,
                kind="simulation",
                batched=False,
            ),
            sample=sample_scales,
            domain="σ_q, σ_k > 0 and any head dimension d (the result does not depend on d)",
            rtol=TOLERANCE,
            atol=0.0,
        ),
        Twin(
            name="softmax",
            formula=Formula(sp.Symbol("p"), realise(stable), name="shifted by max z"),
            args=(Arg("z", realise(z)),),
            reference=Reference("scipy.special.softmax", lambda z: scipy_softmax(z, axis=-1)),
            sample=sample_scores,
            domain=f"scores (..., {SCORES}) of any finite size (the shift by max z prevents "
            "overflow)",
        ),
    )

    return ENTRY.derivation(
        symbols=(
            Var(d, "the dimension of queries and keys", Domain.COUNT),
            Var(c, "a shift of all scores"),
            Var(z, "attention scores", Domain.MATRIX),
            Var(s_q, "standard deviation of the query entries", Domain.POSITIVE),
            Var(s_k, "standard deviation of the key entries", Domain.POSITIVE),
        ),
        steps=steps,
        results=results,
        twins=twins,
        assumptions=(
            "query and key entries independent, mean 0 (only the mean, variance and "
            "independence matter; normal entries are used for the integrals)",
        ),
        intuition=(
            "A dot product of two random d-dimensional vectors is a sum of d small random "
            "terms, and sums of independent terms spread out like √d. In a wide attention "
            "head the raw scores would therefore be large, the softmax would put almost all "
            "its weight on one key, and its gradients would vanish. Dividing by √d keeps the "
            "scores at unit scale for every head size. The softmax itself turns scores into "
            "weights that are positive and sum to 1, and subtracting the largest score first "
            "changes nothing mathematically but keeps the exponentials from overflowing."
        ),
        interview=interview,
        mistakes=(
            Mistake(
                sp.Sum(variance_as_moments(q * k / sp.sqrt(d)), (i, 1, d)),
                sp.Sum(variance_as_moments(q * k / d), (i, 1, d)),
                "Dividing by d instead of √d over-corrects: the variance becomes 1/d.",
                name="divide by d",
            ),
            Mistake(
                sp.Sum(variance_as_moments(q * k), (i, 1, d)),
                sp.sqrt(d),
                "Variances add, so Var(q·k) = d; it is the standard deviation that is √d.",
                name="variance √d",
            ),
            Mistake(
                sp.Add(*softmax),
                sp.Add(*(e / sum((z[j, 0] for j in range(SCORES)), sp.Integer(0)) for e in exps)),
                "Normalise by the sum of the exponentials, not by the sum of the raw scores.",
                name="softmax denominator",
            ),
        ),
    )
