"""Numbers: sampling points, realising matrix expressions, twins and their compiled kernels.

>>> import sympy as sp
>>> from derive.numeric.realise import Realiser
>>> x = sp.MatrixSymbol("x", 2, 1)
>>> Realiser()(x.T * x)  # a matrix expression as explicit entries
Matrix([[x_{1}**2 + x_{2}**2]])

Imports only ``derive.core``.
"""
