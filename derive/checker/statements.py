"""Read a step of version 2: an expression, a relation continuing the chain, a statement, or a
definition.

>>> step = read_step("<=> x = 2 or x = -2", "step 3")
>>> step.kind, step.connective, step.text
('statement', '<=>', '<=> x = 2 or x = -2')
>>> read_step("<= 4a b", "step 2").text
'<= 4*a*b'
>>> read_step("let s = sigmoid(z)", "step 0").text
'let s = sigmoid(z)'
>>> read_step("x = (1 ± sqrt(5))/2", "step 1").text
'x = (1 + sqrt(5))/2 or x = (1 - sqrt(5))/2'

The source is split at relations, connectives, ``and`` and ``or`` outside brackets; each piece
is an expression of the text (or LaTeX) syntax. ``±`` in a relation makes it two relations
joined by ``or`` (every ``±`` of the relation takes the same sign).
"""

from __future__ import annotations

from dataclasses import dataclass

from derive.checker.errors import InputError
from derive.checker.latex import LatexParser, looks_like_latex, strip_delimiters, tokenize_latex
from derive.checker.lexer import Token, tokenize
from derive.checker.limits import LIMITS, Limits
from derive.checker.names import IDENTIFIER
from derive.checker.parser import Grammar, TextParser, _refuse_leibniz
from derive.checker.relations import Logic, Rel, Statement, unparse_statement
from derive.checker.tree import Node, unparse
from derive.checker.vocabulary import is_function

OPEN = {"(": ")", "[": "]", "{": "}"}
SEPARATORS = {("cmd", "\\"), ("op", "&")}  # an align body's, outside matrices


@dataclass(frozen=True)
class Step:
    """One step as read. ``kind``: ``expression``, ``relation`` (``op`` then ``expression``),
    ``statement`` (with its ``connective``, or None), ``definition`` (``name := expression``)."""

    kind: str
    where: str
    expression: Node | None = None
    op: str | None = None
    statement: Statement | None = None
    connective: str | None = None
    name: str | None = None

    @property
    def text(self) -> str:
        """The step in the checker's text syntax (``read``)."""
        if self.kind == "expression":
            assert self.expression is not None
            return unparse(self.expression)
        if self.kind == "relation":
            assert self.expression is not None
            return f"{self.op} {unparse(self.expression)}"
        if self.kind == "definition":
            assert self.expression is not None
            return f"let {self.name} = {unparse(self.expression)}"
        assert self.statement is not None
        body = unparse_statement(self.statement)
        return f"{self.connective} {body}" if self.connective else body


def _tokens(source: str, limits: Limits) -> tuple[list[Token], bool]:
    if looks_like_latex(source):
        body, offset = strip_delimiters(source)
        if not body.strip():
            raise InputError("empty expression")
        tokens = tokenize_latex(body, limits, offset)
        return tokens, True
    if not source.strip():
        raise InputError("empty expression")
    tokens = tokenize(source, limits)
    _refuse_leibniz(tokens)
    return tokens, False


def _split(tokens: list[Token], at: set[tuple[str, str]]) -> list[tuple[Token | None, list[Token]]]:
    """Pieces between top-level separators, each with the separator before it."""
    pieces: list[tuple[Token | None, list[Token]]] = [(None, [])]
    depth = 0
    for token in tokens:
        if token.kind == "end":
            break
        if (token.kind == "op" and token.text in OPEN) or token.kind == "begin":
            depth += 1
        elif (token.kind == "op" and token.text in OPEN.values()) or token.kind == "finish":
            depth -= 1
        if depth == 0 and (token.kind, token.text) in at:
            pieces.append((token, []))
        elif not (depth == 0 and (token.kind, token.text) in SEPARATORS):
            pieces[-1][1].append(token)
    return pieces


RELATION_TOKENS = {("op", "=")} | {("rel", op) for op in ("!=", "<", "<=", ">", ">=", "≈")}
CONNECTIVE_TOKENS = {("conn", "<=>"), ("conn", "=>")}
LOGIC_TOKENS = {("name", "and"), ("name", "or")}


