"""A phone, roughly: a 390 px wide viewport and Chromium's CPU throttled 4x.

The DevTools Protocol's ``Emulation.setCPUThrottlingRate`` is set on the page's target before
it navigates (playwright's CDP session), so the whole load runs throttled. Printed: the cold
first picture, the time to interactive, and epochs/s of the default network while training
(the epochs/s beside the unthrottled figure show how much of the worker the throttle reaches).
"""
from __future__ import annotations

import tempfile
import time

import chromium

RATE = 4
WIDTH, HEIGHT = 390, 844


def epoch(page) -> int:
    """The epoch counter; a throttled page on a busy machine may take long to answer."""
    text = (page.locator(".nnweb-epoch b").first.text_content(timeout=180_000) or "").strip()
    return int(text) if text.isdigit() else 0


def measure(playwright, url: str, seconds: float) -> dict:
    with tempfile.TemporaryDirectory() as profile:
        ctx = chromium.launch(playwright, profile, width=WIDTH, height=HEIGHT)
        page = ctx.pages[0] if ctx.pages else ctx.new_page()
        ctx.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": RATE})
        t0 = time.perf_counter()
        page.goto(url)
        page.wait_for_function(chromium.FIRST_PICTURE, timeout=300_000, polling=20)
        first = time.perf_counter() - t0
        page.wait_for_function(chromium.READY, timeout=300_000, polling=50)
        out = {"phone: first picture": first, "phone: interactive": time.perf_counter() - t0}
        page.locator(".nnweb-play button").click()
        time.sleep(1.0)
        e0, t0 = epoch(page), time.perf_counter()
        time.sleep(seconds)
        out["phone: epochs"] = (epoch(page) - e0) / (time.perf_counter() - t0)
        ctx.close()
    return out
