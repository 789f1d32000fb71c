"""Numbers: sampling points, realising matrix expressions, twins and their compiled kernels.

Imports only ``derive.core``.
"""
