"""The graph Laplacian L = D − W: L1 = 0 and xᵀLx = ½Σwᵢⱼ(xᵢ − xⱼ)² ≥ 0.

>>> [r.name for r in build().results]
['constants in the kernel', 'quadratic form', 'energy of a constant']
"""

from __future__ import annotations

import numpy as np
import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement

from derive.catalog.common import fmt
from derive.catalog.entry import Entry
from derive.core.model import Domain, Formula, Interview, Mistake, Rel, Step, Topic, Var
from derive.numeric.derivation import Derivation
from derive.numeric.realise import Realiser
from derive.numeric.twin import Arg, Reference, Twin

ENTRY = Entry(
    id="graph-laplacian",
    topic=Topic.LINEAR_ALGEBRA,
    title="The graph Laplacian",
)

NODES = 4


def sample(rng: np.random.Generator, size: int) -> dict[str, np.ndarray]:
    """Random weighted graphs on 4 nodes (symmetric, zero diagonal, some edges absent)."""
    upper = np.triu(rng.random((size, NODES, NODES)) * (rng.random((size, NODES, NODES)) < 0.7), 1)
    return {"W": upper + np.swapaxes(upper, -1, -2)}


def sample_energy(rng: np.random.Generator, size: int) -> dict[str, np.ndarray]:
    """Graphs and signals on their nodes."""
    return {**sample(rng, size), "x": rng.normal(size=(size, NODES))}


def laplacian(W: np.ndarray) -> np.ndarray:
    """D − W in NumPy: degrees on the diagonal."""
    return np.asarray(W.sum(axis=-1)[..., None] * np.eye(W.shape[-1]) - W)


def spectral_energy(W: np.ndarray, x: np.ndarray) -> np.ndarray:
    """xᵀLx as Σₖ μₖ(uₖᵀx)² from the eigendecomposition of L (``np.linalg.eigh``)."""
    mu, U = np.linalg.eigh(laplacian(W))
    return np.asarray(np.sum(mu * np.einsum("...ik,...i->...k", U, x) ** 2, axis=-1))


def check_spectrum(rng: np.random.Generator) -> tuple[bool, str]:
    """On random graphs, eigvalsh(L) ≥ 0 (to rounding) and the smallest eigenvalue is 0."""
    W = sample(rng, 200)["W"]
    mu = np.linalg.eigvalsh(laplacian(W))
    scale = np.abs(W).sum(axis=(-2, -1))
    lowest = mu[..., 0] / scale
    ok = bool(np.all(np.abs(lowest) < 1e-12) and np.all(mu >= -1e-12 * scale[..., None]))
    worst = float(np.abs(lowest).max())
    return ok, f"200 random graphs: smallest eigenvalue / total weight within {worst:.1e} of 0"


