"""Keeping the worker's Bokeh document and the page's the same, in both directions.

Python's document and the page's copy of it exchange patches. Bokeh's own rules assume a
server that sends each change before it reads the next message; in the worker, Python's
changes of one frame are collected and sent once Python yields (``browser.link_document``),
so a change from the page can arrive while some are still waiting. Two things then go wrong
in Bokeh 3.9 unless handled here:

- Applying a page patch marks *every* model of the document as known to the page, including
  those Python made a moment ago and has not sent yet. The next patch then names them by id
  only and the page fails ("reference … isn't known"): fast "+ layer" clicks while training
  left the diagram and the layer editor behind Python's network for good.
- A patch that names a model Python has already removed (a click on a layer row that was
  replaced, a moment before) is dropped whole and silently.

``apply_page_patch`` applies a page patch event by event: what Python has not sent yet stays
unsent, and a click on a control that no longer exists is refused with a message the page
shows, while the other events of the patch still apply. A new *value* for a control Python
has already taken off the page is passed over quietly, as Bokeh does: the page sends its
changes in order, so whatever the person changed before leaving a view arrived before the
view was removed; what comes after is a hidden view's own motion (a player's last ticks on
its way out). Pure Bokeh: tested in CPython.
"""
from __future__ import annotations

from bokeh.core.serialization import Serialized
from bokeh.document import Document


def pending_events(events: list, unsent: set = frozenset()) -> list:
    """The document changes worth sending, in order. Of several replacements of a property
    only the last is kept; streams, patches or a few columns' updates into a source whose
    data is replaced in the same batch are already in what the replacement sends (sent
    before it, such an update would carry columns of the new length into the old data:
    BokehJS's "Size mismatch"). A change to a model the page has not been sent yet
    (``unsent``: Python made it since the last patch) is in that model's definition, which
    goes whole, as it is now, wherever the patch first names it; sent as a change, it could
    come before that definition (a new layer row's box changed, then the editor's rows
    replaced again: the page met the box by id first, "reference ... isn't known"). A change
    to a model that has left the document since is not sent either."""
    from bokeh.document.events import ColumnDataChangedEvent, ColumnsPatchedEvent, ColumnsStreamedEvent, ModelChangedEvent

    def key(event):
        if isinstance(event, ModelChangedEvent):
            return ("attr", event.model.id, event.attr)
        if isinstance(event, ColumnDataChangedEvent):
            return ("columns", event.model.id, event.attr, tuple(event.cols) if event.cols is not None else None)
        return None  # roots, titles, messages: every one counts
    replaced = {e.model.id for e in events if isinstance(e, ColumnDataChangedEvent) and e.cols is None and e.data is None}
    last = {key(e): i for i, e in enumerate(events) if key(e) is not None}
    def within(event):  # a change inside a source's data, not the whole data
        return isinstance(event, (ColumnsStreamedEvent, ColumnsPatchedEvent)) or (
            isinstance(event, ColumnDataChangedEvent) and (event.cols is not None or event.data is not None))
    def needed(event):  # a change to a model the page has, and that stays in the document
        if not isinstance(event, (ModelChangedEvent, ColumnDataChangedEvent, ColumnsStreamedEvent, ColumnsPatchedEvent)):
            return True  # roots added or removed, titles, messages
        return event.model not in unsent and event.model.document is not None
    return [e for i, e in enumerate(events)
            if needed(e) and not (within(e) and e.model.id in replaced)
            and (key(e) is None or last[key(e)] == i)]


def _references(value, found: set, defined: set) -> None:
    """Collect the model ids ``value`` (a serialised event) refers to, and those it defines."""
    if isinstance(value, dict):
        if set(value) == {"id"}:
            found.add(value["id"])
            return
        if value.get("type") == "object" and "id" in value:
            defined.add(value["id"])
        for item in value.values():
            _references(item, found, defined)
    elif isinstance(value, list):
        for item in value:
            _references(item, found, defined)


def missing_models(event: dict, doc: Document) -> set:
    """Ids an event from the page names that are neither in ``doc`` nor defined by the event."""
    found, defined = set(), set()
    _references(event, found, defined)
    return {ref for ref in found - defined if ref not in doc.models}


def describe(event: dict) -> str:
    """What a refused event was, in a person's words."""
    if event.get("kind") == "MessageSent":
        return "A click on a control that had just been replaced"
    return "A change to a control that had just been replaced"


def apply_page_patch(doc: Document, patch: Serialized, setter: str = "js") -> list[str]:
    """Apply a patch from the page; returns a message for each event that could not be."""
    refused = []
    for event in patch.content.get("events", []):
        missing = missing_models(event, doc)
        if missing:
            gone = event.get("kind") == "ModelChanged" and all(doc.models.seen(ref) for ref in missing)
            if not gone:
                refused.append(f"{describe(event)} was not applied: try again.")
            continue
        unsent = set(doc.models._new_models)  # what Python made and has not sent to the page yet
        doc.apply_json_patch(Serialized(content={"events": [event]}, buffers=patch.buffers), setter=setter)
        doc.models._new_models |= {model for model in unsent if model.id in doc.models}
    return refused
