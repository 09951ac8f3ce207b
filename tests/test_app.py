"""The app in CPython: the session's verbs, colour tables, and the view's image data."""
import numpy as np

from nnweb.app.colors import CLASS_COLORS, LEVELS, class_table, classification_image, hex_to_rgb, regression_image
from nnweb.app.session import Session


def unpack(c):
    c = int(c)
    return np.array([c & 255, (c >> 8) & 255, (c >> 16) & 255, c >> 24])


def test_tick_trains_only_while_running():
    s = Session()
    assert s.tick() == 0 and s.epoch == 0
    s.running = True
    assert s.tick(budget_s=0.02) > 0 and s.trainer.steps > 0
    assert s.frame >= 2 and s.train_loss is not None


def test_reset_restores_the_same_initial_weights_and_keeps_the_data():
    s = Session()
    start = [p.copy() for p in s.trainer.network.parameters()]
    data = s.data
    s.step()
    assert s.epoch == 1
    s.reset()
    assert s.epoch == 0 and s.data is data
    assert all(np.array_equal(a, b) for a, b in zip(start, s.trainer.network.parameters()))


def test_changing_dataset_rebuilds_with_the_right_head():
    s = Session()
    s.dataset = "blobs"
    assert s.model_spec.head == "softmax" and s.model_spec.outputs == 3
    s.dataset = "plane"
    assert s.model_spec.head == "linear"
    assert s.epoch == 0


def test_divergence_pauses_and_says_why():
    from nnweb.engine import DataSpec, TrainSpec
    s = Session(DataSpec(dataset="plane"), TrainSpec(learning_rate=10.0))
    s.running = True
    for _ in range(20):
        s.tick(0.005)
    assert not s.running and "lower learning rate" in s.message


def test_classification_image_colours_follow_class_and_confidence():
    probs = np.array([[0.0], [1.0], [0.5], [0.9]])
    img = classification_image(probs, 2)
    assert img.shape == (2, 2) and img.dtype == np.uint32
    orange, blue, tie = unpack(img[0, 0]), unpack(img[0, 1]), unpack(img[1, 0])
    assert orange[3] == 255 and np.array_equal(orange, unpack(class_table(2)[0, LEVELS - 1]))
    assert np.array_equal(blue, unpack(class_table(2)[1, LEVELS - 1]))
    assert tie[:3].min() > 230  # no confidence: nearly white
    # a confident class is tinted towards its own colour
    assert np.argmax(blue[:3] - tie[:3] * 0) == np.argmax(hex_to_rgb(CLASS_COLORS[1]))


def test_multiclass_and_regression_images():
    probs = np.eye(4)[[0, 1, 2, 3]]
    img = classification_image(probs, 2)
    assert len({int(v) for v in img.ravel()}) == 4
    reg = regression_image(np.array([-1.0, 0.0, 1.0, 5.0]), 2)
    assert unpack(reg[1, 0])[2] > unpack(reg[0, 0])[2]  # positive is bluer than negative
    assert reg[1, 0] == reg[1, 1]  # clipped at the limit


def test_app_builds_and_the_boundary_image_tracks_training():
    from nnweb.app.main import create_app
    s = Session()
    boundary = create_app(s).boundary
    before = boundary.image.data["image"][0].copy()
    s.running = True
    s.tick(0.05)
    after = boundary.image.data["image"][0]
    assert after.shape == (100, 100) and not np.array_equal(before, after)
    assert len(boundary.points.data["x"]) == len(s.data.points_train)


def test_layouts_render_without_modules_the_site_does_not_ship(monkeypatch):
    """The site ships no nh3 (compiled) and no pandas: building either layout must not need them."""
    import sys

    from bokeh.document import Document

    from nnweb.app.main import create_app, layout_from_query
    for name in ("nh3", "pandas"):
        monkeypatch.setitem(sys.modules, name, None)
    for query in ("", "?embed", "?embed=boundary,layer,network,3d,morph,history,1d&controls"):
        app = create_app(layout=layout_from_query(query))
        app.__panel__().server_doc(Document())


