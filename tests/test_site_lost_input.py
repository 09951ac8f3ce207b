"""No click is lost in the built site: hidden views stop talking, fast edits stay in step with
Python, a Python that stops answering is said, and the second visit's picture keeps Play.

Python's state is read from the worker (``nnweb.inspect()``), not inferred from the widgets."""
from __future__ import annotations

import re
import time

from bokeh_page import LOAD_TIMEOUT_MS, BokehPage, epoch, open_app
from chromium import FIRST_PICTURE, READY

from nnweb.app.state import decode

COUNT_PATCHES = """() => {
  window.__patches = [];
  const w = window.nnweb.worker, post = w.postMessage.bind(w);
  w.postMessage = (m) => { if (m.type === 'patch') window.__patches.push(JSON.stringify(m.patch)); return post(m); };
}"""


def python(page) -> dict:
    return page.evaluate("() => window.nnweb.inspect()")


def tab(page, title: str) -> None:
    page.locator(".bk-tab", has_text=title).first.click()


def test_leaving_a_playing_morph_stops_its_player_and_every_control_still_answers(site_url, browser):
    page = browser.page
    bk = open_app(page, site_url() + "/")
    page.locator(".nnweb-play button").click()
    tab(page, "Morph")
    bk.wait_until(lambda: page.locator("button.play").count() > 0, what="the morph's player")
    page.locator("button.play").first.click()
    time.sleep(3)
    page.evaluate(COUNT_PATCHES)
    tab(page, "History")
    time.sleep(1.0)  # what was already on its way arrives
    page.evaluate("window.__patches = []")
    time.sleep(1.5)
    assert page.evaluate("window.__patches") == [], "a hidden player still sends its value"
    tab(page, "Layer space")
    bk.wait_until(lambda: python(page)["tab"] == 0, what="Python to show the layer space")
    bk.wait_until(lambda: bk.js("nnwebTest.fig('layer-space') !== null"), timeout=5, what="the layer space drawn")
    page.locator(".nnweb-play button").click()
    bk.wait_until(lambda: not python(page)["running"], timeout=1.0, what="Pause within a second")
    # the status line's last rewrite (the paused epoch) may still be on its way to the page
    bk.wait_until(lambda: epoch(page) == python(page)["epoch"], timeout=2.0, what="the paused epoch shown")
    stopped = epoch(page)
    time.sleep(0.5)
    assert epoch(page) == stopped == python(page)["epoch"]
    bk.set_widget("Dataset", "spiral")
    bk.wait_until(lambda: decode(python(page)["hash"]).data.dataset == "spiral", what="the dataset change")
    assert page.locator("#nnweb-notice").is_hidden(), page.inner_text("#nnweb-notice-text")
    assert not browser.errors, browser.errors


def test_fast_architecture_edits_while_training_leave_the_diagram_and_editor_in_step(site_url, browser):
    page = browser.page
    bk = open_app(page, site_url() + "/")
    play = page.locator(".nnweb-play button")
    play.click()
    for _ in range(5):
        page.get_by_role("button", name="+ layer").click()
    tab(page, "Layer space")
    play.click()
    for _ in range(2):
        page.get_by_role("button", name="×", exact=True).first.click()
    play.click()
    bk.set_widget("Optimizer", "adam")
    bk.set_widget("Activation, all layers", "relu")
    bk.wait_until(lambda: decode(python(page)["hash"]).train.optimizer == "adam", what="the optimizer")
    held = python(page)
    assert held["layers"] == [2, 2, 2, 2, 2], "4-2, five adds, the first layer removed twice: none lost"
    # the diagram's column headers: "hidden 1" .., "h1" .. past five columns
    hidden = lambda: [c for c in bk.column("network", 3, "text") if re.fullmatch(r"hidden \d+|h\d+", c)]  # noqa: E731
    assert bk.settled(lambda: len(hidden())) == 5
    assert page.get_by_role("button", name="×", exact=True).count() == 5  # the editor's rows
    assert decode(page.evaluate("location.hash")).model.layers == decode(held["hash"]).model.layers
    assert {layer.activation for layer in decode(held["hash"]).model.layers} == {"relu"}
    assert not browser.errors, browser.errors  # e.g. "reference ... isn't known": a patch the page could not apply
    assert page.locator("#nnweb-notice").is_hidden(), page.inner_text("#nnweb-notice-text")
    assert not browser.errors, browser.errors


