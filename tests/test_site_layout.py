"""The page as a person sees it, at the widths people use: 390 px (a phone), 768, 1024, 1400
and 1920 px. Nothing pushes the page sideways or is cut off (see layout_audit), the two
primary views are on the first screen of a laptop and, stacked on a phone, come before the
settings; Play says whether it is playing (also after a pause the run makes itself), and the
status shows the accuracy the captions quote. Data is picked from thumbnails, by keyboard
too, and only the controls that apply to it are offered; a refusal shows beside its control.

One browser and one page serve the whole module (a resize reflows the page as a window
does; each test finds the page as the long-labels link opened it, see ``app_page``).
Screenshots of every width are kept in test-artifacts/, to be looked at."""
from __future__ import annotations

import tempfile
import time

import pytest
import serve

from bokeh_page import open_app, settled
from conftest import ARTIFACTS, BrowserSession, screenshots_if_failed
from layout_audit import AUDIT, SCROLL

from nnweb.app.dataset_picker import NAMES
from nnweb.app.layout import STACKED_BELOW_PX
from nnweb.app.state import Experiment, decode, encode

WIDTHS = (390, 768, 1024, 1400, 1920)
# Long labels where the audit found clipping: BatchNorm and the other normalizations, the
# longest activation and initializer names, a custom feature's checkbox, the stop targets,
# the widest layer a link holds (the digits' 128 showed as "12" in its box).
LONG_LABELS = Experiment.from_dict({
    "data": {"features": ["x1", "x2", "sin(3*x1)*x2"]},
    "model": {"layers": [{"width": 128, "activation": "leaky_relu", "norm": "batchnorm"},
                         {"width": 4, "activation": "softplus", "norm": "layernorm"},
                         {"width": 2, "activation": "gelu", "norm": "l2"}], "inputs": 3,
              "weight_init": "glorot_uniform"},
    "train": {"optimizer": "nesterov", "regularization": "l2", "learning_rate": 0.00001}})

OPTION_TEXTS = """() => {
  const texts = [];
  const walk = (root) => root.querySelectorAll('*').forEach((el) => {
    if (el.shadowRoot) walk(el.shadowRoot);
    if (el.tagName === 'SELECT' && el.selectedIndex >= 0) texts.push(el.options[el.selectedIndex].text);
  });
  walk(document);
  return texts;
}"""


# [left, top, right, bottom] of a figure, and of the first shown element of a css class, on the page
FIGURE_BOX = """(name) => {
  const r = Bokeh.index.find_one(Bokeh.documents[0].get_model_by_name(name)).el.getBoundingClientRect();
  return [r.left + scrollX, r.top + scrollY, r.right + scrollX, r.bottom + scrollY];
}"""
CLASS_BOX = """(cls) => {
  const found = [];
  const walk = (root) => root.querySelectorAll('*').forEach((el) => {
    if (el.shadowRoot) walk(el.shadowRoot);
    if (el.classList && el.classList.contains(cls)) found.push(el);
  });
  walk(document);
  const shown = found.map((el) => el.getBoundingClientRect()).filter((r) => r.width > 0 && r.height > 0);
  const r = shown[0];
  return r ? [r.left + scrollX, r.top + scrollY, r.right + scrollX, r.bottom + scrollY] : null;
}"""


def python(page) -> dict:
    return page.evaluate("() => window.nnweb.inspect()")


def settle(page) -> None:
    """Let Bokeh re-lay the page out after a resize (it does so on the next frames)."""
    time.sleep(1.2)
    page.evaluate("() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))")


@pytest.fixture(scope="module")
def module_page(built_site, playwright_instance):
    """One fresh profile and one loaded app for the whole module: each test here looks at the
    page or changes one thing in it, and a cold start is ~7 s of every browser test."""
    with tempfile.TemporaryDirectory(prefix="nnweb-profile-") as profile:
        server = serve.serve_in_thread(built_site)
        session = BrowserSession(playwright_instance, profile)
        page = session.page
        page.set_viewport_size({"width": 1400, "height": 900})
        url = f"http://127.0.0.1:{server.server_address[1]}/#{encode(LONG_LABELS)}"
        yield open_app(page, url), page
        session.context.close()
        server.shutdown()


@pytest.fixture
def app_page(module_page, request):
    """The module's page as a test finds it: the long-labels link, paused, at 1400 x 900, on
    the first view tab, whatever the test before it did (and, as conftest's ``browser`` does,
    a screenshot in test-artifacts/ when the test fails)."""
    bk, page = module_page
    page.set_viewport_size({"width": 1400, "height": 900})
    if python(page)["running"]:
        page.locator(".nnweb-play button").click()
        bk.wait_until(lambda: not python(page)["running"], what="the run to pause")
    want = encode(LONG_LABELS)
    if python(page)["hash"] != want:
        page.evaluate("(h) => { location.hash = h; }", "#" + want)
        bk.wait_until(lambda: python(page)["hash"] == want, what="the long-labels link to open again")
    page.locator(".bk-tab").first.click()
    page.mouse.move(0, 0)
    settle(page)
    yield bk, page
    screenshots_if_failed(request, [page])


