"""The example post (site/examples/), as a reader meets it: a page of six embeds.

Printed: each embed's cold first picture (the build's, drawn by the loader): for the embeds on
screen at load, from the navigation; for each other one, from the moment the reader scrolls it
into view (~0 if it came partly on screen with the one before and was drawn then); how many
embeds started Python before any scrolling (only the ones on screen should), how many train at
once after the reader presses Play in two of them one after the other (at most one should), and the main thread's
input latency while the one on screen trains (Event Timing on real clicks in the host page,
the worst of a few; 0 when every click stayed under its 16 ms threshold), and the worst gap
between animation frames of the embed.
"""
from __future__ import annotations

import json
import tempfile
import time

import chromium

WIDTH, HEIGHT = 1000, 1100  # a laptop's window: the first embed on screen, the others below

WATCH = """() => {
  window.__events = [];
  new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__events.push(e.duration); })
    .observe({ type: "event", durationThreshold: 16, buffered: false });
  window.__gaps = []; let last = performance.now();
  const frame = (t) => { window.__gaps.push(t - last); last = t; requestAnimationFrame(frame); };
  requestAnimationFrame(frame);
}"""


def _running(frame) -> bool:
    try:
        return json.loads(frame.evaluate("nnweb.inspect().then(JSON.stringify)")).get("running", False)
    except Exception:  # an embed whose Python has not started has nothing to inspect
        return False


def measure(playwright, url: str) -> dict:
    with tempfile.TemporaryDirectory() as profile:
        ctx = chromium.launch(playwright, profile, width=WIDTH, height=HEIGHT)
        page = ctx.pages[0] if ctx.pages else ctx.new_page()
        t0 = time.perf_counter()
        page.goto(url + "examples/")
        iframes = page.locator("iframe")
        iframes.first.wait_for()
        frames = [iframes.nth(i).element_handle().content_frame() for i in range(iframes.count())]  # in page order
        on_screen = [iframes.nth(i).evaluate("(f) => { const r = f.getBoundingClientRect(); "
                                             "return r.top < innerHeight && r.bottom > 0; }") for i in range(len(frames))]
        firsts = [None] * len(frames)
        for i, frame in enumerate(frames):  # the ones on screen: from the navigation
            if on_screen[i]:
                frame.wait_for_function(chromium.FIRST_PICTURE, timeout=180_000, polling=20)
                firsts[i] = time.perf_counter() - t0
        started = [f.evaluate("document.body.dataset.nnwebStart") for f in frames]
        first, second = frames[0], frames[1]
        first.wait_for_function(chromium.READY, timeout=180_000, polling=50)
        first.locator(".nnweb-play button").click()
        time.sleep(1.5)
        page.evaluate(WATCH)
        first.evaluate(WATCH)
        for _ in range(5):  # clicks on the post's text while the embed trains
            page.locator("p").first.click()
            time.sleep(0.3)
        time.sleep(1.0)
        latency = max(page.evaluate("window.__events") or [0])
        gap = max(first.evaluate("window.__gaps") or [0])
        for i, frame in enumerate(frames):  # the others as the reader scrolls to each (0: drawn before)
            if not on_screen[i]:
                iframes.nth(i).scroll_into_view_if_needed()
                scrolled = time.perf_counter()
                frame.wait_for_function(chromium.FIRST_PICTURE, timeout=180_000, polling=20)
                firsts[i] = time.perf_counter() - scrolled
        # the reader scrolls so that the second embed is on screen too, and presses its Play
        page.evaluate("() => window.scrollTo(0, document.querySelectorAll('iframe')[1].getBoundingClientRect().top"
                      " + scrollY - 200)")
        second.wait_for_function(chromium.READY, timeout=180_000, polling=50)
        second.locator(".nnweb-play button").click()
        time.sleep(2.0)
        training = sum(_running(f) for f in frames)
        ctx.close()
    return {"post: first pictures": firsts, "post: started": started.count("started"), "post: embeds": len(frames),
            "post: training at once": training, "post: click latency": latency, "post: frame gap": gap}
