"""Write tests/check/corpus_v2.jsonl: version-2 requests built from structured specs, each
with the verdicts of the independent evaluator (``v2_oracle``), never of derive.

Run from the repository root: ``.venv/bin/python -m tests.check.make_corpus_v2``. Seeded; the
file is committed and ``test_corpus_v2`` checks that this script still writes it unchanged.

Every row: ``id``, ``category``, ``feature`` (what derive must have for it: the test's
PENDING list is keyed by it), ``mistake`` (the kind of mistake planted, or null), ``request``,
and the oracle's ``truth`` per step (``start`` an expression that opens a chain, ``premise``,
``defined``, ``holds``, ``fails``), ``verdict``, ``first_error``, ``score``, and ``witness``
(the oracle's counterexample for the first failing step, for a reader), or ``error`` (a
substring the one-line input error must contain) for a request that must be refused.
"""

from __future__ import annotations

import itertools
import json
import random
from collections.abc import Callable, Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

import sympy as sp

from tests.check import v2_oracle as oracle
from tests.check.v2_oracle import Statement, World

CORPUS = Path(__file__).with_name("corpus_v2.jsonl")
x, y, a, b, c, d, z = sp.symbols("x y a b c d z", real=True)
IFF = ("<=>", "⇔", r"\iff", r"\Leftrightarrow")
IMPLIES = ("=>", "⇒", r"\implies", r"\Rightarrow")
ROWS: list[dict[str, Any]] = []


# -- text ----------------------------------------------------------------------------------


def poly(expr: Any, variable: Any = x) -> str:
    """A polynomial as a learner writes it: ``2x^2 - 3x + 1``."""
    coefficients = sp.Poly(sp.expand(expr), variable).all_coeffs()
    degree = len(coefficients) - 1
    parts: list[str] = []
    for k, coefficient in enumerate(coefficients):
        power = degree - k
        if coefficient == 0:
            continue
        sign = "-" if coefficient < 0 else "+"
        size = abs(coefficient)
        name = "" if power == 0 else (str(variable) if power == 1 else f"{variable}^{power}")
        number = str(size) if (size != 1 or power == 0) else ""
        if number and "/" in number and name:
            number = f"({number})"
        body = number + name
        parts.append(("-" if sign == "-" else "") + body if not parts else f" {sign} {body}")
    return "".join(parts) or "0"


def number(value: Any) -> str:
    value = sp.nsimplify(value)
    return str(value) if value >= 0 else f"-{-value}" if value.is_Integer else f"-({-value})"


# -- rows ----------------------------------------------------------------------------------


def add(
    category: str,
    feature: str,
    steps: Sequence[str],
    truth: Sequence[str],
    *,
    mistake: str | None = None,
    given: dict[str, str] | None = None,
    witness: Any = None,
    extra: dict[str, Any] | None = None,
    relations: Sequence[str | None] | None = None,
) -> None:
    identifier = f"{category}-{sum(r['category'] == category for r in ROWS):03d}"
    request: dict[str, Any] = {"id": identifier, "steps": list(steps)}
    if given:
        request["given"] = given
    request.update(extra or {})
    judged = [t for t in truth if t in ("holds", "fails")]
    failing = [i for i, t in enumerate(truth) if t == "fails"]
    assert len(truth) == len(steps), (steps, truth)
    assert (mistake is not None) == bool(failing), (steps, truth, mistake)
    ROWS.append(
        {
            "id": identifier,
            "category": category,
            "feature": feature,
            "mistake": mistake,
            "request": request,
            "truth": list(truth),
            "relations": list(relations)
            if relations is not None
            else ["=" if t in ("holds", "fails") else None for t in truth],
            "verdict": "incorrect" if failing else "correct",
            "first_error": failing[0] if failing else None,
            "score": (judged.count("holds") / len(judged)) if judged else 1.0,
            "witness": witness,
        }
    )


def refused(
    category: str,
    feature: str,
    steps: Sequence[str],
    error: str,
    given: dict[str, str] | None = None,
) -> None:
    identifier = f"{category}-{sum(r['category'] == category for r in ROWS):03d}"
    request: dict[str, Any] = {"id": identifier, "steps": list(steps)}
    if given:
        request["given"] = given
    ROWS.append(
        {
            "id": identifier,
            "category": category,
            "feature": feature,
            "mistake": None,
            "request": request,
            "error": error,
        }
    )


def statements(
    category: str,
    chain: Sequence[tuple[str, Statement, str]],
    variables: Sequence[Any],
    mistake: str | None,
    rng: random.Random,
    feature: str = "statements",
    given: dict[str, str] | None = None,
) -> None:
    """Steps that are statements: the first a premise, each later one judged against the one
    before by its connective ('' and '<=>' equivalence, '=>' implication)."""
    truth = ["premise"]
    relations: list[str | None] = [None]
    witness = None
    texts = [chain[0][2]]
    for (_, before, _), (connective, after, text) in itertools.pairwise(chain):
        if connective == "=>":
            ok, where = oracle.implies(before, after, variables)
        else:
            ok, where = oracle.equivalent(before, after, variables)
        truth.append("holds" if ok else "fails")
        relations.append("=>" if connective == "=>" else "<=>")
        if not ok and witness is None:
            witness = where
        spellings = IMPLIES if connective == "=>" else IFF
        plain = not any(word in text for word in ("sqrt", "or", "and", "±", "/", "("))
        spelled = rng.choice(spellings if plain else spellings[:2])
        texts.append(f"{spelled} {text}" if connective else text)
    if mistake is None and "fails" in truth:
        raise AssertionError(f"the oracle refutes a correct working: {texts} at {witness}")
    if mistake is not None and "fails" not in truth:
        raise AssertionError(f"the oracle accepts a planted mistake: {texts}")
    add(
        category,
        feature,
        texts,
        truth,
        mistake=mistake,
        given=given,
        witness=witness,
        relations=relations,
    )


def eq(lhs: Any, rhs: Any, *more: tuple[Any, Any]) -> Statement:
    return Statement(((lhs, "=", rhs),))


def either(*atoms: tuple[Any, str, Any]) -> Statement:
    return Statement((atoms[0],), tuple((atom,) for atom in atoms[1:]))


# -- equations -----------------------------------------------------------------------------


