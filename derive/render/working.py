r"""A learner's checked working typeset: each step as LaTeX, printed from the checker's own
syntax tree (never through SymPy, which would simplify or reorder what was written).

>>> step_latex("diff(x^2*sin(x), x)")
'\\frac{d}{dx}(x^{2} \\sin(x))'
>>> step_latex("<=> x = (1 + sqrt(5))/2 or theta_0 >= 1")
'\\Leftrightarrow\\quad x = \\frac{1 + \\sqrt{5}}{2} \\;\\text{or}\\; \\theta_{0} \\geq 1'
>>> step_latex("= inv(X.T X) X.T y", {"X": "matrix 3 2", "y": "vector 3"})
'= (X^{\\top} X)^{-1} X^{\\top} y'
>>> step_latex("P(not (A and B)) = 1 - P(A | B) P(B)")
'P((A \\cap B)^{c}) = 1 - P(A \\mid B) P(B)'
>>> MARKS["refuted"]
'does not follow'

A step that cannot be read (so the checker refused the request) is typeset as its text in
``\texttt``: the typeset working never hides a line.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping

from derive.checker.errors import InputError
from derive.checker.parser import declaring
from derive.checker.relations import Rel, Statement
from derive.checker.statements import Step, read_step
from derive.checker.tree import Bin, Call, MatrixLit, Name, Neg, Node, Num, Transpose

# What each verdict on a line means, in the words the checker's tools use.
MARKS: Mapping[str, str] = {
    "proven": "proven symbolically",
    "numeric": "agrees at every test point",
    "refuted": "does not follow",
    "unknown": "could not decide",
    "given": "given (a premise)",
    "defined": "defined",
}

RELATIONS = {
    "=": "=",
    "!=": r"\neq",
    "<": "<",
    "<=": r"\leq",
    ">": ">",
    ">=": r"\geq",
    "≈": r"\approx",
}
CONNECTIVES = {"<=>": r"\Leftrightarrow", "=>": r"\Rightarrow"}

_GREEK = {
    "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa",
    "lambda", "mu", "nu", "xi", "pi", "rho", "sigma", "tau", "upsilon", "phi", "chi", "psi",
    "omega", "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Upsilon", "Phi", "Psi",
    "Omega",
}  # fmt: skip
_NAMED = {  # functions LaTeX has a command for
    "sin", "cos", "tan", "cot", "sec", "csc", "sinh", "cosh", "tanh", "exp", "log", "det",
    "max", "min",
}  # fmt: skip
_ARC = {"asin": r"\arcsin", "acos": r"\arccos", "atan": r"\arctan"}
_OPERATOR = {"tr": "tr", "sign": "sgn", "Var": "Var", "Cov": "Cov", "Corr": "Corr"}
_SCRIPTED = {"inv", "transpose", "eye", "ones", "zeros", "diff", "sqrt"}
_SUBSCRIPT = re.compile(r"^([A-Za-z]+)_([A-Za-z0-9]+)$")
_ACCENT = re.compile(r"^([A-Za-z]|[a-z]{2,7})(hat|bar|tilde|dot)$")
_EXPONENT = re.compile(r"^([0-9.]+)[eE]([+-]?[0-9]+)$")
_ADD, _MUL, _NEG, _POW, _ATOM = 1, 2, 3, 4, 5


def step_latex(text: str, given: Mapping[str, str] | None = None) -> str:
    """One step of working (the checker's text or LaTeX syntax, as in a result's ``read``) as
    LaTeX; ``given`` (names to kinds) tells a gradient from a derivative and declares
    functions. Unreadable text comes back as ``\\texttt``."""
    try:
        with declaring(given, [text]):
            step = read_step(text, "step")
    except InputError:
        return r"\texttt{" + escape_text(text) + "}"
    return Printer(given or {}).step(step)


def escape_text(text: str) -> str:
    r"""``text`` safe inside ``\text{}`` / ``\texttt{}`` (LaTeX's special characters escaped).

    >>> escape_text("50% of {x_1} & #2")
    '50\\% of \\{x\\_1\\} \\& \\#2'
    """
    special = {
        "\\": r"\textbackslash{}",
        "{": r"\{",
        "}": r"\}",
        "$": r"\$",
        "&": r"\&",
        "#": r"\#",
        "%": r"\%",
        "_": r"\_",
        "^": r"\^{}",
        "~": r"\~{}",
    }
    return "".join(special.get(char, char) for char in text)


class Printer:
    """The checker's tree as LaTeX; ``given`` are the request's declared kinds."""

    def __init__(self, given: Mapping[str, str]):
        self.kinds = {
            name.strip(): kind.split()[-1] if kind.startswith("independent") else kind.split()[0]
            for names, kind in given.items()
            if kind.split()
            for name in names.split(",")
        }

    # -- steps and statements --------------------------------------------------------------

    def step(self, step: Step) -> str:
        if step.kind == "expression" and step.expression is not None:
            return self.node(step.expression)
        if step.kind == "relation" and step.expression is not None and step.op is not None:
            return f"{RELATIONS.get(step.op, step.op)} {self.node(step.expression)}"
        if step.kind == "definition" and step.expression is not None:
            return rf"\text{{let }}{self.name(step.name or '')} = {self.node(step.expression)}"
        assert step.statement is not None
        body = self.statement(step.statement)
        if step.connective:
            return rf"{CONNECTIVES.get(step.connective, step.connective)}\quad {body}"
        return body

    def statement(self, statement: Statement, inside: str | None = None) -> str:
        if isinstance(statement, Rel):
            op = RELATIONS.get(statement.op, statement.op)
            return f"{self.node(statement.left)} {op} {self.node(statement.right)}"
        parts = statement.parts
        chain = statement.op == "and" and len(parts) > 1
        chain = chain and all(isinstance(p, Rel) for p in parts)
        if chain and all(
            isinstance(a, Rel) and isinstance(b, Rel) and a.right == b.left
            for a, b in itertools.pairwise(parts)
        ):
            first = parts[0]
            assert isinstance(first, Rel)
            links = [
                f"{RELATIONS.get(p.op, p.op)} {self.node(p.right)}"
                for p in parts
                if isinstance(p, Rel)
            ]
            return " ".join([self.node(first.left), *links])
        joined = rf" \;\text{{{statement.op}}}\; ".join(
            self.statement(p, statement.op) for p in parts
        )
        needs_brackets = inside == "and" and statement.op == "or"
        return paren(joined) if needs_brackets else joined

    # -- expressions -----------------------------------------------------------------------

    def node(self, node: Node) -> str:
        if isinstance(node, Num):
            return number(node.text)
        if isinstance(node, Name):
            return self.name(node.name)
        if isinstance(node, Neg):
            return "{-" + self.wrap(node.operand, _NEG) + "}"  # braced: a unary minus
        if isinstance(node, Transpose):
            return self.wrap(node.operand, _ATOM, base=True) + r"^{\top}"
        if isinstance(node, MatrixLit):
            rows = [" & ".join(self.node(e) for e in row) for row in node.rows]
            return r"\begin{bmatrix}" + r" \\ ".join(rows) + r"\end{bmatrix}"
        if isinstance(node, Call):
            return self.call(node)
        return self.binary(node)

    def binary(self, node: Bin) -> str:
        if node.op == "/":
            return rf"\frac{{{self.node(node.left)}}}{{{self.node(node.right)}}}"
        if node.op == "^":
            exponent = node.right
            if isinstance(exponent, Name) and exponent.name == "T" and "T" not in self.kinds:
                return self.wrap(node.left, _ATOM, base=True) + r"^{\top}"
            return f"{self.wrap(node.left, _ATOM, base=True)}^{{{self.node(exponent)}}}"
        if node.op in "+-":
            right = self.node(node.right)
            if level(node.right) <= _ADD or isinstance(node.right, Neg):
                right = paren(right)
            return f"{self.wrap(node.left, _ADD)} {node.op} {right}"
        left = self.wrap(node.left, _MUL)
        right_node = node.right
        right = self.wrap(right_node, _MUL)
        if isinstance(right_node, Neg):
            right = paren(right)
        digit_after = right[:1].isdigit() or (right.startswith(r"\frac") and left[-1:].isdigit())
        return f"{left} \\cdot {right}" if digit_after else f"{left} {right}"

    def wrap(self, node: Node, above: int, *, base: bool = False) -> str:
        """``node``, in brackets when it binds more loosely than ``above`` (a power's base is
        bracketed unless it is a name, a number or already bracketed)."""
        text = self.node(node)
        bare = isinstance(node, (Name, MatrixLit)) or (
            isinstance(node, Num) and not text.startswith("-") and "cdot" not in text
        )
        if isinstance(node, Call):  # f(x)^2, |x|^2, ||x||^2 -- but not A^{-1}^{2}
            scripted = node.func in _SCRIPTED or (node.func == "log" and len(node.args) == 2)
            bare = not scripted and (node.func in ("abs", "norm") or not text.endswith("}"))
        if base and not bare:
            return paren(text)
        return paren(text) if level(node) < above else text

    def name(self, name: str) -> str:
        match = _SUBSCRIPT.match(name)
        if match:
            return f"{self.name(match.group(1))}_{{{match.group(2)}}}"
        match = _ACCENT.match(name)
        if match and name not in _GREEK:
            return rf"\{match.group(2)}{{{self.name(match.group(1))}}}"
        if name in _GREEK:
            return "\\" + name
        if len(name) == 1 or name.endswith("'"):
            return name
        return r"\mathit{" + name + "}"

    def call(self, node: Call) -> str:
        func, args = node.func, node.args
        inner = ", ".join(self.node(a) for a in args)
        brackets = paren(inner)
        if func == "diff":
            return self.derivative(args)
        if func in ("P", "and", "or", "not"):
            return self.event(node, 0)
        if func == "E":
            return r"\mathbb{E}" + paren(inner, "[", "]")
        if func == "sqrt":
            return rf"\sqrt{{{inner}}}"
        if func == "abs":
            return paren(inner, r"\mathopen{|}", r"\mathclose{|}")
        if func == "norm":
            value = paren(self.node(args[0]), r"\mathopen{\lVert}", r"\mathclose{\rVert}")
            return value + (f"_{{{self.node(args[1])}}}" if len(args) > 1 else "")
        if func == "inv":
            return self.wrap(args[0], _ATOM, base=True) + "^{-1}"
        if func == "transpose":
            return self.wrap(args[0], _ATOM, base=True) + r"^{\top}"
        if func == "eye":
            return f"I_{{{inner}}}"
        if func in ("ones", "zeros"):
            return rf"\mathbf{{{'1' if func == 'ones' else '0'}}}_{{{inner}}}"
        if func == "log" and len(args) == 2:
            return rf"\log_{{{self.node(args[1])}}}" + paren(self.node(args[0]))
        if func == "sigmoid":
            return r"\sigma" + brackets
        if func in _NAMED:
            return "\\" + func + brackets
        if func in _ARC:
            return _ARC[func] + brackets
        if func in _OPERATOR:
            return rf"\operatorname{{{_OPERATOR[func]}}}" + brackets
        if len(func.rstrip("'")) == 1 or self.kinds.get(func.rstrip("'")) == "function":
            return self.name(func) + brackets
        return rf"\operatorname{{{func}}}" + brackets

    def derivative(self, args: tuple[Node, ...]) -> str:
        body, variables = args[0], args[1:]
        wrapped = paren(self.node(body))
        if len(variables) == 1 and isinstance(variables[0], Name):
            variable = variables[0].name
            if self.kinds.get(variable) in ("vector", "matrix", "symmetric", "spd", "fullrank"):
                return rf"\nabla_{{{self.name(variable)}}} {wrapped}"
            return rf"\frac{{d}}{{d{self.name(variable)}}}{wrapped}"
        over = r"\,".join(rf"\partial {self.node(v)}" for v in variables)
        order = f"^{{{len(variables)}}}" if len(variables) > 1 else ""
        return rf"\frac{{\partial{order}}}{{{over}}}{wrapped}"

    def event(self, node: Node, above: int) -> str:
        """``P(A | B)``, ``A ∩ B``, ``A ∪ B``, ``A^c`` — events inside a probability."""
        if not isinstance(node, Call) or node.func not in ("P", "and", "or", "not"):
            return self.node(node)
        if node.func == "P":
            inner = r" \mid ".join(self.event(a, 0) for a in node.args)
            return "P" + paren(inner)
        if node.func == "not":
            return self.event(node.args[0], 3) + "^{c}"  # (A \cap B)^{c}: bracketed inside
        rank = 1 if node.func == "or" else 2
        symbol = r"\cup" if node.func == "or" else r"\cap"
        text = f" {symbol} ".join(self.event(a, rank) for a in node.args)
        return paren(text) if rank < above else text


_TALL = ("\\frac", "\\begin", "\\sqrt", "\\left", "\\sum", "\\nabla", "\\boxed")


def paren(inner: str, left: str = "(", right: str = ")") -> str:
    r"""``inner`` in brackets that grow (``\left( \right)``) only around something tall.

    >>> paren("x + 1"), paren(r"\frac{1}{x}", "[", "]")
    ('(x + 1)', '\\left[ \\frac{1}{x} \\right]')
    """
    if any(mark in inner for mark in _TALL):
        left, right = (re.sub(r"\\math(?:open|close)\{(.*)\}", r"\1", b) for b in (left, right))
        return rf"\left{left} {inner} \right{right}"
    return f"{left}{inner}{right}"


def level(node: Node) -> int:
    """How tightly ``node`` binds, as its printed form reads (a fraction is an atom)."""
    if isinstance(node, Bin):
        return {"+": _ADD, "-": _ADD, "*": _MUL, "/": _ATOM, "^": _POW}[node.op]
    if isinstance(node, Neg):
        return _NEG
    return _ATOM


def number(text: str) -> str:
    """A number as written, with ``2.5e-3`` as ``2.5 \\cdot 10^{-3}``.

    >>> number("2.5e-3"), number("7425000")
    ('2.5 \\\\cdot 10^{-3}', '7425000')
    """
    match = _EXPONENT.match(text)
    if match:
        return rf"{match.group(1)} \cdot 10^{{{int(match.group(2))}}}"
    return text
