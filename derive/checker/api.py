"""The checker's public interface: requests, results, and ``check``.

>>> result = check("diff(x^2, x) = 2*x")
>>> result.verdict, result.first_error, result.pairs[0].verdict
('correct', None, 'proven')
>>> result = check(["inv(A*B)", "inv(A)*inv(B)"], {"A": "matrix 2 2", "B": "matrix 2 2"})
>>> result.verdict, result.first_error
('incorrect', 1)
>>> check("x + ) = 1").error
"claim, column 5: unexpected ')'"

``check`` never raises for bad input: an unreadable request gives a result whose ``error``
says what and where (the CLI exits with status 2 for it).
"""

from __future__ import annotations

import json
import time
import traceback
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from derive.checker.continued import domain_loss, relation, within_tolerance
from derive.checker.diagnose import Case, diagnose, name_recorded
from derive.checker.engine import Comparison, Operand, Session, Settings, TreeOperand
from derive.checker.errors import InputError
from derive.checker.kinds import Kind, parse_kind, split_names, with_groups
from derive.checker.limits import LIMITS, Limits
from derive.checker.names import IDENTIFIER
from derive.checker.parser import declaring
from derive.checker.probability import shown_at
from derive.checker.relations import Rel, Statement, mentioned, size, substitute
from derive.checker.solutions import Judge, Outcome, Sides
from derive.checker.statements import Step, read_claim, read_step
from derive.checker.tree import Node
from derive.checker.vocabulary import is_function
from derive.core.budget import Timeout, time_limit

Verdict = Literal["correct", "incorrect", "unknown"]
# a pair's verdict: the engine's four, a premise taken as given, a name defined by ``let``
PairVerdict = Literal["proven", "numeric", "refuted", "unknown", "given", "defined"]
FIELDS = ("id", "steps", "claim", "given", "against", "tolerance")


@dataclass(frozen=True)
class Request:
    """What to check: steps (or a claim ``a = b = c``), the kinds of names, and optionally a
    catalog derivation whose result the final step must equal."""

    steps: tuple[str, ...] = ()
    claim: str | None = None
    given: Mapping[str, str] = field(default_factory=dict)
    against: str | None = None
    id: Any = None
    tolerance: Mapping[str, float] | None = None  # {"digits": k} or {"relative": r}

    @classmethod
    def from_json(cls, data: Any, limits: Limits = LIMITS) -> Request:
        """A request from parsed JSON; an InputError naming the field if it is malformed."""
        if not isinstance(data, dict):
            raise InputError(f"a request must be a JSON object, not {_json_type(data)}")
        unknown = sorted(set(data) - set(FIELDS))
        if unknown:
            raise InputError(f"unknown field {unknown[0]!r} (a request has {', '.join(FIELDS)})")
        identifier = data.get("id")
        try:
            json.dumps(identifier, allow_nan=False)
        except ValueError:
            raise InputError("field 'id' must be finite JSON (no NaN or infinity)") from None
        steps, claim = data.get("steps"), data.get("claim")
        if (steps is None) == (claim is None):
            raise InputError("give either 'steps' (a list of expressions) or 'claim'")
        if steps is not None and (
            not isinstance(steps, list) or not all(isinstance(s, str) for s in steps)
        ):
            raise InputError("field 'steps' must be a list of strings")
        if claim is not None and not isinstance(claim, str):
            raise InputError("field 'claim' must be a string")
        given = data.get("given", {})
        if not isinstance(given, dict) or not all(isinstance(v, str) for v in given.values()):
            raise InputError('field \'given\' must map names to kinds, e.g. {"x": "vector 3"}')
        against = data.get("against")
        if against is not None and not isinstance(against, str):
            raise InputError("field 'against' must be a catalog id")
        tolerance = read_tolerance(data.get("tolerance"))
        return cls(tuple(steps or ()), claim, dict(given), against, identifier, tolerance)


