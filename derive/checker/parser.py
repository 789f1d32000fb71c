"""Parse the text syntax into a syntax tree: a hand-written recursive descent, no ``eval``.

>>> from derive.checker.tree import unparse
>>> [unparse(e) for e in parse_chain("diff(x^2, x) = 2x")]
['diff(x^2, x)', '2*x']
>>> unparse(parse_chain("-x^2 + A'B")[0])
'-x^2 + A.T*B'

Precedence, loosest first: ``=`` (separates the steps of a claim), ``+ -``, ``* / @`` and
juxtaposition (``2x``, ``(a+b)(a-b)``, left to right), unary ``-``, ``^`` (right-associative;
``x^-1`` is allowed), postfix transposes (``A.T``, ``A'``, ``Aᵀ``) and superscripts.
"""

from __future__ import annotations

from derive.checker.errors import InputError
from derive.checker.lexer import Token, tokenize
from derive.checker.limits import LIMITS, Limits
from derive.checker.tree import Bin, Call, MatrixLit, Name, Neg, Node, Num, Transpose
from derive.checker.vocabulary import canonical, is_function


class Grammar:
    """Token-stream helpers shared by the text and LaTeX parsers: look-ahead, expectations,
    and the bounds on nesting depth and tree size."""

    def __init__(self, tokens: list[Token], limits: Limits) -> None:
        self.tokens = tokens
        self.index = 0
        self.limits = limits
        self.depth = 0
        self.nodes = 0

    @property
    def current(self) -> Token:
        return self.tokens[self.index]

    def peek(self, offset: int = 1) -> Token:
        return self.tokens[min(self.index + offset, len(self.tokens) - 1)]

    def advance(self) -> Token:
        token = self.current
        if token.kind != "end":
            self.index += 1
        return token

    def at(self, kind: str, text: str | None = None) -> bool:
        token = self.current
        return token.kind == kind and (text is None or token.text == text)

    def accept(self, kind: str, text: str | None = None) -> Token | None:
        return self.advance() if self.at(kind, text) else None

    def expect(self, kind: str, text: str, what: str) -> Token:
        token = self.accept(kind, text)
        if token is None:
            raise self.unexpected(f"expected {what}")
        return token

    def unexpected(self, hint: str = "") -> InputError:
        token = self.current
        shown = "end of input" if token.kind == "end" else repr(token.text)
        message = f"unexpected {shown}" + (f"; {hint}" if hint else "")
        return InputError(message, column=token.column)

    def enter(self, column: int) -> None:
        """One level deeper; refuse nesting beyond the limit."""
        self.depth += 1
        if self.depth > self.limits.max_depth:
            raise InputError(f"nested more than {self.limits.max_depth} levels deep", column=column)

    def leave(self) -> None:
        self.depth -= 1

    def unary(self) -> Node:
        """A signed operand: ``-x`` (a leading ``+`` is dropped)."""
        token = self.current
        if token.kind == "op" and token.text in "+-":
            self.advance()
            self.enter(token.column)
            operand = self.unary()
            self.leave()
            return operand if token.text == "+" else self.made(Neg(operand, token.column))
        return self.power()

    def power(self) -> Node:
        """An operand with its powers and postfix operators (each syntax has its own)."""
        raise NotImplementedError

    def made(self, node: Node) -> Node:
        """Count a new node; refuse trees beyond the size limit."""
        self.nodes += 1
        if self.nodes > self.limits.max_nodes:
            raise InputError(
                f"expression too large (more than {self.limits.max_nodes} parts)",
                column=getattr(node, "column", None),
            )
        return node


STARTS_OPERAND = ("num", "name")
OPENERS = ("(", "[")


