"""Issue 14, the views' part, in CPython: tabs that explain themselves, the layer space's
axes re-fitted, the network diagram for wide inputs, class names, no Bokeh logo, a classroom
link that holds and a tour that points at what it talks about."""
from dataclasses import replace
from types import SimpleNamespace

import numpy as np
import panel as pn
import pytest
from bokeh.document import Document
from bokeh.models import Plot, SaveTool

from nnweb.app.main import VIEW_TABS, create_app, layout_from_query
from nnweb.app.presets import BY_KEY
from nnweb.app.session import Session
from nnweb.engine import DataSpec


def demonstrate(session: Session, key: str) -> None:
    """What choosing a demonstration in the gallery does."""
    preset = BY_KEY[key]
    session.apply(replace(preset.experiment, view={**preset.experiment.view, "preset": key}))


def test_tabs_say_how_to_get_something_when_their_view_cannot_show_anything(next_turn_now):
    app = create_app()
    s, explained = app.session, app.explained
    assert set(explained) == set(VIEW_TABS)  # every tab, built or not, answers
    one_d, three_d = explained["1D"], explained["3D"]
    assert one_d.notice.visible and "interval or wave" in one_d.notice.object
    # the default last hidden layer has 2 neurons: the 3D tab names the layer that has more
    assert three_d.notice.visible and "pick hidden 1 · activation (4 neurons)" in three_d.notice.object
    assert not any(explained[t].notice.visible for t in ("Layer space", "Morph", "History", "Metrics"))
    app._tab_changed(SimpleNamespace(new=VIEW_TABS.index("3D")))
    view = app.tab_views["3D"]
    assert explained["3D"].view is view and "Drawing" not in str(getattr(explained["3D"].column[1], "object", ""))
    view.layer.value = "hidden 1 · activation"  # the 3D tab's own picker
    assert not three_d.notice.visible and s.view.layer == "hidden 1 · activation"
    s.dataset = "wave"
    app._tab_changed(SimpleNamespace(new=VIEW_TABS.index("1D")))
    assert not one_d.notice.visible and app.tab_views["1D"].figure.visible
    s.dataset = "xor"
    assert one_d.notice.visible and not app.tab_views["1D"].figure.visible  # no empty frame
    assert "Duplicate" in app.compare.intro.object and "same initial weights" in app.compare.intro.object


def test_a_new_tab_explains_itself_by_answering_cannot_show():
    """Other tabs (Layers, the simplex) get the notice by answering the class method alone."""
    from nnweb.app.views.explained import ExplainedTab
    import panel as pn

    class ForThreeClasses:
        @classmethod
        def cannot_show(cls, session):
            return "" if session.model_spec.outputs >= 3 else "Pick data of 3 classes or more (blobs)."

    s = Session()
    tab = ExplainedTab(ForThreeClasses, s, pn.pane.HTML("view"), shown=True)
    assert tab.notice.visible and "blobs" in tab.notice.object
    s.dataset = "blobs"
    assert not tab.notice.visible
    tab.shown = False  # a hidden tab's notice is not in the page: it waits ...
    s.dataset = "xor"
    assert not tab.notice.visible
    tab.shown = True  # ... and catches up when shown
    assert tab.notice.visible


def extent(view):
    x, y = np.asarray(view.points.data["x"]), np.asarray(view.points.data["y"])
    return x.min(), x.max(), y.min(), y.max()


def fits(view, least=0.4) -> bool:
    x0, x1, y0, y1 = extent(view)
    xr, yr = view.figure.x_range, view.figure.y_range
    inside = xr.start <= x0 and x1 <= xr.end and yr.start <= y0 and y1 <= yr.end
    return inside and (x1 - x0) >= least * (xr.end - xr.start) and (y1 - y0) >= least * (yr.end - yr.start)


def test_the_layer_space_refits_its_axes_to_each_demonstration_and_keeps_a_persons_zoom():
    app = create_app()
    s, view = app.session, app.layer_space
    assert fits(view)
    demonstrate(s, "relu-edges")  # ReLU's layer space runs from 0 to a few units
    assert fits(view)
    demonstrate(s, "softmax-gaussians")  # around 0 again: it was a blob in the ReLU demo's corner
    assert fits(view)
    s.view.layer = s.view.param.layer.objects[0]
    assert fits(view)
    # while training, a zoom the person made (the page sends the range back) is kept
    view.figure.x_range.start = zoomed = view.figure.x_range.start + 0.1
    s.running = True
    for _ in range(5):
        s.tick(0.02)
    assert view.figure.x_range.start == zoomed
    assert view.figure.x_range.reset_start is not None  # the reset tool goes back to the fit


