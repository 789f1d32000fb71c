r"""Parse LaTeX input into the same syntax tree as the text syntax (a whitelist; no TeX runs).

>>> from derive.checker.tree import unparse
>>> [unparse(e) for e in parse_latex_chain(r"\frac{d}{dx} x^{2} \sin x = 2x\sin x + x^2\cos x")]
['diff(x^2*sin(x), x)', '2*x*sin(x) + x^2*cos(x)']
>>> unparse(parse_latex_chain(r"\nabla_{\mathbf{w}} \|X\mathbf{w} - y\|^2")[0])
'diff(norm(X*w - y)^2, w)'
>>> unparse(parse_latex_chain(r"\left(A^\top A\right)^{-1} A^{T} b")[0])
'(A.T*A)^(-1)*A^T*b'

As in LaTeX, letters are single-letter names (``xy`` is ``x·y``; ``x_{12}``, ``\theta_0``,
``\hat{y}`` (``yhat``), ``\bar{x}`` (``xbar``) and ``\mathrm{name}`` are longer names), and
a one-token argument is one character (``\frac12`` is 1/2, ``x^23`` is x²·3). A function
without parentheses takes the product that follows it (``\sin 2x`` is sin(2x)); a derivative
operator (``\frac{d}{dx}``, ``\frac{\partial}{\partial x}``, ``\nabla_w``) takes the whole
term after it. Unknown commands (``\input``, ``\def``, ...) are input errors.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from derive.checker.errors import InputError
from derive.checker.lexer import RELATIONS, Token, check_number, unexpected
from derive.checker.limits import LIMITS, Limits
from derive.checker.names import checker_name
from derive.checker.parser import Grammar, function_like, unknown_function
from derive.checker.tree import Bin, Call, MatrixLit, Name, Neg, Node, Num, Transpose
from derive.checker.vocabulary import (
    FUNCTIONS,
    GREEK,
    LOOKALIKES,
    OPERATOR_CHARACTERS,
    READ_FUNCTIONS,
    SUPERSCRIPTS,
    canonical,
    describe_character,
    is_function,
    known_function,
)

GREEK_COMMANDS = frozenset(GREEK.values()) | {"varepsilon", "vartheta", "varphi"}
FUNCTION_COMMANDS = frozenset(
    [
        "sin",
        "cos",
        "tan",
        "cot",
        "sec",
        "csc",
        "sinh",
        "cosh",
        "tanh",
        "arcsin",
        "arccos",
        "arctan",
        "exp",
        "log",
        "ln",
        "det",
        "tr",
        "Tr",
        "trace",
        "max",
        "min",
    ]
)
TIMES = frozenset({"cdot", "times", "ast"})
IGNORED = frozenset(
    {",", ";", ":", "!", " ", "quad", "qquad", "displaystyle", "textstyle", "limits", "nolimits"}
    | {"$"}  # \$4: a dollar sign before an amount
)
SIZES = frozenset(
    [
        "left",
        "right",
        "big",
        "Big",
        "bigg",
        "Bigg",
        "bigl",
        "bigr",
        "Bigl",
        "Bigr",
        "biggl",
        "biggr",
        "Biggl",
        "Biggr",
        "middle",
    ]
)
FONTS = frozenset(
    [
        "mathbf",
        "boldsymbol",
        "bm",
        "vec",
        "mathit",
        "mathsf",
        "mathrm",
        "operatorname",
        "text",
        "mathnormal",
    ]
)
ACCENTS = {
    "hat": "hat",
    "widehat": "hat",
    "bar": "bar",
    "overline": "bar",
    "tilde": "tilde",
    "widetilde": "tilde",
}
KNOWN = (
    GREEK_COMMANDS
    | FUNCTION_COMMANDS
    | TIMES
    | IGNORED
    | FONTS
    | frozenset(ACCENTS)
    | frozenset(
        [
            "frac",
            "cfrac",
            "dfrac",
            "tfrac",
            "sqrt",
            "div",
            "top",
            "intercal",
            "prime",
            "nabla",
            "partial",
            "pi",
            "lVert",
            "rVert",
            "lvert",
            "rvert",
            "|",
            "operatorname",
            "mathbb",
            "boxed",
            "Pr",
            "mid",
            "%",
        ]
    )
    | {"\\"}  # \\ : a new row
)
UNSUPPORTED = {
    "sum": "sums",
    "prod": "products",
    "int": "integrals",
    "lim": "limits",
    "infty": "infinity",
    "cdots": "ellipses",
    "ldots": "ellipses",
    "dots": "ellipses",
    "sup": "sup",
    "inf": "inf",
    "le": "inequalities",
    "leq": "inequalities",
    "ge": "inequalities",
    "geq": "inequalities",
    "approx": "approximations",
    "neq": "inequalities",
}
ENVIRONMENTS = {"matrix", "bmatrix", "pmatrix", "Bmatrix", "vmatrix", "array"}
DELIMITERS = (("$$", "$$"), ("$", "$"), ("\\(", "\\)"), ("\\[", "\\]"))
_COMMAND = re.compile(r"[A-Za-z]+")
_NUMBER = re.compile(r"(?:\d+\.\d+[eE][+-]?\d+(?![A-Za-z])|\d+(?:\.\d+)?|\.\d+)")
# Digits grouped by thousands: 14{,}916 and 1\,000 anywhere; 7,425,000 and 1 000 outside
# brackets (inside them a comma separates arguments).
_GROUPED = re.compile(r"\d{1,3}(?:(?:\{,\}|\\,|,\\!)\d{3})+(?!\d)(?:\.\d+)?")
_GROUPED_PLAIN = re.compile(r"\d{1,3}(?:(,| )\d{3})(?:\1\d{3})*(?!\d|,\d| \d)(?:\.\d+)?")
_COLUMNS = re.compile(r"\s*\{[lcr|\s]*\}")
EVENT_COMMANDS = {"cap": "and", "cup": "or", "neg": "not", "lnot": "not"}
_ENVIRONMENT = re.compile(r"\s*\{([A-Za-z]+\*?)\}")


LATEX_RELATIONS = {
    "neq": ("rel", "!="),
    "ne": ("rel", "!="),
    "lt": ("rel", "<"),
    "le": ("rel", "<="),
    "leq": ("rel", "<="),
    "leqslant": ("rel", "<="),
    "gt": ("rel", ">"),
    "ge": ("rel", ">="),
    "geq": ("rel", ">="),
    "geqslant": ("rel", ">="),
    "approx": ("rel", "≈"),
    "iff": ("conn", "<=>"),
    "Leftrightarrow": ("conn", "<=>"),
    "Longleftrightarrow": ("conn", "<=>"),
    "implies": ("conn", "=>"),
    "Rightarrow": ("conn", "=>"),
    "Longrightarrow": ("conn", "=>"),
    "pm": ("op", "±"),
    "land": ("name", "and"),
    "wedge": ("name", "and"),
    "lor": ("name", "or"),
    "vee": ("name", "or"),
}


def strip_delimiters(source: str) -> tuple[str, int]:
    """Drop surrounding ``$...$``, ``\\(...\\)``, ``\\[...\\]``; also return the offset."""
    stripped = source.strip()
    offset = len(source) - len(source.lstrip())
    for opening, closing in DELIMITERS:
        if (
            stripped.startswith(opening)
            and stripped.endswith(closing)
            and len(stripped) >= 2 * len(opening)
        ):
            return stripped[len(opening) : -len(closing)], offset + len(opening)
    return stripped, offset


def tokenize_latex(source: str, limits: Limits = LIMITS, offset: int = 0) -> list[Token]:
    """Tokens: ``num``, ``name`` (a letter), ``cmd`` (a command, no backslash), ``op``,
    ``sup``, ``begin``/``finish`` (an environment), ``end``."""
    tokens: list[Token] = []
    i = 0
    depth = 0
    while i < len(source):
        char, column = source[i], i + 1 + offset
        if char in " \t\r\n~\u00a0":
            i += 1
            continue
        if char == "\\":
            word_match = _COMMAND.match(source, i + 1)
            word = word_match.group() if word_match else source[i + 1 : i + 2]
            if not word:
                raise InputError("a lone backslash", column=column)
            i += 1 + len(word)
            if word in SIZES:
                rest = source[i:].lstrip()
                if rest.startswith("."):  # \left. and \right. are invisible
                    i = len(source) - len(rest) + 1
                continue
            if word in IGNORED:
                continue
            if word in ("begin", "end"):
                environment = _ENVIRONMENT.match(source, i)
                if not environment or environment.group(1) not in ENVIRONMENTS:
                    shown = environment.group(1) if environment else "?"
                    raise InputError(f"unsupported environment {shown!r}", column=column)
                tokens.append(
                    Token("begin" if word == "begin" else "finish", environment.group(1), column)
                )
                i = environment.end()
                columns = _COLUMNS.match(source, i)  # \begin{array}{cc}: the column spec
                if word == "begin" and environment.group(1) == "array" and columns:
                    i = columns.end()
                continue
            if word in EVENT_COMMANDS:
                tokens.append(Token("name", EVENT_COMMANDS[word], column))
                continue
            if word in LATEX_RELATIONS:  # relations and connectives, for statements
                tokens.append(Token(*LATEX_RELATIONS[word], column))
                continue
            if word in UNSUPPORTED:
                raise InputError(f"\\{word}: {UNSUPPORTED[word]} are not supported", column=column)
            if word not in KNOWN:
                raise InputError(f"unknown LaTeX command \\{word}", column=column)
            tokens.append(Token("cmd", word, column))
            continue
        if (char.isascii() and char.isdigit()) or (char == "." and source[i + 1 : i + 2].isdigit()):
            text, i = _latex_number(source, i, depth)
            check_number(text, column, limits)
            if source.startswith("\\%", i):  # 25\% is 25/100
                text, i = text + "%", i + 2
            tokens.append(Token("num", text, column))
            continue
        if char in LOOKALIKES:
            raise InputError(
                f"{describe_character(char)} looks like a Latin letter; type the Latin one",
                column=column,
            )
        if (char.isascii() and char.isalpha()) or char in GREEK:
            tokens.append(Token("name", GREEK.get(char, char), column))
            i += 1
            continue
        if source.startswith("⁻¹", i):
            tokens.append(Token("sup", "-1", column))
            i += 2
            continue
        if char in SUPERSCRIPTS:
            tokens.append(Token("sup", SUPERSCRIPTS[char], column))
            i += 1
            continue
        relation = next((r for r in RELATIONS if source.startswith(r[0], i)), None)
        if relation is not None:
            tokens.append(Token(relation[1], relation[2], column))
            i += len(relation[0])
            continue
        if char in "+-*/^_()[]{},='|&":
            depth += (char in "([") - (char in ")]")
            tokens.append(Token("op", char, column))
            i += 1
            continue
        if char in OPERATOR_CHARACTERS:
            tokens.append(Token("op", OPERATOR_CHARACTERS[char], column))
            i += 1
            continue
        raise unexpected(char, column)
    tokens.append(Token("end", "", len(source) + 1 + offset))
    return tokens


def _latex_number(source: str, i: int, depth: int) -> tuple[str, int]:
    """A number's text without thousands separators, and the index after it.

    >>> _latex_number("14{,}916", 0, 0), _latex_number(r"1\\,000", 0, 1)
    (('14916', 8), ('1000', 6))
    >>> _latex_number("7,425,000", 0, 0), _latex_number("1,000", 0, 1)
    (('7425000', 9), ('1', 1))
    """
    grouped = _GROUPED.match(source, i)
    if grouped is not None:
        return re.sub(r"\{,\}|\\,|,\\!", "", grouped.group()), grouped.end()
    plain = _GROUPED_PLAIN.match(source, i)
    if plain is not None and not (depth and plain.group(1) == ","):
        return re.sub(r"[, ]", "", plain.group()), plain.end()
    match = _NUMBER.match(source, i)
    assert match is not None
    return match.group(), match.end()


def _is(token: Token, kind: str, *texts: str) -> bool:
    return token.kind == kind and (not texts or token.text in texts)


class LatexParser(Grammar):
    """The LaTeX grammar (see the module docstring)."""

    def __init__(
        self,
        tokens: list[Token],
        limits: Limits,
        closers: tuple[str, ...] = (),
        declared: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(tokens, limits, declared)
        self.closers: list[str] = list(closers)

    # -- structure ---------------------------------------------------------------------

    def chain(self) -> list[Node]:
        self._skip_separators()
        self.accept("op", "=")
        parts = [self.expression()]
        while True:
            self._skip_separators()
            if not self.accept("op", "="):
                break
            self._skip_separators()
            parts.append(self.expression())
        if not self.at("end"):
            raise self.unexpected()
        return parts

    def _skip_separators(self) -> None:
        while self.at("op", "&") or self.at("cmd", "\\"):
            self.advance()

    def sub(self, tokens: list[Token]) -> Node:
        """Parse a brace group's tokens as one expression."""
        end = self.current.column if tokens == [] else tokens[-1].column
        child = LatexParser([*tokens, Token("end", "", end)], self.limits, (), self.given)
        child.depth, child.nodes, child.events = self.depth + 1, self.nodes, self.events
        if child.depth > self.limits.max_depth:
            raise InputError(f"nested more than {self.limits.max_depth} levels deep", column=end)
        if not tokens:
            raise InputError("empty group {}", column=end)
        node = child.expression()
        if not child.at("end"):
            raise child.unexpected()
        self.nodes = child.nodes
        return node

    def argument(self) -> list[Token]:
        """The tokens of one argument: a brace group, or one character (``\\frac12``)."""
        token = self.current
        if _is(token, "op", "{"):
            return self.group()
        if token.kind == "end" or _is(token, "op", "}"):
            raise self.unexpected("an argument is missing")
        self.advance()
        if token.kind == "num" and len(token.text) > 1:
            rest = Token("num", token.text[1:], token.column + 1)
            self.index -= 1
            self.tokens[self.index] = rest
            return [Token("num", token.text[0], token.column)]
        if token.kind == "cmd" and token.text in FONTS | frozenset(ACCENTS):
            return [token, *self.group()]
        return [token]

    def group(self) -> list[Token]:
        opening = self.expect("op", "{", "'{'")
        depth, start = 1, self.index
        while depth:
            token = self.advance()
            if token.kind == "end":
                raise InputError("unclosed '{'", column=opening.column)
            if _is(token, "op", "{"):
                depth += 1
                if depth > self.limits.max_depth:
                    raise InputError(
                        f"nested more than {self.limits.max_depth} levels deep", column=token.column
                    )
            elif _is(token, "op", "}"):
                depth -= 1
        return self.tokens[start : self.index - 1]

    # -- expressions -------------------------------------------------------------------

    def expression(self) -> Node:
        self.enter(self.current.column)
        node = self.term()
        while self.at("op", "+") or self.at("op", "-"):
            op = self.advance()
            node = self.made(Bin(op.text, node, self.term(), op.column))
        self.leave()
        return node

    def _closing(self) -> bool:
        token = self.current
        if not self.closers:
            return False
        closer = self.closers[-1]
        return (
            (closer == "|" and _is(token, "op", "|"))
            or (closer == "||" and (_is(token, "cmd", "|", "rVert")))
            or (closer == "rvert" and _is(token, "cmd", "rvert"))
        )

    def starts_factor(self) -> bool:
        token = self.current
        if self._closing():
            return False
        if token.kind == "name":
            return token.text not in ("and", "or", "not")
        if token.kind in ("num", "begin"):
            return True
        if token.kind == "op":
            return token.text in "([{" or (token.text == "|" and not self.events)
        if token.kind == "cmd":
            return token.text not in TIMES | {"div", "\\", "mid"}
        return False

    def term(self) -> Node:
        node = self.unary()
        while True:
            token = self.current
            if (token.kind == "op" and token.text in "*/") or _is(token, "cmd", *TIMES, "div"):
                self.advance()
                op = "/" if token.text in ("/", "div") else "*"
                node = self.made(Bin(op, node, self.unary(), token.column))
            elif self.starts_factor():
                node = self.made(Bin("*", node, self.power(), token.column))
            else:
                return node

    def power(self) -> Node:
        node = self.postfix(self.primary())
        while self.at("op", "^"):
            caret = self.advance()
            node = self.postfix(self.made(self.superscript(node, caret)))
            if self.at("op", "^"):
                raise self.unexpected("double superscript; use braces")
        return node

    def superscript(self, base: Node, caret: Token) -> Node:
        if self.at("op", "-") and self.peek().kind == "num":  # lenient x^-1
            minus = self.advance()
            digits = self.argument()
            return Bin("^", base, Neg(self.sub(digits), minus.column), caret.column)
        tokens = self.argument()
        texts = [t.text for t in tokens if t.text not in "{}"]
        if texts in (["top"], ["intercal"], ["prime"], ["'"], ["mathsf", "T"], ["mathrm", "T"]):
            return Transpose(base, caret.column)
        if texts == ["T"]:
            return Bin("^", base, Name("T", tokens[0].column), caret.column)
        exponent = self.sub(tokens)
        complement = self.complement(base, exponent, caret.column)
        if complement is not None:
            return complement
        return Bin("^", base, exponent, caret.column)

    def postfix(self, node: Node) -> Node:
        while True:
            token = self.current
            if _is(token, "op", "'"):
                self.advance()
                node = self.made(Transpose(node, token.column))
            elif _is(token, "cmd", "%"):  # \frac{3}{4}\%: a hundredth of it
                self.advance()
                node = self.made(Bin("/", node, Num("100", token.column), token.column))
            elif token.kind == "sup":
                self.advance()
                if token.text == "T":
                    node = self.made(Transpose(node, token.column))
                elif token.text.startswith("-"):
                    one = Num(token.text[1:], token.column)
                    node = self.made(Bin("^", node, Neg(one, token.column), token.column))
                else:
                    node = self.made(Bin("^", node, Num(token.text, token.column), token.column))
            else:
                return node

    # -- primaries ---------------------------------------------------------------------

    def primary(self) -> Node:
        token = self.current
        if token.kind == "num":
            self.advance()
            if token.text.endswith("%"):
                digits = Num(token.text[:-1], token.column)
                return self.made(Bin("/", digits, Num("100", token.column), token.column))
            return self.made(Num(token.text, token.column))
        if token.kind == "name":
            if token.text in ("and", "or", "not"):
                raise self.misplaced_event_word()
            return self.letter(self.advance().text, token.column)
        if token.kind == "begin":
            return self.environment()
        if token.kind == "op":
            if token.text in "([":
                return self.parenthesised(")" if token.text == "(" else "]")
            if token.text == "{":
                return self.sub(self.group())
            if token.text == "|":
                return self.bars("|", "abs")
        if token.kind == "cmd":
            return self.command(token)
        if token.kind == "end":
            raise self.unexpected("an expression is missing")
        raise self.unexpected()

    def parenthesised(self, closer: str) -> Node:
        opening = self.advance()
        self.enter(opening.column)
        saved, self.closers = self.closers, []
        inner = self.expression()
        self.closers = saved
        self.leave()
        self.expect("op", closer, repr(closer))
        return inner

    def bars(self, closer: str, func: str) -> Node:
        opening = self.advance()
        self.enter(opening.column)
        self.closers.append(closer)
        inner = self.expression()
        self.closers.pop()
        self.leave()
        if not self._closing_token(closer):
            raise self.unexpected(f"expected the closing {'|' if closer == '|' else '‖'}")
        self.advance()
        args: tuple[Node, ...] = (inner,)
        if func == "norm" and self.at("op", "_"):
            self.advance()
            order = self.argument()
            args = (inner, self.sub(order))
        return self.made(Call(func, args, opening.column))

    def _closing_token(self, closer: str) -> bool:
        token = self.current
        if closer == "|":
            return _is(token, "op", "|")
        if closer == "||":
            return _is(token, "cmd", "|", "rVert")
        return _is(token, "cmd", "rvert")

    def letter(self, name: str, column: int) -> Node:
        """A letter, or the call it starts: ``E[X]``, ``P(A \\mid B)``, a declared function
        ``f(x)`` / ``f'(x)``."""
        if self.probability_letter(name):
            return self.probability(name, column)
        if self.is_declared_function(name) and not self.at("op", "_"):
            primes = 0
            while self.at("op", "'") and primes < 3:
                self.advance()
                primes += 1
            if self.at("op", "("):
                self.advance()
                return self.called(name + "'" * primes, self.arguments(")"), column)
            if primes:
                raise InputError(f"write {name}{chr(39) * primes}(x)", column=column)
        return self.named(name, column)

    def named(self, name: str, column: int) -> Node:
        """A name, with a subscript if one follows (``x_1``, ``\\theta_{0}``)."""
        if self.at("op", "_"):
            self.advance()
            parts = [t.text for t in self.argument() if t.text not in "{}"]
            if not parts or not all(
                re.fullmatch(r"[A-Za-z0-9]+", p) or p in GREEK_COMMANDS for p in parts
            ):
                raise InputError("a subscript must be letters and digits", column=column)
            name = f"{name}_{''.join(parts)}"
        return self.made(Name(name, column))

    def command(self, token: Token) -> Node:
        word = token.text
        self.advance()
        if word in GREEK_COMMANDS:
            if self.sigmoid_letter(word):  # \sigma(x): the logistic sigmoid
                self.advance()
                return self.called("sigmoid", self.arguments(")"), token.column)
            return self.named(checker_name("\\" + word) or word, token.column)
        if word == "mathbb":
            return self.blackboard(token)
        if word == "Pr":
            if not self.at("op", "(") and not self.at("op", "["):
                raise InputError("\\Pr needs its event in brackets: \\Pr(A)", column=token.column)
            return self.probability("P", token.column)
        if word == "pi":
            return self.named("pi", token.column)
        if word in ("frac", "dfrac", "tfrac", "cfrac"):
            return self.fraction(token)
        if word == "sqrt":
            return self.root(token)
        if word in ("|", "lVert"):
            self.index -= 1
            return self.bars("||", "norm")
        if word == "lvert":
            self.index -= 1
            return self.bars("rvert", "abs")
        if word in FONTS:
            return self.font(word, token)
        if word == "boxed":  # \boxed{answer}: the answer
            if not self.at("op", "{"):
                raise InputError("\\boxed needs its braces: \\boxed{...}", column=token.column)
            return self.sub(self.group())
        if word in ACCENTS:
            inner = [t.text for t in self.group() if t.kind in ("name", "cmd")]
            base = "".join(checker_name("\\" + w) or w if len(w) > 1 else w for w in inner)
            return self.named(base + ACCENTS[word], token.column)
        if word in FUNCTION_COMMANDS:
            return self.function(canonical(word), token)
        if word == "nabla":
            return self.nabla(token)
        if word == "partial":
            return self.partial(token)
        raise InputError(f"\\{word} cannot start an expression", column=token.column)

    def blackboard(self, token: Token) -> Node:
        """``\\mathbb{E}[X]``: the expectation (other blackboard letters name sets)."""
        inner = [t.text for t in (self.group() if self.at("op", "{") else [self.advance()])]
        if inner != ["E"]:
            raise InputError(
                f"\\mathbb{{{''.join(inner)}}} is not supported (only \\mathbb{{E}}[X])",
                column=token.column,
            )
        if not (self.at("op", "[") or self.at("op", "(")):
            raise InputError("\\mathbb{E} needs its argument: \\mathbb{E}[X]", column=token.column)
        return self.probability("E", token.column)

    def font(self, word: str, token: Token) -> Node:
        inner = self.group() if self.at("op", "{") else [self.advance()]
        texts = [t.text for t in inner]
        text = "".join(
            checker_name("\\" + w) or w if t.kind == "cmd" else w
            for t, w in zip(inner, texts, strict=True)
        )
        if not text:
            raise InputError(f"\\{word}{{}} is empty", column=token.column)
        if known_function(text) and (is_function(text) or text not in self.kinds):
            return self.function(canonical(text), token)
        if (
            text in ("E", "P")
            and word in ("operatorname", "mathrm")
            and self.probability_letter(text)
        ):
            return self.probability(text, token.column)
        calls = self.at("op", "(")
        if calls and self.is_declared_function(text):
            self.advance()
            return self.called(text, self.arguments(")"), token.column)
        if (word == "operatorname" and (calls or len(text) > 1)) or (
            calls and function_like(text) and text not in self.kinds
        ):
            raise unknown_function(text, token.column)
        if text.isdigit():
            return self.made(Num(text, token.column))
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", text):
            raise InputError(f"\\{word}{{{''.join(texts)}}} is not a name", column=token.column)
        return self.named(text, token.column)

    def fraction(self, token: Token) -> Node:
        numerator, denominator = self.argument(), self.argument()
        derivative = _derivative_variables(denominator)
        if derivative is not None:
            variables, order = derivative
            body = _derivative_body(numerator, order)
            if body is not None:
                function = self.sub(body) if body else self.operand(token)
                return self.made(Call("diff", (function, *variables), token.column))
        return self.made(Bin("/", self.sub(numerator), self.sub(denominator), token.column))

    def operand(self, token: Token) -> Node:
        """What a derivative operator applies to: the term after it."""
        if self.at("end") or not self.starts_factor():
            raise InputError("a derivative needs something to differentiate", column=token.column)
        self.enter(token.column)
        node = self.term()
        self.leave()
        return node

    def root(self, token: Token) -> Node:
        index = None
        if self.at("op", "["):
            self.advance()
            start = self.index
            while not self.at("op", "]"):
                if self.at("end"):
                    raise InputError("unclosed '[' in \\sqrt[n]", column=token.column)
                self.advance()
            index = self.sub(self.tokens[start : self.index])
            self.advance()
        radicand = self.sub(self.argument())
        if index is None:
            return self.made(Call("sqrt", (radicand,), token.column))
        exponent = Bin("/", Num("1", token.column), index, token.column)
        return self.made(Bin("^", radicand, exponent, token.column))

    def function(self, name: str, token: Token) -> Node:
        power: Node | None = None
        base: Node | None = None
        if self.at("op", "_") and name == "log":
            self.advance()
            base = self.sub(self.argument())
        if self.at("op", "^"):
            self.advance()
            exponent = self.sub(self.argument())
            if exponent == Neg(Num("1")) and name in ("sin", "cos", "tan"):
                name = "a" + name
            else:
                power = exponent
        spec = FUNCTIONS.get(name) or READ_FUNCTIONS.get(name)
        several = spec is not None and spec.max_args != 1 and name != "log"
        if several and (self.at("op", "(") or self.at("op", "[")):
            opening = self.advance()
            self.enter(opening.column)
            saved, self.closers = self.closers, []
            arguments = self.arguments(")" if opening.text == "(" else "]")
            self.closers = saved
            self.leave()
            node = self.called(name, arguments, token.column)
            return self.made(Bin("^", node, power, token.column)) if power is not None else node
        if self.at("op", "(") or self.at("op", "["):
            argument = self.parenthesised(")" if self.current.text == "(" else "]")
        elif self.at("op", "{"):
            argument = self.sub(self.group())
        else:
            argument = self.tight(token)
        args = (argument,) if base is None else (argument, base)
        node = self.called(name, args, token.column)
        return self.made(Bin("^", node, power, token.column)) if power is not None else node

    def tight(self, token: Token) -> Node:
        """A function's argument without parentheses: juxtaposed factors, up to an operator
        or the next function (``\\sin 2x \\cos x`` is sin(2x)·cos(x))."""
        if not self.starts_factor():
            raise InputError(f"\\{token.text} needs an argument", column=token.column)
        node = self.power()
        while self.starts_factor() and not (
            _is(self.current, "cmd", *FUNCTION_COMMANDS, "nabla", "partial")
            or (self.current.kind == "cmd" and self.current.text in ("operatorname", "mathrm"))
        ):
            node = self.made(Bin("*", node, self.power(), self.current.column))
        return node

    def nabla(self, token: Token) -> Node:
        if not self.at("op", "_"):
            raise InputError(
                "write the variable of \\nabla as a subscript: \\nabla_w", column=token.column
            )
        self.advance()
        variable = self.sub(self.argument())
        if not isinstance(variable, Name):
            raise InputError("the subscript of \\nabla must be a name", column=token.column)
        return self.made(Call("diff", (self.operand(token), variable), token.column))

    def partial(self, token: Token) -> Node:
        if not self.at("op", "_"):
            raise InputError(
                "write \\partial_x f or \\frac{\\partial f}{\\partial x}", column=token.column
            )
        self.advance()
        variable = self.sub(self.argument())
        if not isinstance(variable, Name):
            raise InputError("the subscript of \\partial must be a name", column=token.column)
        return self.made(Call("diff", (self.operand(token), variable), token.column))

    def environment(self) -> Node:
        opening = self.advance()
        rows: list[list[Node]] = [[]]
        self.enter(opening.column)
        saved, self.closers = self.closers, []
        while not self.at("finish"):
            if self.at("end"):
                raise InputError(f"unclosed \\begin{{{opening.text}}}", column=opening.column)
            rows[-1].append(self.expression())
            if self.accept("op", "&"):
                continue
            if self.accept("cmd", "\\"):
                if not self.at("finish"):
                    rows.append([])
                continue
            if not self.at("finish"):
                raise self.unexpected("expected '&', '\\\\' or \\end")
        self.closers = saved
        closing = self.advance()
        self.leave()
        if closing.text != opening.text:
            raise InputError(
                f"\\begin{{{opening.text}}} ended by \\end{{{closing.text}}}", column=closing.column
            )
        if rows and not rows[-1]:
            rows.pop()
        if not rows:
            raise InputError("an empty matrix", column=opening.column)
        matrix = self.made(MatrixLit(tuple(tuple(r) for r in rows), opening.column))
        if opening.text == "vmatrix":
            return self.made(Call("det", (matrix,), opening.column))
        return matrix


