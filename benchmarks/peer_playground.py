"""TensorFlow Playground beside nnweb: its built site served locally, the same three networks.

Its build (``npm ci && npm run build`` in a clone of github.com/tensorflow/playground) is
passed as ``--peer-playground DIR`` (its ``dist/``); nothing of it is kept in this repository.
The configuration goes in its URL hash (``State.deserializeState``): tanh, batch 10, learning
rate 0.03, 250 training points (50% of 500), inputs x1 and x2, a fixed seed. Its training loop
runs one epoch (``oneStep``) per animation frame (``d3.timer``), and ``#iter-number`` shows the
epoch count, so epochs/s is read from the page itself as for nnweb.
"""
from __future__ import annotations

import http.server
import functools
import tempfile
import threading
import time
from pathlib import Path

import chromium

# nnweb's names (benchmarks/browser.py experiments) -> the playground's dataset and hidden layers
CONFIGS = {"circle 2-4-2-1": ("circle", "4,2"), "circle 6 layers of 8": ("circle", "8,8,8,8,8,8"),
           "spiral 8-8": ("spiral", "8,8")}
# The heatmap's canvas exists once the page's script has drawn the first picture.
FIRST_PICTURE = "() => document.querySelector('#heatmap canvas') !== null && document.querySelector('#iter-number') !== null"


def address(dataset: str, shape: str) -> str:
    return ("#activation=tanh&batchSize=10&dataset=" + dataset + "&regDataset=reg-plane&learningRate=0.03"
            "&regularizationRate=0&noise=0&networkShape=" + shape + "&seed=0.12345&showTestData=false"
            "&discretize=false&percTrainData=50&x=true&y=true&xTimesY=false&xSquared=false&ySquared=false"
            "&cosX=false&sinX=false&cosY=false&sinY=false&collectStats=false&problem=classification"
            "&initZero=false&hideText=false")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(directory: Path) -> http.server.ThreadingHTTPServer:
    """The peer's dist/ on 127.0.0.1, any free port; call ``shutdown()`` when done."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _local_only(context) -> None:
    """Its page asks Google for fonts and analytics: refused at once (this machine is offline),
    so a request that could never complete does not hold its first picture back."""
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("http://127.0.0.1")
                  else route.abort())


def iterations(page) -> int:
    return int((page.locator("#iter-number").text_content() or "0").replace(",", "").strip() or 0)


def measure(playwright, url: str, seconds: float) -> dict:
    """A fresh profile per configuration: cold first picture (s), then epochs/s while playing."""
    out = {}
    for name, (dataset, shape) in CONFIGS.items():
        with tempfile.TemporaryDirectory() as profile:
            ctx = chromium.launch(playwright, profile)
            _local_only(ctx)
            page = ctx.pages[0] if ctx.pages else ctx.new_page()
            t0 = time.perf_counter()
            page.goto(url + address(dataset, shape))
            page.wait_for_function(FIRST_PICTURE, timeout=60_000, polling=10)
            out[f"{name}: first picture"] = time.perf_counter() - t0
            page.locator("#play-pause-button").click()
            time.sleep(1.0)  # let the loop settle, as for nnweb
            i0, t0 = iterations(page), time.perf_counter()
            time.sleep(seconds)
            out[f"{name}: epochs"] = (iterations(page) - i0) / (time.perf_counter() - t0)
            ctx.close()
    return out
