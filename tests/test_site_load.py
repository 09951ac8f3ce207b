"""How the built site loads: bytecode for what the app imports, the Python worker started
before BokehJS is evaluated, and second visits drawn at once from the browser's cache while
Python starts."""
from __future__ import annotations

import gzip
import json
import re
import time
import zipfile
from pathlib import Path

import pytest
from bokeh_page import LOAD_TIMEOUT_MS, BokehPage, epoch
from chromium import FIRST_PICTURE, READY
from prerender import PANEL_ROOT, demonstration_links

MAGIC_312 = (3531).to_bytes(2, "little") + b"\r\n"  # importlib.util.MAGIC_NUMBER of CPython 3.12


def wheel(site: Path, prefix: str) -> zipfile.ZipFile:
    return zipfile.ZipFile(next(Path(site, "pyodide").glob(f"{prefix}-*.whl")))


def test_wheels_hold_python_312_bytecode_for_what_the_app_imports(built_site):
    panel = wheel(built_site, "panel")
    names = set(panel.namelist())
    # imported at start: bytecode only, for Python 3.12 (the interpreter Pyodide 0.27 runs)
    assert "panel/reactive.pyc" in names and "panel/reactive.py" not in names
    assert panel.read("panel/reactive.pyc").startswith(MAGIC_312)
    record = panel.read(next(n for n in names if n.endswith(".dist-info/RECORD"))).decode()
    assert "panel/reactive.pyc,sha256=" in record and "panel/reactive.py," not in record
    # never imported by the app: stays source (bytecode would only add weight)
    assert "panel/chat/langchain.py" in names and "panel/chat/langchain.pyc" not in names
    assert "narwhals/__init__.py" in set(wheel(built_site, "narwhals").namelist())
    # nnweb keeps its sources (readable tracebacks) beside its bytecode
    own = set(wheel(built_site, "nnweb").namelist())
    assert "nnweb/app/main.py" in own and "nnweb/app/__pycache__/main.cpython-312.pyc" in own
    assert not any(n.endswith(".ts") for n in names)


# Records, in the page, whether the Python worker was created before BokehJS defined itself.
RECORD_ORDER = """
window.__order = [];
const PageWorker = window.Worker;
window.Worker = class extends PageWorker {
  constructor(...args) { super(...args); window.__order.push("worker"); }
};
let bokeh;
Object.defineProperty(window, "Bokeh", { configurable: true, get() { return bokeh; },
  set(value) { if (bokeh === undefined) window.__order.push("bokeh"); bokeh = value; } });
"""


def test_python_starts_while_bokehjs_is_still_loading(site_url, browser):
    """Evaluating BokehJS takes ~0.3 s of the main thread; Python's start need not wait for it."""
    page = browser.page
    page.add_init_script(RECORD_ORDER)
    page.goto(site_url() + "/")
    page.wait_for_function(READY, timeout=LOAD_TIMEOUT_MS)
    assert page.evaluate("window.__order") == ["worker", "bokeh"]
    assert not browser.errors, browser.errors


def test_a_second_visit_shows_the_last_page_at_once_then_the_live_app(site_url, browser):
    page = browser.page
    url = site_url() + "/?embed=boundary,layer#"
    page.goto(url)
    page.wait_for_function(READY, timeout=LOAD_TIMEOUT_MS)
    assert page.locator("#nnweb-preview").count() == 0  # a first visit has nothing to show early
    time.sleep(1.0)  # the page is saved for next time once drawn

    page.goto(site_url() + "/")  # another address: its own entry (none yet)
    page.wait_for_function(READY, timeout=LOAD_TIMEOUT_MS)
    page.goto(url)
    page.wait_for_function(FIRST_PICTURE, timeout=LOAD_TIMEOUT_MS, polling=20)
    assert page.evaluate("document.body.dataset.nnwebState") == "preview"
    preview = page.locator("#nnweb-preview")
    assert preview.evaluate("(el) => el.inert") and preview.locator("canvas").count() > 0
    assert page.locator("#nnweb-preview-note").is_visible()
    page.wait_for_function(READY, timeout=LOAD_TIMEOUT_MS)
    assert page.locator("#nnweb-preview").count() == 0
    assert page.evaluate("() => Bokeh.documents.length") == 1  # the preview's document is gone
    bk = BokehPage(page)
    assert bk.js("nnwebTest.fig('decision-boundary') !== null")
    page.locator(".nnweb-play button").click()
    bk.wait_until(lambda: epoch(page) > 5, what="the live app to train")
    assert not browser.errors, browser.errors


