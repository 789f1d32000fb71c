"""Shared pieces of the worksheet panels: the Panel, twin look-up, shown values, messages, plots.

>>> print(value_html(-0.5))
<span class="derive-value" data-value="-0.5">−0.5</span>
>>> shown_values(value_html(0.25) + value_html(3.0))
[0.25, 3.0]
>>> message_of(message_html("singular: det A = 0"))
'singular: det A = 0'
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import ipywidgets as ipw
import numpy as np

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from derive.numeric.derivation import Derivation
    from derive.numeric.twin import Twin

_VALUE = re.compile(r'data-value="([^"]*)"')
_MESSAGE = re.compile(r'<div class="derive-message[^"]*">(.*?)</div>', re.S)


class MissingPiece(RuntimeError):
    """A worksheet needs a catalog entry, twin or tool that this installation does not have."""


class BadValue(ValueError):
    """A value a learner entered that a panel cannot use; shown as a message, not raised."""


@dataclass(frozen=True)
class Panel:
    """One interactive panel: named inputs to drive, named outputs to read, the view to show.

    ``inputs`` and ``outputs`` map names to widgets; tests set ``inputs[...].value`` and read
    ``outputs[...]`` (with :func:`shown_values` / :func:`message_of`); ``refresh()`` recomputes
    every output (a change of any input does it too). Displaying a Panel in a notebook
    displays its ``view``.
    """

    name: str
    inputs: Mapping[str, Any]
    outputs: Mapping[str, Any]
    view: Any
    refresh: Callable[[], None]

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.view._repr_mimebundle_(**kwargs)


def derivation(identifier: str) -> Derivation:
    """The catalog derivation ``identifier``; MissingPiece if the catalog does not have it."""
    from derive.catalog import UnknownDerivation, get

    try:
        return get(identifier)
    except UnknownDerivation:
        raise MissingPiece(
            f"this worksheet needs the derivation {identifier!r}, which is not in the catalog"
        ) from None


def twin(identifier: str, name: str) -> Twin:
    """The twin called ``name`` of derivation ``identifier``; MissingPiece if there is none."""
    twins = {t.name: t for t in derivation(identifier).twins}
    if name not in twins:
        raise MissingPiece(
            f"this worksheet needs the twin {name!r} of {identifier!r}, which has {sorted(twins)}"
        )
    return twins[name]


def scalar(value: Any) -> float:
    """A twin's one-element output as a Python float."""
    return float(np.asarray(value).reshape(()))


# ---- what a panel shows -------------------------------------------------------------------


def number(value: float, digits: int = 6) -> str:
    """A number for display: ``digits`` significant digits and a real minus sign."""
    if value == 0:
        value = 0.0  # no "−0"
    return f"{value:.{digits}g}".replace("-", "−").replace("inf", "∞")


def value_html(value: float, digits: int = 6) -> str:
    """A shown number that tests (and the browser test) can read back exactly."""
    value = float(value)
    return f'<span class="derive-value" data-value="{value!r}">{number(value, digits)}</span>'


def matrix_html(matrix: Any, digits: int = 4) -> str:
    """A numeric vector or matrix as a bracketed HTML table of shown values."""
    array = np.atleast_2d(np.asarray(matrix, dtype=float))
    rows = "".join(
        "<tr>" + "".join(f"<td>{value_html(v, digits)}</td>" for v in row) + "</tr>"
        for row in array
    )
    return f'<table class="derive-matrix">{rows}</table>'


def shown_values(shown: Any) -> list[float]:
    """The numbers a widget (or an HTML string) shows, in order, at full precision."""
    text = shown if isinstance(shown, str) else shown.value
    return [float(v) for v in _VALUE.findall(text)]


def message_html(text: str, kind: str = "error") -> str:
    """A message for the learner (``error`` or ``note``), never a traceback."""
    return f'<div class="derive-message derive-{kind}">{html.escape(text)}</div>'


def message_of(shown: Any) -> str | None:
    """The message a widget (or HTML string) shows, or None."""
    text = shown if isinstance(shown, str) else shown.value
    found = _MESSAGE.search(text)
    return html.unescape(found.group(1)) if found else None


def display_math(latex: str) -> str:
    """Display LaTeX for an HTMLMath widget (typeset by the page's bundled MathJax)."""
    return f"$${latex}$$"


def rows_html(rows: Iterable[tuple[str, str]]) -> str:
    """A two-column table of label → shown HTML."""
    body = "".join(f"<tr><th>{label}</th><td>{shown}</td></tr>" for label, shown in rows)
    return f'<table class="derive-rows">{body}</table>'


# ---- widgets ------------------------------------------------------------------------------

STYLE = {"description_width": "9em"}

