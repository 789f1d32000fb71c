"""PageRank: the damped random surfer's stationary distribution r = ((1 − d)/n)(I − dMᵀ)⁻¹1.

>>> [r.name for r in build().results]
['columns of G sum to 1', 'PageRank', 'a distribution', 'eigenvalue 1', 'cycle is uniform']
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement

from derive.catalog.common import decimal, fmt
from derive.catalog.entry import Entry, Exercise
from derive.catalog.steps import given, identity, implies
from derive.core.model import Domain, Formula, Interview, Mistake, Rel, Step, Topic, Var
from derive.numeric.derivation import Derivation
from derive.numeric.twin import Arg, Reference, Twin

ENTRY = Entry(
    id="pagerank",
    topic=Topic.LINEAR_ALGEBRA,
    title="PageRank",
    exercise=Exercise(
        question=(
            r"Compute the PageRank vector ${lhs}$ for the row-stochastic link matrix $M$ "
            r"(row $i$ spreads page $i$'s vote over the pages it links to) and damping "
            r"factor $d$, where {given}."
        ),
        lhs=r"r",
        draw="link_matrix",
    ),
)

PAGES = 5  # size of the sampled link graphs


def sample(rng: np.random.Generator, size: int) -> dict[str, np.ndarray]:
    """Random row-stochastic link matrices on 5 pages and damping factors in [0.5, 0.95)."""
    links = rng.random(size=(size, PAGES, PAGES)) * (rng.random(size=(size, PAGES, PAGES)) < 0.6)
    links[..., 0] += 1e-3  # no dangling page: every row has an outgoing link
    return {"M": links / links.sum(axis=-1, keepdims=True), "d": rng.uniform(0.5, 0.95, size)}


def power_iteration(M: np.ndarray, d: float) -> np.ndarray:
    """Iterate r ← dMᵀr + (1 − d)/n from the uniform vector until it stops changing."""
    n = M.shape[-1]
    r = np.full(n, 1.0 / n)
    with np.errstate(all="ignore"):  # outside the domain (not stochastic) it may diverge
        for _ in range(10_000):
            new = d * M.T @ r + (1 - d) / n
            change = np.abs(new - r).sum()
            if not change >= 1e-15:  # converged, or NaN
                return np.asarray(new)
            r = new
    return r


def eigenvector(M: np.ndarray, d: float) -> np.ndarray:
    """The eigenvector of G = dMᵀ + ((1 − d)/n)11ᵀ for the eigenvalue nearest 1, summing to 1."""
    n = M.shape[-1]
    values, vectors = np.linalg.eig(d * M.T + (1 - d) / n)
    v = vectors[:, np.argmin(np.abs(values - 1))].real
    return np.asarray(v / v.sum())


class _Setup:
    """The symbols and expressions the parts of the derivation share (n = 3 pages)."""

    n = 3

    def __init__(self) -> None:
        n = self.n
        d = self.d = sp.Symbol("d", positive=True)
        m = sp.symbols("m_11 m_12 m_21 m_22 m_31 m_32", real=True)
        M = self.M = sp.MatrixSymbol("M", 3, 3)
        self.G = sp.MatrixSymbol("G", 3, 3)
        self.C = sp.MatrixSymbol("C", 3, 3)
        self.r = sp.MatrixSymbol("r", 3, 1)
        rows = [(m[0], m[1]), (m[2], m[3]), (m[4], m[5])]
        self.links = sp.ImmutableMatrix([[p, q, 1 - p - q] for p, q in rows])
        self.cycle = sp.ImmutableMatrix([[0, 1, 0], [0, 0, 1], [1, 0, 0]])
        ones = self.ones = sp.OneMatrix(n, 1)
        self.I3 = sp.Identity(n)
        self.jump = (1 - d) / n
        self.google = d * M.T + self.jump * ones * ones.T
        self.solution = self.jump * (self.I3 - d * M.T).I * ones
        self.total = MatrixElement(ones.T * self.solution, 0, 0)
        self.on_cycle = self.jump * (self.I3 - d * self.C.T).I * ones


def build() -> Derivation:
    """Build the derivation."""
    s = _Setup()
    ones, G, r = s.ones, s.G, s.r
    return ENTRY.derivation(
        symbols=(
            Var(s.M, "the row-stochastic link matrix", Domain.MATRIX),
            Var(G, "the damped transition matrix", Domain.MATRIX),
            Var(r, "the PageRank vector", Domain.MATRIX),
            Var(s.d, "the damping factor", Domain.PROBABILITY),
            Var(s.C, "the link matrix of a 3-cycle", Domain.MATRIX),
        ),
        steps=_steps(s),
        results=(
            Formula(ones.T * G, ones.T, name="columns of G sum to 1"),
            Formula(r, s.solution, name="PageRank"),
            Formula(s.total, sp.Integer(1), name="a distribution"),
            Formula(G * s.solution, s.solution, name="eigenvalue 1"),
            Formula(s.on_cycle, ones / s.n, name="cycle is uniform"),
        ),
        twins=_twins(s),
        bindings={s.M: s.links, G: s.google, s.C: s.cycle},
        assumptions=("0 < d < 1; every page has at least one outgoing link",),
        intuition=INTUITION,
        interview=_interview(),
        mistakes=_mistakes(s),
    )


def _steps(s: _Setup) -> tuple[Step, ...]:
    """The damped surfer's transition matrix, its stationary vector solved, and checked."""
    M, G, r, d, ones, I3, jump = s.M, s.G, s.r, s.d, s.ones, s.I3, s.jump
    return (
        given(
            M,
            s.links,
            "The link matrix of a web of n = 3 pages: row i holds the probabilities of "
            "clicking from page i to each page, so it sums to 1.",
        ),
        identity(M * ones, ones, "Row-stochastic: M1 = 1."),
        given(
            G,
            s.google,
            "The damped surfer follows a link with probability d and otherwise jumps to "
            "a page chosen uniformly; if r holds today's probabilities, tomorrow's are Gr.",
        ),
        identity(
            ones.T * G,
            ones.T,
            "Every column of G sums to 1, so G maps probability vectors to probability vectors.",
        ),
        given(
            r,
            d * M.T * r + jump * ones,
            "PageRank is the stationary distribution, r = Gr with 1ᵀr = 1, i.e. "
            "r = dMᵀr + ((1 − d)/n)1.",
        ),
        Step(
            lhs=(I3 - d * M.T) * r,
            rhs=jump * ones,
            rel=Rel.IFF,
            why="Collect the terms in r: a linear system.",
        ),
        implies(
            r,
            s.solution,
            "For 0 ≤ d < 1 the matrix I − dMᵀ is invertible (dMᵀ shrinks the 1-norm by "
            "d), so r = ((1 − d)/n)(I − dMᵀ)⁻¹1.",
        ),
        identity(
            s.total,
            sp.Integer(1),
            "It is a probability distribution: 1ᵀ(I − dMᵀ) = (1 − d)1ᵀ, so "
            "1ᵀ(I − dMᵀ)⁻¹1 = n/(1 − d).",
        ),
        identity(
            G * s.solution,
            s.solution,
            "And it is an eigenvector of G for the eigenvalue 1, which is what power "
            "iteration converges to.",
        ),
        identity(
            s.on_cycle,
            ones / s.n,
            "Example: on the cycle 1 → 2 → 3 → 1 every page has one link in and one out, "
            "and PageRank is uniform, 1/3 each, whatever d.",
        ),
    )