def equations(rng: random.Random) -> None:
    category = "equations"
    for _ in range(10):  # linear: a x + b = c
        k, root, shift = rng.choice([2, 3, 4, 5, -2, -3]), rng.randint(-9, 9), rng.randint(-9, 9)
        total = k * root + shift
        first = ("", eq(k * x + shift, total), f"{poly(k * x + shift)} = {total}")
        moved = ("<=>", eq(k * x, total - shift), f"{poly(k * x)} = {total - shift}")
        solved = ("<=>", eq(x, root), f"x = {root}")
        statements(category, [first, moved, solved], [x], None, rng)
        wrong = ("<=>", eq(k * x, total + shift), f"{poly(k * x)} = {total + shift}")
        if shift:
            carried = (
                "<=>",
                eq(x, sp.Rational(total + shift, k)),
                f"x = {number(sp.Rational(total + shift, k))}",
            )
            statements(category, [first, wrong, carried], [x], "sign-dropped", rng)
    for _ in range(8):  # quadratics with two integer roots
        r, s = rng.sample(range(-7, 8), 2)
        expanded = sp.expand((x - r) * (x - s))
        first = ("", eq(expanded, 0), f"{poly(expanded)} = 0")
        factored = ("<=>", eq((x - r) * (x - s), 0), f"({poly(x - r)})({poly(x - s)}) = 0")
        both = ("<=>", either((x, "=", r), (x, "=", s)), f"x = {r} or x = {s}")
        statements(category, [first, factored, both], [x], None, rng)
        wrong_root = s + rng.choice([-2, -1, 1, 2])
        if wrong_root == r:
            wrong_root += 3
        bad = ("<=>", either((x, "=", r), (x, "=", wrong_root)), f"x = {r} or x = {wrong_root}")
        statements(category, [first, factored, bad], [x], "wrong-root", rng)
        one = ("<=>", eq(x, r), f"x = {r}")
        statements(category, [first, one], [x], "root-lost", rng)
        superset = (
            "=>",
            either((x, "=", r), (x, "=", s), (x, "=", 10)),
            f"x = {r} or x = {s} or x = 10",
        )
        statements(category, [first, superset], [x], None, rng)
        back = ("=>", eq(expanded, 0), f"{poly(expanded)} = 0")
        statements(category, [("", eq(x, r), f"x = {r}"), back], [x], None, rng)
    for k in (2, 3, 4, 5, 7):  # x^2 = k^2 and the lost ±
        first = ("", eq(x**2, k * k), f"x^2 = {k * k}")
        statements(category, [first, ("<=>", eq(x, k), f"x = {k}")], [x], "plus-minus-lost", rng)
        pm = ("<=>", either((x, "=", k), (x, "=", -k)), f"x = ±{k}")
        statements(category, [first, pm], [x], None, rng, feature="plus-minus")
        statements(category, [first, ("=>", eq(x**4, k**4), f"x^4 = {k**4}")], [x], None, rng)
        statements(category, [first, ("<=>", eq(x**4, k**4), f"x^4 = {k**4}")], [x], None, rng)
        statements(
            category,
            [("", eq(x, k), f"x = {k}"), ("<=>", eq(x**2, k * k), f"x^2 = {k * k}")],
            [x],
            "squared-both-sides",
            rng,
        )
    for k in (2, 3, 5, -4, 6):  # dividing by x
        first = ("", eq(x**2, k * x), f"x^2 = {poly(k * x)}")
        statements(
            category, [first, ("<=>", eq(x, k), f"x = {k}")], [x], "divided-by-variable", rng
        )
        statements(category, [first, ("=>", eq(x, k), f"x = {k}")], [x], "divided-by-variable", rng)
        good = ("<=>", eq(x * (x - k), 0), f"x({poly(x - k)}) = 0")
        roots = ("<=>", either((x, "=", 0), (x, "=", k)), f"x = 0 or x = {k}")
        statements(category, [first, good, roots], [x], None, rng)
        statements(
            category,
            [
                ("", eq(x - k, 0), f"{poly(x - k)} = 0"),
                ("<=>", eq(x * (x - k), 0), f"x({poly(x - k)}) = 0"),
            ],
            [x],
            "multiplied-by-zero",
            rng,
        )
    for root, shift in ((1, 2), (2, 1), (3, 0), (6, -2), (0, 2)):  # squaring both sides
        constant = (root + shift) ** 2 - root  # sqrt(x + constant) = x + shift has root `root`
        squared = sp.expand((x + shift) ** 2 - x - constant)
        others = [r for r in sp.roots(squared, x) if r != root]
        first = (
            "",
            eq(sp.sqrt(x + constant), x + shift),
            f"sqrt({poly(x + constant)}) = {poly(x + shift)}",
        )
        square = (x + constant, (x + shift) ** 2)
        text = f"{poly(x + constant)} = ({poly(x + shift)})^2"
        extraneous = bool(others) and others[0] + shift < 0
        statements(category, [first, ("=>", eq(*square), text)], [x], None, rng)
        if extraneous:
            statements(
                category, [first, ("<=>", eq(*square), text)], [x], "squared-both-sides", rng
            )
            statements(category, [first, ("<=>", eq(x, root), f"x = {root}")], [x], None, rng)
    for s_, d_ in ((3, 1), (5, -1), (10, 4), (-2, 6), (7, 7)):  # systems
        u, v = sp.Rational(s_ + d_, 2), sp.Rational(s_ - d_, 2)
        system = Statement(((x + y, "=", s_), (x - y, "=", d_)))
        text = f"x + y = {s_} and x - y = {d_}"
        solved = Statement(((x, "=", u), (y, "=", v)))
        statements(
            category,
            [("", system, text), ("<=>", solved, f"x = {number(u)} and y = {number(v)}")],
            [x, y],
            None,
            rng,
            feature="systems",
        )
        swapped = Statement(((x, "=", v), (y, "=", u)))
        statements(
            category,
            [("", system, text), ("<=>", swapped, f"x = {number(v)} and y = {number(u)}")],
            [x, y],
            "wrong-root",
            rng,
            feature="systems",
        )
        added = Statement(((2 * x, "=", s_ + d_), (x - y, "=", d_)))
        statements(
            category,
            [
                ("", system, text),
                ("<=>", added, f"2x = {s_ + d_} and x - y = {d_}"),
                ("<=>", solved, f"x = {number(u)} and y = {number(v)}"),
            ],
            [x, y],
            None,
            rng,
            feature="systems",
        )
    for k in (2, 3, 5):  # rational equations
        statements(
            category,
            [("", eq(1 / x, k), f"1/x = {k}"), ("<=>", eq(x, sp.Rational(1, k)), f"x = 1/{k}")],
            [x],
            None,
            rng,
        )
    statements(
        category,
        [
            ("", eq((x**2 - 1) / (x - 1), 2), "(x^2 - 1)/(x - 1) = 2"),
            ("<=>", eq(x + 1, 2), "x + 1 = 2"),
        ],
        [x],
        "domain-gained",
        rng,
    )
    statements(
        category,
        [
            ("", eq((x**2 - 4) / (x - 2), 5), "(x^2 - 4)/(x - 2) = 5"),
            ("<=>", eq(x + 2, 5), "x + 2 = 5"),
        ],
        [x],
        None,
        rng,
    )


# -- inequalities --------------------------------------------------------------------------


def ineq(lhs: Any, relation: str, rhs: Any) -> Statement:
    return Statement(((lhs, relation, rhs),))


def inequalities(rng: random.Random) -> None:
    category = "inequalities"
    flip = {"<": ">", ">": "<", "<=": ">=", ">=": "<="}
    for _ in range(10):  # a x + b REL c  <=>  x REL' (c - b)/a
        k = rng.choice([2, 3, 4, -2, -3, -5])
        shift, total = rng.randint(-9, 9), rng.randint(-9, 9)
        relation = rng.choice(["<", "<=", ">", ">="])
        bound = sp.Rational(total - shift, k)
        solved = relation if k > 0 else flip[relation]
        first = (
            "",
            ineq(k * x + shift, relation, total),
            f"{poly(k * x + shift)} {relation} {total}",
        )
        statements(
            category,
            [first, ("<=>", ineq(x, solved, bound), f"x {solved} {number(bound)}")],
            [x],
            None,
            rng,
        )
        if k < 0:
            statements(
                category,
                [first, ("<=>", ineq(x, relation, bound), f"x {relation} {number(bound)}")],
                [x],
                "inequality-not-flipped",
                rng,
            )
        else:
            strictness = {"<": "<=", "<=": "<", ">": ">=", ">=": ">"}[relation]
            statements(
                category,
                [first, ("<=>", ineq(x, strictness, bound), f"x {strictness} {number(bound)}")],
                [x],
                "boundary-point",
                rng,
            )
    for k in (1, 2, 3, 5):  # x^2 < k^2
        first = ("", ineq(x**2, "<", k * k), f"x^2 < {k * k}")
        inside = Statement(((x, ">", -k), (x, "<", k)))
        statements(
            category, [first, ("<=>", inside, f"-{k} < x < {k}")], [x], None, rng, feature="chains"
        )
        statements(category, [first, ("<=>", inside, f"x > -{k} and x < {k}")], [x], None, rng)
        statements(
            category, [first, ("<=>", ineq(x, "<", k), f"x < {k}")], [x], "plus-minus-lost", rng
        )
        outside = ("", ineq(x**2, ">=", k * k), f"x^2 >= {k * k}")
        both = either((x, ">=", k), (x, "<=", -k))
        statements(category, [outside, ("<=>", both, f"x >= {k} or x <= -{k}")], [x], None, rng)
        statements(
            category,
            [outside, ("=>", ineq(x**2 + 1, ">", k * k), f"x^2 + 1 > {k * k}")],
            [x],
            None,
            rng,
        )
        statements(
            category,
            [("", ineq(x, ">", k), f"x > {k}"), ("=>", ineq(x**2, ">", k * k), f"x^2 > {k * k}")],
            [x],
            None,
            rng,
        )
        statements(
            category,
            [("", ineq(x**2, ">", k * k), f"x^2 > {k * k}"), ("=>", ineq(x, ">", k), f"x > {k}")],
            [x],
            "plus-minus-lost",
            rng,
        )
    chains(rng)


