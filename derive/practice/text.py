"""The sheets' LaTeX wording as plain text for a terminal (matrices in the checker's syntax).

>>> plain(r"Invert $A = \\left[\\begin{matrix}4 & 5\\\\4 & 4\\end{matrix}\\right]$: find $A^{-1}$.")
'Invert A = [[4, 5], [4, 4]]: find A^-1.'
>>> plain(r"$\\frac{a \\cdot b}{\\lVert a \\rVert \\, \\lVert b \\rVert}$ and $\\sigma'(z)$")
"(a · b)/(‖ a ‖ ‖ b ‖) and σ'(z)"

Only the subset of LaTeX the exercise wordings use is converted: fractions, roots, matrices,
sub- and superscripts, Greek letters, accents and a few symbols; an unknown command keeps its
name without the backslash, so nothing is silently dropped.
"""

from __future__ import annotations

import re

SYMBOLS = {
    "alpha": "α",
    "beta": "β",
    "gamma": "γ",
    "delta": "δ",
    "epsilon": "ε",
    "eta": "η",
    "theta": "θ",
    "lambda": "λ",
    "mu": "μ",
    "nu": "ν",
    "pi": "π",
    "rho": "ρ",
    "sigma": "σ",
    "tau": "τ",
    "phi": "φ",
    "omega": "ω",
    "ell": "ℓ",
    "Sigma": "Σ",
    "sum": "Σ",
    "prod": "Π",
    "nabla": "∇",
    "partial": "∂",
    "cdot": "·",
    "times": "×",
    "approx": "≈",
    "in": "∈",
    "cup": "∪",
    "cap": "∩",
    "mid": "|",
    "top": "ᵀ",
    "lVert": "‖",
    "rVert": "‖",
    "lvert": "|",
    "rvert": "|",
    "dots": "…",
    "ldots": "…",
    "cdots": "⋯",
    "infty": "∞",
    "le": "≤",
    "leq": "≤",
    "ge": "≥",
    "geq": "≥",
    "neq": "≠",
    "to": "→",
    "{": "{",
    "}": "}",
    ",": " ",
    " ": " ",
    ";": " ",
    "quad": "  ",
    "left": "",
    "right": "",
    "bigl": "",
    "bigr": "",
}
ACCENTS = {"hat": "\u0302", "bar": "\u0304", "tilde": "\u0303"}
WRAPPERS = ("operatorname", "mathrm", "mathbf", "text", "mathbb", "boldsymbol", "textbf")
SUPERSCRIPTS = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
MATRIX_BRACKETS = re.compile(
    r"\\left\s*[\[(]\s*(\\begin\{[pb]?matrix\}.*?\\end\{[pb]?matrix\})\s*\\right\s*[\])]", re.S
)
SIMPLE = re.compile(r"[\w.'α-ωΑ-Ω]+")


def plain(latex: str) -> str:
    """``latex`` (text with ``$…$`` math) as plain Unicode text."""
    source = MATRIX_BRACKETS.sub(r"\1", latex.replace("$", ""))  # [[...]] has its own
    text = " ".join(_Reader(source).text().split())
    return re.sub(r"([(\[]) | ([)\]])", r"\1\2", text)  # "f(x )" -> "f(x)"


class _Reader:
    """A left-to-right reader of the LaTeX subset, with brace groups read recursively."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.at = 0

    def text(self, stop: str = "") -> str:
        out: list[str] = []
        while self.at < len(self.source):
            char = self.source[self.at]
            if stop and char == stop:
                self.at += 1
                break
            self.at += 1
            if char == "\\":
                out.append(self._command())
            elif char == "{":
                out.append(self.text("}"))
            elif char in "^_":
                out.append(self._script(char))
            else:
                out.append(char)
        return "".join(out)

    def _group(self) -> str:
        """The next argument: a brace group, or one character."""
        while self.at < len(self.source) and self.source[self.at] == " ":
            self.at += 1
        if self.at < len(self.source) and self.source[self.at] == "{":
            self.at += 1
            return self.text("}")
        if self.at < len(self.source) and self.source[self.at] == "\\":
            self.at += 1
            return self._command()
        char = self.source[self.at : self.at + 1]
        self.at += 1
        return char

    def _name(self) -> str:
        match = re.compile(r"[A-Za-z]+|.").match(self.source, self.at)
        if match is None:
            return ""
        self.at = match.end()
        return match.group()

    def _command(self) -> str:
        name = self._name()
        if name == "frac" or name in ("dfrac", "tfrac", "cfrac"):
            top, bottom = self._group(), self._group()
            return f"{_wrap(top)}/{_wrap(bottom)}"
        if name == "sqrt":
            return f"√{_wrap(self._group())}"
        if name in ACCENTS:
            body = self._group()
            return body + ACCENTS[name] if len(body) == 1 else f"{name}({body})"
        if name in WRAPPERS:
            return self._group()
        if name == "begin":
            self._group()
            return self._matrix()
        if name == "end":
            self._group()
            return ""
        if name == "\\":
            return "; "
        return SYMBOLS.get(name, name)

    def _matrix(self) -> str:
        end = self.source.find(r"\end{", self.at)
        body, self.at = self.source[self.at : end], end
        rows = [r for r in re.split(r"\\\\", body) if r.strip()]
        cells = [[_Reader(c).text().strip() for c in row.split("&")] for row in rows]
        return "[" + ", ".join("[" + ", ".join(row) + "]" for row in cells) + "]"

    def _script(self, mark: str) -> str:
        body = self._group().strip()
        if mark == "^":
            if body == "ᵀ":
                return "ᵀ"
            if re.fullmatch(r"-?\d+", body):
                return body.translate(SUPERSCRIPTS) if body != "-1" else "^-1"
            return f"^{_wrap(body)}"
        if re.fullmatch(r"\d+", body):
            return body.translate(SUBSCRIPTS)
        return f"_{_wrap(body)}"


def _wrap(text: str) -> str:
    """``text`` in parentheses unless it is one simple token."""
    text = text.strip()
    return text if SIMPLE.fullmatch(text) else f"({text})"
