"""One practice question: a sheet exercise in plain text, and the candidate's working judged by
the reasoning checker.

>>> d = drill("determinant-trace-2x2", seed=1)
>>> d.question
'Compute the determinant det A of A = [[-4, -3], [1, -5]].'
>>> judge(d, ["det(A) = (-4)(-5) - (-3)(1)", "= 23"]).right
True
>>> verdict = judge(d, ["(-4)(-5) + (-3)(1)"])
>>> verdict.right, verdict.line
(False, 1)

The exercise is the sheets' own (``derive.render.exercises``: drawn, answered exactly and
confirmed by an independent reference). Its inputs become ``let`` definitions, so the working
may use their names; the exact answer is a hidden first step, and each line the candidate writes
must follow from the line before it — the first line from the answer itself. Decimals count when
they agree with the exact value to ``DIGITS`` significant digits (the checker's ``tolerance``).
A wrong line is named with the checker's counterexample and diagnosis; where the candidate's
value is what a mistake recorded in the catalog gives at these inputs, that mistake is named.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import permutations
from typing import Any

import sympy as sp

from derive.catalog import get
from derive.checker.api import Pair, Result, check
from derive.checker.names import symbol_name
from derive.checker.printer import Unprintable, to_text
from derive.core.budget import Timeout, time_limit
from derive.core.functions import expand_definitions
from derive.core.model import Step
from derive.numeric.derivation import Derivation
from derive.numeric.twin import Twin
from derive.practice.text import plain
from derive.render.exercises import (
    DEFAULT,
    TEMPLATES,
    Exercise,
    ExerciseError,
    exercise,
    given_inputs,
)
from derive.render.tex import tex

DIGITS = 3  # significant digits a decimal answer must get right
TOLERANCE = {"digits": DIGITS}
BUDGET = 4.0  # seconds the checker may spend on one submission
# the checker's advice on declaring a function in a request: a practice answer cannot
ADVICE = re.compile(r" \(declare your own: [^)]*\)")
MISTAKE_SECONDS = 1.0  # to evaluate one recorded mistake at the exercise's inputs
CELL = re.compile(r"([\[,]\s*)\((-?[\w/.]+)\)(?=\s*[,\]])")  # a parenthesised matrix entry


@dataclass(frozen=True)
class Mistake:
    """A recorded catalog mistake evaluated at the exercise's inputs."""

    name: str
    explanation: str
    value: str  # its value here, in the checker's syntax


@dataclass(frozen=True)
class Drill:
    """A question with everything needed to judge, hint and solve it."""

    id: str
    seed: int
    title: str
    question: str  # plain text
    definitions: tuple[str, ...]  # ``let NAME = value`` for each input
    answers: tuple[str, ...]  # the exact answer (one part per value asked), checker syntax
    unordered: bool  # parts may come in any order (eigenvalues)
    shown: str  # the exact answer as shown, with a decimal where it helps
    hints: tuple[str, ...]  # the derivation's steps, one a hint
    solution: tuple[str, ...]  # the worked solution's lines
    mistakes: tuple[Mistake, ...]

    @property
    def prompt(self) -> str:
        """What to type, in one line."""
        parts = len(self.answers)
        what = "the answer" if parts == 1 else f"the {parts} values separated by commas"
        names = ", ".join(d.split()[1] for d in self.definitions)
        return (
            f"Type {what} (exact, or a decimal to {DIGITS} significant digits) or lines of "
            f"working, then an empty line. Names you may use: {names}."
        )


@dataclass(frozen=True)
class Verdict:
    """The judgement of one submission."""

    right: bool
    line: int | None  # the first wrong line (1-based), when one is wrong
    messages: tuple[str, ...]  # what to tell the candidate, one line each
    diagnosis: str | None = None  # the recorded mistake's name or the checker's diagnosis
    unreadable: bool = False


class NoExercise(LookupError):
    """The derivation has no numeric exercise (no numeric twin, or no admissible input)."""


def _twin(derivation: Derivation) -> Twin:
    if not derivation.twins:
        raise NoExercise(f"{derivation.id} has no numeric twin, so no exercise")
    wording = TEMPLATES.get(derivation.id, DEFAULT)
    return next((t for t in derivation.twins if t.name == wording.twin), derivation.twins[0])


