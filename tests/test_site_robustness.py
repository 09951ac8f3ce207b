"""Robustness of the built site: a diverging run pauses and recovers; the CSP is shipped and
holds; sandboxed embedding works and talks to its host only through the documented resize
message; a dead worker or a damaged file ends on a clear screen with a way back; training gives
back all of Python's stack (a long run must not run out of it)."""
from __future__ import annotations

import re
import time
from pathlib import Path

import csp
from bokeh_page import LOAD_TIMEOUT_MS, BokehPage, epoch, open_app
from chromium import READY
from test_site import wait_for_error

from nnweb.app.state import Experiment, encode

RECORD_VIOLATIONS = ("window.__csp = [];"
                     "document.addEventListener('securitypolicyviolation', (e) =>"
                     " window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile));")


def test_adam_at_learning_rate_10_pauses_says_why_and_reset_recovers(site_url, browser):
    link = encode(Experiment.from_dict({"data": {"dataset": "plane"}, "model": {"head": "linear"}}))
    page = browser.page
    bk = open_app(page, f"{site_url()}/#{link}")
    bk.set_widget("Optimizer", "adam")
    bk.set_widget("Learning rate", "10.0")
    expected = "#" + encode(Experiment.from_dict({"data": {"dataset": "plane"}, "model": {"head": "linear"},
                                                  "train": {"optimizer": "adam", "learning_rate": 10.0}}))
    bk.wait_until(lambda: page.evaluate("window.location.hash") == expected, what="Python has the settings")
    start = float(page.locator(".nnweb-train-loss").first.text_content())
    page.locator(".nnweb-play button").click()
    bk.wait_until(lambda: bk.shows_text("the loss exploded"), timeout=60, what="the divergence message")
    assert bk.shows_text("A learning rate of 10 is too high here")
    stopped = bk.settled(lambda: epoch(page))  # paused: the epoch no longer moves
    time.sleep(1.0)
    assert epoch(page) == stopped
    page.locator(".nnweb-reset button").click()
    bk.wait_until(lambda: epoch(page) == 0 and not bk.shows_text("the loss exploded"), what="reset")
    bk.set_widget("Learning rate", "0.03")
    page.locator(".nnweb-play button").click()
    bk.wait_until(lambda: epoch(page) >= 30, timeout=60, what="training after reset")
    assert float(page.locator(".nnweb-train-loss").first.text_content()) < start
    assert not bk.shows_text("the loss exploded") and not bk.shows_text("diverged")
    assert not browser.errors, browser.errors


def test_the_page_ships_the_policy_and_no_inline_code(built_site):
    html = (built_site / "index.html").read_text()
    meta = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html)
    assert meta and meta.group(1) == csp.POLICY
    assert "'unsafe-eval'" not in csp.POLICY and "script-src 'self' 'wasm-unsafe-eval'" in csp.POLICY
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "an inline script"
    assert not re.search(r"\son[a-z]+\s*=", html), "an inline event handler"
    for path in (built_site / "assets").glob("*.js"):
        assert not re.search(r"\beval\(|new Function\(", path.read_text()), path.name


def test_the_app_works_under_the_enforced_policy_with_no_violation(site_url, browser):
    page = browser.page
    page.add_init_script(RECORD_VIOLATIONS)
    bk = open_app(page, site_url() + "/")  # the server sends the policy as a header too (worker included)
    page.locator(".nnweb-play button").click()
    bk.wait_until(lambda: epoch(page) >= 10, what="training")
    for tab in ("3D", "Morph", "History", "Layer space"):
        page.locator(".bk-tab", has_text=tab).first.click()
        time.sleep(0.5)
    page.locator(".nnweb-copy-embed button").click()
    bk.wait_until(lambda: "sandbox=" in (page.evaluate("document.body.dataset.nnwebCopied") or ""), what="copy")
    assert page.evaluate("window.__csp") == []
    assert not browser.errors, browser.errors


def blog(sandbox: str) -> bytes:
    """A host page on the same server (but not the site): it embeds nnweb and logs messages."""
    return (f"<!DOCTYPE html><html><head><link rel='icon' href='data:,'></head><body>"
            f"<script>window.received = []; addEventListener('message', (e) => received.push(e.data));</script>"
            f"<iframe id='nnweb' sandbox='{sandbox}' src='/?embed' width='900' height='700'></iframe>"
            f"</body></html>").encode()