def canonical(docs_json: str):
    """A document as its tree of models, with ids replaced by their order of appearance,
    arrays by their shape and type, and numbers rounded: what must be the same whether
    CPython (the build) or Pyodide (the worker) made it."""
    (doc,) = json.loads(docs_json).values()
    ids: dict = {}

    def walk(value):
        if isinstance(value, dict):
            if value.get("type") in ("ndarray", "bytes"):
                return ["array", value.get("dtype"), value.get("shape")]
            if value.get("type") == "set":  # no order of its own
                return ["set", sorted(map(json.dumps, walk(value["entries"])))]
            if "id" in value:
                value = {**value, "id": ids.setdefault(value["id"], len(ids))}
            return {key: walk(item) for key, item in value.items()}
        if isinstance(value, list):
            return [walk(item) for item in value]
        if isinstance(value, float):
            return float(f"{value:.5g}")
        if isinstance(value, str):  # Panel's object names count objects made (Row00370)
            return re.sub(r"^([A-Za-z]+)\d{5}$", r"\1", value)
        return value
    return walk(doc["roots"])


def first_difference(a, b, path="roots"):
    """Where two canonical documents first differ, for the failure message."""
    if type(a) is not type(b) or (not isinstance(a, (dict, list)) and a != b):
        return f"{path}: {str(a)[:200]} != {str(b)[:200]}"
    if isinstance(a, dict):
        for key in sorted(set(a) | set(b)):
            if a.get(key) != b.get(key):
                return first_difference(a.get(key), b.get(key), f"{path}.{key}")
    if isinstance(a, list):
        if len(a) != len(b):
            names = lambda items: [item.get("name") if isinstance(item, dict) else item for item in items]  # noqa: E731
            return f"{path}: {len(a)} items != {len(b)}: {names(a)} != {names(b)}"
        for i, (x, y) in enumerate(zip(a, b)):
            if x != y:
                return first_difference(x, y, f"{path}[{i}]")
    return None


@pytest.mark.parametrize("address, stem", [("/", "default"), ("/?embed", "embed"), ("/#relu-edges", "relu-edges")])
def test_a_first_visit_shows_the_builds_picture_at_once_then_the_live_app(site_url, browser, built_site, address, stem):
    """The default page, the embed and a demonstration's link (the address the gallery writes,
    so what a person shares): each has the build's picture, equal to what the worker draws."""
    key = address.partition("#")[2]
    if key:  # a demonstration, by its link
        address = address.replace(key, demonstration_links()[key])
    page = browser.page
    page.goto(site_url() + address)
    page.wait_for_function(FIRST_PICTURE, timeout=LOAD_TIMEOUT_MS, polling=20)
    assert page.evaluate("[document.body.dataset.nnwebState, document.body.dataset.nnwebPreview]") == [
        "preview", "build"]
    assert page.locator("#nnweb-preview canvas").count() > 0 and page.locator("#nnweb-preview-note").is_visible()
    page.wait_for_function(READY, timeout=LOAD_TIMEOUT_MS)
    assert page.locator("#nnweb-preview").count() == 0 and page.evaluate("() => Bokeh.documents.length") == 1
    time.sleep(1.0)  # the worker's document is saved for next time once drawn
    worker = page.evaluate("""async () => {
      const name = (await caches.keys()).find((n) => n.startsWith('nnweb-preview:'));
      const cache = await caches.open(name);
      return (await (await cache.match((await cache.keys())[0])).json()).docs_json;
    }""")
    built = json.loads(gzip.decompress(next((built_site / "prerender").glob(f"{stem}.*.json.gz")).read_bytes()))
    built_json = built["docs_json"].replace(PANEL_ROOT, page.evaluate("new URL('panel/', document.baseURI).href"))
    difference = first_difference(canonical(built_json), canonical(worker))
    assert difference is None, f"the build's picture is not what the worker draws: {difference}"
    page.locator(".nnweb-play button").click()
    BokehPage(page).wait_until(lambda: epoch(page) > 3, what="the live app to train")
    assert not browser.errors, browser.errors
