"""Split a line of the text syntax into tokens, refusing every character it does not know.

>>> [t.text for t in tokenize("2x^2 − A.T*b")]
['2', 'x', '^', '2', '-', 'A', '.T', '*', 'b', '']
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from derive.checker.errors import InputError
from derive.checker.limits import LIMITS, Limits
from derive.checker.vocabulary import (
    GREEK,
    LOOKALIKES,
    OPERATOR_CHARACTERS,
    SUPERSCRIPTS,
    WHITESPACE,
    describe_character,
)

NUMBER = re.compile(r"(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
# Digits grouped by thousands: ``7,425,000`` (outside brackets, where a comma separates
# nothing else), ``1 000`` (one space; two numbers in a row are otherwise an error).
THOUSANDS_COMMA = re.compile(r"\d{1,3}(?:,\d{3})+(?![\d,])(?:\.\d+)?")
THOUSANDS_SPACE = re.compile(r"\d{1,3}(?: \d{3})+(?!\d|,\d| \d)(?:\.\d+)?")
EVENT_CHARACTERS = {"∩": "and", "∪": "or", "¬": "not", "𝔼": "E", "ℙ": "P"}  # and 𝔼[X], ℙ(A)
MAX_DECIMAL_EXPONENT = 300
MAX_NAME = 40
OPERATORS = frozenset("+-*/^@()[],='|")

# Relations (``rel``), connectives (``conn``) and ``:=``, ``±``: longest spelling first.
RELATIONS = (
    ("<=>", "conn", "<=>"),
    ("⇔", "conn", "<=>"),
    ("⟺", "conn", "<=>"),
    ("=>", "conn", "=>"),
    ("⇒", "conn", "=>"),
    ("⟹", "conn", "=>"),
    ("<=", "rel", "<="),
    (">=", "rel", ">="),
    ("!=", "rel", "!="),
    (":=", "op", ":="),
    ("≤", "rel", "<="),
    ("≥", "rel", ">="),
    ("≠", "rel", "!="),
    ("≈", "rel", "≈"),
    ("<", "rel", "<"),
    (">", "rel", ">"),
    ("±", "op", "±"),
)

HINTS = {
    "|": "write abs(...) or norm(...)",
    "!": "factorials are not supported",
    "_": "names start with a letter",
    '"': "the input is mathematics, not a program",
    "`": "the input is mathematics, not a program",
    ";": "put one expression per step",
    ":": "the input is mathematics, not a program",
}


def read_number(source: str, i: int, depth: int) -> tuple[str, int]:
    """The number starting at ``i`` (its text without thousands separators) and the index
    after it; ``depth`` counts the brackets open (a comma inside them separates arguments).

    >>> read_number("7,425,000 + 1", 0, 0), read_number("f(1,000)", 2, 1)
    (('7425000', 9), ('1', 3))
    >>> read_number("1 000", 0, 0), read_number("2.5e-3", 0, 0)
    (('1000', 5), ('2.5e-3', 6))
    """
    for pattern, separator in ((THOUSANDS_COMMA, ","), (THOUSANDS_SPACE, " ")):
        if separator == "," and depth:
            continue
        grouped = pattern.match(source, i)
        if grouped is not None:
            return grouped.group().replace(separator, ""), grouped.end()
    match = NUMBER.match(source, i)
    assert match is not None
    return match.group(), match.end()


@dataclass(frozen=True)
class Token:
    """A token: ``num``, ``name``, ``op`` (its text is the operator), ``post`` (``.T``),
    ``sup`` (a superscript: ``2``, ``3``, ``-1``, ``T``) or ``end``."""

    kind: str
    text: str
    column: int


def unexpected(char: str, column: int) -> InputError:
    """The error for a character the syntax does not allow."""
    hint = HINTS.get(char)
    return InputError(
        f"unexpected {describe_character(char)}" + (f"; {hint}" if hint else ""),
        column=column,
    )


def check_number(text: str, column: int, limits: Limits) -> None:
    """Refuse number literals too long or too large to be data."""
    if len(text) > limits.max_number_chars:
        raise InputError(
            f"number too long ({len(text)} characters; at most {limits.max_number_chars})",
            column=column,
        )
    _, _, exponent = text.lower().partition("e")
    if exponent and abs(int(exponent)) > MAX_DECIMAL_EXPONENT:
        raise InputError(
            f"number exponent too large (at most e±{MAX_DECIMAL_EXPONENT})", column=column
        )


def _is_letter(char: str) -> bool:
    return (char.isascii() and char.isalpha()) or char in GREEK


def _name_char(char: str) -> bool:
    return _is_letter(char) or (char.isascii() and (char.isdigit() or char == "_"))


GREEK_SUFFIX = re.compile(r"\d*(?:_[A-Za-z0-9]+)?")


def read_name(source: str, i: int) -> tuple[str, int]:
    """The name starting at ``i`` and the index after it. An ASCII name is letters, digits
    and ``_``; a Greek letter is a name by itself (``λθ`` is λ·θ), spelled out, with digits or
    a subscript (``θ0``, ``θ_max``)."""
    if source[i] in GREEK:
        match = GREEK_SUFFIX.match(source, i + 1)
        assert match is not None
        return GREEK[source[i]] + match.group(), match.end()
    start = i
    while i < len(source) and source[i].isascii() and _name_char(source[i]):
        i += 1
    return source[start:i], i


def _root(
    source: str, i: int, tokens: list[Token], depth: int, limits: Limits
) -> tuple[list[Token], int]:
    """``√`` at ``i``: ``√(…)`` is ``sqrt(…)``; ``√2`` and ``√x`` take the number or name
    right after it (``√2x`` is ``sqrt(2)*x``, as ``read`` shows); anything else is an error."""
    column, after = i + 1, source[i + 1 : i + 2]
    tokens.append(Token("name", "sqrt", column))
    if after == "(":
        return tokens, i + 1
    if after.isascii() and after.isdigit():
        text, end = read_number(source, i + 1, depth)
        check_number(text, column + 1, limits)
        operand = Token("num", text, column + 1)
    elif after and _is_letter(after) and after not in LOOKALIKES:
        text, end = read_name(source, i + 1)
        operand = Token("name", text, column + 1)
    else:
        raise InputError(
            "√ takes a number, a name or a bracket right after it: √2, √x, √(x + 1)",
            column=column,
        )
    tokens += [Token("op", "(", column + 1), operand, Token("op", ")", column + 1)]
    return tokens, end


def tokenize(source: str, limits: Limits = LIMITS) -> list[Token]:
    """Tokens of one expression in the text syntax, ending with an ``end`` token."""
    tokens: list[Token] = []
    i = 0
    depth = 0
    while i < len(source):
        char, column = source[i], i + 1
        if char in WHITESPACE:
            i += 1
            continue
        if (char.isascii() and char.isdigit()) or (char == "." and source[i + 1 : i + 2].isdigit()):
            text, i = read_number(source, i, depth)
            check_number(text, column, limits)
            if source[i : i + 1] == "%":  # 25% is 25/100 (the parser says so)
                text, i = text + "%", i + 1
            tokens.append(Token("num", text, column))
            continue
        if char == "√":
            tokens, i = _root(source, i, tokens, depth, limits)
            continue
        if char in EVENT_CHARACTERS:
            tokens.append(Token("name", EVENT_CHARACTERS[char], column))
            i += 1
            continue
        depth += (char in "([") - (char in ")]")
        if char in LOOKALIKES:
            raise InputError(
                f"{describe_character(char)} looks like a Latin letter; type the Latin one",
                column=column,
            )
        if _is_letter(char):
            name, i = read_name(source, i)
            if len(name) > MAX_NAME:
                raise InputError(f"name too long (at most {MAX_NAME} characters)", column=column)
            tokens.append(Token("name", name, column))
            continue
        if char == ".":
            if source[i + 1 : i + 2] == "T" and not _name_char(source[i + 2 : i + 3] or " "):
                tokens.append(Token("post", ".T", column))
                i += 2
                continue
            raise InputError(
                "'.' may only start a number or the transpose .T (no attribute access)",
                column=column,
            )
        if source.startswith("**", i):
            tokens.append(Token("op", "^", column))
            i += 2
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
        if char in OPERATORS:
            tokens.append(Token("op", char, column))
            i += 1
            continue
        if char in OPERATOR_CHARACTERS:
            tokens.append(Token("op", OPERATOR_CHARACTERS[char], column))
            i += 1
            continue
        raise unexpected(char, column)
    tokens.append(Token("end", "", len(source) + 1))
    return tokens
