"""A linear layer on a batch: Y = XW + 1bᵀ, whose row i is xᵢᵀW + bᵀ.

>>> [r.name for r in build().results]
['one example', 'row by row', 'column convention']
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from derive.catalog.common import fmt
from derive.catalog.entry import Entry, Exercise
from derive.catalog.linear_algebra.mistakes import unchecked_product
from derive.catalog.steps import given, identity
from derive.core.model import Domain, Formula, Interview, Mistake, Step, Topic, Var
from derive.numeric.derivation import Derivation
from derive.numeric.twin import Arg, Reference, Twin

ENTRY = Entry(
    id="linear-layer",
    topic=Topic.LINEAR_ALGEBRA,
    title="A linear layer on a batch",
    exercise=Exercise(
        question=(
            r"A linear layer maps a batch $X$ (one example per row) to $Y = X W + "
            r"\mathbf{{1}} b^\top$, adding the bias $b$ to every row. Compute ${lhs}$ for "
            r"{given}."
        ),
        lhs=r"Y",
    ),
)


def sample(rng: np.random.Generator, size: int) -> dict[str, np.ndarray]:
    """A batch of 5 examples with 4 features, a 4→3 layer (any sizes work)."""
    return {
        "X": rng.normal(size=(size, 5, 4)),
        "W": rng.normal(size=(size, 4, 3)),
        "b": rng.normal(size=(size, 3)),
    }


def per_sample(X: np.ndarray, W: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The layer applied to one example at a time, in a Python loop."""
    return np.stack([X[i] @ W + b for i in range(X.shape[0])])


class _Setup:
    """The symbols and expressions the parts of the derivation share."""

    def __init__(self) -> None:
        n, d, k = self.n, self.d, self.k = sp.symbols("n d k", integer=True, positive=True)
        X = self.X = sp.MatrixSymbol("X", n, d)
        W = self.W = sp.MatrixSymbol("W", d, k)
        b = self.b = sp.MatrixSymbol("b", k, 1)
        ones = self.ones = sp.OneMatrix(n, 1)
        rows = self.rows = [sp.MatrixSymbol(f"x_{r}", d, 1) for r in (1, 2, 3)]
        self.X3 = sp.MatrixSymbol("X_3", 3, d)
        self.batch = sp.BlockMatrix([[x.T] for x in rows])
        self.forward = X * W + ones * b.T
        i, j, r = sp.symbols("i j r", integer=True)
        self.single = sp.FunctionMatrix(
            1, k, sp.Lambda((i, j), sp.Sum(rows[0][r, 0] * W[r, j], (r, 0, d - 1)) + b[j, 0])
        )
        self.by_rows = sp.BlockMatrix([[x.T * W + b.T] for x in rows])
        self.columns = W.T * X.T + b * ones.T


def build() -> Derivation:
    """Build the derivation."""
    s = _Setup()
    X, W, b, X3, rows = s.X, s.W, s.b, s.X3, s.rows
    return ENTRY.derivation(
        symbols=(
            Var(X, "a batch of n examples with d features (one per row)", Domain.MATRIX),
            Var(W, "the d×k weights", Domain.MATRIX),
            Var(b, "the k biases", Domain.MATRIX),
            *(
                Var(x, f"example {r} (a column of d features)", Domain.MATRIX)
                for r, x in enumerate(rows, 1)
            ),
            Var(X3, "a batch of three examples", Domain.MATRIX),
        ),
        steps=_steps(s),
        results=(
            Formula(rows[0].T * W + b.T, s.single, name="one example"),
            Formula(X3 * W + sp.OneMatrix(3, 1) * b.T, s.by_rows, name="row by row"),
            Formula(sp.Transpose(s.forward), s.columns, name="column convention"),
        ),
        twins=(
            Twin(
                name="forward pass",
                formula=Formula(sp.Symbol("Y"), s.forward, name="XW + 1bᵀ"),
                args=(Arg("X", X), Arg("W", W), Arg("b", b)),
                reference=Reference("per-sample loop", per_sample, kind="loop", batched=False),
                sample=sample,
                domain="X (..., n, d), W (..., d, k), b (..., k); output (..., n, k)",
            ),
        ),
        bindings={X3: s.batch},
        sizes=({s.n: 3, s.d: 2, s.k: 2}, {s.n: 2, s.d: 3, s.k: 1}),
        intuition=INTUITION,
        interview=_interview(),
        mistakes=_mistakes(s),
    )


