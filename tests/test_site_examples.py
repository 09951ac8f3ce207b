"""The example post (site/examples/): every embed shows its first picture once on screen (one off
screen has not loaded BokehJS yet), Python starts only in the embeds on screen, an embed
scrolled out of view pauses (and resumes when back), and at most one embed trains at a time."""
from __future__ import annotations

import json

from bokeh_page import LOAD_TIMEOUT_MS, BokehPage, epoch
from chromium import FIRST_PICTURE, READY
from conftest import ARTIFACTS

EMBEDS = 6  # the post's iframes (site/shell/examples/index.html)


def started(frames) -> list[str]:
    return [f.evaluate("document.body.dataset.nnwebStart") for f in frames]


def running(frame) -> bool:
    return json.loads(frame.evaluate("nnweb.inspect().then(JSON.stringify)"))["running"]


def scroll_to(page, top: float) -> None:
    page.evaluate("(y) => window.scrollTo(0, y)", top)


def frame_box(page, i: int) -> dict:
    return page.evaluate("(i) => { const r = document.querySelectorAll('iframe')[i].getBoundingClientRect();"
                         " return {top: r.top + scrollY, bottom: r.bottom + scrollY}; }", i)


def test_the_example_post_starts_embeds_on_screen_and_runs_one_at_a_time(site_url, browser):
    page = browser.page
    page.set_viewport_size({"width": 1000, "height": 1100})
    page.goto(site_url() + "/examples/")
    iframes = page.locator("iframe")
    iframes.first.wait_for()
    assert iframes.count() == EMBEDS
    frames = [iframes.nth(i).element_handle().content_frame() for i in range(EMBEDS)]  # in page order
    first, second = frames[0], frames[1]
    first.wait_for_function(FIRST_PICTURE, timeout=LOAD_TIMEOUT_MS)  # the one on screen: at once, drawn by the build
    assert first.evaluate("document.body.dataset.nnwebPreview") == "build" or first.evaluate(READY)
    assert first.locator("#nnweb-preview canvas, #nnweb-app canvas").count() > 0
    assert started(frames) == ["started"] + ["waiting"] * (EMBEDS - 1)  # only the one on screen
    # off screen, an embed has not even evaluated BokehJS: the one on screen has the thread alone
    assert [f.evaluate("typeof Bokeh") for f in frames[1:]] == ["undefined"] * (EMBEDS - 1)
    assert second.locator("#nnweb-preview-note").is_visible()  # its card says it starts when scrolled to
    # not full_page: Chromium takes that by making the window as tall as the post, which puts
    # every embed on screen (and so starts them all)
    page.screenshot(path=str(ARTIFACTS / "example-post.png"))

    first.wait_for_function(READY, timeout=LOAD_TIMEOUT_MS)
    first.locator(".nnweb-play button").click()
    BokehPage(first).wait_until(lambda: epoch(first) > 3, what="training in the first embed")

    # scrolled out of view, the first embed pauses; the second comes on screen and starts
    scroll_to(page, frame_box(page, 0)["bottom"] + 20)
    BokehPage(first).wait_until(lambda: not running(first), what="the first embed to pause off screen")
    assert started(frames)[:2] == ["started", "started"] and started(frames)[3:] == ["waiting"] * (EMBEDS - 3)
    paused_at = epoch(first)
    second.wait_for_function(READY, timeout=LOAD_TIMEOUT_MS)
    assert epoch(first) == paused_at

    # both on screen: the first resumes the run the scroll paused; Play in the second pauses it
    scroll_to(page, frame_box(page, 0)["bottom"] - 120)
    BokehPage(first).wait_until(lambda: running(first), what="the first embed to resume")
    second.locator(".nnweb-play button").click()
    BokehPage(second).wait_until(lambda: epoch(second) > 3, what="training in the second embed")
    BokehPage(first).wait_until(lambda: not running(first), what="the first embed to give way")
    assert running(second)
    # the reader scrolls down: each embed shows its demonstration once it is on screen
    for i, frame in enumerate(frames[2:], start=2):
        iframes.nth(i).scroll_into_view_if_needed()
        frame.wait_for_function(FIRST_PICTURE, timeout=LOAD_TIMEOUT_MS)
        assert frame.locator("#nnweb-preview canvas, #nnweb-app canvas").count() > 0, f"embed {i + 1} drew nothing"
    assert not browser.errors, browser.errors
