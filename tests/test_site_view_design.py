"""Issue 14, the views' part, in the built site (Chromium): what needs the page's own layout
and document sync. One page for the views' checks, one for a classroom link with the tour.
Screenshots in test-artifacts/ (design-*.png)."""
from __future__ import annotations

import time

from bokeh_page import open_app
from conftest import ARTIFACTS

# Elements with any of the classes (arg), through every shadow root of the page
WITH_CLASS = """(names) => {
  const found = [];
  const walk = (root) => {
    for (const el of root.querySelectorAll("*")) {
      if (names.some((n) => el.classList.contains(n))) found.push(el);
      if (el.shadowRoot) walk(el.shadowRoot);
    }
  };
  walk(document);
  return found.map((el) => { const r = el.getBoundingClientRect();
    return { top: r.top, bottom: r.bottom, height: r.height, classes: [...el.classList] }; });
}"""
# Data units per pixel across and down a figure's frame (BokehJS sets inner_width/height)
UNITS_PER_PIXEL = """(name) => { const f = nnwebTest.fig(name);
  return [(f.x_range.end - f.x_range.start) / f.inner_width, (f.y_range.end - f.y_range.start) / f.inner_height]; }"""
# The layer space's ranges and the extent of its data points, as the page holds them
LAYER_SPACE_FIT = """() => { const f = nnwebTest.fig("layer-space");
  const x = nnwebTest.column("layer-space", 2, "x"), y = nnwebTest.column("layer-space", 2, "y");
  return { range: [f.x_range.start, f.x_range.end, f.y_range.start, f.y_range.end],
           data: [Math.min(...x), Math.max(...x), Math.min(...y), Math.max(...y)] }; }"""


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"design-{name}.png"))


def click_tab(page, label: str) -> None:
    page.locator(".bk-tab", has_text=label).first.click()


def fitted(fit: dict, least: float = 0.4) -> bool:
    """The data is inside the ranges and fills at least ``least`` of each."""
    x0, x1, y0, y1 = fit["range"]
    a0, a1, b0, b1 = fit["data"]
    return (x0 <= a0 and a1 <= x1 and y0 <= b0 and b1 <= y1
            and a1 - a0 >= least * (x1 - x0) and b1 - b0 >= least * (y1 - y0))


def test_views_earn_their_place_in_the_page(site_url, browser):
    page = browser.page
    page.set_viewport_size({"width": 1400, "height": 900})
    bk = open_app(page, site_url() + "/")
    assert page.evaluate(WITH_CLASS, ["bk-logo"]) == []  # no figure advertises Bokeh

    # Square neuron thumbnails: one data unit as many pixels across as down
    across, down = bk.wait_until(lambda: bk.js(f"({UNITS_PER_PIXEL})(arg)", "network"), what="network frame")
    assert abs(across / down - 1) < 0.02, (across, down)

    # The weight editor: layers named as in the diagram; 500 is refused beside it, the box shows the kept value
    bk.js("nnwebTest.fig('network').renderers[0].data_source.selected.indices = [0]")
    box = page.locator(".nnweb-edit-weight input")
    box.wait_for(state="visible")
    kept = float(bk.wait_until(lambda: box.input_value(), what="the weight in the box"))
    label = page.locator(".nnweb-edit-weight label").first.text_content()
    assert "→" in label and ", neuron " in label and "column" not in label, label
    box.fill("500")
    box.press("Enter")
    refusal = page.locator(".nnweb-refusal .nnweb-message-bad", has_text="Not applied").first
    refusal.wait_for(state="visible")
    assert "-100 .. 100" in refusal.text_content()
    bk.wait_until(lambda: box.input_value() and float(box.input_value()) == kept, what="the kept value back in the box")
    shot(page, "weight-refused")

    # A tab that cannot show anything says how to get something
    click_tab(page, "1D")
    bk.wait_until(lambda: page.locator(".nnweb-view-notice", has_text="interval or wave").first.is_visible(),
                  what="1D's notice")
    assert not bk.js("nnwebTest.fig('one-d').visible")
    shot(page, "1d-notice")
    click_tab(page, "3D")
    bk.wait_until(lambda: page.locator(".nnweb-view-notice", has_text="pick hidden 1 · activation").first.is_visible(),
                  what="3D's notice")
    click_tab(page, "Compare")
    page.locator(".nnweb-compare-intro", has_text="same initial weights").first.wait_for(state="visible")

    # The layer space re-fits to each demonstration (after ReLU's, the next was a blob in a corner)
    click_tab(page, "Layer space")
    for key in ("relu-edges", "softmax-gaussians"):
        before = bk.wait_until(lambda: bk.js(f"({LAYER_SPACE_FIT})()"), what="the layer space")
        bk.set_widget("Demonstrations", key)
        bk.wait_until(lambda: bk.js(f"({LAYER_SPACE_FIT})()")["data"] != before["data"], what=f"{key}'s data")
        fit = bk.settled(lambda: bk.js(f"({LAYER_SPACE_FIT})()"))
        assert fitted(fit), (key, fit)
    shot(page, "layer-space-refit")
    assert not browser.errors, browser.errors


def test_a_classroom_link_holds_and_the_tour_points_at_each_step(site_url, browser):
    page = browser.page
    logged = []
    page.on("worker", lambda w: w.on("console", lambda m: logged.append(m.text)))
    page.set_viewport_size({"width": 390, "height": 800})  # a phone: the tour's parts are far apart
    bk = open_app(page, site_url() + "/?hide=lr,nope&tour")
    assert not page.locator(".nnweb-presets").first.is_visible()  # no demonstration can set the hidden rate
    assert any("nope" in text for text in logged), logged  # the teacher's typo: in the console ...
    assert "nope" not in page.evaluate("() => window.nnweb.inspect()")["message"]  # ... not the students'
    for step in range(4):
        page.locator(".nnweb-tour-next button").click()
    def outlined():
        return [part["classes"] for part in page.evaluate(WITH_CLASS, ["nnweb-tour-target"])]
    bk.wait_until(lambda: any("nnweb-copy-link" in classes for classes in outlined()), what="Copy link outlined")
    assert len(outlined()) == 1, outlined()  # the step before's part is not outlined any more
    # scrolled into view (smoothly: it may take a moment)
    bk.wait_until(lambda: 0 <= page.evaluate(WITH_CLASS, ["nnweb-copy-link"])[0]["top"] < 800, what="Copy link in view")
    time.sleep(0.5)
    # and the tour's own Next is still on screen, wherever the part it points at took the page
    box = page.locator(".nnweb-tour-next").first.bounding_box()
    assert box and 0 <= box["y"] and box["y"] + box["height"] <= 800, box
    shot(page, "tour-share")
    assert not browser.errors, browser.errors
