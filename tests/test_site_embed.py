"""Embed mode in iframes of a blog page at 480 and 1200 px; copy link and embed code."""
from __future__ import annotations

from bokeh_page import LOAD_TIMEOUT_MS, BokehPage, open_app
from chromium import READY
from conftest import ARTIFACTS


def blog(width: int, src: str) -> bytes:
    return (f"<!DOCTYPE html><html><head><link rel='icon' href='data:,'></head><body style='margin:0'>"
            f"<p>A post about neural networks.</p><iframe id='nnweb' src='{src}' width='{width}' height='900' "
            f"style='border:0'></iframe></body></html>").encode()


def test_embed_mode_fits_480_and_1200_pixel_iframes(site_url, browser):
    pages = {"/narrow.html": blog(480, "/?embed"), "/wide.html": blog(1200, "/?embed=boundary,layer,network")}
    url = site_url(extra_files=pages)
    page = browser.page
    page.set_viewport_size({"width": 1260, "height": 1000})
    for name, figures in (("narrow", ["decision-boundary", "layer-space"]),
                          ("wide", ["decision-boundary", "layer-space", "network"])):
        page.goto(f"{url}/{name}.html")
        frame = page.frames[1]
        frame.wait_for_function(READY, timeout=LOAD_TIMEOUT_MS)
        bk = BokehPage(frame)
        frame.locator(".nnweb-play button").click()
        bk.wait_until(lambda: int(frame.locator(".nnweb-epoch b").first.text_content()) > 10, what="training")
        # the chosen figures, and only they, are in the page; the sidebar is not
        for figure in ["decision-boundary", "layer-space", "network", "space-3d", "morph"]:
            assert bk.js("nnwebTest.fig(arg) !== null", figure) == (figure in figures), figure
        assert not bk.js("nnwebTest.models().some((m) => m.title === 'Demonstrations')")
        width = frame.evaluate("document.documentElement.scrollWidth")
        assert width <= {"narrow": 480, "wide": 1200}[name], width
        page.screenshot(path=str(ARTIFACTS / f"embed-{name}.png"))
    assert not browser.errors, browser.errors


def test_copy_link_and_embed_code(site_url, browser):
    url = site_url()
    page = browser.page
    bk = open_app(page, url + "/")
    before = page.evaluate("location.hash")
    bk.set_widget("Dataset", "xor")
    bk.wait_until(lambda: page.evaluate("location.hash") != before, what="the URL to follow")
    page.locator(".nnweb-copy-link button").click()
    copied = bk.wait_until(lambda: page.evaluate("document.body.dataset.nnwebCopied"), what="a copied link")
    assert copied == page.evaluate("location.href")
    page.locator(".nnweb-copy-embed button").click()
    code = bk.wait_until(lambda: page.evaluate("document.body.dataset.nnwebCopied") != copied
                         and page.evaluate("document.body.dataset.nnwebCopied"), what="embed code")
    assert code.startswith('<iframe src="http://127.0.0.1')
    assert "?embed" + page.evaluate("location.hash") in code
    assert not browser.errors, browser.errors
