r"""The exported form of the sheets' exercises: N distinct variants per derivation, each with
its answer type (numerical, Cloze parts, or multiple choice from recorded mistakes).

>>> from derive.catalog import get
>>> [v.kind for v in variants(get("dot-product"), count=1, seed=0)]
['numerical']
>>> html_text(r"Compute $a < b$ & more")
'Compute \\(a &lt; b\\) &amp; more'

The exercises are the sheets' (``derive.render.exercises``): the same generator, the same
exact answers confirmed against each twin's independent reference, the same self-contained
wording and the same refusal of trivial instances. Variant ``k`` of a derivation under seed
``S`` is the exercise of seed ``S * 10_000 + k`` (later seeds are tried when two draws give the
same instance), so that two export seeds never share a seed of the generator.

The answer type: a number is *numerical* (a relative tolerance, 0.1 %); a vector, a matrix or
several numbers is *multichoice* when at least two of the derivation's recorded mistakes,
evaluated at the same inputs, give distinct wrong answers of the same quantity ("which of
these is A⁻¹?": every distractor is a recorded mistake, its explanation the feedback), and
otherwise *cloze*: one numerical blank per entry.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sympy as sp

from derive.numeric.derivation import Derivation
from derive.render.exercises import (
    DEFAULT,
    TEMPLATES,
    Exercise,
    ExerciseError,
    _dims,
    _pick_twin,
    _simplify,
    exercise,
    given_inputs,
)
from derive.render.tex import tex

RELATIVE = 1e-3  # a numerical answer's tolerance, relative to its size
ABSOLUTE = 1e-3  # the tolerance of an entry whose exact value is 0
SMALLEST = 1e-4  # an answer smaller than this (but not 0) is not asked as a decimal
STRIDE = 10_000  # generator seeds per export seed
TRIES = 4  # generator seeds tried per variant wanted


@dataclass(frozen=True)
class Choice:
    """One option of a multiple-choice question."""

    latex: str  # the option as math (no delimiters)
    correct: bool
    feedback: str  # plain text


@dataclass(frozen=True)
class Part:
    """One number to enter: its label (math, may be empty), exact value and tolerance."""

    label: str
    value: float
    tolerance: float


@dataclass(frozen=True)
class Variant:
    """One exported question."""

    id: str
    title: str
    number: int  # 1-based, within its derivation
    seed: int  # the generator seed of its exercise
    kind: str  # "numerical" | "cloze" | "multichoice"
    question: str  # LaTeX text, math in $...$ (the sheet's wording)
    lhs: str  # the quantity asked for, as math
    answer: str  # the sheet's answer line (LaTeX text)
    shape: tuple[int, int] | None  # rows, columns of a matrix or vector answer
    parts: tuple[Part, ...]  # numerical and cloze: the numbers to enter (row-major)
    choices: tuple[Choice, ...]  # multichoice: the options, the correct one first
    confirmed_by: str
    exercise: Exercise


def html_text(latex_text: str) -> str:
    r"""LaTeX text with math in ``$…$`` as HTML with Moodle's and MathJax's ``\( … \)``."""
    escaped = html.escape(latex_text, quote=False)
    return re.sub(r"\$([^$]*)\$", lambda m: rf"\({m.group(1)}\)", escaped)


def _entries(value: Any) -> list[Any]:
    if isinstance(value, (tuple, sp.Tuple)):
        return list(value)
    if isinstance(value, sp.MatrixBase):
        return list(value)
    return [value]


def _real(entry: Any) -> float | None:
    """A finite real float of an exact entry, or None."""
    try:
        number = complex(sp.N(entry, 30))
    except (TypeError, ValueError, AttributeError):
        return None
    if abs(number.imag) > 1e-12 * (1 + abs(number.real)) or not math.isfinite(number.real):
        return None
    return float(number.real)


def tolerance(value: float) -> float:
    """The accepted error of an answer: 0.1 % of it, or 0.001 for an exact 0.

    >>> tolerance(-2.5), tolerance(0.0)
    (0.0025, 0.001)
    """
    return abs(value) * RELATIVE if value else ABSOLUTE


def _lhs(derivation: Derivation) -> str:
    template = TEMPLATES.get(derivation.id, DEFAULT)
    return template.lhs or tex(_pick_twin(derivation, template).formula.lhs)


def _labels(lhs: str, value: Any) -> list[str]:
    if isinstance(value, sp.MatrixBase):
        rows, cols = value.shape
        name = lhs if re.fullmatch(r"\\?[A-Za-z]+", lhs.strip()) else f"\\left({lhs}\\right)"
        if cols == 1:
            return [f"{name}_{{{i + 1}}}" for i in range(rows)]
        return [f"{name}_{{{i + 1}{j + 1}}}" for i in range(rows) for j in range(cols)]
    if isinstance(value, tuple):
        names = [p.strip() for p in lhs.strip().strip("()").replace(r"\left", "").split(",")]
        names = [re.sub(r"^(\\ )+", "", n.strip()).strip() for n in names]
        if len(names) == len(value):
            return names
        return [f"\\text{{number {i + 1}}}" for i in range(len(value))]
    return [lhs]


def _same(a: Any, b: Any) -> bool:
    """Whether two exact answers are equal (as numbers, entry by entry)."""
    ea, eb = _entries(a), _entries(b)
    if len(ea) != len(eb) or isinstance(a, sp.MatrixBase) != isinstance(b, sp.MatrixBase):
        return False
    if isinstance(a, sp.MatrixBase) and a.shape != b.shape:
        return False
    for x, y in zip(ea, eb, strict=True):
        fx, fy = _real(x), _real(y)
        if fx is None or fy is None or abs(fx - fy) > 1e-9 * (1 + abs(fx)):
            return False
    return True


def _evaluated(expr: Any, bindings: dict[Any, Any], subs: dict[Any, Any]) -> Any | None:
    """``expr`` at the exercise's inputs, exactly (the derivation's bound names, such as a
    MatrixSymbol bound to its entries, put in first); None where names are left or it fails."""
    try:
        expr = sp.sympify(expr)
        for _ in range(3):
            expr = expr.xreplace(bindings)
        value = _simplify(expr.xreplace(subs))
    except Exception:  # a mistake SymPy cannot evaluate at these inputs is not offered
        return None
    if isinstance(value, sp.MatrixBase) and value.shape[1] == 1 and value.shape[0] == 1:
        value = value[0, 0]
    free: set[Any] = getattr(value, "free_symbols", set())
    if free or any(_real(e) is None for e in _entries(value)):
        return None
    if any(isinstance(e, sp.MatrixExpr) for e in _entries(value)):
        return None
    return value


def distractors(derivation: Derivation, ex: Exercise) -> list[tuple[Any, str]]:
    """The recorded mistakes of the quantity asked, at the exercise's inputs: (wrong value,
    explanation), distinct from the answer and from each other, in the catalog's order."""
    template = TEMPLATES.get(derivation.id, DEFAULT)
    twin = _pick_twin(derivation, template)
    subs = given_inputs(twin, dict(ex.inputs), _dims(derivation, twin)).subs
    bindings = dict(derivation.bindings)
    found: list[tuple[Any, str]] = []
    for mistake in derivation.mistakes:
        true = _evaluated(mistake.lhs, bindings, subs)
        if true is None or not _same(true, ex.value):
            continue
        wrong = _evaluated(mistake.rhs, bindings, subs)
        if wrong is None or _same(wrong, ex.value) or any(_same(wrong, w) for w, _ in found):
            continue
        if isinstance(wrong, sp.MatrixBase) != isinstance(ex.value, sp.MatrixBase):
            continue
        found.append((wrong, mistake.explanation))
    return found


