"""When gradient descent converges: wₜ = (1 − ηa)ᵗw₀ on ½aw², stable iff 0 < η < 2/a.

>>> build().results[1].rhs
w_0*(-a*eta + 1)**t
"""

from __future__ import annotations

from typing import Any

import numpy as np
import sympy as sp

from derive.catalog.common import fmt, random_spd
from derive.catalog.entry import Entry, Exercise, Picture
from derive.catalog.parts import Check, Parts
from derive.catalog.steps import ge, given, identity, implies, le
from derive.core.model import Domain, Formula, Interview, Mistake, Step, Topic, Var
from derive.numeric.derivation import Derivation
from derive.numeric.twin import Arg, Reference, Twin

ENTRY = Entry(
    id="gradient-descent-convergence",
    topic=Topic.CALCULUS_OPTIMIZATION,
    title="Convergence of gradient descent on a quadratic",
    plot=Picture(
        caption=(
            "Iterates wₜ = (1 − ηa)ᵗw₀ evaluated by the twin: monotone for η < 1/a, one step "
            "at η = 1/a, oscillating but shrinking for 1/a < η < 2/a, diverging above 2/a."
        ),
        drawing="gradient_descent_paths",
    ),
    exercise=Exercise(
        question=(
            r"Gradient descent with step size $\eta$ on $f(w) = \frac{{a}}{{2}} w^2$ starts "
            r"at $w_0$. Compute the iterate ${lhs}$ after $t$ steps for {given}."
        ),
        lhs=r"w_{t}",
    ),
    widget="calculus.gradient_descent",
)

MARGIN = 1e-3  # simulate at (1 ∓ MARGIN)·2/a: just inside and just outside the boundary
STEPS = 10_000  # |1 − ηa| = 1 ∓ 2·MARGIN, so 10⁴ steps shrink by e^{−20} or grow by e^{20}
TRIALS = 20


def _simulate(a: Any, eta: Any, w0: Any, steps: int) -> Any:
    """Plain gradient descent on ½aw², one step at a time (the independent reference).

    Works elementwise on arrays of problems as well as on single numbers.
    """
    w = w0
    for _ in range(steps):
        w = w - eta * (a * w)
    return w


def _simulate_matrix(H: np.ndarray, eta: np.ndarray, w0: np.ndarray, steps: int) -> np.ndarray:
    """Gradient descent on ½wᵀHw for a stack of problems: w ← w − η·Hw."""
    w = w0.copy()
    for _ in range(steps):
        w = w - eta[:, None] * np.einsum("...ij,...j->...i", H, w)
    return w


def boundary_check(rng: np.random.Generator) -> tuple[bool, str]:
    """Simulated iterations shrink just below η = 2/a (2/λmax) and blow up just above it."""
    a = rng.uniform(0.1, 10.0, size=TRIALS)
    w0 = rng.choice([-1.0, 1.0], size=TRIALS) * rng.uniform(0.5, 2.0, size=TRIALS)
    inside = np.abs(_simulate(a, (1 - MARGIN) * 2 / a, w0, STEPS) / w0)
    outside = np.abs(_simulate(a, (1 + MARGIN) * 2 / a, w0, STEPS) / w0)
    H = random_spd(rng, TRIALS, 3)
    top = np.linalg.eigvalsh(H)[:, -1]
    v0 = rng.normal(size=(TRIALS, 3))
    scale = np.linalg.norm(v0, axis=-1)
    m_inside = np.linalg.norm(_simulate_matrix(H, (1 - MARGIN) * 2 / top, v0, STEPS), axis=-1)
    m_outside = np.linalg.norm(_simulate_matrix(H, (1 + MARGIN) * 2 / top, v0, STEPS), axis=-1)
    m_inside, m_outside = m_inside / scale, m_outside / scale
    passed = bool(
        inside.max() < 1e-6
        and outside.min() > 1e6
        and m_inside.max() < 1e-6
        and m_outside.min() > 1e6
    )
    detail = (
        f"{TRIALS} seeded aw²/2 and {TRIALS} seeded 3×3 wᵀHw/2, {STEPS} steps at "
        f"(1 ∓ {MARGIN:g})·2/a (2/λmax): |w_T|/|w_0| at most {inside.max():.1e} "
        f"({m_inside.max():.1e}) just below, at least {outside.min():.1e} "
        f"({m_outside.min():.1e}) just above"
    )
    return passed, detail


