"""LaTeX for expressions, prose and whole derivations.

>>> import sympy as sp
>>> A = sp.MatrixSymbol("A", 2, 2)
>>> print(tex(sp.Determinant(A.T)))
\\det\\left(A^{\\top}\\right)
>>> from sympy import stats
>>> X = stats.Die("X", 6)
>>> print(tex(stats.Probability(sp.Eq(X, 6), X > 3)))
\\operatorname{P}\\left(X = 6 \\mid X > 3\\right)
>>> v, w = sp.MatrixSymbol("v", 3, 1), sp.MatrixSymbol("w", 3, 1)
>>> from sympy.matrices.expressions.matexpr import MatrixElement
>>> print(tex(MatrixElement(v.T * w, 0, 0)), tex(v[1, 0]))
v^{\\top} w {v}_{1}
>>> print(prose("σ ≥ 0 & more"))
\\ensuremath{\\sigma} \\ensuremath{\\geq} 0 \\& more
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sympy as sp
from sympy.printing.latex import LatexPrinter

from derive.core.model import Domain, Rel, Step, Var
from derive.numeric.derivation import Derivation

if TYPE_CHECKING:
    from derive.numeric.twin import Twin


class DeriveLatexPrinter(LatexPrinter):
    """SymPy's printer with textbook notation: ``\\det``, ``^\\top``, ``I``, square brackets."""

    def __init__(self) -> None:
        super().__init__({"mat_delim": "[", "mat_str": "matrix"})

    def _as_ordered_terms(self, expr: Any, order: Any = None) -> list[Any]:
        """SymPy's order, except that a sum starts with a positive term when it has one:
        ``A − λI``, ``tr(A)² − 4 det(A)``, ``xᵢ − x̄`` (SymPy: ``−λI + A``, ``−x̄ + xᵢ``). The
        positive terms go first, then the negative ones, each in SymPy's order; a polynomial
        in one variable keeps its falling powers (``−x² + 2x − 1``)."""
        terms = list(super()._as_ordered_terms(expr, order=order))
        negative = [_negative(t) for t in terms]
        if not terms or not negative[0] or all(negative):
            return terms
        symbols = expr.free_symbols
        scalar = len(symbols) == 1 and expr.is_commutative and not expr.is_Matrix
        if scalar and expr.is_polynomial() and sp.degree(expr, *symbols) > 1:
            return terms
        return [t for t, n in zip(terms, negative, strict=True) if not n] + [
            t for t, n in zip(terms, negative, strict=True) if n
        ]

    def _print_Add(self, expr: Any, order: Any = None) -> str:
        # SymPy's, with a minus sign for a matrix term with a negative coefficient (−λI) too.
        out = ""
        for i, term in enumerate(self._as_ordered_terms(expr, order=order)):
            if i and _negative(term):
                out += " - "
                term = -term
            elif i:
                out += " + "
            shown = self._print(term)
            out += rf"\left({shown}\right)" if self._needs_add_brackets(term) else shown
        return out

    def _print_Determinant(self, expr: Any) -> str:
        return rf"\det\left({self._print(expr.arg)}\right)"

    def _print_Transpose(self, expr: Any) -> str:
        arg = expr.arg
        inner = self._print(arg)
        if not isinstance(arg, sp.MatrixSymbol):
            inner = rf"\left({inner}\right)"
        elif "^" in inner:  # a name like A^{+}: brace it to avoid a double superscript
            inner = f"{{{inner}}}"
        return f"{inner}^{{\\top}}"

    def _print_Identity(self, expr: Any) -> str:
        return "I"

    def _print_Trace(self, expr: Any) -> str:
        return rf"\operatorname{{tr}}\left({self._print(expr.arg)}\right)"

    def _given(self, expr: Any) -> str:
        """The argument of a sympy.stats query and its condition, ``A \\mid B`` (SymPy drops B)."""
        text = self._print(expr.args[0])
        if len(expr.args) > 1 and expr.args[1] is not None:
            text += rf" \mid {self._print(expr.args[1])}"
        return text

    def _print_Probability(self, expr: Any) -> str:
        return rf"\operatorname{{P}}\left({self._given(expr)}\right)"

    def _print_Expectation(self, expr: Any) -> str:
        return rf"\operatorname{{E}}\left[{self._given(expr)}\right]"

    def _print_ElementwiseApplyFunction(self, expr: Any) -> str:
        """``σ(Xw)`` for a function applied entry by entry (SymPy draws ``(d ↦ σ(d))∘(Xw)``)."""
        (variable,) = expr.function.variables
        body = expr.function.expr
        if isinstance(body, sp.Function) and body.args == (variable,):
            # Print f(•) for a scalar placeholder, then put the matrix argument in its place:
            # f(matrix) itself may evaluate (Abs of a matrix expression is a norm-like sqrt).
            placeholder = sp.Symbol("ELEMENTWISEARGUMENT")
            shown = str(self._print(body.func(placeholder)))
            return shown.replace(placeholder.name, str(self._print(expr.expr)))
        return str(super()._print_ElementwiseApplyFunction(expr))

    def _print_FunctionMatrix(self, expr: Any) -> str:
        # [f(i, j)]_{ij}: the matrix whose (i, j) entry is f(i, j).
        i, j = expr.lamda.variables
        body = self._print(expr.lamda.expr)
        return rf"\left[{body}\right]_{{{self._print(i)}{self._print(j)}}}"

    def _print_OneMatrix(self, expr: Any) -> str:
        # The all-ones vector 1 (n×1); a single row of ones is its transpose 1ᵀ.
        return r"\mathbf{1}^{\top}" if expr.rows == 1 and expr.cols != 1 else r"\mathbf{1}"

    def _print_MatrixElement(self, expr: Any) -> str:
        parent = expr.parent
        if parent.shape == (1, 1):  # the entry of a 1×1 product such as vᵀw is the product
            return self._print(parent)
        if isinstance(parent, sp.MatrixSymbol) and parent.shape[1] == 1:  # v[i, 0] is v_i
            return f"{{{self._print(parent)}}}_{{{self._print(expr.i)}}}"
        return str(super()._print_MatrixElement(expr))


