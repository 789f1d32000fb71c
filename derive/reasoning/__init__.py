"""The reasoning engine: one proof ladder (``equivalence``), the catalog verifier and its cache.

Imports ``derive.core`` and ``derive.numeric``.
"""
