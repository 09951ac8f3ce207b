"""The output's views in CPython: the simplex tab, the decision boundary drawn in the layer the
output reads (2-D line, 3-D plane), and the digits' class legend."""
from types import SimpleNamespace

import numpy as np

from nnweb.app.head_geometry import simplex_coordinates
from nnweb.app.main import VIEW_TABS, create_app, layout_from_query
from nnweb.app.presets import BY_KEY
from nnweb.app.session import Session


def app_with(key: str, steps: int = 3):
    s = Session()
    s.apply(BY_KEY[key].experiment)
    app = create_app(s)
    for _ in range(steps):
        s.step()
    return s, app


def open_tab(app, title: str):
    app._tab_changed(SimpleNamespace(new=VIEW_TABS.index(title)))
    return app.tab_views[title]


def segments(source) -> np.ndarray:
    """A NaN-separated line column pair as (m, 2, 2) segments."""
    xy = np.stack([source.data["x"], source.data["y"]], axis=1)
    return xy.reshape(-1, 3, 2)[:, :2]


def test_the_simplex_tab_shows_every_point_at_its_probabilities_and_follows_training():
    s, app = app_with("softmax-gaussians", steps=0)
    view = open_tab(app, "Simplex")
    assert view.figure.title.text == "Softmax simplex · 2 classes" and [n for n in view.vertices.data["name"] if n] == ["Orange", "Blue"]
    before = np.array(view.points.data["x"])
    s.step()
    scene = s.scene()
    keep = scene.is_train
    expected = simplex_coordinates(scene.data_reps["output"][keep])
    np.testing.assert_allclose(view.points.data["x"], expected[:, 0])   # x is exact; y spreads the segment
    assert not np.allclose(view.points.data["x"], before)                # and it moved with training
    s.dataset = "blobs"                                                  # 3 classes: a triangle
    assert view.figure.title.text == "Softmax simplex · 3 classes"
    assert len(view.outline.data["x"]) == 4 and len(view.ties.data["x"]) == 9   # 3 tie lines, NaN-separated
    np.testing.assert_allclose(np.stack([view.points.data["x"], view.points.data["y"]], axis=1),
                               simplex_coordinates(s.scene().data_reps["output"][s.scene().is_train]))
    assert "barycentric" in view.caption.object
    s = Session()                                                        # the circle's sigmoid: p on [0, 1]
    view = open_tab(create_app(s), "Simplex")
    assert view.figure.title.text.startswith("Output p") and "softmax" in view.caption.object
    p = s.scene().data_reps["output"][s.scene().is_train, 0]
    np.testing.assert_allclose(view.points.data["x"], 2 * p - 1)
    s.dataset = "plane"                                                  # regression: says what to pick
    assert not view.figure.visible and "regression" in view.caption.object
    embedded = create_app(layout=layout_from_query("?embed=boundary,simplex"))   # and it embeds
    assert embedded.tab_views["Simplex"].visible and len(embedded.tab_views["Simplex"].points.data["x"]) > 0


def test_the_separating_line_is_drawn_where_the_output_reads_and_splits_the_predictions():
    s, app = app_with("softmax-gaussians", steps=20)
    ls = app.layer_space
    assert s.view.layer == s.scene().feeds_output == "hidden 1 · activation"
    (segment,) = segments(ls.boundary)
    assert ls.boundary_note.visible and "tie" in ls.boundary_note.object
    scene = s.scene()
    w, b = scene.output_weight, scene.output_bias
    normal, offset = w[:, 0] - w[:, 1], b[0] - b[1]
    np.testing.assert_allclose(segment @ normal + offset, 0, atol=1e-9)      # on z_1 = z_2
    # the data points on either side of it are predicted as that side's class
    h, out = scene.data_reps["hidden 1 · activation"], scene.data_reps["output"]
    side = h @ normal + offset
    clear = np.abs(side) > 1e-3
    assert clear.sum() > 100
    assert ((side > 0) == (out[:, 0] > out[:, 1]))[clear].all()
    # elsewhere no line: before the activation the boundary is not straight
    s.view.layer = "hidden 1 · pre-activation"
    assert len(ls.boundary.data["x"]) == 0 and not ls.boundary_note.visible


def test_no_line_in_a_layer_the_output_does_not_read_or_one_too_wide_to_draw_it_exactly():
    s, app = app_with("relu-edges", steps=2)      # 8 then 2 ReLU neurons, sigmoid head
    ls = app.layer_space
    assert len(segments(ls.boundary)) == 1        # hidden 2 · activation feeds the output
    s.view.layer = "hidden 1 · activation"        # 8 neurons, and not the one the output reads
    assert len(ls.boundary.data["x"]) == 0
    s, app = app_with("softmax-circles-deep", steps=2)   # 3 neurons: a plane, in 3D only
    assert len(app.layer_space.boundary.data["x"]) == 0


def test_the_3d_view_draws_the_separating_plane_of_a_three_neuron_layer():
    s, app = app_with("softmax-circles-deep", steps=30)
    view = open_tab(app, "3D")
    assert s.view.layer == s.scene().feeds_output
    xs = np.array(view.planes.data["x"])
    assert np.isnan(xs).sum() == 1 and len(xs) >= 4 and view.boundary_note.visible   # one polygon
    s.view.azimuth = 100.0                                 # it turns with the points
    assert not np.allclose(view.planes.data["x"][:len(xs) - 1], xs[:-1])
    s.view.layer = "hidden 1 · activation"                # not the layer the output reads
    assert len(view.planes.data["x"]) == 0 and not view.boundary_note.visible


def test_digits_have_a_legend_and_a_3d_pca_view_of_every_layer():
    s, app = app_with("digits-pca", steps=1)
    legend = app.layer_space.legend
    assert legend.shown == [str(d) for d in range(10)]
    html = legend._pane.object
    assert all(f"</span>{d}</span>" in html for d in "0123456789") and html.count("nnweb-swatch") == 10
    view = open_tab(app, "3D")
    assert view.legend.shown == legend.shown
    for layer in s.view.param.layer.objects:
        s.view.layer = layer
        labels = view.axes.data["label"]
        assert [label.split(" ")[0] for label in labels] == ["PC1", "PC2", "PC3"], (layer, labels)
        xy = np.stack([view.points.data["x"], view.points.data["y"]], axis=1)
        assert np.isfinite(xy).all() and (xy.std(axis=0) > 0).all()
    assert open_tab(app, "Morph").legend.shown == legend.shown
    view = open_tab(app, "3D")
    s.dataset = "circle"                                   # orange and blue need no legend
    assert view.legend.shown == []
    open_tab(app, "Layer space")
    assert app.layer_space.legend.shown == []


def test_after_a_norm_the_line_is_drawn_on_the_norms_output_the_one_the_output_reads():
    from dataclasses import replace

    from nnweb.engine import LayerSpec
    s = Session()
    app = create_app(s)
    for after in (True, False):
        s.set_model(replace(s.model_spec, layers=(LayerSpec(2, "tanh", "batchnorm", norm_after_activation=after),)))
        s.step()
        last = "hidden 1 · BatchNorm" if after else "hidden 1 · activation"
        assert s.scene().feeds_output == last
        for layer in ("hidden 1 · pre-activation", "hidden 1 · BatchNorm", "hidden 1 · activation"):
            s.view.layer = layer
            drawn = len(app.layer_space.boundary.data["x"]) > 0
            assert drawn == (layer == last), (after, layer)