def test_the_digits_network_draws_the_strongest_weights_into_each_neuron_and_says_so():
    from nnweb.app.views.network import K_PER_NEURON, NetworkDiagram
    s = Session(DataSpec(dataset="digits", points=300))
    view = NetworkDiagram(session=s)
    d = view.edges.data
    first = np.asarray(d["layer"]) == 0
    into = np.bincount(np.asarray(d["j"])[first])
    assert into.max() == K_PER_NEURON and view.thinned.visible
    W = s.network().linear_layers()[0].params["W"][:12]  # the 12 inputs shown
    for j in range(len(into)):
        drawn = np.sort(np.abs(np.asarray(d["w"])[first & (np.asarray(d["j"]) == j)]))
        np.testing.assert_allclose(drawn, np.sort(np.abs(W[:, j]))[-K_PER_NEURON:])
    small = NetworkDiagram(session=Session())  # 2 inputs: every weight, no note
    assert len(small.edges.data["w"]) == 2 * 4 + 4 * 2 + 2 * 1 and not small.thinned.visible


def all_figures(app) -> dict:
    """Every figure of the page, its tabs (built by opening them) and a comparison, by name."""
    for title in VIEW_TABS:
        app._tab_changed(SimpleNamespace(new=VIEW_TABS.index(title)))
    app.compare.start()
    figures = {}
    for part in (app, *app.tab_views.values(), app.compare):  # a Tabs renders its open tab only
        figures.update({m.name: m for m in part.__panel__().get_root(Document()).select({"type": Plot})})
    return figures


def test_an_edges_hover_names_its_neurons_as_the_diagram_does_and_a_frame_sends_only_what_moved():
    """The hover read "column 2, neuron 3"; it says "hidden 1 · neuron 3" as the captions and the
    weight editor do. The names are strings, so they go only when the edges drawn change: a
    training frame changes the weights' columns alone."""
    from bokeh.document.events import ColumnDataChangedEvent

    from nnweb.app.views.network import EDGE_MOTION, NetworkDiagram
    s = Session()
    view = NetworkDiagram(session=s)
    d = view.edges.data
    k = int(np.argmax((np.asarray(d["layer"]) == 1) & (np.asarray(d["i"]) == 2) & (np.asarray(d["j"]) == 0)))
    assert (d["from"][k], d["to"][k]) == ("hidden 1 · neuron 3", "hidden 2 · neuron 1")
    assert d["from"][0].startswith("input · ") and d["to"][-1] == "output · neuron 1"
    hover = [t for t in view.figure.tools if getattr(t, "tooltips", None) and ("from", "@from") in t.tooltips]
    assert hover, "the edges' hover reads the names"
    doc = Document()
    doc.add_root(view.figure)
    events = []
    doc.on_change(events.append)
    s.running = True
    for _ in range(3):
        s.tick(0.02)
    view.redraw()
    sent = [e for e in events if getattr(e, "model", None) is view.edges]
    assert sent and all(isinstance(e, ColumnDataChangedEvent) and set(e.cols) <= set(EDGE_MOTION) for e in sent)
    s.running = False
    events.clear()
    s.set_model(replace(s.model_spec, layers=s.model_spec.layers[:1]))  # one hidden layer: other edges
    view.redraw()
    replaced = [e for e in events if getattr(e, "model", None) is view.edges]
    assert any(e.cols is None or "from" in e.cols for e in replaced), "new edges: every column, names too"
    assert view.edges.data["to"][-1] == "output · neuron 1" and "hidden 2" not in " ".join(view.edges.data["to"])


def test_no_figure_carries_the_bokeh_logo_and_each_can_be_saved_as_png():
    figures = all_figures(create_app())
    assert {"decision-boundary", "network", "layer-space", "space-3d", "morph", "history-loss", "one-d",
            "confusion", "compare-loss", "layer-space-b"} <= set(figures)
    for name, fig in figures.items():
        if fig.toolbar_location is None:  # no toolbar drawn at all (the Layers tab's small multiples)
            continue
        assert fig.toolbar.logo is None, name
        assert any(isinstance(tool, SaveTool) for tool in fig.toolbar.tools), name


def test_the_confusion_matrix_names_the_classes():
    """By colour (as the draw tool and legends name them), or the digit: never 0, 1, 2 for colours."""
    from nnweb.app.views.metrics import Metrics
    s = Session(DataSpec(dataset="blobs"))
    view = Metrics(session=s)
    s.step()
    names = ["Orange", "Blue", "Green"]
    assert list(view.figure.x_range.factors) == names and set(view.cells.data["true"]) == set(names)
    assert view.legend.shown == []  # the colours are the names
    s.set_data(DataSpec(dataset="digits", points=300))
    s.step()
    assert list(view.figure.x_range.factors) == [str(i) for i in range(10)]
    assert view.legend.shown == [str(i) for i in range(10)]  # which hue is which digit


