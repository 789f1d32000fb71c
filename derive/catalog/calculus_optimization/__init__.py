"""Calculus-and-optimisation derivations, one module each.

>>> from derive.catalog import ids
>>> from derive.core.model import Topic
>>> ids(Topic.CALCULUS_OPTIMIZATION)[:3]  # in book order
('derivative-from-limit', 'partial-derivatives', 'gradient-quadratic-form')
"""
