"""PCA in two dimensions: the covariance of centred data, its eigenvectors maximise the projected
variance, and λᵢ/Σλ is the share of variance each explains.

>>> [r.name for r in build().results]
['centred columns', 'projected variance', 'stationary points', 'top eigenvalue', 'explained ratio']
"""

from __future__ import annotations

import numpy as np
import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement

from derive.catalog.common import decimal, fmt
from derive.catalog.entry import Entry, Exercise, Picture
from derive.catalog.linear_algebra.pieces import dot
from derive.catalog.steps import given, identity
from derive.core.model import Domain, Formula, Interview, Mistake, Rel, Step, Topic, Var
from derive.numeric.derivation import Derivation
from derive.numeric.twin import Arg, Reference, Twin

ENTRY = Entry(
    id="pca-2d",
    topic=Topic.LINEAR_ALGEBRA,
    title="Principal component analysis in two dimensions",
    plot=Picture(
        caption=(
            "Centred data and its principal axes: the covariance comes from the twin, the "
            "eigenvalues from an eigenvalue twin; the first axis carries most of the variance."
        ),
        drawing="pca_axes",
    ),
    exercise=Exercise(
        question=(
            r"The rows of {given} are points in the plane. Compute the sample covariance "
            r"matrix ${lhs}$ of the $n$ rows of $X$, dividing by $n - 1$."
        ),
        lhs=r"\Sigma",
    ),
)


def sample(rng: np.random.Generator, size: int) -> dict[str, np.ndarray]:
    """Correlated Gaussian clouds of 10 points in the plane (the twins take any count)."""
    mixing = rng.normal(size=(size, 2, 2))
    points = rng.normal(size=(size, 10, 2)) @ mixing + rng.normal(size=(size, 1, 2))
    return {"X": points}


def svd_ratio(X: np.ndarray) -> float:
    """The first principal component's share of variance from the SVD of the centred data."""
    s = np.linalg.svd(X - X.mean(axis=0), compute_uv=False)
    return float(s[0] ** 2 / np.sum(s**2))


class _Setup:
    """The symbols and expressions the parts of the derivation share."""

    def __init__(self) -> None:
        n = self.n = sp.Symbol("n", integer=True, positive=True)
        self.i = sp.Symbol("i", integer=True)
        lam = self.lam = sp.Symbol("lambda", real=True)
        X = self.X = sp.MatrixSymbol("X", n, 2)
        self.mu = sp.MatrixSymbol("mu", 2, 1)
        Xc = self.Xc = sp.MatrixSymbol("X_c", n, 2)
        Sigma = self.Sigma = sp.MatrixSymbol("Sigma", 2, 2)
        v = self.v = sp.MatrixSymbol("v", 2, 1)
        ones = self.ones = sp.OneMatrix(n, 1)

        self.mean = X.T * ones / n
        self.centred = X - ones * self.mu.T
        self.covariance = Xc.T * Xc / (n - 1)
        self.quad = MatrixElement(v.T * Sigma * v, 0, 0)
        self.projected = sp.Sum((Xc * v)[self.i, 0] ** 2, (self.i, 0, n - 1)) / (n - 1)
        self.lagrangian = self.quad - lam * (dot(v, v) - 1)
        self.stationary = 2 * Sigma * v - 2 * lam * v

        s11, s12, s22 = Sigma[0, 0], Sigma[0, 1], Sigma[1, 1]
        radius = sp.sqrt(((s11 - s22) / 2) ** 2 + s12**2)
        self.top = (s11 + s22) / 2 + radius
        self.top_is_root = sp.Determinant(Sigma - self.top * sp.Identity(2))
        self.ratio = self.top / (s11 + s22)


