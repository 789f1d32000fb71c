"""derive in Jupyter: the ``%%derive`` cell magic and the rich display of checked working,
``derive.check`` results and derivations (``%load_ext derive``).

>>> from derive.notebook.display import working_of_result
>>> from derive.checker.api import check
>>> [line.mark for line in working_of_result(check(["x + x", "= 2x", "= 3x"])).lines]
['start', 'proven', 'refuted']

Nothing here imports IPython until ``load_ipython_extension`` runs in a kernel.
"""
