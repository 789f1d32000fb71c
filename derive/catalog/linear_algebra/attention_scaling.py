"""Scaled dot-product attention: Var(q·k) = d, so q·k/√d has variance 1; softmax sums to 1.

>>> [r.name for r in build().results][2:4]
['variance of the score', 'scaled variance']
"""

from __future__ import annotations

import numpy as np
import sympy as sp
from sympy.stats import Expectation, Normal, Variance

from derive.catalog.common import decimal, fmt
from derive.catalog.entry import Entry, Exercise, Picture
from derive.catalog.steps import given, identity
from derive.core import lazy
from derive.core.model import Domain, Formula, Interview, Mistake, Step, Topic, Var
from derive.numeric.derivation import Derivation
from derive.numeric.realise import Realiser
from derive.numeric.twin import Arg, Reference, Twin

special = lazy.module("scipy.special")

ENTRY = Entry(
    id="attention-scaling",
    topic=Topic.LINEAR_ALGEBRA,
    title="Scaled dot-product attention",
    plot=Picture(
        caption=(
            "Softmax of the same scores divided by a growing temperature: large scores make "
            "it nearly one-hot, scaling by √d softens it."
        ),
        drawing="softmax_temperature",
    ),
    exercise=Exercise(
        question=(
            r"Query and key vectors $q, k$ of dimension $d$ have independent entries with "
            r"mean 0 and standard deviations $\sigma_q$ and $\sigma_k$. Compute the variance "
            r"${lhs}$ of the scaled score for {given}."
        ),
        lhs=r"\operatorname{Var}(q^{\top} k / \sqrt{d})",
    ),
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


def variance_as_moments(x: sp.Expr) -> sp.Expr:
    """Var(x) written as E[x²] − E[x]²."""
    return Variance(x).rewrite(Expectation)


class _Setup:
    """The symbols and expressions the parts of the derivation share."""

    def __init__(self) -> None:
        d = self.d = sp.Symbol("d", integer=True, positive=True)
        i = self.i = sp.Symbol("i", integer=True)
        c = self.c = sp.Symbol("c", real=True)
        s_q, s_k = self.s_q, self.s_k = sp.symbols("sigma_q sigma_k", positive=True)
        self.q, self.k = Normal("q_i", 0, 1), Normal("k_i", 0, 1)
        self.qs, self.ks = Normal("q_i", 0, s_q), Normal("k_i", 0, s_k)
        self.Var_ = sp.Function("Var")
        qv, kv = sp.IndexedBase("q"), sp.IndexedBase("k")
        self.dot = sp.Sum(qv[i] * kv[i], (i, 1, d))
        self.score = self.dot / sp.sqrt(d)

        z = self.z = sp.MatrixSymbol("z", SCORES, 1)
        self.exps = [sp.exp(z[j, 0]) for j in range(SCORES)]
        total = sum(self.exps, sp.Integer(0))
        self.softmax = sp.ImmutableMatrix([e / total for e in self.exps])
        self.shifted = sp.ImmutableMatrix(
            [
                sp.exp(z[j, 0] + c)
                / sum((sp.exp(z[m, 0] + c) for m in range(SCORES)), sp.Integer(0))
                for j in range(SCORES)
            ]
        )
        # Unequal variances: the scaled score as a sum of d equal terms.
        self.unequal = Variance(self.qs * self.ks / sp.sqrt(d)) * d

    def product_terms(self, scale: sp.Expr | int = 1) -> sp.Sum:
        """Σᵢ Var(qᵢkᵢ·scale) over the d coordinates, as moments."""
        return sp.Sum(variance_as_moments(self.q * self.k * scale), (self.i, 1, self.d))


def build() -> Derivation:
    """Build the derivation."""
    s = _Setup()
    q, k, d = s.q, s.k, s.d
    return ENTRY.derivation(
        symbols=(
            Var(d, "the dimension of queries and keys", Domain.COUNT),
            Var(s.c, "a shift of all scores"),
            Var(s.z, "attention scores", Domain.MATRIX),
            Var(s.s_q, "standard deviation of the query entries", Domain.POSITIVE),
            Var(s.s_k, "standard deviation of the key entries", Domain.POSITIVE),
        ),
        steps=_steps(s),
        results=(
            Formula(Expectation(q * k), sp.Integer(0), name="mean of a product"),
            Formula(Variance(q * k), sp.Integer(1), name="variance of a product"),
            Formula(s.Var_(s.dot), d, name="variance of the score"),
            Formula(s.Var_(s.score), sp.Integer(1), name="scaled variance"),
            Formula(sp.Add(*s.softmax), sp.Integer(1), name="softmax sums to 1"),
            Formula(s.shifted, s.softmax, name="shift invariance"),
            _unequal_variances(s),
        ),
        twins=_twins(s),
        assumptions=(
            "query and key entries independent, mean 0 (only the mean, variance and "
            "independence matter; normal entries are used for the integrals)",
        ),
        intuition=INTUITION,
        interview=_interview(),
        mistakes=_mistakes(s),
    )


def _unequal_variances(s: _Setup) -> Formula:
    """With standard deviations σ_q and σ_k, Var(q·k/√d) = σ_q²σ_k²."""
    return Formula(s.unequal, s.s_q**2 * s.s_k**2, name="unequal variances")


def _steps(s: _Setup) -> tuple[Step, ...]:
    """Moments of one product, the variance of the sum and of the scaled sum, softmax."""
    q, k, d = s.q, s.k, s.d
    return (
        identity(
            Expectation(q * k),
            sp.Integer(0),
            "Take the entries of the query q and key k independent with mean 0 and "
            "variance 1 (standard normal here). Then E[qᵢkᵢ] = E[qᵢ]E[kᵢ] = 0.",
        ),
        given(
            Variance(q * k),
            variance_as_moments(q * k),
            "By definition Var(qᵢkᵢ) = E[(qᵢkᵢ)²] − E[qᵢkᵢ]² ...",
        ),
        Step(
            rhs=sp.Integer(1),
            why="... = E[qᵢ²]E[kᵢ²] − 0 = 1·1 (SymPy integrates against the normal densities).",
        ),
        given(
            s.Var_(s.dot),
            s.product_terms(),
            "The d products qᵢkᵢ are independent, so their variances add (Bienaymé).",
        ),
        Step(rhs=d, why="Each term is 1: Var(q·k) = d, growing with the dimension."),
        given(
            s.Var_(s.score),
            s.product_terms(1 / sp.sqrt(d)),
            "Divide the score by √d: each term's variance is divided by d ...",
        ),
        Step(
            rhs=sp.Integer(1),
            why="... and the scaled score has variance 1 whatever d is, so the softmax that "
            "follows neither saturates (huge scores, vanishing gradients) nor flattens.",
        ),
        identity(
            sp.Add(*s.softmax),
            sp.Integer(1),
            "softmax(z)ᵢ = e^{zᵢ}/Σⱼe^{zⱼ} is positive and its entries sum to 1: "
            "attention weights are a probability distribution.",
        ),
        identity(
            s.shifted,
            s.softmax,
            "Adding the same c to every score changes nothing (e^c cancels). With "
            "c = −max zⱼ no exponential overflows: the stable way to compute softmax.",
        ),
        given(
            s.unequal,
            d * variance_as_moments(s.qs * s.ks / sp.sqrt(d)),
            "If the entries have standard deviations σ_q and σ_k instead, the same sum of "
            "d equal terms ...",
        ),
        Step(
            rhs=s.s_q**2 * s.s_k**2,
            why="... gives Var(q·k/√d) = σ_q²σ_k²: scaling by √d fixes the dependence on d, "
            "not on the scale of the entries (which layer normalisation controls).",
        ),
    )


def _twins(s: _Setup) -> tuple[Twin, ...]:
    """The scaled variance by simulation, and the shifted softmax against SciPy's."""
    realise = Realiser()
    z = s.z
    stable = s.shifted.xreplace({s.c: -sp.Max(*(z[j, 0] for j in range(SCORES)))})
    return (
        Twin(
            name="scaled score variance",
            formula=_unequal_variances(s),
            args=(Arg("sigma_q", s.s_q), Arg("sigma_k", s.s_k), Arg("d", s.d)),
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
            reference=Reference("scipy.special.softmax", lambda z: special.softmax(z, axis=-1)),
            sample=sample_scores,
            domain=f"scores (..., {SCORES}) of any finite size (the shift by max z prevents "
            "overflow)",
        ),
    )


def _interview() -> Interview:
    """Why divide by √d, the sizes for d = 64, and softmax(2, 1, 0)."""
    ex_z = sp.ImmutableMatrix([2, 1, 0])
    ex_soft = [sp.exp(v) / sum(sp.exp(u) for u in ex_z) for v in ex_z]
    return Interview(
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


def _mistakes(s: _Setup) -> tuple[Mistake, ...]:
    """Dividing by d, variance √d, and normalising by the raw scores."""
    d, z = s.d, s.z
    raw_total = sum((z[j, 0] for j in range(SCORES)), sp.Integer(0))
    return (
        Mistake(
            s.product_terms(1 / sp.sqrt(d)),
            s.product_terms(1 / d),
            "Dividing by d instead of √d over-corrects: the variance becomes 1/d.",
            name="divide by d",
        ),
        Mistake(
            s.product_terms(),
            sp.sqrt(d),
            "Variances add, so Var(q·k) = d; it is the standard deviation that is √d.",
            name="variance √d",
        ),
        Mistake(
            sp.Add(*s.softmax),
            sp.Add(*(e / raw_total for e in s.exps)),
            "Normalise by the sum of the exponentials, not by the sum of the raw scores.",
            name="softmax denominator",
        ),
    )


INTUITION = (
    "A dot product of two random d-dimensional vectors is a sum of d small random "
    "terms, and sums of independent terms spread out like √d. In a wide attention "
    "head the raw scores would therefore be large, the softmax would put almost all "
    "its weight on one key, and its gradients would vanish. Dividing by √d keeps the "
    "scores at unit scale for every head size. The softmax itself turns scores into "
    "weights that are positive and sum to 1, and subtracting the largest score first "
    "changes nothing mathematically but keeps the exponentials from overflowing."
)
