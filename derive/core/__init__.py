"""The bottom layer: frozen data (``model``), definitions, errors, the time budget, the
cache folder and source fingerprints. Nothing here imports another ``derive`` layer.

>>> from derive.core.model import Topic
>>> [topic.value for topic in Topic]
['linear-algebra', 'probability-statistics', 'calculus-optimization']
"""
