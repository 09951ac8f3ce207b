"""The built site in headless Chromium: load time, page weight, training speed (not a test).

    python benchmarks/browser.py [--runs 3] [--seconds 10]

Builds site/, serves it on 127.0.0.1 and, for each of ``--runs`` fresh profiles: the cold
load to an interactive app (first heatmap drawn); then, per configuration of issue 6
(circle 2-4-2-1, circle with 6 layers of 8, spiral 8-8; batch 10) and for the largest network
a link accepts (issue 18: 8 layers of 128, 2,000 points, batch 1), epochs/s, redraws/s and
the worst main-thread frame gap while training with the default views visible (each
configuration after the first is opened by link in a new navigation; before the second, the
default page is opened again: a second, cached, visit, timed to its first heatmap (last
visit's page, from the cache) and to interactive); for the default network also the click latency (Event Timing), a
page -> Python -> page round trip and epochs/s with drawing off; for it and for 8 x 128 the
pause latency (Pause pressed while training -> the last redraw Python sends). The same Sessions, with the
same views redrawing, are then timed in CPython in this run, so the ratio shows.
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


def experiments() -> dict:
    """The configurations issue 6 compares with TensorFlow Playground (batch 10, tanh,
    250 training points, inputs x1 and x2), as links the page opens."""
    from nnweb.app.session import model_for
    from nnweb.app.state import Experiment
    from nnweb.engine import DataSpec, LayerSpec, TrainSpec

    def make(dataset, widths):
        data = DataSpec(dataset=dataset)
        return Experiment(data, model_for(data, tuple(LayerSpec(w, "tanh") for w in widths)), TrainSpec(batch_size=10))
    def largest():
        data = DataSpec(dataset="circle", points=2000)
        return Experiment(data, model_for(data, (LayerSpec(128, "tanh"),) * 8), TrainSpec(batch_size=1))
    return {"circle 2-4-2-1": make("circle", (4, 2)), "circle 6 layers of 8": make("circle", (8,) * 6),
            "spiral 8-8": make("spiral", (8, 8)), LARGEST: largest()}


LARGEST = "8 x 128, 2,000 points, batch 1"


COUNTERS = """() => {
  const src = Bokeh.documents[0].get_model_by_name('decision-boundary').renderers[1].data_source;
  window.__redraws = 0;
  src.properties.data.change.connect(() => { window.__redraws += 1; });
  window.__gaps = [];
  let last = performance.now();
  const frame = (t) => { window.__gaps.push(t - last); last = t; requestAnimationFrame(frame); };
  requestAnimationFrame(frame);
  window.__events = [];  // Event Timing: input delay + handlers + next paint, per click
  new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__events.push(e.duration); })
    .observe({ type: "event", durationThreshold: 16, buffered: false });
}"""

# Toggle a checkbox that Python answers by rewriting the URL (a state change): the time until
# the new address arrives is a full round trip page -> worker -> page while training.
ROUND_TRIP = """(label) => new Promise((resolve) => {
  const before = location.hash, t0 = performance.now();
  const box = [...Bokeh.documents[0].all_models].find((m) => m.label === label && 'active' in m);
  box.active = !box.active;  // the same document change a click makes
  const poll = () => location.hash !== before ? resolve(performance.now() - t0)
    : performance.now() - t0 > 10000 ? resolve(NaN) : requestAnimationFrame(poll);
  poll();
})"""


# Press Pause (the document change a click makes) while training and time until the boundary
# view's last redraw: the frame under way finishes, then Python handles the pause and redraws
# once more (a paused view catches up); nothing after 1.5 s of quiet counts.
PAUSE = """(cls) => new Promise((resolve) => {
  const src = Bokeh.documents[0].get_model_by_name('decision-boundary').renderers[1].data_source;
  let last = NaN;
  src.properties.data.change.connect(() => { last = performance.now(); });
  const play = [...Bokeh.documents[0].all_models].find((m) => (m.css_classes || []).includes(cls) && 'active' in m);
  const t0 = performance.now();
  last = NaN;
  play.active = false;
  const poll = () => performance.now() - (isNaN(last) ? t0 : last) > 1500 ? resolve(last - t0)
    : requestAnimationFrame(poll);
  poll();
})"""
PLAY = "nnweb-play"  # the Play toggle, found by its css class (its label says Play or Pause)


def pause_latency(page) -> float:
    """ms from pressing Pause to Python's last redraw; Play is pressed again after."""
    ms = page.evaluate(PAUSE, PLAY)
    page.evaluate("(cls) => { [...Bokeh.documents[0].all_models].find((m) => (m.css_classes || []).includes(cls) "
                  "&& 'active' in m).active = true; }", PLAY)
    time.sleep(1.0)
    return ms


def measure(page, seconds: float) -> dict:
    """epochs/s, redraws/s and the worst main-thread frame gap (ms) over ``seconds``."""
    page.evaluate("() => { window.__redraws = 0; window.__gaps = []; }")
    e0, t0 = epoch(page), time.perf_counter()
    time.sleep(seconds)
    dt = time.perf_counter() - t0
    redraws, gap = page.evaluate("() => [window.__redraws, Math.max(...window.__gaps)]")
    return {"epochs": (epoch(page) - e0) / dt, "redraws": redraws / dt, "gap": gap}


