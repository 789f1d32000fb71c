"""The catalog seen from a learner's working: results and recorded mistakes, evaluated at the
learner's sample points with symbols identified by name.

>>> from derive.catalog import get
>>> from derive.checker.engine import Session
>>> from derive.checker.kinds import parse_kind
>>> session = Session({"A": parse_kind("matrix 2 2")})
>>> session.declare(["A"])
>>> result = resolve(session, get("inverse-2x2"), get("inverse-2x2").result.rhs)
>>> result.shape
(2, 2)

A catalog expression is realised on explicit entries (``derive.numeric.realise``) at the sizes the
learner's kinds imply (``X: matrix 5 3`` fixes ``n = 5, k = 3`` for ``MatrixSymbol("X", n, k)``).
A matrix the derivation binds to entries (``A ↦ [[a, b], [c, d]]``) is matched either by its
own name (its entries ``a, b, c, d`` are then read from the learner's ``A``) or through the
learner's scalars ``a, b, c, d``.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import sympy as sp

from derive.checker import index
from derive.checker.build import Undefined, entries
from derive.checker.engine import Point, Session
from derive.checker.limits import LIMITS
from derive.checker.names import checker_name, symbol_name, variables
from derive.checker.shapes import Shape
from derive.core.budget import Timeout, time_limit
from derive.core.model import Domain, Mistake
from derive.numeric.realise import Realiser, as_scalar, entry_symbol

if TYPE_CHECKING:
    from derive.numeric.derivation import Derivation

Slot = tuple[str, int]  # a learner name and an entry index (row-major)


class Source(Protocol):
    """What realising a catalog expression takes of its derivation (a ``Derivation``, or the
    ``Stored`` part of one that the mistake index keeps)."""

    @property
    def id(self) -> str: ...

    @property
    def bindings(self) -> Mapping[Any, Any]: ...

    @property
    def sizes(self) -> tuple[Mapping[Any, int], ...]: ...


@dataclass(frozen=True)
class Stored:
    """The part of a derivation its recorded mistakes need, as ``derive.checker.index`` keeps
    it: read back in milliseconds where building the derivation takes up to a second."""

    id: str
    bindings: Mapping[Any, Any]
    sizes: tuple[Mapping[Any, int], ...]

    @classmethod
    def of(cls, derivation: Source) -> Stored:
        return cls(
            derivation.id, dict(derivation.bindings), tuple(dict(s) for s in derivation.sizes)
        )


@dataclass(frozen=True)
class CatalogOperand:
    """A catalog expression evaluated for one learner request.

    At a sample point the learner's values are substituted first and the expression is then
    realised on numbers (an exact 3×3 inverse, not a symbolic one); only the variables of its
    derivatives stay symbolic until after differentiation.
    """

    derivation: Source
    expr: Any
    sizes: Mapping[Any, int]
    direct: Mapping[Any, str]  # catalog matrix symbol -> the learner's matrix of that name
    slots: Mapping[Any, Slot]  # catalog scalar (or entry) symbol -> a learner's entry
    late: frozenset[Any]  # symbols substituted only after realising (derivative variables)
    names: frozenset[str]
    symbols: Mapping[str, Any]  # the session's symbolic values, for proofs
    realised: Any = None  # the symbolic realisation, when it was quick to get
    shape: Shape = (1, 1)
    label: str = ""

    def _at(self, values: Mapping[str, Any]) -> Any:
        known = {s: entries(values[name])[i] for s, (name, i) in self.slots.items()}
        if self.realised is not None:
            return self.realised.xreplace(known)
        return self._realise_at(values, known)

    def _realise_at(self, values: Mapping[str, Any], known: Mapping[Any, Any]) -> Any:
        free = set(variables(self.expr))
        for value in self.derivation.bindings.values():
            free |= set(variables(value))
        early = {s: v for s, v in known.items() if s not in self.late and s in free}
        matrices = {
            m: sp.ImmutableMatrix(values[name])
            for m, name in self.direct.items()
            if m not in self.late
        }
        direct_names = {m.name for m in self.direct}
        bindings: dict[Any, Any] = {
            key: value.xreplace(early) if isinstance(value, sp.Basic) else value
            for key, value in self.derivation.bindings.items()
            if getattr(key, "name", None) not in direct_names
        }
        realiser = Realiser(bindings={**bindings, **matrices}, sizes=self.sizes)
        value = as_scalar(realiser(_bind_symbols(self.derivation, self.expr).xreplace(early)))
        return value.xreplace(known) if isinstance(value, sp.Basic) else value

    def numeric(self, point: Point) -> Any:
        value = self._at(point.values)
        if isinstance(value, sp.Basic) and value.free_symbols:
            raise Undefined("a catalog expression kept symbols the working does not name")
        return value

    def symbolic(self) -> Any:
        return self._at(self.symbols)


REALISE_SECONDS = 0.3  # spent at most once per catalog expression and sizes
INDEX_SECONDS = 5.0  # ... when indexing recorded mistakes (once per process)
_realisations: dict[tuple[Any, ...], Any] = {}


def _realisation(
    derivation: Source,
    expr: Any,
    sizes: Mapping[Any, int],
    kept: frozenset[str],
    seconds: float = REALISE_SECONDS,
) -> Any:
    """The symbolic realisation of a catalog expression (cached per process), or None if it
    takes longer than ``seconds`` (a symbolic 3×3 inverse): then values are computed on
    numbers at each point instead."""
    key = (id(derivation), derivation.id, expr, tuple(sorted(sizes.items(), key=str)), kept)
    if key not in _realisations:
        bindings = {
            k: v for k, v in derivation.bindings.items() if getattr(k, "name", None) in kept
        }
        try:
            with time_limit(seconds):
                bound = _bind_symbols(derivation, expr)
                value = as_scalar(Realiser(bindings=bindings, sizes=dict(sizes))(bound))
        except Timeout as error:
            if error.enclosing:  # the request's budget ran out, not this one's:
                raise  # nothing is learned about the expression, so nothing is cached
            value = None
        except (
            ValueError,
            TypeError,
            NotImplementedError,
            ArithmeticError,
            sp.ShapeError,
        ):
            value = None
        _realisations[key] = (derivation, value)
    return _realisations[key][1]


def _bind_symbols(derivation: Source, expr: Any) -> Any:
    """``expr`` with the scalar symbols a binding fixes replaced by their values
    (``y₃ ↦ 1 − y₁ − y₂``, or a symbol standing for a vector)."""
    by_name = {getattr(k, "name", None): v for k, v in derivation.bindings.items()}
    for _ in range(5):
        fixed = {
            s: by_name[s.name]
            for s in getattr(expr, "free_symbols", ())
            if isinstance(s, sp.Symbol) and s.name in by_name
        }
        if not fixed:
            break
        expr = expr.xreplace(fixed)
    return expr


def _matrix_symbols(expr: Any) -> set[sp.MatrixSymbol]:
    return set(expr.atoms(sp.MatrixSymbol)) if isinstance(expr, sp.Basic) else set()


def _unify(dims: tuple[Any, ...], shape: Shape, sizes: dict[Any, int]) -> bool:
    for dim, size in zip(dims, shape, strict=True):
        dim = dim.xreplace(sizes) if isinstance(dim, sp.Basic) else dim
        dim = sp.Integer(dim) if isinstance(dim, int) else dim
        if dim.is_Integer:
            if int(dim) != size:
                return False
        elif isinstance(dim, sp.Symbol):
            sizes[dim] = size
        else:
            return False
    return True


def _concrete(shape: tuple[Any, ...], sizes: Mapping[Any, int]) -> tuple[int, int] | None:
    try:
        rows, cols = (int(d.xreplace(sizes)) if isinstance(d, sp.Basic) else int(d) for d in shape)
    except TypeError:
        return None
    return rows, cols


def resolve(session: Session, derivation: Source, expr: Any, label: str = "") -> Any:
    """``expr`` (over the derivation's symbols) as an operand of the learner's session, or None
    when it uses something the learner's working does not name. A matrix is matched by its
    name, through the scalars a binding gives its entries, or entry by entry (``A_12``)."""
    if isinstance(expr, int):
        expr = sp.Integer(expr)
    if not isinstance(expr, sp.Basic) or isinstance(expr, (sp.Tuple, sp.FiniteSet)):
        return None
    available = {name: session.kinds[name] for name in session.names}  # names with values
    bindings = {getattr(key, "name", None): value for key, value in derivation.bindings.items()}
    sizes: dict[Any, int] = {}
    direct: dict[Any, str] = {}
    matrices: set[Any] = set()
    pending = list(_matrix_symbols(expr))
    while pending:
        matrix = pending.pop()
        if matrix in matrices:
            continue
        matrices.add(matrix)
        name = checker_name(matrix.name)
        kind = available.get(name) if name else None
        if name and kind is not None and not kind.is_scalar:
            if not _unify(matrix.shape, kind.shape, sizes):
                return None
            direct[matrix] = name
        elif matrix.name in bindings:
            pending.extend(_matrix_symbols(bindings[matrix.name]))
    # a bound matrix the learner names directly gives the entries of its binding
    bound_slots: dict[Any, Slot] = {}
    for key, value in derivation.bindings.items():
        name = checker_name(getattr(key, "name", ""))
        kind = available.get(name) if name else None
        if (
            isinstance(key, sp.MatrixSymbol)
            and name
            and kind is not None
            and not kind.is_scalar
            and _unify(key.shape, kind.shape, sizes)
        ):
            for index, entry in enumerate(sp.ImmutableMatrix(value)):
                if isinstance(entry, sp.Symbol):
                    bound_slots.setdefault(entry, (name, index))
    for dim, size in sizes_for(derivation, (expr,)).items():
        sizes.setdefault(dim, size)
    slots: dict[Any, Slot] = {}
    for matrix, name in direct.items():
        rows, cols = available[name].shape
        for i in range(rows):
            for j in range(cols):
                slots[entry_symbol(matrix.name, i, j, cols)] = (name, i * cols + j)
    kept = frozenset(getattr(key, "name", "") for key in derivation.bindings if key not in direct)
    realised = _realisation(derivation, expr, sizes, kept)
    wanted = (
        set(variables(expr))
        | set(variables(realised))
        | {s for v in bindings.values() if isinstance(v, sp.Basic) for s in variables(v)}
    )
    for matrix in matrices - set(direct):  # written out entry by entry
        shape = _concrete(matrix.shape, sizes)
        if shape is not None:
            rows, cols = shape
            wanted |= {
                entry_symbol(matrix.name, i, j, cols) for i in range(rows) for j in range(cols)
            }
    for symbol in wanted:
        if not isinstance(symbol, (sp.Symbol, sp.Indexed)) or symbol in slots:
            continue
        name = symbol_name(symbol)
        if name is not None and name in available and available[name].is_scalar:
            slots[symbol] = (name, 0)
        elif symbol in bound_slots:
            slots[symbol] = bound_slots[symbol]
    for family in {i.base for i in expr.atoms(sp.Indexed)}:
        for k in range(1, LIMITS.max_dimension + 1):
            entry = family[k]
            name = symbol_name(entry)
            if name is not None and name in available and available[name].is_scalar:
                slots[entry] = (name, 0)
    kept = frozenset(getattr(key, "name", "") for key in derivation.bindings if key not in direct)
    operand = CatalogOperand(
        derivation=derivation,
        expr=expr,
        sizes=sizes,
        direct=direct,
        slots=slots,
        late=frozenset(_derivative_variables(expr, direct)),
        names=frozenset(name for name, _ in slots.values()) | frozenset(direct.values()),
        symbols=session.symbolic_env,
        realised=realised,
        label=label,
    )
    return _with_shape(operand, session)


def _all_symbols(expr: Any) -> set[Any]:
    if not isinstance(expr, sp.Basic):
        return set()
    return {s for s in expr.atoms(sp.Symbol) if not isinstance(s, sp.Dummy)}


def _derivative_variables(expr: Any, direct: Mapping[Any, str]) -> set[Any]:
    """Symbols that must stay symbolic until differentiated: the variables of derivatives,
    and the entry symbols of a learner's matrix that is one."""
    late: set[Any] = set()
    for derivative in expr.atoms(sp.Derivative):
        for variable, _ in derivative.variable_count:
            late.add(variable)
            if variable in direct:
                shape = _concrete(variable.shape, {})
                if shape is not None:
                    rows, cols = shape
                    late |= {
                        entry_symbol(variable.name, i, j, cols)
                        for i in range(rows)
                        for j in range(cols)
                    }
    return late


def _with_shape(operand: CatalogOperand, session: Session) -> CatalogOperand | None:
    """The operand with its shape, found by evaluating it at the first points; None if it is
    not defined there or leaves symbols the learner does not have."""
    for k in range(3):
        try:
            value = operand.numeric(session.point(k))
        except (
            Undefined,
            ValueError,
            TypeError,
            NotImplementedError,
            ArithmeticError,
            sp.ShapeError,
        ):
            continue
        if isinstance(value, sp.Basic) and value.free_symbols:
            return None
        if isinstance(value, sp.MatrixBase):
            return dataclasses.replace(operand, shape=(int(value.shape[0]), int(value.shape[1])))
        return operand
    return None


@dataclass(frozen=True)
class Recorded:
    """A recorded mistake, with the names it needs (each need: any one of a few names)."""

    derivation: Source
    mistake: Mistake
    needs: frozenset[frozenset[str]]

    @property
    def title(self) -> str:
        return f"{self.mistake.name or 'a recorded mistake'} ({self.derivation.id})"

    def possible(self, available: set[str]) -> bool:
        """Whether a learner with these names could be making this mistake (a quick filter)."""
        return all(need & available for need in self.needs)


def _needs(derivation: Source, exprs: tuple[Any, ...]) -> frozenset[frozenset[str]]:
    """The names an expression needs, each as a set of alternatives: a quick filter on which
    recorded mistakes a learner's names allow. Read off the realised form when that is quick
    (a symbol by its name, an entry ``A_{1,2}`` also by its matrix ``A``, a bound symbol also
    by the matrix a binding gives it to), else off the unevaluated form. A matrix alternative
    is written ``[A]`` (``index.matrix_name``): ``resolve`` takes a matrix only from a
    learner's matrix, and a number only from a learner's number."""
    owners: dict[Any, str] = {}
    for key, value in derivation.bindings.items():
        for symbol in getattr(value, "free_symbols", ()):
            owners[symbol] = _owner(key)
    needs: set[frozenset[str]] = set()
    for expr in exprs:
        if not isinstance(expr, sp.Basic):
            continue
        sizes = sizes_for(derivation, (expr,))
        kept = frozenset(getattr(key, "name", "") for key in derivation.bindings)
        realised = _realisation(derivation, expr, sizes, kept, INDEX_SECONDS)
        if realised is not None:
            needs |= _realised_needs(expr, realised, sizes, owners)
        else:
            needs |= _raw_needs(derivation, expr, owners)
    return frozenset(needs)


def _realised_needs(
    expr: Any, realised: Any, sizes: Mapping[Any, int], owners: Mapping[Any, str]
) -> set[frozenset[str]]:
    entry_owners = dict(owners)
    for matrix in _matrix_symbols(expr):
        shape = _concrete(matrix.shape, sizes)
        if shape is None:
            continue
        rows, cols = shape
        for i in range(rows):
            for j in range(cols):
                entry_owners[entry_symbol(matrix.name, i, j, cols)] = _owner(matrix)
    needs = set()
    for symbol in variables(realised):
        names = {symbol_name(symbol) or NO_NAME}
        if symbol in entry_owners:
            names.add(entry_owners[symbol])
        needs.add(frozenset(names))
    return needs


def _raw_needs(derivation: Source, expr: Any, owners: Mapping[Any, str]) -> set[frozenset[str]]:
    bound = {getattr(key, "name", None): value for key, value in derivation.bindings.items()}
    dimensions = {d for s in derivation.sizes for d in s}
    needs: set[frozenset[str]] = set()
    for matrix in expr.atoms(sp.MatrixSymbol):
        name = checker_name(matrix.name) or NO_NAME
        if matrix.name in bound:
            inside = {checker_name(str(s)) or NO_NAME for s in bound[matrix.name].free_symbols}
            needs.add(frozenset({_owner(matrix), *inside}))
        else:
            needs.add(frozenset({_owner(matrix), f"{name}_1", f"{name}_11"}))
    for family in {i.base.label for i in expr.atoms(sp.Indexed)}:
        needs.add(frozenset({f"{checker_name(family.name) or NO_NAME}_1"}))
    for symbol in _values_of(derivation, expr) - dimensions:
        if isinstance(symbol, sp.Symbol) and not isinstance(symbol, sp.Dummy):
            names = {checker_name(symbol.name) or NO_NAME}
            if symbol in owners:
                names.add(owners[symbol])
            needs.add(frozenset(names))
    return needs


def _owner(key: Any) -> str:
    """The alternative a binding's key or a matrix gives the symbols it owns: ``[A]`` for a
    matrix (the learner's ``A`` must be one), the plain name for a scalar key."""
    name = checker_name(getattr(key, "name", "")) or NO_NAME
    return index.matrix_name(name) if isinstance(key, sp.MatrixSymbol) else name


def _values_of(derivation: Source, expr: Any) -> set[Any]:
    """The symbols an expression's value depends on: a symbol a binding fixes counts as the
    symbols of its value (``y₃ ↦ 1 − y₁ − y₂``), and a random variable's own name does not."""
    from sympy.stats.rv import RandomSymbol

    scalar_bindings = {k: v for k, v in derivation.bindings.items() if isinstance(k, sp.Symbol)}
    found: set[Any] = set()
    pending = set(variables(expr)) - {r.symbol for r in expr.atoms(RandomSymbol)}
    while pending:
        symbol = pending.pop()
        if symbol in found:
            continue
        if symbol in scalar_bindings:
            pending |= variables(scalar_bindings.pop(symbol))
            continue
        found.add(symbol)
    return found


NO_NAME = "\0"  # a name no learner can have


@functools.cache
def recorded(identifier: str) -> tuple[Recorded, ...]:
    """The recorded mistakes of one derivation (once per process): read back from the mistake
    index (``derive.checker.index``) when it has them, else built, realised and stored there."""
    from derive.catalog import CATALOG, get

    builtin = CATALOG[identifier].builtin  # the index only speaks for derive's own entries
    if builtin:
        stored = _stored(identifier)
        if stored is not None:
            return stored
    derivation = get(identifier)
    built = build(derivation)
    if builtin:
        kept = Stored.of(derivation)  # one per derivation: realisations are cached by it
        prepared = tuple(dataclasses.replace(r, derivation=kept) for r in built)
        index.default().store(identifier, [r.needs for r in built], prepared)
    return built


def build(derivation: Derivation) -> tuple[Recorded, ...]:
    """A derivation's recorded mistakes with their needs, realised now (not from the index)."""
    return tuple(
        Recorded(derivation, m, _needs(derivation, (m.lhs, m.rhs))) for m in derivation.mistakes
    )


def _stored(identifier: str) -> tuple[Recorded, ...] | None:
    """The prepared mistakes the index keeps for a derivation, if it has them intact."""
    prepared = index.default().load(identifier)
    if not isinstance(prepared, tuple):
        return None
    for known in prepared:
        if not isinstance(known, Recorded) or not isinstance(known.derivation, Stored):
            return None
        if known.derivation.id != identifier:
            return None
    return prepared


def prepared(identifier: str) -> bool:
    """Whether a later process will find this derivation's mistakes in the index without
    building it (always true of a plug-in's entry, which the index never holds).

    >>> prepare("inverse-2x2")
    >>> prepared("inverse-2x2")
    True
    """
    from derive.catalog import CATALOG

    return not CATALOG[identifier].builtin or index.default().has(identifier)


def prepare(identifier: str) -> None:
    """Index the derivation's recorded mistakes now if the index lacks them (``derive verify``
    and the book's verification do this while the derivation is built anyway, so that a later
    ``derive check`` reads them instead of building derivations)."""
    if not prepared(identifier):
        _recorded_or_none(identifier)


def warm() -> int:
    """Have every derivation's mistakes ready now, built and indexed if the index lacks them
    (a server or a worksheet may call this at start, so that no request spends its time budget
    on it; ``derive verify`` does it for later processes); the number of mistakes."""
    from derive.catalog import ids

    return sum(len(_recorded_or_none(identifier)) for identifier in ids())


def _recorded_or_none(identifier: str) -> tuple[Recorded, ...]:
    """``recorded``, except that a plug-in entry that cannot be built has none (it is reported
    once, in ``derive.catalog.problems()``): a broken plug-in never breaks the checker."""
    from derive.catalog.plugins import PluginError, later

    try:
        return recorded(identifier)
    except PluginError as error:
        from derive.catalog import CATALOG

        later(CATALOG[identifier], error)
        return ()


def candidates(available: set[str], first: str | None = None) -> Iterator[Recorded]:
    """Recorded mistakes the learner's names (``index.typed``) allow, ``first``'s mistakes
    first. Derivations are read from the mistake index or built on first use, so an
    interrupted search keeps what it has; a derivation the index shows to have no possible
    mistake is skipped without reading or building it."""
    from derive.catalog import CATALOG, ids

    order = ([first] if first in ids() else []) + [i for i in ids() if i != first]
    stored = index.default()
    for identifier in order:
        # the index is keyed by derive's own sources, so it only speaks for built-in entries
        if CATALOG[identifier].builtin and stored.allows(identifier, available) is False:
            continue
        for known in _recorded_or_none(identifier):
            if known.possible(available):
                yield known


KIND_OF_DOMAIN = {
    Domain.REAL: "scalar",
    Domain.NONZERO: "scalar",
    Domain.POSITIVE: "positive",
    Domain.PROBABILITY: "probability",
    Domain.COUNT: "positive",
}


def given_for(
    derivation: Derivation, exprs: tuple[Any, ...], sizes: Mapping[Any, int]
) -> dict[str, str]:
    """The ``given`` kinds of the names in ``exprs`` (bound matrices as their entries)."""
    bound = {key.name for key in derivation.bindings if isinstance(key, sp.MatrixSymbol)}
    dimensions = set(sizes)
    given: dict[str, str] = {}
    symbols: set[Any] = set()
    for expr in exprs:
        if not isinstance(expr, sp.Basic):
            continue
        for matrix in expr.atoms(sp.MatrixSymbol):
            if matrix.name in bound:
                value = derivation.bindings[_key(derivation, matrix.name)]
                symbols |= set(getattr(value, "free_symbols", ()))
                continue
            rows, cols = (
                int(sp.Integer(d) if isinstance(d, int) else d.xreplace(sizes))
                for d in matrix.shape
            )
            domain = derivation.domain_of(matrix)
            name = checker_name(matrix.name) or matrix.name
            if domain is Domain.SPD:
                given[name] = f"spd {rows}"
            elif domain is Domain.SYMMETRIC:
                given[name] = f"symmetric {rows}"
            else:
                given[name] = f"vector {rows}" if cols == 1 else f"matrix {rows} {cols}"
        symbols |= {
            s for s in _values_of(derivation, expr) if isinstance(s, (sp.Symbol, sp.Indexed))
        }
    for symbol in symbols - dimensions:
        name = symbol_name(symbol) or symbol.name
        family = symbol.base.label if isinstance(symbol, sp.Indexed) else symbol
        given[name] = KIND_OF_DOMAIN.get(derivation.domain_of(family), "scalar")
    return dict(sorted(given.items()))


def _key(derivation: Derivation, name: str) -> Any:
    return next(key for key in derivation.bindings if key.name == name)


def sizes_for(derivation: Source, exprs: tuple[Any, ...]) -> dict[Any, int]:
    """Concrete sizes: the derivation's first choice, and 3 for any other symbolic size."""
    chosen = next((s for s in derivation.sizes if s), {})
    sizes: dict[Any, int] = dict(chosen)
    for expr in exprs:
        for matrix in _matrix_symbols(expr):
            for dim in matrix.shape:
                if isinstance(dim, sp.Symbol):
                    sizes.setdefault(dim, 3)
    return sizes


def request_for(derivation: Derivation, exprs: tuple[Any, ...]) -> dict[str, Any]:
    """A learner request whose steps are ``exprs`` written in the text syntax, with kinds
    from the derivation's domains (bound matrices written out as their entries).
    Raises :class:`~derive.checker.printer.Unprintable` if the syntax cannot say it."""
    from derive.checker.printer import Unprintable

    try:
        return _request_for(derivation, exprs)
    except (ValueError, TypeError) as error:
        if isinstance(error, Unprintable):
            raise
        raise Unprintable(f"cannot be written out ({error})") from None


def _request_for(derivation: Derivation, exprs: tuple[Any, ...]) -> dict[str, Any]:
    from derive.checker.printer import Unprintable, to_text

    sizes = sizes_for(derivation, exprs)
    try:
        steps = [to_text(e, derivation.bindings, sizes) for e in exprs]
    except Unprintable:  # entry by entry, then (sums written out, elementwise maps applied)
        realiser = Realiser(bindings=derivation.bindings, sizes=sizes)
        try:
            exprs = tuple(realiser(e) for e in exprs)
        except (ValueError, TypeError, NotImplementedError) as error:
            raise Unprintable(f"cannot be written out entry by entry ({error})") from None
        steps = [to_text(e, {}, sizes) for e in exprs]
    if any(len(step) > LIMITS.max_step_chars for step in steps):
        raise Unprintable(f"too long to write out ({max(map(len, steps))} characters)")
    return {"steps": steps, "given": given_for(derivation, exprs, sizes)}


def mistake_request(derivation: Derivation, mistake: Mistake) -> dict[str, Any]:
    """A learner request making a recorded mistake: the steps ``[lhs, rhs]``.

    >>> from derive.catalog import get
    >>> d = get("inverse-2x2")
    >>> mistake_request(d, d.mistakes[0])["steps"]
    ['inv([[a, b], [c, d]])', '1/(a*d - b*c)*[[a, -b], [-c, d]]']
    """
    return request_for(derivation, (mistake.lhs, mistake.rhs))