def test_tab_views_are_built_when_first_opened_and_kept(next_turn_now):
    """Building views nobody has opened was over a third of the app's start."""
    from types import SimpleNamespace

    from nnweb.app.main import VIEW_TABS, create_app, layout_from_query
    from nnweb.app.views.space3d import Space3D
    app = create_app()
    assert list(app.tab_views) == ["Layer space"]
    three_d = VIEW_TABS.index("3D")
    app._tab_changed(SimpleNamespace(new=three_d))
    view = app.tab_views["3D"]
    assert isinstance(view, Space3D) and view.visible and app.layer_space.visible is False
    shown = app.tabs.objects[three_d]
    assert "Drawing" not in str(getattr(shown, "object", ""))
    app._tab_changed(SimpleNamespace(new=0))
    assert view.visible is False and app.layer_space.visible
    app._tab_changed(SimpleNamespace(new=three_d))
    assert app.tab_views["3D"] is view and app.tabs.objects[three_d] is shown  # kept, not rebuilt
    embedded = create_app(layout=layout_from_query("?embed=boundary,metrics"))
    assert sorted(embedded.tab_views) == ["Layer space", "Metrics"] and embedded.tab_views["Metrics"].visible


def test_drawing_points_edits_the_data_and_the_link_carries_them():
    from nnweb.app.state import decode, encode
    s = Session()
    s.draw_point(5.0, 5.0, 1)
    assert s.data_spec.dataset == "custom" and (5.0, 5.0, 1) in s.data_spec.drawn
    n = len(s.data_spec.drawn)
    s.draw_point(5.1, 4.9, None)                 # shift-click near it removes it
    assert len(s.data_spec.drawn) == n - 1
    s.draw_point(-5.9, -5.9, None)               # nothing near: nothing removed
    assert len(s.data_spec.drawn) == n - 1
    s.draw_point(0.0, 0.0, 2)                    # a third class: softmax over 3
    assert s.model_spec.head == "softmax" and s.model_spec.outputs == 3
    assert decode(encode(s.experiment())).data.drawn == s.data_spec.drawn


def test_function_dataset_has_a_curve_control():
    from nnweb.app.controls import Controls
    s = Session()
    controls = Controls(s)
    assert not controls.curve.visible
    s.dataset = "function"
    assert controls.curve.visible and s.data_spec.curve == "sine"
    controls.curve.value = "abs"
    assert s.data_spec.curve == "abs" and s.epoch == 0
    s.dataset = "circle"
    assert not controls.curve.visible


def test_spiral_has_a_turns_control_that_reaches_the_link():
    from nnweb.app.controls import Controls
    from nnweb.app.presets import BY_KEY
    from nnweb.app.state import decode, encode
    s = Session()
    controls = Controls(s)
    assert not controls.turns.visible
    s.dataset = "spiral"
    assert controls.turns.visible and controls.turns.value == s.data_spec.turns == 1.75
    controls.turns.value = 0.5
    assert s.data_spec.turns == 0.5 and s.epoch == 0
    assert decode(encode(s.experiment())).data.turns == 0.5
    s.apply(BY_KEY["spiral-2x5"].experiment)  # the blog's 0.6303 turns survive another data edit
    controls.noise.value = 10
    assert s.data_spec.turns == BY_KEY["spiral-2x5"].experiment.data.turns and s.data_spec.noise == 0.1
    s.dataset = "circle"
    assert not controls.turns.visible


def test_training_pauses_at_the_stop_condition():
    from nnweb.engine import TrainSpec
    s = Session(train=TrainSpec(learning_rate=0.1, stop_epoch=7))
    s.running = True
    for _ in range(200):
        s.tick(0.002)
        if not s.running:
            break
    assert not s.running and s.epoch >= 7 and s.message.startswith("Paused: reached epoch 7")
    s.reset()
    s.set_train(TrainSpec(learning_rate=0.1, stop_test_accuracy=0.9))
    s.running = True
    for _ in range(500):
        s.tick(0.002)
        if not s.running:
            break
    assert not s.running and s.trainer.metrics()["test"]["accuracy"] >= 0.9 and "test accuracy" in s.message
    s.running = True  # with the target still met, it pauses again at once: the person raises it or clears it
    s.tick(0.002)
    assert not s.running


