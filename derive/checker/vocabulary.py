"""The words of the checker's syntax: functions with their arities, constants, Greek letters.

>>> FUNCTIONS["diff"].max_args is None
True
>>> GREEK["θ"]
'theta'
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Mapping
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
        "ReLU": "relu",
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


# Functions the parser reads as calls, evaluated outside FUNCTIONS (derive/checker/calls.py):
# the ML functions, the moments and probability (``E`` and ``P`` are single letters, read as
# calls only when undeclared and followed by a bracket), and the event operators in ``P(...)``.
READ_FUNCTIONS = MappingProxyType(
    {
        "softmax": Function(1, 1, "ml"),
        "logsumexp": Function(1, None, "ml"),
        "relu": Function(1, 1, "ml"),
        "max": Function(1, None, "ml"),
        "min": Function(1, None, "ml"),
        "mean": Function(1, None, "ml"),
        "E": Function(1, 1, "probability"),
        "Var": Function(1, 1, "probability"),
        "Cov": Function(2, 2, "probability"),
        "Corr": Function(2, 2, "probability"),
        "P": Function(1, 2, "probability"),
        "and": Function(2, 2, "event"),
        "or": Function(2, 2, "event"),
        "not": Function(1, 1, "event"),
    }
)
PROBABILITY_LETTERS = frozenset({"E", "P"})  # names unless followed by a bracket
EVENT_WORDS = frozenset({"and", "or", "not"})


def known_function(name: str) -> bool:
    """Whether ``name`` is a multi-letter function the parser reads as a call (any spelling,
    ``E`` and ``P`` excepted: they are names unless followed by a bracket)."""
    function = canonical(name)
    return is_function(name) or (function in READ_FUNCTIONS and function not in PROBABILITY_LETTERS)


def closest_function(name: str) -> str | None:
    """The known function whose spelling is closest to ``name`` (None if none is close).

    >>> closest_function("sinn"), closest_function("sofmax"), closest_function("zzzz")
    ('sin', 'softmax', None)
    """
    spellings = [*FUNCTIONS, *ALIASES, *(n for n in READ_FUNCTIONS if len(n) > 1)]
    spellings = [s for s in spellings if s not in EVENT_WORDS]
    close = difflib.get_close_matches(name, spellings, n=1, cutoff=0.6)
    if not close:
        close = difflib.get_close_matches(name.lower(), spellings, n=1, cutoff=0.6)
    return close[0] if close else None


def declared_kinds(given: Mapping[str, str] | None) -> dict[str, str]:
    """Each declared name with its kind's first word (``"X, Y": "independent random"`` declares
    both X and Y as ``random``).

    >>> declared_kinds({"f": "function", "A": "matrix 2 2", "X, Y": "independent random"})
    {'f': 'function', 'A': 'matrix', 'X': 'random', 'Y': 'random'}
    """
    kinds: dict[str, str] = {}
    for key, text in (given or {}).items():
        if not isinstance(key, str) or not isinstance(text, str):
            continue
        words = text.split()
        if words and words[0] == "independent":
            words = words[1:]
        kind = words[0] if words else ""
        for name in key.split(","):
            if name.strip():
                kinds[name.strip()] = kind
    return kinds


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
