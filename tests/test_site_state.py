"""Shareable state in the built site: controls, the URL hash, reopened links, keyboard."""
from __future__ import annotations

import tempfile

from bokeh_page import epoch, open_app, step
from conftest import BrowserSession








def test_a_copied_link_reproduces_the_experiment_bit_for_bit(site_url, browser, playwright_instance):
    url = site_url() + "/"
    page = browser.page
    bk = open_app(page, url)
    # Controls change the model: a third hidden layer appears in the diagram and the URL follows.
    def changes_hash(action):
        before = page.evaluate("location.hash")
        action()
        bk.wait_until(lambda: page.evaluate("location.hash") != before, what="the URL to follow the state")

    changes_hash(lambda: page.locator("button", has_text="+ layer").first.click())
    bk.wait_until(lambda: "hidden 3" in bk.column("network", 3, "text"), what="a third hidden layer")
    changes_hash(lambda: bk.set_widget("Dataset", "spiral"))
    changes_hash(lambda: bk.set_widget("Learning rate", "0.1"))   # Bokeh Selects hold labels
    link = page.evaluate("location.href")
    step(bk, 3)
    weights = bk.settled(lambda: bk.column("network", 0, "w"))

    with tempfile.TemporaryDirectory() as profile:
        other = BrowserSession(playwright_instance, profile)
        try:
            bk2 = open_app(other.page, link)
            assert bk2.js("nnwebTest.widget('Dataset').value") == "spiral"
            assert "hidden 3" in bk2.column("network", 3, "text")
            step(bk2, 3)
            assert bk2.settled(lambda: bk2.column("network", 0, "w")) == weights  # identical, not close
            assert not other.errors, other.errors
        finally:
            other.context.close()
    assert not browser.errors, browser.errors


def test_keyboard_shortcuts_and_a_damaged_link(site_url, browser):
    url = site_url()
    page = browser.page
    bk = open_app(page, url + "/#1.this-is-not-a-state")
    assert bk.wait_until(lambda: bk.shows_text("This link could not be opened"), what="the link message")
    assert bk.js("nnwebTest.widget('Dataset').value") == "circle"   # fell back to the default
    page.locator("body").click(position={"x": 5, "y": 790})        # focus the page, not a field
    page.keyboard.press("s")
    bk.wait_until(lambda: epoch(bk.page) == 1, what="s to step one epoch")
    page.keyboard.press(" ")
    bk.wait_until(lambda: epoch(bk.page) > 5, what="space to start training")
    page.keyboard.press(" ")
    page.keyboard.press("r")
    bk.wait_until(lambda: epoch(bk.page) == 0, what="r to reset")

    # A change Python cannot apply (a number where the Select holds labels) is a notice,
    # not a dead page: the app keeps training afterwards.
    bk.set_widget("Learning rate", 0.1)
    page.wait_for_selector("#nnweb-notice:not([hidden])", timeout=10_000)
    assert "could not be applied" in page.inner_text("#nnweb-notice-text")
    assert page.evaluate("document.body.dataset.nnwebState") == "ready"
    page.click("#nnweb-notice-close")
    page.locator(".nnweb-step button").click()
    bk.wait_until(lambda: epoch(bk.page) == 1, what="the app to go on after the notice")
    assert not browser.errors, browser.errors


def test_model_file_download_and_upload(site_url, browser, tmp_path):
    url = site_url() + "/"
    page = browser.page
    bk = open_app(page, url)
    bk.set_widget("Dataset", "moons")
    step(bk, 4)
    weights = bk.settled(lambda: bk.column("network", 0, "w"))
    with page.expect_download() as download:
        page.get_by_text("Download model (JSON)").click()
    path = tmp_path / "model.json"
    download.value.save_as(path)
    assert '"format":"nnweb-model"' in path.read_text()

    bk = open_app(page, url)                                     # a fresh page: default experiment
    page.locator(".nnweb-upload input[type=file]").set_input_files(str(path))
    bk.wait_until(lambda: bk.shows_text("Model loaded"), what="the model to load")
    assert bk.js("nnwebTest.widget('Dataset').value") == "moons"
    assert bk.settled(lambda: bk.column("network", 0, "w")) == weights

    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "nnweb-model", "version": 1, "experiment": {"data": {"points": 5}}}')
    page.locator(".nnweb-upload input[type=file]").set_input_files(str(bad))
    bk.wait_until(lambda: bk.shows_text("data.points: 5 is outside the allowed range"), what="a clear refusal")
    assert bk.js("nnwebTest.widget('Dataset').value") == "moons"     # nothing was changed
    assert not browser.errors, browser.errors


def test_drawing_points_with_clicks(site_url, browser):
    url = site_url()
    page = browser.page
    bk = open_app(page, url + "/")
    points = lambda: len(bk.column("decision-boundary", 2, "x"))   # noqa: E731
    bk.js("nnwebTest.models().find((m) => m.label === 'Test points').active = true")  # count test points too
    before = bk.wait_until(lambda: points() if points() == 500 else None, what="all 500 points shown")
    page.locator(".nnweb-draw-mode .bk-btn", has_text="Blue").first.click()
    box = page.locator("canvas").first.bounding_box()
    x, y = box["x"] + box["width"] * 0.85, box["y"] + box["height"] * 0.2   # an empty corner
    page.mouse.click(x, y)
    bk.wait_until(lambda: bk.js("nnwebTest.widget('Dataset').value") == "custom", what="custom data")
    added = bk.wait_until(lambda: points() if points() not in (0, before) else None, what="the new point")
    assert added == 251            # drawing starts from half the budget of the generated points, plus one
    page.keyboard.down("Shift")
    page.mouse.click(x, y)
    page.keyboard.up("Shift")
    bk.wait_until(lambda: points() == added - 1, what="shift-click to remove it")
    assert not browser.errors, browser.errors