def read_tolerance(value: Any) -> dict[str, float] | None:
    """``{"digits": k}`` (1 ≤ k ≤ 30) or ``{"relative": r}`` (0 < r < 1), or None.

    >>> read_tolerance({"digits": 4})
    {'digits': 4}
    """
    if value is None:
        return None
    wanted = 'field \'tolerance\' must be {"digits": k} or {"relative": r}'
    if not isinstance(value, dict) or len(value) != 1:
        raise InputError(wanted)
    ((key, number),) = value.items()
    if isinstance(number, bool) or not isinstance(number, (int, float)):
        raise InputError(wanted)
    if key == "digits" and isinstance(number, int) and 1 <= number <= 30:
        return {"digits": number}
    if key == "relative" and 0 < number < 1:
        return {"relative": float(number)}
    raise InputError(wanted + " (1 <= k <= 30, 0 < r < 1)")


@dataclass(frozen=True)
class Pair:
    """The verdict on one step against the one before it (``target`` may be the virtual step
    after the last, standing for the result of the ``against`` derivation)."""

    source: int
    target: int
    verdict: PairVerdict
    counterexample: Mapping[str, str] | None = None
    diagnosis: str | None = None
    relation: str | None = "="  # what was judged; None for a premise or a definition
    note: str | None = None  # a condition the verdict needed, or how a number was matched

    @property
    def judged(self) -> bool:
        """Whether the pair is a judgement (not a premise ``given`` or a ``defined`` name)."""
        return self.verdict not in ("given", "defined")

    def as_dict(self) -> dict[str, Any]:
        return {
            "from": self.source,
            "to": self.target,
            "relation": self.relation,
            "verdict": self.verdict,
            "counterexample": dict(self.counterexample) if self.counterexample else None,
            "diagnosis": self.diagnosis,
            "note": self.note,
        }


@dataclass(frozen=True)
class Result:
    """The verdict on a request, as in the JSON contract."""

    id: Any
    verdict: Verdict
    first_error: int | None
    pairs: tuple[Pair, ...]
    error: str | None = None
    steps: tuple[str, ...] = ()  # the steps as read, in the text syntax (JSON: "read")
    trace: str | None = None  # an internal error's traceback (not in the JSON)
    assumed: tuple[str, ...] = ()  # undeclared names taken as real scalars

    @property
    def read(self) -> tuple[str, ...]:
        """Each step as the checker understood it, in its own text syntax."""
        return self.steps

    @property
    def score(self) -> float:
        """The fraction of judged pairs (premises and definitions are not judged) that are
        ``proven`` or ``numeric``: partial credit. With no judged pair it is 1.0 for a
        ``correct`` result and 0.0 otherwise (an unreadable request scores 0.0).

        >>> check(["x + x", "2x", "3x"]).score
        0.5
        """
        judged = [p for p in self.pairs if p.judged]
        if not judged:
            return 1.0 if self.verdict == "correct" and self.error is None else 0.0
        good = sum(p.verdict in ("proven", "numeric") for p in judged)
        return good / len(judged)

    def as_dict(self) -> dict[str, Any]:
        """The JSON contract's object."""
        return {
            "id": self.id,
            "verdict": self.verdict,
            "first_error": self.first_error,
            "score": self.score,
            "pairs": [p.as_dict() for p in self.pairs],
            "read": list(self.steps),
            "assumed": list(self.assumed),
            "error": self.error,
        }

    @property
    def internal(self) -> bool:
        """Whether the error is the checker's fault, not the request's (see
        :func:`internal_error`)."""
        return self.trace is not None

    @property
    def status(self) -> int:
        """The exit status: 0 correct, 1 incorrect or unknown, 2 unreadable, 3 an internal
        error."""
        if self.internal:
            return 3
        if self.error is not None:
            return 2
        return 0 if self.verdict == "correct" else 1


INTERNAL = "internal error"