def chains(rng: random.Random) -> None:
    """Expression chains continued by a relation: true by a certificate, false at a witness
    (a boundary point where a square vanishes)."""
    category = "inequalities"
    cases: list[tuple[Any, list[tuple[str, Any, str]], dict[str, str] | None, str | None, Any]] = []
    am = (a + b) ** 2
    cases.append(
        (
            am,
            [("=", sp.expand(am), "a^2 + 2a b + b^2"), (">=", 4 * a * b, "4a b")],
            None,
            None,
            [(1, a - b)],
        )
    )
    cases.append(
        (
            am,
            [("=", sp.expand(am), "a^2 + 2a b + b^2"), (">", 4 * a * b, "4a b")],
            None,
            "boundary-point",
            {a: 1, b: 1},
        )
    )
    cases.append((am, [("<=", 4 * a * b, "4a b")], None, "inequality-reversed", {a: 1, b: -1}))
    for k in (1, 2, 3, 5):
        square = x**2 + k * k
        cases.append((square, [(">=", 2 * k * x, f"{2 * k}x")], None, None, [(1, x - k)]))
        cases.append((square, [(">", 2 * k * x, f"{2 * k}x")], None, "boundary-point", {x: k}))
        cases.append(
            (
                square,
                [(">=", 2 * k * x + 1, f"{2 * k}x + 1")],
                None,
                "inequality-too-strong",
                {x: k},
            )
        )
        cases.append(
            (
                x**2 - 2 * k * x + k * k + 3,
                [("=", (x - k) ** 2 + 3, f"(x - {k})^2 + 3"), (">=", 3, "3"), (">", 0, "0")],
                None,
                None,
                None,
            )
        )
    for p in (2, 3, 4):  # AM-GM
        mean = (x + p * y) / 2
        cases.append(
            (
                mean,
                [(">=", sp.sqrt(p * x * y), f"sqrt({p} x y)")],
                {"x": "positive", "y": "positive"},
                None,
                "amgm",
            )
        )
        cases.append(
            (
                mean,
                [("<=", sp.sqrt(p * x * y), f"sqrt({p} x y)")],
                {"x": "positive", "y": "positive"},
                "inequality-reversed",
                {x: 1, y: 1},
            )
        )
    cases.append((x + 1 / x, [(">=", 2, "2")], {"x": "positive"}, None, "amgm"))
    cases.append((x + 1 / x, [(">=", 2, "2")], None, "sign-assumed", {x: -1}))
    cases.append((sp.exp(x), [(">=", 1 + x, "1 + x")], None, None, "convexity"))
    cases.append((sp.exp(x), [(">", 1 + x, "1 + x")], None, "boundary-point", {x: 0}))
    cases.append((sp.log(x), [("<=", x - 1, "x - 1")], {"x": "positive"}, None, "convexity"))
    cases.append((x**2 + 1, [("!=", 0, "0")], None, None, [(1, x)]))
    cases.append(
        (
            (x + 1) ** 2,
            [("!=", x**2 + 2 * x + 1, "x^2 + 2x + 1")],
            None,
            "equal-not-different",
            {x: 0},
        )
    )
    texts = {am: "(a + b)^2", x + 1 / x: "x + 1/x", sp.exp(x): "exp(x)", sp.log(x): "log(x)"}
    for start, links, given, mistake, evidence in cases:
        text = texts.get(start)
        if text is None:
            if start.has(y):
                p = int(sp.Poly(sp.expand(2 * start), y).coeffs()[0])
                text = f"(x + {p}y)/2"
            elif start == (x + 1) ** 2:
                text = "(x + 1)^2"
            else:
                text = poly(start)
        truth, texts_out, previous, witness = ["start"], [text], start, None
        relations: list[str | None] = [None]
        for relation, expr, shown in links:
            ok = _relation_holds(previous, relation, expr, evidence, given)
            if not ok and witness is None:
                witness = {str(k): str(v) for k, v in evidence.items()}
            truth.append("holds" if ok else "fails")
            texts_out.append(f"{relation} {shown}")
            relations.append(relation)
            previous = expr
        add(
            category,
            "chain-relations",
            texts_out,
            truth,
            mistake=mistake,
            given=given,
            witness=witness,
            relations=relations,
        )


def _relation_holds(
    before: Any, relation: str, after: Any, evidence: Any, given: dict[str, str] | None
) -> bool:
    """A relation between expressions for every admissible value: decided by a certificate or
    a named classical fact (checked here on seeded points), refuted by a witness."""
    before, after = sp.sympify(before), sp.sympify(after)
    difference = sp.expand(before - after) if relation in (">=", ">") else sp.expand(after - before)
    if relation == "=":
        return sp.simplify(before - after) == 0
    if isinstance(evidence, dict):  # the witness point must break it
        point = {k: sp.Integer(v) for k, v in evidence.items()}
        broken = not oracle.RELATIONS[relation](
            oracle.value(before, point), oracle.value(after, point)
        )
        assert broken, (before, relation, after, evidence)
        return False
    if relation == "!=":
        assert evidence is not None
        assert oracle.certificate(sp.expand(before - after) - 1, evidence)
        return True  # before - after = 1 + squares > 0
    positive = [s for s in (x, y) if given and given.get(str(s)) == "positive"]
    points = oracle.sample_points(
        sorted(before.free_symbols | getattr(after, "free_symbols", set()), key=str),
        7,
        40,
        positive,
    )
    for point in points:  # a classical fact, spot-checked; a certificate where there is one
        u, v = oracle.value(before, point), oracle.value(after, point)
        assert u is not None
        assert v is not None
        assert oracle.RELATIONS[relation](u, v), (
            before,
            after,
            point,
        )
    if isinstance(evidence, list):
        assert oracle.certificate(difference, evidence), (before, relation, after)
    return True


# -- let -----------------------------------------------------------------------------------


def lets(rng: random.Random) -> None:
    category = "let"
    sig = 1 / (1 + sp.exp(-z))
    cases: list[tuple[list[str], Any, list[tuple[Any, str]], str | None, dict[str, str] | None]] = [
        (
            ["let s = sigmoid(z)", "diff(s, z)"],
            sp.diff(sig, z),
            [(sig * (1 - sig), "= s(1 - s)")],
            None,
            None,
        ),
        (
            ["let s = sigmoid(z)", "diff(s, z)"],
            sp.diff(sig, z),
            [(sig * (1 + sig), "= s(1 + s)")],
            "wrong-derivative",
            None,
        ),
        (
            ["s := sigmoid(z)", "diff(s, z)"],
            sp.diff(sig, z),
            [(sig * (1 - sig), "= s - s^2")],
            None,
            None,
        ),
        (
            ["let s = sigmoid(z)", "1 - s"],
            1 - sig,
            [(1 / (1 + sp.exp(z)), "= sigmoid(-z)")],
            None,
            None,
        ),
        (["let s = sigmoid(z)", "1 - s"], 1 - sig, [(sig, "= sigmoid(z)")], "sign-dropped", None),
    ]
    for k in (1, 2, 3, 5):
        u = x**2 + k
        cases.append(
            (
                [f"let u = x^2 + {k}", "diff(u^3, x)"],
                sp.diff(u**3, x),
                [(6 * x * u**2, "= 6x u^2")],
                None,
                None,
            )
        )
        cases.append(
            (
                [f"let u = x^2 + {k}", "diff(u^3, x)"],
                sp.diff(u**3, x),
                [(3 * u**2, "= 3u^2")],
                "missing-chain-factor",
                None,
            )
        )
        cases.append(
            (
                [f"u := {k}x + 1", "u^2"],
                (k * x + 1) ** 2,
                [(sp.expand((k * x + 1) ** 2), f"= {poly(sp.expand((k * x + 1) ** 2))}")],
                None,
                None,
            )
        )
        cases.append(
            (
                [f"let u = {k}x", "let v = u + 1", "v^2"],
                (k * x + 1) ** 2,
                [(k * k * x**2 + 1, f"= {poly(k * k * x**2 + 1)}")],
                "term-dropped",
                None,
            )
        )
        cases.append(
            (
                [f"let u = {k}x", "let v = u + 1", "let w = v^2", "w - 1"],
                (k * x + 1) ** 2 - 1,
                [(k * x * (k * x + 2), f"= {k}x({k}x + 2)")],
                None,
                None,
            )
        )
    matrix = sp.Matrix([[a, b], [c, d]])
    det = a * d - b * c
    inverse = matrix.inv()
    cases.append(
        (
            ["let A = [[a, b], [c, d]]", "inv(A)"],
            inverse,
            [(sp.Matrix([[d, -b], [-c, a]]) / det, "= 1/det(A) [[d, -b], [-c, a]]")],
            None,
            None,
        )
    )
    cases.append(
        (
            ["let A = [[a, b], [c, d]]", "inv(A)"],
            inverse,
            [(sp.Matrix([[a, -b], [-c, d]]) / det, "= 1/det(A) [[a, -b], [-c, d]]")],
            "diagonal-not-swapped",
            None,
        )
    )
    cases.append(
        (
            ["let A = [[a, b], [c, d]]", "det(A)"],
            det,
            [(det, "= a d - b c"), (a * d + b * c, "= a d + b c")],
            "sign-dropped",
            None,
        )
    )
    cases.append(
        (
            ["let A = [[a, b], [c, d]]", "A.T A"],
            matrix.T * matrix,
            [
                (
                    sp.Matrix([[a**2 + c**2, a * b + c * d], [a * b + c * d, b**2 + d**2]]),
                    "= [[a^2 + c^2, a b + c d], [a b + c d, b^2 + d^2]]",
                )
            ],
            None,
            None,
        )
    )
    cases.append(
        (
            ["let m = (a + b)/2", "(a - m)^2 + (b - m)^2"],
            (a - (a + b) / 2) ** 2 + (b - (a + b) / 2) ** 2,
            [((a - b) ** 2 / 2, "= (a - b)^2/2")],
            None,
            None,
        )
    )
    cases.append(
        (
            ["let m = (a + b)/2", "(a - m) + (b - m)"],
            sp.Integer(0),
            [(sp.Integer(0), "= 0")],
            None,
            None,
        )
    )
    cases.append(
        (
            ["let m = (a + b)/2", "(a - m)(b - m)"],
            (a - (a + b) / 2) * (b - (a + b) / 2),
            [(-((a - b) ** 2) / 4, "= -(a - b)^2/4"), ((a - b) ** 2 / 4, "= (a - b)^2/4")],
            "sign-dropped",
            None,
        )
    )
    for opening, start, links, mistake, given in cases:
        truth = ["defined"] * (len(opening) - 1) + ["start"]
        texts, previous, witness = list(opening), start, None
        names = sorted(getattr(start, "free_symbols", set()), key=str)
        for expr, text in links:
            ok, where = oracle.same_everywhere(
                previous, expr, oracle.sample_points(names, len(ROWS))
            )
            truth.append("holds" if ok else "fails")
            witness = witness or where
            texts.append(text)
            previous = expr
        add(category, "let", texts, truth, mistake=mistake, given=given, witness=witness)