def _negative(term: Any) -> bool:
    """Whether a term of a sum prints with a leading minus sign (``−x``, ``−2ab``, ``−λI``)."""
    if isinstance(term, sp.MatMul):
        return bool(term.as_coeff_mmul()[0].could_extract_minus_sign())
    return bool(term.could_extract_minus_sign())


_PRINTER = DeriveLatexPrinter()


def tex(expr: Any) -> str:
    """LaTeX for a SymPy object (tuples become comma-separated lists)."""
    if isinstance(expr, (tuple, list)):
        return ", ".join(tex(e) for e in expr)
    return str(_PRINTER.doprint(expr))


# Unicode that appears in prose, mapped to LaTeX that pdflatex accepts anywhere.
_MATH = {
    "α": r"\alpha",
    "β": r"\beta",
    "γ": r"\gamma",
    "δ": r"\delta",
    "ε": r"\varepsilon",
    "ζ": r"\zeta",
    "η": r"\eta",
    "θ": r"\theta",
    "κ": r"\kappa",
    "λ": r"\lambda",
    "μ": r"\mu",
    "ν": r"\nu",
    "ξ": r"\xi",
    "π": r"\pi",
    "ρ": r"\rho",
    "σ": r"\sigma",
    "τ": r"\tau",
    "φ": r"\varphi",
    "χ": r"\chi",
    "ψ": r"\psi",
    "ω": r"\omega",
    "Γ": r"\Gamma",
    "Δ": r"\Delta",
    "Θ": r"\Theta",
    "Λ": r"\Lambda",
    "Σ": r"\Sigma",
    "Φ": r"\Phi",
    "Ψ": r"\Psi",
    "Ω": r"\Omega",
    "∇": r"\nabla",
    "∂": r"\partial",
    "≠": r"\neq",
    "≤": r"\leq",
    "≥": r"\geq",
    "≈": r"\approx",
    "≡": r"\equiv",
    "⇒": r"\Rightarrow",
    "⇔": r"\Leftrightarrow",
    "→": r"\to",
    "←": r"\leftarrow",
    "↦": r"\mapsto",
    "∈": r"\in",
    "∉": r"\notin",
    "⊂": r"\subset",
    "∑": r"\sum",
    "∏": r"\prod",
    "√": r"\surd",
    "∞": r"\infty",
    "·": r"\cdot",
    "×": r"\times",
    "±": r"\pm",
    "∓": r"\mp",
    "⊙": r"\odot",
    "∘": r"\circ",
    "‖": r"\|",
    "∀": r"\forall",
    "∃": r"\exists",
    "−": "-",
    "′": r"^{\prime}",
    "″": r"^{\prime\prime}",
    "ᵀ": r"^{\top}",
    "⁻": "^{-}",
    "⁺": "^{+}",
    "¹": "^{1}",
    "²": "^{2}",
    "³": "^{3}",
    "⁴": "^{4}",
    "⁰": "^{0}",
    "ⁿ": "^{n}",
    "ᵗ": "^{t}",
    "ˣ": "^{x}",
    "ʰ": "^{h}",
    "ᵢ": "_{i}",
    "ⱼ": "_{j}",
    "ₖ": "_{k}",
    "ₙ": "_{n}",
    "ₓ": "_{x}",
    "₀": "_{0}",
    "₁": "_{1}",
    "₂": "_{2}",
    "₃": "_{3}",
    "ₜ": "_{t}",
    "ℝ": r"\mathbb{R}",
    "∩": r"\cap",
    "∪": r"\cup",
    "¬": r"\neg",
    "∣": r"\mid",
    "⊤": r"\top",
    "ŷ": r"\hat{y}",
    "x̄": r"\bar{x}",
    "ȳ": r"\bar{y}",
    "θ̂": r"\hat{\theta}",
    "p̂": r"\hat{p}",
    "μ̂": r"\hat{\mu}",
    "σ̂": r"\hat{\sigma}",
    "X̄": r"\bar{X}",
    "⌊": r"\lfloor",
    "⌋": r"\rfloor",
    "⌈": r"\lceil",
    "⌉": r"\rceil",
    "ℓ": r"\ell",
    "°": r"^{\circ}",
    # ASCII that pdflatex's default OT1 text font draws wrongly (¡, ¿, an em-dash).
    "<": "<",
    ">": ">",
    "|": "|",
}
_TEXT = {
    "“": "``",
    "”": "''",
    "‘": "`",
    "’": "'",
    "—": "---",
    "–": "--",
    "…": r"\ldots{}",
    "é": r"\'e",
    "è": r"\`e",
    "ö": r"\"o",
    "ü": r"\"u",
    "\u00a0": "~",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "\\": r"\textbackslash{}",
    # In pdflatex's default OT1 text font these print as ¡, ¿ and an em dash.
    "<": r"\ensuremath{<}",
    ">": r"\ensuremath{>}",
    "|": r"\ensuremath{|}",
}
# Multi-character sequences (a letter with a combining accent) are matched first.
_LONGEST = sorted((k for k in _MATH if len(k) > 1), key=len, reverse=True)


