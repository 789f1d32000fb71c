"""Eigenvalues of a 2×2 matrix from its characteristic polynomial, and a stable way to compute them.

>>> d = build()
>>> [r.name for r in d.results]
['eigenvalues', 'sum = trace', 'product = determinant', 'stable λ₁', 'stable λ₂']
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from derive.catalog.common import fmt
from derive.catalog.entry import Entry, Exercise, Picture
from derive.catalog.linear_algebra.pieces import finite
from derive.catalog.linear_algebra.stable import (
    largest_entry,
    rescaled,
    same_as_results,
)
from derive.catalog.steps import given, identity, implies
from derive.core.model import Domain, Formula, Interview, Mistake, Step, Topic, Var
from derive.numeric.derivation import Derivation
from derive.numeric.twin import Arg, Reference, Twin

ENTRY = Entry(
    id="eigenvalues-2x2",
    topic=Topic.LINEAR_ALGEBRA,
    title="Eigenvalues of a 2×2 matrix",
    plot=Picture(
        caption=(
            "A maps the unit circle to an ellipse; along each eigenvector (thin arrow) it only "
            "stretches, by the eigenvalue the twin computes (thick arrow)."
        ),
        drawing="unit_circle_eigen",
    ),
    exercise=Exercise(
        question=(
            r"Find the eigenvalues ${lhs}$ of {given}: the roots $\lambda$ of $\det(A - "
            r"\lambda I) = 0$."
        ),
        lhs=r"\lambda_{1}, \lambda_{2}",
    ),
    widget="linear_algebra.matrix_explorer",
)


def eigvals_ordered(A: np.ndarray) -> np.ndarray:
    """``np.linalg.eigvals`` in the twin's order: a real pair larger first, a complex pair
    with the positive imaginary part first."""
    w = np.linalg.eigvals(A)
    key = np.where(w.imag != 0, w.imag, w.real)
    return np.take_along_axis(w, np.argsort(-key, axis=-1), axis=-1)


def sample(rng: np.random.Generator, size: int) -> dict[str, np.ndarray]:
    """Gaussian 2×2 matrices (about 29% have a complex pair), without near-defective ones,
    whose eigenvalues are ill-conditioned for any method, LAPACK included."""

    def near_defective(M: np.ndarray) -> np.ndarray:
        gap = (M[:, 0, 0] - M[:, 1, 1]) ** 2 + 4 * M[:, 0, 1] * M[:, 1, 0]
        return np.asarray(np.abs(gap) < 1e-3 * (M**2).sum(axis=(1, 2)))

    A = rng.normal(size=(size, 2, 2))
    bad = near_defective(A)
    while bad.any():
        A[bad] = rng.normal(size=(int(bad.sum()), 2, 2))
        bad = near_defective(A)
    return {"A": A}


class _Setup:
    """The symbols and expressions the parts of the derivation share."""

    def __init__(self) -> None:
        a, b, c, d = self.entries = sp.symbols("a b c d", real=True)
        lam = self.lam = sp.Symbol("lambda")
        T, Delta = sp.symbols("T Delta", real=True)
        self.A = sp.MatrixSymbol("A", 2, 2)
        self.M = sp.ImmutableMatrix([[a, b], [c, d]])
        self.I2 = sp.Identity(2)
        tr, det = self.tr, self.det = sp.Trace(self.A), sp.Determinant(self.A)
        self.char_poly = lam**2 - tr * lam + det

        # The roots of λ² − Tλ + Δ by SymPy, then T = tr A, Δ = det A.
        roots = sp.solve(lam**2 - T * lam + Delta, lam)
        high = next(r for r in roots if not (r - T / 2).could_extract_minus_sign())
        low = next(r for r in roots if r != high)
        on_A = {T: tr, Delta: det}
        self.lam_plus, self.lam_minus = high.xreplace(on_A), low.xreplace(on_A)
        self.pair = sp.Tuple(self.lam_plus, self.lam_minus)
        self.total = sp.Add(self.lam_plus, self.lam_minus, evaluate=False)

        # Stable pieces, on the entries.
        trace_e, det_e = a + d, a * d - b * c
        self.gap = (a - d) ** 2 + 4 * b * c
        root = sp.sqrt(self.gap)
        self.stable_plus = sp.Piecewise(
            (2 * det_e / (trace_e - root), trace_e < 0), ((trace_e + root) / 2, True)
        )
        self.stable_minus = sp.Piecewise(
            (2 * det_e / (trace_e + root), trace_e > 0), ((trace_e - root) / 2, True)
        )
        # One division for both: the conjugate forms 2 det/(T ∓ r) are ∓2 det/(|T| + r)
        # where they are used (T ≠ 0 of the sign that makes T ∓ r cancel-free, r real).
        self.shared = 2 * det_e / (sp.Abs(trace_e) + root)
        real = self.gap >= 0
        self.one_plus = sp.Piecewise(
            (-self.shared, (trace_e < 0) & real), ((trace_e + root) / 2, True)
        )
        self.one_minus = sp.Piecewise(
            (self.shared, (trace_e > 0) & real), ((trace_e - root) / 2, True)
        )
        largest = largest_entry(self.entries)
        self.scaled = sp.Tuple(
            *(rescaled(f, self.entries, largest, degree=1) for f in (self.one_plus, self.one_minus))
        )


def build() -> Derivation:
    """Build the derivation."""
    s = _Setup()
    a, b, c, d = s.entries
    return ENTRY.derivation(
        symbols=(
            Var(s.A, "a real 2×2 matrix", Domain.MATRIX),
            Var(a, "top-left entry"),
            Var(b, "top-right entry"),
            Var(c, "bottom-left entry"),
            Var(d, "bottom-right entry"),
            Var(s.lam, "an eigenvalue: a root of the characteristic polynomial"),
        ),
        steps=_steps(s),
        results=(
            Formula(s.lam, sp.FiniteSet(s.lam_plus, s.lam_minus), name="eigenvalues"),
            Formula(s.total, s.tr, name="sum = trace"),
            Formula(s.lam_plus * s.lam_minus, s.det, name="product = determinant"),
            Formula(s.lam_plus, s.one_plus, name="stable λ₁"),
            Formula(s.lam_minus, s.one_minus, name="stable λ₂"),
        ),
        twins=(_twin(s),),
        bindings={s.A: s.M},
        checks=(same_as_results(s.scaled, sp.Tuple(s.one_plus, s.one_minus)),),
        assumptions=("A has real entries; its eigenvalues may be a complex-conjugate pair",),
        intuition=INTUITION,
        interview=_interview(s),
        mistakes=_mistakes(s),
        notes=NOTES,
    )


def _steps(s: _Setup) -> tuple[Step, ...]:
    """The characteristic equation, its roots, Vieta, and the stable forms of the roots."""
    A, lam, tr, det, lam_plus, lam_minus = s.A, s.lam, s.tr, s.det, s.lam_plus, s.lam_minus
    k = sp.Symbol("s", positive=True)
    return (
        given(A, s.M, "A general real 2×2 matrix."),
        identity(
            sp.Determinant(A - lam * s.I2),
            s.char_poly,
            "Expand det(A − λI) = (a − λ)(d − λ) − bc and collect powers of λ: the "
            "coefficients are the trace a + d and the determinant ad − bc.",
        ),
        given(
            s.char_poly,
            sp.Integer(0),
            "λ is an eigenvalue iff Av = λv for some v ≠ 0, i.e. A − λI is singular: "
            "det(A − λI) = 0 (the characteristic equation).",
        ),
        implies(
            lam,
            sp.FiniteSet(lam_plus, lam_minus),
            "Solve the quadratic: with T = tr A and r = √(T² − 4 det A), "
            "λ₁ = (T + r)/2 and λ₂ = (T − r)/2.",
        ),
        identity(
            s.total, tr, "The square roots cancel in the sum: the eigenvalues add up to the trace."
        ),
        identity(
            lam_plus * lam_minus,
            det,
            "(T + r)(T − r)/4 = (T² − r²)/4 = det A: the eigenvalues multiply to the determinant.",
        ),
        identity(
            tr**2 - 4 * det,
            s.gap,
            "The discriminant as (a − d)² + 4bc: the a² + d² of tr² and the 4ad of "
            "4 det A cancel exactly on paper, not in floating point. Real eigenvalues iff "
            "this is ≥ 0; a repeated one iff it is 0.",
        ),
        identity(
            lam_plus,
            s.stable_plus,
            "For computing λ₁: when tr A < 0 the two terms of (T + r)/2 have opposite "
            "signs; multiply by the conjugate, (T + r)/2 = 2 det A/(T − r), and nothing "
            "cancels.",
        ),
        identity(
            lam_minus, s.stable_minus, "Likewise λ₂ = (T − r)/2 = 2 det A/(T + r) when tr A > 0."
        ),
        identity(
            lam_plus,
            s.one_plus,
            "One division for both: where the roots are real and T ≠ 0, the root of smaller "
            "magnitude is ∓2 det A/q with q = |T| + r (a sum of two terms ≥ 0: no "
            "cancellation), − when T < 0. So λ₁ = −2 det A/q when T < 0 and the roots are "
            "real; otherwise (T + r)/2, which cancels nothing "
            "(for a complex pair its real part T/2 and imaginary part |r|/2 are apart).",
        ),
        identity(
            lam_minus,
            s.one_minus,
            "Likewise λ₂ = 2 det A/q when T > 0 and the roots are real, else (T − r)/2: the "
            "same quotient, so the twin divides once.",
        ),
        identity(
            sp.Determinant(A - lam * s.I2),
            k**2 * sp.Determinant(A / k - (lam / k) * s.I2),
            "Scaling: λ is an eigenvalue of A iff λ/s is one of A/s (s > 0). The twin "
            "uses s = max(|a|, |b|, |c|, |d|), so no square or product overflows or "
            "underflows.",
        ),
    )


def _twin(s: _Setup) -> Twin:
    """The stable roots on A/s, s the largest |entry|, against ``np.linalg.eigvals``."""
    return Twin(
        name="eigenvalues",
        formula=Formula(s.pair, s.scaled, name="s·λ(A/s), s = max |entry|"),
        args=(Arg("A", s.M),),
        reference=Reference("np.linalg.eigvals", eigvals_ordered),
        sample=sample,
        domain=(
            "every finite real 2×2 matrix; output (..., 2) = (λ₁, λ₂): a real pair larger "
            "first, a complex pair (complex dtype) with Im λ₁ > 0 first; NaN where an entry "
            "is infinite or NaN"
        ),
        valid=finite(Arg("A", s.M)),
        complex_sqrt=True,
    )


def _interview(s: _Setup) -> Interview:
    """Eigenvalues of a small example checked by Vieta, and those of a rotation."""
    lam = s.lam
    example = sp.ImmutableMatrix([[4, 2], [1, 3]])
    ex_tr, ex_det = example.trace(), example.det()
    ex_roots = sorted(sp.solve(lam**2 - ex_tr * lam + ex_det, lam), reverse=True)
    rotation = sp.ImmutableMatrix([[0, -1], [1, 0]])
    rot_roots = sp.solve(rotation.charpoly(lam).as_expr(), lam)
    complex_roots = " and ".join(fmt(r).replace("I", "i") for r in rot_roots)
    return Interview(
        question=(
            "Find the eigenvalues of A = [[4, 2], [1, 3]] by hand and check them. Then: what "
            "are the eigenvalues of the 90° rotation [[0, −1], [1, 0]], and why?"
        ),
        answer=(
            f"tr A = {fmt(ex_tr)}, det A = {fmt(ex_det)}, so λ² − {fmt(ex_tr)}λ + "
            f"{fmt(ex_det)} = 0 and λ = {fmt(ex_roots[0])} or {fmt(ex_roots[1])}. Check: "
            f"{fmt(ex_roots[0])} + {fmt(ex_roots[1])} = {fmt(sum(ex_roots))} = tr A and "
            f"{fmt(ex_roots[0])}·{fmt(ex_roots[1])} = {fmt(ex_roots[0] * ex_roots[1])} = det A. "
            f"The rotation has tr = {fmt(rotation.trace())}, det = {fmt(rotation.det())}, "
            f"so λ² + 1 = 0 and λ = {complex_roots}: the "
            "discriminant tr² − 4 det is negative, and no real direction is left unrotated."
        ),
    )


def _mistakes(s: _Setup) -> tuple[Mistake, ...]:
    """Signs in the polynomial and the discriminant, the diagonal, halving, sum and product."""
    a, _, _, d = s.entries
    tr, det, lam = s.tr, s.det, s.lam
    return (
        Mistake(
            sp.Determinant(s.A - lam * s.I2),
            lam**2 + tr * lam + det,
            "The linear coefficient is −tr A: (a − λ)(d − λ) = λ² − (a + d)λ + ad.",
            name="sign of the trace term",
        ),
        Mistake(
            s.lam_plus,
            (tr + sp.sqrt(tr**2 + 4 * det)) / 2,
            "The discriminant is tr² − 4 det, not tr² + 4 det (that would make every "
            "eigenvalue real).",
            name="discriminant sign",
        ),
        Mistake(
            s.pair,
            sp.Tuple(a, d),
            "Only a triangular (or diagonal) matrix has its eigenvalues on the diagonal.",
            name="eigenvalues are the diagonal",
        ),
        Mistake(
            s.lam_plus,
            tr + sp.sqrt(tr**2 - 4 * det) / 2,
            "Both terms are halved: λ = (tr ± √(tr² − 4 det))/2, not tr ± √(…)/2.",
            name="trace not halved",
        ),
        Mistake(
            s.lam_plus * s.lam_minus,
            tr,
            "Sum and product swapped: λ₁ + λ₂ = tr A and λ₁λ₂ = det A.",
            name="product is the trace",
        ),
    )


INTUITION = (
    "An eigenvector is a direction that A only stretches: Av = λv. Such a v ≠ 0 "
    "exists exactly when A − λI squashes some direction to zero, i.e. when "
    "det(A − λI) = 0, and for a 2×2 matrix that determinant is a quadratic in λ whose "
    "coefficients are the two numbers you can read off A at a glance: the trace (sum "
    "of the stretches) and the determinant (their product, the area factor). So the "
    "eigenvalues are the two numbers with sum tr A and product det A. When "
    "tr² < 4 det there is no real solution: the matrix rotates every direction, as a "
    "rotation does, and the eigenvalues are a complex-conjugate pair."
)

NOTES = (
    "The twin does not evaluate the textbook formula. Computing tr² − 4 det in "
    "floating point subtracts two nearly equal numbers when the eigenvalues are close: "
    "for [[1, ε], [ε, 1]] with ε = 1e−9, 4 − 4(1 − ε²) rounds to 0 and the gap 2ε is "
    "lost entirely, whereas (a − d)² + 4bc = 4ε² keeps it to full precision. "
    "Likewise (T − r)/2 cancels when one eigenvalue is much smaller than the other, so "
    "that root comes from the product: 2 det A/(T + r). Both roots use one quotient, "
    "±2 det A/q with q = |T| + r (the stable quadratic formula), so the pair costs "
    "one square root and one division. Finally the matrix is scaled by its largest "
    "entry, so entries from 1e−300 to 1e300 work. What remains is "
    "intrinsic: for a nearly defective matrix (two eigenvalues close, eigenvectors "
    "nearly parallel) the eigenvalues are ill-conditioned and any method, LAPACK "
    "included, loses digits.",
)