def _is_d(tokens: list[Token], i: int) -> int:
    """How many tokens a differential's ``d`` takes at ``i`` (0 if none): ``d``, ``\\partial``,
    ``\\mathrm{d}``."""
    if i < len(tokens) and (_is(tokens[i], "name", "d") or _is(tokens[i], "cmd", "partial")):
        return 1
    if (
        i + 3 < len(tokens) + 1
        and _is(tokens[i], "cmd", "mathrm")
        and [t.text for t in tokens[i + 1 : i + 4]] == ["{", "d", "}"]
    ):
        return 4
    return 0


def _derivative_variables(tokens: list[Token]) -> tuple[tuple[Node, ...], int] | None:
    """``dx``, ``\\partial x^2``, ``\\partial x \\partial y`` as variables (with counts)."""
    variables: list[Node] = []
    i = 0
    while i < len(tokens):
        step = _is_d(tokens, i)
        if not step:
            return None
        i += step
        j = i
        if j < len(tokens) and tokens[j].kind == "cmd" and tokens[j].text in FONTS:
            j += 1
            if j < len(tokens) and _is(tokens[j], "op", "{"):
                j += 1
                while j < len(tokens) and not _is(tokens[j], "op", "}"):
                    j += 1
                j += 1
        elif j < len(tokens) and (
            tokens[j].kind == "name"
            or (tokens[j].kind == "cmd" and tokens[j].text in GREEK_COMMANDS)
        ):
            j += 1
        else:
            return None
        if j < len(tokens) and _is(tokens[j], "op", "_"):
            j += 1
            if j < len(tokens) and _is(tokens[j], "op", "{"):
                while j < len(tokens) and not _is(tokens[j], "op", "}"):
                    j += 1
            j += 1
        parser = LatexParser([*tokens[i:j], Token("end", "", tokens[-1].column)], LIMITS)
        try:
            variable = parser.primary()
        except InputError:
            return None
        if not isinstance(variable, Name) or not parser.at("end"):
            return None
        variables.append(variable)
        i = j
        if i < len(tokens) and _is(tokens[i], "op", "^"):
            if i + 1 < len(tokens) and tokens[i + 1].kind == "num":
                variables.extend([variable] * (int(tokens[i + 1].text[:1]) - 1))
                i += 2
            elif i + 3 < len(tokens) and tokens[i + 1].text == "{" and tokens[i + 2].kind == "num":
                variables.extend([variable] * (int(tokens[i + 2].text) - 1))
                i += 4
            else:
                return None
    if not variables or len(variables) > 5:
        return None
    return tuple(variables), len(variables)


def _derivative_body(tokens: list[Token], order: int) -> list[Token] | None:
    """The function in a derivative's numerator (``[]`` for the operator ``d/dx``), or None."""
    step = _is_d(tokens, 0)
    if not step:
        return None
    rest = tokens[step:]
    if order > 1:
        if rest[:1] and _is(rest[0], "op", "^"):
            rest = rest[2:] if rest[1:2] and rest[1].kind == "num" else rest[4:]
        else:
            return None
    return rest


def parse_latex_chain(
    source: str,
    limits: Limits = LIMITS,
    declared: Mapping[str, str] | None = None,
) -> list[Node]:
    """The expressions of a LaTeX ``a = b = ...`` (``&=`` and ``\\\\`` are allowed);
    ``declared`` as for :func:`derive.checker.parser.parse_chain`."""
    body, offset = strip_delimiters(source)
    if not body.strip():
        raise InputError("empty expression")
    tokens = tokenize_latex(body, limits, offset)
    return LatexParser(tokens, limits, (), declared).chain()


def looks_like_latex(source: str) -> bool:
    """Whether a step is LaTeX rather than the text syntax (backslashes, braces, ``$``)."""
    return any(c in source for c in "\\{}$&")