def test_stop_controls_reach_the_train_spec():
    from nnweb.app.controls import Controls
    s = Session()
    c = Controls(s)
    c.stop_accuracy.value = 95
    c.stop_epoch.value = 50
    assert s.train_spec.stop_test_accuracy == 0.95 and s.train_spec.stop_epoch == 50


def test_custom_features_are_typed_checked_and_removable():
    from nnweb.app.controls import Controls
    s = Session()
    c = Controls(s)
    c.custom_feature.value = "sin(3*x1)*x2"
    c.add_feature.clicks += 1
    assert s.data_spec.features == ("x1", "x2", "sin(3*x1)*x2") and s.model_spec.inputs == 3
    assert "sin(3*x1)*x2" in c.features.options.values() and c.custom_feature.value == ""
    c.custom_feature.value = "x1.__class__"
    c.add_feature.clicks += 1
    # beside the feature box, in red, and the other cards' boxes say nothing
    assert c.feature_error.visible and "'.' is not allowed at position 3" in c.feature_error.text
    assert c.feature_error.kind == "bad" and not any(box.visible for box in c.errors.values())
    assert s.data_spec.features == ("x1", "x2", "sin(3*x1)*x2")  # nothing changed
    c.features.value = ["x1", "x2"]  # unticking removes it
    assert s.data_spec.features == ("x1", "x2")


def test_the_app_exports_the_network_on_screen_as_code():
    import runpy
    import tempfile
    from pathlib import Path

    from nnweb.app.main import create_app
    from nnweb.app.plane import plane_grid
    from nnweb.engine import apply_features
    from nnweb.engine.export_code import numpy_code
    s = Session()
    app = create_app(s)
    s.step()
    text = app._code(numpy_code).getvalue()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "m.py"
        path.write_text(text)
        ns = runpy.run_path(str(path))
    grid = plane_grid(20)
    np.testing.assert_allclose(ns["predict"](ns["features"](grid)),
                               s.network().predict(apply_features(s.data_spec.features, grid)), atol=1e-9)


def test_network_thumbnails_one_image_per_column_each_neuron_in_its_place():
    from nnweb.app.colors import regression_pixels
    from nnweb.app.views.network import CELL, ROW_GAP, NetworkDiagram
    from nnweb.app.scene import THUMB_STEP
    s = Session()  # 2 inputs, hidden 4, hidden 2, 1 output
    view = NetworkDiagram(session=s)
    t = view.thumbs.data
    assert len(t["image"]) == 4
    scene = s.scene()
    values = scene.plane_reps["hidden 1 · activation"][scene.plane_subgrid(THUMB_STEP)]
    image = t["image"][1]  # hidden 1: 4 neurons of 20 x 20, ROW_GAP apart, neuron 1 on top
    step = int(round(ROW_GAP / CELL * 20))
    assert image.shape == (3 * step + 20, 20)
    expected = regression_pixels(values, np.abs(values).max()).T
    for k in range(4):
        top = (3 - k) * step
        np.testing.assert_array_equal(image[top:top + 20].ravel(), expected[k])
    assert not image[20:step].any()  # transparent between thumbnails
    # the image spans its nodes: bottom of the lowest cell to the top of the highest
    ys = [y for x, y in zip(view.nodes.data["x"], view.nodes.data["y"]) if x == t["x"][1] + CELL / 2]
    assert t["y"][1] == min(ys) - CELL / 2 and t["dh"][1] == max(ys) - min(ys) + CELL


