"""Probability-and-statistics derivations, one module each.

>>> from derive.catalog import ids
>>> from derive.core.model import Topic
>>> ids(Topic.PROBABILITY_STATISTICS)[:3]  # in book order
('mean-least-squares', 'median-least-absolute', 'variance-shortcut')
"""
