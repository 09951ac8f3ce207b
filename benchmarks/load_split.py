"""Where a load's time went: the worker's and the page's stamps on one clock.

site/shell/worker.js stamps each phase of a start (``nnwebStamp``, Python's phases through
nnweb/app/browser.py ``render``) on the worker's clock and sends them with its origin; the
loader stamps its own steps. Lined up on the page's clock (ms since navigation), consecutive
stamps give each phase's share of the time to interactive.
"""
from __future__ import annotations

# (phase shown, the stamp that ends it); a phase starts at the previous stamp found
PHASES = [
    ("page, loader, worker created", "worker created"),
    ("picture's views drawn (the worker waits)", "downloads started"),
    ("its settings drawn (worker downloads)", "page let Python start"),
    ("pyodide.js", "pyodide.js evaluated"),
    ("Pyodide boot (wasm, interpreter)", "Python started"),
    ("Pyodide restore from snapshot", "Python restored from the snapshot"),
    ("stdlib imports (kept in the snapshot)", "standard library imported"),
    ("snapshot taken (memory copied)", "snapshot taken"),
    ("package loading (wheels, numpy .so)", "Importing Panel, Bokeh and the app…"),
    ("import panel/bokeh + init_doc", "import panel"),
    ("import the app's modules", "import app modules"),
    ("build the app", "build app"),
    ("write_doc (serialise)", "write_doc"),
    ("transfer + first render (page)", "drawn"),
]
READ = "() => [performance.timeOrigin, window.nnwebWorkerOrigin, window.nnwebStamps, window.nnwebPageStamps]"


def stamps(page) -> dict[str, float]:
    """{stamp: seconds since navigation} of the page's last load."""
    page_origin, worker_origin, worker, own = page.evaluate(READ)
    out = {name: (worker_origin + ms - page_origin) / 1000 for name, ms in worker or []}
    out.update({name: ms / 1000 for name, ms in own or []})
    return out


def phases(page) -> list[tuple[str, float]]:
    """[(phase, seconds)] in order, for the phases this load went through."""
    found = stamps(page)
    out, previous = [], 0.0
    for label, end in PHASES:
        if end in found:
            out.append((label, found[end] - previous))
            previous = found[end]
    if "downloads done" in found:
        out.append(("(all downloads done at, in parallel)", found["downloads done"]))
    return out


def line(page) -> str:
    return " · ".join(f"{label} {s:.2f}s" for label, s in phases(page))