# -- functions (abstract f, g) ---------------------------------------------------------------


def functions(rng: random.Random) -> None:
    category = "functions"
    F = Callable[..., Any]
    cases: list[tuple[str, F, list[tuple[str, F]], int, str | None]] = [
        (
            "diff(f(g(x)), x)",
            lambda f, g, x: sp.diff(f(g(x)), x),
            [("= f'(g(x)) g'(x)", lambda f, g, x: f.d(g(x)) * g.d(x))],
            2,
            None,
        ),
        (
            "diff(f(g(x)), x)",
            lambda f, g, x: sp.diff(f(g(x)), x),
            [("= f'(g(x))", lambda f, g, x: f.d(g(x)))],
            2,
            "missing-chain-factor",
        ),
        (
            "diff(f(g(x)), x)",
            lambda f, g, x: sp.diff(f(g(x)), x),
            [("= f'(x) g'(x)", lambda f, g, x: f.d(x) * g.d(x))],
            2,
            "wrong-derivative",
        ),
        (
            "diff(f(x) g(x), x)",
            lambda f, g, x: sp.diff(f(x) * g(x), x),
            [("= f'(x) g(x) + f(x) g'(x)", lambda f, g, x: f.d(x) * g(x) + f(x) * g.d(x))],
            2,
            None,
        ),
        (
            "diff(f(x) g(x), x)",
            lambda f, g, x: sp.diff(f(x) * g(x), x),
            [("= f'(x) g'(x)", lambda f, g, x: f.d(x) * g.d(x))],
            2,
            "wrong-derivative",
        ),
        (
            "diff(f(x)/g(x), x)",
            lambda f, g, x: sp.diff(f(x) / g(x), x),
            [
                (
                    "= (f'(x) g(x) - f(x) g'(x))/g(x)^2",
                    lambda f, g, x: (f.d(x) * g(x) - f(x) * g.d(x)) / g(x) ** 2,
                )
            ],
            2,
            None,
        ),
        (
            "diff(f(x)/g(x), x)",
            lambda f, g, x: sp.diff(f(x) / g(x), x),
            [
                (
                    "= (f(x) g'(x) - f'(x) g(x))/g(x)^2",
                    lambda f, g, x: (f(x) * g.d(x) - f.d(x) * g(x)) / g(x) ** 2,
                )
            ],
            2,
            "sign-dropped",
        ),
        (
            "diff(exp(f(x)), x)",
            lambda f, x: sp.diff(sp.exp(f(x)), x),
            [("= exp(f(x)) f'(x)", lambda f, x: sp.exp(f(x)) * f.d(x))],
            1,
            None,
        ),
        (
            "diff(exp(f(x)), x)",
            lambda f, x: sp.diff(sp.exp(f(x)), x),
            [("= exp(f(x))", lambda f, x: sp.exp(f(x)))],
            1,
            "missing-chain-factor",
        ),
        (
            "diff(f(x)^2, x)",
            lambda f, x: sp.diff(f(x) ** 2, x),
            [("= 2f(x) f'(x)", lambda f, x: 2 * f(x) * f.d(x))],
            1,
            None,
        ),
        (
            "diff(f(x)^2, x)",
            lambda f, x: sp.diff(f(x) ** 2, x),
            [("= 2f(x)", lambda f, x: 2 * f(x))],
            1,
            "missing-chain-factor",
        ),
        (
            "diff(f(x), x)",
            lambda f, x: sp.diff(f(x), x),
            [("= f'(x)", lambda f, x: f.d(x))],
            1,
            None,
        ),
        (
            "diff(f'(x), x)",
            lambda f, x: sp.diff(f.d(x), x),
            [("= f''(x)", lambda f, x: f.dd(x))],
            1,
            None,
        ),
        (
            "diff(f(x), x, 2)",
            lambda f, x: sp.diff(f(x), x, 2),
            [("= f''(x)", lambda f, x: f.dd(x))],
            1,
            None,
        ),
        (
            "diff(sin(f(x)), x)",
            lambda f, x: sp.diff(sp.sin(f(x)), x),
            [("= cos(f(x)) f'(x)", lambda f, x: sp.cos(f(x)) * f.d(x))],
            1,
            None,
        ),
        (
            "diff(sin(f(x)), x)",
            lambda f, x: sp.diff(sp.sin(f(x)), x),
            [("= -cos(f(x)) f'(x)", lambda f, x: -sp.cos(f(x)) * f.d(x))],
            1,
            "sign-dropped",
        ),
        (
            "diff(f(g(h(x))), x)",
            lambda f, g, h, x: sp.diff(f(g(h(x))), x),
            [
                (
                    "= f'(g(h(x))) g'(h(x)) h'(x)",
                    lambda f, g, h, x: f.d(g(h(x))) * g.d(h(x)) * h.d(x),
                )
            ],
            3,
            None,
        ),
        (
            "diff(f(g(h(x))), x)",
            lambda f, g, h, x: sp.diff(f(g(h(x))), x),
            [("= f'(g(h(x))) g'(h(x))", lambda f, g, h, x: f.d(g(h(x))) * g.d(h(x)))],
            3,
            "missing-chain-factor",
        ),
        (
            "f(x) + g(x)",
            lambda f, g, x: f(x) + g(x),
            [("= g(x) + f(x)", lambda f, g, x: g(x) + f(x))],
            2,
            None,
        ),
        (
            "f(g(x))",
            lambda f, g, x: f(g(x)),
            [("= g(f(x))", lambda f, g, x: g(f(x)))],
            2,
            "composition-swapped",
        ),
        (
            "f(2x)",
            lambda f, x: f(2 * x),
            [("= 2f(x)", lambda f, x: 2 * f(x))],
            1,
            "linearity-assumed",
        ),
        (
            "diff(log(f(x)), x)",
            lambda f, x: sp.diff(sp.log(f(x)), x),
            [("= f'(x)/f(x)", lambda f, x: f.d(x) / f(x))],
            1,
            None,
        ),
    ]
    for k in (2, 3, 5, -1):
        cases.append(
            (
                f"diff(f({k}x), x)",
                lambda f, x, k=k: sp.diff(f(k * x), x),
                [(f"= {k}f'({k}x)", lambda f, x, k=k: k * f.d(k * x))],
                1,
                None,
            )
        )
        cases.append(
            (
                f"diff(f({k}x), x)",
                lambda f, x, k=k: sp.diff(f(k * x), x),
                [(f"= f'({k}x)", lambda f, x, k=k: f.d(k * x))],
                1,
                "missing-chain-factor",
            )
        )
        cases.append(
            (
                f"diff(f(x^{abs(k) + 1}), x)",
                lambda f, x, k=k: sp.diff(f(x ** (abs(k) + 1)), x),
                [
                    (
                        f"= {abs(k) + 1}x^{abs(k)} f'(x^{abs(k) + 1})",
                        lambda f, x, k=k: (abs(k) + 1) * x ** abs(k) * f.d(x ** (abs(k) + 1)),
                    )
                ],
                1,
                None,
            )
        )
    for seed, (start, before, links, arity, mistake) in enumerate(cases):
        truth, texts, previous, witness = ["start"], [start], before, None
        names = "fgh"[:arity]
        given = {n: "function" for n in names}
        for text, after in links:
            ok, where = oracle.functions_agree(previous, after, arity, [x], seed)
            truth.append("holds" if ok else "fails")
            witness = witness or where
            texts.append(text)
            previous = after
        add(category, "function-kind", texts, truth, mistake=mistake, given=given, witness=witness)


