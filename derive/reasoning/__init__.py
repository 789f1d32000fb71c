"""The reasoning engine: one proof ladder (``equivalence``), the catalog verifier and its cache.

>>> import sympy as sp
>>> from derive.reasoning.equivalence import Context
>>> x = sp.Symbol("x", real=True)
>>> Context().equal((x + 1) ** 2, x**2 + 2 * x + 1).status
'proven'

Imports ``derive.core`` and ``derive.numeric``.
"""