def internal_error(identifier: Any, error: BaseException) -> Result:
    """The answer to a request whose checking raised ``error`` unexpectedly (a bug): the
    contract's one-line ``error``, with the traceback kept beside it.

    >>> result = internal_error(7, ZeroDivisionError("division by zero"))
    >>> result.as_dict()["error"], result.status
    ('internal error: ZeroDivisionError: division by zero', 3)
    """
    message = " ".join(f"{type(error).__name__}: {error}".split())
    if len(message) > 300:
        message = message[:299] + "…"
    trace = "".join(traceback.format_exception(error))
    return Result(identifier, "unknown", None, (), f"{INTERNAL}: {message}", (), trace)


def _json_type(value: Any) -> str:
    return {list: "an array", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number"
    )


# -- reading a request -----------------------------------------------------------------


def read_kinds(given: Mapping[str, str], limits: Limits) -> dict[str, Kind]:
    """Kinds by name; an InputError locating a bad name or kind."""
    if len(given) > limits.max_names:
        raise InputError(f"too many names in 'given' ({len(given)}; at most {limits.max_names})")
    kinds = {}
    for name, text in split_names(given):  # "X, Y": one kind for several names
        where = f"given {name!r}"
        if not isinstance(name, str) or not IDENTIFIER.match(name) or len(name) > 40:
            raise InputError("a name is a letter followed by letters, digits or '_'").at(where)
        if is_function(name):
            raise InputError(f"{name} is a function, not a name").at(where)
        if len(text) > 40:
            raise InputError("kind too long").at(where)
        try:
            kinds[name] = parse_kind(text, limits)
        except InputError as error:
            raise error.at(where) from None
    return with_groups(kinds, given)


def read_steps(request: Request, limits: Limits) -> list[Step]:
    """Every step as read (a claim is a chain ``a = b <= c`` or statements joined by ``<=>`` /
    ``=>``); an InputError locating what cannot be read."""
    if request.claim is not None:
        if len(request.claim) > limits.max_request_chars:
            raise InputError(
                f"claim too long ({len(request.claim)} characters; at most "
                f"{limits.max_request_chars})"
            )
        steps = read_claim(request.claim, limits)
        if len(steps) > limits.max_steps:
            raise InputError(f"too many steps ({len(steps)}; at most {limits.max_steps})")
        return steps
    if len(request.steps) > limits.max_steps:
        raise InputError(f"too many steps ({len(request.steps)}; at most {limits.max_steps})")
    total = sum(map(len, request.steps))
    if total > limits.max_request_chars:
        raise InputError(f"steps too long ({total} characters; at most {limits.max_request_chars})")
    steps = []
    for index, source in enumerate(request.steps):
        where = f"step {index}"
        if len(source) > limits.max_step_chars:
            raise InputError(
                f"too long ({len(source)} characters; at most {limits.max_step_chars})"
            ).at(where)
        steps.append(read_step(source, where, limits))
    return steps


# -- checking --------------------------------------------------------------------------


def check(
    steps: Sequence[str] | str,
    given: Mapping[str, str] | None = None,
    *,
    against: str | None = None,
    id: Any = None,
    budget: float | None = None,
    catalog: bool = True,
    tolerance: Mapping[str, float] | None = None,
) -> Result:
    """Check a learner's working: a list of steps, or one claim ``a = b = c``.

    ``given`` maps names to kinds (``scalar``, ``positive``, ``probability``, ``vector n``,
    ``matrix m n``, ``symmetric n``, ``spd n``); ``against`` names a catalog derivation whose
    result the final step must equal; ``budget`` bounds the seconds spent (default 5);
    ``catalog=False`` skips naming recorded catalog mistakes; ``tolerance`` (``{"digits":
    k}`` or ``{"relative": r}``) lets a step with no free names match a number to it.
    """
    tolerance = read_tolerance(tolerance) if tolerance is not None else None
    if isinstance(steps, str):
        request = Request((), steps, dict(given or {}), against, id, tolerance)
    else:
        request = Request(tuple(steps), None, dict(given or {}), against, id, tolerance)
    return check_request(request, budget=budget, catalog=catalog)


