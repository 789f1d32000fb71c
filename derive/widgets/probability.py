"""Probability panels: a Bayes calculator with its population picture, distribution explorers.

>>> panel = bayes()
>>> panel.inputs["prevalence"].value = 1.5
>>> c.message_of(panel.outputs["message"])
'prevalence must be a probability strictly between 0 and 1 (got 1.5)'
"""

from __future__ import annotations

from typing import Any

import numpy as np

from derive.render.tex import tex
from derive.widgets import common as c

# (derivation, twin) pairs this module reads, and the names of the twins' inputs.
POSTERIOR = ("bayes-theorem", "posterior")
EVIDENCE = ("bayes-theorem", "evidence")
BAYES_ARGS = {"prevalence": "p", "sensitivity": "s", "false_positive": "f"}
POPULATION = 1000  # people in the counting picture: 40 × 25 squares

# Each explorer: its derivation, the twins' names (mean, variance, pmf/pdf) and parameters.
DISTRIBUTIONS: dict[str, dict[str, Any]] = {
    "Bernoulli": {"id": "bernoulli", "density": "pmf", "params": ("p",), "at": "k"},
    "binomial": {"id": "binomial", "density": "pmf", "params": ("n", "p"), "at": "k"},
    "normal": {"id": "normal-distribution", "density": "pdf", "params": ("mu", "sigma"), "at": "x"},
}


def _probability(name: str, value: float) -> float:
    if not 0.0 < value < 1.0:
        raise c.BadValue(f"{name} must be a probability strictly between 0 and 1 (got {value:g})")
    return float(value)


def bayes() -> c.Panel:
    """P(disease | positive) from prevalence, sensitivity and false-positive rate, and the
    same numbers as people: 1000 squares coloured by disease and test result."""
    posterior = c.twin(*POSTERIOR)
    evidence = c.twin(*EVIDENCE)
    result = c.derivation(POSTERIOR[0]).result
    boxes = {
        "prevalence": c.ipw.FloatText(value=0.01, step=0.001, description="prevalence P(D)"),
        "sensitivity": c.ipw.FloatText(value=0.99, step=0.01, description="sensitivity P(+|D)"),
        "false_positive": c.ipw.FloatText(
            value=0.05, step=0.01, description="false-positive rate P(+|¬D)"
        ),
    }
    for box in boxes.values():
        box.style = {"description_width": "14em"}
        box.layout = c.ipw.Layout(width="22em")
    formula = c.output("formula", maths=True)
    formula.value = c.display_math(f"{tex(result.lhs)} = {tex(result.rhs)}")
    numbers = c.output("numbers")
    picture = c.image("picture", (6.0, 3.4))

    def update() -> None:
        given = {k: _probability(k.replace("_", "-"), box.value) for k, box in boxes.items()}
        args = {BAYES_ARGS[k]: np.float64(v) for k, v in given.items()}
        p_positive = c.scalar(evidence(**args))
        p_disease = c.scalar(posterior(**args))
        if not c.finite([p_positive, p_disease]):
            raise c.BadValue(f"outside the derivation's domain: {posterior.domain}")
        # The picture: expected counts of POPULATION people, from the same two twins.
        positives = round(POPULATION * p_positive)
        true_positives = round(POPULATION * p_positive * p_disease)
        sick = round(POPULATION * given["prevalence"])
        numbers.value = c.rows_html(
            [
                ("P(+), by total probability", c.value_html(p_positive)),
                ("P(D | +), by Bayes", c.value_html(p_disease)),
                (
                    f"of {POPULATION} people",
                    f"{sick} ill; {positives} test positive, of whom {true_positives} are ill",
                ),
            ]
        )
        picture.value = c.figure_png(
            lambda fig: _draw_population(fig, sick, true_positives, positives - true_positives),
            size=(6.0, 3.4),
        )

    layout = c.ipw.VBox(
        [c.ipw.HBox([c.ipw.VBox(list(boxes.values())), c.ipw.VBox([formula, numbers])]), picture]
    )
    return c.panel(
        "bayes",
        "Bayes with base rates",
        "A test for a rare disease: type the prevalence, the test's sensitivity and its "
        "false-positive rate. Most positives can be false when the disease is rare.",
        boxes,
        {"formula": formula, "numbers": numbers, "picture": picture},
        layout,
        update,
    )


