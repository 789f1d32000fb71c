"""The reasoning engine: one engine for the catalog's verifier and the learner's checker.

>>> import sympy as sp
>>> from derive.reasoning.equivalence import Context
>>> x = sp.Symbol("x", real=True)
>>> Context().equal((x + 1) ** 2, x**2 + 2 * x + 1).status
'proven'

- ``status``: the verdicts (proven, numeric, refuted, unknown);
- ``precision``: the precision policy (digits, tolerance) and when two values agree;
- ``numbers``: exact values at a sample point, evaluated under that policy;
- ``ladder``: the one proof ladder (SymEngine first, then SymPy's rewrites, under a budget);
- ``shapes``: the shapes of compared values; ``points``: the verifier's sample points, drawn
  through the sampling interface the checker's kinds use too (``derive.numeric.sampling``);
- ``equivalence``: the catalog's claims (equal, vanishes, scaled, nonnegative, differs);
- ``verify``: a whole derivation's checks.

The checker (``derive.checker.engine``) builds its steps and sample points in its own layer
and decides with these same parts. Imports ``derive.core`` and ``derive.numeric``.
"""
