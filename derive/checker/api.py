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

from derive.checker.diagnose import Case, diagnose, name_recorded
from derive.checker.engine import Comparison, Operand, Session, Settings, TreeOperand
from derive.checker.errors import InputError
from derive.checker.kinds import Kind, parse_kind
from derive.checker.latex import looks_like_latex, parse_latex_chain
from derive.checker.limits import LIMITS, Limits
from derive.checker.names import IDENTIFIER
from derive.checker.parser import parse_chain
from derive.checker.tree import Node, unparse
from derive.checker.vocabulary import is_function
from derive.core.budget import Timeout, time_limit

Verdict = Literal["correct", "incorrect", "unknown"]
# a pair's verdict: the engine's four, a premise taken as given, a name defined by ``let``
PairVerdict = Literal["proven", "numeric", "refuted", "unknown", "given", "defined"]
FIELDS = ("id", "steps", "claim", "given", "against")


@dataclass(frozen=True)
class Request:
    """What to check: steps (or a claim ``a = b = c``), the kinds of names, and optionally a
    catalog derivation whose result the final step must equal."""

    steps: tuple[str, ...] = ()
    claim: str | None = None
    given: Mapping[str, str] = field(default_factory=dict)
    against: str | None = None
    id: Any = None

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
        return cls(tuple(steps or ()), claim, dict(given), against, identifier)


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
    for name, text in given.items():
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
    return kinds


def read_steps(request: Request, limits: Limits) -> list[tuple[str, Node]]:
    """(where, tree) for every step; a claim is split at its top-level ``=``."""
    if request.claim is not None:
        if len(request.claim) > limits.max_request_chars:
            raise InputError(
                f"claim too long ({len(request.claim)} characters; at most "
                f"{limits.max_request_chars})"
            )
        trees = _parse(request.claim, limits, "claim")
        if len(trees) > limits.max_steps:
            raise InputError(f"too many steps ({len(trees)}; at most {limits.max_steps})")
        return [("claim", t) for t in trees]
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
        trees = _parse(source, limits, where)
        if len(trees) != 1:
            raise InputError(
                "one expression per step ('=' inside a step: use 'claim', or one step per line)"
            ).at(where)
        steps.append((where, trees[0]))
    return steps


def _parse(source: str, limits: Limits, where: str) -> list[Node]:
    try:
        if looks_like_latex(source):
            return parse_latex_chain(source, limits)
        return parse_chain(source, limits)
    except InputError as error:
        raise error.at(where) from None
    except RecursionError:
        raise InputError("nested too deeply").at(where) from None


# -- checking --------------------------------------------------------------------------