def test_a_classroom_link_hides_the_gallery_and_the_tour_points_at_each_step():
    from nnweb.app.guide import TARGET_CLASS, TOUR, TOUR_TARGETS
    assert create_app().gallery.layout.visible
    app = create_app(layout=layout_from_query("?hide=lr&tour"))
    assert not app.gallery.layout.visible  # a demonstration would set the hidden learning rate
    guide = app.guide
    assert set(guide.targets) == set(TOUR_TARGETS) and len(TOUR_TARGETS) == len(TOUR)
    for step in range(len(TOUR)):
        marked = [name for name, part in guide.targets.items() if TARGET_CLASS in part.css_classes]
        assert marked == [TOUR_TARGETS[step]]
        guide.next.clicks += 1
    assert "nnweb-play" in guide.targets["play"].css_classes  # the part keeps its own classes
    guide.close.clicks += 1
    assert not any(TARGET_CLASS in part.css_classes for part in guide.targets.values())


def test_the_weight_editor_closes_when_its_network_is_replaced():
    """A demonstration (or Reset) builds a new network: the weight in the box is not in it."""
    from nnweb.app.views.network import NetworkDiagram
    s = Session()
    view = NetworkDiagram(session=s)
    view.edges.selected.indices = [0]
    assert view.editor.visible and view.editing is not None
    demonstrate(s, "softmax-gaussians")
    assert not view.editor.visible and view.editing is None
    view.edges.selected.indices = [0]
    view.editor.value = 500.0
    assert view.edit_error.visible
    s.reset()
    assert not view.editor.visible and not view.edit_error.visible


def test_nothing_appears_and_vanishes_frame_by_frame_while_a_run_diverges(next_turn_now):
    """Each element shown or hidden re-lays out the whole page in the browser (~80 ms of its main
    thread). With learning rate 10 and Nesterov the output's boundary left and re-entered the
    layer space every few frames, and its note flipped with it: 16 times in 100 frames, and a
    click on a tab then waited seconds (stress seed 44). Nothing may flip more than twice."""
    from collections import Counter
    s = Session()
    app = create_app(s)
    layers = list(s.model_spec.layers)
    layers[0] = replace(layers[0], width=3)
    s.set_model(replace(s.model_spec, layers=tuple(layers)))
    s.set_train(replace(s.train_spec, optimizer="nesterov", learning_rate=10.0))
    for title in VIEW_TABS:  # every view built (a tab renders when first opened), Layer space shown
        app._tab_changed(SimpleNamespace(new=VIEW_TABS.index(title)))
    app._tab_changed(SimpleNamespace(new=VIEW_TABS.index("Layer space")))
    flips = Counter()
    for part in (app, *app.tab_views.values()):
        for obj in part.__panel__().select(pn.viewable.Viewable):
            name = f"{type(obj).__name__} {' '.join(getattr(obj, 'css_classes', None) or [])}"
            obj.param.watch(lambda event, name=name: flips.update([name]), "visible")
    s.running, paused = True, 0
    for _ in range(100):
        s.tick(0.02)
        if not s.running:  # the automatic pause for the exploding loss: a person presses Play again
            paused += 1
            s.running = True
    assert paused, "the run was meant to diverge"
    assert not [name for name, n in flips.items() if n > 2], f"shown and hidden again and again: {flips}"


@pytest.mark.parametrize("hidden", [1, 2, 3, 5, 8])
def test_the_network_captions_never_run_into_each_other(hidden):
    """With 8 hidden layers of 128 (10 columns in the figure's ~380 px) "hidden 1 (+116)" ran
    into both neighbours. Each caption's width is estimated at 0.62 em a character (11 px
    text, wider than the figure font's digits and lower-case letters), and neighbours on the
    same row must leave a gap."""
    from nnweb.app.session import model_for
    from nnweb.app.state import Experiment
    from nnweb.app.views.network import COLUMN_GAP, NetworkDiagram
    from nnweb.engine import LayerSpec, TrainSpec
    s = Session()
    data = DataSpec(dataset="spiral")
    s.apply(Experiment(data, model_for(data, (LayerSpec(128, "tanh"),) * hidden), TrainSpec()))
    view = NetworkDiagram(session=s)
    d = {k: [v for v, t in zip(values, view.captions.data["text"]) if t]  # not the range's empty keepers
         for k, values in view.captions.data.items()}
    columns = round(max(d["x"]) / COLUMN_GAP) + 1
    span = (columns - 1) * COLUMN_GAP + 1  # the nodes' extent in x, one cell wide at each end
    px_per_column = 380 * COLUMN_GAP / (span * (1 + 2 * 0.04))  # range_padding 0.04 each side
    rows = {}
    for x, y, text in zip(d["x"], d["y"], d["text"]):
        rows.setdefault(round(y, 6), []).append((x, text))
    assert columns == hidden + 2 and len(d["text"]) == columns + hidden  # a header each, "+116" under each hidden
    for row in rows.values():
        row.sort()
        for (x0, a), (x1, b) in zip(row, row[1:]):
            room = (x1 - x0) / COLUMN_GAP * px_per_column
            assert (len(a) + len(b)) / 2 * 0.62 * 11 + 4 <= room, f"{a!r} and {b!r} overlap ({room:.0f} px apart)"