def one_profile(p, url: str, seconds: float, links: dict) -> dict:
    with tempfile.TemporaryDirectory() as profile:
        ctx = chromium.launch(p, profile)
        page = ctx.pages[0] if ctx.pages else ctx.new_page()
        timing = []
        page.on("worker", lambda w: w.on("console", lambda m: "nnweb timing" in m.text and timing.append(m.text)))
        t0 = time.perf_counter()
        page.goto(url)
        page.wait_for_function(chromium.READY, timeout=180_000, polling=50)
        out = {"cold": time.perf_counter() - t0}
        stages = " · ".join(f"{name.rstrip('…')} at {ms / 1000:.2f}s" for name, ms in page.evaluate("window.nnwebStamps"))
        warm, preview = [], []
        for i, (name, link) in enumerate(links.items()):
            if i:  # a new navigation in the same profile: a second visit, cached
                if i == 1:  # the default network again: last visit's page is drawn at once
                    t2 = time.perf_counter()
                    page.goto(url)
                    page.wait_for_function(chromium.FIRST_PICTURE, timeout=180_000, polling=20)
                    preview.append(time.perf_counter() - t2)
                    page.wait_for_function(chromium.READY, timeout=180_000, polling=20)
                    warm.append(time.perf_counter() - t2)
                page.goto(f"{url}?config={i}#{link}")
                page.wait_for_function(chromium.READY, timeout=180_000, polling=50)
            page.evaluate(COUNTERS)
            play = page.locator(".nnweb-play button")
            play.click()
            time.sleep(1.0)  # let the loop settle
            for key, value in measure(page, seconds).items():
                out[f"{name}: {key}"] = value
            print(f"  {name}: {out[name + ': epochs']:.1f} epochs/s, {out[name + ': redraws']:.1f} redraws/s, "
                  f"worst gap {out[name + ': gap']:.0f} ms", flush=True)
            if i == 0 or name == LARGEST:
                out[f"{name}: pause"] = max(pause_latency(page) for _ in range(3))
                print(f"  {name}: pause latency {out[name + ': pause']:.0f} ms (worst of 3)", flush=True)
            if i == 0:  # the default network: input latency while training, and drawing off
                for tab in ("History", "Layer space") * 3:  # real clicks, for Event Timing
                    page.locator(".bk-tab", has_text=tab).first.click()
                    time.sleep(0.3)
                out["click latency"] = max(page.evaluate("window.__events") or [0])
                trips = []
                for _ in range(5):
                    trips.append(page.evaluate(ROUND_TRIP, "Test points"))
                    time.sleep(0.3)
                out["round trip"] = statistics.median(trips)
                page.get_by_text("Draw while training").click()
                time.sleep(1.0)
                out["drawing off: epochs"] = measure(page, seconds)["epochs"]
        out["warm"], out["preview"] = warm[0], preview[0]
        ctx.close()
    print(f"  stages (worker clock): {stages}\n  {timing[0] if timing else ''}", flush=True)
    return out


def cpython_rates(experiment, seconds: float, draw: bool = True) -> tuple[float, float]:
    """epochs/s and steps/s of the same Session, views subscribed and redrawing, in CPython."""
    from nnweb.app.main import create_app
    from nnweb.app.session import Session
    session = Session()
    create_app(session)  # the views subscribe and redraw, as in the page
    session.apply(experiment)
    session.view.draw = draw
    session.running = True
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        session.tick()
    dt = time.perf_counter() - start
    return session.epoch / dt, session.trainer.steps / dt


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    from nnweb.app.state import encode
    site = load_build()
    site.build()
    size = sum(f.stat().st_size for f in site.SITE.rglob("*") if f.is_file() and site.SHELL not in f.parents)
    configs = experiments()
    links = {name: encode(e) for name, e in configs.items()}
    server = serve.serve_in_thread(site.SITE)
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    with sync_playwright() as p:
        runs = [one_profile(p, url, args.seconds, links) for _ in range(args.runs)]
    server.shutdown()
    med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    rows = [("site size (all files)", f"{size / 1e6:.1f} MB", "target <= 25 MB"),
            ("cold load to interactive heatmap", f"{med['cold']:.2f} s",
             ", ".join(f"{r['cold']:.2f}" for r in runs) + "; target <= 6 s"),
            ("second visit: first heatmap (cached page)", f"{med['preview']:.2f} s",
             ", ".join(f"{r['preview']:.2f}" for r in runs) + "; target <= 2 s"),
            ("second visit: interactive", f"{med['warm']:.2f} s", ", ".join(f"{r['warm']:.2f}" for r in runs))]
    for name, experiment in configs.items():
        epochs, steps = cpython_rates(experiment, args.seconds)
        page = med[f"{name}: epochs"]
        rows.append((f"epochs/s, {name}, views drawn", f"{page:.1f}",
                     f"CPython {epochs:.1f} epochs/s, {steps:.0f} steps/s (ratio "
                     f"{page / epochs if epochs else float('nan'):.2f})"))
        rows.append((f"  redraws/s · worst frame gap", f"{med[f'{name}: redraws']:.1f}", f"{med[f'{name}: gap']:.0f} ms"))
    first = next(iter(configs))
    epochs, _ = cpython_rates(configs[first], args.seconds, draw=False)
    rows += [(f"epochs/s, {first}, drawing off", f"{med['drawing off: epochs']:.1f}",
              f"CPython {epochs:.1f} (ratio {med['drawing off: epochs'] / epochs:.2f})"),
             ("click latency while training (Event Timing)", f"{med['click latency']:.0f} ms", "worst click; target < 100 ms"),
             ("round trip page -> Python -> page", f"{med['round trip']:.0f} ms", "a checkbox to the new URL, median of 5"),
             (f"pause latency, {LARGEST}", f"{med[f'{LARGEST}: pause']:.0f} ms",
              f"worst of 3 presses; {first}: {med[f'{first}: pause']:.0f} ms; target < 250 ms")]
    print(f"\nnnweb built site, median of {args.runs} fresh Chromium profiles")
    for name, value, note in rows:
        print(f"{name:46s} {value:>10s}   {note}")


if __name__ == "__main__":
    main()
