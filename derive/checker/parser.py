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

import contextlib
import re
from collections.abc import Iterable, Iterator, Mapping
from contextvars import ContextVar

from derive.checker.errors import InputError
from derive.checker.lexer import Token, tokenize, unexpected
from derive.checker.limits import LIMITS, Limits
from derive.checker.tree import Bin, Call, MatrixLit, Name, Neg, Node, Num, Transpose
from derive.checker.vocabulary import (
    CONSTANTS,
    EVENT_WORDS,
    FUNCTIONS,
    GREEK,
    PROBABILITY_LETTERS,
    READ_FUNCTIONS,
    canonical,
    closest_function,
    declared_kinds,
    is_function,
    known_function,
)

# The names a request declares, with their kinds (``{"f": "function", "A": "matrix 2 2"}``):
# the parsers read ``f(x)`` as a call of a declared function and ``ab`` as ``a*b`` by them.
# An explicit ``declared`` argument wins; otherwise the request being read sets it (declaring).
DECLARED: ContextVar[Mapping[str, str] | None] = ContextVar("declared", default=None)
GREEK_WORDS = frozenset(GREEK.values())
SHAPED = {"vector": 1, "matrix": 2, "symmetric": 1, "spd": 1, "fullrank": 2}


_DEFINITION = re.compile(
    r"^\s*(?:let\s+([A-Za-z][A-Za-z0-9_]*)\s*(?::?=)|([A-Za-z][A-Za-z0-9_]*)\s*:=)"
)


@contextlib.contextmanager
def declaring(
    given: Mapping[str, str] | None, sources: Iterable[str | None] = ()
) -> Iterator[None]:
    """Read the steps inside with these declared names (a request's ``given``), and the names
    its ``sources`` define (``let ab = ...``: ``ab`` is then one name, never split).

    >>> from derive.checker.tree import unparse
    >>> with declaring({"a": "scalar", "b": "scalar"}):
    ...     unparse(parse_chain("ab(c + 1)")[0])
    'a*b*(c + 1)'
    >>> with declaring({"a": "scalar", "b": "scalar"}, ["let ab = a + b", "ab^2"]):
    ...     unparse(parse_chain("ab^2")[0])
    'ab^2'
    """
    names = dict(given or {})
    for source in sources:
        match = _DEFINITION.match(source) if isinstance(source, str) else None
        if match is not None:
            names.setdefault(match.group(1) or match.group(2), "defined")
    token = DECLARED.set(names)
    try:
        yield
    finally:
        DECLARED.reset(token)


def shape_of(kind: str) -> tuple[int, int] | None:
    """The shape of a declared kind's text (None if it has none: scalars, random, ...).

    >>> shape_of("matrix 2 3"), shape_of("vector 3"), shape_of("spd 2"), shape_of("scalar")
    ((2, 3), (3, 1), (2, 2), (1, 1))
    """
    words = kind.split()
    if not words:
        return None
    sizes = [int(w) for w in words[1:] if w.isdigit()]
    if words[0] == "vector" and len(sizes) == 1:
        return (sizes[0], 1)
    if words[0] in ("symmetric", "spd") and len(sizes) == 1:
        return (sizes[0], sizes[0])
    if words[0] in ("matrix", "fullrank") and len(sizes) == 2:
        return (sizes[0], sizes[1])
    if words[0] in ("scalar", "positive", "probability", "integer", "nonnegative"):
        return (1, 1)
    return None


