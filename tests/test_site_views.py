"""Every view in the built site: it appears, follows training, and answers its controls.
Screenshots of each view are kept in test-artifacts/ to be looked at."""
from __future__ import annotations

import time

from bokeh_page import open_app
from conftest import ARTIFACTS

SHOWN = ["decision-boundary", "network", "layer-space"]
LAZY = ["space-3d", "morph", "history-loss", "history-accuracy", "one-d"]  # built when their tab opens


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"views-{name}.png"))


def click_tab(page, label: str) -> None:
    page.locator(".bk-tab", has_text=label).first.click()


def test_views_follow_training_and_answer_their_controls(site_url, browser):
    url = site_url()
    page = browser.page
    bk = open_app(page, url + "/")
    for name in SHOWN:
        assert bk.js("nnwebTest.fig(arg) !== null", name), f"figure {name} is missing"
    for name in LAZY:
        assert bk.js("nnwebTest.fig(arg) === null", name), f"figure {name} was built before it was shown"

    # Training moves the data in layer space and changes the weights on the diagram.
    points = bk.column("layer-space", 2, "x")
    edges = bk.column("network", 0, "w")
    assert len(points) == 250 and len(edges) == 18
    assert len(bk.column("network", 1, "image")) == 4            # one image of thumbnails per column
    assert bk.nan_count("layer-space", 1, "x") == 22              # 11 + 11 lines, NaN-separated
    page.locator(".nnweb-play button").click()
    bk.wait_until(lambda: bk.column("layer-space", 2, "x") != points, what="layer space to move")
    bk.wait_until(lambda: bk.column("network", 0, "w") != edges, what="weights to change")
    time.sleep(2)
    page.locator(".nnweb-play button").click()                    # pause
    shot(page, "layer-space")

    # Layer and neuron pickers.
    bk.set_widget("Representation", "hidden 1 · activation")
    bk.wait_until(lambda: bk.title("layer-space") == "hidden 1 · activation", what="layer change")
    bk.set_widget("Horizontal", "neuron 3")
    bk.wait_until(lambda: bk.axis_label("layer-space") == "neuron 3", what="neuron change")
    bk.set_widget("Grid lines", 5)
    bk.wait_until(lambda: bk.nan_count("layer-space", 1, "x") == 10, what="grid density")

    # Clicking a neuron on the diagram selects its layer.
    bk.js("nnwebTest.fig('network').renderers[2].data_source.selected.indices = [7]")  # hidden 2, neuron 2
    bk.wait_until(lambda: "hidden 2" in bk.title("layer-space"), what="diagram click to select a layer")
    bk.set_widget("Representation", "hidden 1 · activation")

    # 3D: rotating moves the projected points.
    click_tab(page, "3D")
    bk.wait_until(lambda: "hidden 1 · activation" in bk.title("space-3d"), what="3D view")
    before = bk.column("space-3d", 3, "x")
    bk.set_widget("Azimuth", 120)
    bk.wait_until(lambda: bk.column("space-3d", 3, "x") != before, what="3D rotation")
    shot(page, "3d")

    # Morph: scrubbing to the end shows the output.
    click_tab(page, "Morph")
    bk.set_widget("Input → output", 200)
    bk.wait_until(lambda: bk.title("morph") == "Morph · output", what="morph to reach the output")
    bk.set_widget("Input → output", 0)
    bk.wait_until(lambda: bk.title("morph") == "Morph · input", what="morph back at the input")
    shot(page, "morph")

    # History: curves exist, and scrubbing shows an old checkpoint in every view.
    click_tab(page, "History")
    bk.wait_until(lambda: len(bk.column("history-loss", 0, "epoch")) > 5, what="loss curves")
    boundary = bk.column("decision-boundary", 0, "value")
    bk.set_widget("Checkpoint", 0)
    bk.wait_until(lambda: bk.shows_text("Showing checkpoint 1 of"), what="checkpoint caption")
    bk.wait_until(lambda: bk.column("decision-boundary", 0, "value") != boundary,
                  what="the boundary to show the checkpoint")
    shot(page, "history")
    assert not browser.errors, browser.errors


# Each caption of the network diagram with the px the figure leaves it: above a header (drawn
# up from its point), below a "+N" (drawn down from it)
CAPTION_ROOM = """(() => {
  const fig = nnwebTest.fig('network'), frame = Bokeh.index.find_one(fig).frame.bbox;
  const d = fig.renderers[3].data_source.data, y = fig.y_range, px = frame.height / (y.end - y.start);
  return Array.from(d.text).map((t, i) => [t, (d.anchor[i] === 'bottom' ? y.end - d.y[i] : d.y[i] - y.start) * px])
    .filter(([t]) => t);
})()"""


def test_one_d_mode_and_digits_by_pca(site_url, browser):
    url = site_url()
    page = browser.page
    bk = open_app(page, url + "/")
    bk.set_widget("Dataset", "wave")
    click_tab(page, "1D")
    bk.wait_until(lambda: len(bk.column("one-d", 0, "xs")) == 61, what="61 input paths in 1D mode")
    captions = bk.wait_until(lambda: bk.column("one-d", 2, "text"), what="layer captions")
    assert captions[0] == "input" and captions[-1] == "output"
    shot(page, "1d")

    bk.set_widget("Dataset", "digits")
    click_tab(page, "Layer space")
    bk.wait_until(lambda: not bk.js("nnwebTest.fig('decision-boundary').visible"), what="boundary hidden")
    bk.set_widget("Representation", "hidden 1 · activation")
    page.locator(".bk-btn", has_text="PCA").first.click()
    bk.wait_until(lambda: "% of variance" in bk.axis_label("layer-space"), what="PCA axis labels")
    bk.wait_until(lambda: len(set(bk.colors("layer-space", 2))) == 10, what="ten digit classes")
    bk.wait_until(lambda: len(bk.column("layer-space", 1, "x")) == 0, what="no input plane to warp")
    shot(page, "digits-pca")
    # the network's 64 inputs are a column of 12: its captions were drawn past the figure's top
    room = bk.wait_until(lambda: bk.js(CAPTION_ROOM), what="the network's captions")
    assert len(room) >= 5 and min(px for _, px in room) >= 11, f"px inside the figure for each 11 px caption: {room}"
    assert not browser.errors, browser.errors
