"""The two input syntaxes: what they read, and the one-line errors for what they refuse."""

from __future__ import annotations

import pytest

from derive.checker.errors import InputError
from derive.checker.latex import parse_latex_chain
from derive.checker.parser import parse_chain
from derive.checker.tree import unparse

TEXT = [
    ("diff(x^2, x) = 2x", ["diff(x^2, x)", "2*x"]),
    ("-x^2 + A'B", ["-x^2 + A.T*B"]),
    ("x**2 ** 3", ["x^2^3"]),
    ("2^-1", ["2^(-1)"]),
    ("w^T x", ["w^T*x"]),
    ("A^T^-1", ["(A^T)^(-1)"]),
    ("(a+b)(a-b)", ["(a + b)*(a - b)"]),
    ("1/2x", ["1/2*x"]),
    ("[[a, b], [c, d]] @ [1, 2]", ["[[a, b], [c, d]]*[1, 2]"]),
    ("A⁻¹ᵀ + x²", ["(A^(-1)).T + x^2"]),
    ("λθ − σ·μ", ["lambda*theta - sigma*mu"]),
    ("θ_0 + θ1", ["theta_0 + theta1"]),
    ("ln(x) + trace(A) + arctan(y)", ["log(x) + tr(A) + atan(y)"]),
    ("= 3", ["3"]),
    ("0.5e-3 + .25", ["0.5e-3 + .25"]),
]

LATEX = [
    (r"\frac{d}{dx} x^{2} \sin x", "diff(x^2*sin(x), x)"),
    (r"\frac{d}{dx} x^2 + 1", "diff(x^2, x) + 1"),
    (r"\frac{df}{dx}", "diff(f, x)"),
    (r"\frac{\partial^2 f}{\partial x^2}", "diff(f, x, x)"),
    (r"\frac{\partial^2}{\partial x \partial y} x^2 y^3", "diff(x^2*y^3, x, y)"),
    (r"\frac{\mathrm{d}}{\mathrm{d}x}\left(x^3\right)", "diff(x^3, x)"),
    (r"\nabla_{\mathbf{w}} \|X\mathbf{w} - y\|^2", "diff(norm(X*w - y)^2, w)"),
    (r"\partial_x (x y)", "diff(x*y, x)"),
    (r"\frac12 x", "1/2*x"),
    (r"x^23", "x^2*3"),
    (r"\sin^2 x + \cos^2 x", "sin(x)^2 + cos(x)^2"),
    (r"\sin^{-1} x", "asin(x)"),
    (r"\sin 2x \cos x", "sin(2*x)*cos(x)"),
    (r"\log_2 8", "log(8, 2)"),
    (r"\sqrt[3]{x} + \sqrt{y}", "x^(1/3) + sqrt(y)"),
    (r"\left| x - 1 \right| + |y|", "abs(x - 1) + abs(y)"),
    (r"\lVert w \rVert_1", "norm(w, 1)"),
    (r"\begin{bmatrix} a & b \\ c & d \end{bmatrix}^{-1}", "[[a, b], [c, d]]^(-1)"),
    (r"\begin{vmatrix} a & b \\ c & d \end{vmatrix}", "det([[a, b], [c, d]])"),
    (r"\hat{y} - \bar{x} + \tilde{z}", "yhat - xbar + ztilde"),
    (r"\theta_0 + \theta_{1} x", "theta_0 + theta_1*x"),
    (r"\operatorname{sigmoid}(z)(1-\operatorname{sigmoid}(z))", "sigmoid(z)*(1 - sigmoid(z))"),
    (r"\mathbf{x}^\top A \mathbf{x}", "x.T*A*x"),
    (r"X^{\mathsf{T}} X", "X.T*X"),
    (r"\left(A^\top A\right)^{-1} A^{T} b", "(A.T*A)^(-1)*A^T*b"),
    (r"$x^2$", "x^2"),
    (r"\det(A)\det B\,\operatorname{tr}(AB)", "det(A)*det(B)*tr(A*B)"),
    (r"\exp\left(-\frac{x^2}{2}\right)", "exp(-(x^2/2))"),
    (r"2\cdot 3 \times 4 \div 6", "2*3*4/6"),
    (r"\frac{1}{1+e^{-z}}", "1/(1 + e^(-z))"),
    (r"\varepsilon \lambda", "epsilon*lambda"),
]


@pytest.mark.parametrize(("source", "expected"), TEXT)
def test_text_syntax(source: str, expected: list[str]) -> None:
    assert [unparse(e) for e in parse_chain(source)] == expected


@pytest.mark.parametrize(("source", "expected"), LATEX)
def test_latex_syntax(source: str, expected: str) -> None:
    assert [unparse(e) for e in parse_latex_chain(source)] == [expected]


def test_latex_chains_with_alignment_marks() -> None:
    assert [unparse(e) for e in parse_latex_chain(r"a &= b \\ &= c")] == ["a", "b", "c"]


@pytest.mark.parametrize(("source", "expected"), [(s, e) for s, e in TEXT if len(e) == 1])
def test_unparse_round_trips(source: str, expected: list[str]) -> None:
    tree = parse_chain(source)[0]
    assert parse_chain(unparse(tree)) == [tree]


TEXT_ERRORS = [
    ("x + )", 5, "unexpected ')'"),
    ("x)", 2, "no matching opening bracket"),
    ("((x)", 5, "expected ')'"),
    ("sin x", 1, "sin needs its argument in parentheses"),
    ("2 3", 3, "two numbers in a row"),
    ("x.y", 2, "no attribute access"),
    ("_x", 1, "names start with a letter"),
    ("x | y", 3, "abs(...) or norm(...)"),
    ("x < y", 3, "unexpected '<'"),  # a relation is read in a step or a claim, not here
    ("f(x,", 4, "expected ')'"),
    ("sin(x,", 7, "an expression is missing"),
    ("１ + 1", 1, "FULLWIDTH DIGIT ONE"),
    ("а + 1", 1, "CYRILLIC SMALL LETTER A"),
    ("Α + 1", 1, "looks like a Latin letter"),
    ("x\u200d + 1", 2, "invisible character (U+200D ZERO WIDTH JOINER)"),
    ("1" * 61, 1, "number too long"),
    ("1e999", 1, "number exponent too large"),
    ("(" * 41 + "x" + ")" * 41, 41, "nested more than 40 levels deep"),
]


@pytest.mark.parametrize(("source", "column", "message"), TEXT_ERRORS)
def test_text_errors_say_what_and_where(source: str, column: int, message: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_chain(source)
    assert caught.value.column == column
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


LATEX_ERRORS = [
    (r"\input{/etc/passwd}", "unknown LaTeX command \\input"),
    (r"\def\x{1}", "unknown LaTeX command \\def"),
    (r"\immediate\write18{touch x}", "unknown LaTeX command \\immediate"),
    (r"\sum_i x_i", "sums are not supported"),
    (r"\frac{1}{", "unclosed '{'"),
    (r"\begin{verbatim}x\end{verbatim}", "unsupported environment 'verbatim'"),
    (r"x^2^3", "double superscript"),
    (r"\begin{bmatrix} a & b \end{pmatrix}", "ended by"),
]


@pytest.mark.parametrize(("source", "message"), LATEX_ERRORS)
def test_latex_errors(source: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_latex_chain(source)
    assert message in str(caught.value)
    assert caught.value.column is not None
