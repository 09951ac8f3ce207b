"""The built site in headless Chromium: load time, page weight, training speed (not a test).

    python benchmarks/browser.py [--runs 3] [--seconds 10]

Builds site/, serves it on 127.0.0.1 and, for each of ``--runs`` fresh profiles, measures
the cold load to an interactive app (first heatmap drawn), a second (cached) visit in the
same profile, and epochs/s while training with the views visible. The same Session, with
the same redraws, is then timed in CPython in this run, so the Pyodide/CPython ratio shows.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "build"))
sys.path.insert(0, str(ROOT))

import chromium  # noqa: E402
import serve  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402


def load_build():
    import importlib.util
    spec = importlib.util.spec_from_file_location("nnweb_build_site", ROOT / "build" / "site.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def epoch(page) -> int:
    for _ in range(50):
        text = (page.locator(".nnweb-epoch b").first.text_content() or "").strip()
        if text.isdigit():
            return int(text)
        time.sleep(0.05)
    raise RuntimeError("no epoch counter")


def one_profile(p, url: str, seconds: float) -> dict:
    with tempfile.TemporaryDirectory() as profile:
        ctx = chromium.launch(p, profile)
        page = ctx.pages[0] if ctx.pages else ctx.new_page()
        t0 = time.perf_counter()
        page.goto(url)
        page.wait_for_function(chromium.READY, timeout=180_000, polling=50)
        cold = time.perf_counter() - t0
        page.locator(".nnweb-play button").click()
        time.sleep(1.0)  # let the loop settle
        e0, t1 = epoch(page), time.perf_counter()
        time.sleep(seconds)
        epochs_per_s = (epoch(page) - e0) / (time.perf_counter() - t1)
        t2 = time.perf_counter()
        page.goto(url)
        page.wait_for_function(chromium.READY, timeout=180_000, polling=50)
        warm = time.perf_counter() - t2
        ctx.close()
    return {"cold": cold, "warm": warm, "epochs_per_s": epochs_per_s}


def cpython_epochs_per_s(seconds: float) -> float:
    from nnweb.app.main import create_app
    from nnweb.app.session import Session
    session = Session()
    create_app(session)  # the views subscribe and redraw, as in the page
    session.running = True
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        session.tick()
    return session.epoch / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    site = load_build()
    site.build()
    size = sum(f.stat().st_size for f in site.SITE.rglob("*") if f.is_file() and site.SHELL not in f.parents)
    server = serve.serve_in_thread(site.SITE)
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    with sync_playwright() as p:
        runs = [one_profile(p, url, args.seconds) for _ in range(args.runs)]
    server.shutdown()
    cpython = cpython_epochs_per_s(args.seconds)
    med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    print(f"\nnnweb built site, median of {args.runs} fresh Chromium profiles")
    print(f"{'site size (all files)':40s} {size / 1e6:8.1f} MB")
    print(f"{'cold load to interactive heatmap':40s} {med['cold']:8.2f} s   runs: "
          + ", ".join(f"{r['cold']:.2f}" for r in runs))
    print(f"{'second visit (cached)':40s} {med['warm']:8.2f} s")
    print(f"{'epochs/s, circle 2-4-2-1, batch 10, browser':40s} {med['epochs_per_s']:8.1f}   "
          f"(steps/s {med['epochs_per_s'] * 25:,.0f})")
    print(f"{'epochs/s, same Session in CPython':40s} {cpython:8.1f}   "
          f"(browser/CPython = {med['epochs_per_s'] / cpython:.2f})")


if __name__ == "__main__":
    main()
