"""Every sheet exercise is self-contained and worth asking, over every id and many seeds.

Self-contained: every symbol of the quantity asked for is given a value or named in the
question's own words, and every given input is used by that quantity or named in those words.
Worth asking: the answer is not zero, not one of the inputs, and no two number inputs are
equal. The symbols are read from the LaTeX here, independently of how the exercise was made.
"""

from __future__ import annotations

import re

import pytest
import sympy as sp

from derive.catalog import CATALOG, get, ids
from derive.render.exercises import TEMPLATES, exercise_for, template_for
from derive.render.tex import tex

ALL = list(ids())
SEEDS = range(4)

GREEK = frozenset(
    {
        "alpha",
        "beta",
        "gamma",
        "delta",
        "epsilon",
        "varepsilon",
        "zeta",
        "eta",
        "theta",
        "vartheta",
        "iota",
        "kappa",
        "lambda",
        "mu",
        "nu",
        "xi",
        "pi",
        "rho",
        "sigma",
        "tau",
        "upsilon",
        "phi",
        "varphi",
        "chi",
        "psi",
        "omega",
        "Gamma",
        "Delta",
        "Theta",
        "Lambda",
        "Xi",
        "Pi",
        "Sigma",
        "Phi",
        "Psi",
        "Omega",
        "ell",
    }
)
# the quantity asked for may be one new symbol, named by the words around it
NAME = re.compile(r"\\?[A-Za-z]+(_\{[^{}]*\})?(\^\{?2\}?)?")
WORDS = re.compile(r"\\(?:operatorname|text|mathrm|mathbf|begin|end)\{[^{}]*\}")
DERIVATIVE = re.compile(r"\\frac\{d\}\{d ?|\\partial")
ACCENT = re.compile(r"\\(hat|bar|tilde)\{(\\?[A-Za-z]+)\}")
TOKEN = re.compile(r"\\([A-Za-z]+)|([A-Za-z])")


def symbols(latex: str) -> set[str]:
    """The symbols of LaTeX math, subscripts dropped: x_{i} -> x, \\hat{y} -> hat y.

    >>> sorted(symbols(r"\\operatorname{E}[a G + b] + \\frac{d}{dx} x^{n} + \\sigma_{q}"))
    ['G', 'a', 'b', 'n', 'sigma', 'x']
    """
    text = WORDS.sub(" ", latex)
    text = DERIVATIVE.sub(" ", text)
    found = set()
    for m in ACCENT.finditer(text):  # x̄ is a statistic of x: both count
        base = m.group(2).lstrip("\\")
        found |= {f"{m.group(1)} {base}", base}
    text = ACCENT.sub(" ", text)
    text = re.sub(r"_\{[^{}]*\}|_[A-Za-z0-9]", " ", text)
    for command, letter in TOKEN.findall(text):
        if letter:
            found.add(letter)
        elif command in GREEK:
            found.add(command)
    return found


def _math(text: str) -> str:
    return " ".join(re.findall(r"\$([^$]*)\$", text))


def problems(name: str, question: str, lhs: str, inputs: list[str], asked_text: str) -> list[str]:
    """What the question ``asked_text`` (made from template ``question``) leaves undefined."""
    prose = question.replace("{lhs}", "").replace("{given}", "")
    prose_symbols = symbols(_math(prose.replace("{{", "{").replace("}}", "}")))
    asked = symbols(lhs)
    named = set() if NAME.fullmatch(lhs.strip()) else asked  # "compute its variance Σ"
    given = symbols(" ".join(re.findall(r"\$([^$=]*) =", asked_text))) & set().union(
        *(symbols(_name(name, arg)) for arg in inputs)
    )
    undefined = sorted(named - given - prose_symbols)
    unused = sorted(given - asked - prose_symbols)
    return [f"{s} not defined" for s in undefined] + [f"input {s} unexplained" for s in unused]


@pytest.mark.parametrize("name", ALL)
def test_every_symbol_is_defined_in_the_question(name: str) -> None:
    template = template_for(CATALOG[name])
    lhs = template.lhs or tex(get(name).twins[0].formula.lhs)
    for seed in SEEDS:
        ex = exercise_for(name, seed)
        found = problems(name, template.question, lhs, list(ex.inputs), ex.question)
        assert not found, f"{name} seed {seed}: {found}: {ex.question}"


@pytest.mark.parametrize(
    ("name", "wanted"),
    [
        ("expectation-linearity", ["G not defined", "input k unexplained"]),
        ("probability-rules", ["A not defined", "B not defined", "input a unexplained"]),
        ("normal-distribution", ["t not defined", "input x unexplained"]),
        ("hessian-convexity", ["x not defined", "y not defined"]),
    ],
)
def test_the_generic_wording_is_caught(name: str, wanted: list[str]) -> None:
    """The wording the issue found (Compute <lhs> for <inputs>) fails the check."""
    from derive.render.exercises import DEFAULT, _given

    ex = exercise_for(name, 7)
    twin = get(name).twins[0]
    lhs = tex(twin.formula.lhs)
    asked = DEFAULT.question.format(lhs=lhs, given=_given(twin, ex.inputs))
    found = problems(name, DEFAULT.question, lhs, list(ex.inputs), asked)
    assert set(wanted) <= set(found), found


def _name(identifier: str, arg: str) -> str:
    from derive.render.exercises import _name_tex

    twin = next(t for t in get(identifier).twins if arg in {a.name for a in t.args})
    return _name_tex(twin, arg)


@pytest.mark.parametrize("name", ALL)
def test_no_instance_is_trivial(name: str) -> None:
    for seed in SEEDS:
        ex = exercise_for(name, seed)
        values = list(ex.value) if isinstance(ex.value, (tuple, sp.MatrixBase)) else [ex.value]
        assert any(sp.sympify(v) != 0 for v in values), f"{name} seed {seed}: answer 0"
        for arg, given in ex.inputs.items():
            assert given != ex.value, f"{name} seed {seed}: the answer is the input {arg}"
        numbers = [v for v in ex.inputs.values() if not isinstance(v, sp.MatrixBase)]
        assert len(set(numbers)) == len(numbers), f"{name} seed {seed}: equal inputs {numbers}"


def test_every_derivation_has_its_own_wording() -> None:
    assert set(TEMPLATES) == set(ALL)
    questions = [TEMPLATES[name].question for name in ALL]
    assert len(set(questions)) == len(questions)


@pytest.mark.parametrize(
    ("latex", "wanted"),
    [
        (r"\operatorname{P}(A \cup B)", {"A", "B"}),
        (r"\hat{\sigma}^{2} + \hat{y}", {"hat sigma", "sigma", "hat y", "y"}),
        (r"\lambda_{1}, \lambda_{2}", {"lambda"}),
        (r"\left[\begin{matrix}1 & 2\end{matrix}\right]", set()),
    ],
)
def test_symbols_reads_latex(latex: str, wanted: set[str]) -> None:
    assert symbols(latex) == wanted