def test_colour_columns_are_rgba_bytes_not_strings():
    from nnweb.app.colors import CLASS_COLORS, hex_to_rgb, point_colors, sign_colors
    colors = point_colors("classification", np.array([0, 1, 2, 11]))
    assert colors.dtype == np.uint8 and colors.shape == (4, 4)
    assert colors[2, :3].tolist() == hex_to_rgb(CLASS_COLORS[2]).tolist() and colors[3].tolist() == colors[1].tolist()
    assert (colors[:, 3] == 255).all()
    assert point_colors("regression", np.array([-0.5, 0.5])).tolist() == point_colors("classification", np.array([0, 1])).tolist()
    assert sign_colors(np.array([-1.0, 0.0, 2.0]))[:, 2].tolist() == [0x22, 0xbd, 0xbd]


def test_clicking_an_edge_or_a_neuron_edits_that_weight_or_bias():
    from nnweb.app.views.network import NetworkDiagram
    from nnweb.engine.layers import Linear
    s = Session()
    view = NetworkDiagram(session=s)
    d = view.edges.data
    k = int(np.argmax((np.asarray(d["layer"]) == 1) & (np.asarray(d["i"]) == 2) & (np.asarray(d["j"]) == 0)))
    view.edges.selected.indices = [k]  # a click on the edge hidden 1 · neuron 3 -> hidden 2 · neuron 1
    W = [x for x in s.trainer.network.layers if isinstance(x, Linear)][1].params["W"]
    assert view.editor.visible and view.editor.value == round(W[2, 0], 6)
    assert view.editor.label == "Weight hidden 1, neuron 3 → hidden 2, neuron 1"  # as the diagram names them
    frame = s.frame
    view.editor.value = 1.5
    assert W[2, 0] == 1.5 and s.frame > frame  # the views redraw with the edited weight
    view.editor.value = 1000.0
    assert W[2, 0] == 1.5 and view.edit_error.visible and "-100 .. 100" in view.edit_error.text
    assert "stays 1.5" in view.edit_error.text and view.editor.value == 1.5  # the box shows the kept value again
    assert view.editor.start is None and view.editor.end is None  # the page would clamp 1000 to 100 and apply it
    output = len(view.nodes.data["x"]) - 1  # the output neuron: its bias
    view.nodes.selected.indices = [output]
    assert view.editor.label == "Bias of output, neuron 1"
    view.editor.value = -0.25
    assert [x for x in s.trainer.network.layers if isinstance(x, Linear)][-1].params["b"][0] == -0.25


def test_editing_while_a_checkpoint_is_shown_starts_from_the_live_network():
    """An edit changes the live network: the box must show the live value, and the diagram the
    network the edit lands in, not the older one being looked at."""
    from nnweb.app.views.network import NetworkDiagram
    s = Session()
    view = NetworkDiagram(session=s)
    for _ in range(12):
        s.step()
    s.view.checkpoint = 0
    old = s.network().linear_layers()[1].params["W"][2, 0]
    live = s.trainer.network.linear_layers()[1].params["W"][2, 0]
    assert old != live
    view._edit(("W", 1, 2, 0), "Weight")
    assert view.editor.value == round(live, 6) and s.view.checkpoint == -1 and s.network() is s.trainer.network
    view.editor.value = 0.75
    assert s.trainer.network.linear_layers()[1].params["W"][2, 0] == 0.75


def test_dropout_for_all_layers_from_the_network_card():
    from nnweb.app.controls import Controls
    s = Session()
    c = Controls(s)
    assert c.all_dropout.value == 0.0
    c.all_dropout.value = 0.2
    assert [layer.dropout for layer in s.model_spec.layers] == [0.2, 0.2]
    assert "dropout" not in " ".join(s.trainer.network.representation_names())  # never a view of its own