def _bound_reference(a: np.ndarray) -> np.ndarray:
    """The largest η whose gradient-descent iterates do not grow, found by bisection on
    simulated runs (100 steps from w₀ = 1), independently of any formula."""
    lo, hi = np.zeros_like(a), np.ones_like(a)
    while True:  # double hi until every problem diverges there
        grows = np.abs(_simulate(a, hi, 1.0, 100)) > 1.0
        if grows.all():
            break
        hi = np.where(grows, hi, 2 * hi)
    for _ in range(60):
        mid = (lo + hi) / 2
        grows = np.abs(_simulate(a, mid, 1.0, 100)) > 1.0
        lo, hi = np.where(grows, lo, mid), np.where(grows, mid, hi)
    return (lo + hi) / 2


def _iterate_2d_reference(H: np.ndarray, eta: np.ndarray, w0: np.ndarray, t: np.ndarray) -> Any:
    """t simulated gradient-descent steps on ½wᵀHw (one problem)."""
    w = np.array(w0, dtype=float)
    for _ in range(int(t)):
        w = w - eta * (H @ w)
    return w


def _sample_spd(rng: np.random.Generator, size: int) -> dict[str, np.ndarray]:
    return {"H": random_spd(rng, size, 2) / 2}


def _sample_2d(rng: np.random.Generator, size: int) -> dict[str, np.ndarray]:
    H = random_spd(rng, size, 2) / 2
    top = np.linalg.eigvalsh(H)[:, -1]
    return {
        "H": H,
        "eta": rng.uniform(0.0, 2.5, size=size) / top,  # both sides of 2/λmax
        "w0": rng.normal(size=(size, 2)),
        "t": rng.integers(0, 40, size=size).astype(float),
    }


def _closed_form_reference(a: np.ndarray, eta: np.ndarray, w0: np.ndarray, t: np.ndarray) -> float:
    return _simulate(float(a), float(eta), float(w0), int(t))


def _sample(rng: np.random.Generator, size: int) -> dict[str, np.ndarray]:
    a = rng.uniform(0.1, 10.0, size=size)
    return {
        "a": a,
        "eta": rng.uniform(0.0, 2.5, size=size) / a,  # both sides of 2/a
        "w0": rng.normal(size=size),
        "t": rng.integers(0, 60, size=size).astype(float),
    }


INTUITION = (
    "On a quadratic, gradient descent is a linear map: every step multiplies the "
    "distance to the minimum by 1 − ηa. A small η shrinks it slowly; η = 1/a jumps "
    "straight to the minimum; between 1/a and 2/a the iterate overshoots and lands on "
    "the other side, but closer; at 2/a it lands exactly as far on the other side and "
    "bounces forever; beyond that each bounce is larger. In many dimensions each "
    "eigen-direction of the Hessian has its own factor 1 − ηλ, so the steepest direction "
    "caps the learning rate at 2/λmax while the flattest one decides how long "
    "convergence takes: the condition number λmax/λmin is the price of ill-conditioning."
)


