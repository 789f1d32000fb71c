"""Interactive worksheets: ipywidgets panels built from the catalog's verified objects.

>>> from derive.widgets.linear_algebra import matrix_explorer
>>> panel = matrix_explorer()
>>> panel.inputs["b"].value = 2.0
>>> shown_values(panel.outputs["inverse"])[:2]
[0.75, -0.5]

Each builder returns a :class:`Panel`: its input widgets, its output widgets and the view to
display. Every number a panel shows is computed by a catalog twin (or ``derive.check``); the
panels only lay the numbers out and draw them. The notebooks in ``worksheets/`` are thin: they
import a builder and display it; ``derive worksheets`` serves them with Voila.
"""

from __future__ import annotations

from derive.widgets.common import MissingPiece, Panel, shown_values

__all__ = ["MissingPiece", "Panel", "shown_values"]
