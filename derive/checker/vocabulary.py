"""The words of the checker's syntax: functions with their arities, constants, Greek letters.

>>> FUNCTIONS["diff"].max_args is None
True
>>> GREEK["θ"]
'theta'
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True)
class Function:
    """A function of the syntax: how many arguments, and how it treats shapes."""

    min_args: int
    max_args: int | None  # None: any number
    kind: str  # elementwise | matrix | special


_ELEMENTWISE = [
    "sin",
    "cos",
    "tan",
    "cot",
    "sec",
    "csc",
    "asin",
    "acos",
    "atan",
    "sinh",
    "cosh",
    "tanh",
    "exp",
    "log",
    "sqrt",
    "abs",
    "sign",
    "sigmoid",
    "softplus",
    "erf",
    "erfc",
]

FUNCTIONS = MappingProxyType(
    {
        **{name: Function(1, 1, "elementwise") for name in _ELEMENTWISE},
        "log": Function(1, 2, "elementwise"),  # log(x, b): logarithm to base b
        "det": Function(1, 1, "matrix"),
        "tr": Function(1, 1, "matrix"),
        "inv": Function(1, 1, "matrix"),
        "transpose": Function(1, 1, "matrix"),
        "norm": Function(1, 2, "matrix"),  # norm(v), norm(v, 1), norm(v, 2)
        "sum": Function(1, 1, "matrix"),
        "eye": Function(1, 1, "special"),
        "ones": Function(1, 2, "special"),
        "zeros": Function(1, 2, "special"),
        "diff": Function(2, None, "special"),
    }
)

# Other spellings of the same functions.
ALIASES = MappingProxyType(
    {
        "ln": "log",
        "trace": "tr",
        "arcsin": "asin",
        "arccos": "acos",
        "arctan": "atan",
        "sgn": "sign",
        "Tr": "tr",
    }
)

CONSTANTS = ("e", "pi")  # Euler's number and π, unless a request declares the name

_GREEK_NAMES = [
    "alpha",
    "beta",
    "gamma",
    "delta",
    "epsilon",
    "zeta",
    "eta",
    "theta",
    "iota",
    "kappa",
    "lambda",
    "mu",
    "nu",
    "xi",
    "omicron",
    "pi",
    "rho",
    "sigma",
    "tau",
    "upsilon",
    "phi",
    "chi",
    "psi",
    "omega",
]

GREEK = MappingProxyType(
    {
        **{chr(0x03B1 + i + (i >= 17)): name for i, name in enumerate(_GREEK_NAMES)},
        **{chr(0x0391 + i + (i >= 17)): name.capitalize() for i, name in enumerate(_GREEK_NAMES)},
        "ς": "sigma",
        "ϵ": "epsilon",
        "ϑ": "theta",
        "ϕ": "phi",
    }
)

# Characters read as operators (typographic forms of the ASCII ones).
OPERATOR_CHARACTERS = MappingProxyType(
    {"−": "-", "–": "-", "·": "*", "⋅": "*", "×": "*", "÷": "/", "∗": "*"}
)

# Superscripts read as a power or a transpose.
SUPERSCRIPTS = MappingProxyType({"²": "2", "³": "3", "⁻¹": "-1", "ᵀ": "T"})

WHITESPACE = frozenset(" \t\r\n\u00a0")

# Greek letters that look like Latin ones are refused rather than silently read as Greek.
LOOKALIKES = frozenset("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧο")


def canonical(function: str) -> str:
    """The table name of a function spelling (``ln`` → ``log``)."""
    return ALIASES.get(function, function)


def is_function(name: str) -> bool:
    """Whether ``name`` is a function of the syntax (any spelling)."""
    return canonical(name) in FUNCTIONS


def describe_character(char: str) -> str:
    """``character 'а' (U+0430 CYRILLIC SMALL LETTER A)``: what a character really is.

    >>> describe_character("\u200d")
    'invisible character (U+200D ZERO WIDTH JOINER)'
    """
    name = unicodedata.name(char, "unnamed")
    if char.isprintable() and not char.isspace():
        return f"character {char!r} (U+{ord(char):04X} {name})"
    return f"invisible character (U+{ord(char):04X} {name})"
