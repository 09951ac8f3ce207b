"""The newcomer's traps around data, in CPython: the dataset thumbnails, messages beside the
control that caused them, and only the controls that apply to the data on screen."""
from __future__ import annotations

import numpy as np
import pytest

from nnweb.app.session import Session
from nnweb.engine import DATASETS, DataSpec
from nnweb.engine.csv_data import read_table, table_to_points


# --- data that comes back whole ------------------------------------------------------------------
def test_a_2d_dataset_after_1d_data_gets_both_coordinates_back():
    """Checkerboard kept only x1 after 1-D data (by way of drawing on it): it can never be
    learned so. The plane's own features come back, extras included."""
    s = Session()
    s.data_spec = DataSpec(features=("x1", "x2", "x1^2"))
    s.dataset = "interval"
    assert s.data_spec.features == ("x1", "x1^2")
    s.dataset = "checkerboard"
    assert s.data_spec.features == ("x1", "x2", "x1^2") and s.model_spec.inputs == 3
    s.dataset = "interval"
    s.dataset = "custom"  # 1-D points lie on a line: nothing to draw on, and it says so beside the choice
    assert s.data_spec.dataset == "interval" and s.dataset == "interval"
    assert s.notice[0] == "data" and "1-D data" in s.notice[1] and not s.message
    s.dataset = "checkerboard"
    assert "x2" in s.data_spec.features


def test_drawing_on_generated_data_says_it_replaced_them_and_keeps_the_split():
    s = Session(DataSpec(dataset="moons", points=300))
    s.draw_point(1.0, 1.0, 1)
    place, text, kind = s.notice
    assert place == "draw" and kind == "advice" and "300" in text and s.data_spec.dataset == "custom"
    assert not s.message  # the status line is for the run
    before = {tuple(p) for p in s.data.points_test}
    for x in (-2.0, 2.5, 0.5):
        s.draw_point(x, -1.0, 0)
        after = {tuple(p) for p in s.data.points_test}
        # the new point may join the test points and push one out, nothing more
        assert len(before - after) <= 1, "drawing a point re-split the data"
        before = after


# --- the dataset picker -----------------------------------------------------------------------
def test_every_dataset_has_one_thumbnail_in_one_group_with_a_name_of_its_own():
    from nnweb.app.colors import CLASS_COLORS
    from nnweb.app.dataset_picker import GROUPS, NAMES, DatasetPicker, thumbnail
    grouped = [name for names in GROUPS.values() for name in names]
    assert sorted(grouped) == sorted(DATASETS) and len(set(grouped)) == len(grouped)
    names = [NAMES[d].lower() for d in DATASETS]
    assert len(set(names)) == len(names)
    # no look-alikes: no name is another's plus a letter (spiral/spirals), and no code name is left
    assert not [(a, b) for a in names for b in names if a != b and b.startswith(a) and len(b) - len(a) <= 2]
    assert not {"spirals", "disks", "multigauss", "custom", "own"} & set(names)
    for dataset in ("circle", "blobs"):  # the points in the plots' colours
        svg = thumbnail(dataset)
        assert svg.startswith("<svg") and CLASS_COLORS[0] in svg and CLASS_COLORS[1] in svg
    assert CLASS_COLORS[2] in thumbnail("blobs")
    import re
    for dataset in GROUPS["regression"]:  # targets near 0 are near white: each dot sits on a darker one
        paths = re.findall(r"<path d='([^']*)' stroke='#([0-9a-f]{6})'", thumbnail(dataset))
        dots = {dot for d, _ in paths for dot in d.split("M")[1:]}
        dark = {dot for d, color in paths if sum(int(color[k:k + 2], 16) for k in (0, 2, 4)) / 3 < 160
                for dot in d.split("M")[1:]}
        assert dots and dark == dots, f"{dataset}: its palest dots vanish on the light background"
    s = Session()
    picker = DatasetPicker(s)
    picker.groups["2 classes"].value = "spiral"  # a click (or Enter on the focused button) chooses it
    assert s.dataset == s.data_spec.dataset == "spiral"
    s.dataset = "blobs"  # whoever changes it, the one pressed button follows
    assert picker.groups["3-5 classes"].value == "blobs" and picker.groups["2 classes"].value is None
    picker.groups["your own"].value = "own"  # no CSV read yet: advice beside the choice, nothing changed
    assert s.dataset == "blobs" and picker.note.kind == "advice" and "CSV" in picker.note.text
    assert picker.groups["your own"].value is None and picker.groups["3-5 classes"].value == "blobs"


# --- only what applies ----------------------------------------------------------------------
@pytest.mark.parametrize("dataset", ["digits", "interval", "wave"])
def test_no_drawing_test_points_or_discretize_without_a_plane(dataset):
    from nnweb.app.views.boundary import DecisionBoundary
    s = Session()
    view = DecisionBoundary(session=s)
    assert view.draw_mode.visible and view.show_test.visible and view.discretize.visible
    s.dataset = dataset
    assert not (view.draw_mode.visible or view.draw_hint.visible or view.show_test.visible or view.discretize.visible)
    s.dataset = "circle"
    assert view.draw_mode.visible and view.discretize.visible


def test_regression_is_titled_prediction_with_a_colour_bar():
    from nnweb.app.views.boundary import DecisionBoundary
    s = Session()
    view = DecisionBoundary(session=s)
    assert view.figure.title.text.startswith("Decision boundary") and not view.color_bar.visible
    s.dataset = "multigauss"
    assert view.figure.title.text.startswith("Prediction") and view.color_bar.visible
    assert not view.discretize.visible and not view.draw_mode.visible and view.show_test.visible