def test_metrics_view_shows_the_confusion_matrix_or_rmse():
    from nnweb.app.views.metrics import Metrics
    from nnweb.engine import DataSpec
    s = Session(DataSpec(dataset="blobs"))
    view = Metrics(session=s)
    for _ in range(3):
        s.step()
    cells = view.cells.data
    assert len(cells["count"]) == 9 and sum(cells["count"]) == len(s.data.y_test)
    matrix = s.trainer.metrics()["test"]["confusion"]
    assert cells["count"] == matrix.ravel().tolist() and "accuracy" in view.table.object
    s.dataset = "plane"
    assert not view.figure.visible and "RMSE" in view.table.object and "R²" in view.table.object


def test_classroom_links_hide_controls_and_open_the_tour(capsys):
    from nnweb.app.controls import TOOLTIPS
    from nnweb.app.guide import TOUR
    from nnweb.app.main import create_app, layout_from_query
    app = create_app(layout=layout_from_query("?hide=lr,batch,network,nope&tour"))
    c = app.controls
    assert not c.lr.visible and not c.batch.visible and c.optimizer.visible
    # the unknown name is for the teacher (the worker's print reaches the browser's console), not the students
    assert "nope" in capsys.readouterr().out and "nope" not in app.session.message
    app.session.dataset = "xor"  # a re-sync does not bring them back
    assert not c.lr.visible and not c.batch.visible
    cards = c.__panel__().objects
    assert [card.visible for card in cards] == [True, False, True]  # data, network, training
    assert app.guide.tour.visible and TOUR[0][0] in app.guide.tour_text.object
    for _ in range(len(TOUR) + 2):
        app.guide.next.clicks += 1
    assert app.guide.step == len(TOUR) - 1 and app.guide.next.disabled
    # every control a tooltip names exists and carries it
    assert all(getattr(c, name).description == text for name, text in TOOLTIPS.items())


def test_compare_trains_a_duplicate_with_one_setting_changed():
    from nnweb.app.main import create_app
    from nnweb.engine import TrainSpec
    app = create_app()
    a, compare = app.session, app.compare
    a.step()
    compare.start()
    b = compare.b
    assert a.epoch == 0 and b.epoch == 0 and b.experiment() == a.experiment()
    np.testing.assert_array_equal(a.data.x_train, b.data.x_train)
    assert all(np.array_equal(p, q) for p, q in zip(a.trainer.network.parameters(), b.trainer.network.parameters()))
    b.set_train(TrainSpec(learning_rate=0.3))  # the one setting changed
    a.running = True
    for _ in range(20):
        app._tick()
    assert a.epoch > 0 and b.epoch > 0 and b.running
    assert getattr(a, "steps_per_s", 0) > 0 and getattr(b, "steps_per_s", 0) > 0
    assert "steps/s" in compare.speeds.object and len(compare.curves["b"].data["epoch"]) > 1
    assert not all(np.array_equal(p, q) for p, q in zip(a.trainer.network.parameters(), b.trainer.network.parameters()))
    compare.end()
    assert compare.b is None and not compare.active


def test_status_line_follows_training_at_most_ten_times_a_second_and_says_messages_at_once(monkeypatch):
    from types import SimpleNamespace

    from nnweb.app import main
    now = [100.0]  # the status line's clock, moved by hand: a loaded machine must not decide the test
    monkeypatch.setattr(main, "time", SimpleNamespace(perf_counter=lambda: now[0]))
    s = Session()
    app = main.create_app(s)
    s.step()
    assert "Epoch <b>1</b>" in app.status.object  # paused: at once
    s.running = True
    now[0] += 1.0
    s.tick(0.02)
    shown = app.status.object
    now[0] += main.STATUS_EVERY_S / 2
    s.tick(0.02)  # within STATUS_EVERY_S of the last rewrite: not rewritten
    assert app.status.object == shown and s.epoch > 1
    now[0] += main.STATUS_EVERY_S
    s.tick(0.02)  # later: rewritten with the new epoch
    assert app.status.object != shown and f"Epoch <b>{s.epoch}</b>" in app.status.object
    s.message = "Something to say"
    assert "Something to say" in app.status.object and f"Epoch <b>{s.epoch}</b>" in app.status.object
    s.running = False
    assert f"Epoch <b>{s.epoch}</b>" in app.status.object