# -- random variables and events -----------------------------------------------------------

X = lambda o: o["X"]  # noqa: E731
Y = lambda o: o["Y"]  # noqa: E731


def randoms(rng: random.Random) -> None:
    category = "random"
    R = Callable[[World], Fraction]
    cases: list[tuple[str, R, list[tuple[str, str, R]], bool, str | None, str]] = [
        (
            "E[X^2] - E[X]^2",
            lambda w: w.E(lambda o: X(o) ** 2) - w.E(X) ** 2,
            [("=", "Var(X)", lambda w: w.Var(X))],
            False,
            None,
            "X",
        ),
        (
            "Var(X)",
            lambda w: w.Var(X),
            [
                ("=", "E[(X - E[X])^2]", lambda w: w.E(lambda o: (X(o) - w.E(X)) ** 2)),
                ("=", "E[X^2] - E[X]^2", lambda w: w.E(lambda o: X(o) ** 2) - w.E(X) ** 2),
            ],
            False,
            None,
            "X",
        ),
        (
            "Var(X)",
            lambda w: w.Var(X),
            [("=", "E[X^2] + E[X]^2", lambda w: w.E(lambda o: X(o) ** 2) + w.E(X) ** 2)],
            False,
            "sign-dropped",
            "X",
        ),
        (
            "Var(X)",
            lambda w: w.Var(X),
            [("=", "E[X]^2 - E[X^2]", lambda w: w.E(X) ** 2 - w.E(lambda o: X(o) ** 2))],
            False,
            "sign-dropped",
            "X",
        ),
        (
            "E[X Y]",
            lambda w: w.E(lambda o: X(o) * Y(o)),
            [("=", "E[X] E[Y]", lambda w: w.E(X) * w.E(Y))],
            False,
            "independence-assumed",
            "XY",
        ),
        (
            "E[X Y]",
            lambda w: w.E(lambda o: X(o) * Y(o)),
            [("=", "E[X] E[Y]", lambda w: w.E(X) * w.E(Y))],
            True,
            None,
            "XY",
        ),
        (
            "Var(X + Y)",
            lambda w: w.Var(lambda o: X(o) + Y(o)),
            [("=", "Var(X) + Var(Y)", lambda w: w.Var(X) + w.Var(Y))],
            False,
            "independence-assumed",
            "XY",
        ),
        (
            "Var(X + Y)",
            lambda w: w.Var(lambda o: X(o) + Y(o)),
            [("=", "Var(X) + Var(Y)", lambda w: w.Var(X) + w.Var(Y))],
            True,
            None,
            "XY",
        ),
        (
            "Var(X + Y)",
            lambda w: w.Var(lambda o: X(o) + Y(o)),
            [
                (
                    "=",
                    "Var(X) + Var(Y) + 2Cov(X, Y)",
                    lambda w: w.Var(X) + w.Var(Y) + 2 * w.Cov(X, Y),
                )
            ],
            False,
            None,
            "XY",
        ),
        (
            "Var(X - Y)",
            lambda w: w.Var(lambda o: X(o) - Y(o)),
            [("=", "Var(X) - Var(Y)", lambda w: w.Var(X) - w.Var(Y))],
            True,
            "variance-of-difference",
            "XY",
        ),
        (
            "Var(X - Y)",
            lambda w: w.Var(lambda o: X(o) - Y(o)),
            [("=", "Var(X) + Var(Y)", lambda w: w.Var(X) + w.Var(Y))],
            True,
            None,
            "XY",
        ),
        (
            "Cov(X, Y)",
            lambda w: w.Cov(X, Y),
            [("=", "E[X Y] - E[X] E[Y]", lambda w: w.E(lambda o: X(o) * Y(o)) - w.E(X) * w.E(Y))],
            False,
            None,
            "XY",
        ),
        (
            "Cov(X, Y)",
            lambda w: w.Cov(X, Y),
            [("=", "0", lambda w: Fraction(0))],
            False,
            "independence-assumed",
            "XY",
        ),
        ("Cov(X, Y)", lambda w: w.Cov(X, Y), [("=", "0", lambda w: Fraction(0))], True, None, "XY"),
        (
            "Cov(X, X)",
            lambda w: w.Cov(X, X),
            [("=", "Var(X)", lambda w: w.Var(X))],
            False,
            None,
            "X",
        ),
        (
            "Cov(X, Y)",
            lambda w: w.Cov(X, Y),
            [("=", "Cov(Y, X)", lambda w: w.Cov(Y, X))],
            False,
            None,
            "XY",
        ),
        (
            "E[X + Y]",
            lambda w: w.E(lambda o: X(o) + Y(o)),
            [("=", "E[X] + E[Y]", lambda w: w.E(X) + w.E(Y))],
            False,
            None,
            "XY",
        ),
        (
            "E(X + Y)",
            lambda w: w.E(lambda o: X(o) + Y(o)),
            [("=", "E(X) + E(Y)", lambda w: w.E(X) + w.E(Y))],
            False,
            None,
            "XY",
        ),
        (
            "E[X^2]",
            lambda w: w.E(lambda o: X(o) ** 2),
            [(">=", "E[X]^2", lambda w: w.E(X) ** 2)],
            False,
            None,
            "X",
        ),
        (
            "E[X]^2",
            lambda w: w.E(X) ** 2,
            [(">=", "E[X^2]", lambda w: w.E(lambda o: X(o) ** 2))],
            False,
            "inequality-reversed",
            "X",
        ),
        ("Var(X)", lambda w: w.Var(X), [(">=", "0", lambda w: Fraction(0))], False, None, "X"),
        (
            "E[E[X]]",
            lambda w: w.E(lambda o: w.E(X)),
            [("=", "E[X]", lambda w: w.E(X))],
            False,
            None,
            "X",
        ),
        (
            "E[X - E[X]]",
            lambda w: w.E(lambda o: X(o) - w.E(X)),
            [("=", "0", lambda w: Fraction(0))],
            False,
            None,
            "X",
        ),
        (
            "E[X^2]",
            lambda w: w.E(lambda o: X(o) ** 2),
            [("=", "E[X]^2", lambda w: w.E(X) ** 2)],
            False,
            "jensen-equality",
            "X",
        ),
        (
            "E[(X + Y)^2]",
            lambda w: w.E(lambda o: (X(o) + Y(o)) ** 2),
            [
                (
                    "=",
                    "E[X^2] + 2E[X Y] + E[Y^2]",
                    lambda w: (
                        w.E(lambda o: X(o) ** 2)
                        + 2 * w.E(lambda o: X(o) * Y(o))
                        + w.E(lambda o: Y(o) ** 2)
                    ),
                )
            ],
            False,
            None,
            "XY",
        ),
        (
            "E[(X + Y)^2]",
            lambda w: w.E(lambda o: (X(o) + Y(o)) ** 2),
            [
                (
                    "=",
                    "E[X^2] + E[Y^2]",
                    lambda w: w.E(lambda o: X(o) ** 2) + w.E(lambda o: Y(o) ** 2),
                )
            ],
            False,
            "term-dropped",
            "XY",
        ),
    ]
    for k in (2, 3, -2, 5):
        cases.append(
            (
                f"Var({k}X)",
                lambda w, k=k: w.Var(lambda o: k * X(o)),
                [("=", f"{k * k}Var(X)", lambda w, k=k: k * k * w.Var(X))],
                False,
                None,
                "X",
            )
        )
        cases.append(
            (
                f"Var({k}X)",
                lambda w, k=k: w.Var(lambda o: k * X(o)),
                [("=", f"{k}Var(X)", lambda w, k=k: k * w.Var(X))],
                False,
                "variance-scaling",
                "X",
            )
        )
        cases.append(
            (
                f"E[{k}X + 1]",
                lambda w, k=k: w.E(lambda o: k * X(o) + 1),
                [("=", f"{k}E[X] + 1", lambda w, k=k: k * w.E(X) + 1)],
                False,
                None,
                "X",
            )
        )
        cases.append(
            (
                f"Var(X + {abs(k)})",
                lambda w, k=k: w.Var(lambda o: X(o) + abs(k)),
                [("=", "Var(X)", lambda w: w.Var(X))],
                False,
                None,
                "X",
            )
        )
        cases.append(
            (
                f"Var(X + {abs(k)})",
                lambda w, k=k: w.Var(lambda o: X(o) + abs(k)),
                [("=", f"Var(X) + {abs(k)}", lambda w, k=k: w.Var(X) + abs(k))],
                False,
                "shift-added",
                "X",
            )
        )
        cases.append(
            (
                f"Cov({k}X, Y)",
                lambda w, k=k: w.Cov(lambda o: k * X(o), Y),
                [("=", f"{k}Cov(X, Y)", lambda w, k=k: k * w.Cov(X, Y))],
                False,
                None,
                "XY",
            )
        )
    for seed, (start, before, links, independent, mistake, names) in enumerate(cases):
        truth, texts, previous, witness = ["start"], [start], before, None
        relations: list[str | None] = [None]
        for relation, text, after in links:
            if relation == "=":
                ok, where = oracle.distributions_agree(
                    previous, after, list(names), seed, independent
                )
            else:
                ok, where = oracle.distribution_relation(
                    previous, relation, after, list(names), seed
                )
            truth.append("holds" if ok else "fails")
            witness = witness or where
            texts.append(text if relation == "=" and seed % 3 else f"{relation} {text}")
            relations.append(relation)
            previous = after
        kind = "independent random" if independent else "random"
        given = {", ".join(names): kind} if len(names) > 1 else {names: "random"}
        add(
            category,
            "random-kind",
            texts,
            truth,
            mistake=mistake,
            given=given,
            witness=witness,
            relations=relations,
        )
    events(rng)