class Grammar:
    """Token-stream helpers shared by the text and LaTeX parsers: look-ahead, expectations,
    and the bounds on nesting depth and tree size."""

    def __init__(
        self,
        tokens: list[Token],
        limits: Limits,
        declared: Mapping[str, str] | None = None,
    ) -> None:
        self.tokens = tokens
        self.index = 0
        self.limits = limits
        self.depth = 0
        self.nodes = 0
        given = declared if declared is not None else DECLARED.get()
        self.given: Mapping[str, str] = {
            name: text
            for key, text in (given or {}).items()
            if isinstance(key, str) and isinstance(text, str)
            for name in (n.strip() for n in key.split(","))
        }
        self.kinds = declared_kinds(given)
        self.events = 0  # > 0 inside P(...): and, or, not, |, ^c are event operators

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
        if token.kind == "name" and token.text in EVENT_WORDS:
            hint = f"'{token.text}' joins statements, or events inside P(...)"
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

    # -- calls shared by both syntaxes ---------------------------------------------------

    def called(self, name: str, args: tuple[Node, ...], column: int) -> Node:
        """A call node; the arguments of a call evaluated outside FUNCTIONS counted."""
        spec = FUNCTIONS.get(name) or READ_FUNCTIONS.get(name)
        if spec is not None and name not in FUNCTIONS:
            count = len(args)
            if count < spec.min_args or (spec.max_args is not None and count > spec.max_args):
                wanted = spec.min_args if spec.min_args == spec.max_args else "1 or more"
                if name == "P":
                    wanted = "1 (P(A)) or 2 (P(A | B))"
                raise InputError(f"{name} takes {wanted} argument(s), got {count}", column=column)
        return self.made(Call(name, args, column))

    def is_declared_function(self, name: str) -> bool:
        return self.kinds.get(name) == "function"

    def probability_letter(self, name: str) -> bool:
        """``E`` or ``P`` undeclared and followed by a bracket: an expectation, a probability."""
        if name not in PROBABILITY_LETTERS or name in self.kinds:
            return False
        return self.at("op", "(") or (name == "E" and self.at("op", "["))

    def sigmoid_letter(self, name: str) -> bool:
        """``σ(x)``: the logistic sigmoid, unless ``sigma`` is declared."""
        return name == "sigma" and "sigma" not in self.kinds and self.at("op", "(")

    def arguments(self, closer: str) -> tuple[Node, ...]:
        """Comma-separated expressions up to ``closer`` (the opening bracket already read)."""
        args = [self.expression()]
        while self.accept("op", ","):
            args.append(self.expression())
        self.expect("op", closer, f"'{closer}' or ','")
        return tuple(args)

    def expression(self) -> Node:
        raise NotImplementedError

    def probability(self, name: str, column: int) -> Node:
        """``E[X]``, ``E(X)``, ``P(A)``, ``P(A | B)`` with events inside ``P``."""
        opening = self.advance()
        closer = ")" if opening.text == "(" else "]"
        if name == "E":
            return self.called("E", self.arguments(closer), column)
        self.enter(opening.column)
        self.events += 1
        args = [self.event()]
        if self.at_given():
            self.advance()
            args.append(self.event())
        self.events -= 1
        self.leave()
        self.expect("op", closer, f"'{closer}' or '|'")
        return self.called("P", tuple(args), column)

    def at_given(self) -> bool:
        return self.at("op", "|") or self.at("cmd", "mid")

    def event(self) -> Node:
        """Events joined by ``or`` (loosest), ``and``, ``not``."""
        node = self._conjunction()
        while self.at("name", "or"):
            op = self.advance()
            node = self.called("or", (node, self._conjunction()), op.column)
        return node

    def _conjunction(self) -> Node:
        node = self._negation()
        while self.at("name", "and"):
            op = self.advance()
            node = self.called("and", (node, self._negation()), op.column)
        return node

    def _negation(self) -> Node:
        if self.at("name", "not"):
            op = self.advance()
            self.enter(op.column)
            operand = self._negation()
            self.leave()
            return self.called("not", (operand,), op.column)
        if self.at("op", "("):  # a bracketed event: (A or B)
            close = self._matching(self.index)
            inner = self.tokens[self.index + 1 : close]
            if any(t.kind == "name" and t.text in EVENT_WORDS for t in inner):
                opening = self.advance()
                self.enter(opening.column)
                node = self.event()
                self.leave()
                self.expect("op", ")", "')'")
                return self._complement(node)
        return self.expression()

    def _matching(self, index: int) -> int:
        depth = 0
        for position in range(index, len(self.tokens)):
            token = self.tokens[position]
            if token.kind == "op" and token.text in "([":
                depth += 1
            elif token.kind == "op" and token.text in ")]":
                depth -= 1
                if depth == 0:
                    return position
        return len(self.tokens) - 1

    def _complement(self, node: Node) -> Node:
        while self.at("op", "^") and self.peek().kind == "name" and self.peek().text == "c":
            caret = self.advance()
            self.advance()
            node = self.called("not", (node,), caret.column)
        return node

    def complement(self, base: Node, exponent: Node, column: int) -> Node | None:
        """``A^c`` inside ``P(...)``: the complement of A (None elsewhere)."""
        if self.events and exponent == Name("c"):
            return self.called("not", (base,), column)
        return None

    def misplaced_event_word(self) -> InputError:
        token = self.current
        return InputError(
            f"'{token.text}' joins statements, or events inside P(...)", column=token.column
        )

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
        if token.kind == "name":
            return token.text not in EVENT_WORDS
        return token.kind == "op" and token.text in OPENERS

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
        complement = self.complement(base, exponent, token.column)
        if complement is not None:
            return complement
        return self.made(Bin("^", base, exponent, token.column))

    def unexpected(self, hint: str = "") -> InputError:
        token = self.current
        if token.kind == "op" and token.text == "|" and not hint:
            return unexpected("|", token.column)
        return super().unexpected(hint)

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
        self._refuse_indexing()
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

    def _refuse_indexing(self) -> None:
        """``x[2]``, ``softmax(z)[2]``: a bracket right after a name or a call reads as indexing
        to a learner and as a product to the grammar — neither is guessed."""
        token, previous = self.current, self.tokens[self.index - 1] if self.index else None
        if not (token.kind == "op" and token.text == "[" and previous is not None):
            return
        after_name = previous.kind == "name" or (previous.kind == "op" and previous.text == ")")
        if after_name and previous.column + len(previous.text) == token.column:
            raise InputError(
                "indexing such as x[2] is not supported: name the entry (x_2), or write * for "
                "a product (x*[2])",
                column=token.column,
            )

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
            return self.number(token)
        if token.kind == "name":
            if token.text in EVENT_WORDS:
                raise self.misplaced_event_word()
            self.advance()
            return self.name(token)
        if self.accept("op", "("):
            inner = self.expression()  # one level deeper (expression counts it)
            if self.at("op", ",") and self.peek().kind == "num" and len(self.peek().text) == 3:
                raise self.unexpected("inside brackets a comma separates; write 1,000 as 1000")
            self.expect("op", ")", "')'")
            return inner
        if self.at("op", "["):
            return self.matrix()
        if token.kind == "end":
            raise self.unexpected("an expression is missing")
        raise self.unexpected()

    def number(self, token: Token) -> Node:
        """A number; ``25%`` is 25/100."""
        if token.text.endswith("%"):
            digits = Num(token.text[:-1], token.column)
            return self.made(Bin("/", digits, Num("100", token.column), token.column))
        return self.made(Num(token.text, token.column))

    def name(self, token: Token) -> Node:
        """A name, or the call it starts (see "Notation" in docs/checker.md): a known
        function, a declared function (``f(x)``, ``f'(x)``), ``E[X]``, ``P(A | B)``, ``σ(x)``;
        an undeclared name of several letters before ``(`` that is none of these is an error,
        and one whose letters are declared names is their product."""
        text, column = token.text, token.column
        if self.is_declared_function(text):
            primes = 0
            while self.at("op", "'") and primes < 3:
                self.advance()
                primes += 1
            if not self.at("op", "("):
                if primes:
                    raise InputError(f"write {text}{chr(39) * primes}(x)", column=column)
                return self.made(Name(text, column))
            self.advance()
            return self.called(text + "'" * primes, self.arguments(")"), column)
        if self.probability_letter(text):
            return self.probability(text, column)
        if text == "Pr" and "Pr" not in self.kinds and self.at("op", "("):
            return self.probability("P", column)
        if self.sigmoid_letter(text):
            self.advance()
            return self.called("sigmoid", self.arguments(")"), column)
        if known_function(text) and (is_function(text) or text not in self.kinds):
            return self.call(token)
        split = self.split(text)
        if split is not None:  # the parts become tokens side by side: juxtaposed factors
            self.tokens[self.index - 1 : self.index] = [
                Token("name", part, column) for part in split
            ]
            return self.made(Name(split[0], column))
        if self.at("op", "(") and function_like(text) and text not in self.kinds:
            raise unknown_function(text, column)
        return self.made(Name(text, column))

    def split(self, text: str) -> list[str] | None:
        """An undeclared name of several letters read as declared names side by side (``ab``
        with a and b declared; ``Ax`` with A a matrix and x a vector), or None."""
        if text in self.kinds or not function_like(text) or not self.kinds:
            return None
        shapes = {n: shape_of(k) for n, k in self.given.items()}
        best: list[str] | None = None
        for parts in _partitions(text, self.kinds):
            if best is None:
                best = parts
            if _conform([shapes.get(p) for p in parts]):
                return parts
        return best

    def call(self, name: Token) -> Node:
        brackets = name.text in READ_FUNCTIONS and READ_FUNCTIONS[name.text].kind == "probability"
        if not (self.at("op", "(") or (brackets and self.at("op", "["))):
            raise InputError(
                f"{name.text} needs its argument in parentheses: {name.text}(...)",
                column=name.column,
            )
        opening = self.advance()
        args = self.arguments(")" if opening.text == "(" else "]")
        return self.called(canonical(name.text), args, name.column)

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