def _twins(s: _Setup) -> tuple[Twin, ...]:
    """The closed form for any n, against power iteration and against ``np.linalg.eig``."""
    d = s.d
    k = sp.Symbol("n", integer=True, positive=True)
    Mk = sp.MatrixSymbol("M", k, k)
    iteration = Twin(
        name="PageRank",
        formula=Formula(s.r, (1 - d) / k * (sp.Identity(k) - d * Mk.T).I * sp.OneMatrix(k, 1)),
        args=(Arg("M", Mk), Arg("d", d)),
        reference=Reference("power iteration", power_iteration, kind="iteration", batched=False),
        sample=sample,
        domain=(
            "row-stochastic M (..., n, n) (nonnegative rows summing to 1: give dangling "
            "pages links first) and 0 ≤ d < 1; output (..., n)"
        ),
        rtol=1e-9,
        atol=1e-12,
    )
    eig = Reference("np.linalg.eig", eigenvector, batched=False)
    return iteration, replace(iteration, name="PageRank (eigenvector)", reference=eig)


def _interview() -> Interview:
    """PageRank of a three-page web by hand, and why damping is needed."""
    # 1 links to 2 and 3, 2 links to 3, 3 links to 1; d = 0.85.
    ex_M = sp.ImmutableMatrix([[0, sp.Rational(1, 2), sp.Rational(1, 2)], [0, 0, 1], [1, 0, 0]])
    ex_d = sp.Rational(17, 20)
    ex_r = (1 - ex_d) / 3 * (sp.eye(3) - ex_d * ex_M.T).inv() * sp.ones(3, 1)
    return Interview(
        question=(
            "Three pages: 1 links to 2 and 3, 2 links to 3, 3 links to 1. With damping "
            "d = 0.85, what are the PageRanks? Why is the damping needed?"
        ),
        answer=(
            f"Solving (I − dMᵀ)r = (0.05)1 gives r = {fmt(ex_r.T)} ≈ ("
            + ", ".join(decimal(v, 3) for v in ex_r)
            + "), which sums to "
            f"{fmt(sum(ex_r))}: page 3, with two incoming links, ranks highest; page 1, fed "
            "by page 3's single link, comes next. Without damping (d = 1) the surfer can get "
            "stuck in cycles or sinks, the stationary distribution need not be unique, and "
            "power iteration need not converge; damping makes G positive, so r exists, is "
            "unique and is reached geometrically at rate d."
        ),
    )


def _mistakes(s: _Setup) -> tuple[Mistake, ...]:
    """M for Mᵀ, the missing 1/n, and the sign in I − dMᵀ."""
    M, d, ones, I3, solution = s.M, s.d, s.ones, s.I3, s.solution
    return (
        Mistake(
            solution,
            s.jump * (I3 - d * M).I * ones,
            "Probability flows along the rows of M, so the update uses Mᵀ: r = dMᵀr + …",
            name="M instead of Mᵀ",
        ),
        Mistake(
            solution,
            (1 - d) * (I3 - d * M.T).I * ones,
            "Without the 1/n the result sums to n, not 1.",
            name="missing 1/n",
        ),
        Mistake(
            solution,
            s.jump * (I3 + d * M.T).I * ones,
            "Moving dMᵀr to the left-hand side gives I − dMᵀ.",
            name="sign in I − dMᵀ",
        ),
    )


INTUITION = (
    "Imagine a surfer clicking random links forever, except that with probability "
    "1 − d they get bored and jump to a random page. The fraction of time spent on "
    "each page settles down to a fixed distribution: that is PageRank. A page ranks "
    "high when many pages, themselves highly ranked, link to it. The settling point "
    "is an eigenvector of the transition matrix with eigenvalue 1, and because of the "
    "random jumps it can be written in closed form as the solution of a linear "
    "system, or found by simply repeating the surfer's step (power iteration)."
)