def test_frame_budget_gives_training_what_drawing_leaves_of_a_frame_and_at_least_its_share():
    from nnweb.app.frame_budget import (FRAME_S, MAX_TRAIN_S, MIN_FRAME_S, PAUSE_S, TRAIN_SHARE,
                                        FrameBudget)
    cheap, costly, huge = FrameBudget(), FrameBudget(), FrameBudget()
    for _ in range(40):
        pause = cheap.frame_done(cheap.train_s + 0.003, cheap.train_s)  # 3 ms of drawing
        costly.frame_done(costly.train_s + 0.018, costly.train_s)       # 18 ms of drawing (6 x 8)
        huge_pause = huge.frame_done(huge.train_s + 0.100, huge.train_s)  # a huge network
    # a cheap frame is filled up to FRAME_S with training
    assert abs(cheap.train_s - (FRAME_S - PAUSE_S - 0.003)) < 1e-4 and pause == PAUSE_S
    # a costly one trains TRAIN_SHARE of its busy time, not just what FRAME_S leaves (6 ms)
    trained = costly.train_s
    assert abs(trained / (trained + 0.018) - TRAIN_SHARE) < 1e-3
    # and no frame trains longer than MAX_TRAIN_S: Pause waits at most that plus drawing
    assert huge.train_s == MAX_TRAIN_S and huge_pause == PAUSE_S
    assert FrameBudget().frame_done(0.005, 0.004) == MIN_FRAME_S - 0.005  # never more than 50 frames a second

def test_a_frames_document_changes_are_sent_once_each_with_the_latest_value():
    from bokeh.document import Document
    from bokeh.models import ColumnDataSource, Div
    from nnweb.app.doc_sync import pending_events
    source, other, div = ColumnDataSource({"x": [0]}), ColumnDataSource({"x": [0]}), Div(text="a")
    doc = Document()
    for model in (source, other, div):
        doc.add_root(model)
    events = []
    doc.on_change(events.append)
    source.data = {"x": [1]}
    div.text = "b"
    source.stream({"x": [2]})
    other.data = {"x": [5]}
    source.data = {"x": [3]}
    div.text = "c"
    other.stream({"x": [6]})
    kept = pending_events(events)
    assert len(events) == 7
    kinds = [(type(e).__name__, e.model is source) for e in kept]
    # the streams are in the replaced columns, sent as they are now; the last title wins
    assert kinds == [("ColumnDataChangedEvent", False), ("ColumnDataChangedEvent", True), ("ModelChangedEvent", False)]
    assert kept[-1].new == "c" and list(other.data["x"]) == [5, 6]
    alone = ColumnDataSource({"x": [0]})
    doc.add_root(alone)
    events.clear()
    alone.stream({"x": [1]})
    assert [type(e).__name__ for e in pending_events(events)] == ["ColumnsStreamedEvent"]  # nothing replaces it
    # a few columns updated, then the whole data replaced with a new length: the update is in
    # the replacement (sent first, it carried 3 values into 2-long columns: "Size mismatch")
    pair = ColumnDataSource({"x": [0, 1], "y": [0, 1]})
    doc.add_root(pair)
    events.clear()
    pair.data.update({"y": [5, 6]})
    pair.data = {"x": [0, 1, 2], "y": [7, 8, 9]}
    kept = pending_events(events)
    assert len(events) == 2 and len(kept) == 1 and kept[0].cols is None
    events.clear()
    pair.data.update({"y": [1, 2, 3]})  # alone, it is sent
    assert pending_events(events) == events


def test_an_empty_or_hostile_model_file_says_so_and_changes_nothing():
    from nnweb.app.main import create_app, status_html
    app = create_app()
    before = app.session.experiment()
    app.upload.param.update(filename="empty.json", value=None)  # Panel's reading of an empty file
    # said under the upload, in red, not in the status line
    note = app.model_note
    assert "This model file was not loaded" in note.text and "empty" in note.text and note.kind == "bad"
    assert not app.session.message
    app.upload.param.update(filename="deep.json", value=b"[" * 5000 + b"]" * 5000)
    assert "levels deep" in note.text and app.session.experiment() == before
    assert "<" not in status_html(0, None, None, "<b>x</b>").split("role='alert'>")[1].split("</div>")[0]


