"""The worksheets as a learner meets them: served by Voila, opened in headless Chromium.

Each test opens one worksheet, moves a slider or types into a box, and checks that the page
shows the value the catalog twin computes for the new input (computed here, in the test).
Every request the page makes must go to the local server: the web app needs no internet.

Set ``DERIVE_SCREENSHOTS=DIR`` to save a full-page PNG of each worksheet after the test.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np
import pytest

from derive.catalog import get
from derive.commands.worksheets import NOTEBOOKS
from derive.widgets import calculus, linear_algebra, probability
from derive.widgets.calculus import DESCENT
from tests.browser import (
    CHROMIUM,
    LOADED,
    close,
    shown,
    step_slider,
    text,
    type_into_box,
    type_into_slider,
    until,
    voila,
)
from tests.conftest import require_tool

pytestmark = pytest.mark.slow

WORKSHEETS = NOTEBOOKS  # shipped inside the package


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    require_tool(CHROMIUM)
    log = tmp_path_factory.mktemp("voila") / "voila.log"
    with voila(WORKSHEETS, log) as url:
        yield url


PANELS = {"linear_algebra": 2, "probability": 2, "calculus": 3, "check_working": 1, "practice": 1}


@pytest.fixture
def sheet(server: str, browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """Open a worksheet (the parameter) once it has rendered its panels; check it on closing."""
    name = request.param
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{server}voila/render/{name}.ipynb")
    page.wait_for_selector(".derive-panel", timeout=LOADED)
    page.wait_for_function(
        f"document.querySelectorAll('.derive-panel').length >= {PANELS[name]}", timeout=LOADED
    )
    yield page
    folder = os.environ.get("DERIVE_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.set_viewport_size({"width": 1280, "height": 2400})  # Voila's body scrolls inside
        page.wait_for_timeout(800)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)
    body = page.inner_text("body")
    page.close()
    assert outside(requests) == [], "the page fetched assets from outside the local server"
    assert "Traceback" not in body
    assert errors == []


def outside(requests: list[str]) -> list[str]:
    """Requests that left the local server."""
    return [
        u
        for u in requests
        if urlparse(u).scheme in ("http", "https", "ws", "wss")
        and urlparse(u).hostname != "127.0.0.1"
    ]


def test_index_lists_every_worksheet_and_needs_no_internet(server: str, browser: Any) -> None:
    page = browser.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(server, wait_until="networkidle")
    for name in PANELS:
        link = page.locator(f"a[href^='/voila/render/{name}.ipynb']")
        title = link.locator(".name").inner_text().strip()  # the worksheet's title, then a line
        assert title[0].isupper()
        assert name.replace("_", " ") in title.lower().replace("your ", "")
    page.close()
    assert outside(requests) == []
    assert requests == [server]  # one self-contained page: nothing else to fetch


@pytest.mark.parametrize("sheet", ["linear_algebra"], indirect=True)
def test_linear_algebra_sliders_update_the_inverse(sheet: Any) -> None:
    inverse = get("inverse-2x2").twins[0]
    start = np.array([[2.0, 1.0], [1.0, 3.0]])
    until(lambda: close(shown(sheet, "matrix", "inverse"), inverse(A=start)), "the initial inverse")

    type_into_slider(sheet, "matrix", "b", 2.5)  # A = [[2, 2.5], [1, 3]]
    moved = np.array([[2.0, 2.5], [1.0, 3.0]])
    until(
        lambda: close(shown(sheet, "matrix", "inverse"), inverse(A=moved)),
        "the inverse after b = 2.5",
    )

    step_slider(sheet, "matrix", "d", "ArrowLeft", times=2)  # d: 3 → 2: rows not proportional
    moved[1, 1] = 2.0
    until(
        lambda: close(shown(sheet, "matrix", "inverse"), inverse(A=moved)),
        "the inverse after d = 2",
    )

    type_into_slider(sheet, "matrix", "b", 2.0)
    moved[0, 1] = 2.0
    until(
        lambda: close(shown(sheet, "matrix", "inverse"), inverse(A=moved)),
        "the inverse after b = 2",
    )
    type_into_slider(sheet, "matrix", "d", 1.0)  # A = [[2, 2], [1, 1]]: singular
    until(lambda: "singular" in text(sheet, "matrix", "inverse"), "the singular-matrix message")
    assert shown(sheet, "matrix", "inverse") == []
    assert "det A = ad − bc = 0" in text(sheet, "matrix", "inverse")
    eigenvalues = named("eigenvalues-2x2", "eigenvalues")
    moved = np.array([[2.0, 2.0], [1.0, 1.0]])
    until(
        lambda: close(shown(sheet, "matrix", "eigenvalues"), eigenvalues(A=moved)),
        "λ of [[2, 2], [1, 1]]",
    )
    type_into_slider(sheet, "matrix", "b", -2.0)  # a complex pair 1.5 ± i·√(7)/2
    lam = eigenvalues(A=np.array([[2.0, -2.0], [1.0, 1.0]]))[0]
    until(
        lambda: close(shown(sheet, "matrix", "eigenvalues"), [lam.real, abs(lam.imag)]), "complex λ"
    )
    assert "complex pair" in text(sheet, "matrix", "eigenvalues")

    theta = named(*linear_algebra.NORMAL_EQUATION)

    def fitted() -> bool:
        pairs = np.array(shown(sheet, "normal", "points")).reshape(-1, 2)
        X = np.stack([np.ones(len(pairs)), pairs[:, 0]], axis=-1)
        return close(shown(sheet, "normal", "fit"), theta(X=X, y=pairs[:, 1]), rtol=1e-9)

    until(fitted, "the initial least-squares fit")
    before = shown(sheet, "normal", "fit")
    type_into_slider(sheet, "normal", "which", 2)
    type_into_slider(sheet, "normal", "y", 10.5)  # drag point #2 up
    until(
        lambda: np.array(shown(sheet, "normal", "points")).reshape(-1, 2)[2, 1] == 10.5,
        "point moved",
    )
    until(fitted, "the fit to the moved point")
    assert shown(sheet, "normal", "fit") != before


def named(identifier: str, name: str) -> Any:
    return next(t for t in get(identifier).twins if t.name == name)


@pytest.mark.parametrize("sheet", ["probability"], indirect=True)
def test_probability_typed_rates_update_bayes_and_bad_ones_are_messages(sheet: Any) -> None:
    posterior = named(*probability.POSTERIOR)
    evidence = named(*probability.EVIDENCE)

    def bayes(p: float) -> list[float]:
        return [float(evidence(p=p, s=0.99, f=0.05)), float(posterior(p=p, s=0.99, f=0.05))]

    until(lambda: close(shown(sheet, "bayes", "numbers"), bayes(0.01)), "P(+), P(D|+) at 1%")
    type_into_box(sheet, "bayes", "prevalence", "0.2")
    until(lambda: close(shown(sheet, "bayes", "numbers"), bayes(0.2)), "P(+), P(D|+) at 20%")
    type_into_box(sheet, "bayes", "prevalence", "1.5")
    until(
        lambda: "strictly between 0 and 1" in text(sheet, "bayes", "message"),
        "a bad-probability message",
    )

    spec = probability.DISTRIBUTIONS["binomial"]
    mean, variance = (named(spec["id"], role) for role in ("mean", "variance"))
    until(
        lambda: close(
            shown(sheet, "distributions", "values"), [mean(n=10, p=0.3), variance(n=10, p=0.3)]
        ),
        "",
    )
    type_into_slider(sheet, "distributions", "p", 0.75)
    until(
        lambda: close(
            shown(sheet, "distributions", "values"), [mean(n=10, p=0.75), variance(n=10, p=0.75)]
        ),
        "binomial mean and variance at p = 0.75",
    )


@pytest.mark.parametrize("sheet", ["calculus"], indirect=True)
def test_calculus_sliders_move_derivatives_and_descent(sheet: Any) -> None:
    name, f = calculus.ACTIVATIONS["sigmoid"]
    derivative = named("chain-rule-activations", name)
    type_into_slider(sheet, "activations", "z", -2.5)
    until(
        lambda: close(shown(sheet, "activations", "values"), [f(-2.5), derivative(z=-2.5)]),
        "σ(−2.5) and σ′(−2.5)",
    )

    name, extra, f = calculus.FUNCTIONS["x²"]
    slope = float(named("derivative-from-limit", name)(x=1.0, **extra))
    type_into_slider(sheet, "limit", "h", 0.001)
    until(
        lambda: close(
            shown(sheet, "limit", "values")[:2], [(f(1.001) - f(1.0)) / 0.001, slope], 1e-9
        ),
        "the secant slope at h = 0.001",
    )

    bound = float(named(DESCENT, calculus.DESCENT_TWINS["bound"])(a=1.0))
    type_into_slider(sheet, "descent", "eta", round(1.2 * bound, 2))
    until(lambda: "diverges" in text(sheet, "descent", "verdict"), "divergence above 2/a")
    type_into_slider(sheet, "descent", "eta", round(0.8 * bound, 2))
    until(lambda: "converges" in text(sheet, "descent", "verdict"), "convergence below 2/a")


@pytest.mark.parametrize("sheet", ["check_working"], indirect=True)
def test_check_working_typed_steps_get_a_verdict_per_line(sheet: Any) -> None:
    # Each edit runs a check of up to the checker's 5 s budget plus its catalog search, and
    # edits queue in the kernel; under the whole suite's load on 2 cores the default 30 s
    # wait was once not enough for two queued checks (CI, fresh clone).
    patience = 90.0
    until(lambda: "incorrect" in text(sheet, "check", "verdict"), "the example's verdict", patience)
    type_into_box(sheet, "check", "given", "a: scalar, b: positive")
    type_into_box(sheet, "check", "steps", "(a + b)^2\na^2 + 2*a*b + b^2\na^2 + b^2")

    def verdict_names_step_2() -> bool:
        shown = text(sheet, "check", "verdict")
        assert "step 2 does not follow" in shown, (shown, text(sheet, "check", "message"))
        return True

    until(verdict_names_step_2, "the first wrong step", patience)
    assert "counterexample" in text(sheet, "check", "lines")
    type_into_box(sheet, "check", "steps", "")
    empty = "steps: empty"
    until(lambda: empty in text(sheet, "check", "message"), "the empty-steps message", patience)


@pytest.mark.parametrize("sheet", ["practice"], indirect=True)
def test_practice_judges_typed_working_with_hints_solution_and_score(sheet: Any) -> None:
    from fractions import Fraction

    from derive.render.exercises import exercise_for

    patience = 90.0  # each check runs the reasoning checker in the kernel
    shown = sheet.locator(".derive-panel-practice .derive-out-question [data-id]")
    identifier, seed = shown.get_attribute("data-id"), int(shown.get_attribute("data-seed"))
    assert identifier == "determinant-trace-2x2"  # the interview set's first question
    rows = exercise_for(identifier, seed).inputs["A"].tolist()
    (a, b), (c, d) = ([Fraction(str(v)) for v in row] for row in rows)
    det = a * d - b * c  # computed here, not by the checker

    def button(name: str) -> None:
        sheet.locator(f".derive-panel-practice .derive-btn-{name}").click()

    type_into_box(sheet, "practice", "working", f"det(A)\n= {det + 1}")
    until(
        lambda: "line 2 does not follow from line 1" in text(sheet, "practice", "verdict"),
        "the wrong line named",
        patience,
    )
    button("hint")
    until(lambda: "hint 1 of" in text(sheet, "practice", "hints"), "a hint", patience)
    type_into_box(sheet, "practice", "working", f"det(A)\n= {det}")
    until(lambda: "✓ right" in text(sheet, "practice", "verdict"), "right", patience)
    until(lambda: "Score: 1 right of 1" in text(sheet, "practice", "score"), "score", patience)
    button("next")
    until(lambda: "inverse-2x2" in (shown.get_attribute("data-id") or ""), "next", patience)
    button("solution")
    until(lambda: "Worked solution" in text(sheet, "practice", "solution"), "solution", patience)
    assert "Score: 1 right of 2" in text(sheet, "practice", "score")
