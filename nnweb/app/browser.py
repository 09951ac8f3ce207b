"""Entry points the browser's Python worker calls (site/shell/worker.js); Pyodide only."""
from __future__ import annotations

import json

_app = None  # the App this worker shows (set by render)


def _shim_pyodide_027() -> None:
    """Panel 1.9 checks ``x is pyodide.ffi.jsnull`` (Pyodide >= 0.28). In 0.27, JS null already
    converts to None, so a sentinel that nothing is identical to keeps Panel's logic exact."""
    import pyodide.ffi

    if not hasattr(pyodide.ffi, "jsnull"):
        pyodide.ffi.jsnull = object()


def _shim_run_js_without_eval() -> None:
    """Panel's pyodide module builds one tiny JS helper with ``pyodide.code.run_js``, i.e.
    ``eval``, which the site's Content-Security-Policy refuses (no 'unsafe-eval'). The worker
    defines the same function (``nnwebDictConverter`` in site/shell/worker.js); this hands it
    over for that one snippet and leaves every other call to the original."""
    import js
    import pyodide.code

    original = pyodide.code.run_js
    if getattr(original, "_nnweb", False):
        return

    def run_js(code, *args, **kwargs):
        if "Object.fromEntries(entries)" in code and hasattr(js, "nnwebDictConverter"):
            return js.nnwebDictConverter
        return original(code, *args, **kwargs)

    run_js._nnweb = True
    pyodide.code.run_js = run_js


async def render(initial_hash: str = "", search: str = ""):
    """Build the app into Panel's worker document; returns (docs_json, render_items, root_ids).
    ``initial_hash`` is the page's URL hash (the shared state to open with); ``search`` its
    query string (``?embed`` selects the compact layout). Each phase is stamped on the
    worker's clock (benchmarks/browser.py prints where a cold load's time goes)."""
    stamp = _stamper()
    _shim_pyodide_027()
    _shim_run_js_without_eval()  # before anything imports panel
    from panel.io.pyodide import init_doc, write_doc

    init_doc()
    stamp("import panel")
    from .main import create_app, layout_from_query
    stamp("import app modules")
    global _app
    _app = create_app(initial_hash=initial_hash, layout=layout_from_query(search))
    _app.servable()
    stamp("build app")
    out = await write_doc()
    stamp("write_doc")
    return out


def _stamper():
    """``stamp(name)``: the worker's ``nnwebStamp`` (site/shell/worker.js), a no-op without it."""
    import js

    mark = getattr(js, "nnwebStamp", None)
    return (lambda name: mark(name)) if mark is not None else (lambda name: None)


def link_document(dispatch, setter: str = "js") -> None:
    """Send the worker document's changes to the page, one patch per turn of the event loop.

    Panel's own link (``panel.io.pyodide._link_docs_worker``) serialises and posts every
    change on its own; a training frame makes several (images, points, edges, status), so
    the page applied several patches and re-rendered after each. Here the changes of one
    frame are collected and sent together once Python yields. Changes that came from the
    page (``setter``) are not echoed back."""
    import asyncio

    import js
    import pyodide.ffi
    from panel.io.pyodide import _process_document_events
    from panel.io.state import state
    from bokeh.events import DocumentReady

    from .doc_sync import pending_events

    doc = state.curdoc
    queued: list = []

    def flush() -> None:
        taken = queued[:]
        queued.clear()  # first: whatever happens below, the next change schedules a flush
        events = pending_events(taken, unsent=doc.models._new_models)
        if not events:
            return
        patch, buffers = _process_document_events(doc, events)
        patch = pyodide.ffi.to_js(patch, dict_converter=js.nnwebDictConverter)
        dispatch(patch, js.Map.new(js.Object.entries(pyodide.ffi.to_js(buffers))))

    def collect(event) -> None:
        if getattr(event, "setter", None) == setter:
            return
        if not queued:
            asyncio.get_event_loop().call_soon(flush)
        queued.append(event)

    doc.on_change(collect)
    doc.unhold()
    doc.on_event("document_ready", lambda event: state._schedule_on_load(doc, event))
    doc.callbacks.trigger_event(DocumentReady())


def apply_patch(patch) -> list[str]:
    """A change from the page (a JS object), applied to the worker's document at once; returns
    what could not be applied, in words, for the page to show. The worker calls this directly:
    running it through ``runPythonAsync`` with the patch in a global let a change arriving right
    behind another overwrite that global before the first ran (a click lost now and then).
    ``doc_sync.apply_page_patch`` says why it is applied event by event."""
    from panel.io.pyodide import _convert_json_patch
    from panel.io.state import state

    from .doc_sync import apply_page_patch

    return apply_page_patch(state.curdoc, _convert_json_patch(patch))


def sync_location(location_json: str) -> None:
    """Give Panel the page's address (the app reads its state from the URL hash)."""
    from panel.io.state import state
    from panel.util import edit_readonly

    if state.location:
        data = json.loads(location_json)
        with edit_readonly(state.location):
            state.location.param.update({k: v for k, v in data.items() if k in state.location.param})


def page_visible(visible: bool) -> None:
    """The embed was scrolled out of view (or back): see ``App.page_visible``."""
    _app.page_visible(bool(visible))


def pause() -> None:
    """Another embed on the page started training: one runs at a time (site/shell/loader.js)."""
    _app.pause()


def inspect() -> str:
    """What Python holds, as JSON: the page's tests compare it with what the widgets show."""
    from .state import encode

    s = _app.session
    return json.dumps({"hash": encode(s.experiment()), "running": s.running, "epoch": s.epoch,
                       "checkpoints": s.checkpoints,
                       "layers": [layer.width for layer in s.model_spec.layers],
                       "tab": _app.tabs.active, "message": s.message})
