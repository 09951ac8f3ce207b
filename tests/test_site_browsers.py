"""The main browser tests again in Firefox ESR and in WebKit (Debian's WebKitGTK MiniBrowser):
a cold load, Play and Pause, a control that changes the model, a link that reproduces the
weights, an embed in an iframe, and an error screen. The scenarios are written once; each
browser is launched once for the module (other_browsers.py says how each is driven).

The site is served with one difference from the real one: its index.html first loads
tests/browsers/record_errors.js, which records the page's errors in the page itself
(WebKit's WebDriver can neither read the console nor run a script before the page's own).
"""
from __future__ import annotations

import time
from pathlib import Path

import pytest
import serve
from bokeh_page import settled
from conftest import ARTIFACTS
from other_browsers import BUTTON, FIND, HERE, launch, wait_until

LOAD_TIMEOUT = 150.0
RECORDER = "/nnweb-test-errors.js"

HOST_PAGE = (b"<!DOCTYPE html><html><head><link rel='icon' href='data:,'></head><body style='margin:0'>"
             b"<script src='/host.js'></script><p>A post about neural networks.</p>"
             b"<iframe id='nnweb' src='/?embed' width='640' height='800' style='border:0'></iframe></body></html>")
# The host listens for nnweb's one message (an external script: host pages may have a CSP too).
HOST_SCRIPT = b"window.received = []; addEventListener('message', (e) => received.push(e.data));"

STATE = "() => document.body ? document.body.dataset.nnwebState : null"
ERRORS = "() => window.__nnwebErrors || ['the error recorder did not run']"
TEXT = f"(a) => {{ const el = {FIND}(a[0], a[1]); return el ? el.textContent : null; }}"
WIDGET = "(t) => [...Bokeh.documents[0].all_models].find((m) => m.title === t && 'value' in m)"
SET_WIDGET = f"(a) => {{ const m = ({WIDGET})(a[0]); if (!m) return false; m.value = a[1]; return true; }}"
WIDGET_VALUE = f"(t) => ({WIDGET})(t).value"
ELEMENT = f"(a) => {FIND}(a[0], a[1])"
COLUMN = ("(a) => Array.from(Bokeh.documents[0].get_model_by_name(a[0])"
          ".renderers[a[1]].data_source.data[a[2]] || [])")
HASH = "() => location.hash"


def instrumented_index(site: Path) -> bytes:
    html = (site / "index.html").read_text()
    first_script = html.index("<script ")
    return (html[:first_script] + f'<script src="{RECORDER.lstrip("/")}"></script>\n  '
            + html[first_script:]).encode()


@pytest.fixture(scope="module")
def served(built_site):
    """One server for the module (the browser's HTTP cache then serves later loads), and one
    that answers 404 for the numpy wheel, as after a broken deploy."""
    index = instrumented_index(built_site)
    files = {"/": index, "/index.html": index, RECORDER: (HERE / "record_errors.js").read_bytes(),
             "/blog.html": HOST_PAGE, "/host.js": HOST_SCRIPT}
    servers = [serve.serve_in_thread(built_site, extra_files=files),
               serve.serve_in_thread(built_site, extra_files=files, hidden=("numpy-",))]
    yield [f"http://127.0.0.1:{s.server_address[1]}" for s in servers]
    for server in servers:
        server.shutdown()


@pytest.fixture(scope="module", params=["firefox", "webkit"])
def other(request):
    """One browser for the whole module, in the order of ``params``."""
    browser = launch(request.param, ARTIFACTS)
    yield browser
    browser.close()


@pytest.fixture
def b(other, request):
    """The module's browser; a failed test leaves a screenshot in test-artifacts/."""
    yield other
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        try:
            other.screenshot(ARTIFACTS / f"{request.node.name}.png")
        except Exception:  # noqa: BLE001  (the failure is what matters)
            pass


def open_app(b, url: str, frame: str | None = None) -> float:
    """Load ``url`` (from a blank page, so a link that differs only in its hash loads afresh)
    and wait until the app is interactive; returns the seconds it took."""
    b.goto("about:blank")
    start = time.time()
    b.goto(url)
    wait_until(lambda: b.js(STATE, frame=frame) in ("ready", "error"), LOAD_TIMEOUT, "the app to load")
    state = b.js(STATE, frame=frame)
    if state == "error":
        raise AssertionError("error screen: " + str(b.js(TEXT, ["#nnweb-error", "#nnweb-error-text"], frame)))
    return time.time() - start


def epoch(b, frame: str | None = None) -> int:
    text = wait_until(lambda: (b.js(TEXT, [".nnweb-epoch", "b"], frame) or "").strip().isdigit()
                      and b.js(TEXT, [".nnweb-epoch", "b"], frame), 10, "the epoch counter")
    return int(text.strip())


# Not an error of the page: the spec's notice (an ErrorEvent with no exception behind it) that
# a resize observation was deferred to the next frame while Bokeh lays out. WebKit dispatches
# it on a cold load; nothing failed, and the page goes on drawing.
DEFERRED_RESIZE = "uncaught: ResizeObserver loop completed with undelivered notifications."