def _value_tex(value: Any) -> str:
    if isinstance(value, tuple):
        return r"\left(" + ", ".join(tex(v) for v in value) + r"\right)"
    return tex(value)


def _eigen_order(lhs: str, value: Any) -> Any:
    """Several eigenvalues are asked smallest first (the order is otherwise the twin's)."""
    if isinstance(value, tuple) and r"\lambda" in lhs:
        reals = [_real(v) for v in value]
        if all(r is not None for r in reals):
            keyed = [(float(r or 0.0), k) for k, r in enumerate(reals)]
            return tuple(value[k] for _, k in sorted(keyed))
    return value


def variant(derivation: Derivation, ex: Exercise, number: int, seed: int) -> Variant | None:
    """The exported form of one exercise; None when it cannot be asked as numbers (a complex
    or non-finite entry, or a nonzero entry too small for a decimal answer)."""
    lhs = _lhs(derivation)
    value = _eigen_order(lhs, ex.value)
    reals = [_real(e) for e in _entries(value)]
    if any(r is None or (r != 0 and abs(r) < SMALLEST) for r in reals):
        return None
    numbers = [float(r) for r in reals if r is not None]
    labels = _labels(lhs, value)
    parts = tuple(Part(lab, v, tolerance(v)) for lab, v in zip(labels, numbers, strict=True))
    shape = tuple(value.shape) if isinstance(value, sp.MatrixBase) else None
    question = ex.question
    if isinstance(value, tuple) and value is not ex.value:
        question += r" Give them smallest first."
    choices: tuple[Choice, ...] = ()
    kind = "numerical" if len(parts) == 1 and shape is None else "cloze"
    if kind == "cloze":
        wrong = distractors(derivation, ex)
        if len(wrong) >= 2:
            kind = "multichoice"
            right = Choice(_value_tex(value), True, f"Correct: confirmed by {ex.confirmed_by}.")
            choices = (right, *(Choice(_value_tex(w), False, why) for w, why in wrong))
    return Variant(
        id=derivation.id,
        title=derivation.title,
        number=number,
        seed=seed,
        kind=kind,
        question=question,
        lhs=lhs,
        answer=ex.answer,
        shape=(int(shape[0]), int(shape[1])) if shape else None,
        parts=parts,
        choices=choices,
        confirmed_by=ex.confirmed_by,
        exercise=ex,
    )


def _key(ex: Exercise) -> str:
    return repr(sorted((k, sp.srepr(v)) for k, v in ex.inputs.items()))


def variants(derivation: Derivation, *, count: int, seed: int) -> tuple[Variant, ...]:
    """``count`` distinct variants of a derivation's exercise (fewer only when the generator
    has no more distinct admissible instances in ``TRIES * count`` seeds)."""
    found: list[Variant] = []
    seen: set[str] = set()
    if not derivation.twins:  # no numeric twin (a plug-in's may have none): nothing to draw
        return ()
    for k in range(TRIES * count):
        if len(found) == count:
            break
        generator_seed = seed * STRIDE + k
        try:
            ex = exercise(derivation, generator_seed)
        except ExerciseError:
            continue
        if _key(ex) in seen:
            continue
        seen.add(_key(ex))
        made = variant(derivation, ex, len(found) + 1, generator_seed)
        if made is not None:
            found.append(made)
    return tuple(found)


def export_set(
    derivations: Sequence[Derivation], *, count: int, seed: int
) -> tuple[tuple[Derivation, tuple[Variant, ...]], ...]:
    """Each derivation with its variants, in the order given."""
    return tuple((d, variants(d, count=count, seed=seed)) for d in derivations)
