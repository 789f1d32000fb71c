"""PageRank: the damped random surfer's stationary distribution r = ((1 − d)/n)(I − dMᵀ)⁻¹1.

>>> [r.name for r in build().results]
['columns of G sum to 1', 'PageRank', 'a distribution', 'eigenvalue 1', 'cycle is uniform']
"""

from __future__ import annotations

import numpy as np
import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement

from derive.catalog.common import decimal, fmt
from derive.catalog.entry import Entry, Exercise
from derive.core.model import Domain, Formula, Interview, Mistake, Rel, Step, Topic, Var
from derive.numeric.derivation import Derivation
from derive.numeric.twin import Arg, Reference, Twin

ENTRY = Entry(
    id="pagerank",
    topic=Topic.LINEAR_ALGEBRA,
    title="PageRank",
    exercise=Exercise(
        question=(
            r"Compute the PageRank ${lhs}$ for the row-stochastic link matrix and damping "
            r"{given}."
        ),
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


def build() -> Derivation:
    """Build the derivation."""
    d = sp.Symbol("d", positive=True)
    m = sp.symbols("m_11 m_12 m_21 m_22 m_31 m_32", real=True)
    M = sp.MatrixSymbol("M", 3, 3)
    G = sp.MatrixSymbol("G", 3, 3)
    C = sp.MatrixSymbol("C", 3, 3)
    r = sp.MatrixSymbol("r", 3, 1)
    rows = [(m[0], m[1]), (m[2], m[3]), (m[4], m[5])]
    links = sp.ImmutableMatrix([[p, q, 1 - p - q] for p, q in rows])
    cycle = sp.ImmutableMatrix([[0, 1, 0], [0, 0, 1], [1, 0, 0]])
    n = 3
    ones = sp.OneMatrix(n, 1)
    I3 = sp.Identity(n)
    jump = (1 - d) / n
    google = d * M.T + jump * ones * ones.T
    solution = jump * (I3 - d * M.T).I * ones

    steps = (
        Step(
            lhs=M,
            rhs=links,
            rel=Rel.GIVEN,
            why="The link matrix of a web of n = 3 pages: row i holds the probabilities of "
            "clicking from page i to each page, so it sums to 1.",
        ),
        Step(
            lhs=M * ones,
            rhs=ones,
            rel=Rel.IDENTITY,
            why="Row-stochastic: M1 = 1.",
        ),
        Step(
            lhs=G,
            rhs=google,
            rel=Rel.GIVEN,
            why="The damped surfer follows a link with probability d and otherwise jumps to "
            "a page chosen uniformly; if r holds today's probabilities, tomorrow's are Gr.",
        ),
        Step(
            lhs=ones.T * G,
            rhs=ones.T,
            rel=Rel.IDENTITY,
            why="Every column of G sums to 1, so G maps probability vectors to probability "
            "vectors.",
        ),
        Step(
            lhs=r,
            rhs=d * M.T * r + jump * ones,
            rel=Rel.GIVEN,
            why="PageRank is the stationary distribution, r = Gr with 1ᵀr = 1, i.e. "
            "r = dMᵀr + ((1 − d)/n)1.",
        ),
        Step(
            lhs=(I3 - d * M.T) * r,
            rhs=jump * ones,
            rel=Rel.IFF,
            why="Collect the terms in r: a linear system.",
        ),
        Step(
            lhs=r,
            rhs=solution,
            rel=Rel.IMPLIES,
            why="For 0 ≤ d < 1 the matrix I − dMᵀ is invertible (dMᵀ shrinks the 1-norm by "
            "d), so r = ((1 − d)/n)(I − dMᵀ)⁻¹1.",
        ),
        Step(
            lhs=MatrixElement(ones.T * solution, 0, 0),
            rhs=sp.Integer(1),
            rel=Rel.IDENTITY,
            why="It is a probability distribution: 1ᵀ(I − dMᵀ) = (1 − d)1ᵀ, so "
            "1ᵀ(I − dMᵀ)⁻¹1 = n/(1 − d).",
        ),
        Step(
            lhs=G * solution,
            rhs=solution,
            rel=Rel.IDENTITY,
            why="And it is an eigenvector of G for the eigenvalue 1, which is what power "
            "iteration converges to.",
        ),
        Step(
            lhs=jump * (I3 - d * C.T).I * ones,
            rhs=ones / n,
            rel=Rel.IDENTITY,
            why="Example: on the cycle 1 → 2 → 3 → 1 every page has one link in and one out, "
            "and PageRank is uniform, 1/3 each, whatever d.",
        ),
    )
    results = (
        Formula(ones.T * G, ones.T, name="columns of G sum to 1"),
        Formula(r, solution, name="PageRank"),
        Formula(steps[7].lhs, sp.Integer(1), name="a distribution"),
        Formula(G * solution, solution, name="eigenvalue 1"),
        Formula(steps[9].lhs, ones / n, name="cycle is uniform"),
    )

    # Example: 1 links to 2 and 3, 2 links to 3, 3 links to 1; d = 0.85.
    ex_M = sp.ImmutableMatrix([[0, sp.Rational(1, 2), sp.Rational(1, 2)], [0, 0, 1], [1, 0, 0]])
    ex_d = sp.Rational(17, 20)
    ex_r = (1 - ex_d) / 3 * (sp.eye(3) - ex_d * ex_M.T).inv() * sp.ones(3, 1)
    interview = Interview(
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

    k = sp.Symbol("n", integer=True, positive=True)
    Mk = sp.MatrixSymbol("M", k, k)
    ones_k = sp.OneMatrix(k, 1)
    twin_formula = Formula(r, (1 - d) / k * (sp.Identity(k) - d * Mk.T).I * ones_k)
    common = dict(
        formula=twin_formula,
        args=(Arg("M", Mk), Arg("d", d)),
        sample=sample,
        domain=(
            "row-stochastic M (..., n, n) (nonnegative rows summing to 1: give dangling "
            "pages links first) and 0 ≤ d < 1; output (..., n)"
        ),
        rtol=1e-9,
        atol=1e-12,
    )
    twins = (
        Twin(
            name="PageRank",
            reference=Reference(
                "power iteration", power_iteration, kind="iteration", batched=False
            ),
            **common,  # type: ignore[arg-type]
        ),
        Twin(
            name="PageRank (eigenvector)",
            reference=Reference("np.linalg.eig", eigenvector, batched=False),
            **common,  # type: ignore[arg-type]
        ),
    )

    return ENTRY.derivation(
        symbols=(
            Var(M, "the row-stochastic link matrix", Domain.MATRIX),
            Var(G, "the damped transition matrix", Domain.MATRIX),
            Var(r, "the PageRank vector", Domain.MATRIX),
            Var(d, "the damping factor", Domain.PROBABILITY),
            Var(C, "the link matrix of a 3-cycle", Domain.MATRIX),
        ),
        steps=steps,
        results=results,
        twins=twins,
        bindings={M: links, G: google, C: cycle},
        assumptions=("0 < d < 1; every page has at least one outgoing link",),
        intuition=(
            "Imagine a surfer clicking random links forever, except that with probability "
            "1 − d they get bored and jump to a random page. The fraction of time spent on "
            "each page settles down to a fixed distribution: that is PageRank. A page ranks "
            "high when many pages, themselves highly ranked, link to it. The settling point "
            "is an eigenvector of the transition matrix with eigenvalue 1, and because of the "
            "random jumps it can be written in closed form as the solution of a linear "
            "system, or found by simply repeating the surfer's step (power iteration)."
        ),
        interview=interview,
        mistakes=(
            Mistake(
                solution,
                jump * (I3 - d * M).I * ones,
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
                jump * (I3 + d * M.T).I * ones,
                "Moving dMᵀr to the left-hand side gives I − dMᵀ.",
                name="sign in I − dMᵀ",
            ),
        ),
    )
