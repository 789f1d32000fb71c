"""Linear-algebra derivations, one module each.

>>> from derive.catalog import ids
>>> from derive.core.model import Topic
>>> ids(Topic.LINEAR_ALGEBRA)[:3]  # in book order
('vector-norms', 'dot-product', 'cosine-similarity')
"""
