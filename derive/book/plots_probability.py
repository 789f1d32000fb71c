"""The book's drawings for probability and statistics; every value plotted comes from a twin.

>>> from derive.catalog import get
>>> len(binomial_pmfs(get("binomial")).axes)
1

Each function takes the derivation and returns a Matplotlib figure, finding the twins it needs
by their inputs (``derive.book.drawing``); ``derive.book.plots`` registers them by name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from derive.book.drawing import PlotUnavailable, call, figure, twin_of, twins_of
from derive.numeric.derivation import Derivation

if TYPE_CHECKING:
    from matplotlib.figure import Figure

COLOURS = ("tab:blue", "tab:orange", "tab:green", "tab:red", "tab:purple")


def bernoulli_variance(derivation: Derivation) -> Figure:
    """Var(X) = p(1 − p) over p, largest at p = ½ (the twin's values)."""
    # the variance among the one-input twins of p: zero at p = 0 and p = 1, positive between
    twin = twin_of(derivation, ("p",))
    for candidate in twins_of(derivation, ("p",)):
        ends = np.broadcast_to(call(candidate, p=np.array([0.0, 0.5, 1.0])), (3,))
        if np.allclose(ends[[0, 2]], 0.0) and ends[1] > 0:
            twin = candidate
            break
    else:
        raise PlotUnavailable(f"{derivation.id} has no variance twin of (p)")
    p = np.linspace(0, 1, 201)
    variance = call(twin, p=p)
    fig = figure(6.0, 3.6)
    ax = fig.add_subplot()
    ax.plot(p, variance, color="tab:blue", lw=2)
    top = int(np.argmax(variance))
    ax.plot([p[top]], [variance[top]], "o", color="tab:red")
    ax.annotate(
        f"largest at p = {p[top]:.2g}: Var = {variance[top]:.3g}",
        xy=(p[top], variance[top]),
        xytext=(0.55, 0.12),
        arrowprops={"arrowstyle": "->", "color": "0.4"},
        fontsize=9,
    )
    ax.set_xlabel("p = P(X = 1)")
    ax.set_ylabel("Var(X)")
    ax.set_ylim(0, 0.3)
    ax.set_title("a Bernoulli variable is most uncertain at p = ½", fontsize=10)
    return fig


def binomial_pmfs(derivation: Derivation) -> Figure:
    """P(X = k) for n = 12 and three p, with the twin's mean np marked."""
    pmf = twin_of(derivation, ("k", "n", "p"))
    mean = twin_of(derivation, ("n", "p"), {"n": 5, "p": 0.5}, ())
    n = 12
    k = np.arange(0, n + 1)
    fig = figure(6.6, 3.8)
    ax = fig.add_subplot()
    for offset, (p, colour) in zip(
        (-0.27, 0.0, 0.27),
        ((0.2, "tab:blue"), (0.5, "tab:orange"), (0.8, "tab:green")),
        strict=True,
    ):
        values = call(pmf, k=k, n=n, p=p)
        ax.bar(k + offset, values, width=0.27, color=colour, label=f"p = {p:g}")
        centre = float(call(mean, n=n, p=p))
        ax.axvline(centre, color=colour, ls="--", lw=1)
    ax.set_xticks(k)
    ax.set_xlabel("k (successes in n = 12 trials)")
    ax.set_ylabel("P(X = k)")
    ax.legend(fontsize=8, frameon=False)
    ax.set_title("binomial pmf; dashed: the mean np", fontsize=10)
    return fig


def bayes_posterior(derivation: Derivation) -> Figure:
    """P(disease | positive) over the prior, for a test with sensitivity 0.9 (twin values)."""
    # the posterior (not the evidence): a perfect test of a 50% prior gives certainty
    posterior = twin_of(derivation, ("p", "s", "f"), {"p": 0.1, "s": 0.9, "f": 0.1}, ())
    for candidate in twins_of(derivation, ("p", "s", "f")):
        if np.isclose(float(call(candidate, p=0.5, s=1.0, f=0.0)), 1.0):
            posterior = candidate
            break
    prior = np.logspace(-4, 0, 300)
    fig = figure(6.4, 3.8)
    ax = fig.add_subplot()
    for f, colour in ((0.01, "tab:green"), (0.05, "tab:blue"), (0.2, "tab:red")):
        ax.plot(
            prior,
            call(posterior, p=prior, s=0.9, f=f),
            color=colour,
            lw=2,
            label=f"false-positive rate {f:g}",
        )
    ax.plot(prior, prior, color="0.6", ls=":", label="posterior = prior")
    ax.set_xscale("log")
    ax.set_xlabel("prior P(D)")
    ax.set_ylabel("P(D | positive)")
    ax.legend(fontsize=8, frameon=False, loc="upper left")
    ax.set_title(
        "a positive test of a rare condition is mostly false (sensitivity 0.9)", fontsize=10
    )
    return fig


def bessel_bias(derivation: Derivation) -> Figure:
    """E[σ̂²] dividing by n and by n − 1 over n (σ = 1): the twins' expectations."""
    twins = twins_of(derivation, ("n", "sigma"))
    if not twins:
        twin_of(derivation, ("n", "sigma"))  # raises PlotUnavailable
    n = np.arange(2, 21)
    fig = figure(6.0, 3.6)
    ax = fig.add_subplot()
    for twin, colour, marker in zip(twins, COLOURS, "os^", strict=False):
        ax.plot(
            n,
            np.broadcast_to(call(twin, n=n, sigma=1.0), n.shape),
            marker,
            ms=4,
            color=colour,
            ls="-",
            label=twin.name,
        )
    ax.axhline(1.0, color="0.6", ls=":", lw=1)
    ax.set_xlabel("sample size n")
    ax.set_ylabel("expected estimate of σ² (σ = 1)")
    ax.set_xticks(n[::2])
    ax.legend(fontsize=8, frameon=False, loc="lower right")
    ax.set_title("dividing by n underestimates σ² by the factor (n − 1)/n", fontsize=10)
    return fig


def p_value_tails(derivation: Derivation) -> Figure:
    """The two-sided z-test p-value over |z| (the twin), with 5% and 1% levels."""
    twin = twin_of(derivation, ("c",), {"c": 1.0}, ())
    z = np.linspace(0, 4, 401)
    p = call(twin, c=z)
    fig = figure(6.0, 3.6)
    ax = fig.add_subplot()
    ax.plot(z, p, color="black", lw=2)
    for level, colour in ((0.05, "tab:orange"), (0.01, "tab:red")):
        cut = float(np.interp(-level, -p, z))
        ax.axhline(level, color=colour, lw=1, ls="--")
        ax.plot([cut], [level], "o", color=colour)
        ax.annotate(
            f"p = {level:g} at |z| = {cut:.2f}",
            xy=(cut, level),
            xytext=(cut + 0.3, level + (0.25 if level > 0.02 else 0.12)),
            arrowprops={"arrowstyle": "->", "color": colour},
            color=colour,
            fontsize=9,
        )
    ax.set_xlabel("|z| = |x̄ − μ₀| / (σ/√n)")
    ax.set_ylabel("two-sided p-value")
    ax.set_title("P(|Z| ≥ |z|): the further the statistic, the smaller p", fontsize=10)
    return fig


def standardized_data(derivation: Derivation) -> Figure:
    """Six values on their own scale and as z-scores (the twin): centred at 0, spread 1."""
    twin = twin_of(derivation, ("x",), {"x": np.arange(6.0)}, (6,))
    x = np.array([52.0, 61.0, 58.0, 70.0, 66.0, 49.0])
    z = call(twin, x=x)
    fig = figure(6.6, 3.4)
    top, bottom = fig.subplots(2, 1)
    for ax, values, label in ((top, x, "raw x"), (bottom, z, "z-scores")):
        ax.axhline(0, color="0.7", lw=1)
        ax.plot(values, np.zeros_like(values), "o", color="tab:blue", ms=8)
        centre, spread = round(float(values.mean()), 9) + 0.0, float(values.std())
        ax.axvline(centre, color="tab:red", lw=1.5)
        ax.axvspan(centre - spread, centre + spread, color="tab:red", alpha=0.12)
        ax.set_yticks([])
        ax.set_title(f"{label}: mean {centre:.3g}, sd (dividing by n) {spread:.3g}", fontsize=9)
    fig.suptitle("standardising shifts the mean to 0 and scales the spread to 1", fontsize=10)
    return fig


SAMPLE = np.array([1.0, 2.0, 2.5, 4.0, 7.5, 9.0])


def mean_minimises_squares(derivation: Derivation) -> Figure:
    """Σ(xᵢ − c)² over c for six values: lowest at the mean (the twin)."""
    twin = twin_of(derivation, ("x",), {"x": SAMPLE}, ())
    mean = float(call(twin, x=SAMPLE))
    c = np.linspace(0, 10, 401)
    loss = ((SAMPLE[:, None] - c) ** 2).sum(axis=0)
    fig = figure(6.0, 3.6)
    ax = fig.add_subplot()
    ax.plot(c, loss, color="tab:blue", lw=2, label="Σ(xᵢ − c)²")
    ax.plot(SAMPLE, np.zeros_like(SAMPLE), "|", color="black", ms=14, mew=2, label="data xᵢ")
    ax.axvline(mean, color="tab:red", ls="--", label=f"mean = {mean:.3g}")
    ax.set_xlabel("c")
    ax.legend(fontsize=8, frameon=False, loc="upper center")
    ax.set_title("the sum of squared deviations is smallest at the mean", fontsize=10)
    return fig


def median_minimises_absolute(derivation: Derivation) -> Figure:
    """Σ|xᵢ − c| over c for five values: flat-bottomed at the median (the twin)."""
    five = np.array([1.0, 2.0, 2.5, 7.5, 9.0])
    twin = twin_of(derivation, ("x",), {"x": five}, ())
    median = float(call(twin, x=five))
    c = np.linspace(0, 10, 401)
    loss = np.abs(five[:, None] - c).sum(axis=0)
    fig = figure(6.0, 3.6)
    ax = fig.add_subplot()
    ax.plot(c, loss, color="tab:blue", lw=2, label="Σ|xᵢ − c|")
    ax.plot(five, np.zeros_like(five), "|", color="black", ms=14, mew=2, label="data xᵢ")
    ax.axvline(median, color="tab:red", ls="--", label=f"median = {median:.3g}")
    ax.axvline(five.mean(), color="0.5", ls=":", label=f"mean = {five.mean():.3g}")
    ax.set_xlabel("c")
    ax.legend(fontsize=8, frameon=False, loc="upper center")
    ax.set_title("absolute deviations: a kink at each point, lowest at the median", fontsize=10)
    return fig


def correlation_panels(derivation: Derivation) -> Figure:
    """Three six-point samples with the twin's sample correlation in each title."""
    probe = {"x": np.arange(6.0), "y": np.arange(6.0)}
    twin = next(
        (
            t
            for t in twins_of(derivation, ("x", "y"))
            if np.isclose(float(call(t, **probe)), 1.0)
            and np.isclose(float(call(t, x=np.arange(6.0), y=2 * np.arange(6.0))), 1.0)
        ),
        None,
    )
    if twin is None:
        twin_of(derivation, ("x", "y", "correlation"))  # raises PlotUnavailable
    assert twin is not None
    x = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
    samples = (
        np.array([1.2, 1.9, 3.3, 3.8, 5.1, 6.2]),
        np.array([4.0, 1.5, 3.0, 5.5, 2.0, 4.5]),
        np.array([6.0, 5.2, 3.5, 3.9, 2.2, 0.8]),
    )
    fig = figure(7.2, 2.8)
    for ax, y, colour in zip(fig.subplots(1, 3, sharey=True), samples, COLOURS, strict=False):
        r = float(call(twin, x=x, y=y))
        ax.scatter(x, y, color=colour, s=30)
        slope, intercept = np.polyfit(x, y, 1)
        ax.plot(x, slope * x + intercept, color="0.5", lw=1)
        ax.set_title(f"r = {r:.2f}", fontsize=10)
        ax.set_xlabel("x")
    fig.suptitle("sample correlation: the sign and strength of a linear trend", fontsize=10)
    return fig
