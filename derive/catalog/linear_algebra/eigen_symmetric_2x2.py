"""Eigenvalues and eigenvectors of a symmetric 2×2 matrix: always real, eigenvectors orthogonal.

>>> [r.name for r in build().results][:4]
['eigenvalues', 'orthogonal', 'stable λ₁', 'stable λ₂']
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement

from derive.catalog.common import fmt
from derive.catalog.entry import Entry, Exercise, Picture
from derive.catalog.linear_algebra.stable import (
    FLOOR,
    Scaled,
    largest_entry,
    rescaled,
    same_as_results,
)
from derive.catalog.steps import ge, given, identity, implies
from derive.core.model import Domain, Formula, Interview, Mistake, Step, Topic, Var
from derive.numeric.derivation import Derivation
from derive.numeric.twin import Arg, Condition, Reference, Twin

ENTRY = Entry(
    id="eigen-symmetric-2x2",
    topic=Topic.LINEAR_ALGEBRA,
    title="Eigenvalues and eigenvectors of a symmetric 2×2 matrix",
    plot=Picture(
        caption=(
            "A symmetric matrix stretches the plane along two orthogonal eigenvectors, by its "
            "(real) eigenvalues."
        ),
        drawing="unit_circle_eigen",
    ),
    exercise=Exercise(
        question=(
            r"Find the eigenvalues ${lhs}$ of the symmetric matrix {given}: the roots "
            r"$\lambda$ of $\det(S - \lambda I) = 0$."
        ),
        lhs=r"\lambda_{1}, \lambda_{2}",
    ),
    widget="linear_algebra.matrix_explorer",
)


def sample(rng: np.random.Generator, size: int) -> dict[str, np.ndarray]:
    """Random symmetric 2×2 matrices (Gaussian entries)."""
    B = rng.normal(size=(size, 2, 2))
    return {"S": (B + np.swapaxes(B, -1, -2)) / 2}


def eigh_values(S: np.ndarray) -> np.ndarray:
    """``np.linalg.eigh`` eigenvalues, ascending."""
    return np.asarray(np.linalg.eigh(S)[0])


def eigh_vectors(S: np.ndarray) -> np.ndarray:
    """``np.linalg.eigh`` eigenvectors (columns, ascending eigenvalues), each signed so that
    its largest-magnitude component is positive (the twin's convention)."""
    V = np.linalg.eigh(S)[1]
    biggest = np.take_along_axis(V, np.argmax(np.abs(V), axis=-2)[..., None, :], axis=-2)
    return np.asarray(V * np.sign(biggest))


class _Setup:
    """The symbols and expressions the parts of the derivation share."""

    def __init__(self) -> None:
        a, b, d = self.a, self.b, self.d = sp.symbols("a b d", real=True)
        lam = self.lam = sp.Symbol("lambda")
        self.S = sp.MatrixSymbol("S", 2, 2)
        self.V = sp.MatrixSymbol("V", 2, 2)
        self.Vu, self.Vl = sp.MatrixSymbol("V_+", 2, 2), sp.MatrixSymbol("V_-", 2, 2)
        self.v1, self.v2 = sp.MatrixSymbol("v_1", 2, 1), sp.MatrixSymbol("v_2", 2, 1)
        self.M = sp.ImmutableMatrix([[a, b], [b, d]])
        self.I2 = sp.Identity(2)
        self.char_poly = lam**2 - (a + d) * lam + (a * d - b**2)

        roots = sp.solve(self.char_poly, lam)
        center = self.center = (a + d) / 2
        self.high = next(r for r in roots if not (r - center).could_extract_minus_sign())
        self.low = next(r for r in roots if r != self.high)
        half_gap = self.half_gap = (a - d) / 2
        radius = self.radius = sp.sqrt(half_gap**2 + b**2)
        lam1, lam2 = self.lam1, self.lam2 = center + radius, center - radius
        self.vec1 = sp.ImmutableMatrix([b, lam1 - a])
        self.vec2 = sp.ImmutableMatrix([b, lam2 - a])

        # Computing: Vieta for the root that cancels, unit eigenvectors without cancellation.
        det = a * d - b**2
        self.stable1 = sp.Piecewise((det / lam2, center < 0), (lam1, True))
        self.stable2 = sp.Piecewise((det / lam1, center > 0), (lam2, True))
        up_norm = sp.sqrt(2 * radius * (radius + half_gap))
        down_norm = sp.sqrt(2 * radius * (radius - half_gap))
        up_big, down_big = half_gap + radius, radius - half_gap
        self.upper = sp.MatMul(
            1 / up_norm, sp.ImmutableMatrix([[-b, up_big], [up_big, b]]), evaluate=False
        )
        self.lower = sp.MatMul(
            1 / down_norm, sp.ImmutableMatrix([[down_big, b], [-b, down_big]]), evaluate=False
        )
        upper_e = sp.ImmutableMatrix(self.upper.doit())
        lower_e = sp.ImmutableMatrix(self.lower.doit())
        self.vectors = sp.ImmutableMatrix(
            2, 2, lambda i, j: sp.Piecewise((upper_e[i, j], half_gap >= 0), (lower_e[i, j], True))
        )
        self.diagonal = sp.ImmutableMatrix([[lam2, 0], [0, lam1]])
        self.values_twin = sp.Tuple(self.for_twin(self.stable2, 1), self.for_twin(self.stable1, 1))
        self.vectors_twin = self.for_twin(self.vectors, 0)

    def for_twin(self, expr: sp.Basic, degree: int) -> sp.Basic:
        """``expr`` as the twins compute it: r as a scaled hypot, on the matrix scaled by its
        largest entry."""
        half_gap, b = self.half_gap, self.b
        inner = sp.Max(sp.Abs(half_gap), sp.Abs(b), FLOOR)
        hypot = inner * sp.sqrt(Scaled(half_gap / inner) ** 2 + Scaled(b / inner) ** 2)
        entries = (self.a, b, self.d)
        scaled = expr.xreplace({self.radius: hypot})
        return rescaled(scaled, entries, largest_entry(entries), degree)


def build() -> Derivation:
    """Build the derivation."""
    s = _Setup()
    S, V, Vu, Vl, v1, v2 = s.S, s.V, s.Vu, s.Vl, s.v1, s.v2
    return ENTRY.derivation(
        symbols=(
            Var(S, "a real symmetric 2×2 matrix", Domain.SYMMETRIC),
            Var(s.lam, "an eigenvalue"),
            Var(v1, "an eigenvector for λ₁", Domain.MATRIX),
            Var(v2, "an eigenvector for λ₂", Domain.MATRIX),
            Var(V, "the matrix of unit eigenvectors (the twin's output)", Domain.MATRIX),
            Var(Vu, "unit eigenvectors when a ≥ d", Domain.MATRIX),
            Var(Vl, "unit eigenvectors when a < d", Domain.MATRIX),
        ),
        steps=(*_eigenvalue_steps(s), *_eigenvector_steps(s), *_computing_steps(s)),
        results=(
            Formula(s.lam, sp.FiniteSet(s.high, s.low), name="eigenvalues"),
            Formula(MatrixElement(v1.T * v2, 0, 0), sp.Integer(0), name="orthogonal"),
            Formula(s.lam1, s.stable1, name="stable λ₁"),
            Formula(s.lam2, s.stable2, name="stable λ₂"),
            Formula(S * Vu, Vu * s.diagonal, name="eigenvectors (a ≥ d)"),
            Formula(S * Vl, Vl * s.diagonal, name="eigenvectors (a < d)"),
        ),
        twins=_twins(s),
        bindings={S: s.M, v1: s.vec1, v2: s.vec2, V: s.vectors, Vu: s.upper, Vl: s.lower},
        checks=(
            same_as_results(s.values_twin, sp.Tuple(s.stable2, s.stable1)),
            same_as_results(s.vectors_twin, s.vectors),
        ),
        assumptions=("S = Sᵀ has real entries; v₁, v₂ are nonzero when b ≠ 0",),
        intuition=INTUITION,
        interview=_interview(),
        mistakes=_mistakes(s),
        notes=NOTES,
    )


def _eigenvalue_steps(s: _Setup) -> tuple[Step, ...]:
    """The characteristic polynomial, its nonnegative discriminant, and its roots m ± r."""
    a, b, d, lam, S = s.a, s.b, s.d, s.lam, s.S
    return (
        given(S, s.M, "A real symmetric 2×2 matrix: both off-diagonal entries are b."),
        identity(
            sp.Determinant(S - lam * s.I2),
            s.char_poly,
            "The characteristic polynomial (a − λ)(d − λ) − b².",
        ),
        identity(
            sp.Trace(S) ** 2 - 4 * sp.Determinant(S),
            (a - d) ** 2 + 4 * b**2,
            "Its discriminant (a + d)² − 4(ad − b²) is (a − d)² + 4b².",
        ),
        ge(
            (a - d) ** 2 + 4 * b**2,
            sp.Integer(0),
            "A sum of two squares is never negative, so both eigenvalues are real; they "
            "coincide only if a = d and b = 0, i.e. S = aI.",
        ),
        given(
            s.char_poly,
            sp.Integer(0),
            "The eigenvalues are the roots of the characteristic polynomial.",
        ),
        implies(lam, sp.FiniteSet(s.high, s.low), "The quadratic formula."),
        identity(
            sp.Tuple(s.high, s.low),
            sp.Tuple(s.lam1, s.lam2),
            "Write them as λ₁,₂ = m ± r around the mean m = (a + d)/2 of the diagonal, with "
            "radius r = √(((a − d)/2)² + b²).",
        ),
    )


def _eigenvector_steps(s: _Setup) -> tuple[Step, ...]:
    """An eigenvector for each eigenvalue from the first row, and their orthogonality."""
    S, v1, v2, lam1, lam2 = s.S, s.v1, s.v2, s.lam1, s.lam2
    return (
        given(
            v1,
            s.vec1,
            "A candidate eigenvector for λ₁ from the first row of (S − λ₁I)v = 0: "
            "(a − λ₁)v₁ + bv₂ = 0 is solved by v = (b, λ₁ − a).",
        ),
        identity(S * v1, lam1 * v1, "It satisfies both rows: Sv₁ = λ₁v₁."),
        given(v2, s.vec2, "The same construction for λ₂."),
        identity(S * v2, lam2 * v2, "Sv₂ = λ₂v₂."),
        identity(
            MatrixElement(v1.T * v2, 0, 0),
            sp.Integer(0),
            "Orthogonal: b² + (λ₁ − a)(λ₂ − a) = b² + λ₁λ₂ − a(λ₁ + λ₂) + a² = "
            "b² + (ad − b²) − a(a + d) + a² = 0. (In general λ₁v₁ᵀv₂ = (Sv₁)ᵀv₂ = v₁ᵀSv₂ = "
            "λ₂v₁ᵀv₂ because S = Sᵀ, so v₁ᵀv₂ = 0 when λ₁ ≠ λ₂.)",
        ),
    )


def _computing_steps(s: _Setup) -> tuple[Step, ...]:
    """Eigenvalues and unit eigenvectors in forms that do not cancel."""
    return (
        identity(
            s.lam1,
            s.stable1,
            "For computing: m + r cancels when m < 0; then use λ₁ = λ₁λ₂/λ₂ = det S/λ₂.",
        ),
        identity(s.lam2, s.stable2, "Likewise λ₂ = det S/λ₁ when m > 0."),
        *_unit_eigenvectors(
            s,
            s.Vu,
            s.upper,
            "Unit eigenvectors without cancellation. With h = (a − d)/2, if h ≥ 0 take "
            "u₁ = (h + r, b)/√(2r(r + h)), whose large entry h + r adds two nonnegative "
            "numbers, and u₂ = u₁ turned by 90°; V = [u₂ u₁] lists them for ascending "
            "eigenvalues, like eigh.",
            "Its columns are eigenvectors: SV = V diag(λ₂, λ₁) ...",
            "... and orthonormal: VᵀV = I, so S = V diag(λ₂, λ₁) Vᵀ.",
        ),
        *_unit_eigenvectors(
            s,
            s.Vl,
            s.lower,
            "If h < 0, take u₁ = (b, r − h)/√(2r(r − h)) instead (now r − h is the sum of "
            "two positive numbers); the twin chooses between the two by the sign of a − d.",
            "Again SV = V diag(λ₂, λ₁) ...",
            "... and VᵀV = I.",
        ),
    )


def _unit_eigenvectors(
    s: _Setup, V: sp.MatrixSymbol, form: sp.MatMul, stated: str, eigen: str, orthonormal: str
) -> tuple[Step, ...]:
    """V = ``form``, with SV = V diag(λ₂, λ₁) and VᵀV = I (each step with its reason)."""
    return (
        given(V, form, stated),
        identity(s.S * V, V * s.diagonal, eigen),
        identity(V.T * V, s.I2, orthonormal),
    )


def _twins(s: _Setup) -> tuple[Twin, ...]:
    """Eigenvalues and unit eigenvectors, as the stable forms compute them, against eigh."""
    args = (Arg("S", s.M),)
    domain = "finite real symmetric 2×2 matrices (the twin reads the upper triangle)"

    def twin(name: str, formula: Formula, fn: Callable[..., Any], out: str, valid: Any) -> Twin:
        return Twin(
            name=name,
            formula=formula,
            args=args,
            reference=Reference("np.linalg.eigh", fn),
            sample=sample,
            domain=f"{domain}; {out}",
            valid=Condition(valid, args),
        )

    return (
        twin(
            "eigenvalues",
            Formula(sp.Tuple(s.lam2, s.lam1), s.values_twin, name="ascending, scaled"),
            eigh_values,
            "output (..., 2) ascending; NaN for a non-finite entry",
            sp.true,  # finite entries
        ),
        twin(
            "eigenvectors",
            Formula(s.V, s.vectors_twin, name="unit eigenvectors, scaled"),
            eigh_vectors,
            "output (..., 2, 2) with orthonormal columns for ascending "
            "eigenvalues, each with its largest component positive; NaN for S = aI "
            "(every vector is an eigenvector) or a non-finite entry",
            sp.Or(sp.Ne(s.a, s.d), sp.Ne(s.b, 0)),  # S ≠ aI
        ),
    )


def _interview() -> Interview:
    """Eigenvalues and unit eigenvectors of a small example, and why they are real."""
    example = sp.ImmutableMatrix([[2, 1], [1, 2]])
    pairs = sorted(example.eigenvects(), key=lambda t: t[0])
    units = [sp.ImmutableMatrix(p[2][0] / p[2][0].norm()) for p in pairs]
    return Interview(
        question=(
            "Find the eigenvalues and unit eigenvectors of S = [[2, 1], [1, 2]]. Why are the "
            "eigenvalues of any real symmetric matrix real, and its eigenvectors orthogonal?"
        ),
        answer=(
            f"λ² − 4λ + 3 = 0 gives λ = {fmt(pairs[0][0])} and {fmt(pairs[1][0])}, with unit "
            f"eigenvectors {fmt(units[0].T)} and {fmt(units[1].T)}; their dot product is "
            f"{fmt((units[0].T * units[1])[0, 0])}. For a 2×2 symmetric matrix the "
            "discriminant is (a − d)² + 4b² ≥ 0, a sum of squares, so the roots are real. "
            "Orthogonality: λ₁v₁ᵀv₂ = (Sv₁)ᵀv₂ = v₁ᵀ(Sv₂) = λ₂v₁ᵀv₂, and λ₁ ≠ λ₂ forces "
            "v₁ᵀv₂ = 0."
        ),
    )


def _mistakes(s: _Setup) -> tuple[Mistake, ...]:
    """A root not halved, a wrong sign of b², the diagonal, and swapped components."""
    a, b, d, lam1, lam2 = s.a, s.b, s.d, s.lam1, s.lam2
    return (
        Mistake(
            lam1,
            s.center + sp.sqrt((a - d) ** 2 + 4 * b**2),
            "Halve the square root too: λ = ((a + d) ± √((a − d)² + 4b²))/2.",
            name="root not halved",
        ),
        Mistake(
            lam1,
            s.center + sp.sqrt(s.half_gap**2 - b**2),
            "The off-diagonal entry adds to the discriminant: ((a − d)/2)² + b², not − b².",
            name="minus b squared",
        ),
        Mistake(
            sp.Tuple(lam1, lam2),
            sp.Tuple(a, d),
            "The eigenvalues equal the diagonal entries only when b = 0.",
            name="eigenvalues are the diagonal",
        ),
        Mistake(
            s.S * sp.ImmutableMatrix([lam1 - a, b]),
            lam1 * sp.ImmutableMatrix([lam1 - a, b]),
            "(λ₁ − a, b) has the components in the wrong order; the eigenvector from the "
            "first row is (b, λ₁ − a).",
            name="eigenvector components swapped",
        ),
    )


INTUITION = (
    "A symmetric matrix stretches the plane along two perpendicular axes, turning the "
    "unit circle into an ellipse whose semi-axes are the eigenvectors and whose "
    "stretch factors are the eigenvalues. Nothing is rotated, so the eigenvalues "
    "cannot be complex: the discriminant (a − d)² + 4b² is a sum of squares. The "
    "eigenvalues sit symmetrically around the average diagonal entry (a + d)/2, at "
    "distance r = √(((a − d)/2)² + b²): the off-diagonal b pushes them apart. This is "
    "why covariance matrices (PCA) and Hessians have real eigenvalues and orthogonal "
    "principal directions."
)

NOTES = (
    "Computing: r = √(((a − d)/2)² + b²) is evaluated as a scaled hypot, so it never "
    "cancels (unlike tr² − 4 det) and never overflows; the eigenvalue whose m ± r "
    "cancels comes from det S = λ₁λ₂ instead, so diag(1e8, 1e−8) gives 1e−8 to full "
    "precision, not 0. The matrix is first scaled by its largest entry. The "
    "eigenvector formula picks, by the sign of a − d, the form whose large component "
    "is a sum of two nonnegative terms, so it has full relative accuracy even for "
    "[[1, ε], [ε, 1]] with tiny ε.",
)
