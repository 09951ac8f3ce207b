"""The Layers tab in the built site: its small plots follow training, a real click on one opens
it in Layer space, and the checkpoint grid draws rows of different checkpoints. Screenshots
of both modes are kept in test-artifacts/ to be looked at."""
from __future__ import annotations

from bokeh_page import epoch, open_app
from conftest import ARTIFACTS

FIG = "layers-row"
FRAMES, LINES, POINTS = 0, 1, 2  # the figure's renderers: cell squares, grid lines, data points

# Page coordinates of a point of a figure, in its data units (BokehJS's own scales)
TO_PAGE = """(arg) => {
  const fig = nnwebTest.fig(arg.name);
  const find = (view) => view.model === fig ? view
    : [...(view.child_views || [])].map(find).find((v) => v) || null;
  const view = Object.values(Bokeh.index).map(find).find((v) => v);
  const box = (view.canvas_view || view.canvas).el.getBoundingClientRect();
  return [box.left + view.frame.x_scale.compute(arg.x), box.top + view.frame.y_scale.compute(arg.y)];
}"""


def click_cell(bk, cell: int) -> None:
    """A real mouse click in the middle of a small plot."""
    x, y = bk.column(FIG, FRAMES, "x")[cell], bk.column(FIG, FRAMES, "y")[cell]
    px, py = bk.page.evaluate(TO_PAGE, {"name": FIG, "x": x, "y": y})
    bk.page.mouse.click(px, py)


def test_layers_tab_follows_training_and_a_click_opens_layer_space(site_url, browser):
    page = browser.page
    bk = open_app(page, site_url() + "/")
    assert bk.js("nnwebTest.fig(arg) === null", FIG), "the Layers view was built before its tab was opened"
    page.locator(".bk-tab", has_text="Layers").first.click()
    layers = bk.wait_until(lambda: bk.column(FIG, FRAMES, "layer"), what="the Layers tab's plots")
    assert layers == ["input", "hidden 1 · activation", "hidden 2 · activation", "output"]
    assert len(bk.column(FIG, POINTS, "x")) == 4 * 250 and bk.nan_count(FIG, LINES, "x") == 4 * 22
    assert bk.js("nnwebTest.fig(arg).toolbar_location === null", FIG)

    points = bk.column(FIG, POINTS, "x")
    page.locator(".nnweb-play button").click()
    bk.wait_until(lambda: bk.column(FIG, POINTS, "x") != points, what="the small plots to follow training")
    # checkpoints are kept every few frames, not epochs: the grid needs three of them
    kept = lambda: page.evaluate("() => window.nnweb.inspect()")["checkpoints"]  # noqa: E731
    bk.wait_until(lambda: epoch(page) >= 20 and kept() >= 3, timeout=60, what="20 epochs and 3 checkpoints for the grid")
    page.locator(".nnweb-play button").click()  # pause
    bk.settled(lambda: bk.column(FIG, POINTS, "x"))
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "layers-row.png"))

    click_cell(bk, 1)  # hidden 1: four neurons, shown by PCA
    bk.wait_until(lambda: bk.title("layer-space") == "hidden 1 · activation",
                  what="the click to open hidden 1 in Layer space")
    bk.wait_until(lambda: "% of variance" in bk.axis_label("layer-space"), what="the same PCA axes")
    assert page.locator(".bk-tab.bk-active").first.text_content().strip() == "Layer space"

    page.locator(".bk-tab", has_text="Layers").first.click()
    page.locator(".nnweb-layers-mode .bk-btn", has_text="Checkpoints").click()
    bk.wait_until(lambda: len(set(bk.column(FIG, FRAMES, "checkpoint"))) >= 3, what="rows of checkpoints")
    rows = sorted(set(bk.column(FIG, FRAMES, "checkpoint")))
    assert rows[0] == 0 and len(bk.column(FIG, FRAMES, "layer")) == 4 * len(rows)
    page.mouse.move(5, 5)  # the switch's tooltip would cover the picture
    page.screenshot(path=str(ARTIFACTS / "layers-checkpoints.png"))
    assert not browser.errors, browser.errors