def test_own_data_shows_its_column_names_and_class_names():
    from nnweb.app.views.boundary import DecisionBoundary
    s = Session()
    view = DecisionBoundary(session=s)
    rows = "\n".join(f"{a},{b},{'cat' if a > b else 'dog'}" for a, b in np.random.default_rng(0).uniform(0, 9, (40, 2)))
    s.load_own_data(table_to_points(read_table("height,weight,animal\n" + rows)))
    assert (view.figure.xaxis.axis_label, view.figure.yaxis.axis_label) == ("height", "weight")
    assert [item.label.value for item in view.legend.items] == ["cat", "dog"] and view.legend.visible
    first = view.legend.items[1].index  # each item is drawn as a point of its class
    assert view.points.data["label"][first] == 1
    s.dataset = "xor"
    assert view.figure.xaxis.axis_label == "x1" and not view.legend.visible
    s.dataset = "plane"
    s.dataset = "circle"  # and the colour bar goes with the regression data
    assert not view.color_bar.visible


def test_own_datas_names_go_with_its_link_and_a_link_cannot_make_them_long_or_multiline():
    """A shared link of own data showed x1, x2 and no legend to whoever opened it: the names
    stayed on the sender's computer. They travel with the rows now, each a short line of text."""
    from nnweb.app.state import decode, encode
    from nnweb.app.views.boundary import DecisionBoundary
    s = Session()
    rows = "\n".join(f"{a},{b},{'cat' if a > b else 'dog'}" for a, b in np.random.default_rng(1).uniform(0, 9, (30, 2)))
    s.load_own_data(table_to_points(read_table("height (cm),weight\tkg," + "a" * 60 + "\n" + rows)))
    sent = s.experiment()
    opened = Session()
    opened.apply(decode(encode(sent)))
    view = DecisionBoundary(session=opened)
    assert view.figure.xaxis.axis_label == "height (cm)" and view.figure.yaxis.axis_label == "weight kg"
    assert [item.label.value for item in view.legend.items] == ["cat", "dog"]
    for names, why in [(["a"] * 13, "at most 12"), (["x", "y" * 41], "at most 40"), (["x", "two\nlines"], "control"),
                       (["x", ""], "expected a name"), (["x", 3], "expected a name"), ("xy", "expected a list")]:
        with pytest.raises(ValueError, match=why):
            DataSpec(dataset="own", rows=sent.data.rows, own_names=names)


def test_drawn_points_are_all_shown_whichever_side_of_the_split():
    from nnweb.app.views.boundary import DecisionBoundary
    s = Session(DataSpec(dataset="custom", drawn=((1, 1, 0), (2, 2, 1), (3, 1, 2), (-1, -2, 3), (-3, 2, 4))))
    view = DecisionBoundary(session=s)
    assert not s.view.show_test and len(view.points.data["x"]) == 5
    assert sorted(view.points.data["label"]) == [0, 1, 2, 3, 4]


# --- messages where they belong ---------------------------------------------------------------
def test_a_refused_weight_says_so_beside_the_editor_and_the_box_shows_what_stays():
    from nnweb.app.views.network import NetworkDiagram
    s = Session()
    view = NetworkDiagram(session=s)
    view.edges.selected.indices = [0]
    kept = view.editor.value
    assert view.editor.start is None and view.editor.end is None  # the page would clamp 500 to 100 silently
    view.editor.value = 500.0
    assert view.edit_error.visible and "500" in view.edit_error.text and "stays" in view.edit_error.text
    assert view.editor.value == kept and not s.message


def test_each_card_says_its_own_refusals():
    from nnweb.app.controls import Controls
    s = Session()
    c = Controls(s)
    c.rows[0].width.value = 40  # beyond the editor's 16
    assert c.errors["network"].visible and "40 neurons" in c.errors["network"].text
    assert not c.errors["data"].visible and not c.errors["training"].visible and not c.feature_error.visible


def test_own_points_hide_what_only_generated_data_has():
    from nnweb.app.controls import Controls
    s = Session()
    c = Controls(s)
    assert c.noise.visible and c.points.visible and c.regenerate.visible and not c.as_they_are.visible
    s.draw_point(1.0, 1.0, 0)
    assert not (c.noise.visible or c.points.visible or c.regenerate.visible) and c.as_they_are.visible
    s.dataset = "spiral"
    assert c.noise.visible and c.regenerate.visible and not c.as_they_are.visible


def test_own_class_names_reach_the_confusion_matrix_and_the_simplex():
    from nnweb.app.views.metrics import Metrics
    from nnweb.app.views.simplex import SimplexView
    from nnweb.engine import ModelSpec
    s = Session()
    metrics, simplex = Metrics(session=s), SimplexView(session=s)
    rows = "\n".join(f"{a},{b},{'cat' if a > b else 'dog'}" for a, b in np.random.default_rng(1).uniform(0, 9, (40, 2)))
    s.load_own_data(table_to_points(read_table("height,weight,animal\n" + rows)))
    s.set_model(ModelSpec(inputs=2, head="softmax", outputs=2))  # two probabilities: a simplex segment
    s.step()
    assert list(metrics.figure.x_range.factors) == ["cat", "dog"]
    assert [n for n in simplex.vertices.data["name"] if n][:2] == ["cat", "dog"]
    s.dataset = "xor"  # generated data: the colours' names again
    s.step()
    assert list(metrics.figure.x_range.factors) == ["Orange", "Blue"]