def build() -> Derivation:
    """Build the derivation."""
    n = NODES
    i, j = sp.symbols("i j", integer=True)
    c = sp.Symbol("c", real=True)
    weights = {
        (a, b): sp.Symbol(f"w_{{{a + 1}{b + 1}}}", positive=True)
        for a in range(n)
        for b in range(a + 1, n)
    }
    W_ = sp.ImmutableMatrix(
        n, n, lambda a, b: weights[(min(a, b), max(a, b))] if a != b else sp.Integer(0)
    )
    W = sp.MatrixSymbol("W", n, n)
    D = sp.MatrixSymbol("D", n, n)
    L = sp.MatrixSymbol("L", n, n)
    x = sp.MatrixSymbol("x", n, 1)
    ones = sp.OneMatrix(n, 1)
    degrees = sp.ImmutableMatrix(sp.diag(*(W_ * sp.ones(n, 1))))
    quad = MatrixElement(x.T * L * x, 0, 0)
    energy = sp.Sum(W[i, j] * (x[i, 0] - x[j, 0]) ** 2, (j, 0, n - 1), (i, 0, n - 1)) / 2

    steps = (
        Step(
            lhs=W,
            rhs=W_,
            rel=Rel.GIVEN,
            why="A weighted undirected graph on 4 nodes: wᵢⱼ = wⱼᵢ > 0 is the weight of the "
            "edge between i and j (0 if absent), no self-loops.",
        ),
        Step(
            lhs=D,
            rhs=degrees,
            rel=Rel.GIVEN,
            why="The degree matrix: node i's total edge weight dᵢ = Σⱼ wᵢⱼ on the diagonal.",
        ),
        Step(lhs=L, rhs=D - W, rel=Rel.GIVEN, why="The graph Laplacian L = D − W."),
        Step(
            lhs=L * ones,
            rhs=sp.ZeroMatrix(n, 1),
            rel=Rel.IDENTITY,
            why="Each row of L sums to dᵢ − Σⱼ wᵢⱼ = 0: the constant vector is in the kernel, "
            "so 0 is always an eigenvalue.",
        ),
        Step(
            lhs=quad,
            rhs=energy,
            rel=Rel.IDENTITY,
            why="The quadratic form is half the weighted sum of squared differences across "
            "edges (each edge counted twice, once as (i, j), once as (j, i)).",
        ),
        Step(
            lhs=energy,
            rhs=sp.Integer(0),
            rel=Rel.GE,
            why="With nonnegative weights that is ≥ 0: L is positive semidefinite, and all "
            "its eigenvalues are ≥ 0 (for Lu = μu, μ‖u‖² = uᵀLu ≥ 0).",
        ),
        Step(
            lhs=quad.xreplace({x: c * ones}),
            rhs=sp.Integer(0),
            rel=Rel.IDENTITY,
            why="The energy vanishes exactly on signals that are constant on every connected "
            "piece; the number of zero eigenvalues counts the connected components (spectral "
            "clustering uses the eigenvectors of the smallest eigenvalues).",
        ),
    )
    results = (
        Formula(L * ones, sp.ZeroMatrix(n, 1), name="constants in the kernel"),
        Formula(quad, energy, name="quadratic form"),
        Formula(steps[6].lhs, sp.Integer(0), name="energy of a constant"),
    )

    path = sp.ImmutableMatrix([[0, 1, 0], [1, 0, 1], [0, 1, 0]])
    ex_L = sp.diag(*(path * sp.ones(3, 1))) - path
    ex_mu = sorted(ex_L.eigenvals(multiple=True))
    interview = Interview(
        question=(
            "Write the Laplacian of the path graph 1 – 2 – 3 with unit weights, its "
            "eigenvalues, and xᵀLx. Why is 0 always an eigenvalue, and what does its "
            "multiplicity tell you?"
        ),
        answer=(
            f"L = D − W = {fmt(ex_L)}, eigenvalues {', '.join(fmt(e) for e in ex_mu)}, and "
            "xᵀLx = (x₁ − x₂)² + (x₂ − x₃)². Every row of L sums to 0, so L1 = 0. The "
            "multiplicity of 0 is the number of connected components: xᵀLx = 0 forces x to "
            "be constant across every edge. Here the graph is connected, so 0 is simple."
        ),
    )

    realise = Realiser(bindings={W: W_})
    twins = (
        Twin(
            name="Laplacian",
            formula=Formula(L, sp.ImmutableMatrix(degrees - W_), name="D − W"),
            args=(Arg("W", W_),),
            reference=Reference("NumPy diag(W1) − W", laplacian),
            sample=sample,
            domain="symmetric weights (..., 4, 4) with zero diagonal; the upper triangle is read",
        ),
        Twin(
            name="energy",
            formula=Formula(quad, realise(energy), name="½Σwᵢⱼ(xᵢ − xⱼ)²"),
            args=(Arg("W", W_), Arg("x", realise(x))),
            reference=Reference("Σₖ μₖ(uₖᵀx)² from np.linalg.eigh", spectral_energy),
            sample=sample_energy,
            domain="symmetric weights (..., 4, 4) with zero diagonal and signals x (..., 4)",
        ),
    )

    return ENTRY.derivation(
        symbols=(
            Var(W, "the symmetric weight matrix of a graph on 4 nodes", Domain.MATRIX),
            Var(D, "the degree matrix", Domain.MATRIX),
            Var(L, "the Laplacian", Domain.MATRIX),
            Var(x, "a signal: one number per node", Domain.MATRIX),
            Var(c, "a constant"),
        ),
        steps=steps,
        results=results,
        twins=twins,
        bindings={W: W_, D: degrees, L: degrees - W_},
        checks=(("eigvalsh(L) ≥ 0 with smallest 0 on random graphs", check_spectrum),),
        assumptions=("the weights are nonnegative and symmetric",),
        intuition=(
            "Put a number xᵢ on every node. xᵀLx adds up, over the edges, the weight times "
            "the squared jump of x across the edge: it measures how rough the signal is on "
            "the graph. It can never be negative, and it is zero for a signal that is "
            "constant, which is why L1 = 0. Smooth signals, eigenvectors with small "
            "eigenvalues, change slowly along heavy edges, so they vary mostly between "
            "loosely connected clusters: that is the idea behind spectral clustering."
        ),
        interview=interview,
        mistakes=(
            Mistake(
                L,
                W - D,
                "The degrees go on the diagonal with a plus sign: L = D − W.",
                name="W − D",
            ),
            Mistake(L, D + W, "D + W is the signless Laplacian; L1 ≠ 0 for it.", name="D + W"),
            Mistake(
                quad,
                2 * energy,
                "Each edge appears twice in the double sum, hence the factor 1/2.",
                name="missing 1/2",
            ),
        ),
    )
