"""The page's first picture, drawn at build time, so a cold visit shows the experiment at once.

The worker's first document depends only on the address (the link's state, fresh weights
from fixed seeds): this script builds the same app in CPython, with the same Panel and Bokeh
as the site ships, for every address a visitor is likely to open cold: the default page, each
demonstration (its link: the hash Python writes for it), both full and ``?embed``, and the
embed layouts a page of the site uses (the example post). Each document is written as the
worker's render message would carry it ({docs_json, render_items, root_ids}), gzipped; the full
page's settings column comes apart as ``later``, a patch the page applies in the frame after
the views are drawn (settings_later). The page draws it, inert, while Python starts
(site/shell/loader.js), as it draws last visit's picture on a second visit; the live app
then replaces it.

    python3 build/prerender.py OUT_DIR [?embed=layer,3d:PRESET ...]
    # prints {"files": {address key: file name}, "links": {preset: its hash}} as JSON

The page finds a file by ``address_key`` (a digest of location.search + location.hash: the
demonstrations' links are a few hundred characters each); an address with no key keeps the
ordinary path. build/site.py runs this in a process of its own with PYTHONHASHSEED=0: model
ids are counted from the start of a process and the addresses are drawn in a fixed order,
so every build writes the same bytes.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import os
import sys
from pathlib import Path

# the pages every demonstration is drawn for (location.search): the full app and the embed
PAGES = {"": "", "?embed": "embed-"}
DOC_ID = "nnweb-prerendered"
# Panel names its stylesheets by absolute URL, under the site's panel/ folder (the worker's
# PANEL_CDN_ROOT); only the page knows its own address, so it puts it in for this placeholder.
PANEL_ROOT = "https://nnweb-panel-root.invalid/"


def address_key(address: str) -> str:
    """What the page looks a prerender up by (loader.js computes the same with SubtleCrypto)."""
    return hashlib.sha256(address.encode()).hexdigest()[:16]


def demonstration_links() -> dict[str, str]:
    """Each demonstration's link (its URL hash): what Python writes into the address when the
    gallery opens it, so what a person shares."""
    from dataclasses import replace

    from nnweb.app.presets import PRESETS
    from nnweb.app.state import encode

    return {p.key: encode(replace(p.experiment, view={**p.experiment.view, "preset": p.key})) for p in PRESETS}


def addresses(links: dict[str, str], extra: list[tuple[str, str]]) -> dict[str, str]:
    """address -> file stem, in a fixed order: the default page and embed, every demonstration
    on every page of PAGES, then ``extra`` (search, demonstration) pairs."""
    found = {"": "default", "?embed": "embed"}
    for key, link in links.items():
        for search, prefix in PAGES.items():
            found[f"{search}#{link}"] = prefix + key
    for search, key in extra:
        views = search.partition("=")[2].replace(",", "-") or "embed"
        found.setdefault(f"{search}#{links[key]}", f"embed-{views}-{key}")
    return found


def settings_later(doc) -> tuple[list, object]:
    """Take the settings column's contents out of ``doc``: (its children, the column), or
    ([], None) for a page without one (an embed). The picture draws the top bar and the views
    first, and the settings in the next frame: all at once, the settings' ~170 models (of
    ~400) held the views back by ~0.3 s."""
    from nnweb.app.layout import SIDEBAR_CLASS

    columns = [m for m in doc.models if SIDEBAR_CLASS in (getattr(m, "css_classes", None) or [])]
    if not columns:
        return [], None
    (column,) = columns
    children, column.children = list(column.children), []
    return children, column


def later_patch(doc, children: list, column) -> str:
    """The patch that puts ``children`` back into ``column``, as BokehJS applies it to the
    document drawn without them (models that document already has are named by id); and
    puts them back in ``doc`` too, which is then whole again."""
    from bokeh.core.serialization import Serializer

    known = set().union(*(root.references() for root in doc.roots))
    new = Serializer(references=known, deferred=False).encode(children)
    column.children = children
    return json.dumps({"events": [{"kind": "ModelChanged", "model": {"id": column.id}, "attr": "children",
                                   "new": new}]})


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
        children, column = settings_later(doc)
        docs_json, items = standalone_docs_json_and_render_items(doc.roots, suppress_callback_warning=True)
        later = later_patch(doc, children, column) if column is not None else None
    # Bokeh names the document and the roots' elements with random ids: fixed ones keep the
    # bytes the same (the page draws into elements of its own anyway)
    (doc_json,) = docs_json.values()
    items = [item.to_json() for item in items]
    for item in items:
        item.update(docid=DOC_ID, roots={root_id: f"nnweb-root-{root_id}" for root_id in item["roots"]})
    # outside Pyodide Panel adds ?v=<version> to its stylesheets' URLs; the worker does not, and
    # the picture should fetch the very files the live page will
    unversioned = lambda text: text.replace(f"?v={pn.__version__}", "")  # noqa: E731
    picture = {"docs_json": unversioned(json.dumps({DOC_ID: doc_json})), "render_items": json.dumps(items),
               "root_ids": json.dumps([model.id for model in doc.roots])}
    if later is not None:
        picture["later"] = unversioned(later)
    return picture


def main(out: Path, extra: list[tuple[str, str]]) -> dict:
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
    links = demonstration_links()
    unknown = sorted({key for _, key in extra} - set(links))
    if unknown:
        raise SystemExit(f"prerender: no demonstration is called {', '.join(unknown)}")
    files = {}
    for address, stem in addresses(links, extra).items():
        search, _, hash_ = address.partition("#")
        body = gzip.compress(json.dumps(render(search, hash_)).encode(), 9, mtime=0)
        name = f"{stem}.{hashlib.sha256(body).hexdigest()[:10]}.json.gz"
        (out / name).write_bytes(body)
        files[address_key(address)] = name
    return {"files": files, "links": links}


if __name__ == "__main__":
    os.environ["PANEL_CDN_ROOT"] = PANEL_ROOT  # before Panel is imported: it reads it then
    pairs = [tuple(arg.rsplit(":", 1)) for arg in sys.argv[2:]]
    print(json.dumps(main(Path(sys.argv[1]), pairs)))
