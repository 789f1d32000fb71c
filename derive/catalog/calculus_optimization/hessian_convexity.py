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
from derive.catalog.entry import Entry
from derive.core.model import Domain, Formula, Interview, Mistake, Rel, Step, Topic, Var
from derive.numeric.derivation import Derivation
from derive.numeric.reference import hessian_difference
from derive.numeric.twin import Arg, Reference, Twin

ENTRY = Entry(
    id="hessian-convexity",
    topic=Topic.CALCULUS_OPTIMIZATION,
    title="The Hessian, convexity and the second-order Taylor model",
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


def build() -> Derivation:
    """Build the derivation."""
    x, y, lam, h, u, w = sp.symbols("x y lambda h u w", real=True)
    x0, y0 = sp.symbols("x_0 y_0", real=True)
    v = sp.MatrixSymbol("v", 2, 1)
    entries = sp.ImmutableMatrix([x, y])
    f = x**4 + x * y + y**2
    gradient = sp.ImmutableMatrix([sp.diff(f, var) for var in (x, y)])
    H = sp.ImmutableMatrix(sp.hessian(f, (x, y)))
    det = H.det()
    characteristic = sp.expand((H - lam * sp.eye(2)).det())
    # The root with −√ is the smaller one everywhere; order them by their value at x = 1.
    low, high = sorted(sp.solve(characteristic, lam), key=lambda e: float(e.subs(x, 1)))
    eigenvalues = sp.FiniteSet(low, high)
    lam_low, lam_high = sp.symbols("lambda_- lambda_+", real=True)  # bound to low, high
    convex_region = sp.solve_univariate_inequality(det >= 0, x, relational=False)
    stationary = sp.solve(list(gradient), [x, y], dict=True)
    points = sp.FiniteSet(*(sp.Tuple(p[x], p[y]) for p in stationary))

    d = sp.ImmutableMatrix([u, w])
    at0 = {x: x0, y: y0}
    moved = f.subs({x: x0 + h * u, y: y0 + h * w}, simultaneous=True)
    model = (
        f.subs(at0)
        + h * (gradient.subs(at0).T * d)[0, 0]
        + h**2 * (d.T * H.subs(at0) * d)[0, 0] / 2
    )
    remainder = sp.factor(sp.expand(moved - model))
    R = sp.Symbol("R", real=True)  # stands for moved − model, see the bindings

    def at(point: sp.Tuple) -> dict[sp.Symbol, sp.Expr]:
        return {x: point[0], y: point[1]}

    saddle = next(p for p in points.args if det.subs(at(p)) < 0)
    minima = [p for p in points.args if det.subs(at(p)) > 0]

    steps = (
        Step(lhs=sp.Function("f")(x, y), rhs=f, rel=Rel.GIVEN, why="A function of two variables."),
        Step(
            lhs=sp.Derivative(f, v),
            rhs=gradient,
            rel=Rel.IDENTITY,
            why="Its gradient, v = (x, y).",
        ),
        Step(
            lhs=sp.Derivative(f, v, v),
            rhs=H,
            rel=Rel.IDENTITY,
            why="The Hessian: all second partials; symmetric, since the mixed partials agree.",
        ),
        Step(
            lhs=sp.Determinant(H - lam * sp.Identity(2)),
            rhs=characteristic,
            rel=Rel.IDENTITY,
            why="Its characteristic polynomial λ² − tr(H)λ + det(H).",
        ),
        Step(
            lhs=characteristic, rhs=sp.Integer(0), rel=Rel.GIVEN, why="Eigenvalues are its roots:"
        ),
        Step(lhs=lam, rhs=eigenvalues, rel=Rel.IMPLIES, why="the quadratic formula."),
        Step(
            lhs=lam_low * lam_high,
            rhs=det,
            rel=Rel.IDENTITY,
            why="Call them λ− ≤ λ+: their product is det H (their sum is tr H = 12x² + 2 > 0).",
        ),
        Step(
            lhs=H[0, 0],
            rhs=sp.Integer(0),
            rel=Rel.GE,
            why="Leading minors: the first, ∂²f/∂x² = 12x², is never negative ...",
        ),
        Step(
            lhs=sp.Determinant(H),
            rhs=det,
            rel=Rel.IDENTITY,
            why="... and the second is det H. H is positive semidefinite iff both eigenvalues "
            "are ≥ 0 iff det H ≥ 0 (the trace is positive), i.e. "
            f"|x| ≥ {inline(convex_region.args[1].start)}: f is convex only on those two "
            "half-planes.",
        ),
        Step(
            lhs=gradient,
            rhs=sp.ZeroMatrix(2, 1),
            rel=Rel.GIVEN,
            why="Stationary points: the gradient vanishes.",
        ),
        Step(
            lhs=sp.Tuple(x, y),
            rhs=points,
            rel=Rel.IMPLIES,
            why="y = −x/2 from the second equation, then 4x³ = x/2.",
        ),
        Step(
            lhs=sp.Subs(sp.Determinant(H), (x, y), tuple(saddle)),
            rhs=det.subs(at(saddle)),
            rel=Rel.IDENTITY,
            why=f"At {inline(saddle)} det H < 0: eigenvalues of both signs, a saddle point.",
        ),
        *(
            Step(
                lhs=sp.Subs(sp.Determinant(H), (x, y), tuple(p)),
                rhs=det.subs(at(p)),
                rel=Rel.IDENTITY,
                why=f"At {inline(p)} det H > 0 and ∂²f/∂x² = {inline(H[0, 0].subs(at(p)))} > 0: "
                "positive definite, a strict local minimum.",
            )
            for p in minima
        ),
        Step(
            lhs=R,
            rhs=remainder,
            rel=Rel.IDENTITY,
            why="Second-order Taylor model around (x₀, y₀) in direction d = (u, w): "
            "R = f(x₀ + hu, y₀ + hw) − [f + h∇fᵀd + (h²/2)dᵀHd] has only terms of order h³.",
        ),
        Step(
            lhs=sp.Limit(R / h**2, h, 0, "+-"),
            rhs=sp.limit(remainder / h**2, h, 0),
            rel=Rel.IDENTITY,
            why="So the model's error vanishes faster than h²: near a point, f looks like the "
            "quadratic with Hessian H.",
        ),
    )
    results = (
        Formula(sp.Derivative(f, v, v), H, name="Hessian"),
        Formula(lam, eigenvalues, name="eigenvalues"),
        Formula(sp.Determinant(H), det, name="det H"),
        Formula(R, remainder, name="Taylor remainder"),
    )
    twins = (
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

    f_min = f.subs(at(minima[0]))
    interview = Interview(
        question="Find and classify the stationary points of f(x, y) = x⁴ + xy + y². Where is "
        "f convex?",
        answer=(
            f"∇f = ({inline(gradient[0])}, {inline(gradient[1])}) vanishes at "
            f"{', '.join(inline(p) for p in points.args)}. The Hessian is "
            f"[[{inline(H[0, 0])}, 1], [1, 2]] with det H = {inline(det)}. At {inline(saddle)} "
            f"det H = {fmt(det.subs(at(saddle)))} < 0: a saddle. At the other two det H = "
            f"{fmt(det.subs(at(minima[0])))} > 0 and ∂²f/∂x² = {fmt(H[0, 0].subs(at(minima[0])))} "
            f"> 0: minima, both with f = {fmt(f_min)}. H is positive semidefinite where "
            f"det H ≥ 0, i.e. |x| ≥ {inline(convex_region.args[1].start)}; between those lines "
            "f is not convex, and the saddle at the origin separates the two minima."
        ),
    )
    mistakes = (
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

    return ENTRY.derivation(
        symbols=(
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
        ),
        steps=steps,
        results=results,
        twins=twins,
        bindings={v: entries, R: moved - model, lam_low: low, lam_high: high},
        intuition=(
            "The Hessian is the curvature of f in every direction at once: moving by d changes "
            "f by about ∇fᵀd + (1/2)dᵀHd. If dᵀHd ≥ 0 for every d (H positive semidefinite: all "
            "eigenvalues ≥ 0; for 2×2, det H ≥ 0 and a nonnegative diagonal) the function curves "
            "up in every direction and is convex there; at a stationary point that makes a "
            "minimum, mixed signs make a saddle. Newton's method and every step-size bound "
            "(η < 2/λmax) come from this quadratic model."
        ),
        interview=interview,
        mistakes=mistakes,
    )