def prose(text: str) -> str:
    """Plain Unicode prose as LaTeX text; unknown non-ASCII characters raise ValueError."""
    out: list[str] = []
    i = 0
    while i < len(text):
        for seq in _LONGEST:
            if text.startswith(seq, i):
                out.append(rf"\ensuremath{{{_MATH[seq]}}}")
                i += len(seq)
                break
        else:
            char = text[i]
            if char in _TEXT:
                out.append(_TEXT[char])
            elif char in _MATH:
                out.append(rf"\ensuremath{{{_MATH[char]}}}")
            elif ord(char) < 128:
                out.append(char)
            else:
                raise ValueError(f"no LaTeX for character {char!r} (U+{ord(char):04X}) in {text!r}")
            i += 1
    return "".join(out)


_RELATION = {Rel.GE: r"\geq", Rel.LE: r"\leq", Rel.NE: r"\neq"}
_LEAD = {Rel.IFF: r"\iff", Rel.IMPLIES: r"\implies"}


def step_latex(step: Step) -> str:
    """One step as ``lhs = rhs`` (or ``= rhs`` when it continues a chain)."""
    op = _RELATION.get(step.rel, "=")
    rhs = step.rhs
    if step.rel is Rel.IMPLIES and isinstance(rhs, sp.FiniteSet):
        op = r"\in"
    if step.lhs is None:
        return f"{op} {tex(rhs)}"
    return f"{tex(step.lhs)} {op} {tex(rhs)}"


def align_rows(derivation: Derivation) -> list[str]:
    """The ``align*`` rows: each justification as an ``\\intertext``, then the formula."""
    rows = []
    for number, step in enumerate(derivation.steps, 1):
        lead = _LEAD.get(step.rel, "")
        op = _RELATION.get(step.rel, "=")
        if step.rel is Rel.IMPLIES and isinstance(step.rhs, sp.FiniteSet):
            op = r"\in"
        left = "" if step.lhs is None else tex(step.lhs)
        lead_text = f"{lead}\\quad " if lead else ""
        rows.append(
            rf"\intertext{{\small {number}. {prose(step.why)}}}"
            "\n"
            rf"{lead_text}{left} &{op} {tex(step.rhs)}"
        )
    return rows


def result_latex(derivation: Derivation) -> str:
    """All results, ``lhs = rhs``, separated by ``\\qquad``."""
    return r" \qquad ".join(f"{tex(r.lhs)} = {tex(r.rhs)}" for r in derivation.results)


def domain_word(var: Var) -> str:
    """How a symbol's domain reads in a list of symbols: a matrix of one column is a vector.

    >>> domain_word(Var(sp.MatrixSymbol("v", 3, 1), "a vector", Domain.MATRIX))
    'vector'
    """
    shape = getattr(var.symbol, "shape", None)
    if var.domain is Domain.MATRIX and shape is not None and 1 in shape:
        return "vector" if shape[1] == 1 else "row vector"
    return var.domain.value


def mistake_latex(lhs: Any, rhs: Any) -> str:
    """A wrong formula as it is usually written."""
    return f"{tex(lhs)} = {tex(rhs)}"


