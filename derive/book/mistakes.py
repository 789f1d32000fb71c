"""The book's index of common mistakes: every recorded mistake, grouped by kind.

>>> from derive.core.model import Mistake
>>> kind_of(Mistake(lhs=0, rhs=0, explanation="The order reverses.", name="(AB)ᵀ = AᵀBᵀ")).title
'A rule that does not hold'
>>> kind_of(Mistake(lhs=0, rhs=0, explanation="", name="gradient sign")).title
'A sign'

The catalog records a short name and an explanation for each mistake, not a kind; the kind
is read off the name by the first rule below that matches (``KINDS`` in order, the words
are shown on the page), and a mistake no rule fits is listed under "Other". The name is a
learner's one-line label (``"(AB)ᵀ = AᵀBᵀ"``, ``"missing factor 2"``), so a few plain words
decide it; the explanation is not read.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from derive.book.pages import SITE, Formulas, _footer, _head, esc, search_box
from derive.core.model import Mistake
from derive.numeric.derivation import Derivation
from derive.render.tex import mistake_latex


@dataclass(frozen=True)
class Kind:
    """A kind of mistake: its slug, title, a line about it, and the rule for names."""

    slug: str
    title: str
    about: str
    pattern: str  # a regular expression searched in the mistake's name (case-insensitive)
    rule: str  # the pattern in words, for the page


KINDS: tuple[Kind, ...] = (
    Kind(
        "false-rule",
        "A rule that does not hold",
        "An identity that looks right and is false in general, or a rule used outside its "
        "conditions: products that do not commute, a function that is not linear, "
        "independence that was never given.",
        r"=|assumed|equally likely|dependent|treated like|applied to",
        "the name is a formula with “=”, or says assumed, equally likely, dependent, treated "
        "like, applied to",
    ),
    Kind(
        "sign",
        "A sign",
        "A minus sign lost, gained or moved, often the chain rule's inner −1.",
        r"\bsign\b|minus|negat|\bflip|^\w+ [+−] \w+$",
        "sign, minus, negated, flip, or a two-term formula such as “ad + bc”",
    ),
    Kind(
        "order",
        "Order, sides and transposes",
        "The right pieces in the wrong order or orientation: swapped factors, a row for a "
        "column, a transpose too many or too few, a square outside instead of inside.",
        r"swap|revers|order|transpos|wrong side|\brow\b|column|inverted|outside|XXᵀ",
        "swapped, reversed, order, transposed, wrong side, row, column, inverted, outside",
    ),
    Kind(
        "missing",
        "Something left out",
        "A factor, term, condition or normalisation forgotten.",
        r"forg|missing|dropped|without|not (halved|squared|scaled|reduced|brought|taken|centred"
        r"|normalised)|half done|neglect|ignored|unnormalised|unweighted|\bonly\b",
        "forgotten, missing, dropped, without, not halved (squared, scaled, …), half done, "
        "neglected, ignored, unweighted, only",
    ),
    Kind(
        "scale",
        "Scale and divisors",
        "Dividing or multiplying by the wrong amount: n for n − 1 (or back), a variance for a "
        "standard deviation, d for √d, a factor 2 too many.",
        r"\bn\b|divid|divis|\bover\b|square root|squared norms|scale|factor|√|/|multiplied"
        r"|exactly|unbiased|adds|added|copies|variance in",
        "n, divide, divisor, over, square root, scale, factor, √, /, multiplied, exactly, "
        "unbiased, adds, copies",
    ),
    Kind(
        "confused",
        "One thing taken for another",
        "A neighbouring quantity in place of the one asked for: the mean for the median, the "
        "odds for a probability, one product for another.",
        r"instead|\bfor\b|\bas\b|\bare\b|\bis\b|confused|mixed|entrywise|\bof\b|denominator",
        "instead of, for, as, is, are, confused, mixed, entrywise, of, denominator",
    ),
)
OTHER = Kind("other", "Other", "Mistakes no rule above fits.", r"$^", "none of the above")


def kind_of(mistake: Mistake) -> Kind:
    """The first kind whose rule matches the mistake's name (``OTHER`` if none does)."""
    return kind_named(mistake.name)


