"""Grading a class: submissions and a key in, a gradebook and a class report out.

>>> from derive.grading.submissions import Submission
>>> Submission("ada", "chain-rule", ("diff(sin(x^2), x)", "2*x*cos(x^2)")).digest
'139fb56d40a830c2'

``derive grade SUBMISSIONS.jsonl [--key KEY.jsonl] --out DIR`` reads the submissions
(:mod:`~derive.grading.submissions`) and the key (:mod:`~derive.grading.key`), grades each one
with the checker in warmed checker processes (:mod:`~derive.grading.child`): ``--jobs`` of them
on this machine (:mod:`~derive.grading.local`), or one per worker of a Dask cluster
(:mod:`~derive.grading.dask_backend`), and appends every result to
``DIR/graded.jsonl`` as it finishes (:mod:`~derive.grading.store`: a rerun grades only what is
missing), then writes the gradebook (:mod:`~derive.grading.gradebook`) and the class report
(:mod:`~derive.grading.report`). :mod:`~derive.grading.run` puts these together.
"""