def _draw_population(fig: Any, sick: int, true_pos: int, false_pos: int) -> None:
    """POPULATION squares: ill & positive, ill & negative, well & positive, well & negative."""
    columns, rows = 40, POPULATION // 40
    colours = np.full(POPULATION, 3)
    colours[:true_pos] = 0
    colours[true_pos:sick] = 1
    colours[sick : sick + false_pos] = 2
    grid = colours.reshape(rows, columns)
    palette = np.array(
        [[0.80, 0.10, 0.15], [0.98, 0.70, 0.70], [0.95, 0.60, 0.05], [0.88, 0.88, 0.88]]
    )
    ax = fig.add_subplot()
    ax.imshow(palette[grid], interpolation="nearest")
    ax.set_xticks([])
    ax.set_yticks([])
    labels = [
        f"ill, positive ({true_pos})",
        f"ill, negative ({sick - true_pos})",
        f"well, positive ({false_pos})",
        f"well, negative ({POPULATION - sick - false_pos})",
    ]
    for colour, label in zip(palette, labels, strict=True):
        ax.scatter([], [], marker="s", color=colour, label=label)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.02), ncol=2, fontsize=8, frameon=False)


def distributions() -> c.Panel:
    """Bernoulli, binomial and normal: the pmf/pdf, and the mean and variance derived live."""
    twins = {
        label: {role: c.twin(spec["id"], role) for role in ("mean", "variance", spec["density"])}
        for label, spec in DISTRIBUTIONS.items()
    }
    results = {
        label: [
            r
            for r in c.derivation(spec["id"]).results
            if r.name in ("mean", "variance", "E", "Var")
        ]
        for label, spec in DISTRIBUTIONS.items()
    }
    family = c.ipw.Dropdown(
        options=list(DISTRIBUTIONS), value="binomial", description="distribution", style=c.STYLE
    )
    params = {
        "p": c.slider("p", 0.3, 0.0, 1.0, 0.01),
        "n": c.ipw.IntSlider(
            value=10, min=1, max=60, description="n", continuous_update=False, style=c.STYLE
        ),
        "mu": c.slider("μ", 0.0, -3.0, 3.0, 0.1),
        "sigma": c.slider("σ", 1.0, 0.2, 3.0, 0.1),
    }
    formula = c.output("formula", maths=True)
    values = c.output("values")
    plot = c.image("plot")

    def update() -> None:
        label = family.value
        spec = DISTRIBUTIONS[label]
        for name, widget in params.items():
            widget.layout.display = "" if name in spec["params"] else "none"
        args = {name: np.float64(params[name].value) for name in spec["params"]}
        mean = c.scalar(twins[label]["mean"](**args))
        variance = c.scalar(twins[label]["variance"](**args))
        formula.value = "".join(
            c.display_math(f"{tex(r.lhs)} = {tex(r.rhs)}") for r in results[label]
        )
        values.value = c.rows_html(
            [("mean", c.value_html(mean)), ("variance", c.value_html(variance))]
        )
        density = twins[label][spec["density"]]
        if spec["at"] == "k":
            support = np.arange(0.0, (params["n"].value if label == "binomial" else 1) + 1)
        else:
            spread = 4.0 * float(params["sigma"].value)
            support = np.linspace(mean - spread, mean + spread, 401)
        heights = np.asarray(density(**{spec["at"]: support}, **args))
        plot.value = c.figure_png(
            lambda fig: _draw_density(fig, support, heights, mean, variance, spec["at"] == "k")
        )

    inputs = {"family": family, **params}
    layout = c.ipw.VBox(
        [c.ipw.HBox([c.ipw.VBox([family, *params.values(), values]), plot]), formula]
    )
    return c.panel(
        "distributions",
        "Distributions: mean and variance, derived",
        "Choose a distribution and move its parameters. The bars or curve are its pmf or pdf; "
        "the marks show the mean and one standard deviation either side.",
        inputs,
        {"formula": formula, "values": values, "plot": plot},
        layout,
        update,
    )


def _draw_density(
    fig: Any, support: np.ndarray, heights: np.ndarray, mean: float, variance: float, bars: bool
) -> None:
    ax = fig.add_subplot()
    if bars:
        ax.bar(support, heights, width=0.8, color="C0", label="pmf")
    else:
        ax.plot(support, heights, color="C0", label="pdf")
    sd = float(np.sqrt(variance))
    ax.axvline(mean, color="C1", label="mean")
    ax.axvspan(mean - sd, mean + sd, color="C1", alpha=0.15, label="mean ± sd")
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper right", fontsize=8)
