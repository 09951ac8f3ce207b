"""Embed mode in iframes of a blog page at 480 and 1200 px; copy link and embed code; the copied
snippet in a blog column of 480, 800 and 1200 px."""
from __future__ import annotations

import re
from urllib.parse import quote

from bokeh_page import LOAD_TIMEOUT_MS, BokehPage, epoch, open_app
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
    url = site_url(extra_files={"/blog.html": BLOG_COLUMN})
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
    the_snippet_fits_a_blog_column(page, url, code, full_app=page.evaluate("location.href"))
    assert not browser.errors, browser.errors


# A blog whose column holds the pasted snippet (taken from this page's address) as it is
BLOG_COLUMN = (b"<!DOCTYPE html><html><head><link rel='icon' href='data:,'></head>"
               b"<body style='margin:0; background:#f3efe6'><div id='column' style='margin:0 auto'></div>"
               b"<script>document.getElementById('column').innerHTML = "
               b"decodeURIComponent(location.hash.slice(1));</script></body></html>")

# Where the embed's figures and draw tools are, and whether the frame scrolls (run in the frame)
EMBED_LAYOUT = """() => {
  const box = (name) => { const v = Bokeh.index.query_one((v) => v.model.name === name);
                          const r = v.el.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  const all = (root, out = []) => { for (const el of root.querySelectorAll('*')) { out.push(el);
                                    if (el.shadowRoot) all(el.shadowRoot, out); } return out; };
  const link = document.getElementById('nnweb-open');
  return { boundary: box('decision-boundary'), layer: box('layer-space'), height: innerHeight, width: innerWidth,
           scroll: [document.documentElement.scrollWidth, document.documentElement.scrollHeight],
           draw: all(document).filter((el) => el.classList.contains('nnweb-draw-mode')).length,
           background: [document.documentElement, document.body].map((el) => getComputedStyle(el).backgroundColor),
           fill: Bokeh.documents[0].get_model_by_name('decision-boundary').border_fill_color,
           open: [link.href, link.target, link.rel, link.hidden, link.textContent] };
}"""

# The buttons the "Open in nnweb" link lies over (their text), run in the frame
COVERED_BY_OPEN = """() => {
  const all = (root, out = []) => { for (const el of root.querySelectorAll('*')) { out.push(el);
                                    if (el.shadowRoot) all(el.shadowRoot, out); } return out; };
  const a = document.getElementById('nnweb-open').getBoundingClientRect();
  return all(document).filter((el) => el.tagName === 'BUTTON').filter((b) => {
    const r = b.getBoundingClientRect();
    return r.width > 0 && r.left < a.right && a.left < r.right && r.top < a.bottom && a.top < r.bottom;
  }).map((b) => b.textContent.trim());
}"""


def the_snippet_fits_a_blog_column(page, url: str, code: str, full_app: str) -> None:
    """The copied snippet, pasted into columns of 480, 800 and 1200 px: as tall as it says, with
    no scrollbar, the two views side by side from 800 px and stacked at 480 px, nothing cut
    off, no draw tools, a transparent page, and "Open in nnweb" opening the same experiment."""
    height = int(re.search(r'height="(\d+)"', code).group(1))
    page.set_viewport_size({"width": 1260, "height": height + 100})
    page.goto(f"{url}/blog.html#{quote(code)}")
    frame = page.frames[1]
    frame.wait_for_function(READY, timeout=LOAD_TIMEOUT_MS)
    for width in (480, 800, 1200):
        page.evaluate("(w) => { document.getElementById('column').style.width = w + 'px'; }", width)
        bk = BokehPage(frame)
        layout = bk.settled(lambda: frame.evaluate(EMBED_LAYOUT), quiet=0.8)
        assert page.evaluate("document.querySelector('iframe').getBoundingClientRect().height") == height
        assert layout["width"] == width and layout["height"] == height
        assert layout["scroll"] == [width, height], f"the embed scrolls at {width} px: {layout}"
        for name in ("boundary", "layer"):
            left, top, right, bottom = layout[name]
            assert 0 <= left and right <= width and 0 <= top and bottom <= height, (width, name, layout)
        side_by_side = layout["layer"][0] >= layout["boundary"][2]
        assert side_by_side == (width >= 800), (width, layout)
        assert layout["draw"] == 0 and layout["background"] == ["rgba(0, 0, 0, 0)"] * 2 and layout["fill"] is None
        assert layout["open"] == [full_app, "_blank", "noopener", False, "Open in nnweb ↗"]
        page.screenshot(path=str(ARTIFACTS / f"embed-{width}.png"), clip={"x": 0, "y": 0, "width": 1260,
                                                                          "height": height})
    # narrower than a blog's column (a phone's): "Open in nnweb" covered Reset under ~420 px
    for width in (320, 360, 400):
        page.evaluate("(w) => { document.getElementById('column').style.width = w + 'px'; }", width)
        covered = BokehPage(frame).settled(lambda: frame.evaluate(COVERED_BY_OPEN), quiet=0.8)
        assert covered == [], f"at {width} px 'Open in nnweb' covers {covered}"
    # training changes the weights, not the experiment: the link still opens the same one
    frame.locator(".nnweb-play button").click()
    bk.wait_until(lambda: epoch(frame) > 3, what="training in the embed")
    assert frame.evaluate("document.getElementById('nnweb-open').href") == full_app