def _text(value: Any) -> str:
    """``value`` in the checker's syntax (a column vector as ``[1, 2]``, which the checker reads
    as a column), else as plain text from its LaTeX."""
    if isinstance(value, sp.MatrixBase) and value.shape[1] == 1 and value.shape[0] > 1:
        return "[" + ", ".join(_text(v) for v in value) + "]"
    try:
        return to_text(value)
    except Unprintable:
        return plain(f"${tex(value)}$")


def _put_in(formula: str, subs: Mapping[Any, Any]) -> str:
    """``formula`` (checker syntax) with each input's value written in place of its name
    (parenthesised unless a plain number or matrix): ``1/(4*4 - 5*4)*[[4, -5], [-4, 4]]``."""
    values = {}
    for symbol, value in subs.items():
        name = symbol_name(symbol) if isinstance(symbol, sp.Symbol) else str(symbol)
        if name:
            text = _text(value)
            simple = re.fullmatch(r"\d+|\[.*\]", text) is not None
            values[name] = text if simple else f"({text})"
    if not values:
        return formula
    pattern = re.compile(
        r"(?<![.\w])("
        + "|".join(map(re.escape, sorted(values, key=len, reverse=True)))
        + r")(?![\w(])"
    )
    line = pattern.sub(lambda m: values[m.group(1)], formula)
    return CELL.sub(r"\1\2", line)  # [[4, (-2)]] -> [[4, -2]]


def _exact(expr: Any, subs: Mapping[Any, Any]) -> Any:
    value = expand_definitions(sp.sympify(expr))
    value = value.doit() if hasattr(value, "doit") else value  # d/dz before z is a number
    value = value.xreplace(dict(subs))
    value = value.doit() if hasattr(value, "doit") else value
    if isinstance(value, sp.MatrixExpr) and not isinstance(value, sp.MatrixBase):
        value = value.as_explicit()
    if isinstance(value, sp.MatrixBase):
        return sp.ImmutableMatrix(value.applyfunc(sp.simplify))
    return sp.simplify(value)


def _mistakes(derivation: Derivation, twin: Twin, ex: Exercise) -> tuple[Mistake, ...]:
    """The recorded mistakes about the quantity asked, evaluated at the exercise's inputs."""
    if isinstance(ex.value, tuple):
        return ()
    subs = given_inputs(twin, dict(ex.inputs), {}).subs
    for symbol, bound in derivation.bindings.items():  # A ↦ [[a, b], [c, d]]
        if isinstance(symbol, sp.MatrixSymbol) and sp.sympify(bound).free_symbols <= set(subs):
            subs.setdefault(symbol, sp.ImmutableMatrix(sp.sympify(bound).xreplace(subs)))
    known = set(subs)
    found = []
    for mistake in derivation.mistakes:
        rhs = sp.sympify(mistake.rhs)
        if not rhs.free_symbols <= known or rhs.has(sp.Sum, sp.Indexed):
            continue
        try:
            with time_limit(MISTAKE_SECONDS):
                value = _exact(rhs, subs)
                lhs = _exact(mistake.lhs, subs)
        except (Timeout, ArithmeticError, TypeError, ValueError, NotImplementedError):
            continue  # a mistake that cannot be evaluated here is not offered as a diagnosis
        if value == ex.value or lhs != ex.value or value.has(sp.zoo, sp.nan, sp.oo):
            continue
        found.append(Mistake(mistake.name, mistake.explanation, _text(value)))
    return tuple(found)


def _step_text(step: Step) -> str:
    rhs = _text(step.rhs)
    if step.lhs is None:
        return f"= {rhs}"
    relation = {"ge": "≥", "le": "≤", "ne": "≠", "implies": "⇒ "}.get(step.rel.value, "")
    if relation.startswith("⇒"):
        return f"⇒ {_text(step.lhs)} = {rhs}"
    return f"{_text(step.lhs)} {relation or '='} {rhs}"


def _hints(derivation: Derivation) -> tuple[str, ...]:
    return tuple(f"{step.why}  {_step_text(step)}" for step in derivation.steps)


