"""A long training session in headless Chromium: is memory flat, is the frame rate steady?

    python benchmarks/soak.py [--minutes 30] [--every 60] [--no-build]

Builds and serves site/, opens the app in a fresh profile, presses Play and samples, every
``--every`` seconds: the page's JS heap, the worker's JS heap, the worker's WebAssembly
memory (Pyodide's heap), the part of Python's stack in use between frames, epochs/s and
redraws/s over the last interval. It prints a row
per sample and, at the end, the growth of each memory figure from the first sample after
warm-up (the first minute) to the last. Not part of the test suite: it takes half an hour.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "build"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import chromium  # noqa: E402
import serve  # noqa: E402
from browser import COUNTERS, epoch, load_build  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

MB = 1e6


def heap(cdp) -> float:
    """Used JS heap of the page after a full garbage collection (bytes): live data, not garbage."""
    cdp.send("HeapProfiler.collectGarbage")
    return cdp.send("Runtime.getHeapUsage")["usedSize"]


# Playwright has no CDP session for workers: the worker's share comes from the page's
# performance.measureUserAgentSpecificMemory() (needs cross-origin isolation, served below;
# the Blink flag makes it measure at once instead of at the next garbage collection).
WORKER_HEAP = """performance.measureUserAgentSpecificMemory().then((m) => m.breakdown
  .filter((b) => b.attribution.some((a) => a.scope === 'DedicatedWorkerGlobalScope' || /[/]assets[/]worker[.]/.test(a.url || '')))
  .reduce((sum, b) => sum + b.bytes, 0))"""
ISOLATED = {"Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp"}


# Between frames nothing runs, so the stack in use must stay put: Pyodide 0.27.7 with stack
# switching leaked it until Python failed (site/shell/worker.js: hideStackSwitching).
STACK_IN_USE = "() => pyodide._module._emscripten_stack_get_base() - pyodide._module.stackSave()"


def sample(page, worker, page_cdp) -> dict:
    return {"epoch": epoch(page), "redraws": page.evaluate("window.__redraws"), "t": time.perf_counter(),
            "page_heap": heap(page_cdp), "worker_heap": page.evaluate(WORKER_HEAP),
            "wasm": worker.evaluate("pyodide._module.HEAP8.length"), "stack": worker.evaluate(STACK_IN_USE)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--every", type=float, default=60.0)
    parser.add_argument("--no-build", action="store_true", help="serve site/ as it is")
    args = parser.parse_args()
    site = load_build()
    if not args.no_build:
        site.build()
    server = serve.serve_in_thread(site.SITE, headers=ISOLATED)
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    rows = []
    with sync_playwright() as p, tempfile.TemporaryDirectory() as profile:
        ctx = p.chromium.launch_persistent_context(
            profile, executable_path=chromium.CHROMIUM, headless=True, viewport={"width": 1200, "height": 800},
            args=chromium.ARGS + ["--enable-blink-features=ForceEagerMeasureMemory"])
        page = ctx.pages[0] if ctx.pages else ctx.new_page()
        page.goto(url)
        page.wait_for_function(chromium.READY, timeout=180_000, polling=100)
        worker = page.workers[0]
        page_cdp = ctx.new_cdp_session(page)
        page.evaluate(COUNTERS)
        page.locator(".nnweb-play button").click()
        start = last = sample(page, worker, page_cdp)
        print(f"{'min':>5} {'epoch':>8} {'epochs/s':>9} {'redraws/s':>10} {'page heap':>10} "
              f"{'worker heap':>12} {'wasm memory':>12} {'py stack':>9}", flush=True)
        while last["t"] - start["t"] < args.minutes * 60:
            time.sleep(args.every)
            now = sample(page, worker, page_cdp)
            dt = now["t"] - last["t"]
            rows.append(now)
            print(f"{(now['t'] - start['t']) / 60:5.1f} {now['epoch']:8d} {(now['epoch'] - last['epoch']) / dt:9.1f} "
                  f"{(now['redraws'] - last['redraws']) / dt:10.1f} {now['page_heap'] / MB:8.1f}MB "
                  f"{now['worker_heap'] / MB:10.1f}MB {now['wasm'] / MB:10.1f}MB {now['stack']:8d}B", flush=True)
            last = now
        ctx.close()
    server.shutdown()
    first = rows[0]  # after one interval of warm-up
    print(f"\nGrowth from minute {(first['t'] - start['t']) / 60:.1f} to {(rows[-1]['t'] - start['t']) / 60:.1f}:")
    for key in ("page_heap", "worker_heap", "wasm"):
        print(f"  {key:12s} {first[key] / MB:8.1f} -> {rows[-1][key] / MB:8.1f} MB "
              f"({100 * (rows[-1][key] / first[key] - 1):+.1f}%)")
    print(f"  {'stack':12s} {start['stack']} -> {rows[-1]['stack']} bytes in use between frames")


if __name__ == "__main__":
    main()
