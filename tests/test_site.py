"""The built static site in headless Chromium: it loads, trains, and reaches only itself."""
from __future__ import annotations

import re
import time
from urllib.parse import urlparse

from bokeh_page import LOAD_TIMEOUT_MS, epoch
from chromium import READY




def heatmap_png(frame) -> bytes:
    return frame.locator("canvas").first.screenshot()


def play_and_check_training(frame) -> None:
    assert epoch(frame) == 0
    before = heatmap_png(frame)
    frame.locator(".nnweb-play button").click()
    deadline = time.time() + 30
    while epoch(frame) < 20 and time.time() < deadline:
        time.sleep(0.25)
    assert epoch(frame) >= 20, "training did not advance after pressing play"
    assert heatmap_png(frame) != before, "the decision boundary did not change while training"


def assert_only_local(requests, host="127.0.0.1"):
    outside = [u for u in requests if urlparse(u).scheme in ("http", "https", "ws", "wss")
               and urlparse(u).hostname != host]
    assert not outside, f"requests left 127.0.0.1: {outside[:5]}"
    assert any(u.endswith(".wasm") for u in requests), "the request log missed the runtime download"


def test_site_loads_trains_and_stays_local(site_url, browser):
    url = site_url()
    page = browser.page
    page.goto(url + "/")
    page.wait_for_function(READY, timeout=LOAD_TIMEOUT_MS)
    play_and_check_training(page)
    assert not browser.errors, browser.errors
    assert_only_local(browser.requests)


def test_site_under_a_sub_path_inside_an_iframe(site_url, browser):
    embed = (b"<!DOCTYPE html><html><head><link rel='icon' href='data:,'></head><body><h1>A blog post</h1>"
             b"<iframe id='nnweb' src='/project/nnweb/' width='1000' height='700'></iframe></body></html>")
    url = site_url(mount="/project/nnweb/", extra_files={"/blog.html": embed})
    page = browser.page
    page.goto(url + "/blog.html")
    frame = page.frame_locator("#nnweb")
    page.frames[1].wait_for_function(READY, timeout=LOAD_TIMEOUT_MS)
    play_and_check_training(frame)
    assert not browser.errors, browser.errors
    assert_only_local(browser.requests)
    assert all("/project/nnweb/" in u for u in browser.requests if not u.endswith("/blog.html"))


def wait_for_error(page) -> str:
    page.wait_for_function("() => document.body.dataset.nnwebState === 'error'", timeout=LOAD_TIMEOUT_MS)
    assert page.is_visible("#nnweb-error") and page.is_visible("#nnweb-reload")
    return page.inner_text("#nnweb-error-text")


def test_a_missing_file_gives_a_plain_error_screen(site_url, browser, tmp_path):
    # Serve the site with one wheel gone, as after a broken deploy.
    url = site_url(hidden=("numpy-",))
    browser.page.goto(url + "/")
    message = wait_for_error(browser.page)
    assert "Could not load pyodide/numpy-" in message and "404" in message


def test_a_missing_bokehjs_gives_a_plain_error_screen_that_stays(site_url, browser, built_site):
    """Python starts before BokehJS is known to have loaded; when it has not, the reason
    stays on screen (the worker, stopped, cannot replace it with a later failure)."""
    page = browser.page
    # the loader's list of the scripts it adds (data-bokeh, HTML-escaped JSON)
    bokeh_js = re.search(r'bokeh/(bokeh-[0-9.]+[.]min[.]js)', (built_site / "index.html").read_text()).group(1)
    page.goto(site_url(hidden=(bokeh_js,)) + "/")
    assert "BokehJS failed to load" in wait_for_error(page)
    time.sleep(3)
    assert "BokehJS failed to load" in page.inner_text("#nnweb-error-text")
    browser.errors.clear()  # the missing file and the scripts that need it are logged, as expected


def test_no_webassembly_gives_a_plain_error_screen(site_url, browser):
    url = site_url()
    browser.page.add_init_script("delete window.WebAssembly;")
    browser.page.goto(url + "/")
    assert "cannot run WebAssembly" in wait_for_error(browser.page)