def test_no_width_scrolls_sideways_or_cuts_anything_off(app_page):
    """At every width: the page is no wider than the window, and no control, label, title
    or card is clipped (the offenders are listed, with their sizes, when it fails)."""
    _, page = app_page
    ARTIFACTS.mkdir(exist_ok=True)
    problems = {}
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        settle(page)
        found = []
        page.screenshot(path=str(ARTIFACTS / f"layout-{width}.png"), full_page=True)
        boundary, settings = page.evaluate(FIGURE_BOX, "decision-boundary"), page.evaluate(CLASS_BOX, "nnweb-presets")
        if width < STACKED_BELOW_PX and not boundary[3] <= settings[1]:
            found.append(f"stacked, the boundary (top {boundary[1]:.0f}) comes after the settings ({settings[1]:.0f})")
        if width >= STACKED_BELOW_PX and not settings[2] <= boundary[0]:
            found.append(f"the settings ({settings[0]:.0f}..{settings[2]:.0f}) are not beside the boundary")
        scroll, inner = page.evaluate(SCROLL)
        found += page.evaluate(AUDIT)
        if scroll > inner:
            found.insert(0, f"the page is {scroll} px wide in a {inner} px window")
        if found:
            problems[width] = found
    report = "\n".join(f"{w} px:\n  " + "\n  ".join(items) for w, items in problems.items())
    assert not problems, "cut off or off the page:\n" + report


def test_no_tab_cuts_anything_off_on_a_phone(app_page):
    """Each view tab at 390 px, as the page test above does for the default one: the audit
    found a confusion-matrix title and the layer space's that pushed their toolbars off the
    figure, the simplex's caption and History's slider row reaching past the screen."""
    from nnweb.app.main import VIEW_TABS
    _, page = app_page
    page.set_viewport_size({"width": 390, "height": 900})
    settle(page)
    problems = {}
    for tab in (*VIEW_TABS, "Compare"):
        page.locator(".bk-tab", has_text=tab).first.click()
        settle(page)
        page.mouse.move(0, 0)  # no hover tooltip left where the click was
        found = page.evaluate(AUDIT)
        scroll, inner = page.evaluate(SCROLL)
        if scroll > inner:
            found.insert(0, f"the page is {scroll} px wide in a {inner} px window")
        if found:
            problems[tab] = found
            page.screenshot(path=str(ARTIFACTS / f"layout-390-{tab.replace(' ', '-').lower()}.png"), full_page=True)
    report = "\n".join(f"{tab}:\n  " + "\n  ".join(items) for tab, items in problems.items())
    assert not problems, "cut off or off the page at 390 px:\n" + report


def test_the_primary_views_are_on_a_laptops_first_screen(app_page):
    """At 1400 x 900 the decision boundary and the layer space are both whole on screen
    without scrolling: they are what the page is for."""
    _, page = app_page
    settle(page)
    for name in ("decision-boundary", "layer-space"):
        box = page.evaluate("""(name) => {
          const fig = Bokeh.documents[0].get_model_by_name(name);
          const r = Bokeh.index.find_one(fig).el.getBoundingClientRect();
          return [r.left, r.top, r.right, r.bottom];
        }""", name)
        left, top, right, bottom = box
        assert 0 <= left and right <= 1400 and 0 <= top and bottom <= 900, f"{name} at {box}, not on the first screen"


def test_menus_speak_in_human_labels(app_page):
    """The menus show ReLU-style names, not code names, and rates as people write them."""
    _, page = app_page
    shown = page.evaluate(OPTION_TEXTS)
    for label in ("Leaky ReLU", "GELU", "BatchNorm", "LayerNorm", "unit length (L2)", "Glorot (Xavier) uniform",
                  "Nesterov momentum", "L2 (small weights)", "0.00001"):
        assert label in shown, f"{label!r} not shown; the menus show {shown}"
    assert not [t for t in shown if "_" in t or "e-0" in t], shown


def test_play_says_what_it_does_and_follows_an_automatic_pause(app_page):
    """The button reads Play when paused and Pause while training; a stop condition that
    pauses the run puts Play back on it, and the status gives the accuracy."""
    bk, page = app_page
    stop = encode(Experiment.from_dict({"train": {"stop_epoch": 200}}))
    page.evaluate("(h) => { location.hash = h; }", "#" + stop)
    bk.wait_until(lambda: python(page)["hash"] == stop, what="the stop link to open")
    button = page.locator(".nnweb-play button")
    assert button.inner_text().strip() == "▶ Play"
    button.click()
    bk.wait_until(lambda: button.inner_text().strip() == "❚❚ Pause", what="the button to read Pause")
    bk.wait_until(lambda: not python(page)["running"] and python(page)["epoch"] >= 200, timeout=60,
                  what="the stop condition to pause the run")
    bk.wait_until(lambda: button.inner_text().strip() == "▶ Play", what="the button to read Play again")
    accuracy = page.locator(".nnweb-status .nnweb-test-acc").inner_text()
    assert accuracy.endswith("%") and 0 <= float(accuracy[:-1]) <= 100, accuracy


