"""The worker's document and the page's stay the same (nnweb/app/doc_sync.py), in CPython.

A page patch is written here as BokehJS writes it, and the patch Python sends back is
serialised as the worker does (only models the page has not seen go whole)."""
from __future__ import annotations

from bokeh.core.serialization import Serialized, Serializer
from bokeh.document import Document
from bokeh.events import ButtonClick
from bokeh.models import Button, Column, Div

from nnweb.app.doc_sync import _references, apply_page_patch, missing_models, pending_events


def page_patch(*events) -> Serialized:
    return Serialized(content={"events": list(events)}, buffers=[])


def text_change(model, text) -> dict:
    return {"kind": "ModelChanged", "model": {"id": model.id}, "attr": "text", "new": text}


def click(button) -> dict:
    return {"kind": "MessageSent", "msg_type": "bokeh_event",
            "msg_data": {"type": "event", "name": "button_click",
                         "values": {"type": "map", "entries": [["model", {"id": button.id}]]}}}


def sent_whole(doc: Document, value) -> bool:
    """Whether ``value`` would reach the page as a full definition (not as a bare id)."""
    encoded = Serializer(references=doc.models.synced_references).encode(value)
    return isinstance(encoded, dict) and "attributes" in encoded


def a_shown_document():
    doc = Document()
    title, box = Div(text="title"), Column()
    doc.add_root(Column(title, box))
    doc.models.flush_synced()  # the page has drawn all of it
    return doc, title, box


def test_what_python_has_not_sent_yet_stays_unsent_when_the_page_changes_something():
    doc, title, box = a_shown_document()
    row = Div(text="a new layer row")
    box.children = [row]  # made by Python; its patch has not gone yet
    assert sent_whole(doc, row)
    apply_page_patch(doc, page_patch(text_change(title, "typed on the page")))
    assert title.text == "typed on the page"
    assert sent_whole(doc, row), "the row would reach the page by id only: 'reference isn't known'"


def test_bokeh_alone_would_mark_the_unsent_row_as_known():
    """Why doc_sync exists: if Bokeh fixes this, the workaround can go (this test then fails)."""
    doc, title, box = a_shown_document()
    row = Div(text="a new layer row")
    box.children = [row]
    doc.apply_json_patch(page_patch(text_change(title, "typed")), setter="js")
    assert not sent_whole(doc, row)


def test_a_click_on_a_replaced_control_is_refused_in_words_and_the_rest_still_applies():
    doc, title, box = a_shown_document()
    old, new, clicks = Button(label="×"), Button(label="×"), []
    for button in (old, new):
        button.on_event(ButtonClick, lambda event: clicks.append(event.model))
    box.children = [old]
    box.children = [new]  # the row was replaced while the click travelled
    refused = apply_page_patch(doc, page_patch(click(old), text_change(title, "after"), click(new)))
    assert refused == ["A click on a control that had just been replaced was not applied: try again."]
    assert title.text == "after" and clicks == [new]


def test_a_value_from_a_view_already_removed_is_passed_over_quietly():
    doc, title, box = a_shown_document()
    ticker = Div(text="0")
    box.children = [ticker]
    box.children = []  # a hidden tab's player, removed by Python, ticks once more on the page
    assert apply_page_patch(doc, page_patch(text_change(ticker, "1"), text_change(title, "kept"))) == []
    assert ticker.text == "0" and title.text == "kept"


def test_a_change_to_a_model_python_never_had_is_refused():
    doc, title, _ = a_shown_document()
    stranger = Div(text="?")
    assert missing_models(text_change(stranger, "x"), doc) == {stranger.id}
    assert apply_page_patch(doc, page_patch(text_change(stranger, "x"))) == [
        "A change to a control that had just been replaced was not applied: try again."]


def test_models_the_page_defines_in_its_event_are_not_missing():
    doc, title, box = a_shown_document()
    event = {"kind": "ModelChanged", "model": {"id": box.id}, "attr": "children",
             "new": [{"type": "object", "name": "Div", "id": "made-on-the-page", "attributes": {"text": "hi"}}]}
    assert missing_models(event, doc) == set()
    assert apply_page_patch(doc, page_patch(event)) == []
    assert [child.text for child in box.children] == ["hi"]


def named_before_defined(doc: Document, events: list) -> list[str]:
    """Serialise ``events`` in order as the worker does (one serializer, only what the page
    has not seen goes whole) and list the changes whose model the page would not know yet."""
    serializer = Serializer(references=doc.models.synced_references)
    known = {model.id for model in doc.models.synced_references}
    early = []
    for event in events:
        encoded = event.to_serializable(serializer)
        target = encoded.get("model", {}).get("id") if isinstance(encoded, dict) else None
        if target is not None and target not in known and encoded.get("kind") != "RootAdded":
            early.append(f"{encoded['kind']} {encoded.get('attr')}")
        found, defined = set(), set()
        _references(encoded, found, defined)
        known |= defined
    return early


def test_a_new_rows_change_is_never_sent_ahead_of_the_row():
    """Two '+ layer' clicks in one frame: a row is made, its box set, then the rows replaced
    again. Of the two replacements the last is sent; the box's change went before it, naming
    a box the page had never been sent ("reference ... isn't known")."""
    doc, title, box = a_shown_document()
    events = []
    doc.on_change(events.append)
    first, second = Div(text="row 1"), Div(text="row 2")
    box.children = [first]
    first.text = "row 1, its neurons set"
    box.children = [first, second]
    title.text = "2 layers"
    assert named_before_defined(doc, events[1:3]) == ["ModelChanged text"]  # the trap, as Bokeh sends it
    kept = pending_events(events, unsent=doc.models._new_models)
    assert named_before_defined(doc, kept) == []
    assert [(e.model, e.attr) for e in kept] == [(box, "children"), (title, "text")]
    assert Serializer(references=doc.models.synced_references).encode(first)["attributes"]["text"] == \
        "row 1, its neurons set"  # the row goes whole, as it is now


def test_a_change_to_a_model_removed_in_the_same_frame_is_not_sent():
    doc, title, box = a_shown_document()
    events = []
    doc.on_change(events.append)
    title.text = "changed, then removed"
    doc.roots[0].children = [box]
    kept = pending_events(events, unsent=doc.models._new_models)
    assert [e.attr for e in kept] == ["children"]