A_ = lambda o: o["A"] == 1  # noqa: E731
B_ = lambda o: o["B"] == 1  # noqa: E731


def events(rng: random.Random) -> None:
    category = "events"
    R = Callable[[World], Fraction]
    both = lambda o: A_(o) and B_(o)  # noqa: E731
    cases: list[tuple[str, R, list[tuple[str, R]], bool, str | None]] = [
        (
            "P(A or B)",
            lambda w: w.P(lambda o: A_(o) or B_(o)),
            [("P(A) + P(B) - P(A and B)", lambda w: w.P(A_) + w.P(B_) - w.P(both))],
            False,
            None,
        ),
        (
            "P(A ∪ B)",
            lambda w: w.P(lambda o: A_(o) or B_(o)),
            [("P(A) + P(B) - P(A ∩ B)", lambda w: w.P(A_) + w.P(B_) - w.P(both))],
            False,
            None,
        ),
        (
            "P(A or B)",
            lambda w: w.P(lambda o: A_(o) or B_(o)),
            [("P(A) + P(B)", lambda w: w.P(A_) + w.P(B_))],
            False,
            "overlap-ignored",
        ),
        (
            "P(not A)",
            lambda w: w.P(lambda o: not A_(o)),
            [("1 - P(A)", lambda w: 1 - w.P(A_))],
            False,
            None,
        ),
        (
            "P(A^c)",
            lambda w: w.P(lambda o: not A_(o)),
            [("1 - P(A)", lambda w: 1 - w.P(A_))],
            False,
            None,
        ),
        (
            "P(not A)",
            lambda w: w.P(lambda o: not A_(o)),
            [("P(A) - 1", lambda w: w.P(A_) - 1)],
            False,
            "sign-dropped",
        ),
        (
            "P(A and B)",
            lambda w: w.P(both),
            [("P(A) P(B)", lambda w: w.P(A_) * w.P(B_))],
            False,
            "independence-assumed",
        ),
        (
            "P(A and B)",
            lambda w: w.P(both),
            [("P(A) P(B)", lambda w: w.P(A_) * w.P(B_))],
            True,
            None,
        ),
        (
            "P(A | B)",
            lambda w: w.given(A_, B_),
            [("P(A and B)/P(B)", lambda w: w.P(both) / w.P(B_))],
            False,
            None,
        ),
        (
            r"P(A \mid B)",
            lambda w: w.given(A_, B_),
            [("P(A ∩ B)/P(B)", lambda w: w.P(both) / w.P(B_))],
            False,
            None,
        ),
        (
            "P(A | B)",
            lambda w: w.given(A_, B_),
            [("P(B | A) P(A)/P(B)", lambda w: w.given(B_, A_) * w.P(A_) / w.P(B_))],
            False,
            None,
        ),
        (
            "P(A | B)",
            lambda w: w.given(A_, B_),
            [("P(B | A)", lambda w: w.given(B_, A_))],
            False,
            "conditional-reversed",
        ),
        (
            "P(A | B)",
            lambda w: w.given(A_, B_),
            [("P(A)", lambda w: w.P(A_))],
            False,
            "independence-assumed",
        ),
        ("P(A | B)", lambda w: w.given(A_, B_), [("P(A)", lambda w: w.P(A_))], True, None),
        (
            "P(A | B)",
            lambda w: w.given(A_, B_),
            [("P(A and B)/P(A)", lambda w: w.P(both) / w.P(A_))],
            False,
            "conditional-reversed",
        ),
        (
            "P(A)",
            lambda w: w.P(A_),
            [
                (
                    "P(A and B) + P(A and not B)",
                    lambda w: w.P(both) + w.P(lambda o: A_(o) and not B_(o)),
                )
            ],
            False,
            None,
        ),
        (
            "P(A)",
            lambda w: w.P(A_),
            [
                (
                    "P(A | B) P(B) + P(A | not B) P(not B)",
                    lambda w: (
                        w.given(A_, B_) * w.P(B_)
                        + w.given(A_, lambda o: not B_(o)) * w.P(lambda o: not B_(o))
                    ),
                )
            ],
            False,
            None,
        ),
        (
            "P(A)",
            lambda w: w.P(A_),
            [
                (
                    "P(A | B) + P(A | not B)",
                    lambda w: w.given(A_, B_) + w.given(A_, lambda o: not B_(o)),
                )
            ],
            False,
            "weights-dropped",
        ),
        (
            "P(not (A or B))",
            lambda w: w.P(lambda o: not (A_(o) or B_(o))),
            [("P(not A and not B)", lambda w: w.P(lambda o: not A_(o) and not B_(o)))],
            False,
            None,
        ),
        (
            "P(not (A and B))",
            lambda w: w.P(lambda o: not both(o)),
            [("P(not A and not B)", lambda w: w.P(lambda o: not A_(o) and not B_(o)))],
            False,
            "de-morgan",
        ),
        (
            "P(not A and not B)",
            lambda w: w.P(lambda o: not A_(o) and not B_(o)),
            [("(1 - P(A))(1 - P(B))", lambda w: (1 - w.P(A_)) * (1 - w.P(B_)))],
            True,
            None,
        ),
        (
            "P(A and B)",
            lambda w: w.P(both),
            [("P(A | B) P(B)", lambda w: w.given(A_, B_) * w.P(B_))],
            False,
            None,
        ),
        (
            "P(A or B)",
            lambda w: w.P(lambda o: A_(o) or B_(o)),
            [
                (
                    "1 - P(not A) P(not B)",
                    lambda w: 1 - w.P(lambda o: not A_(o)) * w.P(lambda o: not B_(o)),
                )
            ],
            True,
            None,
        ),
        (
            "P(A or B)",
            lambda w: w.P(lambda o: A_(o) or B_(o)),
            [
                (
                    "1 - P(not A) P(not B)",
                    lambda w: 1 - w.P(lambda o: not A_(o)) * w.P(lambda o: not B_(o)),
                )
            ],
            False,
            "independence-assumed",
        ),
    ]
    for seed, (start, before, links, independent, mistake) in enumerate(cases):
        truth, texts, previous, witness = ["start"], [start], before, None
        for text, after in links:
            ok, where = oracle.distributions_agree(
                previous, after, ["A", "B"], 100 + seed, independent, events=True
            )
            truth.append("holds" if ok else "fails")
            witness = witness or where
            texts.append(f"= {text}" if seed % 2 else text)
            previous = after
        given = {"A, B": "independent event"} if independent else {"A": "event", "B": "event"}
        add(category, "event-kind", texts, truth, mistake=mistake, given=given, witness=witness)


# -- notation, numbers, tolerance, domains ---------------------------------------------------