def test_data_is_picked_by_keyboard_and_only_what_applies_is_offered(app_page):
    """Thumbnails take Enter and Space; regression paints a "Prediction" with no Discretize,
    the digits and 1-D data offer no drawing and no test points; a refused custom feature
    shows beside its box, floating, so the controls under it stay where they were."""
    bk, page = app_page
    dataset = lambda: decode(python(page)["hash"]).data.dataset  # noqa: E731
    shown = lambda cls: page.evaluate(CLASS_BOX, cls) is not None  # noqa: E731
    assert shown("nnweb-draw-mode")
    thumbnail = lambda name: page.locator(".nnweb-dataset-group button", has_text=NAMES[name])  # noqa: E731
    for name, key in (("multigauss", "Enter"), ("digits", " "), ("interval", "Enter")):
        thumbnail(name).focus()
        page.keyboard.press(key)
        bk.wait_until(lambda: dataset() == name, what=f"{name} chosen by the keyboard")
        bk.wait_until(lambda: "bk-active" in thumbnail(name).get_attribute("class"), what="its button pressed")
        if name == "multigauss":
            bk.wait_until(lambda: bk.title("decision-boundary").startswith("Prediction"), what="the Prediction title")
            page.screenshot(path=str(ARTIFACTS / "data-regression-1400.png"))
            assert not page.get_by_text("Discretize", exact=True).is_visible()
        else:
            bk.wait_until(lambda: not shown("nnweb-draw-mode"), what="the draw toolbar to go")
            assert not page.get_by_text("Test points", exact=True).is_visible()
    thumbnail("circle").focus()
    page.keyboard.press("Enter")
    bk.wait_until(lambda: dataset() == "circle" and shown("nnweb-draw-mode"), what="circle, drawable again")
    below = settled(lambda: page.evaluate(CLASS_BOX, "nnweb-regenerate"))
    field = page.get_by_placeholder("custom feature, e.g. sin(3*x1)*x2")
    field.fill("x1.__class__")
    field.press("Enter")
    bk.wait_until(lambda: shown("nnweb-message-bad"), what="the refusal")
    refusal, box = page.evaluate(CLASS_BOX, "nnweb-message-bad"), page.evaluate(CLASS_BOX, "nnweb-custom-feature")
    page.screenshot(path=str(ARTIFACTS / "data-refusal-1400.png"), full_page=True)
    assert "not allowed" in page.locator(".nnweb-message-bad").first.inner_text()
    assert box[3] - 2 <= refusal[1] <= box[3] + 30 and refusal[0] < box[2], f"refusal at {refusal}, box at {box}"
    assert page.evaluate(CLASS_BOX, "nnweb-regenerate") == below, "the refusal pushed the controls below it"


# While the page trains: how often a plot's style sheet was written at all, how often with the
# very text it had (a MutationObserver sees the old text node go and the new one come), and
# how often the decision boundary was redrawn.
WATCH_STYLE_SHEETS = """() => {
  const counts = window.__sheets = { writes: 0, same: 0, redraws: 0 };
  const text = (nodes) => [...nodes].map((n) => n.data ?? n.textContent).join('');
  const observer = new MutationObserver((records) => {
    for (const r of records) {
      if (r.target.tagName !== 'STYLE') continue;
      counts.writes += 1;
      if (text(r.removedNodes) === text(r.addedNodes)) counts.same += 1;
    }
  });
  const walk = (root) => {
    observer.observe(root, { childList: true, subtree: true });
    root.querySelectorAll('*').forEach((el) => { if (el.shadowRoot) walk(el.shadowRoot); });
  };
  walk(document);
  const src = Bokeh.documents[0].get_model_by_name('decision-boundary').renderers[1].data_source;
  src.properties.data.change.connect(() => { counts.redraws += 1; });
}"""


def test_training_writes_no_plot_style_sheet_again_with_its_own_text(app_page):
    """BokehJS 3.9 wrote each plot element's style sheet (its position) again at every paint,
    mostly with the text it already had; each write made the browser recalculate the plot's
    styles at the next read, ~1 s of every 6 s of the page's thread while training, taken
    from Python's worker on a busy laptop (site/shell/loader.js). Only a changed text is
    written now, and the views still redraw."""
    bk, page = app_page
    page.evaluate(WATCH_STYLE_SHEETS)
    page.locator(".nnweb-play button").click()
    bk.wait_until(lambda: python(page)["running"], what="training")
    time.sleep(2.0)
    counts = page.evaluate("() => ({ ...window.__sheets })")
    assert counts["redraws"] >= 5, f"the boundary was not redrawn while training: {counts}"
    assert counts["same"] == 0, f"style sheets written again with their own text: {counts}"