class TextParser(Grammar):
    """The text syntax (see the module docstring)."""

    def chain(self) -> list[Node]:
        """``a = b = c`` as ``[a, b, c]``; a leading ``=`` (a continued line) is ignored."""
        self.accept("op", "=")
        parts = [self.expression()]
        while self.accept("op", "="):
            parts.append(self.expression())
        if not self.at("end"):
            raise self.unexpected(self._stray_hint())
        return parts

    def _stray_hint(self) -> str:
        token = self.current
        if token.kind == "op" and token.text in ")]":
            return "no matching opening bracket"
        if token.kind == "num":
            return "two numbers in a row"
        return ""

    def expression(self) -> Node:
        self.enter(self.current.column)
        node = self.term()
        while self.at("op", "+") or self.at("op", "-"):
            op = self.advance()
            node = self.made(Bin(op.text, node, self.term(), op.column))
        self.leave()
        return node

    def _starts_factor(self) -> bool:
        token = self.current
        if token.kind == "num":
            previous = self.tokens[self.index - 1]
            if previous.kind == "num":
                raise self.unexpected("two numbers in a row")
            return True
        return token.kind == "name" or (token.kind == "op" and token.text in OPENERS)

    def term(self) -> Node:
        node = self.unary()
        while True:
            token = self.current
            if token.kind == "op" and token.text in "*/@":
                self.advance()
                op = "/" if token.text == "/" else "*"
                node = self.made(Bin(op, node, self.unary(), token.column))
            elif self._starts_factor():
                node = self.made(Bin("*", node, self.power(), token.column))
            else:
                return node

    def power(self) -> Node:
        base = self.postfix(self.primary())
        token = self.current
        if not self.accept("op", "^"):
            return base
        if self.at("name", "T") and self.peek().text != "(":
            name = self.advance()
            node = self.made(Bin("^", base, Name("T", name.column), token.column))
            return self._more_powers(node)
        self.enter(token.column)
        exponent = self.unary()
        self.leave()
        return self.made(Bin("^", base, exponent, token.column))

    def _more_powers(self, node: Node) -> Node:
        node = self.postfix(node)
        token = self.current
        if self.accept("op", "^"):
            self.enter(token.column)
            exponent = self.unary()
            self.leave()
            return self.made(Bin("^", node, exponent, token.column))
        return node

    def postfix(self, node: Node) -> Node:
        while True:
            token = self.current
            if token.kind == "post" or (token.kind == "op" and token.text == "'"):
                self.advance()
                node = self.made(Transpose(node, token.column))
            elif token.kind == "sup":
                self.advance()
                node = self.made(self._superscript(node, token))
            else:
                return node

    def _superscript(self, node: Node, token: Token) -> Node:
        if token.text == "T":
            return Transpose(node, token.column)
        if token.text.startswith("-"):
            return Bin("^", node, Neg(Num(token.text[1:], token.column), token.column))
        return Bin("^", node, Num(token.text, token.column), token.column)

    def primary(self) -> Node:
        token = self.current
        if token.kind == "num":
            self.advance()
            return self.made(Num(token.text, token.column))
        if token.kind == "name":
            self.advance()
            if is_function(token.text):
                return self.call(token)
            return self.made(Name(token.text, token.column))
        if self.accept("op", "("):
            inner = self.expression()  # one level deeper (expression counts it)
            self.expect("op", ")", "')'")
            return inner
        if self.at("op", "["):
            return self.matrix()
        if token.kind == "end":
            raise self.unexpected("an expression is missing")
        raise self.unexpected()

    def call(self, name: Token) -> Node:
        if not self.at("op", "("):
            raise InputError(
                f"{name.text} needs its argument in parentheses: {name.text}(...)",
                column=name.column,
            )
        self.advance()
        args = [self.expression()]
        while self.accept("op", ","):
            args.append(self.expression())
        self.expect("op", ")", "')' or ','")
        return self.made(Call(canonical(name.text), tuple(args), name.column))

    def matrix(self) -> Node:
        opening = self.advance()
        self.enter(opening.column)
        if self.at("op", "["):
            rows = [self._row()]
            while self.accept("op", ","):
                rows.append(self._row())
            node: Node = MatrixLit(tuple(rows), opening.column)
        else:
            entries = self._entries()
            node = MatrixLit(tuple((e,) for e in entries), opening.column)
        self.leave()
        self.expect("op", "]", "']' or ','")
        return self.made(node)

    def _row(self) -> tuple[Node, ...]:
        opening = self.current
        if not self.accept("op", "["):
            raise self.unexpected("each row of a matrix is a list [..., ...]")
        self.enter(opening.column)
        entries = self._entries()
        self.leave()
        self.expect("op", "]", "']' or ','")
        return entries

    def _entries(self) -> tuple[Node, ...]:
        if self.at("op", "]"):
            raise self.unexpected("a matrix needs entries")
        entries = [self.expression()]
        while self.accept("op", ","):
            entries.append(self.expression())
        return tuple(entries)


def parse_chain(source: str, limits: Limits = LIMITS) -> list[Node]:
    """The expressions of ``a = b = ...`` in the text syntax (one for a plain expression)."""
    if not source.strip():
        raise InputError("empty expression")
    tokens = tokenize(source, limits)
    _refuse_leibniz(tokens)
    return TextParser(tokens, limits).chain()


def _refuse_leibniz(tokens: list[Token]) -> None:
    """``d/dx f`` would read as the name ``d`` over the name ``dx``: say how to differentiate.

    >>> parse_chain("d/dz sigmoid(z)")
    Traceback (most recent call last):
    derive.checker.errors.InputError: column 1: 'd/dz' reads as d divided by dz; write diff(f, z)
    """
    for first, slash, second in zip(tokens, tokens[1:], tokens[2:], strict=False):
        if (
            (first.kind, first.text, slash.kind, slash.text, second.kind)
            == ("name", "d", "op", "/", "name")
            and len(second.text) > 1
            and second.text.startswith("d")
        ):
            variable = second.text[1:]
            raise InputError(
                f"'d/{second.text}' reads as d divided by {second.text}; write diff(f, {variable})",
                column=first.column,
            )