# Styles for the HTML outputs; part of every panel, so they work in Voila and JupyterLab alike.
CSS = """<style>
.derive-panel { margin-bottom: 2em; }
.derive-matrix { display: inline-table; vertical-align: middle; border-radius: 7px;
  border-left: 2px solid #444; border-right: 2px solid #444; border-collapse: separate;
  border-spacing: 0.8em 0.15em; }
.derive-matrix td { text-align: right; font-family: monospace; }
.derive-rows th { text-align: left; padding-right: 1em; font-weight: normal; color: #555; }
.derive-rows td { font-family: monospace; }
.derive-message { padding: 0.3em 0; }
.derive-error { color: #b00020; font-weight: bold; }
.derive-note { color: #555; }
.derive-ok { color: #1b5e20; font-weight: bold; }
.derive-bad { color: #b00020; font-weight: bold; }
.derive-stale img, .derive-stale .derive-rows, .derive-stale .widget-htmlmath { opacity: 0.3; }
@media (max-width: 640px) {  /* a phone: one column, pictures scaled to the screen */
  .derive-panel .widget-hbox { flex-direction: column; }
  .derive-panel .widget-image { max-width: 100% !important; min-width: 0 !important;
    height: auto !important; }
  .derive-panel .widget-slider, .derive-panel .widget-text,
  .derive-panel .widget-textarea { width: 100% !important; }
  .derive-panel .widget-htmlmath { max-width: 100%; overflow-x: auto; }  /* wide formulas */
}
</style>"""
WIDE = ipw.Layout(width="26em")


def slider(
    description: str, value: float, low: float, high: float, step: float, *, digits: int = 2
) -> ipw.FloatSlider:
    """A float slider that updates when released, with an editable readout."""
    return ipw.FloatSlider(
        value=value,
        min=low,
        max=high,
        step=step,
        description=description,
        continuous_update=False,
        readout_format=f".{digits}f",
        style=STYLE,
        layout=ipw.Layout(width=WIDE.width),  # its own: panels hide sliders one by one
    )


def output(name: str, *, maths: bool = False) -> ipw.HTML:
    """An output area whose DOM element has the class ``derive-out-<name>``."""
    widget = ipw.HTMLMath() if maths else ipw.HTML()
    widget.add_class(f"derive-out-{name}")
    return widget


def image(name: str, size: tuple[float, float] = (5.0, 4.0)) -> ipw.Image:
    """An image output for a :func:`figure_png` plot of ``size`` inches, shown at 100 px per
    inch whatever room the layout gives it (so circles stay round)."""
    width, height = (f"{round(100 * side)}px" for side in size)
    widget = ipw.Image(
        format="png",
        layout=ipw.Layout(
            width=width, height=height, min_width=width, object_fit="contain", flex="none"
        ),
    )
    widget.add_class(f"derive-out-{name}")
    return widget


def figure_png(draw: Callable[[Figure], None], size: tuple[float, float] = (5.0, 4.0)) -> bytes:
    """Draw on a fresh matplotlib Figure (no pyplot state) and return it as PNG bytes."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=size, dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    draw(fig)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def panel(
    name: str,
    title: str,
    intro: str,
    inputs: Mapping[str, Any],
    outputs: Mapping[str, Any],
    layout: Any,
    update: Callable[[], None],
    *,
    message: ipw.HTML | None = None,
) -> Panel:
    """Wire ``update`` to every input, run it once, and wrap everything in a Panel.

    A :class:`BadValue` raised by ``update`` is shown in ``message``, above the inputs (every
    output is kept, dimmed as stale until a good value);
    any other exception is a bug: the page says so in one line, and it propagates (to the
    kernel's log, or to the test that set the value).
    """
    status = message if message is not None else output("message")

    def refresh(_: Any = None) -> None:
        try:
            update()
        except BadValue as error:
            status.value = message_html(str(error))
            layout.add_class("derive-stale")  # the outputs still show the last good value
        except Exception as error:
            status.value = message_html(f"internal error (a bug): {type(error).__name__}: {error}")
            layout.add_class("derive-stale")
            raise
        else:
            status.value = ""
            layout.remove_class("derive-stale")

    for key, widget in inputs.items():
        widget.add_class(f"derive-in-{key}")
        widget.observe(refresh, names="value")
    refresh()
    heading = ipw.HTML(f"{CSS}<h3>{html.escape(title)}</h3><p>{html.escape(intro)}</p>")
    # The message sits above the inputs and outputs, where the learner is looking, not below
    # a plot it would otherwise leave unexplained.
    view = ipw.VBox([heading, status, layout])
    view.add_class("derive-panel")
    view.add_class(f"derive-panel-{name}")
    return Panel(
        name=name,
        inputs=MappingProxyType(dict(inputs)),
        outputs=MappingProxyType({**outputs, "message": status}),
        view=view,
        refresh=refresh,
    )


def finite(value: Any) -> bool:
    """Whether every number of a twin's output is usable (twins give NaN outside their domain)."""
    return bool(np.all(np.isfinite(np.asarray(value))))