def function_like(text: str) -> bool:
    """A name that could be a function's: two or more ASCII letters, not a Greek letter's
    name (``theta(1 - theta)`` is a product) nor a constant."""
    return (
        len(text) > 1
        and text.isascii()
        and text.isalpha()
        and text not in GREEK_WORDS
        and text not in CONSTANTS
    )


def unknown_function(name: str, column: int) -> InputError:
    """The error for ``sinn(x)``: the closest known function, and how to declare one."""
    close = closest_function(name)
    hint = f" — did you mean {close}?" if close else ""
    return InputError(
        f'unknown function \'{name}\'{hint} (declare your own: "{name}": "function")',
        column=column,
    )


def _partitions(text: str, names: Mapping[str, str]) -> Iterator[list[str]]:
    """Ways to write ``text`` as declared names side by side, fewest parts first."""
    found: list[list[str]] = []

    def walk(start: int, parts: list[str]) -> None:
        if len(found) >= 16:
            return
        if start == len(text):
            found.append(list(parts))
            return
        for end in range(len(text), start, -1):
            piece = text[start:end]
            if piece in names and names[piece] != "function":
                parts.append(piece)
                walk(end, parts)
                parts.pop()

    if len(text) <= 12:
        walk(0, [])
    yield from sorted(found, key=len)


def _conform(shapes: list[tuple[int, int] | None]) -> bool:
    """Whether a product of these shapes (None: unknown) conforms, scalars scaling."""
    current: tuple[int, int] | None = (1, 1)
    for shape in shapes:
        if shape is None or current is None:
            current = None
            continue
        if shape == (1, 1):
            continue
        if current == (1, 1):
            current = shape
        elif current[1] == shape[0]:
            current = (current[0], shape[1])
        else:
            return False
    return True


def parse_chain(
    source: str,
    limits: Limits = LIMITS,
    declared: Mapping[str, str] | None = None,
) -> list[Node]:
    """The expressions of ``a = b = ...`` in the text syntax (one for a plain expression).
    ``declared`` maps names to kinds (a request's ``given``; by default the one being read,
    see :func:`declaring`)."""
    if not source.strip():
        raise InputError("empty expression")
    tokens = tokenize(source, limits)
    _refuse_leibniz(tokens)
    return TextParser(tokens, limits, declared).chain()


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