class Reader:
    """Parses pieces of one source with the limits shared (nodes, depth)."""

    def __init__(self, latex: bool, limits: Limits, end: int) -> None:
        self.latex = latex
        self.limits = limits
        self.end = end
        self.nodes = 0

    def expression(self, tokens: list[Token], after: Token | None = None) -> Node:
        if not tokens:
            column = after.column if after is not None else self.end
            raise InputError("an expression is missing", column=column)
        for token in tokens:
            if token.kind in ("rel", "conn") or (token.kind, token.text) == ("op", ":="):
                raise InputError(f"unexpected {token.text!r}", column=token.column)
        closing = Token("end", "", tokens[-1].column + len(tokens[-1].text))
        parser: Grammar
        if self.latex:
            parser = LatexParser([*tokens, closing], self.limits)
        else:
            parser = TextParser([*tokens, closing], self.limits)
        parser.nodes = self.nodes
        node = parser.expression()
        if not parser.at("end"):
            hint = parser._stray_hint() if isinstance(parser, TextParser) else ""
            raise parser.unexpected(hint)
        self.nodes = parser.nodes
        return node

    def statement(self, tokens: list[Token], first: Token | None = None) -> Statement:
        """``a REL b REL c`` joined by ``and``/``or`` (``±`` expanded)."""
        alternatives = _split(tokens, {("name", "or")})
        if len(alternatives) > 1:
            parts = [self.statement(piece, sep or first) for sep, piece in alternatives]
            return _join("or", parts)
        systems = _split(tokens, {("name", "and")})
        if len(systems) > 1:
            return _join("and", [self.statement(piece, sep or first) for sep, piece in systems])
        if any(t.kind == "op" and t.text == "±" for t in tokens):
            plus = self.statement([_sign(t, "+") for t in tokens], first)
            minus = self.statement([_sign(t, "-") for t in tokens], first)
            return Logic("or", (plus, minus))
        links = _split(tokens, RELATION_TOKENS)
        if len(links) < 2:
            where = tokens[0].column if tokens else (first.column if first else self.end)
            raise InputError("a statement needs a relation (=, <, <=, ...)", column=where)
        sides = [self.expression(piece, sep or first) for sep, piece in links]
        rels = []
        for index in range(1, len(links)):
            separator = links[index][0]
            assert separator is not None
            rels.append(Rel(separator.text, sides[index - 1], sides[index]))
        return rels[0] if len(rels) == 1 else Logic("and", tuple(rels))


def _sign(token: Token, sign: str) -> Token:
    return Token("op", sign, token.column) if token.kind == "op" and token.text == "±" else token


def _join(op: str, parts: list[Statement]) -> Statement:
    flat: list[Statement] = []
    for part in parts:
        flat.extend(part.parts if isinstance(part, Logic) and part.op == op else (part,))
    return Logic(op, tuple(flat))


def _has(tokens: list[Token], kinds: set[tuple[str, str]]) -> bool:
    return len(_split(tokens, kinds)) > 1


def read_step(source: str, where: str, limits: Limits = LIMITS) -> Step:
    """One step of a ``steps`` request."""
    try:
        tokens, latex = _tokens(source, limits)
        reader = Reader(latex, limits, len(source) + 1)
        body = [t for t in tokens if t.kind != "end"]
        return _step(body, reader, where)
    except RecursionError:
        raise InputError("nested too deeply").at(where) from None
    except InputError as error:
        raise error.at(where) from None


