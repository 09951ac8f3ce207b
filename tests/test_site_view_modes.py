"""The Morph's true coordinates and 3D, and the 1D view's shared scale and function graph,
in the built site: each mode switch answers and its figure changes. One page for all of it;
screenshots of each mode are kept in test-artifacts/ to be looked at."""
from __future__ import annotations

import time

from bokeh_page import epoch, open_app
from conftest import ARTIFACTS
from layout_audit import AUDIT, SCROLL


def shot(page, name: str) -> None:
    """The view tabs only: the picture is of the mode, not of the whole page."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.mouse.move(0, 0)  # no tooltip over the picture
    page.locator(".nnweb-tabs").first.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def click(page, selector: str, text: str) -> None:
    page.locator(selector, has_text=text).first.click()


def test_morph_and_1d_modes_answer_their_switches(site_url, browser):
    page = browser.page
    page.set_viewport_size({"width": 1400, "height": 1000})  # the tabs column at its full width
    bk = open_app(page, site_url() + "/")
    bk.set_widget("Demonstrations", "disks-3")  # three neurons per layer: the blog's disks in 3D
    page.locator(".nnweb-play button").click()
    bk.wait_until(lambda: epoch(page) >= 40, timeout=60, what="some training")
    page.locator(".nnweb-play button").click()  # pause: the screenshots show a learnt network

    click(page, ".bk-tab", "Morph")
    bk.set_widget("Input → output", 25)  # a quarter of a stage: input -> hidden 1 pre-activation
    click(page, ".bk-btn", "True coordinates")
    bk.wait_until(lambda: bk.js("nnwebTest.fig('morph-true').visible && !nnwebTest.fig('morph').visible"),
                  what="the true-coordinate figure instead of the aligned one")
    ranges = "(f => [f.x_range.start, f.x_range.end, f.y_range.start, f.y_range.end])(nnwebTest.fig('morph-true'))"
    early = bk.settled(lambda: bk.js(ranges))
    points = bk.column("morph-true", 1, "x")
    bk.set_widget("Input → output", 150)  # hidden 3 · activation (9 representations)
    bk.wait_until(lambda: bk.title("morph-true") == "Morph · hidden 3 · activation", what="the morph to move")
    late = bk.settled(lambda: bk.js(ranges))
    now = bk.column("morph-true", 1, "x")
    assert late != early and now != points  # the axes follow the stage
    x0, x1 = late[:2]
    assert x0 < min(now) and max(now) < x1 and max(now) - min(now) > 0.8 * (x1 - x0)  # fitted to the points
    shot(page, "morph-true")

    click(page, ".bk-btn", "3D")
    bk.wait_until(lambda: bk.js("nnwebTest.fig('morph-3d').visible && !nnwebTest.fig('morph-true').visible"),
                  what="the 3D morph")
    sizes = bk.wait_until(lambda: bk.column("morph-3d", 3, "size"), what="3D points")
    assert max(sizes) > min(sizes) and len(sizes) == len(points)  # nearer points drawn larger
    assert bk.column("morph-3d", 1, "label")[:2] == ["neuron 1", "neuron 2"]  # its own axes, turned
    before = bk.column("morph-3d", 3, "x")
    bk.set_widget("Azimuth", 70)
    bk.wait_until(lambda: bk.column("morph-3d", 3, "x") != before, what="the 3D morph to turn")
    shot(page, "morph-3d")
    click(page, ".bk-btn", "Aligned")
    bk.wait_until(lambda: len(bk.column("morph-3d", 0, "x0")) == 0, what="no axes on turned stages")

    # 1D: the wave through a 1-neuron first layer, drawn as its function graph.
    bk.set_widget("Dataset", "wave")
    box = page.locator(".nnweb-layer-row .nnweb-layer-width input").first
    box.fill("1")
    box.press("Enter")
    click(page, ".bk-tab", "1D")
    bk.wait_until(lambda: bk.js("nnwebTest.fig('one-d-graph') !== null && nnwebTest.fig('one-d-graph').visible"),
                  what="the function graph of the 1-neuron layer")
    assert bk.title("one-d-graph").startswith("hidden 1 as a function")
    curve = bk.wait_until(lambda: bk.column("one-d-graph", 0, "x"), what="the curve")
    assert len(curve) > 40 and curve == sorted(curve)
    fitted = bk.settled(lambda: bk.column("one-d", 0, "xs"))
    click(page, ".bk-btn", "Shared scale")
    bk.wait_until(lambda: bk.column("one-d", 0, "xs") != fitted, what="the number lines on one scale")
    assert "shared scale" in bk.title("one-d")
    page.locator(".nnweb-play button").click()
    time.sleep(3)  # a little training: the graph bends to the data
    page.locator(".nnweb-play button").click()
    shot(page, "oned-graph")

    # On a phone the new controls fit: nothing cut off, nothing pushes the page sideways.
    page.set_viewport_size({"width": 390, "height": 900})
    for tab in ("1D", "Morph"):
        click(page, ".bk-tab", tab)
        time.sleep(1.2)  # Bokeh re-lays the page out on the next frames
        scroll, inner = page.evaluate(SCROLL)
        assert scroll <= inner and page.evaluate(AUDIT) == [], (tab, scroll, inner, page.evaluate(AUDIT))
    assert not browser.errors, browser.errors