@functools.cache
def drill(identifier: str, seed: int = 0) -> Drill:
    """The practice question for a catalog derivation (the sheets' exercise for ``seed``)."""
    derivation = get(identifier)
    twin = _twin(derivation)
    try:
        ex = exercise(derivation, seed)
    except ExerciseError as error:
        raise NoExercise(str(error)) from None
    wording = TEMPLATES.get(derivation.id, DEFAULT)
    names = list(ex.inputs)
    given = _and([f"{name} = {_text(value)}" for name, value in ex.inputs.items()])
    marker = "\x00GIVEN\x00"
    question = plain(
        wording.question.format(lhs=wording.lhs or tex(twin.formula.lhs), given=marker)
    ).replace(marker.strip("\x00"), given)
    question = question.replace("\x00", "")
    parts = ex.value if isinstance(ex.value, tuple) else (ex.value,)
    answers = tuple(_text(p) for p in parts)
    # roots of one equation (λ = λ₁, λ₂) in any order; a tuple of named values in its order
    unordered = isinstance(ex.value, tuple) and isinstance(derivation.result.lhs, sp.Symbol)
    approx = plain(ex.answer).partition(" ≈ ")[2]
    shown = ", ".join(answers) + (f" ≈ {approx}" if approx else "")
    result = derivation.result
    formula = f"{_text(result.lhs)} = {_text(result.rhs)}"
    if result.lhs != twin.formula.lhs or len(formula) > 160:
        formula = f"{_text(twin.formula.lhs)} = {_text(twin.formula.rhs)}"
    worked = _worked(derivation, twin, ex, answers)
    solution = (
        *((f"The result: {formula}",) if len(formula) <= 160 else ()),
        f"With {given}:",
        *((f"  {worked}",) if worked else ()),
        f"  = {', '.join(answers)}" + (f"  (≈ {approx})" if approx else ""),
        f"Confirmed by {ex.confirmed_by}.",
    )
    return Drill(
        id=identifier,
        seed=seed,
        title=derivation.title,
        question=question,
        definitions=tuple(f"let {n} = {_text(ex.inputs[n])}" for n in names),
        answers=answers,
        unordered=unordered,
        shown=shown,
        hints=_hints(derivation),
        solution=solution,
        mistakes=_mistakes(derivation, twin, ex),
    )


def _worked(derivation: Derivation, twin: Twin, ex: Exercise, answers: Sequence[str]) -> str:
    """The result's right side with the inputs put in, when the checker confirms it equals the
    answer (else nothing: a worked line is never wrong)."""
    if len(answers) != 1:
        return ""
    rhs = derivation.result.rhs if derivation.result.lhs == twin.formula.lhs else None
    if rhs is None:
        return ""
    try:
        line = _put_in(to_text(rhs), given_inputs(twin, dict(ex.inputs), {}).subs)
    except Unprintable:
        return ""
    if len(line) > 200:
        return ""
    result = check([answers[0], line], budget=BUDGET)
    return line if result.error is None and result.verdict == "correct" else ""


