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


COUNTERS = """
(() => {
  const src = Bokeh.documents[0].get_model_by_name('decision-boundary').renderers[1].data_source;
  window.__redraws = 0;
  src.properties.data.change.connect(() => { window.__redraws += 1; });
  window.__gaps = [];
  let last = performance.now();
  const frame = (t) => { window.__gaps.push(t - last); last = t; requestAnimationFrame(frame); };
  requestAnimationFrame(frame);
})()
"""


def measure(page, seconds: float) -> tuple[float, float, float]:
    """epochs/s, redraws/s, worst main-thread frame gap (ms) over ``seconds``."""
    page.evaluate("window.__redraws = 0; window.__gaps = []")
    e0, t0 = epoch(page), time.perf_counter()
    time.sleep(seconds)
    dt = time.perf_counter() - t0
    redraws, gap = page.evaluate("[window.__redraws, Math.max(...window.__gaps)]")
    return (epoch(page) - e0) / dt, redraws / dt, gap


def one_profile(p, url: str, seconds: float) -> dict:
    with tempfile.TemporaryDirectory() as profile:
        ctx = chromium.launch(p, profile)
        page = ctx.pages[0] if ctx.pages else ctx.new_page()
        timing = []
        page.on("worker", lambda w: w.on("console", lambda m: "nnweb timing" in m.text and timing.append(m.text)))
        t0 = time.perf_counter()
        page.goto(url)
        page.wait_for_function(chromium.READY, timeout=180_000, polling=50)
        cold = time.perf_counter() - t0
        stages = " · ".join(f"{name.rstrip('…')} at {ms / 1000:.2f}s" for name, ms in page.evaluate("window.nnwebStamps"))
        page.evaluate(COUNTERS)
        page.locator(".nnweb-play button").click()
        time.sleep(1.0)  # let the loop settle
        epochs_drawn, redraws, gap = measure(page, seconds)
        page.get_by_text("Draw while training").click()
        time.sleep(1.0)
        epochs_hidden, _, _ = measure(page, seconds)
        t2 = time.perf_counter()
        page.goto(url)
        page.wait_for_function(chromium.READY, timeout=180_000, polling=50)
        warm = time.perf_counter() - t2
        ctx.close()
    print(f"  stages (worker clock): {stages}\n  {timing[0] if timing else ''}", flush=True)
    return {"cold": cold, "warm": warm, "epochs_drawn": epochs_drawn, "redraws": redraws, "gap": gap,
            "epochs_hidden": epochs_hidden}


def cpython_epochs_per_s(seconds: float, draw: bool) -> float:
    from nnweb.app.main import create_app
    from nnweb.app.session import Session
    session = Session()
    create_app(session)  # the views subscribe and redraw, as in the page
    session.view.draw = draw
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
    cpython_drawn, cpython_hidden = cpython_epochs_per_s(args.seconds, True), cpython_epochs_per_s(args.seconds, False)
    med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    rows = [
        ("site size (all files)", f"{size / 1e6:.1f} MB", ""),
        ("cold load to interactive heatmap", f"{med['cold']:.2f} s", ", ".join(f"{r['cold']:.2f}" for r in runs)),
        ("second visit (cached)", f"{med['warm']:.2f} s", ""),
        ("epochs/s, circle 2-4-2-1 b10, views drawn", f"{med['epochs_drawn']:.1f}",
         f"CPython {cpython_drawn:.1f} (ratio {med['epochs_drawn'] / cpython_drawn:.2f})"),
        ("epochs/s, same, drawing off", f"{med['epochs_hidden']:.1f}",
         f"CPython {cpython_hidden:.1f} (ratio {med['epochs_hidden'] / cpython_hidden:.2f})"),
        ("redraws/s while training", f"{med['redraws']:.1f}", ""),
        ("worst main-thread frame gap", f"{med['gap']:.0f} ms", "bounds input latency"),
    ]
    print(f"\nnnweb built site, median of {args.runs} fresh Chromium profiles")
    for name, value, note in rows:
        print(f"{name:44s} {value:>10s}   {note}")


if __name__ == "__main__":
    main()