def expression_rows(
    category: str,
    feature: str,
    rows: Sequence[tuple[list[str], list[Any], dict[str, str] | None, str | None]],
    seed: int,
    positive: Sequence[Any] = (),
) -> None:
    """Chains of expressions, each given as its text and the oracle's own SymPy value."""
    for k, (texts, values, given, mistake) in enumerate(rows):
        names: set[Any] = set()
        for v in values:
            names |= getattr(v, "free_symbols", set())
        points = (
            oracle.sample_points(sorted(names, key=str), seed + k, 30, positive)
            if names
            else [{}] * 8
        )
        truth, witness = ["start"], None
        for before, after in itertools.pairwise(values):
            ok, where = oracle.same_everywhere(before, after, points)
            truth.append("holds" if ok else "fails")
            witness = witness or where
        add(category, feature, texts, truth, mistake=mistake, given=given, witness=witness)


def notation(rng: random.Random) -> None:
    sig = 1 / (1 + sp.exp(-x))
    expression_rows(
        "notation",
        "sigmoid-call",
        [
            (
                [r"\frac{d}{dx}\sigma(x)", r"= \sigma(x)(1-\sigma(x))"],
                [sp.diff(sig, x), sig * (1 - sig)],
                None,
                None,
            ),
            (["diff(σ(x), x)", "= σ(x)(1 - σ(x))"], [sp.diff(sig, x), sig * (1 - sig)], None, None),
            (
                ["diff(σ(x), x)", "= σ(x)(1 + σ(x))"],
                [sp.diff(sig, x), sig * (1 + sig)],
                None,
                "wrong-derivative",
            ),
            (["σ(x)", "= 1/(1 + exp(-x))"], [sig, sig], None, None),
            (["σ(-x)", "= 1 - σ(x)"], [1 - sig, 1 - sig], None, None),
            (["σ(-x)", "= σ(x)"], [1 - sig, sig], None, "sign-dropped"),
        ],
        11,
    )
    sm = [
        sp.exp(a) / (sp.exp(a) + sp.exp(b) + sp.exp(c)),
        sp.exp(b) / (sp.exp(a) + sp.exp(b) + sp.exp(c)),
        sp.exp(c) / (sp.exp(a) + sp.exp(b) + sp.exp(c)),
    ]
    expression_rows(
        "notation",
        "ml-functions",
        [
            (
                ["softmax([a, b, c])", "= exp([a, b, c])/(exp(a) + exp(b) + exp(c))"],
                [sp.Matrix(sm), sp.Matrix(sm)],
                None,
                None,
            ),
            (
                ["softmax([a, b, c])", "= exp([a, b, c])/(exp(a) + exp(b))"],
                [
                    sp.Matrix(sm),
                    sp.Matrix([sp.exp(s) / (sp.exp(a) + sp.exp(b)) for s in (a, b, c)]),
                ],
                None,
                "term-dropped",
            ),
            (
                ["softmax([a, b, c])", "= softmax([a + 1, b + 1, c + 1])"],
                [sp.Matrix(sm), sp.Matrix(sm)],
                None,
                None,
            ),
            (
                ["logsumexp([a, b])", "= log(exp(a) + exp(b))"],
                [sp.log(sp.exp(a) + sp.exp(b))] * 2,
                None,
                None,
            ),
            (
                ["logsumexp([a, b])", "= a + b"],
                [sp.log(sp.exp(a) + sp.exp(b)), a + b],
                None,
                "wrong-identity",
            ),
            (["relu(x)", "= (x + abs(x))/2"], [sp.Max(x, 0), (x + sp.Abs(x)) / 2], None, None),
            (["relu(x)", "= abs(x)"], [sp.Max(x, 0), sp.Abs(x)], None, "sign-dropped"),
            (
                ["max(a, b)", "= (a + b + abs(a - b))/2"],
                [sp.Max(a, b), (a + b + sp.Abs(a - b)) / 2],
                None,
                None,
            ),
            (
                ["min(a, b)", "= (a + b - abs(a - b))/2"],
                [sp.Min(a, b), (a + b - sp.Abs(a - b)) / 2],
                None,
                None,
            ),
            (["min(a, b)", "= -max(-a, -b)"], [sp.Min(a, b), sp.Min(a, b)], None, None),
            (["mean([a, b, c])", "= (a + b + c)/3"], [(a + b + c) / 3] * 2, None, None),
            (
                ["mean([a, b, c])", "= (a + b + c)/2"],
                [(a + b + c) / 3, (a + b + c) / 2],
                None,
                "constant-factor",
            ),
            ([r"\operatorname{relu}(x)", "= max(x, 0)"], [sp.Max(x, 0)] * 2, None, None),
        ],
        12,
    )
    expression_rows(
        "notation",
        "latex-extras",
        [
            (
                [r"\cfrac{1}{1 + \cfrac{1}{x}}", "= x/(x + 1)"],
                [1 / (1 + 1 / x), x / (x + 1)],
                None,
                None,
            ),
            ([r"\dfrac{a}{b} + \tfrac{c}{b}", "= (a + c)/b"], [a / b + c / b] * 2, None, None),
            (
                [r"\dfrac{a}{b} + \tfrac{c}{b}", "= (a + c)/(2b)"],
                [a / b + c / b, (a + c) / (2 * b)],
                None,
                "constant-factor",
            ),
            (
                [
                    r"\left[\begin{array}{cc} a & b \\ c & d \end{array}\right]",
                    "= [[a, b], [c, d]]",
                ],
                [sp.Matrix([[a, b], [c, d]])] * 2,
                None,
                None,
            ),
            (
                [r"\det \left(\begin{array}{cc} a & b \\ c & d \end{array}\right)", "= a d - b c"],
                [a * d - b * c] * 2,
                None,
                None,
            ),
            (
                [r"\det \left(\begin{array}{cc} a & b \\ c & d \end{array}\right)", "= a d + b c"],
                [a * d - b * c, a * d + b * c],
                None,
                "sign-dropped",
            ),
            ([r"\mathrm{e}^{x} \mathrm{e}^{y}", "= exp(x + y)"], [sp.exp(x + y)] * 2, None, None),
            ([r"\operatorname{sigmoid}(x)", r"= \sigma(x)"], [sig] * 2, None, None),
        ],
        13,
    )
    mat = sp.Matrix(3, 3, sp.symbols("m0:9", real=True))
    sym = sp.Matrix(3, 3, lambda i, j: sp.Symbol(f"s{min(i, j)}{max(i, j)}", real=True))
    vec = sp.Matrix(sp.symbols("v0:3", real=True))
    quad = lambda M: sp.Matrix([sp.diff((vec.T * M * vec)[0, 0], v) for v in vec])  # noqa: E731
    expression_rows(
        "notation",
        "adjacent-letters",
        [
            (
                ["diff(x.T A x, x)", "= 2Ax"],
                [quad(sym), 2 * sym * vec],
                {"A": "symmetric 3", "x": "vector 3"},
                None,
            ),
            (
                ["diff(x.T A x, x)", "= 2Ax"],
                [quad(mat), 2 * mat * vec],
                {"A": "matrix 3 3", "x": "vector 3"},
                "symmetry-assumed",
            ),
            (
                ["diff(x.T A x, x)", "= (A + A.T)x"],
                [quad(mat), (mat + mat.T) * vec],
                {"A": "matrix 3 3", "x": "vector 3"},
                None,
            ),
            (
                ["(a + b)^2", "= a^2 + 2ab + b^2"],
                [(a + b) ** 2] * 2,
                {"a": "scalar", "b": "scalar"},
                None,
            ),
            (
                ["(a + b)^2", "= a^2 + ab + b^2"],
                [(a + b) ** 2, a**2 + a * b + b**2],
                {"a": "scalar", "b": "scalar"},
                "term-dropped",
            ),
            (
                ["(a - b)(a + b)", "= a^2 - b^2", "= aa - bb"],
                [(a - b) * (a + b)] * 3,
                {"a": "scalar", "b": "scalar"},
                None,
            ),
        ],
        14,
    )
    refused("notation", "unknown-functions", ["sinn(x)", "sin(x)"], "sinn")
    refused("notation", "unknown-functions", ["coss(x) + 1", "cos(x) + 1"], "coss")
    refused("notation", "unknown-functions", ["softmaks(z)", "softmax(z)"], "softmaks")