def page_errors(b, frame: str | None = None) -> list[str]:
    return [e for e in b.js(ERRORS, frame=frame) + b.native_errors() if e != DEFERRED_RESIZE]


def step(b, times: int) -> None:
    start = epoch(b)
    for i in range(times):
        b.click(ELEMENT, [".nnweb-step", "button"])
        wait_until(lambda: epoch(b) == start + i + 1, what="one step")


def changes_hash(b, action, what: str) -> str:
    before = b.js(HASH)
    action()
    return wait_until(lambda: b.js(HASH) != before and b.js(HASH), what=f"the URL to follow {what}")


def test_a_cold_load_reaches_the_app_without_errors(b, served):
    """First test of each browser: nothing cached yet. 'Ready' is the loader's own mark, set
    once the worker's document is drawn; the boundary figure must then be in it."""
    seconds = open_app(b, served[0] + "/")
    print(f"{b.name} {b.version}: ready in {seconds:.1f} s")
    assert b.js("() => Bokeh.documents[0].get_model_by_name('decision-boundary') !== null")
    assert epoch(b) == 0
    assert page_errors(b) == []


def test_play_trains_and_pause_stops(b, served):
    open_app(b, served[0] + "/")
    b.click(ELEMENT, [".nnweb-play", "button"])
    wait_until(lambda: epoch(b) >= 10, 60, "training to advance after Play")
    b.click(ELEMENT, [".nnweb-play", "button"])
    stopped = settled(lambda: epoch(b))
    time.sleep(1.0)
    assert epoch(b) == stopped, "the epoch still moves after Pause"
    assert page_errors(b) == []


def test_controls_change_the_model_and_the_link(b, served):
    open_app(b, served[0] + "/")
    changes_hash(b, lambda: b.js(SET_WIDGET, ["Learning rate", "0.1"]), "the learning rate")  # Selects hold labels
    assert b.js(WIDGET_VALUE, "Learning rate") == "0.1"
    changes_hash(b, lambda: b.js(SET_WIDGET, ["Activation, all layers", "relu"]), "the activation")
    # a structural change, by a real click: the network diagram grows a third hidden layer
    changes_hash(b, lambda: b.click(BUTTON, "+ layer"), "a new layer")
    wait_until(lambda: "hidden 3" in b.js(COLUMN, ["network", 3, "text"]), what="a third hidden layer")
    assert page_errors(b) == []


def test_a_link_reproduces_the_weights(b, served):
    """The link holds the whole experiment: opened again, three steps give the same weights
    bit for bit (compared as the doubles the diagram draws)."""
    open_app(b, served[0] + "/")
    changes_hash(b, lambda: b.js(SET_WIDGET, ["Dataset", "spiral"]), "the dataset")
    changes_hash(b, lambda: b.js(SET_WIDGET, ["Learning rate", "0.1"]), "the learning rate")
    link = b.js("() => location.href")
    step(b, 3)
    weights = settled(lambda: b.js(COLUMN, ["network", 0, "w"]))
    assert page_errors(b) == []

    open_app(b, link)
    assert b.js(WIDGET_VALUE, "Dataset") == "spiral"
    assert b.js(WIDGET_VALUE, "Learning rate") == "0.1"
    assert epoch(b) == 0
    step(b, 3)
    assert settled(lambda: b.js(COLUMN, ["network", 0, "w"])) == weights  # identical, not close
    assert page_errors(b) == []


def test_embedded_in_an_iframe_it_trains_and_tells_the_host_its_height(b, served):
    open_app(b, served[0] + "/blog.html", frame="#nnweb")
    b.click(ELEMENT, [".nnweb-play", "button"], frame="#nnweb")
    wait_until(lambda: epoch(b, "#nnweb") >= 5, 60, "training in the iframe")
    assert b.js("() => Bokeh.documents[0].get_model_by_name('layer-space') !== null", frame="#nnweb")
    assert b.js("() => document.documentElement.scrollWidth", frame="#nnweb") <= 640
    received = wait_until(lambda: b.js("() => window.received"), what="a message to the host")
    assert all(m.get("type") == "nnweb:resize" and m.get("height", 0) > 100 for m in received), received
    assert page_errors(b, "#nnweb") == []


def test_a_missing_file_gives_the_error_screen(b, served):
    b.goto("about:blank")
    b.goto(served[1] + "/")
    wait_until(lambda: b.js(STATE) == "error", LOAD_TIMEOUT, "the error screen")
    message = b.js(TEXT, ["#nnweb-error", "#nnweb-error-text"])
    assert "Could not load pyodide/numpy-" in message and "404" in message, message
    assert b.js("() => !document.getElementById('nnweb-error').hidden && "
                "document.getElementById('nnweb-reload').offsetParent !== null")
    b.native_errors()  # the 404 may be logged, as expected