def _and(parts: Sequence[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def split_parts(line: str) -> list[str]:
    """``line`` split at the commas outside brackets.

    >>> split_parts("[[1, 2]], 3, f(4, 5)")
    ['[[1, 2]]', '3', 'f(4, 5)']
    """
    parts, depth, start = [], 0, 0
    for at, char in enumerate(line):
        depth += char in "([{"
        depth -= char in ")]}"
        if char == "," and depth == 0:
            parts.append(line[start:at].strip())
            start = at + 1
    parts.append(line[start:].strip())
    return parts


def equals(line: str) -> list[str]:
    """``line`` split at its top-level ``=`` signs (not ``<=``, ``>=``, ``!=``, ``=>``, ``<=>``):
    the parts of a chain ``a = b = c``.

    >>> equals("det(A) = (-4)(-5) - (-3)(1) = 23")
    ['det(A)', '(-4)(-5) - (-3)(1)', '23']
    >>> equals("x <= 1"), equals("= 3")
    (['x <= 1'], ['', '3'])
    """
    parts, depth, start = [], 0, 0
    for at, char in enumerate(line):
        depth += char in "([{"
        depth -= char in ")]}"
        before, after = line[at - 1 : at], line[at + 1 : at + 2]
        if char == "=" and depth == 0 and before not in ("<", ">", "!", "=") and after not in "=>":
            parts.append(line[start:at].strip())
            start = at + 1
    parts.append(line[start:].strip())
    return parts


@dataclass(frozen=True)
class _Chain:
    """The candidate's working as the checker's steps, with the line each step came from."""

    steps: tuple[str, ...]
    names: tuple[str, ...]  # "line 2", or "line 1 (part 2)" when a line holds a chain
    lines: tuple[int, ...]  # the 1-based line of each step


def _as_chain(d: Drill, lines: Sequence[str]) -> _Chain:
    """Each line's chain ``a = b = c`` as steps; ``x = …`` naming the quantity asked (a name
    that is not an input) is read as ``…``."""
    inputs = {definition.split()[1] for definition in d.definitions}
    steps: list[str] = []
    names: list[str] = []
    owners: list[int] = []
    for number, line in enumerate(lines, 1):
        parts = equals(line)
        label = parts[0]
        if len(parts) > 1 and re.fullmatch(r"[A-Za-z]\w*", label) and label not in inputs:
            parts = parts[1:]  # "x = [1, 2]": x is the unknown asked for, not an input
        if parts[0] == "" and steps:
            parts = parts[1:]  # "= 23" continues the line before
        parts = [p for p in parts if p]
        for index, part in enumerate(parts, 1):
            steps.append(part)
            names.append(f"line {number}" + (f" (part {index})" if len(parts) > 1 else ""))
            owners.append(number)
    return _Chain(tuple(steps), tuple(names), tuple(owners))


def judge(d: Drill, lines: Sequence[str]) -> Verdict:
    """The verdict on the candidate's lines (an answer, or working ending in one)."""
    lines = [line.strip() for line in lines if line.strip()]
    if not lines:
        return Verdict(False, None, ("nothing to check: type an answer",), unreadable=True)
    if len(d.answers) == 1:
        return _chain(d, d.answers[0], _as_chain(d, lines))
    return _parts(d, lines)


def _chain(d: Drill, answer: str, chain: _Chain, label: str = "") -> Verdict:
    """Each step against the one before it, the first against the (hidden) answer."""
    if not chain.steps:
        return Verdict(False, None, ("nothing to check: type an answer",), unreadable=True)
    head = len(d.definitions)
    result = check([*d.definitions, answer, *chain.steps], tolerance=TOLERANCE, budget=BUDGET)
    names = ("the answer", *(name + label for name in chain.names))
    if result.error:
        message = ADVICE.sub("", _relabel(result.error, head, names))
        return Verdict(False, None, (message,), unreadable=True)
    for pair in result.pairs:
        if pair.target > head and (not pair.judged or pair.relation not in ("=", "≈")):
            where = names[pair.target - head]
            return Verdict(False, None, (f"{where}: {NOT_A_CHAIN}",), unreadable=True)
    if result.verdict == "correct":
        return Verdict(True, None, (f"✓ right{label}: {result.read[-1]}",))
    return _wrong(d, result, head, chain, names)


GENERIC = re.compile(r".* does not equal (the answer|line \d+( \(part \d+\))?)")

# working in practice is a chain of equal values; statements are derive check's
NOT_A_CHAIN = (
    "write each line as an expression equal to the line before (or '= …', or 'x = …' for the "
    "quantity asked); equations, inequalities and ⇔/⇒ steps are for `derive check`"
)


def _relabel(text: str, head: int, names: Sequence[str]) -> str:
    """The checker's ``step k`` as the candidate's line (step ``head`` is the hidden answer)."""

    def line(match: re.Match[str]) -> str:
        k = int(match.group(1)) - head
        return names[k] if 0 <= k < len(names) else match.group(0)

    return re.sub(r"\bstep (\d+)", line, text)


def _wrong(d: Drill, result: Result, head: int, chain: _Chain, names: Sequence[str]) -> Verdict:
    pair = next(p for p in result.pairs if p.judged and p.verdict not in ("proven", "numeric"))
    k = pair.target - head
    against_answer = pair.source == head
    what = "does not equal the answer"
    if not against_answer:
        what = f"does not follow from {names[pair.source - head]}"
    if pair.verdict == "unknown":
        what = "could not be decided" + ("" if against_answer else f" from {names[k - 1]}")
    messages = [f"✗ {names[k]} {what}: {result.read[pair.target]}"]
    messages += _details(pair, head, against_answer, names)
    if result.assumed:
        written = ", ".join(result.assumed)
        inputs = ", ".join(definition.split()[1] for definition in d.definitions)
        one = len(result.assumed) == 1
        messages.append(
            f"note: {written} {'is not an input' if one else 'are not inputs'} of the question "
            f"({inputs}); {'it was' if one else 'they were'} read as any real number"
            + ("" if one else "s")
        )
    short = significant(chain.steps[k - 1])
    if short is not None and short < DIGITS:
        messages.append(
            f"note: a decimal answer needs {DIGITS} significant digits; "
            f"{chain.steps[k - 1].lstrip('=≈ ')} has {short}"
        )
    recorded = _recorded(d, chain.steps[k - 1]) if pair.verdict == "refuted" else None
    if recorded is not None:
        messages.append(f"recorded mistake: {recorded.name} — {recorded.explanation}")
    diagnosis = recorded.name if recorded else _short(pair.diagnosis)
    return Verdict(False, chain.lines[k - 1], tuple(messages), diagnosis)


def significant(text: str) -> int | None:
    """The significant digits of a decimal number, or None if ``text`` is not one.

    >>> significant("0.0022"), significant("-1.50"), significant("3/4")
    (2, 3, None)
    """
    match = re.fullmatch(r"[=≈]?\s*-?(\d*)\.(\d+)|[=≈]?\s*-?(\d+)\.", text.strip())
    if match is None:
        return None
    digits = "".join(g for g in match.groups() if g).lstrip("0")
    return len(digits)


def _details(pair: Pair, head: int, against_answer: bool, names: Sequence[str]) -> list[str]:
    out = []
    if pair.counterexample:
        shown = ", ".join(f"{k} = {v}" for k, v in pair.counterexample.items())
        out.append(f"counterexample: {shown}")
    if pair.diagnosis:
        diagnosis = pair.diagnosis
        if against_answer or not pair.counterexample:
            # numbers only: every step before the first wrong one equals the answer, so the
            # values clause would give the answer away
            diagnosis = diagnosis.partition("; at the counterexample")[0]
        diagnosis = _relabel(diagnosis, head, names)
        if not GENERIC.fullmatch(diagnosis):
            out.append(f"diagnosis: {diagnosis}")
    if pair.note:
        out.append(f"note: {_relabel(pair.note, head, names)}")
    return out


def _short(diagnosis: str | None) -> str | None:
    """The kind of a checker diagnosis (``transposed``), for the statistics."""
    if not diagnosis:
        return None
    head = diagnosis.partition(";")[0].partition(":")[0].strip()
    return None if re.search(r"\bstep \d+", head) else head


def _recorded(d: Drill, line: str) -> Mistake | None:
    """The recorded mistake whose value at these inputs is the candidate's line."""
    for mistake in d.mistakes:
        result = check(
            [*d.definitions, mistake.value, line], tolerance=TOLERANCE, budget=BUDGET / 4
        )
        if result.error is None and result.verdict == "correct":
            return mistake
    return None


def _parts(d: Drill, lines: Sequence[str]) -> Verdict:
    """Several values asked (eigenvalues, a loss and its derivative): the last line's parts,
    each checked as a chain of its own; in any order when the values are a set."""
    inputs = {definition.split()[1] for definition in d.definitions}
    named = re.compile(r"[A-Za-z]\w*(\s*,\s*[A-Za-z]\w*)*")  # "lambda = …", "l1, l2 = …"
    split = []
    for line in lines:
        parts = equals(line)
        if len(parts) == 2 and named.fullmatch(parts[0]) and parts[0] not in inputs:
            line = parts[1]
        split.append(split_parts(line))
    count = len(d.answers)
    if any(len(parts) != count for parts in split):
        bad = next(i for i, parts in enumerate(split, 1) if len(parts) != count)
        return Verdict(
            False,
            None,
            (f"line {bad}: give {count} values separated by commas",),
            unreadable=True,
        )
    orders = permutations(range(count)) if d.unordered else [tuple(range(count))]
    best: list[Verdict] | None = None
    for order in orders:
        verdicts = [
            _chain(
                d, d.answers[k], _as_chain(d, [parts[i] for parts in split]), f" (value {i + 1})"
            )
            for k, i in zip(range(count), order, strict=True)
        ]
        if any(v.unreadable for v in verdicts) or all(v.right for v in verdicts):
            best = verdicts
            break
        if best is None or sum(v.right for v in verdicts) > sum(v.right for v in best):
            best = verdicts
    assert best is not None
    if all(v.right for v in best):
        return Verdict(True, None, ("✓ right: " + lines[-1],))
    wrong = [v for v in best if not v.right]
    first = min((v.line for v in wrong if v.line is not None), default=None)
    messages = tuple(m for v in wrong for m in v.messages)
    return Verdict(
        False,
        first,
        messages,
        wrong[0].diagnosis,
        unreadable=any(v.unreadable for v in wrong),
    )
