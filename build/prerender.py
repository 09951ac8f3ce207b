"""The page's first picture, drawn at build time, so a cold visit shows the experiment at once.

The worker's first document depends only on the address (the link's state, fresh weights
from fixed seeds): this script builds the same app in CPython, with the same Panel and Bokeh
as the site ships, for the addresses in ADDRESSES, and writes each document as the worker's
render message would carry it ({docs_json, render_items, root_ids}), gzipped. The page draws
it, inert, while Python starts (site/shell/loader.js), exactly as it draws last visit's
picture on a second visit; the live app then replaces it.

    python3 build/prerender.py OUT_DIR     # prints {address: file name} as JSON

build/site.py runs it in a process of its own with PYTHONHASHSEED=0: model ids are counted
from the start of a process, so every build writes the same bytes.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import os
import sys
from pathlib import Path

# address (the page's location.search + location.hash) -> file stem
ADDRESSES = {"": "default", "?embed": "embed"}
DOC_ID = "nnweb-prerendered"
# Panel names its stylesheets by absolute URL, under the site's panel/ folder (the worker's
# PANEL_CDN_ROOT); only the page knows its own address, so it puts it in for this placeholder.
PANEL_ROOT = "https://nnweb-panel-root.invalid/"


def render(search: str, hash_: str) -> dict:
    import panel as pn
    from bokeh.document import Document
    from bokeh.embed.util import standalone_docs_json_and_render_items
    from panel.io.state import set_curdoc
    from panel.models.browser import BrowserInfo

    from nnweb.app.main import create_app, layout_from_query

    doc = Document()
    with set_curdoc(doc):
        app = create_app(initial_hash=hash_, layout=layout_from_query(search))
        pn.panel(app).server_doc(doc)
        doc.add_root(BrowserInfo(name="browser_info"))  # as Panel's Pyodide document has
        docs_json, items = standalone_docs_json_and_render_items(doc.roots, suppress_callback_warning=True)
    # Bokeh names the document and the roots' elements with random ids: fixed ones keep the
    # bytes the same (the page draws into elements of its own anyway)
    (doc_json,) = docs_json.values()
    items = [item.to_json() for item in items]
    for item in items:
        item.update(docid=DOC_ID, roots={root_id: f"nnweb-root-{root_id}" for root_id in item["roots"]})
    # outside Pyodide Panel adds ?v=<version> to its stylesheets' URLs; the worker does not, and
    # the picture should fetch the very files the live page will
    docs = json.dumps({DOC_ID: doc_json}).replace(f"?v={pn.__version__}", "")
    return {"docs_json": docs, "render_items": json.dumps(items),
            "root_ids": json.dumps([model.id for model in doc.roots])}


def main(out: Path) -> dict:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import pins
    import bokeh
    import panel

    shipped = {dist: version for dist, version, _ in pins.PURE_WHEELS}
    for module in (bokeh, panel):  # the picture must be what the worker would draw
        if module.__version__ != shipped[module.__name__]:
            raise SystemExit(f"prerender: {module.__name__} {module.__version__} here, the site ships "
                             f"{shipped[module.__name__]}: pip install -e '.[app]'")
    out.mkdir(parents=True, exist_ok=True)
    index = {}
    for address, stem in ADDRESSES.items():
        search, _, hash_ = address.partition("#")
        body = gzip.compress(json.dumps(render(search, hash_)).encode(), 9, mtime=0)
        name = f"{stem}.{hashlib.sha256(body).hexdigest()[:10]}.json.gz"
        (out / name).write_bytes(body)
        index[address] = name
    return index


if __name__ == "__main__":
    os.environ["PANEL_CDN_ROOT"] = PANEL_ROOT  # before Panel is imported: it reads it then
    print(json.dumps(main(Path(sys.argv[1]))))
