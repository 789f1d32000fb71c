"""The graph Laplacian L = D − W: L1 = 0 and xᵀLx = ½Σwᵢⱼ(xᵢ − xⱼ)² ≥ 0.

>>> [r.name for r in build().results]
['constants in the kernel', 'quadratic form', 'energy of a constant']
"""

from __future__ import annotations

import numpy as np
import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement

from derive.catalog.common import fmt
from derive.catalog.entry import Entry, Exercise
from derive.catalog.steps import ge, given, identity
from derive.core.model import Domain, Formula, Interview, Mistake, Step, Topic, Var
from derive.numeric.derivation import Derivation
from derive.numeric.realise import Realiser
from derive.numeric.twin import Arg, Reference, Twin

ENTRY = Entry(
    id="graph-laplacian",
    topic=Topic.LINEAR_ALGEBRA,
    title="The graph Laplacian",
    exercise=Exercise(
        question=(
            r"A graph on four nodes has the symmetric edge weights {given} ($W_{{ij}}$ joins "
            r"nodes $i$ and $j$). Compute its Laplacian ${lhs} = D - W$, where $D$ is the "
            r"diagonal matrix of the nodes' total weights."
        ),
        lhs=r"L",
        draw="edge_weights",
    ),
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


class _Setup:
    """The symbols and matrices the parts of the derivation share (a graph on 4 nodes)."""

    def __init__(self) -> None:
        n = NODES
        i, j = sp.symbols("i j", integer=True)
        self.c = sp.Symbol("c", real=True)
        weights = {
            (a, b): sp.Symbol(f"w_{{{a + 1}{b + 1}}}", positive=True)
            for a in range(n)
            for b in range(a + 1, n)
        }
        self.W_ = sp.ImmutableMatrix(
            n, n, lambda a, b: weights[(min(a, b), max(a, b))] if a != b else sp.Integer(0)
        )
        W = self.W = sp.MatrixSymbol("W", n, n)
        self.D = sp.MatrixSymbol("D", n, n)
        self.L = sp.MatrixSymbol("L", n, n)
        x = self.x = sp.MatrixSymbol("x", n, 1)
        self.ones = sp.OneMatrix(n, 1)
        self.degrees = sp.ImmutableMatrix(sp.diag(*(self.W_ * sp.ones(n, 1))))
        self.quad = MatrixElement(x.T * self.L * x, 0, 0)
        self.energy = sp.Sum(W[i, j] * (x[i, 0] - x[j, 0]) ** 2, (j, 0, n - 1), (i, 0, n - 1)) / 2
        self.constant = self.quad.xreplace({x: self.c * self.ones})


def build() -> Derivation:
    """Build the derivation."""
    s = _Setup()
    W, D, L = s.W, s.D, s.L
    return ENTRY.derivation(
        symbols=(
            Var(W, "the symmetric weight matrix of a graph on 4 nodes", Domain.MATRIX),
            Var(D, "the degree matrix", Domain.MATRIX),
            Var(L, "the Laplacian", Domain.MATRIX),
            Var(s.x, "a signal: one number per node", Domain.MATRIX),
            Var(s.c, "a constant"),
        ),
        steps=_steps(s),
        results=(
            Formula(L * s.ones, sp.ZeroMatrix(NODES, 1), name="constants in the kernel"),
            Formula(s.quad, s.energy, name="quadratic form"),
            Formula(s.constant, sp.Integer(0), name="energy of a constant"),
        ),
        twins=_twins(s),
        bindings={W: s.W_, D: s.degrees, L: s.degrees - s.W_},
        checks=(("eigvalsh(L) ≥ 0 with smallest 0 on random graphs", check_spectrum),),
        assumptions=("the weights are nonnegative and symmetric",),
        intuition=INTUITION,
        interview=_interview(),
        mistakes=_mistakes(s),
    )


def _steps(s: _Setup) -> tuple[Step, ...]:
    """L = D − W, its kernel, and its quadratic form as a sum of squared differences."""
    L = s.L
    return (
        given(
            s.W,
            s.W_,
            "A weighted undirected graph on 4 nodes: wᵢⱼ = wⱼᵢ > 0 is the weight of the "
            "edge between i and j (0 if absent), no self-loops.",
        ),
        given(
            s.D,
            s.degrees,
            "The degree matrix: node i's total edge weight dᵢ = Σⱼ wᵢⱼ on the diagonal.",
        ),
        given(L, s.D - s.W, "The graph Laplacian L = D − W."),
        identity(
            L * s.ones,
            sp.ZeroMatrix(NODES, 1),
            "Each row of L sums to dᵢ − Σⱼ wᵢⱼ = 0: the constant vector is in the kernel, "
            "so 0 is always an eigenvalue.",
        ),
        identity(
            s.quad,
            s.energy,
            "The quadratic form is half the weighted sum of squared differences across "
            "edges (each edge counted twice, once as (i, j), once as (j, i)).",
        ),
        ge(
            s.energy,
            sp.Integer(0),
            "With nonnegative weights that is ≥ 0: L is positive semidefinite, and all "
            "its eigenvalues are ≥ 0 (for Lu = μu, μ‖u‖² = uᵀLu ≥ 0).",
        ),
        identity(
            s.constant,
            sp.Integer(0),
            "The energy vanishes exactly on signals that are constant on every connected "
            "piece; the number of zero eigenvalues counts the connected components (spectral "
            "clustering uses the eigenvectors of the smallest eigenvalues).",
        ),
    )


def _twins(s: _Setup) -> tuple[Twin, ...]:
    """L against NumPy, and the energy against the eigendecomposition of L."""
    realise = Realiser(bindings={s.W: s.W_})
    return (
        Twin(
            name="Laplacian",
            formula=Formula(s.L, sp.ImmutableMatrix(s.degrees - s.W_), name="D − W"),
            args=(Arg("W", s.W_),),
            reference=Reference("NumPy diag(W1) − W", laplacian),
            sample=sample,
            domain="symmetric weights (..., 4, 4) with zero diagonal; the upper triangle is read",
        ),
        Twin(
            name="energy",
            formula=Formula(s.quad, realise(s.energy), name="½Σwᵢⱼ(xᵢ − xⱼ)²"),
            args=(Arg("W", s.W_), Arg("x", realise(s.x))),
            reference=Reference("Σₖ μₖ(uₖᵀx)² from np.linalg.eigh", spectral_energy),
            sample=sample_energy,
            domain="symmetric weights (..., 4, 4) with zero diagonal and signals x (..., 4)",
        ),
    )


def _interview() -> Interview:
    """The Laplacian of a path graph, its eigenvalues, and the meaning of eigenvalue 0."""
    path = sp.ImmutableMatrix([[0, 1, 0], [1, 0, 1], [0, 1, 0]])
    ex_L = sp.diag(*(path * sp.ones(3, 1))) - path
    ex_mu = sorted(ex_L.eigenvals(multiple=True))
    return Interview(
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


def _mistakes(s: _Setup) -> tuple[Mistake, ...]:
    """W − D, the signless Laplacian, and the missing 1/2."""
    L, D, W = s.L, s.D, s.W
    return (
        Mistake(
            L,
            W - D,
            "The degrees go on the diagonal with a plus sign: L = D − W.",
            name="W − D",
        ),
        Mistake(L, D + W, "D + W is the signless Laplacian; L1 ≠ 0 for it.", name="D + W"),
        Mistake(
            s.quad,
            2 * s.energy,
            "Each edge appears twice in the double sum, hence the factor 1/2.",
            name="missing 1/2",
        ),
    )


INTUITION = (
    "Put a number xᵢ on every node. xᵀLx adds up, over the edges, the weight times "
    "the squared jump of x across the edge: it measures how rough the signal is on "
    "the graph. It can never be negative, and it is zero for a signal that is "
    "constant, which is why L1 = 0. Smooth signals, eigenvectors with small "
    "eigenvalues, change slowly along heavy edges, so they vary mostly between "
    "loosely connected clusters: that is the idea behind spectral clustering."
)