def kind_named(name: str) -> Kind:
    """The first kind whose rule matches this mistake name (``OTHER`` if none does)."""
    for kind in KINDS:
        if re.search(kind.pattern, name, flags=re.IGNORECASE):
            return kind
    return OTHER


@dataclass(frozen=True)
class Entry:
    """One recorded mistake and where it comes from."""

    derivation: Derivation
    number: int  # its position among the derivation's mistakes, from 1
    mistake: Mistake


@dataclass(frozen=True)
class Recorded:
    """One recorded mistake as the page shows it: where it comes from, and its formula."""

    home: str  # the id of its derivation
    title: str  # the title of its derivation
    number: int  # its position among the derivation's mistakes, from 1
    name: str
    explanation: str
    latex: str


def recorded(derivations: Sequence[Derivation]) -> list[Recorded]:
    """Every recorded mistake of these derivations, in catalog order."""
    return [
        Recorded(d.id, d.title, number, x.name, x.explanation, mistake_latex(x.lhs, x.rhs))
        for d in derivations
        for number, x in enumerate(d.mistakes, 1)
    ]


def grouped(derivations: Sequence[Derivation]) -> list[tuple[Kind, list[Entry]]]:
    """Every recorded mistake, grouped by kind (in ``KINDS`` order, then catalog order)."""
    groups: dict[str, list[Entry]] = {k.slug: [] for k in (*KINDS, OTHER)}
    for d in derivations:
        for number, mistake in enumerate(d.mistakes, 1):
            groups[kind_of(mistake).slug].append(Entry(d, number, mistake))
    return [(k, groups[k.slug]) for k in (*KINDS, OTHER) if groups[k.slug]]


def mistakes_page(derivations: Sequence[Derivation], m: Formulas) -> str:
    """The page of every recorded mistake, by kind, each linked to its derivation's page."""
    return page_of(recorded(derivations), m)


def page_of(mistakes: Sequence[Recorded], m: Formulas) -> str:
    """The page of these recorded mistakes, by kind (in ``KINDS`` order, then their order)."""
    groups: dict[str, list[Recorded]] = {k.slug: [] for k in (*KINDS, OTHER)}
    for entry in mistakes:
        groups[kind_named(entry.name).slug].append(entry)
    kinds = [(k, groups[k.slug]) for k in (*KINDS, OTHER) if groups[k.slug]]
    total = len(mistakes)
    parts = [
        _head(
            f"Common mistakes in linear algebra, probability and calculus for ML | {SITE}",
            f"{total} common mistakes, each refuted by a counterexample, grouped by kind and "
            "linked to the derivation that gets it right.",
        ),
        f'<header><nav><a href="index.html">{SITE} · the derivation book</a> › Common mistakes'
        f"</nav>{search_box()}</header>\n<main>",
        "<h1>Common mistakes</h1>",
        f"<p>Every mistake recorded in the book ({total}), each a formula the verifier refutes "
        "with a counterexample. The kind is read off the mistake's name by the first rule "
        "that fits (in the order below); each entry links to the derivation that gets it "
        "right.</p>",
        '<ul class="kinds">'
        + "".join(
            f'<li><a href="#{esc(kind.slug)}">{esc(kind.title)}</a> ({len(entries)})</li>'
            for kind, entries in kinds
        )
        + "</ul>",
    ]
    for kind, entries in kinds:
        items = "".join(
            f'<li><div class="wrong">{m(e.latex, True)}</div>'
            f"<p><strong>{esc(e.name)}.</strong> {esc(e.explanation)} "
            f'<a class="from" href="{esc(e.home)}.html#mistake-{e.number}">'
            f"→ {esc(e.title)}</a></p></li>"
            for e in entries
        )
        parts.append(
            f'<section id="{esc(kind.slug)}"><h2>{esc(kind.title)}</h2>'
            f'<p>{esc(kind.about)} <span class="note">Rule: {esc(kind.rule)}.</span></p>'
            f'<ul class="mistakes">{items}</ul></section>'
        )
    parts.append("</main>\n" + _footer() + "</body>\n</html>\n")
    return "\n".join(parts)