def test_a_sandboxed_iframe_works_and_hears_only_the_resize_message(site_url, browser):
    url = site_url(extra_files={"/blog.html": blog("allow-scripts allow-same-origin allow-downloads")})
    page = browser.page
    page.goto(url + "/blog.html")
    frame = page.frames[1]
    frame.wait_for_function(READY, timeout=LOAD_TIMEOUT_MS)
    frame.locator(".nnweb-play button").click()
    BokehPage(frame).wait_until(lambda: epoch(frame) >= 5, what="training in the iframe")
    received = page.evaluate("window.received")
    assert received, "no resize message"
    assert all(set(m) == {"type", "height"} and m["type"] == "nnweb:resize" and m["height"] > 100
               for m in received), received
    assert not browser.errors, browser.errors


def test_a_sandbox_without_an_origin_explains_what_the_host_must_allow(site_url, browser):
    url = site_url(extra_files={"/blog.html": blog("allow-scripts")})
    page = browser.page
    page.goto(url + "/blog.html")
    frame = page.frames[1]
    frame.wait_for_function("() => document.body.dataset.nnwebState === 'error'", timeout=LOAD_TIMEOUT_MS)
    assert 'sandbox="allow-scripts allow-same-origin allow-downloads"' in frame.inner_text("#nnweb-error-text")


def test_when_the_worker_dies_reload_restores_the_link(site_url, browser):
    link = encode(Experiment.from_dict({"data": {"dataset": "xor"}, "train": {"learning_rate": 0.1}}))
    page = browser.page
    open_app(page, f"{site_url()}/#{link}")
    page.evaluate("nnweb.worker.terminate();"
                  "nnweb.worker.onerror(new ErrorEvent('error', {message: 'Out of memory'}))")
    message = wait_for_error(page)
    assert "The Python worker stopped: Out of memory" in message
    page.locator("#nnweb-reload").click()
    page.wait_for_function(READY, timeout=LOAD_TIMEOUT_MS)
    bk = BokehPage(page)
    assert bk.js("nnwebTest.widget('Dataset').value") == "xor"
    assert page.evaluate("window.location.hash") == "#" + link


def test_python_failing_outside_a_message_ends_on_the_error_screen(site_url, browser):
    """Training runs on Python's own loop, not inside a page message: when Python fails there
    (Pyodide marks such errors), the page must not just stop moving."""
    page = browser.page
    open_app(page, site_url() + "/")
    page.workers[0].evaluate("() => { const e = new Error('RuntimeError: unreachable'); "
                             "e.pyodide_fatal_error = true; Promise.reject(e); }")
    assert "Python stopped working in this tab" in wait_for_error(page)
    browser.errors.clear()  # the simulated failure is logged on purpose


STACK_POINTER = "() => pyodide._module.stackSave()"


def test_training_gives_back_all_of_pythons_stack(site_url, browser):
    """Each training frame is a few asyncio callbacks. Pyodide 0.27.7's stack-switching path
    (used when the browser has JSPI) kept 64 bytes of Python's 5 MB stack per frame, so a
    run failed after half an hour. Between frames (where the worker runs this check) the
    stack must be exactly where it was before training."""
    page = browser.page
    bk = open_app(page, site_url() + "/")
    worker = page.workers[0]
    before = worker.evaluate(STACK_POINTER)
    page.locator(".nnweb-play button").click()
    bk.wait_until(lambda: epoch(page) >= 200, what="dozens of training frames")
    assert worker.evaluate(STACK_POINTER) == before


def test_a_corrupted_wheel_gives_an_error_screen_naming_it(site_url, browser, built_site):
    wheel = next(Path(built_site, "pyodide").glob("param-*.whl")).name
    url = site_url(extra_files={f"/pyodide/{wheel}": b"not a wheel"})
    browser.page.goto(url + "/")
    message = wait_for_error(browser.page)
    assert f"{wheel} is damaged: its SHA-256 does not match the lock file" in message, message
