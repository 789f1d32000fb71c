"""Simple linear regression from the normal equation with X = [1 x]: slope and intercept.

>>> [r.name for r in build().results]
['normal equations', 'solution', 'centred form']
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement

from derive.catalog.common import decimal, fmt
from derive.catalog.entry import Entry, Exercise, Picture
from derive.catalog.steps import given, identity, implies
from derive.core.model import Domain, Formula, Interview, Mistake, Step, Topic, Var
from derive.numeric.derivation import Derivation
from derive.numeric.twin import Arg, Reference, Twin

ENTRY = Entry(
    id="simple-linear-regression",
    topic=Topic.LINEAR_ALGEBRA,
    title="Simple linear regression",
    plot=Picture(
        caption=(
            "The fitted line from the slope and intercept formulas; the residuals sum to zero "
            "and are uncorrelated with x."
        ),
        drawing="least_squares_fit",
    ),
    exercise=Exercise(
        question=(
            r"Fit the line $y \approx w x + c$ to the points $(x_i, y_i)$ by least squares, "
            r"where {given} list the $x_i$ and the $y_i$: compute the slope ${lhs}$."
        ),
        lhs=r"w",
    ),
)


def sample(rng: np.random.Generator, size: int) -> dict[str, np.ndarray]:
    """Noisy lines through 9 points (the twins take any number of points)."""
    x = rng.normal(size=(size, 9))
    slope, intercept = rng.normal(size=(2, size, 1))
    return {"x": x, "y": intercept + slope * x + 0.3 * rng.normal(size=(size, 9))}


def polyfit(index: int) -> Reference:
    """Coefficient ``index`` of ``np.polyfit(x, y, 1)``: 0 the slope, 1 the intercept."""
    return Reference("np.polyfit(deg=1)", lambda x, y: np.polyfit(x, y, 1)[index], batched=False)


class _Setup:
    """The symbols and expressions the parts of the derivation share."""

    def __init__(self) -> None:
        n = self.n = sp.Symbol("n", integer=True, positive=True)
        self.i = sp.Symbol("i", integer=True)
        self.b, self.w = sp.symbols("b w", real=True)
        x, y = self.x, self.y = sp.MatrixSymbol("x", n, 1), sp.MatrixSymbol("y", n, 1)
        self.X = sp.MatrixSymbol("X", n, 2)
        self.xbar = sp.MatrixSymbol(r"\bar{x}", 1, 1)
        self.ybar = sp.MatrixSymbol(r"\bar{y}", 1, 1)
        self.ones = sp.OneMatrix(n, 1)
        self.theta = sp.ImmutableMatrix([self.b, self.w])
        xi, yi = self.xi, self.yi = x[self.i, 0], y[self.i, 0]
        mx, my = self.mx, self.my = MatrixElement(self.xbar, 0, 0), MatrixElement(self.ybar, 0, 0)
        total = self.total
        self.gram = sp.ImmutableMatrix([[n, total(xi)], [total(xi), total(xi**2)]])
        self.moment = sp.ImmutableMatrix([total(yi), total(xi * yi)])

        # Solve the 2×2 normal equations with the sums as plain symbols, then put the sums back.
        b, w = self.b, self.w
        Sx, Sy, Sxx, Sxy = sp.symbols("S_x S_y S_xx S_xy", real=True)
        solved = sp.solve([n * b + Sx * w - Sy, Sx * b + Sxx * w - Sxy], [b, w], dict=True)[0]
        back = {Sx: total(xi), Sy: total(yi), Sxx: total(xi**2), Sxy: total(xi * yi)}
        self.solution = sp.ImmutableMatrix([solved[b].xreplace(back), solved[w].xreplace(back)])

        self.slope = total((xi - mx) * (yi - my)) / total((xi - mx) ** 2)
        self.centred = sp.ImmutableMatrix([my - self.slope * mx, self.slope])
        dx, dy = x - self.ones * self.xbar, y - self.ones * self.ybar
        self.slope_matrix = MatrixElement(dx.T * dy, 0, 0) / MatrixElement(dx.T * dx, 0, 0)

    def total(self, f: sp.Expr) -> sp.Sum:
        """Σᵢ f over the n examples."""
        return sp.Sum(f, (self.i, 0, self.n - 1))


def build() -> Derivation:
    """Build the derivation."""
    s = _Setup()
    return ENTRY.derivation(
        symbols=(
            Var(s.x, "the n inputs", Domain.MATRIX),
            Var(s.y, "the n targets", Domain.MATRIX),
            Var(s.b, "the intercept"),
            Var(s.w, "the slope"),
            Var(s.X, "the design matrix [1 x]", Domain.MATRIX),
            Var(s.xbar, "the mean of x", Domain.MATRIX),
            Var(s.ybar, "the mean of y", Domain.MATRIX),
        ),
        steps=_steps(s),
        results=(
            Formula(s.X.T * s.X, s.gram, name="normal equations"),
            Formula(s.theta, s.solution, name="solution"),
            Formula(s.theta, s.centred, name="centred form"),
        ),
        twins=_twins(s),
        bindings={
            s.X: sp.BlockMatrix([[s.ones, s.x]]),
            s.xbar: sp.ImmutableMatrix([[s.total(s.xi) / s.n]]),
            s.ybar: sp.ImmutableMatrix([[s.total(s.yi) / s.n]]),
        },
        sizes=({s.n: 3}, {s.n: 5}),
        assumptions=("the xᵢ are not all equal",),
        intuition=INTUITION,
        interview=_interview(),
        mistakes=_mistakes(s),
    )


def _steps(s: _Setup) -> tuple[Step, ...]:
    """The fit as a normal equation with X = [1 x], solved, then centred."""
    X, y, theta, xi, yi, mx, my = s.X, s.y, s.theta, s.xi, s.yi, s.mx, s.my
    total = s.total
    return (
        identity(
            total((yi - s.b - s.w * xi) ** 2),
            MatrixElement((y - X * theta).T * (y - X * theta), 0, 0),
            "Fitting ŷ = b + wx by least squares is the normal-equation problem "
            "‖y − Xθ‖² with θ = (b, w) and the design matrix X = [1 x] (a bias column and "
            "the feature).",
        ),
        identity(
            X.T * X,
            s.gram,
            "Its Gram matrix has the count, the sum and the sum of squares of x ...",
        ),
        identity(X.T * y, s.moment, "... and Xᵀy the sums Σyᵢ and Σxᵢyᵢ."),
        given(
            s.gram * theta,
            s.moment,
            "The normal equations XᵀXθ = Xᵀy (from setting the gradient to zero).",
        ),
        implies(
            theta,
            s.solution,
            "Solve the 2×2 system (Cramer's rule); nΣxᵢ² − (Σxᵢ)² > 0 unless all xᵢ are equal.",
        ),
        Step(
            rhs=s.centred,
            why="Divide through by n and write x̄ = Σxᵢ/n, ȳ = Σyᵢ/n: the slope is "
            "Σ(xᵢ − x̄)(yᵢ − ȳ)/Σ(xᵢ − x̄)², the intercept ȳ − w x̄ (the line passes through "
            "the mean point).",
        ),
        identity(
            total((xi - mx) * (yi - my)) / total((xi - mx) ** 2),
            s.slope_matrix,
            "In vector form: the slope is (x − x̄1)ᵀ(y − ȳ1)/‖x − x̄1‖², the centred "
            "covariance over the centred variance.",
        ),
    )


def _twins(s: _Setup) -> tuple[Twin, ...]:
    """The slope and the intercept from the vector form, against ``np.polyfit``."""
    xbar_x = (s.ones.T * s.x) / s.n
    ybar_y = (s.ones.T * s.y) / s.n
    twin_slope = s.slope_matrix.xreplace({s.xbar: xbar_x, s.ybar: ybar_y})
    twin_intercept = MatrixElement(ybar_y, 0, 0) - twin_slope * MatrixElement(xbar_x, 0, 0)
    slope = Twin(
        name="slope",
        formula=Formula(s.w, twin_slope, name="(x − x̄1)ᵀ(y − ȳ1)/‖x − x̄1‖²"),
        args=(Arg("x", s.x), Arg("y", s.y)),
        reference=polyfit(0),
        sample=sample,
        domain="x, y (..., n) with at least two distinct x values; NaN if all x are equal",
    )
    intercept = Formula(s.b, twin_intercept, name="ȳ − w x̄")
    return slope, replace(slope, name="intercept", formula=intercept, reference=polyfit(1))


def _interview() -> Interview:
    """Fit a line to five points by hand."""
    ex_x = sp.ImmutableMatrix([1, 2, 3, 4, 5])
    ex_y = sp.ImmutableMatrix([2, 4, 5, 4, 5])
    ex_n = len(ex_x)
    ex_mx, ex_my = sum(ex_x) / ex_n, sum(ex_y) / ex_n
    ex_sxy = sum((a - ex_mx) * (c - ex_my) for a, c in zip(ex_x, ex_y, strict=True))
    ex_sxx = sum((a - ex_mx) ** 2 for a in ex_x)
    ex_w = ex_sxy / ex_sxx
    ex_b = ex_my - ex_w * ex_mx
    return Interview(
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


def _mistakes(s: _Setup) -> tuple[Mistake, ...]:
    """No centring, the spread of y, and the sign of the intercept."""
    xi, yi, mx, my, slope, total = s.xi, s.yi, s.mx, s.my, s.slope, s.total
    return (
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
            "The intercept is ȳ − w x̄: moving from x̄ back to x = 0 changes the prediction by −w x̄.",
            name="intercept sign",
        ),
    )


INTUITION = (
    "The least-squares line is the normal equation with two columns, a column of "
    "ones for the intercept and the inputs for the slope. The intercept's equation "
    "says the residuals sum to zero, so the line goes through the centre of mass "
    "(x̄, ȳ); measured from that centre, the slope is how much x and y move together "
    "(their covariance) per unit of how much x moves on its own (its variance). "
    "Outliers far from x̄ have the largest say, because their deviations are squared."
)
