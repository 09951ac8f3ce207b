"""Reading and driving the Bokeh document of a loaded nnweb page from Playwright.

Changes are made on the page's BokehJS models, so they travel to Python exactly as a
person's input does (the document patch goes to the worker and the views answer).
"""
from __future__ import annotations

import time

from chromium import READY

LOAD_TIMEOUT_MS = 120_000

JS_HELPERS = """
window.nnwebTest = {
  doc: () => Bokeh.documents[0],
  models: () => [...Bokeh.documents[0].all_models],
  fig: (name) => Bokeh.documents[0].get_model_by_name(name),
  widget: (title) => nnwebTest.models().find((m) => m.title === title && 'value' in m),
  column: (name, i, col) => Array.from(nnwebTest.fig(name).renderers[i].data_source.data[col] || []),
};
"""


def settled(read, quiet: float = 0.6, timeout: float = 20.0):
    """``read()`` once it has returned the same value for ``quiet`` seconds (patches from
    Python arrive one after another; a counter can update before a data column does)."""
    deadline = time.time() + timeout
    value, since = read(), time.time()
    while time.time() < deadline:
        time.sleep(0.1)
        now = read()
        if now != value:
            value, since = now, time.time()
        elif time.time() - since >= quiet:
            return value
    raise AssertionError("the value never settled")


class BokehPage:
    def __init__(self, page):
        self.page = page
        page.evaluate(JS_HELPERS)

    def js(self, expression: str, arg=None):
        return self.page.evaluate(f"(arg) => {expression}", arg)

    def title(self, figure: str) -> str:
        return self.js("nnwebTest.fig(arg).title.text", figure)

    def column(self, figure: str, renderer: int, column: str) -> list:
        return self.js("nnwebTest.column(arg[0], arg[1], arg[2])", [figure, renderer, column])

    def colors(self, figure: str, renderer: int, column: str = "color") -> list[tuple]:
        """A colour column (n, 4) RGBA bytes, as one (r, g, b, a) tuple per glyph."""
        flat = self.column(figure, renderer, column)
        return [tuple(flat[i:i + 4]) for i in range(0, len(flat), 4)]

    def shows_text(self, text: str) -> bool:
        """Whether any text model (Markdown/HTML pane, label) contains ``text``."""
        return self.js("nnwebTest.models().some((m) => typeof m.text === 'string' && m.text.includes(arg))", text)

    def nan_count(self, figure: str, renderer: int, column: str) -> int:
        return self.js("nnwebTest.column(arg[0], arg[1], arg[2]).filter(Number.isNaN).length",
                       [figure, renderer, column])

    def axis_label(self, figure: str, axis: str = "below") -> str:
        return self.js(f"nnwebTest.fig(arg).{axis}[0].axis_label", figure)

    def set_widget(self, title: str, value) -> None:
        """Set a widget's value as a person would; waits for widgets of lazily built tabs."""
        self.wait_until(lambda: self.js("nnwebTest.widget(arg) !== undefined", title), what=f"widget {title!r}")
        self.js("nnwebTest.widget(arg[0]).value = arg[1]", [title, value])

    def settled(self, read, quiet: float = 0.6, timeout: float = 20.0):
        return settled(read, quiet, timeout)

    def wait_until(self, predicate, timeout: float = 20.0, what: str = "condition"):
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                result = predicate()
                if result:
                    return result
            except Exception:  # a model mid-update; try again
                pass
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {what}")


def open_app(page, url: str) -> BokehPage:
    """Go to ``url`` and wait until the app is interactive."""
    page.goto(url)
    page.wait_for_function(READY, timeout=LOAD_TIMEOUT_MS)
    return BokehPage(page)


def epoch(target) -> int:
    """The epoch counter a page or frame shows (retried while Panel re-renders the pane)."""
    for _ in range(100):
        text = (target.locator(".nnweb-epoch b").first.text_content(timeout=5000) or "").strip()
        if text.isdigit():
            return int(text)
        time.sleep(0.05)
    raise AssertionError("the epoch counter never showed a number")


def step(bk: BokehPage, times: int) -> None:
    """Press Step ``times`` times, each time waiting for the epoch to advance by one."""
    start = epoch(bk.page)
    for i in range(times):
        bk.page.locator(".nnweb-step button").click()
        bk.wait_until(lambda: epoch(bk.page) == start + i + 1, what="one step")
