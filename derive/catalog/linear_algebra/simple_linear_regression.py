"""Simple linear regression from the normal equation with X = [1 x]: slope and intercept.

>>> [r.name for r in build().results]
['normal equations', 'solution', 'centred form']
"""

from __future__ import annotations

import numpy as np
import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement

from derive.catalog.common import decimal, fmt
from derive.catalog.entry import Entry
from derive.core.model import Domain, Formula, Interview, Mistake, Rel, Step, Topic, Var
from derive.numeric.derivation import Derivation
from derive.numeric.twin import Arg, Reference, Twin

ENTRY = Entry(
    id="simple-linear-regression",
    topic=Topic.LINEAR_ALGEBRA,
    title="Simple linear regression",
)


def sample(rng: np.random.Generator, size: int) -> dict[str, np.ndarray]:
    """Noisy lines through 9 points (the twins take any number of points)."""
    x = rng.normal(size=(size, 9))
    slope, intercept = rng.normal(size=(2, size, 1))
    return {"x": x, "y": intercept + slope * x + 0.3 * rng.normal(size=(size, 9))}


def build() -> Derivation:
    """Build the derivation."""
    n = sp.Symbol("n", integer=True, positive=True)
    i = sp.Symbol("i", integer=True)
    b, w = sp.symbols("b w", real=True)
    x, y = sp.MatrixSymbol("x", n, 1), sp.MatrixSymbol("y", n, 1)
    X = sp.MatrixSymbol("X", n, 2)
    xbar, ybar = sp.MatrixSymbol(r"\bar{x}", 1, 1), sp.MatrixSymbol(r"\bar{y}", 1, 1)
    ones = sp.OneMatrix(n, 1)
    theta = sp.ImmutableMatrix([b, w])

    def total(f: sp.Expr) -> sp.Sum:
        return sp.Sum(f, (i, 0, n - 1))

    xi, yi = x[i, 0], y[i, 0]
    mx, my = MatrixElement(xbar, 0, 0), MatrixElement(ybar, 0, 0)
    gram = sp.ImmutableMatrix([[n, total(xi)], [total(xi), total(xi**2)]])
    moment = sp.ImmutableMatrix([total(yi), total(xi * yi)])

    # Solve the 2×2 normal equations with the sums as plain symbols, then put the sums back.
    Sx, Sy, Sxx, Sxy = sp.symbols("S_x S_y S_xx S_xy", real=True)
    solved = sp.solve([n * b + Sx * w - Sy, Sx * b + Sxx * w - Sxy], [b, w], dict=True)[0]
    back = {Sx: total(xi), Sy: total(yi), Sxx: total(xi**2), Sxy: total(xi * yi)}
    solution = sp.ImmutableMatrix([solved[b].xreplace(back), solved[w].xreplace(back)])

    slope = total((xi - mx) * (yi - my)) / total((xi - mx) ** 2)
    centred = sp.ImmutableMatrix([my - slope * mx, slope])
    dx, dy = x - ones * xbar, y - ones * ybar
    slope_matrix = MatrixElement(dx.T * dy, 0, 0) / MatrixElement(dx.T * dx, 0, 0)

    steps = (
        Step(
            lhs=total((yi - b - w * xi) ** 2),
            rhs=MatrixElement((y - X * theta).T * (y - X * theta), 0, 0),
            rel=Rel.IDENTITY,
            why="Fitting ŷ = b + wx by least squares is the normal-equation problem "
            "‖y − Xθ‖² with θ = (b, w) and the design matrix X = [1 x] (a bias column and "
            "the feature).",
        ),
        Step(
            lhs=X.T * X,
            rhs=gram,
            rel=Rel.IDENTITY,
            why="Its Gram matrix has the count, the sum and the sum of squares of x ...",
        ),
        Step(
            lhs=X.T * y,
            rhs=moment,
            rel=Rel.IDENTITY,
            why="... and Xᵀy the sums Σyᵢ and Σxᵢyᵢ.",
        ),
        Step(
            lhs=gram * theta,
            rhs=moment,
            rel=Rel.GIVEN,
            why="The normal equations XᵀXθ = Xᵀy (from setting the gradient to zero).",
        ),
        Step(
            lhs=theta,
            rhs=solution,
            rel=Rel.IMPLIES,
            why="Solve the 2×2 system (Cramer's rule); nΣxᵢ² − (Σxᵢ)² > 0 unless all xᵢ are equal.",
        ),
        Step(
            rhs=centred,
            why="Divide through by n and write x̄ = Σxᵢ/n, ȳ = Σyᵢ/n: the slope is "
            "Σ(xᵢ − x̄)(yᵢ − ȳ)/Σ(xᵢ − x̄)², the intercept ȳ − w x̄ (the line passes through "
            "the mean point).",
        ),
        Step(
            lhs=total((xi - mx) * (yi - my)) / total((xi - mx) ** 2),
            rhs=slope_matrix,
            rel=Rel.IDENTITY,
            why="In vector form: the slope is (x − x̄1)ᵀ(y − ȳ1)/‖x − x̄1‖², the centred "
            "covariance over the centred variance.",
        ),
    )
    results = (
        Formula(X.T * X, gram, name="normal equations"),
        Formula(theta, solution, name="solution"),
        Formula(theta, centred, name="centred form"),
    )

    ex_x = sp.ImmutableMatrix([1, 2, 3, 4, 5])
    ex_y = sp.ImmutableMatrix([2, 4, 5, 4, 5])
    ex_n = len(ex_x)
    ex_mx, ex_my = sum(ex_x) / ex_n, sum(ex_y) / ex_n
    ex_sxy = sum((a - ex_mx) * (c - ex_my) for a, c in zip(ex_x, ex_y, strict=True))
    ex_sxx = sum((a - ex_mx) ** 2 for a in ex_x)
    ex_w = ex_sxy / ex_sxx
    ex_b = ex_my - ex_w * ex_mx
    interview = Interview(
        question=(
            "Fit y = b + wx by least squares to (1, 2), (2, 4), (3, 5), (4, 4), (5, 5). "
            "Why does the fitted line pass through (x̄, ȳ)?"
        ),
        answer=(
            f"x̄ = {fmt(ex_mx)}, ȳ = {fmt(ex_my)}, Σ(xᵢ − x̄)(yᵢ − ȳ) = {fmt(ex_sxy)}, "
            f"Σ(xᵢ − x̄)² = {fmt(ex_sxx)}, so w = {fmt(ex_w)} = {decimal(ex_w)} and "
            f"b = ȳ − w x̄ = {fmt(ex_b)} = {decimal(ex_b)}. The first normal equation (for the "
            "bias) is Σ(yᵢ − b − wxᵢ) = 0: the residuals sum to zero, i.e. ȳ = b + w x̄."
        ),
    )

    xbar_x = (ones.T * x) / n
    ybar_y = (ones.T * y) / n
    twin_slope = slope_matrix.xreplace({xbar: xbar_x, ybar: ybar_y})
    twin_intercept = MatrixElement(ybar_y, 0, 0) - twin_slope * MatrixElement(xbar_x, 0, 0)

    def polyfit(index: int) -> Reference:
        return Reference(
            "np.polyfit(deg=1)",
            lambda x, y: np.polyfit(x, y, 1)[index],
            batched=False,
        )

    domain = "x, y (..., n) with at least two distinct x values; NaN if all x are equal"
    twins = (
        Twin(
            name="slope",
            formula=Formula(w, twin_slope, name="(x − x̄1)ᵀ(y − ȳ1)/‖x − x̄1‖²"),
            args=(Arg("x", x), Arg("y", y)),
            reference=polyfit(0),
            sample=sample,
            domain=domain,
        ),
        Twin(
            name="intercept",
            formula=Formula(b, twin_intercept, name="ȳ − w x̄"),
            args=(Arg("x", x), Arg("y", y)),
            reference=polyfit(1),
            sample=sample,
            domain=domain,
        ),
    )

    return ENTRY.derivation(
        symbols=(
            Var(x, "the n inputs", Domain.MATRIX),
            Var(y, "the n targets", Domain.MATRIX),
            Var(b, "the intercept"),
            Var(w, "the slope"),
            Var(X, "the design matrix [1 x]", Domain.MATRIX),
            Var(xbar, "the mean of x", Domain.MATRIX),
            Var(ybar, "the mean of y", Domain.MATRIX),
        ),
        steps=steps,
        results=results,
        twins=twins,
        bindings={
            X: sp.BlockMatrix([[ones, x]]),
            xbar: sp.ImmutableMatrix([[total(xi) / n]]),
            ybar: sp.ImmutableMatrix([[total(yi) / n]]),
        },
        sizes=({n: 3}, {n: 5}),
        assumptions=("the xᵢ are not all equal",),
        intuition=(
            "The least-squares line is the normal equation with two columns, a column of "
            "ones for the intercept and the inputs for the slope. The intercept's equation "
            "says the residuals sum to zero, so the line goes through the centre of mass "
            "(x̄, ȳ); measured from that centre, the slope is how much x and y move together "
            "(their covariance) per unit of how much x moves on its own (its variance). "
            "Outliers far from x̄ have the largest say, because their deviations are squared."
        ),
        interview=interview,
        mistakes=(
            Mistake(
                slope,
                total(xi * yi) / total(xi**2),
                "Without centring, Σxy/Σx² is the slope of the best line through the origin, "
                "not of the line with an intercept.",
                name="not centred",
            ),
            Mistake(
                slope,
                total((xi - mx) * (yi - my)) / total((yi - my) ** 2),
                "The denominator is the spread of x, not of y (that would regress x on y).",
                name="variance of y",
            ),
            Mistake(
                my - slope * mx,
                my + slope * mx,
                "The intercept is ȳ − w x̄: moving from x̄ back to x = 0 changes the "
                "prediction by −w x̄.",
                name="intercept sign",
            ),
        ),
    )