class _Parts(Parts):
    """The one-dimensional quadratic, the n-dimensional step and an explicit symmetric 2×2
    Hessian."""

    intuition = INTUITION
    notes = (
        "The boundary is also checked by simulation (Derivation.checks): seeded random "
        f"curvatures and 3×3 SPD Hessians, {STEPS} plain gradient steps at (1 − {MARGIN:g})"
        f"·2/a and (1 + {MARGIN:g})·2/a; the largest eigenvalue comes from "
        "np.linalg.eigvalsh, independently of the derivation.",
    )

    def __init__(self) -> None:
        self.a = a = sp.Symbol("a", positive=True)
        self.eta = eta = sp.Symbol("eta", positive=True)
        self.w, self.w0, self.wt = w, w0, wt = sp.symbols("w w_0 w_t", real=True)
        self.t = t = sp.Symbol("t", integer=True, nonnegative=True)
        k = sp.Symbol("k", integer=True)
        self.q = sp.Symbol("q", positive=True)  # a fraction of the boundary, 0 < q < 1
        self.s = sp.Symbol("s", positive=True)  # an overshoot beyond the boundary
        self.f = f = a * w**2 / 2
        self.slope = sp.diff(f, w)
        self.update = update = wt - eta * sp.Subs(sp.Derivative(f, w), w, wt)
        self.factored = factored = sp.collect(sp.expand(update.doit()), wt)
        self.ratio = ratio = factored / wt  # 1 − aη
        x = sp.Function("w")
        self.closed = sp.rsolve(x(t + 1) - ratio * x(t), x(t), {x(0): w0})  # w₀(1 − aη)ᵗ
        self.unrolled = sp.Product(ratio, (k, 1, t)) * w0
        (self.boundary,) = sp.solve(sp.Eq(ratio, -1), eta)  # 2/a
        (self.fastest,) = sp.solve(sp.Eq(ratio, 0), eta)  # 1/a
        self.stable = sp.solve_univariate_inequality(sp.Abs(ratio) < 1, eta, relational=False)

        self.n = n = sp.Symbol("n", integer=True, positive=True)
        self.H = H = sp.MatrixSymbol("H", n, n)
        self.v = v = sp.MatrixSymbol("w", n, 1)
        self.quadratic = quadratic = v.T * H * v / 2
        self.gradient = sp.diff(quadratic, v).subs(H.T, H).doit()  # Hw for symmetric H
        self.step_matrix = sp.Identity(n) - eta * H
        self.Q = sp.MatrixSymbol("Q", 2, 2)
        self.Lam = sp.MatrixSymbol("Lambda", 2, 2)
        theta = sp.Symbol("theta", real=True)
        self.lam1, self.lam2 = lam1, lam2 = sp.symbols("lambda_1 lambda_2", positive=True)
        self.rotation = sp.ImmutableMatrix(
            [[sp.cos(theta), -sp.sin(theta)], [sp.sin(theta), sp.cos(theta)]]
        )
        self.eigen = sp.ImmutableMatrix(sp.diag(lam1, lam2))
        self.I2 = sp.Identity(2)

        # An explicit symmetric 2×2 Hessian, for the closed form and its bound.
        self.h11, self.h22 = h11, h22 = sp.symbols("h_11 h_22", positive=True)
        self.h12 = h12 = sp.Symbol("h_12", real=True)
        self.w1, self.w2 = w1, w2 = sp.symbols("w_1 w_2", real=True)
        self.lam = lam = sp.Symbol("lambda", real=True)
        self.H2 = H2 = sp.ImmutableMatrix([[h11, h12], [h12, h22]])
        self.start = start = sp.ImmutableMatrix([w1, w2])
        self.characteristic = characteristic = sp.expand((H2 - lam * sp.eye(2)).det())
        # Δ = tr² − 4 det, the discriminant, named so that the roots print compactly.
        self.Delta = Delta = sp.Symbol("Delta", nonnegative=True)
        discriminant = sp.expand(H2.trace() ** 2 - 4 * H2.det())
        # The root with +√ is the larger one; order them by their value at one point.
        self.small, self.large = small, large = sorted(
            (r.xreplace({discriminant: Delta}) for r in sp.solve(characteristic, lam)),
            key=lambda e: float(e.subs({h11: 1, h12: 1, h22: 2, Delta: 5})),
        )
        self.lam_max, self.lam_min = lam_max, lam_min = sp.symbols(
            "lambda_max lambda_min", positive=True
        )
        (self.bound_2d,) = sp.solve(sp.Eq(1 - eta * lam_max, -1), eta)  # 2/λmax
        angle = sp.atan2(2 * h12, h11 - h22) / 2  # rotates H's eigenvectors onto the axes
        R = sp.ImmutableMatrix([[sp.cos(angle), -sp.sin(angle)], [sp.sin(angle), sp.cos(angle)]])
        D = sp.ImmutableMatrix(sp.diag(lam_max, lam_min))

        # Short names for the display; the checks substitute what they stand for (bindings).
        self.Hn, self.Rn, self.Dn = Hn, Rn, Dn = [
            sp.MatrixSymbol(name, 2, 2) for name in ("H_2", "R", "D")
        ]
        self.start_n = start_n = sp.MatrixSymbol("w_0", 2, 1)
        self.explicit = {
            Hn: H2,
            Rn: R,
            Dn: D,
            start_n: start,
            lam_max: large,
            lam_min: small,
            Delta: discriminant,
        }
        self.step_2d = sp.Identity(2) - eta * Hn

    def one_d_steps(self) -> tuple[Step, ...]:
        f, slope, update, unrolled = self.f, self.slope, self.update, self.unrolled
        closed, ratio, eta, boundary = self.closed, self.ratio, self.eta, self.boundary
        fastest, w, factored, q, s = self.fastest, self.w, self.factored, self.q, self.s
        return (
            given(sp.Function("f")(w), f, "A one-dimensional quadratic with curvature a > 0."),
            identity(sp.Derivative(f, w), slope, "Its slope."),
            given(sp.Symbol("w_{t+1}"), update, "One gradient-descent step with learning rate η."),
            Step(rhs=factored, why="Each step multiplies w by the same factor 1 − ηa."),
            identity(
                unrolled,
                closed,
                "Unroll t steps (SymPy's rsolve solves the recurrence): wₜ = (1 − ηa)ᵗw₀.",
            ),
            given(
                ratio,
                sp.Integer(-1),
                "wₜ → 0 iff |1 − ηa| < 1. The factor is below 1 for every η > 0; it falls to "
                "−1, where iterates flip sign without shrinking, at",
            ),
            implies(eta, boundary, "the largest stable step size 2/a."),
            le(
                sp.Abs(ratio.subs(eta, q * boundary)),
                sp.Integer(1),
                "Below it, η = q·2/a with 0 < q < 1, the factor |1 − 2q| is at most 1 (less "
                "than 1 for 0 < q < 1): converges.",
            ),
            ge(
                sp.Abs(ratio.subs(eta, (1 + s) * boundary)),
                sp.Integer(1),
                "Above it, η = (1 + s)·2/a with s > 0, the factor is 1 + 2s > 1: diverges.",
            ),
            given(ratio, sp.Integer(0), "The factor is smallest in size, 0, where"),
            implies(eta, fastest, "η = 1/a (one step lands on the minimum): the fastest rate."),
        )

    def matrix_steps(self) -> tuple[Step, ...]:
        gradient, characteristic, lam, eta = self.gradient, self.characteristic, self.lam, self.eta
        bound_2d, Hn, start_n, quadratic = self.bound_2d, self.Hn, self.start_n, self.quadratic
        v, step_matrix, I2, small, large = self.v, self.step_matrix, self.I2, self.small, self.large
        step_2d, Q, lam_max, Rn, Dn = self.step_2d, self.Q, self.lam_max, self.Rn, self.Dn
        t, Lam = self.t, self.Lam
        return (
            identity(
                sp.Derivative(quadratic, v),
                gradient,
                "In n dimensions, f(w) = (1/2)wᵀHw with H symmetric positive definite has gradient "
                "Hw (gradient-quadratic-form).",
            ),
            identity(
                v - eta * gradient, step_matrix * v, "So a step multiplies w by the matrix I − ηH."
            ),
            identity(
                I2 - eta * Q * Lam * Q.T,
                Q * (I2 - eta * Lam) * Q.T,
                "Diagonalise H = QΛQᵀ (here 2×2, Q a rotation): in H's eigenbasis the step is "
                "diagonal, each eigen-component multiplied by 1 − ηλᵢ. All of them shrink iff "
                "η < 2/λᵢ for every i, i.e. η < 2/λmax.",
            ),
            given(
                characteristic,
                sp.Integer(0),
                "Concretely, for a symmetric 2×2 H the eigenvalues solve its characteristic "
                "equation:",
            ),
            implies(
                lam,
                sp.FiniteSet(small, large),
                "the quadratic formula, with Δ = tr² − 4 det = (h₁₁ − h₂₂)² + 4h₁₂² ≥ 0: "
                "λmin and λmax.",
            ),
            given(
                1 - eta * lam_max,
                sp.Integer(-1),
                "The steepest direction (the larger eigenvalue λmax) reaches the factor −1 at",
            ),
            implies(eta, bound_2d, "η = 2/λmax: the learning-rate bound."),
            Step(
                rhs=self.expanded(bound_2d),
                why="In the entries of H₂ (the form the twin evaluates).",
            ),
            identity(
                Rn * Dn * Rn.T,
                Hn,
                "For H₂ = [[h₁₁, h₁₂], [h₁₂, h₂₂]] let R rotate by half the angle "
                "atan2(2h₁₂, h₁₁ − h₂₂) and D = diag(λmax, λmin): then RDRᵀ = H₂ (this R works "
                "even where h₁₂ = 0 or the eigenvalues coincide).",
            ),
            identity(
                step_2d * self.iterate_2d(t),
                self.iterate_2d(t + 1),
                "So wₜ = R(I − ηD)ᵗRᵀw₀ in closed form: one more step raises t by one ...",
            ),
            identity(
                self.iterate_2d(sp.Integer(0)),
                start_n,
                "... and at t = 0 it is w₀, so by induction it is the t-th iterate.",
            ),
        )

    def results(self) -> tuple[Formula, ...]:
        slope, unrolled, closed, eta = self.slope, self.unrolled, self.closed, self.eta
        boundary, fastest, bound_2d, f = self.boundary, self.fastest, self.bound_2d, self.f
        w, I2, step_2d, Q, t, Lam = self.w, self.I2, self.step_2d, self.Q, self.t, self.Lam
        return (
            Formula(sp.Derivative(f, w), slope, name="f′"),
            Formula(unrolled, closed, name="wₜ"),
            Formula(eta, boundary, name="η at the boundary |1 − ηa| = 1"),
            Formula(eta, fastest, name="fastest η"),
            Formula(
                I2 - eta * Q * Lam * Q.T, Q * (I2 - eta * Lam) * Q.T, name="step in the eigenbasis"
            ),
            Formula(eta, bound_2d, name="η bound 2/λmax for a 2×2 H"),
            Formula(eta, self.expanded(bound_2d), name="η bound for a 2×2 H, in its entries"),
            Formula(
                step_2d * self.iterate_2d(t), self.iterate_2d(t + 1), name="2-D iterate recurrence"
            ),
        )

    def twins(self, results: tuple[Formula, ...]) -> tuple[Twin, ...]:
        # Twin names are the worksheet's (derive.widgets.calculus): iterate, learning-rate bound.
        start_n, step_2d, t, a, eta = self.start_n, self.step_2d, self.t, self.a, self.eta
        w0, H2, start = self.w0, self.H2, self.start
        iterate_formula = Formula(
            sp.MatPow(step_2d, t) * start_n, self.expanded(self.iterate_2d(t)), "wₜ (2-D)"
        )
        return (
            Twin(
                "iterate",
                results[1],
                (Arg("a", a), Arg("eta", eta), Arg("w0", w0), Arg("t", t)),
                Reference(
                    "t simulated gradient-descent steps",
                    _closed_form_reference,
                    "simulation",
                    batched=False,
                ),
                _sample,
                domain="a > 0, η > 0, integer t ≥ 0",
                rtol=1e-9,
                atol=1e-12,
            ),
            Twin(
                "learning-rate bound",
                results[2],
                (Arg("a", a),),
                Reference(
                    "bisection on simulated runs for the largest non-growing η",
                    _bound_reference,
                    "simulation",
                ),
                lambda rng, n: {"a": rng.uniform(0.1, 10.0, size=n)},
                domain="a > 0",
                rtol=1e-9,
                atol=1e-12,
            ),
            Twin(
                "iterate 2-D",
                iterate_formula,
                (Arg("H", H2), Arg("eta", eta), Arg("w0", start), Arg("t", t)),
                Reference(
                    "t simulated gradient-descent steps on wᵀHw/2",
                    _iterate_2d_reference,
                    "simulation",
                    batched=False,
                ),
                _sample_2d,
                domain="symmetric H (its lower-left entry is ignored), integer t ≥ 0",
                rtol=1e-9,
                atol=1e-9,
            ),
            Twin(
                "learning-rate bound 2-D",
                results[6],
                (Arg("H", H2),),
                Reference(
                    "2/λmax with np.linalg.eigvalsh",
                    lambda H: 2 / np.linalg.eigvalsh(H)[..., -1],
                ),
                _sample_spd,
                domain="symmetric positive definite H; NaN otherwise (no minimum to descend to)",
                valid=lambda H: (
                    (H[..., 0, 0] > 0) & (H[..., 0, 0] * H[..., 1, 1] - H[..., 0, 1] ** 2 > 0)
                ),
                rtol=1e-10,
                atol=1e-12,
            ),
        )

    def interview(self) -> Interview:
        a, stable, ratio, eta = self.a, self.stable, self.ratio, self.eta
        a0 = 4
        rates = [sp.Rational(1, 4), sp.Rational(3, 10), sp.Rational(1, 2), sp.Rational(3, 5)]
        factors = [ratio.subs({a: a0, eta: r}) for r in rates]
        interval = stable.subs(a, a0)
        return Interview(
            question="Gradient descent on f(w) = 2w² (curvature a = 4). Which learning rates "
            "converge? Describe what happens at η = 0.25, 0.3, 0.5 and 0.6.",
            answer=(
                f"Each step multiplies w by 1 − 4η, so wₜ = (1 − 4η)ᵗw₀ and the iterates converge "
                f"exactly for η in ({fmt(interval.start)}, {fmt(interval.end)}), i.e. "
                f"0 < η < 2/a. At η = 0.25 the factor is {fmt(factors[0])}: one step lands on the "
                f"minimum (η = 1/a is the fastest). At 0.3 it is {fmt(factors[1])}: converges, "
                f"flipping sign each step. At 0.5 it is {fmt(factors[2])}: the iterates bounce "
                f"between ±w₀ forever. At 0.6 it is {fmt(factors[3])}: |w| grows by "
                f"{fmt(100 * (abs(factors[3]) - 1))}% per step and diverges. For a quadratic "
                "(1/2)wᵀHw the same holds per eigen-direction, so the largest eigenvalue sets the "
                "limit η < 2/λmax while the smallest sets how slowly the flattest direction "
                "converges."
            ),
        )

    def mistakes(self) -> tuple[Mistake, ...]:
        boundary, fastest, closed, w0, t = self.boundary, self.fastest, self.closed, self.w0, self.t
        lam1, lam2, eta = self.lam1, self.lam2, self.eta
        return (
            Mistake(
                boundary,
                fastest,
                "η < 1/a is sufficient but not the boundary: every η < 2/a converges (between 1/a "
                "and 2/a the iterates overshoot and oscillate, but shrink).",
                name="η < 1/a instead of 2/a",
            ),
            Mistake(
                closed,
                w0 * (1 - eta) ** t,
                "The curvature a scales the gradient: the factor is 1 − ηa, not 1 − η.",
                name="factor without the curvature",
            ),
            Mistake(
                fastest,
                boundary,
                "η = 2/a is the edge of divergence (factor −1), not the fastest rate (factor 0 at "
                "η = 1/a).",
                name="2/a as the optimal step",
            ),
            Mistake(
                2 / sp.Max(lam1, lam2),
                2 / sp.Min(lam1, lam2),
                "The largest eigenvalue limits the step: η < 2/λmax. Using λmin lets the steepest "
                "direction diverge.",
                name="λmin instead of λmax",
            ),
        )

    def expanded(self, expr: sp.Basic) -> sp.Basic:
        """``expr`` with the short names replaced by what they stand for, for the twins."""
        explicit = self.explicit
        while expr.free_symbols & explicit.keys() or expr.atoms(sp.MatrixSymbol) & explicit.keys():
            expr = expr.xreplace(explicit)
        return expr

    def iterate_2d(self, steps: sp.Expr) -> sp.MatrixExpr:
        """wₜ = R(I − ηD)ᵗRᵀw₀ after ``steps`` steps, in the short names."""
        start_n, Rn, eta, Dn = self.start_n, self.Rn, self.eta, self.Dn
        return Rn * sp.MatPow(sp.Identity(2) - eta * Dn, steps) * Rn.T * start_n

    def bindings(self) -> dict[sp.Basic, sp.Basic]:
        Q, Lam, rotation, eigen = self.Q, self.Lam, self.rotation, self.eigen
        explicit = self.explicit
        return {Q: rotation, Lam: eigen, **explicit}

    def symbols(self) -> tuple[Var, ...]:
        w, a, eta, w0, wt, t, q = self.w, self.a, self.eta, self.w0, self.wt, self.t, self.q
        s, H, v, Q, Lam, lam1, lam2 = self.s, self.H, self.v, self.Q, self.Lam, self.lam1, self.lam2
        h11, h22, h12, lam, w1, w2 = self.h11, self.h22, self.h12, self.lam, self.w1, self.w2
        Hn, Rn, Dn, start_n, lam_max = self.Hn, self.Rn, self.Dn, self.start_n, self.lam_max
        lam_min, Delta = self.lam_min, self.Delta
        return (
            Var(w, "the parameter"),
            Var(a, "the curvature f″ > 0", Domain.POSITIVE),
            Var(eta, "the learning rate η > 0", Domain.POSITIVE),
            Var(w0, "the starting point"),
            Var(wt, "the iterate after t steps"),
            Var(t, "the number of steps", Domain.COUNT),
            Var(q, "a fraction of the boundary step, 0 < q < 1", Domain.PROBABILITY),
            Var(s, "an overshoot beyond the boundary, s > 0", Domain.POSITIVE),
            Var(H, "a symmetric positive definite n×n matrix", Domain.SPD),
            Var(v, "the parameter vector", Domain.MATRIX),
            Var(Q, "an orthogonal matrix of eigenvectors (a rotation by θ)", Domain.MATRIX),
            Var(Lam, "the diagonal matrix of eigenvalues λ₁, λ₂ > 0", Domain.MATRIX),
            Var(lam1, "an eigenvalue of H", Domain.POSITIVE),
            Var(lam2, "an eigenvalue of H", Domain.POSITIVE),
            Var(h11, "a diagonal entry of a 2×2 H", Domain.POSITIVE),
            Var(h22, "the other diagonal entry", Domain.POSITIVE),
            Var(h12, "the off-diagonal entry"),
            Var(lam, "an eigenvalue of the 2×2 H"),
            Var(w1, "the first coordinate of w₀"),
            Var(w2, "the second coordinate of w₀"),
            Var(Hn, "a symmetric 2×2 Hessian [[h₁₁, h₁₂], [h₁₂, h₂₂]]", Domain.MATRIX),
            Var(Rn, "the rotation onto H₂'s eigenvectors", Domain.MATRIX),
            Var(Dn, "diag(λmax, λmin), H₂'s eigenvalues", Domain.MATRIX),
            Var(start_n, "the 2-D starting point (w₁, w₂)", Domain.MATRIX),
            Var(lam_max, "the larger eigenvalue of H₂", Domain.POSITIVE),
            Var(lam_min, "the smaller eigenvalue of H₂", Domain.POSITIVE),
            Var(Delta, "the discriminant (h₁₁ − h₂₂)² + 4h₁₂²", Domain.POSITIVE),
        )

    def steps(self) -> tuple[Step, ...]:
        return self.one_d_steps() + self.matrix_steps()

    def sizes(self) -> tuple[dict[sp.Symbol, int], ...]:
        return ({self.n: 2}, {self.n: 3})

    def checks(self, results: tuple[Formula, ...], twins: tuple[Twin, ...]) -> tuple[Check, ...]:
        return (("simulated descent converges below 2/a and diverges above", boundary_check),)


def build() -> Derivation:
    """Build the derivation."""
    return _Parts().derivation(ENTRY)
