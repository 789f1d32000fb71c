"""The verifier's sample points: which variables a claim has, and seeded exact values for them.

>>> import numpy as np
>>> import sympy as sp
>>> from derive.numeric.realise import Realiser
>>> x = sp.Symbol("x", positive=True)
>>> variables = free_variables(Realiser(), (x + 1,))
>>> shown, subs = sample_point(np.random.default_rng(0), variables, {})
>>> list(shown) == ["x"] and subs[x] > 0
True

Values are drawn through the one sampling interface (``derive.numeric.sampling.draw``) that
the checker's kinds use too: each variable as a :class:`~derive.numeric.sampling.Variable`
of its domain (declared, else read off the symbol's assumptions) and, for a matrix, its size.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import sympy as sp

from derive.core.model import Domain
from derive.numeric.probability import random_parameters
from derive.numeric.realise import Realiser, entry_symbol
from derive.numeric.sampling import Variable, draw

Variables = tuple[list[Any], list[Any]]  # free scalars and matrices, in sampling order


def domain_of(symbol: Any, domains: Mapping[Any, Domain]) -> Domain:
    """The domain a symbol is sampled from: declared (by the symbol or its name), else
    positive for a positive symbol, a general matrix for a matrix, the reals otherwise."""
    if isinstance(symbol, sp.Indexed):  # an entry of data x[i] lives where x does
        symbol = symbol.base
    if symbol in domains:
        return domains[symbol]
    for key, value in domains.items():
        if getattr(key, "name", None) == getattr(symbol, "name", None):
            return value
    if getattr(symbol, "is_positive", False):
        return Domain.POSITIVE
    return Domain.MATRIX if isinstance(symbol, sp.MatrixSymbol) else Domain.REAL


def free_variables(
    realiser: Realiser, originals: Sequence[Any], realised: Sequence[Any] = ()
) -> Variables:
    """The free scalars and matrices of ``originals``, in sampling order.

    Free variables include the parameters of random symbols' distributions and the data
    entries ``x[1], x[2], ...`` that ``realised`` sums over once their length is a number.
    """
    scalars: set[Any] = set()
    matrices: set[Any] = set()
    bound = {realiser.sized(k) for k in realiser.bindings}
    pending = [realiser.sized(sp.sympify(o)) for o in originals if o is not None]
    pending += [realiser.sized(v) for v in realiser.bindings.values()]
    for item in pending:
        matrices |= {m for m in item.atoms(sp.MatrixSymbol) if m not in bound}
        labels = {base.label for base in item.atoms(sp.IndexedBase)}
        scalars |= {s for s in item.free_symbols if isinstance(s, sp.Symbol)} - labels
        scalars |= random_parameters(item)
    for item in realised:
        if isinstance(item, sp.Basic):
            entries = item.atoms(sp.Indexed)
            scalars |= {e for e in entries if all(k.is_Integer for k in e.indices)}
    dims = {d for m in matrices for d in m.shape if isinstance(d, sp.Symbol)}
    return sorted(scalars - dims - bound, key=str), sorted(matrices, key=str)


def sample_point(
    rng: np.random.Generator, variables: Variables, domains: Mapping[Any, Domain]
) -> tuple[dict[str, str], dict[Any, Any]]:
    """A sample point for ``variables`` (see :func:`free_variables`): the values as shown to
    a reader, and the substitution of every scalar and matrix entry symbol."""
    scalars, matrices = variables
    shown: dict[str, str] = {}
    subs: dict[Any, Any] = {}
    for symbol in scalars:
        value = draw(rng, Variable(domain_of(symbol, domains)))
        subs[symbol] = value
        shown[str(symbol)] = str(value)
    for m in matrices:
        rows, cols = int(m.shape[0]), int(m.shape[1])
        value = draw(rng, Variable(domain_of(m, domains), (rows, cols)))
        for i in range(rows):
            for j in range(cols):
                subs[entry_symbol(m.name, i, j, cols)] = value[i, j]
        shown[m.name] = str(value.tolist())
    return shown, subs