def build() -> Derivation:
    """Build the derivation."""
    s = _Setup()
    Xc, Sigma, v, ones = s.Xc, s.Sigma, s.v, s.ones
    return ENTRY.derivation(
        symbols=(
            Var(s.X, "n data points in the plane, one per row", Domain.MATRIX),
            Var(s.mu, "their mean", Domain.MATRIX),
            Var(Xc, "the centred data", Domain.MATRIX),
            Var(Sigma, "the sample covariance matrix", Domain.MATRIX),
            Var(v, "a direction (unit vector)", Domain.MATRIX),
            Var(s.lam, "a Lagrange multiplier"),
        ),
        steps=_steps(s),
        results=(
            Formula(Xc.T * ones, sp.ZeroMatrix(2, 1), name="centred columns"),
            Formula(s.projected, s.quad, name="projected variance"),
            Formula(sp.Derivative(s.lagrangian, v), s.stationary, name="stationary points"),
            Formula(s.top_is_root, sp.Integer(0), name="top eigenvalue"),
            Formula(s.top / sp.Trace(Sigma), s.ratio, name="explained ratio"),
        ),
        twins=_twins(s),
        bindings={s.mu: s.mean, Xc: s.centred, Sigma: s.covariance},
        sizes=({s.n: 3}, {s.n: 4}),
        assumptions=("n ≥ 2 and the points are not all equal",),
        intuition=INTUITION,
        interview=_interview(),
        mistakes=_mistakes(s),
    )


def _steps(s: _Setup) -> tuple[Step, ...]:
    """Centre, form Σ, maximise the projected variance: the eigenvectors of Σ."""
    Xc, Sigma, v, lam, ones = s.Xc, s.Sigma, s.v, s.lam, s.ones
    return (
        given(s.mu, s.mean, "The mean of the n points (rows of X)."),
        given(Xc, s.centred, "Centre the data: subtract the mean."),
        identity(Xc.T * ones, sp.ZeroMatrix(2, 1), "Each centred column sums to zero."),
        given(
            Sigma,
            s.covariance,
            "The sample covariance matrix of the centred data (2×2, symmetric).",
        ),
        identity(
            s.projected,
            s.quad,
            "Project every point on a direction v: the projections X_cv have mean 0 and "
            "sample variance vᵀΣv.",
        ),
        identity(
            sp.Derivative(s.lagrangian, v),
            s.stationary,
            "Maximise vᵀΣv over unit vectors with a Lagrange multiplier: the gradient of "
            "vᵀΣv − λ(vᵀv − 1) is 2Σv − 2λv (Σ is symmetric).",
        ),
        given(s.stationary, sp.ZeroMatrix(2, 1), "At the best direction the gradient vanishes ..."),
        Step(
            lhs=Sigma * v,
            rhs=lam * v,
            rel=Rel.IFF,
            by=sp.Rational(1, 2),
            why="... which says Σv = λv: the stationary directions are the eigenvectors of Σ, "
            "and the variance along an eigenvector is vᵀΣv = λvᵀv = λ. So the first principal "
            "component is the eigenvector of the largest eigenvalue.",
        ),
        identity(
            s.top_is_root,
            sp.Integer(0),
            "For 2×2 data that eigenvalue is λ₁ = tr Σ/2 + √(((Σ₁₁ − Σ₂₂)/2)² + Σ₁₂²) "
            "(the symmetric 2×2 formula): det(Σ − λ₁I) = 0.",
        ),
        identity(
            s.top / sp.Trace(Sigma),
            s.ratio,
            "The eigenvalues add up to tr Σ, the total variance, so the first component "
            "explains the fraction λ₁/(λ₁ + λ₂) = λ₁/tr Σ of it.",
        ),
    )


