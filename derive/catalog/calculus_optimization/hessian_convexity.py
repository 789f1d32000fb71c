"""The Hessian of f(x, y) = x⁴ + xy + y², its PSD test, and the second-order Taylor model.

>>> build().results[0].rhs
Matrix([
[12*x**2, 1],
[      1, 2]])
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from derive.catalog.calculus_optimization.shared import inline
from derive.catalog.common import fmt
from derive.catalog.entry import Entry, Exercise, Picture
from derive.catalog.parts import Parts
from derive.catalog.steps import ge, given, identity, implies
from derive.core.model import Domain, Formula, Interview, Mistake, Step, Topic, Var
from derive.numeric.derivation import Derivation
from derive.numeric.reference import hessian_difference
from derive.numeric.twin import Arg, Reference, Twin

ENTRY = Entry(
    id="hessian-convexity",
    topic=Topic.CALCULUS_OPTIMIZATION,
    title="The Hessian, convexity and the second-order Taylor model",
    plot=Picture(
        caption=(
            "The eigenvalues of the Hessian of x⁴ + xy + y² along x: near x = 0 one is "
            "negative, so f is not convex there."
        ),
        drawing="hessian_eigenvalues",
    ),
    exercise=Exercise(
        question=(
            r"For $f(x, y) = x^4 + x y + y^2$, compute the Hessian ${lhs}$ at the point $v = "
            r"(x, y)$ given by {given}."
        ),
        lhs=r"\nabla^{2} f(v)",
    ),
)

# The four-point stencil with h = ε^(1/4)·max(1, |vᵢ|) ≈ 1.2e-4: truncation h²·|f⁗|/6 with
# f⁗ = 24 is ≲ 6e-8·max(1, |v|)², rounding ε·|f|/h² ≲ 1.5e-8·|f| ≲ 1e-6 on |x|, |y| ≤ 2.
# rtol = atol = 1e-5 leave a margin of 10 and still see a missing mixed term (off by 1).
HESS_RTOL, HESS_ATOL = 1e-5, 1e-5


def _f(v: np.ndarray) -> np.ndarray:
    """f in NumPy, written independently of the SymPy expression."""
    x, y = v[..., 0], v[..., 1]
    return x**4 + x * y + y**2


def _hessian_reference(v: np.ndarray) -> np.ndarray:
    return hessian_difference(_f, v)


def _eigen_reference(v: np.ndarray) -> np.ndarray:
    return np.linalg.eigvalsh(hessian_difference(_f, v))


def _sample(rng: np.random.Generator, size: int) -> dict[str, np.ndarray]:
    return {"v": rng.uniform(-2, 2, size=(size, 2))}


INTUITION = (
    "The Hessian is the curvature of f in every direction at once: moving by d changes "
    "f by about ∇fᵀd + (1/2)dᵀHd. If dᵀHd ≥ 0 for every d (H positive semidefinite: all "
    "eigenvalues ≥ 0; for 2×2, det H ≥ 0 and a nonnegative diagonal) the function curves "
    "up in every direction and is convex there; at a stationary point that makes a "
    "minimum, mixed signs make a saddle. Newton's method and every step-size bound "
    "(η < 2/λmax) come from this quadratic model."
)


class _Parts(Parts):
    """f = x⁴ + xy + y², its Hessian and eigenvalues, stationary points and Taylor model."""

    intuition = INTUITION

    def __init__(self) -> None:
        self.x, self.y, self.lam, self.h, self.u, self.w = x, y, lam, h, u, w = sp.symbols(
            "x y lambda h u w", real=True
        )
        self.x0, self.y0 = x0, y0 = sp.symbols("x_0 y_0", real=True)
        self.v = sp.MatrixSymbol("v", 2, 1)
        self.entries = sp.ImmutableMatrix([x, y])
        self.f = f = x**4 + x * y + y**2
        self.gradient = gradient = sp.ImmutableMatrix([sp.diff(f, var) for var in (x, y)])
        self.H = H = sp.ImmutableMatrix(sp.hessian(f, (x, y)))
        self.det = det = H.det()
        self.characteristic = characteristic = sp.expand((H - lam * sp.eye(2)).det())
        # The root with −√ is the smaller one everywhere; order them by their value at x = 1.
        self.low, self.high = low, high = sorted(
            sp.solve(characteristic, lam), key=lambda e: float(e.subs(x, 1))
        )
        self.eigenvalues = sp.FiniteSet(low, high)
        # Names for the two roots, bound to low and high.
        self.lam_low, self.lam_high = sp.symbols("lambda_- lambda_+", real=True)
        self.convex_region = sp.solve_univariate_inequality(det >= 0, x, relational=False)
        stationary = sp.solve(list(gradient), [x, y], dict=True)
        self.points = points = sp.FiniteSet(*(sp.Tuple(p[x], p[y]) for p in stationary))

        self.d = d = sp.ImmutableMatrix([u, w])
        self.at0 = at0 = {x: x0, y: y0}
        self.moved = moved = f.subs({x: x0 + h * u, y: y0 + h * w}, simultaneous=True)
        self.model = model = (
            f.subs(at0)
            + h * (gradient.subs(at0).T * d)[0, 0]
            + h**2 * (d.T * H.subs(at0) * d)[0, 0] / 2
        )
        self.remainder = sp.factor(sp.expand(moved - model))
        self.R = sp.Symbol("R", real=True)  # stands for moved − model, see the bindings

        self.saddle = next(p for p in points.args if det.subs(self.at(p)) < 0)
        self.minima = [p for p in points.args if det.subs(self.at(p)) > 0]

    def at(self, point: sp.Tuple) -> dict[sp.Symbol, sp.Expr]:
        """x and y at this point."""
        return {self.x: point[0], self.y: point[1]}

    def steps(self) -> tuple[Step, ...]:
        f, gradient, H, characteristic = self.f, self.gradient, self.H, self.characteristic
        lam, eigenvalues, det, points, R = self.lam, self.eigenvalues, self.det, self.points, self.R
        remainder, x, y, v, lam_low = self.remainder, self.x, self.y, self.v, self.lam_low
        lam_high, h, saddle, minima = self.lam_high, self.h, self.saddle, self.minima
        convex_region = self.convex_region
        return (
            given(sp.Function("f")(x, y), f, "A function of two variables."),
            identity(sp.Derivative(f, v), gradient, "Its gradient, v = (x, y)."),
            identity(
                sp.Derivative(f, v, v),
                H,
                "The Hessian: all second partials; symmetric, since the mixed partials agree.",
            ),
            identity(
                sp.Determinant(H - lam * sp.Identity(2)),
                characteristic,
                "Its characteristic polynomial λ² − tr(H)λ + det(H).",
            ),
            given(characteristic, sp.Integer(0), "Eigenvalues are its roots:"),
            implies(lam, eigenvalues, "the quadratic formula."),
            identity(
                lam_low * lam_high,
                det,
                "Call them λ− ≤ λ+: their product is det H (their sum is tr H = 12x² + 2 > 0).",
            ),
            ge(
                H[0, 0],
                sp.Integer(0),
                "Leading minors: the first, ∂²f/∂x² = 12x², is never negative ...",
            ),
            identity(
                sp.Determinant(H),
                det,
                "... and the second is det H. H is positive semidefinite iff both eigenvalues "
                "are ≥ 0 iff det H ≥ 0 (the trace is positive), i.e. "
                f"|x| ≥ {inline(convex_region.args[1].start)}: f is convex only on those two "
                "half-planes.",
            ),
            given(gradient, sp.ZeroMatrix(2, 1), "Stationary points: the gradient vanishes."),
            implies(sp.Tuple(x, y), points, "y = −x/2 from the second equation, then 4x³ = x/2."),
            identity(
                sp.Subs(sp.Determinant(H), (x, y), tuple(saddle)),
                det.subs(self.at(saddle)),
                f"At {inline(saddle)} det H < 0: eigenvalues of both signs, a saddle point.",
            ),
            *(
                identity(
                    sp.Subs(sp.Determinant(H), (x, y), tuple(p)),
                    det.subs(self.at(p)),
                    f"At {inline(p)} det H > 0 and ∂²f/∂x² = "
                    f"{inline(H[0, 0].subs(self.at(p)))} > 0: "
                    "positive definite, a strict local minimum.",
                )
                for p in minima
            ),
            identity(
                R,
                remainder,
                "Second-order Taylor model around (x₀, y₀) in direction d = (u, w): "
                "R = f(x₀ + hu, y₀ + hw) − [f + h∇fᵀd + (h²/2)dᵀHd] has only terms of order h³.",
            ),
            identity(
                sp.Limit(R / h**2, h, 0, "+-"),
                sp.limit(remainder / h**2, h, 0),
                "So the model's error vanishes faster than h²: near a point, f looks like the "
                "quadratic with Hessian H.",
            ),
        )

    def results(self) -> tuple[Formula, ...]:
        H, lam, eigenvalues, det, R = self.H, self.lam, self.eigenvalues, self.det, self.R
        remainder, f, v = self.remainder, self.f, self.v
        return (
            Formula(sp.Derivative(f, v, v), H, name="Hessian"),
            Formula(lam, eigenvalues, name="eigenvalues"),
            Formula(sp.Determinant(H), det, name="det H"),
            Formula(R, remainder, name="Taylor remainder"),
        )

    def twins(self, results: tuple[Formula, ...]) -> tuple[Twin, ...]:
        lam, entries, low, high = self.lam, self.entries, self.low, self.high
        return (
            Twin(
                "Hessian",
                results[0],
                (Arg("v", entries),),
                Reference(
                    "four-point finite-difference Hessian of f",
                    _hessian_reference,
                    "finite differences",
                ),
                _sample,
                rtol=HESS_RTOL,
                atol=HESS_ATOL,
            ),
            Twin(
                "eigenvalues",
                Formula(lam, sp.Tuple(low, high), name="eigenvalues, ascending"),
                (Arg("v", entries),),
                Reference(
                    "np.linalg.eigvalsh of the finite-difference Hessian",
                    _eigen_reference,
                    "finite differences",
                ),
                _sample,
                rtol=HESS_RTOL,
                atol=HESS_ATOL,
            ),
        )

    def interview(self) -> Interview:
        f, minima, det, saddle, gradient = self.f, self.minima, self.det, self.saddle, self.gradient
        H, points, convex_region = self.H, self.points, self.convex_region
        f_min = f.subs(self.at(minima[0]))
        return Interview(
            question="Find and classify the stationary points of f(x, y) = x⁴ + xy + y². Where is "
            "f convex?",
            answer=(
                f"∇f = ({inline(gradient[0])}, {inline(gradient[1])}) vanishes at "
                f"{', '.join(inline(p) for p in points.args)}. The Hessian is "
                f"[[{inline(H[0, 0])}, 1], [1, 2]] with det H = {inline(det)}. At {inline(saddle)} "
                f"det H = {fmt(det.subs(self.at(saddle)))} < 0: a saddle. At the other two det H = "
                f"{fmt(det.subs(self.at(minima[0])))} > 0 and ∂²f/∂x² = "
                f"{fmt(H[0, 0].subs(self.at(minima[0])))} "
                f"> 0: minima, both with f = {fmt(f_min)}. H is positive semidefinite where "
                f"det H ≥ 0, i.e. |x| ≥ {inline(convex_region.args[1].start)}; between those lines "
                "f is not convex, and the saddle at the origin separates the two minima."
            ),
        )

    def mistakes(self) -> tuple[Mistake, ...]:
        f, v, H, h, d, moved, at0 = self.f, self.v, self.H, self.h, self.d, self.moved, self.at0
        return (
            Mistake(
                sp.Derivative(f, v, v),
                sp.ImmutableMatrix(sp.diag(H[0, 0], H[1, 1])),
                "Forgetting the mixed partials ∂²f/∂x∂y = 1 off the diagonal.",
                name="Hessian without mixed partials",
            ),
            Mistake(
                sp.Determinant(H),
                H[0, 0] * H[1, 1],
                "The determinant subtracts the off-diagonal product: checking only the diagonal "
                "entries is not a PSD test (here it would call f convex everywhere).",
                name="diagonal test for PSD",
            ),
            Mistake(
                sp.Subs(sp.Derivative(moved, (h, 2)), h, 0) / 2,
                (d.T * H.subs(at0) * d)[0, 0],
                "The coefficient of h² in f(x₀ + hu, y₀ + hw) is (1/2)dᵀHd: without the 1/2 the "
                "model is off already at order h².",
                name="Taylor term without the 1/2",
            ),
        )

    def bindings(self) -> dict[sp.Basic, sp.Basic]:
        v, R, lam_low, lam_high, entries = self.v, self.R, self.lam_low, self.lam_high, self.entries
        low, high, moved, model = self.low, self.high, self.moved, self.model
        return {v: entries, R: moved - model, lam_low: low, lam_high: high}

    def symbols(self) -> tuple[Var, ...]:
        x, y, v, lam, lam_low = self.x, self.y, self.v, self.lam, self.lam_low
        lam_high, x0, y0, u, w, h = self.lam_high, self.x0, self.y0, self.u, self.w, self.h
        R = self.R
        return (
            Var(x, "first variable"),
            Var(y, "second variable"),
            Var(v, "the point (x, y)", Domain.MATRIX),
            Var(lam, "an eigenvalue of the Hessian"),
            Var(lam_low, "the smaller eigenvalue (the root with −√)"),
            Var(lam_high, "the larger eigenvalue (the root with +√)"),
            Var(x0, "the expansion point's x"),
            Var(y0, "the expansion point's y"),
            Var(u, "the direction's x-component"),
            Var(w, "the direction's y-component"),
            Var(h, "the step length along the direction"),
            Var(R, "the error of the second-order Taylor model"),
        )


def build() -> Derivation:
    """Build the derivation."""
    return _Parts().derivation(ENTRY)