def _steps(s: _Setup) -> tuple[Step, ...]:
    """One example, a batch of three as rows, and the column convention."""
    W, b, X3 = s.W, s.b, s.X3
    return (
        identity(
            s.rows[0].T * W + b.T,
            s.single,
            "One example x (d features, written as a row xᵀ) gives k outputs: output j is "
            "Σᵢ xᵢWᵢⱼ + bⱼ over the d features: a weighted sum of the inputs plus a bias.",
        ),
        given(X3, s.batch, "Stack a batch of examples as the rows of X (here three)."),
        identity(
            X3 * W + sp.OneMatrix(3, 1) * b.T,
            s.by_rows,
            "Then one matrix product XW computes every example at once, and adding "
            "1bᵀ (the bias copied into every row, NumPy's broadcasting) gives row i = "
            "xᵢᵀW + bᵀ.",
        ),
        identity(
            sp.Transpose(s.forward),
            s.columns,
            "Frameworks that store examples as columns write the same layer as "
            "Wᵀxᵢ + b: the transpose of the batch formula.",
        ),
    )


def _interview() -> Interview:
    """A layer's output on a small batch, its shapes and its parameter count."""
    ex_X = sp.ImmutableMatrix([[1, 2, 3], [4, 5, 6], [7, 8, 9]])
    ex_W = sp.ImmutableMatrix([[1, 2], [3, 4], [5, 6]]) / 10
    ex_b = sp.ImmutableMatrix([1, -1]) / 10
    ex_Y = ex_X * ex_W + sp.ones(3, 1) * ex_b.T
    return Interview(
        question=(
            "A layer maps 3 features to 2 outputs with W = [[0.1, 0.2], [0.3, 0.4], "
            "[0.5, 0.6]] and b = (0.1, −0.1). Compute its output for the batch X = [[1, 2, "
            "3], [4, 5, 6], [7, 8, 9]]. What are the shapes, and how many parameters does "
            "the layer have?"
        ),
        answer=(
            f"XW + 1bᵀ = {fmt(ex_Y)}: for example row 1 is 1·0.1 + 2·0.3 + 3·0.5 + 0.1 = "
            f"{fmt(ex_Y[0, 0])} and 1·0.2 + 2·0.4 + 3·0.6 − 0.1 = {fmt(ex_Y[0, 1])}. Shapes: "
            "(3×3)(3×2) + (3×1)(1×2) = 3×2, one row per example. Parameters: 3·2 weights "
            f"+ 2 biases = {3 * 2 + 2}."
        ),
    )


def _mistakes(s: _Setup) -> tuple[Mistake, ...]:
    """The bias forgotten, the weights on the wrong side, and the transposed output."""
    X, W, forward = s.X, s.W, s.forward
    return (
        Mistake(
            forward,
            X * W,
            "The bias is part of the layer: forgetting it forces every output through 0.",
            name="bias forgotten",
        ),
        Mistake(
            forward,
            unchecked_product(W, X) + s.ones * s.b.T,
            "With examples as rows the weights multiply on the right: XW, (n×d)(d×k). "
            "WX does not fit.",
            name="weights on the wrong side",
        ),
        Mistake(
            forward,
            s.columns,
            "That is the k×n transpose (column convention); a batch-first layer returns n×k.",
            name="transposed output",
        ),
    )


INTUITION = (
    "Each output of a linear layer is a weighted vote of the inputs plus an offset. "
    "Writing the examples as the rows of X turns a loop over examples into a single "
    "matrix product XW, which hardware does very fast; the bias is the same for every "
    "example, so it is added to every row (broadcast). Shapes tell the whole story: "
    "(n×d)(d×k) gives one k-vector of outputs per example, and the layer has dk + k "
    "parameters regardless of the batch size n."
)