def check_request(
    request: Request,
    *,
    budget: float | None = None,
    catalog: bool = True,
    limits: Limits = LIMITS,
    settings: Settings | None = None,
) -> Result:
    """Check a request (see :func:`check`)."""
    try:
        return Checker(request, limits, settings or Settings(), catalog).run(
            limits.budget if budget is None else budget
        )
    except InputError as error:
        return Result(request.id, "unknown", None, (), str(error))


def check_data(data: Any, **options: Any) -> Result:
    """The result for one parsed JSON request (a malformed one gives a result with ``error``).

    >>> check_data({"id": 7, "steps": "x"}).error
    "field 'steps' must be a list of strings"
    """
    try:
        request = Request.from_json(data)
    except InputError as error:
        identifier = data.get("id") if isinstance(data, dict) else None
        try:
            json.dumps(identifier, allow_nan=False)
        except (ValueError, TypeError):
            identifier = None
        return Result(identifier, "unknown", None, (), str(error))
    return check_request(request, **options)


class Checker:
    """One request being checked: its session, the steps as operands, and what each step is
    judged against (see docs/checker.md, "Steps")."""

    def __init__(self, request: Request, limits: Limits, settings: Settings, catalog: bool):
        self.request = request
        self.limits = limits
        self.catalog = catalog
        kinds = read_kinds(request.given, limits)
        sources = (request.claim, *request.steps)  # f(x), f declared; ab as a*b (Notation)
        with declaring(request.given, sources):
            self.parsed = read_steps(request, limits)
        self.session = Session(kinds, limits, settings)
        self.judge = Judge(self.session)
        self.definitions: dict[str, Node] = {}
        # pair j: (source, relation, before operand, after operand) for chains;
        # statements: (source, connective, earlier sides, later sides); marks: given/defined
        self.equal: dict[int, tuple[int, TreeOperand, TreeOperand]] = {}
        self.related: dict[int, tuple[int, str, TreeOperand, TreeOperand]] = {}
        self.statements: dict[int, tuple[int, str, Sides, Sides]] = {}
        self.identities: dict[int, Sides] = {}
        self.marks: dict[int, Pair] = {}
        self.operands: dict[int, TreeOperand] = {}
        self._plan()
        if len(self.session.names) > limits.max_names:
            raise InputError(
                f"too many names ({len(self.session.names)}; at most {limits.max_names})"
            )
        self.anchor: TreeOperand | None = self._last_anchor
        self.target = self._against()
        judged = self.equal or self.related or self.statements or self.identities
        if not judged and self.request.against is None:
            raise InputError("at least two steps are needed (or a claim a = b)")

    # -- reading the working -------------------------------------------------------------

    def _substituted(self, tree: Any, where: str) -> Any:
        """``tree`` with the definitions so far put in; refused if that makes it too large."""
        result = substitute(tree, self.definitions)
        if self.definitions and size(result) > self.limits.max_nodes:
            raise InputError(
                f"too large with its definitions put in (more than {self.limits.max_nodes} parts)"
            ).at(where)
        return result

    def _operand(self, tree: Node, where: str) -> TreeOperand:
        substituted = self._substituted(tree, where)
        try:
            operand = TreeOperand(self.session, substituted, where)
            operand.shape  # noqa: B018 - shapes first: a non-conformable step is an error
        except InputError as error:
            raise error.at(where) from None
        return operand

    def _sides(self, statement: Statement, where: str) -> Sides:
        tree = self._substituted(statement, where)
        try:
            return Judge(self.session, where).statement_operands(tree)
        except InputError as error:
            raise error.at(where) from None

    def _plan(self) -> None:
        anchor: tuple[int, TreeOperand] | None = None  # the expression a relation continues
        premise: tuple[int, Sides] | None = None  # the statement a statement is judged against
        used: dict[str, int] = {}  # names written so far, and the step first writing each
        followed: set[int] = set()
        defined_at: dict[str, int] = {}
        for j, step in enumerate(self.parsed):
            written = mentioned(step.expression) | mentioned(step.statement)
            if step.kind == "definition":
                self._define(j, step, used, defined_at)
                continue
            for name in written:
                used.setdefault(name, j)
            if step.kind in ("expression", "relation"):
                assert step.expression is not None
                operand = self._operand(step.expression, step.where)
                self.operands[j] = operand
                op = step.op or "="
                if anchor is None:
                    if step.kind == "relation":
                        raise InputError(
                            f"'{op}' continues an expression, and there is none before it"
                        ).at(step.where)
                elif op == "=":
                    self.equal[j] = (anchor[0], anchor[1], operand)
                else:
                    self.related[j] = (anchor[0], op, anchor[1], operand)
                anchor, premise = (j, operand), None
                continue
            assert step.statement is not None
            sides = self._sides(step.statement, step.where)
            if premise is None:
                if step.connective is not None and j == 0:
                    raise InputError(
                        f"'{step.connective}' joins a statement to the one before it"
                    ).at(step.where)
                self.marks[j] = Pair(j, j, "given", relation=None)
            else:
                followed.add(premise[0])
                self.statements[j] = (premise[0], step.connective or "<=>", premise[1], sides)
            premise = (j, sides)
            last = _last_side(step.statement)
            anchor = (j, self._operand(last, step.where)) if last is not None else None
        # a premise nothing follows from is a claim of its own: judged for every value
        for j, mark in list(self.marks.items()):
            if mark.verdict == "given" and j not in followed:
                del self.marks[j]
                step = self.parsed[j]
                assert step.statement is not None
                self.identities[j] = self._sides(step.statement, step.where)
        self._last_anchor = anchor[1] if anchor is not None else None

    def _define(self, j: int, step: Step, used: dict[str, int], defined_at: dict[str, int]) -> None:
        name = step.name
        assert name is not None
        assert step.expression is not None
        if name in defined_at:
            raise InputError(f"{name} is already defined at step {defined_at[name]}").at(step.where)
        if name in self.request.given:
            raise InputError(f"{name} is declared in 'given'; define another name").at(step.where)
        if name in used:
            raise InputError(f"{name} is used at step {used[name]}, before its definition").at(
                step.where
            )
        value = self._substituted(step.expression, step.where)
        if name in mentioned(value):
            raise InputError(f"{name} is defined in terms of itself").at(step.where)
        for other in mentioned(value):
            used.setdefault(other, j)
        self._operand(value, step.where)  # readable and conformable
        self.definitions[name] = value
        defined_at[name] = j
        self.marks[j] = Pair(j, j, "defined", relation=None)

    def _against(self) -> Operand | None:
        if self.request.against is None:
            return None
        from derive.catalog import UnknownDerivation, get
        from derive.checker.catalog import resolve

        if self.anchor is None:
            raise InputError("'against' compares the final expression, and there is none")
        try:
            derivation = get(self.request.against)
        except UnknownDerivation as error:
            raise InputError(str(error)).at("against") from None
        return resolve(
            self.session, derivation, derivation.result.rhs, f"the result of {derivation.id}"
        )

    # -- judging -------------------------------------------------------------------------

    def run(self, budget: float) -> Result:
        """Compare every pair, diagnose refutations, then look for proofs in the time left."""
        deadline = time.monotonic() + budget
        n = len(self.parsed)
        sides: dict[int, tuple[int, Operand, Operand | None]] = dict(self.equal)
        if self.request.against is not None:
            assert self.anchor is not None
            sides[n] = (n - 1, self.anchor, self.target)
        outcomes: dict[int, Pair] = dict(self.marks)
        try:
            with time_limit(budget):
                comparisons: dict[int, Comparison] = {}
                for j, (source, before, after) in sides.items():
                    if after is None:
                        outcomes[j] = Pair(source, j, "unknown", None, self._incomparable())
                    else:
                        comparisons[j] = self.session.compare(before, after)
                refuted: dict[int, Case] = {}
                for j, comparison in comparisons.items():
                    source = sides[j][0]
                    if comparison.status != "refuted" and j < n:
                        lost = self._domain(j)
                        if lost is not None:
                            outcomes[j] = lost
                            continue
                    if comparison.status == "refuted":
                        note = self._tolerated(j)
                        if note is not None:
                            outcomes[j] = Pair(source, j, "numeric", note=note)
                            continue
                        refuted[j] = self._case(j, comparison)
                        outcomes[j] = self._refuted(j, comparison, diagnose(refuted[j]))
                    elif comparison.status == "unknown":
                        outcomes[j] = Pair(source, j, "unknown", None, comparison.detail)
                self._judge_others(outcomes, deadline)
                # proofs, keeping some time to name recorded mistakes afterwards
                search = min(self.limits.catalog_search, 0.4 * budget)
                reserve = search if refuted and self.catalog else 0.0
                pending = [
                    j for j, c in comparisons.items() if c.status == "numeric" and j not in outcomes
                ]
                for position, j in enumerate(pending):
                    # a margin, so that a proof cut short still leaves time to say 'numeric'
                    left = deadline - reserve - time.monotonic() - 0.05
                    source, before, after = sides[j]
                    assert after is not None
                    proven = self.session.prove(before, after, left / (len(pending) - position))
                    outcomes[j] = Pair(source, j, "proven" if proven else "numeric")
                if self.catalog and refuted:
                    self._name_recorded(refuted, comparisons, outcomes, search)
        except Timeout:
            pass
        ran_out = f"the time budget of {budget:g} s ran out"
        pairs = []
        for j in sorted(
            set(sides)
            | set(self.marks)
            | set(self.related)
            | set(self.statements)
            | set(self.identities)
        ):
            pair = outcomes.get(j)
            if pair is None:
                pair = Pair(self._source(j), j, "unknown", None, ran_out, self._relation(j))
            pairs.append(pair)
        return self._result(tuple(pairs))

    def _source(self, j: int) -> int:
        for table in (self.equal, self.related, self.statements):
            if j in table:
                return table[j][0]
        return j - 1 if j == len(self.parsed) else j

    def _relation(self, j: int) -> str | None:
        if j in self.related:
            return self.related[j][1]
        if j in self.statements:
            return self.statements[j][1]
        if j in self.identities:
            return _statement_relation(self.identities[j].statement)
        return "=" if j not in self.marks else None

    def _judge_others(self, outcomes: dict[int, Pair], deadline: float) -> None:
        """Relations other than ``=``, statements against statements, lone statements."""
        order = sorted(set(self.related) | set(self.statements) | set(self.identities))
        for position, j in enumerate(order):
            share = (deadline - time.monotonic()) / (len(order) - position) * 0.8
            try:
                with time_limit(share):
                    outcomes[j] = self._judge_one(j, share)
            except InputError as error:
                raise error.at(f"step {j}") from None
            except Timeout as error:
                if error.enclosing:
                    raise
                outcomes[j] = Pair(
                    self._source(j),
                    j,
                    "unknown",
                    None,
                    "its share of the time budget ran out",
                    self._relation(j),
                )

    def _judge_one(self, j: int, share: float) -> Pair:
        """One relation, statement pair or lone statement, within ``share`` seconds."""
        if j in self.related:
            source, op, before, after = self.related[j]
            labels = (f"step {source}", f"step {j}")
            outcome = relation(self.session, op, before, after, labels, share)
            return _pair(source, j, op, outcome)
        if j in self.statements:
            source, op, first, second = self.statements[j]
            labels = (f"step {source}", f"step {j}")
            outcome = self.judge.statements(first, second, op, labels, share)
            return _pair(source, j, op, outcome)
        outcome = self.judge.identity(self.identities[j], share)
        return _pair(j, j, _statement_relation(self.identities[j].statement), outcome)

    def _domain(self, j: int) -> Pair | None:
        source, before, after = self.equal[j]
        lost = domain_loss(self.session, before, after, (f"step {source}", f"step {j}"))
        if lost is None:
            return None
        return _pair(source, j, "=", lost)

    def _tolerated(self, j: int) -> str | None:
        if self.request.tolerance is None or j not in self.equal:
            return None
        _, before, after = self.equal[j]
        return within_tolerance(before, after, self.request.tolerance)

    def _name_recorded(
        self,
        refuted: dict[int, Case],
        comparisons: dict[int, Comparison],
        outcomes: dict[int, Pair],
        seconds: float,
    ) -> None:
        """Replace generic diagnoses by recorded catalog mistakes found within ``seconds``
        (derivations are built on first use, so a cold process may find none in time)."""
        try:
            with time_limit(seconds):
                for j, case in refuted.items():
                    named = name_recorded(case)
                    if named is not None:
                        outcomes[j] = self._refuted(j, comparisons[j], named)
        except Timeout:
            pass

    def _incomparable(self) -> str:
        return (
            f"cannot compare with the result of {self.request.against}: it uses names or sizes "
            "your working does not have (names must match the derivation's)"
        )

    def _case(self, j: int, comparison: Comparison) -> Case:
        earlier = tuple(o for k, o in sorted(self.operands.items()) if k < j)
        if j < len(self.parsed):
            source, before, after = self.equal[j]
            labels = (f"step {source}", f"step {j}")
            return Case(
                self.session, before, after, labels, comparison.point, earlier, self.request.against
            )
        # the learner's final step is the one to diagnose, against the true result
        assert self.target is not None
        assert self.anchor is not None
        labels = (f"the result of {self.request.against}", f"step {j - 1}")
        return Case(
            self.session,
            self.target,
            self.anchor,
            labels,
            comparison.point,
            earlier,
            self.request.against,
        )

    def _refuted(self, j: int, comparison: Comparison, diagnosis: str) -> Pair:
        shown = None
        if j < len(self.parsed):
            source, before, after_operand = self.equal[j]
            after: Operand | None = after_operand
        else:
            assert self.anchor is not None
            source, before, after = j - 1, self.anchor, self.target
        if comparison.point is not None:
            point = self.session.point(comparison.point)
            used = before.names | (after.names if after is not None else frozenset())
            shown = shown_at(point.shown, used, self.session.kinds)  # names, and P if random
        return Pair(source, j, "refuted", shown, diagnosis)

    def _result(self, pairs: tuple[Pair, ...]) -> Result:
        refuted = [p.target for p in pairs if p.verdict == "refuted"]
        if refuted:
            verdict: Verdict = "incorrect"
        elif any(p.verdict == "unknown" for p in pairs):
            verdict = "unknown"
        else:
            verdict = "correct"
        shown = tuple(step.text for step in self.parsed)
        first = min(refuted) if refuted else None
        defined = set(self.definitions)
        assumed = tuple(sorted(set(self.session.names) - set(self.session.declared) - defined))
        return Result(self.request.id, verdict, first, pairs, None, shown, None, assumed)


def _pair(source: int, j: int, relation: str | None, outcome: Outcome) -> Pair:
    status = outcome.status
    assert status in ("proven", "numeric", "refuted", "unknown")
    return Pair(
        source,
        j,
        status,  # type: ignore[arg-type]
        outcome.point_shown if status == "refuted" else None,
        outcome.detail,
        relation,
        outcome.note,
    )


def _last_side(statement: Statement) -> Node | None:
    """The right-most expression of a single relation or chain (what ``= e`` continues)."""
    if isinstance(statement, Rel):
        return statement.right
    if statement.op == "and" and all(isinstance(p, Rel) for p in statement.parts):
        last = statement.parts[-1]
        assert isinstance(last, Rel)
        return last.right
    return None


def _statement_relation(statement: Statement) -> str:
    if isinstance(statement, Rel):
        return statement.op
    ops = {r.op for r in _all_rels(statement)}
    return ops.pop() if len(ops) == 1 else "and"


def _all_rels(statement: Statement) -> list[Rel]:
    if isinstance(statement, Rel):
        return [statement]
    return [r for p in statement.parts for r in _all_rels(p)]
