"""Exports of the verified exercises to where courses run: Moodle XML, a QTI package for
Canvas, and a Gradescope autograder.

>>> from derive.export.variants import tolerance
>>> tolerance(10.0)
0.01

:mod:`~derive.export.variants` turns the sheets' randomised exercises into questions with an
answer type; :mod:`~derive.export.moodle` writes them as Moodle XML, :mod:`~derive.export.qti`
as a QTI 1.2 zip (through text2qti), :mod:`~derive.export.gradescope` bundles an autograder
whose :mod:`~derive.export.autograde` grades a student's working with the checker.
"""