def _step(body: list[Token], reader: Reader, where: str) -> Step:
    definition = _definition(body)
    if definition is not None:
        name, rest, sign = definition
        if _has(rest, RELATION_TOKENS | CONNECTIVE_TOKENS | LOGIC_TOKENS):
            raise InputError("a definition is 'let NAME = expression'", column=sign.column)
        return Step("definition", where, reader.expression(rest, sign), name=name.text)
    connective = None
    if body and body[0].kind == "conn":
        connective = body[0]
        body = body[1:]
        if _has(body, CONNECTIVE_TOKENS):
            raise InputError("one connective per step (put each statement on its own step)")
    elif _has(body, CONNECTIVE_TOKENS):
        raise InputError("one connective per step, at its start: '<=> x = 2'")
    leading = body[0] if body and (body[0].kind, body[0].text) in RELATION_TOKENS else None
    if leading is not None and connective is None:
        rest = body[1:]
        if _has(rest, RELATION_TOKENS | LOGIC_TOKENS):
            raise InputError(
                "one relation per continued step ('<= b'); a statement has both sides", column=1
            )
        op = leading.text
        return Step("relation", where, reader.expression(rest, leading), op=op)
    if connective is not None or _has(body, RELATION_TOKENS):
        if leading is not None:
            raise InputError("a statement after a connective has both sides", column=leading.column)
        statement = reader.statement(body, connective)
        return Step("statement", where, statement=statement, connective=_text(connective))
    if any(t.kind == "op" and t.text == "±" for t in body):
        raise InputError("'±' is read in an equation: x = a ± b")
    logic = _split(body, LOGIC_TOKENS)
    if len(logic) > 1:
        word = logic[1][0]
        assert word is not None
        raise InputError(
            f"'{word.text}' joins statements (x = 1 {word.text} x = 2), not expressions",
            column=word.column,
        )
    return Step("expression", where, reader.expression(body))


def _text(token: Token | None) -> str | None:
    return token.text if token is not None else None


def _definition(body: list[Token]) -> tuple[Token, list[Token], Token] | None:
    """(name, value tokens, the sign) for ``let NAME = e`` or ``NAME := e``."""
    if len(body) >= 3 and body[0].kind == "name" and body[0].text == "let":
        name, sign = body[1], body[2]
        if name.kind != "name" or (sign.kind, sign.text) not in (("op", "="), ("op", ":=")):
            raise InputError("a definition is 'let NAME = expression'", column=body[0].column)
        _check_name(name)
        return name, body[3:], sign
    if len(body) >= 2 and body[0].kind == "name" and (body[1].kind, body[1].text) == ("op", ":="):
        _check_name(body[0])
        return body[0], body[2:], body[1]
    for token in body:
        if (token.kind, token.text) == ("op", ":="):
            raise InputError("':=' defines one name: NAME := expression", column=token.column)
    return None


def _check_name(token: Token) -> None:
    if not IDENTIFIER.match(token.text) or is_function(token.text) or token.text in ("e", "pi"):
        raise InputError(f"cannot define {token.text!r}: not a free name", column=token.column)


def read_claim(source: str, limits: Limits = LIMITS) -> list[Step]:
    """A claim: ``a = b <= c`` is a chain of expressions; statements separated by ``<=>`` /
    ``=>`` are a sequence of statements (the first a premise).

    >>> [s.text for s in read_claim("(a+b)^2 = a^2 + 2a b + b^2 >= 4a b")]
    ['(a + b)^2', 'a^2 + 2*a*b + b^2', '>= 4*a*b']
    >>> [s.text for s in read_claim("2x + 3 = 7 <=> x = 2")]
    ['2*x + 3 = 7', '<=> x = 2']
    """
    where = "claim"
    try:
        tokens, latex = _tokens(source, limits)
        reader = Reader(latex, limits, len(source) + 1)
        body = [t for t in tokens if t.kind != "end"]
        pieces = _split(body, CONNECTIVE_TOKENS)
        if len(pieces) == 1 and not _has(body, LOGIC_TOKENS):
            if body and (body[0].kind, body[0].text) == ("op", "="):
                body = body[1:]  # a continued line
            links = _split(body, RELATION_TOKENS)
            steps = []
            for separator, piece in links:
                node = reader.expression(piece, separator)
                if separator is None or separator.text == "=":
                    steps.append(Step("expression", where, node))
                else:
                    steps.append(Step("relation", where, node, op=separator.text))
            return steps
        statements = []
        for separator, piece in pieces:
            if not piece:
                column = separator.column if separator else 1
                raise InputError("a statement is missing", column=column)
            statement = reader.statement(piece, separator)
            statements.append(
                Step("statement", where, statement=statement, connective=_text(separator))
            )
        return statements
    except RecursionError:
        raise InputError("nested too deeply").at(where) from None
    except InputError as error:
        raise error.at(where) from None