def test_a_count_typed_right_after_a_preset_reaches_the_widget_and_its_page_model():
    """Stress seed 11: a preset, then a neuron count typed on the page. Clearing the preset
    re-synced the controls from the old spec in the middle of applying the typed value, and
    Panel then skips updating the page's model for the property it is applying: the widget
    held 5, its Bokeh model (so the page) 3, Python trained 5."""
    import panel as pn
    from bokeh.core.serialization import Serialized
    from bokeh.document import Document
    from panel.io.state import set_curdoc

    from nnweb.app.doc_sync import apply_page_patch
    from nnweb.app.main import create_app
    from nnweb.app.presets import BY_KEY

    def change(model, value):
        return Serialized(content={"events": [{"kind": "ModelChanged", "model": {"id": model.id}, "attr": "value",
                                               "new": value}]}, buffers=[])
    doc = Document()
    with set_curdoc(doc):
        app = create_app()
        root = pn.panel(app).get_root(doc)
        doc.add_root(root)
        ref = root.ref["id"]
        assert apply_page_patch(doc, change(app.gallery.select._models[ref][0], BY_KEY["layernorm-linear"].title)) == []
        row = app.controls.rows[1]
        typed = row.width.value + 2
        assert apply_page_patch(doc, change(row.width._models[ref][0], typed)) == []
        assert app.session.model_spec.layers[1].width == row.width.value == row.width._models[ref][0].value == typed


def test_an_embed_shows_its_views_compact_and_transparent_unless_it_asks_for_the_tools():
    """A blog's embed: no draw tools, neuron pickers or grid slider, and figures that let the
    host page's background through; ``&tools`` brings the full app's tools back."""
    from bokeh.document import Document

    from nnweb.app.main import create_app, layout_from_query

    def models(query):
        doc = Document()
        create_app(layout=layout_from_query(query)).__panel__().server_doc(doc)
        return list(doc.models)

    compact = models("?embed")
    figures = [m for m in compact if getattr(m, "name", None) in ("decision-boundary", "layer-space")]
    assert len(figures) == 2 and all(f.border_fill_color is None and f.background_fill_color is None for f in figures)
    classes = [c for m in compact for c in (getattr(m, "css_classes", None) or [])]
    titles = [getattr(m, "title", None) for m in compact]
    assert "nnweb-draw-mode" not in classes and "Grid lines" not in titles and "Representation" in titles
    # fewer axis labels: in a ~130 px frame (a phone's example post) seven of them ran together
    tickers = [axis.ticker for f in figures for axis in f.axis]
    assert len(tickers) == 4 and all(t.desired_num_ticks <= 4 for t in tickers)
    assert all(t.num_minor_ticks == 2 for t in tickers)  # one minor tick between labels, not a comb of four
    full = models("?embed&tools")
    assert "nnweb-draw-mode" in [c for m in full for c in (getattr(m, "css_classes", None) or [])]
    page = models("")  # the full app keeps its white figures
    assert all(m.border_fill_color == "#ffffff" for m in page if getattr(m, "name", None) == "decision-boundary")


def test_an_embed_off_screen_pauses_and_resumes_and_gives_way_to_another():
    from nnweb.app.main import create_app, layout_from_query
    app = create_app(layout=layout_from_query("?embed"))
    s = app.session
    app.page_visible(False)          # not training: nothing to pause, nothing to resume later
    app.page_visible(True)
    assert not s.running
    s.running = True
    app.page_visible(False)
    assert not s.running
    app.page_visible(True)           # the run the scroll paused goes on
    assert s.running
    app.pause()                      # another embed started: this one stays paused, even when back
    app.page_visible(False)
    app.page_visible(True)
    assert not s.running
