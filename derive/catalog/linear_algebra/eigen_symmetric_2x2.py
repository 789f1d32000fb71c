"""Eigenvalues and eigenvectors of a symmetric 2×2 matrix: always real, eigenvectors orthogonal.

>>> [r.name for r in build().results][:4]
['eigenvalues', 'orthogonal', 'stable λ₁', 'stable λ₂']
"""

from __future__ import annotations

import numpy as np
import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement

from derive.catalog.common import fmt
from derive.catalog.entry import Entry, Picture
from derive.catalog.linear_algebra.stable import (
    FLOOR,
    Scaled,
    largest_entry,
    rescaled,
    same_as_results,
)
from derive.core.model import Domain, Formula, Interview, Mistake, Rel, Step, Topic, Var
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


def build() -> Derivation:
    """Build the derivation."""
    a, b, d = sp.symbols("a b d", real=True)
    lam = sp.Symbol("lambda")
    S = sp.MatrixSymbol("S", 2, 2)
    V = sp.MatrixSymbol("V", 2, 2)
    Vu, Vl = sp.MatrixSymbol("V_+", 2, 2), sp.MatrixSymbol("V_-", 2, 2)
    v1, v2 = sp.MatrixSymbol("v_1", 2, 1), sp.MatrixSymbol("v_2", 2, 1)
    M = sp.ImmutableMatrix([[a, b], [b, d]])
    I2 = sp.Identity(2)
    char_poly = lam**2 - (a + d) * lam + (a * d - b**2)

    roots = sp.solve(char_poly, lam)
    center = (a + d) / 2
    high = next(r for r in roots if not (r - center).could_extract_minus_sign())
    low = next(r for r in roots if r != high)
    half_gap = (a - d) / 2
    radius = sp.sqrt(half_gap**2 + b**2)
    lam1, lam2 = center + radius, center - radius
    vec1 = sp.ImmutableMatrix([b, lam1 - a])
    vec2 = sp.ImmutableMatrix([b, lam2 - a])

    # Computing: Vieta for the root that cancels, a scaled hypot for r, unit eigenvectors.
    det = a * d - b**2
    stable1 = sp.Piecewise((det / lam2, center < 0), (lam1, True))
    stable2 = sp.Piecewise((det / lam1, center > 0), (lam2, True))
    inner = sp.Max(sp.Abs(half_gap), sp.Abs(b), FLOOR)
    hypot = inner * sp.sqrt(Scaled(half_gap / inner) ** 2 + Scaled(b / inner) ** 2)
    up_norm = sp.sqrt(2 * radius * (radius + half_gap))
    down_norm = sp.sqrt(2 * radius * (radius - half_gap))
    up_big, down_big = half_gap + radius, radius - half_gap
    upper = sp.MatMul(1 / up_norm, sp.ImmutableMatrix([[-b, up_big], [up_big, b]]), evaluate=False)
    lower = sp.MatMul(
        1 / down_norm, sp.ImmutableMatrix([[down_big, b], [-b, down_big]]), evaluate=False
    )
    upper_e, lower_e = sp.ImmutableMatrix(upper.doit()), sp.ImmutableMatrix(lower.doit())
    vectors = sp.ImmutableMatrix(
        2, 2, lambda i, j: sp.Piecewise((upper_e[i, j], half_gap >= 0), (lower_e[i, j], True))
    )

    diagonal = sp.ImmutableMatrix([[lam2, 0], [0, lam1]])
    entries = (a, b, d)
    scale = largest_entry(entries)

    def for_twin(expr: sp.Basic, degree: int) -> sp.Basic:
        return rescaled(expr.xreplace({radius: hypot}), entries, scale, degree)

    values_twin = sp.Tuple(for_twin(stable2, 1), for_twin(stable1, 1))
    vectors_twin = for_twin(vectors, 0)

    steps = (
        Step(
            lhs=S,
            rhs=M,
            rel=Rel.GIVEN,
            why="A real symmetric 2×2 matrix: both off-diagonal entries are b.",
        ),
        Step(
            lhs=sp.Determinant(S - lam * I2),
            rhs=char_poly,
            rel=Rel.IDENTITY,
            why="The characteristic polynomial (a − λ)(d − λ) − b².",
        ),
        Step(
            lhs=sp.Trace(S) ** 2 - 4 * sp.Determinant(S),
            rhs=(a - d) ** 2 + 4 * b**2,
            rel=Rel.IDENTITY,
            why="Its discriminant (a + d)² − 4(ad − b²) is (a − d)² + 4b².",
        ),
        Step(
            lhs=(a - d) ** 2 + 4 * b**2,
            rhs=sp.Integer(0),
            rel=Rel.GE,
            why="A sum of two squares is never negative, so both eigenvalues are real; they "
            "coincide only if a = d and b = 0, i.e. S = aI.",
        ),
        Step(
            lhs=char_poly,
            rhs=sp.Integer(0),
            rel=Rel.GIVEN,
            why="The eigenvalues are the roots of the characteristic polynomial.",
        ),
        Step(
            lhs=lam,
            rhs=sp.FiniteSet(high, low),
            rel=Rel.IMPLIES,
            why="The quadratic formula.",
        ),
        Step(
            lhs=sp.Tuple(high, low),
            rhs=sp.Tuple(lam1, lam2),
            rel=Rel.IDENTITY,
            why="Write them as λ₁,₂ = m ± r around the mean m = (a + d)/2 of the diagonal, with "
            "radius r = √(((a − d)/2)² + b²).",
        ),
        Step(
            lhs=v1,
            rhs=vec1,
            rel=Rel.GIVEN,
            why="A candidate eigenvector for λ₁ from the first row of (S − λ₁I)v = 0: "
            "(a − λ₁)v₁ + bv₂ = 0 is solved by v = (b, λ₁ − a).",
        ),
        Step(
            lhs=S * v1,
            rhs=lam1 * v1,
            rel=Rel.IDENTITY,
            why="It satisfies both rows: Sv₁ = λ₁v₁.",
        ),
        Step(
            lhs=v2,
            rhs=vec2,
            rel=Rel.GIVEN,
            why="The same construction for λ₂.",
        ),
        Step(
            lhs=S * v2,
            rhs=lam2 * v2,
            rel=Rel.IDENTITY,
            why="Sv₂ = λ₂v₂.",
        ),
        Step(
            lhs=MatrixElement(v1.T * v2, 0, 0),
            rhs=sp.Integer(0),
            rel=Rel.IDENTITY,
            why="Orthogonal: b² + (λ₁ − a)(λ₂ − a) = b² + λ₁λ₂ − a(λ₁ + λ₂) + a² = "
            "b² + (ad − b²) − a(a + d) + a² = 0. (In general λ₁v₁ᵀv₂ = (Sv₁)ᵀv₂ = v₁ᵀSv₂ = "
            "λ₂v₁ᵀv₂ because S = Sᵀ, so v₁ᵀv₂ = 0 when λ₁ ≠ λ₂.)",
        ),
        Step(
            lhs=lam1,
            rhs=stable1,
            rel=Rel.IDENTITY,
            why="For computing: m + r cancels when m < 0; then use λ₁ = λ₁λ₂/λ₂ = det S/λ₂.",
        ),
        Step(
            lhs=lam2,
            rhs=stable2,
            rel=Rel.IDENTITY,
            why="Likewise λ₂ = det S/λ₁ when m > 0.",
        ),
        Step(
            lhs=Vu,
            rhs=upper,
            rel=Rel.GIVEN,
            why="Unit eigenvectors without cancellation. With h = (a − d)/2, if h ≥ 0 take "
            "u₁ = (h + r, b)/√(2r(r + h)), whose large entry h + r adds two nonnegative "
            "numbers, and u₂ = u₁ turned by 90°; V = [u₂ u₁] lists them for ascending "
            "eigenvalues, like eigh.",
        ),
        Step(
            lhs=S * Vu,
            rhs=Vu * diagonal,
            rel=Rel.IDENTITY,
            why="Its columns are eigenvectors: SV = V diag(λ₂, λ₁) ...",
        ),
        Step(
            lhs=Vu.T * Vu,
            rhs=I2,
            rel=Rel.IDENTITY,
            why="... and orthonormal: VᵀV = I, so S = V diag(λ₂, λ₁) Vᵀ.",
        ),
        Step(
            lhs=Vl,
            rhs=lower,
            rel=Rel.GIVEN,
            why="If h < 0, take u₁ = (b, r − h)/√(2r(r − h)) instead (now r − h is the sum of "
            "two positive numbers); the twin chooses between the two by the sign of a − d.",
        ),
        Step(
            lhs=S * Vl,
            rhs=Vl * diagonal,
            rel=Rel.IDENTITY,
            why="Again SV = V diag(λ₂, λ₁) ...",
        ),
        Step(
            lhs=Vl.T * Vl,
            rhs=I2,
            rel=Rel.IDENTITY,
            why="... and VᵀV = I.",
        ),
    )
    results = (
        Formula(lam, sp.FiniteSet(high, low), name="eigenvalues"),
        Formula(MatrixElement(v1.T * v2, 0, 0), sp.Integer(0), name="orthogonal"),
        Formula(lam1, stable1, name="stable λ₁"),
        Formula(lam2, stable2, name="stable λ₂"),
        Formula(S * Vu, Vu * diagonal, name="eigenvectors (a ≥ d)"),
        Formula(S * Vl, Vl * diagonal, name="eigenvectors (a < d)"),
    )

    example = sp.ImmutableMatrix([[2, 1], [1, 2]])
    pairs = sorted(example.eigenvects(), key=lambda t: t[0])
    units = [sp.ImmutableMatrix(p[2][0] / p[2][0].norm()) for p in pairs]
    interview = Interview(
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

    domain = "finite real symmetric 2×2 matrices (the twin reads the upper triangle)"
    twins = (
        Twin(
            name="eigenvalues",
            formula=Formula(sp.Tuple(lam2, lam1), values_twin, name="ascending, scaled"),
            args=(Arg("S", M),),
            reference=Reference("np.linalg.eigh", eigh_values),
            sample=sample,
            domain=f"{domain}; output (..., 2) ascending; NaN for a non-finite entry",
            valid=Condition(sp.true, (Arg("S", M),)),  # finite entries
        ),
        Twin(
            name="eigenvectors",
            formula=Formula(V, vectors_twin, name="unit eigenvectors, scaled"),
            args=(Arg("S", M),),
            reference=Reference("np.linalg.eigh", eigh_vectors),
            sample=sample,
            domain=(
                f"{domain}; output (..., 2, 2) with orthonormal columns for ascending "
                "eigenvalues, each with its largest component positive; NaN for S = aI "
                "(every vector is an eigenvector) or a non-finite entry"
            ),
            valid=Condition(sp.Or(sp.Ne(a, d), sp.Ne(b, 0)), (Arg("S", M),)),  # S ≠ aI
        ),
    )

    return ENTRY.derivation(
        symbols=(
            Var(S, "a real symmetric 2×2 matrix", Domain.SYMMETRIC),
            Var(lam, "an eigenvalue"),
            Var(v1, "an eigenvector for λ₁", Domain.MATRIX),
            Var(v2, "an eigenvector for λ₂", Domain.MATRIX),
            Var(V, "the matrix of unit eigenvectors (the twin's output)", Domain.MATRIX),
            Var(Vu, "unit eigenvectors when a ≥ d", Domain.MATRIX),
            Var(Vl, "unit eigenvectors when a < d", Domain.MATRIX),
        ),
        steps=steps,
        results=results,
        twins=twins,
        bindings={S: M, v1: vec1, v2: vec2, V: vectors, Vu: upper, Vl: lower},
        checks=(
            same_as_results(values_twin, sp.Tuple(stable2, stable1)),
            same_as_results(vectors_twin, vectors),
        ),
        assumptions=("S = Sᵀ has real entries; v₁, v₂ are nonzero when b ≠ 0",),
        intuition=(
            "A symmetric matrix stretches the plane along two perpendicular axes, turning the "
            "unit circle into an ellipse whose semi-axes are the eigenvectors and whose "
            "stretch factors are the eigenvalues. Nothing is rotated, so the eigenvalues "
            "cannot be complex: the discriminant (a − d)² + 4b² is a sum of squares. The "
            "eigenvalues sit symmetrically around the average diagonal entry (a + d)/2, at "
            "distance r = √(((a − d)/2)² + b²): the off-diagonal b pushes them apart. This is "
            "why covariance matrices (PCA) and Hessians have real eigenvalues and orthogonal "
            "principal directions."
        ),
        interview=interview,
        mistakes=(
            Mistake(
                lam1,
                center + sp.sqrt((a - d) ** 2 + 4 * b**2),
                "Halve the square root too: λ = ((a + d) ± √((a − d)² + 4b²))/2.",
                name="root not halved",
            ),
            Mistake(
                lam1,
                center + sp.sqrt(half_gap**2 - b**2),
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
                S * sp.ImmutableMatrix([lam1 - a, b]),
                lam1 * sp.ImmutableMatrix([lam1 - a, b]),
                "(λ₁ − a, b) has the components in the wrong order; the eigenvector from the "
                "first row is (b, λ₁ − a).",
                name="eigenvector components swapped",
            ),
        ),
        notes=(
            "Computing: r = √(((a − d)/2)² + b²) is evaluated as a scaled hypot, so it never "
            "cancels (unlike tr² − 4 det) and never overflows; the eigenvalue whose m ± r "
            "cancels comes from det S = λ₁λ₂ instead, so diag(1e8, 1e−8) gives 1e−8 to full "
            "precision, not 0. The matrix is first scaled by its largest entry. The "
            "eigenvector formula picks, by the sign of a − d, the form whose large component "
            "is a sum of two nonnegative terms, so it has full relative accuracy even for "
            "[[1, ε], [ε, 1]] with tiny ε.",
        ),
    )