def check(
    steps: Sequence[str] | str,
    given: Mapping[str, str] | None = None,
    *,
    against: str | None = None,
    id: Any = None,
    budget: float | None = None,
    catalog: bool = True,
) -> Result:
    """Check a learner's working: a list of steps, or one claim ``a = b = c``.

    ``given`` maps names to kinds (``scalar``, ``positive``, ``probability``, ``vector n``,
    ``matrix m n``, ``symmetric n``, ``spd n``); ``against`` names a catalog derivation whose
    result the final step must equal; ``budget`` bounds the seconds spent (default 5);
    ``catalog=False`` skips naming recorded catalog mistakes.
    """
    if isinstance(steps, str):
        request = Request(claim=steps, given=dict(given or {}), against=against, id=id)
    else:
        request = Request(tuple(steps), None, dict(given or {}), against, id)
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
    """One request being checked: its session, operands and pairs."""

    def __init__(self, request: Request, limits: Limits, settings: Settings, catalog: bool):
        self.request = request
        self.limits = limits
        self.catalog = catalog
        kinds = read_kinds(request.given, limits)
        parsed = read_steps(request, limits)
        if len(parsed) < 2 and request.against is None:  # one step: a final answer vs against
            raise InputError("at least two steps are needed (or a claim a = b)")
        self.session = Session(kinds, limits, settings)
        self.steps: list[TreeOperand] = []
        for where, tree in parsed:
            try:
                operand = TreeOperand(self.session, tree, where)
                operand.shape  # noqa: B018 - shapes first: a non-conformable step is an error
            except InputError as error:
                raise error.at(where) from None
            self.steps.append(operand)
        if len(self.session.names) > limits.max_names:
            raise InputError(
                f"too many names ({len(self.session.names)}; at most {limits.max_names})"
            )
        self.target = self._against()

    def _against(self) -> Operand | None:
        if self.request.against is None:
            return None
        from derive.catalog import UnknownDerivation, get
        from derive.checker.catalog import resolve

        try:
            derivation = get(self.request.against)
        except UnknownDerivation as error:
            raise InputError(str(error)).at("against") from None
        return resolve(
            self.session, derivation, derivation.result.rhs, f"the result of {derivation.id}"
        )

    def run(self, budget: float) -> Result:
        """Compare every pair, diagnose refutations, then look for proofs in the time left."""
        deadline = time.monotonic() + budget
        sides: dict[int, tuple[Operand, Operand | None]] = {
            j: (self.steps[j - 1], self.steps[j]) for j in range(1, len(self.steps))
        }
        if self.request.against is not None:
            sides[len(self.steps)] = (self.steps[-1], self.target)
        outcomes: dict[int, Pair] = {}
        try:
            with time_limit(budget):
                comparisons: dict[int, Comparison] = {}
                for j, (before, after) in sides.items():
                    if after is None:
                        outcomes[j] = Pair(j - 1, j, "unknown", None, self._incomparable())
                    else:
                        comparisons[j] = self.session.compare(before, after)
                refuted: dict[int, Case] = {}
                for j, comparison in comparisons.items():
                    if comparison.status == "refuted":
                        refuted[j] = self._case(j, comparison)
                        outcomes[j] = self._refuted(j, comparison, diagnose(refuted[j]))
                    elif comparison.status == "unknown":
                        outcomes[j] = Pair(j - 1, j, "unknown", None, comparison.detail)
                # proofs, keeping some time to name recorded mistakes afterwards
                search = min(self.limits.catalog_search, 0.4 * budget)
                reserve = search if refuted and self.catalog else 0.0
                pending = [j for j, c in comparisons.items() if c.status == "numeric"]
                for position, j in enumerate(pending):
                    left = deadline - reserve - time.monotonic()
                    before, after = sides[j]
                    assert after is not None
                    proven = self.session.prove(before, after, left / (len(pending) - position))
                    outcomes[j] = Pair(j - 1, j, "proven" if proven else "numeric")
                if self.catalog and refuted:
                    self._name_recorded(refuted, comparisons, outcomes, search)
        except Timeout:
            pass
        ran_out = f"the time budget of {budget:g} s ran out"
        pairs = tuple(outcomes.get(j) or Pair(j - 1, j, "unknown", None, ran_out) for j in sides)
        return self._result(pairs)

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
        before: Operand = self.steps[j - 1]
        after: Operand
        if j < len(self.steps):
            after, labels = self.steps[j], (f"step {j - 1}", f"step {j}")
        else:  # the learner's final step is the one to diagnose, against the true result
            assert self.target is not None
            before, after = self.target, before
            labels = (f"the result of {self.request.against}", f"step {j - 1}")
        return Case(
            self.session,
            before,
            after,
            labels,
            comparison.point,
            tuple(self.steps[:j]),
            self.request.against,
        )

    def _refuted(self, j: int, comparison: Comparison, diagnosis: str) -> Pair:
        shown = None
        if comparison.point is not None:
            point = self.session.point(comparison.point)
            after = self.steps[j] if j < len(self.steps) else self.target
            used = self.steps[j - 1].names | (after.names if after is not None else frozenset())
            shown = {name: point.shown[name] for name in sorted(used) if name in point.shown}
        return Pair(j - 1, j, "refuted", shown, diagnosis)

    def _result(self, pairs: tuple[Pair, ...]) -> Result:
        refuted = [p.target for p in pairs if p.verdict == "refuted"]
        if refuted:
            verdict: Verdict = "incorrect"
        elif any(p.verdict == "unknown" for p in pairs):
            verdict = "unknown"
        else:
            verdict = "correct"
        shown = tuple(unparse(step.tree) for step in self.steps)
        first = refuted[0] if refuted else None
        assumed = tuple(sorted(set(self.session.names) - set(self.session.declared)))
        return Result(self.request.id, verdict, first, pairs, None, shown, None, assumed)
