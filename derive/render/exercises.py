"""Randomised numeric exercises with verified answers, drawn from any derivation's twin.

>>> ex = exercise(get("inverse-2x2"), seed=1)
>>> ex.confirmed_by
'np.linalg.inv'
>>> sorted(ex.inputs)
['A']

The generator is generic over the catalog: from a derivation's primary numeric twin it draws
small exact inputs (integers, tenths for probabilities) that satisfy each symbol's domain and the
twin's ``valid`` mask, evaluates the SymPy result *exactly* (Rationals, radicals) for the answer,
and confirms that answer against the twin's independent reference before it is used. Among a
few admissible draws it keeps the one with the shortest exact answer (and fewest zero inputs),
so sheets stay workable by hand. A catalog entry can ask for a nicer wording, another twin or
an input generator registered in ``DRAWS`` through the ``Exercise`` in its ``ENTRY``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import numpy as np
import sympy as sp

from derive.catalog import CATALOG, get
from derive.catalog.common import fmt
from derive.catalog.entry import Entry
from derive.catalog.plugins import later
from derive.core.functions import expand_definitions
from derive.core.model import Domain
from derive.numeric.derivation import Derivation
from derive.numeric.twin import Twin
from derive.reasoning.verify import seed_for
from derive.render.tex import tex

ATTEMPTS = 400  # random draws tried before giving up on an admissible input
CANDIDATES = 6  # admissible draws whose exact answers are compared for simplicity


class ExerciseError(RuntimeError):
    """No admissible input was found, or the reference disagrees with the exact answer."""


@dataclass(frozen=True)
class Template:
    """A nicer wording for one derivation's exercise.

    ``question`` is LaTeX text with ``{lhs}`` (the quantity asked for, as math) and ``{given}``
    (the drawn inputs, as math); ``twin`` names the twin to draw from (default: the first);
    ``lhs`` is LaTeX naming the quantity (default: the twin's result ``lhs``), for results whose
    left side is itself a formula.
    """

    question: str
    twin: str = ""
    lhs: str = ""
    # Exact inputs by argument name, for domains the generic small-integer draw cannot hit
    # (a row-stochastic link matrix); the answer is still computed and confirmed as usual.
    draw: Callable[[np.random.Generator], dict[str, Any]] | None = None


DEFAULT = Template(r"Compute ${lhs}$ for {given}.")


def link_matrix(rng: np.random.Generator, pages: int = 3) -> dict[str, Any]:
    """A random web of ``pages`` pages (each with 1 or 2 outgoing links, no self-links) as an
    exact row-stochastic matrix M, and a damping factor d in tenths."""
    rows = []
    for i in range(pages):
        others = [j for j in range(pages) if j != i]
        targets = set(rng.choice(others, size=int(rng.integers(1, 3)), replace=False).tolist())
        rows.append([sp.Rational(1, len(targets)) if j in targets else 0 for j in range(pages)])
    d = sp.Rational(int(rng.integers(5, 10)), 10)
    return {"M": sp.ImmutableMatrix(rows), "d": d}


def edge_weights(rng: np.random.Generator, nodes: int = 4) -> dict[str, Any]:
    """Symmetric nonnegative edge weights W (0 to 3, no self-loops) of a graph on ``nodes``
    nodes, each node with at least one edge."""
    while True:
        upper = np.triu(rng.integers(0, 4, size=(nodes, nodes)), 1)
        weights = upper + upper.T
        if np.all(weights.sum(axis=1) > 0):
            return {"W": sp.ImmutableMatrix(weights.tolist())}


def binary_label(rng: np.random.Generator) -> dict[str, Any]:
    """A nonzero integer logit z in [−3, 3] and a label y in {0, 1}."""
    z = int(rng.choice([-3, -2, -1, 1, 2, 3]))
    return {"z": sp.Integer(z), "y": sp.Integer(int(rng.integers(0, 2)))}


def one_hot(rng: np.random.Generator, classes: int = 3) -> dict[str, Any]:
    """Integer logits z in [−2, 2] (not all equal) and a one-hot label y over ``classes``."""
    while True:
        z = rng.integers(-2, 3, size=classes)
        if len(set(z.tolist())) > 1:
            break
    y = [int(k == rng.integers(0, classes)) for k in range(classes)]
    if sum(y) != 1:
        y = [int(k == 0) for k in range(classes)]
    return {"z": sp.ImmutableMatrix(z.tolist()), "y": sp.ImmutableMatrix(y)}


# input generator name -> function; a catalog entry's Exercise names one in ``draw``.
DRAWS: Mapping[str, Callable[[np.random.Generator], dict[str, Any]]] = MappingProxyType(
    {
        "link_matrix": link_matrix,
        "edge_weights": edge_weights,
        "binary_label": binary_label,
        "one_hot": one_hot,
    }
)


def template_for(entry: Entry) -> Template:
    """The wording of an entry's exercise: its own ``Exercise``, else ``DEFAULT``.

    >>> from derive.catalog import CATALOG
    >>> template_for(CATALOG["pagerank"]).draw is link_matrix
    True
    """
    wording = entry.exercise
    if wording is None:
        return DEFAULT
    draw = None
    if wording.draw is not None:
        if wording.draw not in DRAWS:
            raise LookupError(
                f"{entry.module}: its Exercise names the input generator {wording.draw!r}; "
                f"derive.render.exercises has {', '.join(DRAWS)}"
            )
        draw = DRAWS[wording.draw]
    return Template(wording.question, twin=wording.twin or "", lhs=wording.lhs or "", draw=draw)


def _template_or_report(entry: Entry) -> Template | None:
    """``template_for``, except that a plug-in entry naming an unknown input generator is
    reported (one line, ``derive.catalog.problems()``) and given the default wording."""
    try:
        return template_for(entry)
    except LookupError as error:
        if entry.builtin:
            raise
        later(entry, error)
        return None


# id -> wording, for the catalog entries that have one (read from the entries, not stated
# here); any other id uses DEFAULT.
TEMPLATES: Mapping[str, Template] = MappingProxyType(
    {
        i: template
        for i, entry in CATALOG.items()
        if entry.exercise is not None and (template := _template_or_report(entry)) is not None
    }
)


@dataclass(frozen=True)
class Exercise:
    """One numeric exercise: LaTeX question and answer, the exact values behind them."""

    id: str
    title: str
    question: str  # LaTeX text, math in $...$
    answer: str  # LaTeX text, math in $...$
    plain: str  # the exact answer in plain text, e.g. "[[1/5, 3/20], [0, 1/4]]"
    inputs: Mapping[str, Any]  # exact SymPy values by the twin's argument name
    value: Any  # the exact answer (a number, a Matrix, or a tuple of numbers)
    confirmed_by: str  # the independent reference that agreed with the exact answer
    error: float  # largest relative difference between reference and exact answer


def _draw(rng: np.random.Generator, domain: Domain) -> sp.Rational:
    """A small exact value from a domain (hand-friendly: integers, tenths)."""
    if domain is Domain.PROBABILITY:
        return sp.Rational(int(rng.integers(1, 10)), 10)
    if domain is Domain.COUNT:
        return sp.Integer(int(rng.integers(2, 9)))
    if domain is Domain.POSITIVE:
        return sp.Integer(int(rng.integers(1, 7)))
    if domain is Domain.NONZERO:
        return sp.Integer(int(rng.choice([-5, -4, -3, -2, -1, 1, 2, 3, 4, 5])))
    return sp.Integer(int(rng.integers(-5, 6)))


def _bound_domain(derivation: Derivation, matrix: Any) -> Domain:
    """The domain of the MatrixSymbol bound to an explicit matrix (general by default)."""
    for symbol, value in derivation.bindings.items():
        if value == matrix:
            return derivation.domain_of(symbol)
    return Domain.MATRIX


def _ordered_symbols(matrix: sp.MatrixBase) -> list[Any]:
    """The symbols of a matrix's entries in row-major order (sets have no stable order)."""
    seen: dict[Any, None] = {}
    for entry in matrix:
        for symbol in sorted(entry.free_symbols, key=sp.default_sort_key):
            seen.setdefault(symbol, None)
    return list(seen)


def _dims(derivation: Derivation, twin: Twin) -> dict[Any, int]:
    """Concrete sizes for the free dimensions of matrix-mode twins (3 unless declared)."""
    sizes: dict[Any, int] = dict(derivation.sizes[0]) if derivation.sizes else {}
    for arg in twin.args:
        if isinstance(arg.value, sp.MatrixSymbol):
            for dim in arg.value.shape:
                for free in sorted(sp.sympify(dim).free_symbols, key=sp.default_sort_key):
                    sizes.setdefault(free, 3)
    return sizes


def _matrix(rng: np.random.Generator, rows: int, cols: int, domain: Domain) -> sp.ImmutableMatrix:
    M = sp.Matrix(rows, cols, lambda i, j: _draw(rng, Domain.REAL))
    if domain is Domain.SPD:
        return sp.ImmutableMatrix(M * M.T + sp.eye(rows))
    if domain is Domain.SYMMETRIC:
        return sp.ImmutableMatrix(rows, rows, lambda i, j: M[min(i, j), max(i, j)])
    return sp.ImmutableMatrix(M)


@dataclass(frozen=True)
class _Draw:
    inputs: dict[str, Any]  # exact values by argument name
    subs: dict[Any, Any]  # symbol -> exact value, for the SymPy result


def given_inputs(twin: Twin, inputs: dict[str, Any], sizes: dict[Any, int]) -> _Draw:
    """A template's exact inputs, with the substitution the SymPy result needs."""
    subs: dict[Any, Any] = dict(sizes)
    for arg in twin.args:
        value, given = arg.value, inputs[arg.name]
        if isinstance(value, sp.MatrixSymbol):
            subs.update(zip(value.shape, given.shape, strict=True))
            subs[value] = given
        elif isinstance(value, sp.MatrixBase):
            subs.update(zip(value, given, strict=True))
        else:
            subs[value] = given
    return _Draw(dict(inputs), subs)


def _draw_inputs(
    rng: np.random.Generator, derivation: Derivation, twin: Twin, sizes: dict[Any, int]
) -> _Draw | None:
    template = TEMPLATES.get(derivation.id, DEFAULT)
    if template.draw is not None:
        return given_inputs(twin, template.draw(rng), sizes)
    inputs: dict[str, Any] = {}
    subs: dict[Any, Any] = dict(sizes)
    for arg in twin.args:
        value = arg.value
        if isinstance(value, sp.MatrixSymbol):
            rows, cols = (int(sp.sympify(d).xreplace(sizes)) for d in value.shape)
            M = _matrix(rng, rows, cols, derivation.domain_of(value))
            inputs[arg.name] = M
            subs[value] = M
        elif isinstance(value, sp.MatrixBase):
            domain = _bound_domain(derivation, value)
            for entry in _ordered_symbols(value):
                _draw_symbol(rng, derivation, entry, subs)
            M = sp.ImmutableMatrix(value.xreplace(subs))
            if domain is Domain.SPD and not M.is_positive_definite:
                return None
            inputs[arg.name] = M
        else:
            _draw_symbol(rng, derivation, value, subs)
            inputs[arg.name] = subs[value]
    return _Draw(inputs, subs)


def _draw_symbol(
    rng: np.random.Generator, derivation: Derivation, symbol: Any, subs: dict[Any, Any]
) -> None:
    """Draw ``symbol`` into ``subs``; a symbol the derivation binds (a constraint such as
    y₃ ↦ 1 − y₁ − y₂) takes its bound value, from draws of the symbols it depends on."""
    if symbol in subs:
        return
    bound = derivation.bindings.get(symbol) if isinstance(symbol, sp.Symbol) else None
    if bound is None:
        subs[symbol] = _draw(rng, derivation.domain_of(symbol))
        return
    for free in sorted(sp.sympify(bound).free_symbols, key=sp.default_sort_key):
        _draw_symbol(rng, derivation, free, subs)
    subs[symbol] = sp.sympify(bound).xreplace(subs)


def _array(arg_value: Any, exact: Any) -> np.ndarray:
    """A batch of one NumPy input in the twin's conventions."""
    if isinstance(exact, sp.MatrixBase):
        array = np.array(exact.tolist(), dtype=float)
        if exact.shape[1] == 1:
            array = array[:, 0]
        return array[None]
    return np.array([float(exact)])


def _outputs(expr: Any) -> list[Any] | None:
    """The parts of a FiniteSet/Tuple result, in the order the twin stacks them."""
    if isinstance(expr, (sp.FiniteSet, sp.Tuple)):
        return list(expr.args)
    if isinstance(expr, (tuple, list)):
        return list(expr)
    return None


def _simplify(value: Any) -> Any:
    value = expand_definitions(sp.sympify(value))
    if hasattr(value, "doit"):
        value = value.doit()
    if isinstance(value, sp.MatrixExpr) and not isinstance(value, sp.MatrixBase):
        value = value.as_explicit()
    if isinstance(value, sp.MatrixBase):
        if value.shape == (1, 1):
            return sp.nsimplify(sp.simplify(value[0, 0]), rational=False)
        return sp.ImmutableMatrix(value.applyfunc(sp.simplify))
    return sp.simplify(value)


def _plain(expr: Any) -> Any:
    """``expr`` without the UnevaluatedExpr wrappers a stable form uses to fix the order of
    floating-point work; exact evaluation needs none of them (and Max cannot compare them)."""
    wrapped = expr.atoms(sp.UnevaluatedExpr) if hasattr(expr, "atoms") else set()
    while wrapped:
        expr = expr.xreplace({u: u.args[0] for u in wrapped})
        wrapped = expr.atoms(sp.UnevaluatedExpr)
    return expr


def exact_answer(twin: Twin, subs: Mapping[Any, Any]) -> Any:
    """The twin's SymPy result evaluated exactly at ``subs``."""
    parts = _outputs(twin.expr)
    if parts is not None:
        return tuple(_simplify(_plain(p).xreplace(dict(subs))) for p in parts)
    return _simplify(_plain(twin.expr).xreplace(dict(subs)))


def _numeric(value: Any) -> np.ndarray:
    if isinstance(value, tuple):
        return np.array([complex(sp.N(v, 30)) for v in value])
    if isinstance(value, sp.MatrixBase):
        array = np.array([[complex(sp.N(v, 30)) for v in row] for row in value.tolist()])
        return array[:, 0] if value.shape[1] == 1 else array
    return np.array(complex(sp.N(value, 30)))


def _real(array: np.ndarray) -> np.ndarray:
    return array.real if np.all(np.abs(array.imag) <= 1e-12 * (1 + np.abs(array.real))) else array


def _relative_error(got: np.ndarray, want: np.ndarray, floor: float = 1e-300) -> float:
    """max |got − want|/|want|, where entries below ``floor`` count as ``floor`` (an exact 0
    is matched to within the twin's absolute tolerance, not relatively)."""
    scale = np.maximum(np.abs(want), floor)
    return float(np.max(np.abs(got - want) / scale)) if want.size else 0.0


def _score(value: Any, inputs: Mapping[str, Any]) -> int:
    """Lower is better: a short exact answer, from inputs without zeros (which make it trivial)."""
    entries = [v for x in inputs.values() for v in (x if isinstance(x, sp.MatrixBase) else [x])]
    return len(sp.sstr(value)) + 4 * sum(1 for v in entries if v == 0)


def trivial(value: Any, inputs: Mapping[str, Any]) -> str | None:
    """Why an instance is too easy to be worth asking, or None: its answer is zero, or is one of
    its inputs, or two of its number inputs are equal (ŷ = y, k = n, x = μ).

    >>> trivial(sp.Rational(2, 5), {"p": sp.Rational(2, 5)})
    'the answer is the input p'
    >>> trivial(sp.Integer(6), {"a": sp.Integer(2), "b": sp.Integer(3)}) is None
    True
    """
    items = list(value) if isinstance(value, (tuple, sp.MatrixBase)) else [value]
    if all(sp.sympify(v) == 0 for v in items):
        return "the answer is zero"
    numbers = {n: v for n, v in inputs.items() if not isinstance(v, sp.MatrixBase)}
    for name, given in inputs.items():
        if isinstance(given, sp.MatrixBase) == isinstance(value, sp.MatrixBase):
            same = (
                given == value if isinstance(given, sp.MatrixBase) else sp.sympify(value) == given
            )
            if same:
                return f"the answer is the input {name}"
    seen: dict[Any, str] = {}
    for name, given in numbers.items():
        if given in seen:
            return f"{seen[given]} and {name} are equal"
        seen[given] = name
    return None


def _pick_twin(derivation: Derivation, template: Template) -> Twin:
    if not template.twin:
        return derivation.twins[0]
    for twin in derivation.twins:
        if twin.name == template.twin:
            return twin
    names = ", ".join(t.name for t in derivation.twins)
    raise ExerciseError(f"{derivation.id}: template names twin {template.twin!r}; it has {names}")


def _value_latex(value: Any) -> str:
    if isinstance(value, tuple):
        return ", ".join(tex(v) for v in value)
    return tex(value)


def _decimal(number: complex | float) -> str:
    r"""Four significant digits as maths: 0.1667, 6.692 \times 10^{-5} (never 6.692e-05).

    >>> _decimal(6.6923e-05), _decimal(-1.2247), _decimal(1.5 + 2j)
    ('6.692 \\times 10^{-5}', '-1.225', '1.5 + 2i')
    """
    if isinstance(number, complex):
        sign = "+" if number.imag >= 0 else "-"
        return f"{_decimal(number.real)} {sign} {_decimal(abs(number.imag))}i"
    text = f"{number:.4g}"
    if "e" not in text:
        return text
    mantissa, exponent = text.split("e")
    return rf"{mantissa} \times 10^{{{int(exponent)}}}"


def _approx(value: Any) -> str:
    """``\\approx 0.1667`` when the exact answer is not a plain rational."""
    items = list(value) if isinstance(value, (tuple, sp.MatrixBase)) else [value]
    if all(sp.sympify(v).is_Rational for v in items):
        return ""
    numbers = _real(np.atleast_1d(_numeric(value)).ravel())
    shown = ", ".join(_decimal(v) for v in numbers.tolist())
    return rf" \approx {shown}" if len(numbers) == 1 else rf" \approx ({shown})"


def _name_tex(twin: Twin, name: str) -> str:
    r"""An input's name as math: the argument name (\hat{y} for yhat), or the symbol's own
    spelling when the name is only a plain-text stand-in for it (``lam`` for λ).

    >>> from derive.catalog import get
    >>> _name_tex(get("regularization-gradients").twins[0], "lam")
    '\\lambda'
    """
    shown = tex(sp.Symbol(name))
    arg = next((a for a in twin.args if a.name == name), None)
    if arg is not None and isinstance(arg.value, sp.Symbol) and len(name) > 1 and shown == name:
        return tex(arg.value)
    return shown


def _given(twin: Twin, inputs: Mapping[str, Any]) -> str:
    parts = [f"${_name_tex(twin, name)} = {tex(value)}$" for name, value in inputs.items()]
    if len(parts) <= 2:
        return " and ".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def exercise(derivation: Derivation, seed: int = 0) -> Exercise:
    """A seeded numeric exercise for one derivation, its answer confirmed by the reference."""
    template = TEMPLATES.get(derivation.id, DEFAULT)
    twin = _pick_twin(derivation, template)
    rng = np.random.default_rng([seed, seed_for(derivation.id)])
    sizes = _dims(derivation, twin)
    best: tuple[int, _Draw, Any, dict[str, np.ndarray]] | None = None
    admissible = 0
    for _ in range(ATTEMPTS):
        draw = _draw_inputs(rng, derivation, twin, sizes)
        if draw is None:
            continue
        arrays = {a.name: _array(a.value, draw.inputs[a.name]) for a in twin.args}
        out = np.asarray(twin(**arrays))[0]
        if not np.all(np.isfinite(out)):
            continue
        value = exact_answer(twin, draw.subs)
        if not np.all(np.isfinite(_numeric(value))) or trivial(value, draw.inputs):
            continue
        admissible += 1
        score = _score(value, draw.inputs)
        if best is None or score < best[0]:
            best = (score, draw, value, arrays)
        if admissible >= CANDIDATES:
            break
    if best is None:
        raise ExerciseError(f"{derivation.id}: no admissible input in {ATTEMPTS} draws")
    _, draw, value, arrays = best
    want = _real(_numeric(value))
    reference = np.asarray(twin.reference(**arrays))[0]
    twin_out = np.asarray(twin(**arrays))[0]
    for label, got in ((twin.reference.name, reference), (f"twin {twin.name}", twin_out)):
        if got.shape != want.shape or not np.allclose(
            got, want, rtol=max(twin.rtol, 1e-9), atol=twin.atol
        ):
            raise ExerciseError(
                f"{derivation.id}: {label} gives {got.tolist()} but the exact answer is "
                f"{sp.sstr(value)} at {draw.inputs}"
            )
    lhs = template.lhs or tex(twin.formula.lhs)
    question = template.question.format(lhs=lhs, given=_given(twin, draw.inputs))
    shown = _value_latex(value)
    if isinstance(value, tuple) and lhs.lstrip().startswith("("):  # (∂f/∂x, ∂f/∂y) = (0, 2)
        shown = rf"\left({shown}\right)"
    answer = f"${lhs} = {shown}{_approx(value)}$"
    return Exercise(
        id=derivation.id,
        title=derivation.title,
        question=question,
        answer=answer,
        plain=", ".join(fmt(v) for v in value) if isinstance(value, tuple) else fmt(value),
        inputs=MappingProxyType(draw.inputs),
        value=value,
        confirmed_by=twin.reference.name,
        error=_relative_error(reference, want, twin.atol / twin.rtol),
    )


@functools.cache
def exercise_for(identifier: str, seed: int = 0) -> Exercise:
    """``exercise(get(identifier), seed)``, cached."""
    return exercise(get(identifier), seed)