PREAMBLE = r"""\documentclass[11pt]{article}
\usepackage[margin=2cm]{geometry}
\usepackage{amsmath,amssymb}
\usepackage{adjustbox}
\usepackage{listings}
\lstset{basicstyle=\ttfamily\footnotesize,breaklines=true,columns=fullflexible,
  keepspaces=true,frame=single,framesep=3pt,xleftmargin=3pt,xrightmargin=3pt}
\pdftrailerid{}
\allowdisplaybreaks
\setlength{\parindent}{0pt}
\setlength{\parskip}{0.6em}
"""


def twin_latex(twin: Twin) -> str:
    """A twin's Python function (its real source) beside latexify-py's rendering of it."""
    from derive.render.code import twin_code

    code = twin_code(twin)
    about = (
        rf"\paragraph{{Numeric twin \texttt{{{prose(code.name)}}}}} "
        rf"checked against {prose(twin.reference.name)} ({prose(twin.reference.kind)}); "
        rf"domain: {prose(twin.domain)}. "
        + " ".join(rf"\texttt{{{prose(line)}}}." for line in code.inputs)
        + f" It {prose(code.output)}."
    )
    listing = r"\begin{lstlisting}[language=Python]" + "\n" + code.source + r"\end{lstlisting}"
    if code.latex is None:
        formula = r"\small latexify-py cannot render this function (" + prose(code.problem) + ")."
    else:
        formula = (
            r"\small latexify-py reads the same function:\par\smallskip"
            + "\n"
            + rf"\adjustbox{{max width=\linewidth}}{{$\displaystyle {code.latex}$}}"
        )
    return (
        about
        + "\n\n"
        + r"\noindent\begin{minipage}[t]{0.48\linewidth}\vspace{0pt}"
        + "\n"
        + listing
        + "\n"
        + r"\end{minipage}\hfill\begin{minipage}[t]{0.48\linewidth}\vspace{0pt}"
        + "\n"
        + formula
        + "\n"
        + r"\end{minipage}"
    )


def body(derivation: Derivation, *, extra: str = "") -> str:
    """The document body of one derivation (without preamble), for documents and books."""
    d = derivation
    parts = [
        rf"\section*{{{prose(d.title)}}}",
        rf"\textit{{{prose(d.topic.value)} \textperiodcentered{{}} \texttt{{{d.id}}}}}",
    ]
    if d.symbols:
        items = "\n".join(
            rf"\item ${tex(v.symbol)}$: {prose(v.meaning)} ({prose(domain_word(v))})"
            for v in d.symbols
        )
        parts.append(r"\paragraph{Symbols}" + "\n" + r"\begin{itemize}" + items + r"\end{itemize}")
    if d.assumptions:
        parts.append(r"\paragraph{Assumptions} " + "; ".join(prose(a) for a in d.assumptions))
    rows = (r" \\" + "\n").join(align_rows(d))
    parts.append(
        r"\paragraph{Derivation}" + "\n" + r"\begin{align*}" + "\n" + rows + "\n" + r"\end{align*}"
    )
    # One boxed result per line: several results side by side overflow the page.
    boxed = (r" \\" + "\n").join(rf"\boxed{{{tex(r.lhs)} = {tex(r.rhs)}}}" for r in d.results)
    parts.append(
        r"\paragraph{Result}" + "\n" + r"\begin{gather*}" + "\n" + boxed + "\n" + r"\end{gather*}"
    )
    parts.append(r"\paragraph{Intuition} " + prose(d.intuition))
    parts.append(
        r"\paragraph{Interview question} "
        + prose(d.interview.question)
        + "\n\n"
        + r"\textbf{Answer.} "
        + prose(d.interview.answer)
    )
    mistakes = "\n".join(
        rf"\item ${mistake_latex(m.lhs, m.rhs)}$ \quad is wrong: {prose(m.explanation)}"
        for m in d.mistakes
    )
    parts.append(
        r"\paragraph{Common mistakes}" + "\n" + r"\begin{itemize}" + mistakes + r"\end{itemize}"
    )
    if d.notes:
        parts.append(r"\paragraph{Numerical notes} " + " ".join(prose(n) for n in d.notes))
    parts.append(r"\paragraph{Checked against} " + prose(d.reference))
    parts += [twin_latex(t) for t in d.twins]
    if extra:
        parts.append(extra)
    return "\n\n".join(parts)


def document(derivation: Derivation, *, extra: str = "") -> str:
    """A standalone LaTeX document that compiles with pdflatex."""
    return (
        PREAMBLE
        + r"\begin{document}"
        + "\n"
        + body(derivation, extra=extra)
        + "\n"
        + r"\end{document}"
        + "\n"
    )
