"""The built site in headless Chromium: load time, page weight, training speed (not a test).

    python benchmarks/browser.py [--runs 3] [--seconds 10] [--peer-playground DIR]

Builds site/, serves it on 127.0.0.1 and, for each of ``--runs`` fresh profiles: the cold
load, to the first picture and to an interactive app, with where its time went (the worker's
and page's stamps, benchmarks/load_split.py); then, per configuration of issue 6
(circle 2-4-2-1, circle with 6 layers of 8, spiral 8-8; batch 10) and for the largest network
a link accepts (issue 18: 8 layers of 128, 2,000 points, batch 1), epochs/s, redraws/s and
the worst main-thread frame gap while training with the default views visible (each
configuration after the first is opened by link in a new navigation; before the second, the
default page is opened again: a second, cached, visit, timed to its first heatmap (last
visit's page, from the cache) and to interactive, then once more with the snapshot of Python
removed from the cache, the A/B of site/shell/worker.js's snapshot); for the default network also the click latency (Event Timing), a
page -> Python -> page round trip and epochs/s with drawing off; for it and for 8 x 128 the
pause latency (Pause pressed while training -> the last redraw Python sends). Then the cold
first picture of a demonstration and of the embed; a phone (benchmarks/phone.py: CPU
throttled 4x, 390 px); TensorFlow Playground's built site, if given, on the same three
configurations (benchmarks/peer_playground.py); and nnweb and the playground again with a
busy loop beside the browser (benchmarks/machine.py). The same Sessions, with the same views
redrawing, are then timed in CPython in this run, so the ratio shows. The machine is shared:
every figure is printed with the load average at the time, and compared ones are measured
in the same run, one after the other.
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

sys.path.insert(0, str(ROOT / "benchmarks"))

import chromium  # noqa: E402
import example_post  # noqa: E402
import load_split  # noqa: E402
import machine  # noqa: E402
import peer_playground  # noqa: E402
import phone  # noqa: E402
import serve  # noqa: E402
from machine import load  # noqa: E402
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
NEW_VIEWS = ("Layers", "Simplex", "Morph")  # issue 16's: each measured shown, beside the default Layer space


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


def cold_picture(page, t0: float, name: str) -> dict:
    """A navigation's first picture (seconds from ``t0``, by polling the page), its settings
    column's, and the loader's own stamp of the picture (seconds since navigation). A poll
    waits behind the long task after the picture (the settings column's), so it says when
    that task ended; the stamp says when the views were drawn."""
    page.wait_for_function(chromium.FIRST_PICTURE, timeout=180_000, polling=20)
    out = {f"first picture: {name}": time.perf_counter() - t0}
    page.wait_for_function(chromium.WHOLE_PICTURE, timeout=180_000, polling=20)
    out[f"whole picture: {name}"] = time.perf_counter() - t0
    stamps = dict(page.evaluate("window.nnwebPageStamps || []"))
    drawn = stamps.get("first picture drawn")
    out[f"picture stamp: {name}"] = drawn / 1000 if drawn is not None else float("nan")
    return out


def one_profile(p, url: str, seconds: float, links: dict) -> dict:
    with tempfile.TemporaryDirectory() as profile:
        ctx = chromium.launch(p, profile)
        page = ctx.pages[0] if ctx.pages else ctx.new_page()
        t0 = time.perf_counter()
        page.goto(url)
        out = cold_picture(page, t0, "default")
        page.wait_for_function(chromium.READY, timeout=180_000, polling=50)
        out["cold"] = time.perf_counter() - t0
        print(f"  cold: first picture {out['first picture: default']:.2f} s (page's clock "
              f"{out['picture stamp: default']:.2f} s; with the settings "
              f"{out['whole picture: default']:.2f} s), interactive {out['cold']:.2f} s "
              f"({load()})\n    where it went: {load_split.line(page)}", flush=True)
        out.update({f"cold phase: {label}": s for label, s in load_split.phases(page)})
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
                    print(f"  second visit: first picture {preview[0]:.2f} s, interactive {warm[0]:.2f} s "
                          f"({load()})\n    where it went: {load_split.line(page)}", flush=True)
                    out.update({f"warm phase: {label}": s for label, s in load_split.phases(page)})
                    out["warm, no snapshot"] = second_visit_without_snapshot(page, url)
                page.goto(f"{url}?config={i}#{link}")
                page.wait_for_function(chromium.READY, timeout=180_000, polling=50)
            page.evaluate(COUNTERS)
            play = page.locator(".nnweb-play button")
            play.click()
            time.sleep(1.0)  # let the loop settle
            for key, value in measure(page, seconds).items():
                out[f"{name}: {key}"] = value
            print(f"  {name}: {out[name + ': epochs']:.1f} epochs/s, {out[name + ': redraws']:.1f} redraws/s, "
                  f"worst gap {out[name + ': gap']:.0f} ms ({load()})", flush=True)
            if i == 0 or name == LARGEST:
                out[f"{name}: pause"] = max(pause_latency(page) for _ in range(3))
                print(f"  {name}: pause latency {out[name + ': pause']:.0f} ms (worst of 3)", flush=True)
            if i == 0:  # the default network with each of issue 16's views shown in turn
                for tab in NEW_VIEWS:
                    page.locator(".bk-tab", has_text=tab).first.click()
                    time.sleep(1.0)
                    for key, value in measure(page, seconds / 2).items():
                        out[f"{tab} shown: {key}"] = value
                    print(f"  {name}, {tab} tab shown: {out[f'{tab} shown: epochs']:.1f} epochs/s, "
                          f"{out[f'{tab} shown: redraws']:.1f} redraws/s ({load()})", flush=True)
                page.locator(".bk-tab", has_text="Layer space").first.click()
                time.sleep(0.5)
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
    return out


SNAPSHOT_CACHES = """async () => { for (const name of await caches.keys())
  if (name.startsWith('nnweb-snapshot:')) await caches.delete(name); }"""


def second_visit_without_snapshot(page, url: str) -> float:
    """The A/B of the snapshot (site/shell/worker.js): the same second visit with its cache
    emptied first, so Python starts the normal way (and takes a new snapshot, as a first
    visit does). Seconds to interactive."""
    page.evaluate(SNAPSHOT_CACHES)
    t0 = time.perf_counter()
    page.goto(f"{url}?no-snapshot")
    page.wait_for_function(chromium.READY, timeout=180_000, polling=20)
    seconds = time.perf_counter() - t0
    print(f"  second visit without the snapshot: interactive {seconds:.2f} s ({load()})\n"
          f"    where it went: {load_split.line(page)}", flush=True)
    return seconds


def first_pictures(p, url: str, addresses: dict) -> dict:
    """Cold first picture of each address (a fresh profile each; closed once it is drawn)."""
    out = {}
    for name, address in addresses.items():
        with tempfile.TemporaryDirectory() as profile:
            ctx = chromium.launch(p, profile)
            page = ctx.pages[0] if ctx.pages else ctx.new_page()
            t0 = time.perf_counter()
            page.goto(url + address)
            out.update(cold_picture(page, t0, name))
            state = page.evaluate("() => document.body.dataset.nnwebPreview || document.body.dataset.nnwebState")
            print(f"  first picture, {name}: {out[f'first picture: {name}']:.2f} s (page's clock "
                  f"{out[f'picture stamp: {name}']:.2f} s), with the settings "
                  f"{out[f'whole picture: {name}']:.2f} s ({state}; {load()})", flush=True)
            ctx.close()
    return out


def training_rates(p, url: str, links: dict, seconds: float) -> dict:
    """epochs/s of each configuration, views drawn, in one fresh profile (no other checks)."""
    out = {}
    with tempfile.TemporaryDirectory() as profile:
        ctx = chromium.launch(p, profile)
        page = ctx.pages[0] if ctx.pages else ctx.new_page()
        for i, (name, link) in enumerate(links.items()):
            page.goto(f"{url}?config={i}#{link}")
            page.wait_for_function(chromium.READY, timeout=180_000, polling=50)
            page.evaluate(COUNTERS)
            page.locator(".nnweb-play button").click()
            time.sleep(1.0)
            out[f"{name}: epochs"] = measure(page, seconds)["epochs"]
            print(f"  nnweb {name}: {out[f'{name}: epochs']:.1f} epochs/s ({load()})", flush=True)
        ctx.close()
    return out


def peer_rates(p, peer_url: str, seconds: float) -> dict:
    out = peer_playground.measure(p, peer_url, seconds)
    for name in peer_playground.CONFIGS:
        print(f"  playground {name}: {out[f'{name}: epochs']:.1f} epochs/s, first picture "
              f"{out[f'{name}: first picture']:.2f} s ({load()})", flush=True)
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


def one_run(p, url: str, peer_url: str | None, seconds: float, links: dict, addresses: dict) -> dict:
    """Every browser figure of one run, nnweb and (if built) the playground side by side: quiet,
    then again with a busy loop beside the browser."""
    print(f"run ({load()}):", flush=True)
    out = one_profile(p, url, seconds, links)
    out.update(first_pictures(p, url, addresses))
    try:
        out.update(phone.measure(p, url, seconds))
    except Exception as err:  # a figure missing is reported; the rest of the run goes on
        print(f"  phone: not measured ({str(err).splitlines()[0]})", flush=True)
        out.update({"phone: first picture": float("nan"), "phone: interactive": float("nan"),
                    "phone: epochs": float("nan")})
    print(f"  phone (CPU / {phone.RATE}, {phone.WIDTH} px): first picture {out['phone: first picture']:.2f} s, "
          f"interactive {out['phone: interactive']:.2f} s, {out['phone: epochs']:.1f} epochs/s ({load()})", flush=True)
    post = example_post.measure(p, url)
    out.update({k: v for k, v in post.items() if k != "post: first pictures"})
    out["post: first picture"] = max(post["post: first pictures"])
    print(f"  example post: first pictures {', '.join(f'{s:.2f}' for s in post['post: first pictures'])} s; "
          f"Python started in {post['post: started']} of {post['post: embeds']}; {post['post: training at once']} "
          f"training after Play in two; worst click {post['post: click latency']:.0f} ms, worst frame gap "
          f"{post['post: frame gap']:.0f} ms while one trains ({load()})", flush=True)
    compared = {name: links[name] for name in peer_playground.CONFIGS}
    if peer_url:
        out.update({f"peer {k}": v for k, v in peer_rates(p, peer_url, seconds).items()})
    with machine.busy_loop():
        print(f"  with a busy loop beside the browser ({load()}):", flush=True)
        out.update({f"busy {k}": v for k, v in training_rates(p, url, compared, seconds).items()})
        if peer_url:
            out.update({f"busy peer {k}": v for k, v in peer_rates(p, peer_url, seconds).items()})
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=10.0, help="training time measured per configuration")
    parser.add_argument("--peer-playground", type=Path, metavar="DIR",
                        help="TensorFlow Playground's built dist/ (npm ci && npm run build), served beside nnweb")
    args = parser.parse_args()
    from nnweb.app.presets import PRESETS
    from nnweb.app.state import encode
    site = load_build()
    site.build()
    size = sum(f.stat().st_size for f in site.SITE.rglob("*") if f.is_file() and site.SHELL not in f.parents)
    configs = experiments()
    links = {name: encode(e) for name, e in configs.items()}
    from prerender import demonstration_links  # the link the gallery writes: the build drew its picture
    addresses = {f"demonstration ({PRESETS[0].key})": "#" + demonstration_links()[PRESETS[0].key], "embed": "?embed"}
    server = serve.serve_in_thread(site.SITE)
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    peer = peer_playground.serve(args.peer_playground) if args.peer_playground else None
    peer_url = f"http://127.0.0.1:{peer.server_address[1]}/index.html" if peer else None
    with sync_playwright() as p:
        runs = [one_run(p, url, peer_url, args.seconds, links, addresses) for _ in range(args.runs)]
    server.shutdown()
    if peer:
        peer.shutdown()
    keys = set.intersection(*(set(r) for r in runs))
    med = {k: statistics.median(r[k] for r in runs) for k in keys}
    each = lambda k: ", ".join(f"{r[k]:.2f}" for r in runs)  # noqa: E731
    print(f"\nnnweb built site, median of {args.runs} fresh Chromium profiles ({load()} at the end)")
    rows = [("site size (all files)", f"{size / 1e6:.1f} MB", "target <= 25 MB")]
    for name in ["default", *addresses]:
        rows.append((f"first picture, cold: {name}", f"{med[f'first picture: {name}']:.2f} s",
                     each(f"first picture: {name}") + "; target <= 1.0 s"))
        rows.append(("  on the page's clock (its loader's stamp)", f"{med[f'picture stamp: {name}']:.2f} s",
                     each(f"picture stamp: {name}") + " (since navigation; the poll above waits behind long tasks)"))
        if name != "embed":  # an embed has no settings column: drawn whole at once
            rows.append(("  with its settings column", f"{med[f'whole picture: {name}']:.2f} s",
                         each(f"whole picture: {name}") + " (drawn in the frame after the views)"))
    rows += [("cold load to interactive heatmap", f"{med['cold']:.2f} s", each("cold") + "; target <= 5 s"),
             *((f"  {label}", f"{med[f'cold phase: {label}']:.2f} s", "")
               for label, _ in load_split.PHASES if f"cold phase: {label}" in med),
             ("second visit: first heatmap (cached page)", f"{med['preview']:.2f} s", each("preview") + "; target <= 1.5 s"),
             ("second visit: interactive", f"{med['warm']:.2f} s", each("warm") + "; target <= 3 s"),
             *((f"  {label}", f"{med[f'warm phase: {label}']:.2f} s", "")
               for label, _ in load_split.PHASES if f"warm phase: {label}" in med),
             ("  same, snapshot cache emptied first (A/B)", f"{med['warm, no snapshot']:.2f} s", each("warm, no snapshot")),
             (f"phone (CPU / {phone.RATE}, {phone.WIDTH} px): first picture", f"{med['phone: first picture']:.2f} s",
              each("phone: first picture")),
             ("  phone: interactive", f"{med['phone: interactive']:.2f} s", each("phone: interactive")),
             ("example post: slowest embed's first picture", f"{med['post: first picture']:.2f} s",
              f"of {med['post: embeds']:.0f} embeds; target <= 1.5 s"),
             ("  embeds that started Python / training at once", f"{med['post: started']:.0f} / "
              f"{med['post: training at once']:.0f}", "on screen only / target at most 1"),
             ("  worst click · frame gap while one trains", f"{med['post: click latency']:.0f} ms",
              f"{med['post: frame gap']:.0f} ms; target < 100 ms"),
             ("  phone: epochs/s, circle 2-4-2-1", f"{med['phone: epochs']:.1f}",
              f"unthrottled in this run: {med[f'{next(iter(configs))}: epochs']:.1f}")]
    cpu_seconds = min(args.seconds, 5.0)
    for name, experiment in configs.items():
        epochs, steps = cpython_rates(experiment, cpu_seconds)
        page = med[f"{name}: epochs"]
        rows.append((f"epochs/s, {name}, views drawn", f"{page:.1f}",
                     f"CPython {epochs:.1f} epochs/s, {steps:.0f} steps/s (ratio "
                     f"{page / epochs if epochs else float('nan'):.2f})"))
        rows.append((f"  redraws/s · worst frame gap", f"{med[f'{name}: redraws']:.1f}", f"{med[f'{name}: gap']:.0f} ms"))
        if name == next(iter(configs)):  # the default network
            rows += [(f"  {tab} tab shown: redraws/s", f"{med[f'{tab} shown: redraws']:.1f}",
                      f"{med[f'{tab} shown: epochs']:.1f} epochs/s (Layer space shown: above)") for tab in NEW_VIEWS]
    for name in peer_playground.CONFIGS:
        if f"peer {name}: epochs" in med:
            quiet, busy = med[f"{name}: epochs"] / med[f"peer {name}: epochs"], \
                med[f"busy {name}: epochs"] / med[f"busy peer {name}: epochs"]
            rows.append((f"nnweb / playground, {name}", f"{quiet:.2f}x",
                         f"{med[f'{name}: epochs']:.1f} vs {med[f'peer {name}: epochs']:.1f} epochs/s; "
                         f"busy loop: {busy:.2f}x ({med[f'busy {name}: epochs']:.1f} vs "
                         f"{med[f'busy peer {name}: epochs']:.1f}); target >= 2x"))
        else:
            rows.append((f"nnweb, {name}, busy loop beside", f"{med[f'busy {name}: epochs']:.1f}",
                         "epochs/s (no --peer-playground: nothing to compare with)"))
    if f"peer {next(iter(peer_playground.CONFIGS))}: first picture" in med:
        rows.append(("playground first picture, cold", f"{med[f'peer {next(iter(peer_playground.CONFIGS))}: first picture']:.2f} s",
                     ", ".join(f"{n}: {med[f'peer {n}: first picture']:.2f}" for n in peer_playground.CONFIGS)))
    first = next(iter(configs))
    epochs, _ = cpython_rates(configs[first], cpu_seconds, draw=False)
    rows += [(f"epochs/s, {first}, drawing off", f"{med['drawing off: epochs']:.1f}",
              f"CPython {epochs:.1f} (ratio {med['drawing off: epochs'] / epochs:.2f})"),
             ("click latency while training (Event Timing)", f"{med['click latency']:.0f} ms", "worst click; target < 100 ms"),
             ("round trip page -> Python -> page", f"{med['round trip']:.0f} ms", "a checkbox to the new URL, median of 5"),
             (f"pause latency, {LARGEST}", f"{med[f'{LARGEST}: pause']:.0f} ms",
              f"worst of 3 presses; {first}: {med[f'{first}: pause']:.0f} ms; target < 250 ms")]
    for name, value, note in rows:
        print(f"{name:46s} {value:>10s}   {note}")


if __name__ == "__main__":
    main()