def _twins(s: _Setup) -> tuple[Twin, ...]:
    """The covariance against ``np.cov`` and the explained ratio against the SVD."""
    X, n, ones = s.X, s.n, s.ones
    centred_t = X - ones * s.mean.T
    cov_t = centred_t.T * centred_t / (n - 1)
    ratio_t = s.ratio.xreplace({s.Sigma: cov_t})
    return (
        Twin(
            name="covariance",
            formula=Formula(s.Sigma, cov_t, name="X_cᵀX_c/(n − 1)"),
            args=(Arg("X", X),),
            reference=Reference("np.cov", lambda X: np.cov(X, rowvar=False), batched=False),
            sample=sample,
            domain="data (..., n, 2), n ≥ 2 points as rows; output (..., 2, 2)",
        ),
        Twin(
            name="explained variance ratio",
            formula=Formula(sp.Symbol("r_1"), ratio_t, name="λ₁/tr Σ"),
            args=(Arg("X", X),),
            reference=Reference("SVD of the centred data", svd_ratio, batched=False),
            sample=sample,
            domain="data (..., n, 2) not all at one point; NaN if all points coincide",
        ),
    )


def _interview() -> Interview:
    """Covariance, principal variances and the explained share of five points."""
    rows = (("2.5", "2.4"), ("0.5", "0.7"), ("2.2", "2.9"), ("1.9", "2.2"), ("3.1", "3.0"))
    data = sp.ImmutableMatrix([[sp.Rational(s) for s in row] for row in rows])
    k = data.rows
    ex_c = data - sp.ones(k, 1) * (data.T * sp.ones(k, 1) / k).T
    ex_S = ex_c.T * ex_c / (k - 1)
    ex_l1, ex_l2 = sorted(ex_S.eigenvals(), key=lambda e: -float(e))
    ex_ratio = ex_l1 / (ex_l1 + ex_l2)
    return Interview(
        question=(
            "Points (2.5, 2.4), (0.5, 0.7), (2.2, 2.9), (1.9, 2.2), (3.1, 3.0): compute the "
            "covariance matrix, the variances along the principal axes and the share of "
            "variance the first component explains. Why are the principal axes eigenvectors?"
        ),
        answer=(
            f"Centred, Σ = X_cᵀX_c/4 = {fmt(ex_S)} ≈ [[{decimal(ex_S[0, 0])}, "
            f"{decimal(ex_S[0, 1])}], [{decimal(ex_S[1, 0])}, {decimal(ex_S[1, 1])}]]. Its "
            f"eigenvalues are λ₁ ≈ {decimal(ex_l1)} and λ₂ ≈ {decimal(ex_l2)}, so the first "
            f"component explains λ₁/(λ₁ + λ₂) ≈ {decimal(ex_ratio, 3)} of the variance. "
            "Maximising the projected variance vᵀΣv subject to ‖v‖ = 1 gives, with a "
            "Lagrange multiplier, Σv = λv; the variance along that v is λ."
        ),
    )


def _mistakes(s: _Setup) -> tuple[Mistake, ...]:
    """No centring, the n×n matrix, and the ratio of the two eigenvalues."""
    X, Xc, Sigma, n, top = s.X, s.Xc, s.Sigma, s.n, s.top
    return (
        Mistake(
            Sigma,
            X.T * X / (n - 1),
            "Centre first: XᵀX/(n − 1) mixes the mean into the 'variance'.",
            name="not centred",
        ),
        Mistake(
            Sigma,
            Xc * Xc.T / (n - 1),
            "X_cX_cᵀ is n×n (similarities between points); the covariance of the two "
            "features is the 2×2 X_cᵀX_c/(n − 1).",
            name="n×n instead of 2×2",
        ),
        Mistake(
            top / sp.Trace(Sigma),
            top / (sp.Trace(Sigma) - top),
            "The share is λ₁/(λ₁ + λ₂), not the ratio λ₁/λ₂ of the two eigenvalues.",
            name="ratio of eigenvalues",
        ),
    )


INTUITION = (
    "PCA looks for the direction in which the cloud of points is most spread out. "
    "Squash every point onto a line through the mean: the spread of the shadows is "
    "vᵀΣv, a quadratic form in the direction v. Its maximum over unit vectors is "
    "where Σv points the same way as v, an eigenvector, and the spread there is the "
    "eigenvalue. Because Σ is symmetric its eigenvectors are perpendicular, so the "
    "second component is the direction of leftover spread, and the eigenvalues split "
    "the total variance tr Σ between them."
)