def numbers(rng: random.Random) -> None:
    rows: list[tuple[list[str], list[Any], dict[str, str] | None, str | None]] = []
    for _ in range(8):
        n = rng.randint(1_000_000, 99_999_999)
        grouped = f"{n:,}"
        wrong = n // 10
        style = rng.choice(["comma", "latex-comma", "thin", "space"])
        text = {
            "comma": grouped,
            "latex-comma": grouped.replace(",", "{,}"),
            "thin": grouped.replace(",", r"\,"),
            "space": grouped.replace(",", " "),
        }[style]
        rows.append(([text, f"= {n}"], [sp.Integer(n)] * 2, None, None))
        rows.append(
            ([text, f"= {wrong}"], [sp.Integer(n), sp.Integer(wrong)], None, "misread-number")
        )
    for _ in range(5):
        n = rng.randint(1000, 99_999)
        rows.append(([f"{n:,} + x", f"= x + {n}"], [n + x] * 2, None, None))
    for numerator, denominator in ((2, 5), (3, 4), (1, 8), (7, 20)):
        decimal = str(
            Fraction(numerator, denominator).numerator
            / Fraction(numerator, denominator).denominator
        )
        short = decimal.lstrip("0")
        rows.append(
            (
                [short, f"= {numerator}/{denominator}"],
                [sp.Rational(numerator, denominator)] * 2,
                None,
                None,
            )
        )
        percent = Fraction(numerator * 100, denominator)
        if percent.denominator == 1:
            rows.append(
                (
                    [f"{percent.numerator}%", f"= {numerator}/{denominator}"],
                    [sp.Rational(numerator, denominator)] * 2,
                    None,
                    None,
                )
            )
            rows.append(
                (
                    [f"{percent.numerator}%", f"= {percent.numerator}"],
                    [sp.Rational(numerator, denominator), sp.Integer(percent.numerator)],
                    None,
                    "misread-number",
                )
            )
    for mantissa, exponent in ((25, -4), (3, -2), (15, 3), (7, -3)):
        exact = sp.Rational(mantissa, 10) * sp.Integer(10) ** exponent
        rows.append(([f"{mantissa / 10}e{exponent}", f"= {exact}"], [exact] * 2, None, None))
        rows.append(
            (
                [f"{mantissa / 10}e{exponent}", f"= {exact * 10}"],
                [exact, exact * 10],
                None,
                "misread-number",
            )
        )
    expression_rows("numbers", "numbers", rows, 21)


def tolerances(rng: random.Random) -> None:
    category = "tolerance"
    values = [
        sp.sqrt(17),
        sp.pi,
        sp.E,
        sp.sqrt(2),
        sp.log(3),
        sp.Rational(1, 7),
        sp.Rational(2, 3),
        sp.exp(-1),
        sp.sqrt(3) / 2,
        sp.Rational(1, 12),
    ]
    texts = [
        "sqrt(17)",
        "pi",
        "e",
        "sqrt(2)",
        "log(3)",
        "1/7",
        "2/3",
        "exp(-1)",
        "sqrt(3)/2",
        "1/12",
    ]
    for exact, text in zip(values, texts, strict=True):
        for decimals in (2, 3, 4, 5):
            shown = _safe_digits(exact, decimals)
            if shown is None:
                continue
            assert oracle.digits_match(exact, shown)
            add(category, "approx", [text, f"≈ {shown}"], ["start", "holds"], relations=[None, "≈"])
            off = _shift(shown, rng.choice([-3, 3]))
            assert oracle.digits_miss(exact, off), (exact, off)
            add(
                category,
                "approx",
                [text, f"≈ {off}"],
                ["start", "fails"],
                mistake="wrong-digits",
                witness={"exact": str(exact.evalf(decimals + 4))},
                relations=[None, "≈"],
            )
            break
    for exact, text in (
        (sp.Rational(1, 12), "1/12"),
        (sp.Rational(2, 7), "2/7"),
        (sp.sqrt(5) - 2, "sqrt(5) - 2"),
        (sp.Rational(5, 9), "5/9"),
    ):
        shown = f"{float(exact):.4g}"
        assert oracle.relative_error(exact, shown) < sp.Rational(1, 300)
        add(
            category,
            "tolerance",
            [text, shown],
            ["start", "holds"],
            extra={"tolerance": {"relative": 0.01}},
        )
        far = f"{float(exact) * 1.01:.4g}"
        assert oracle.relative_error(exact, far) > sp.Rational(3, 1000)
        add(
            category,
            "tolerance",
            [text, far],
            ["start", "fails"],
            mistake="wrong-digits",
            extra={"tolerance": {"relative": 0.001}},
        )
        add(
            category,
            "tolerance",
            [text, shown],
            ["start", "fails"],
            mistake="decimal-without-tolerance",
        )
    for exact, text in (
        (sp.Rational(1, 9), "1/9"),
        (sp.log(2), "log(2)"),
        (sp.sqrt(2) / 2, "sqrt(2)/2"),
    ):
        shown = _safe_digits(exact, 3)  # in [0.1, 1): 3 significant digits are 3 decimals
        assert shown is not None
        assert sp.Rational(1, 10) <= sp.Rational(shown) < 1
        add(
            category,
            "tolerance",
            [text, shown],
            ["start", "holds"],
            extra={"tolerance": {"digits": 3}},
        )
        off = _shift(shown, 5)
        assert oracle.digits_miss(exact, off)
        add(
            category,
            "tolerance",
            [text, off],
            ["start", "fails"],
            mistake="wrong-digits",
            extra={"tolerance": {"digits": 3}},
        )


def _safe_digits(exact: Any, decimals: int) -> str | None:
    """The value to ``decimals`` places when the next digit is 0 or 1 (so rounding and
    truncation agree), else None."""
    scaled = (sp.sympify(exact) * 10 ** (decimals + 1)).evalf(40)
    digit = int(sp.floor(scaled)) % 10
    if digit > 1:
        return None
    kept = int(sp.floor(scaled)) // 10
    sign = "-" if kept < 0 else ""
    kept = abs(kept)
    return f"{sign}{kept // 10**decimals}.{kept % 10**decimals:0{decimals}d}"


def _shift(shown: str, units: int) -> str:
    decimals = len(shown.split(".")[1])
    value = sp.Rational(shown) + units * sp.Rational(1, 10**decimals)
    kept = int(value * 10**decimals)
    return f"{kept // 10**decimals}.{kept % 10**decimals:0{decimals}d}"


def domains(rng: random.Random) -> None:
    rows: list[tuple[list[str], list[Any], dict[str, str] | None, str | None]] = [
        (["log(x^2)", "= 2 log(x)"], [sp.log(x**2), 2 * sp.log(x)], None, "domain-loss"),
        (["log(x^2)", "= 2 log(abs(x))"], [sp.log(x**2), 2 * sp.log(sp.Abs(x))], None, None),
        (["sqrt(x^2)", "= x"], [sp.sqrt(x**2), x], None, "sign-assumed"),
        (["x", "= sqrt(x)^2"], [x, sp.Pow(sp.sqrt(x), 2, evaluate=False)], None, "domain-loss"),
        (["x", "= exp(log(x))"], [x, sp.exp(sp.log(x), evaluate=False)], None, "domain-loss"),
        (["exp(log(x))", "= x"], [sp.exp(sp.log(x), evaluate=False), x], None, None),
        (
            ["log(x y)", "= log(x) + log(y)"],
            [sp.log(x * y), sp.log(x) + sp.log(y)],
            None,
            "domain-loss",
        ),
        (["(x^2 - 1)/(x - 1)", "= x + 1"], [(x**2 - 1) / (x - 1), x + 1], None, None),
        (
            ["sqrt(x) sqrt(x)", "= x"],
            [sp.Mul(sp.sqrt(x), sp.sqrt(x), evaluate=False), x],
            None,
            None,
        ),
        (["sqrt(x^2 y^2)", "= x y"], [sp.sqrt(x**2 * y**2), x * y], None, "sign-assumed"),
        (["sqrt(x^2 y^2)", "= abs(x y)"], [sp.sqrt(x**2 * y**2), sp.Abs(x * y)], None, None),
    ]
    expression_rows("domains", "domain-loss", rows, 31)
    expression_rows(
        "domains",
        "domain-loss",
        [
            (["log(x^2)", "= 2 log(x)"], [sp.log(x**2), 2 * sp.log(x)], {"x": "positive"}, None),
            (
                ["log(x y)", "= log(x) + log(y)"],
                [sp.log(x * y), sp.log(x) + sp.log(y)],
                {"x": "positive", "y": "positive"},
                None,
            ),
            (
                ["sqrt(x^2 y^2)", "= x y"],
                [sp.sqrt(x**2 * y**2), x * y],
                {"x": "positive", "y": "positive"},
                None,
            ),
        ],
        41,
        positive=[x, y],
    )


def main() -> None:
    rng = random.Random(20261205)
    for part in (
        equations,
        inequalities,
        lets,
        functions,
        randoms,
        notation,
        numbers,
        tolerances,
        domains,
    ):
        part(rng)
    CORPUS.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in ROWS))
    from collections import Counter

    print(len(ROWS), dict(Counter(r["category"] for r in ROWS)))


if __name__ == "__main__":
    main()
