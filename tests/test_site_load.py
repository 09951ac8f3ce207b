"""How the built site loads: bytecode for what the app imports, the Python worker made
before BokehJS is evaluated and started once the first picture is drawn, the build's first
pictures, and second visits drawn at once from the browser's cache while Python starts."""
from __future__ import annotations

import gzip
import json
import re
import time
import zipfile
from pathlib import Path

import pytest
from bokeh_docs import canonical, first_difference, whole
from bokeh_page import LOAD_TIMEOUT_MS, BokehPage, epoch
from chromium import FIRST_PICTURE, READY
from prerender import PANEL_ROOT, demonstration_links

ROOT = Path(__file__).resolve().parent.parent
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


def test_python_downloads_and_starts_only_once_the_first_picture_is_drawn(site_url, browser):
    """The worker is made (and reads its manifest) before BokehJS is evaluated; it downloads
    Python's 21 MB once the picture's views are drawn, and starts Python, whose start shares
    the CPU with drawing, once the page has drawn the whole picture."""
    page = browser.page
    page.add_init_script(RECORD_ORDER)
    page.goto(site_url() + "/")
    page.wait_for_function(READY, timeout=LOAD_TIMEOUT_MS)
    assert page.evaluate("window.__order") == ["worker", "bokeh"]
    origin, worker_origin, worker, mine = page.evaluate(
        "() => [performance.timeOrigin, window.nnwebWorkerOrigin, window.nnwebStamps, window.nnwebPageStamps]")
    at = {name: origin + t for name, t in mine} | {name: worker_origin + t for name, t in worker}
    # ... or, if drawing takes longer, once the worker has waited PICTURE_FIRST_MS
    longest = int(re.search(r"PICTURE_FIRST_MS = (\d+)", (ROOT / "site/shell/loader.js").read_text())[1])
    assert at["first picture drawn"] < at["first picture's settings drawn"], at
    assert at["downloads started"] >= min(at["first picture drawn"], at["worker created"] + longest), at
    assert at["downloads started"] <= at["page let Python start"], at
    assert at["page let Python start"] >= min(at["first picture's settings drawn"], at["worker created"] + longest), at
    assert at["page let Python start"] < at["Python started"] < at["drawn"], at
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
    built = json.loads(gzip.decompress(next((built_site / "prerender").glob(f"{stem}.*.json.gz")).read_bytes())
                       .decode().replace(PANEL_ROOT, page.evaluate("new URL('panel/', document.baseURI).href")))
    assert ("later" in built) == (stem != "embed")  # the full page draws its settings in a second step
    (worker_doc,) = json.loads(worker).values()
    difference = first_difference(canonical(whole(built)), canonical(worker_doc))
    assert difference is None, f"the build's picture is not what the worker draws: {difference}"
    page.locator(".nnweb-play button").click()
    BokehPage(page).wait_until(lambda: epoch(page) > 3, what="the live app to train")
    assert not browser.errors, browser.errors


def test_the_bar_under_a_first_picture_fits_a_phone(site_url, browser):
    """While the picture stands in for the app, the slim bar at the bottom (progress, stage, what
    the picture is) stays on a 390 px screen: its note ran off the right edge."""
    page = browser.page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(site_url() + "/")
    page.wait_for_function(FIRST_PICTURE, timeout=LOAD_TIMEOUT_MS, polling=20)
    assert page.evaluate("document.body.dataset.nnwebState") == "preview"
    right, width, note = page.evaluate("""() => {
      const shown = [...document.querySelectorAll('#nnweb-loading *')].map((el) => el.getBoundingClientRect())
        .filter((r) => r.width > 0 && r.height > 0);
      const note = document.getElementById('nnweb-preview-note');
      return [Math.max(...shown.map((r) => r.right)), innerWidth, note.getBoundingClientRect().width];
    }""")
    assert right <= width and note > 0, (right, width, note)
    assert not browser.errors, browser.errors