def test_a_python_that_stops_answering_is_said_and_the_change_still_applies(site_url, browser):
    page = browser.page
    bk = open_app(page, site_url() + "/")
    page.evaluate("""() => {  // the worker receives the next patch only 6 s late
      const w = window.nnweb.worker, post = w.postMessage.bind(w);
      w.postMessage = (m) => { if (m.type === 'patch') { w.postMessage = post; setTimeout(() => post(m), 6000); } else post(m); };
    }""")
    page.locator(".nnweb-step button").click()
    page.wait_for_selector("body[data-nnweb-stalled]", timeout=8_000)
    assert "Python has not answered" in page.inner_text("#nnweb-notice-text")
    bk.wait_until(lambda: epoch(page) == 1, what="the step once Python answers")
    bk.wait_until(lambda: "answering again" in page.inner_text("#nnweb-notice-text"), what="the all-clear")
    assert page.evaluate("document.body.dataset.nnwebStalled") is None
    assert not browser.errors, browser.errors


def click_centre(page, selector: str) -> None:
    """A real click in the middle of the first element ``selector`` finds (on the inert
    picture, the page's own click handler is what answers it)."""
    box = page.locator(selector).first.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def the_kept_play_trains_once_live(page) -> None:
    page.wait_for_function(READY, timeout=LOAD_TIMEOUT_MS)
    bk = BokehPage(page)
    bk.wait_until(lambda: python(page)["running"], what="the kept Play to start training")
    bk.wait_until(lambda: epoch(page) > 3, what="training")


def test_play_pressed_on_the_second_visits_picture_starts_training_once_live(site_url, browser):
    page = browser.page
    url = site_url() + "/?embed#"
    open_app(page, url)
    time.sleep(1.0)  # the page is saved for next time once drawn
    page.goto(site_url() + "/")
    page.wait_for_function(READY, timeout=LOAD_TIMEOUT_MS)
    page.goto(url)
    page.wait_for_function(FIRST_PICTURE, timeout=LOAD_TIMEOUT_MS, polling=20)
    assert page.evaluate("document.body.dataset.nnwebState") == "preview"
    click_centre(page, "#nnweb-preview .nnweb-play")
    assert "Play/Pause is kept" in page.inner_text("#nnweb-notice-text")
    click_centre(page, "#nnweb-preview canvas")  # said, not ignored
    assert "still starting" in page.inner_text("#nnweb-notice-text")
    the_kept_play_trains_once_live(page)
    assert not browser.errors, browser.errors


def test_play_pressed_on_the_builds_first_picture_starts_training_once_live(site_url, browser):
    """A first visit: the build's picture of the full page (its views first, then its settings)
    keeps Play, and says of any other click that nnweb is starting."""
    page = browser.page
    page.goto(site_url() + "/")
    page.wait_for_function(FIRST_PICTURE, timeout=LOAD_TIMEOUT_MS, polling=20)
    assert page.evaluate("[document.body.dataset.nnwebState, document.body.dataset.nnwebPreview]") == ["preview", "build"]
    click_centre(page, "#nnweb-preview canvas")
    assert "still starting (this is a first picture)" in page.inner_text("#nnweb-notice-text")
    click_centre(page, "#nnweb-preview .nnweb-play")
    assert "Play/Pause is kept" in page.inner_text("#nnweb-notice-text")
    assert page.evaluate("document.body.dataset.nnwebState") == "preview"  # pressed before Python was live
    the_kept_play_trains_once_live(page)
    assert not browser.errors, browser.errors


def test_a_value_typed_while_pythons_older_value_of_it_travels_is_the_one_shown(site_url, browser):
    """A preset chosen, then a neuron count typed before Python read the preset: Python sends
    the preset's count for that box, then applies the typed one (its final value, so it sends
    nothing more). The page must not be left showing the preset's count (stress seed 11)."""
    page = browser.page
    bk = open_app(page, site_url() + "/")
    page.evaluate("""() => {  // the worker receives the next patch (the preset) 1 s late
      const w = window.nnweb.worker, post = w.postMessage.bind(w);
      w.postMessage = (m) => {
        if (m.type === 'patch') { w.postMessage = post; setTimeout(() => post(m), 1000); } else post(m);
      };
    }""")
    page.locator(".nnweb-presets select").select_option("LayerNorm as a nonlinearity")
    box = page.locator(".nnweb-layer-row .nnweb-layer-width input").nth(1)
    box.fill("5")
    box.press("Enter")
    from nnweb.app.presets import BY_KEY
    expected = [layer.width for layer in BY_KEY["layernorm-linear"].experiment.model.layers]
    expected[1] = 5
    bk.wait_until(lambda: python(page)["layers"] == expected, what="the preset, then the typed count")
    rows = page.locator(".nnweb-layer-row .nnweb-layer-width input")
    shown = lambda: [rows.nth(i).input_value() for i in range(rows.count()) if rows.nth(i).is_visible()]  # noqa: E731
    assert bk.settled(shown) == [str(width) for width in expected]
    assert decode(page.evaluate("location.hash")).model.layers == decode(python(page)["hash"]).model.layers
    assert not browser.errors, browser.errors
