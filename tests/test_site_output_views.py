"""The output's views in the built site: the Simplex tab follows training, the decision
boundary appears in the layer the output reads (a line in 2-D, a plane in 3D). One page for
every check; screenshots simplex.png, separating-line.png, plane-3d.png (and the digits' 3-D PCA
with its legend, digits-3d-pca.png) in test-artifacts/."""
from __future__ import annotations

import html

from bokeh_page import epoch, open_app, step
from conftest import ARTIFACTS

from nnweb.app.presets import BY_KEY

BOUNDARY, PLANES, SIMPLEX_POINTS, SIMPLEX_LABELS = 3, 4, 3, 4  # renderer indices: layer space, 3D, simplex


def shot(page, name: str) -> None:
    """The tabs' view, a little wider than the tabs' box (the figures overhang it)."""
    ARTIFACTS.mkdir(exist_ok=True)
    box = page.locator(".nnweb-tabs").first.bounding_box()
    page.screenshot(path=str(ARTIFACTS / name), full_page=True,
                    clip={"x": box["x"], "y": box["y"], "width": box["width"] + 40, "height": box["height"]})


def click_tab(page, label: str) -> None:
    page.locator(".bk-tab", has_text=label).first.click()


def choose(bk, key: str, timeout: float = 20.0) -> None:
    preset = BY_KEY[key]
    bk.set_widget("Demonstrations", preset.title)
    bk.wait_until(lambda: bk.shows_text(html.escape(preset.caption[:40])), timeout=timeout, what=f"preset {key}")


def train(bk, epochs: int) -> None:
    """Play until the epoch counter reaches ``epochs``, pause, and let the last frame land."""
    bk.page.locator(".nnweb-play button").click()
    bk.wait_until(lambda: epoch(bk.page) >= epochs, timeout=90, what=f"{epochs} epochs")
    bk.page.locator(".nnweb-play button").click()
    bk.settled(lambda: epoch(bk.page))


def test_simplex_and_separating_line_and_plane(site_url, browser):
    page = browser.page
    bk = open_app(page, site_url() + "/")
    # the default 4-2 net: hidden 2 feeds the sigmoid (a line), hidden 1 does not (none)
    bk.wait_until(lambda: bk.nan_count("layer-space", BOUNDARY, "x") == 1, what="the sigmoid's line")
    bk.set_widget("Representation", "hidden 1 · activation")
    bk.wait_until(lambda: bk.column("layer-space", BOUNDARY, "x") == [], what="no line in hidden 1")
    choose(bk, "softmax-gaussians")                               # hidden 1 of 2 neurons feeds a softmax
    bk.wait_until(lambda: bk.nan_count("layer-space", BOUNDARY, "x") == 1, what="one separating line")
    click_tab(page, "Simplex")
    bk.wait_until(lambda: bk.title("simplex") == "Softmax simplex · 2 classes", what="the simplex tab")
    start = bk.column("simplex", SIMPLEX_POINTS, "x")
    assert len(start) == 200
    train(bk, 6)
    pulled = [abs(x) for x in bk.column("simplex", SIMPLEX_POINTS, "x")]
    assert sum(pulled) > sum(abs(x) for x in start)              # towards the ends, not the middle

    click_tab(page, "Layer space")
    bk.wait_until(lambda: bk.nan_count("layer-space", BOUNDARY, "x") == 1, what="the layer space again")
    assert bk.shows_text("decision boundary")
    shot(page, "separating-line.png")
    assert not browser.errors, browser.errors

    bk.set_widget("Dataset", "blobs")                             # three classes, same 2-neuron layer
    bk.wait_until(lambda: bk.nan_count("layer-space", BOUNDARY, "x") >= 2, what="pairwise lines")
    click_tab(page, "Simplex")
    bk.wait_until(lambda: bk.title("simplex") == "Softmax simplex · 3 classes", what="the triangle")
    start = bk.column("simplex", SIMPLEX_POINTS, "x")
    step(bk, 2)                                                   # on the way to the corners
    assert bk.settled(lambda: bk.column("simplex", SIMPLEX_POINTS, "x")) != start
    assert [n for n in bk.column("simplex", SIMPLEX_LABELS, "name") if n] == ["Orange", "Blue", "Green"]
    shot(page, "simplex.png")
    assert not browser.errors, browser.errors

    choose(bk, "softmax-circles-deep")                            # 3 neurons: a plane in 3D
    click_tab(page, "3D")
    bk.wait_until(lambda: "hidden 2 · activation" in bk.title("space-3d"), what="3D view")
    bk.wait_until(lambda: bk.nan_count("space-3d", PLANES, "x") == 1, what="the separating plane")
    before = bk.column("space-3d", 3, "x")
    train(bk, 20)
    assert bk.settled(lambda: bk.column("space-3d", 3, "x")) != before
    plane = bk.column("space-3d", PLANES, "x")
    bk.set_widget("Azimuth", -100)                                # the plane seen at a slant
    bk.wait_until(lambda: bk.column("space-3d", PLANES, "x") not in ([], plane), what="the plane to turn")
    shot(page, "plane-3d.png")

    choose(bk, "digits-pca", timeout=60)                                    # 64-128-64-10: 3-D PCA, and a legend
    bk.wait_until(lambda: [label[:3] for label in bk.column("space-3d", 1, "label")] == ["PC1", "PC2", "PC3"],
                  timeout=60, what="3D by principal components")
    assert bk.shows_text("nnweb-swatch")
    shot(page, "digits-3d-pca.png")
    assert not browser.errors, browser.errors
