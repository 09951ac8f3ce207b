"""The Layers tab in CPython: every layer side by side (live), the checkpoints x layers grid,
and a click that opens a plot in Layer space. Its small plots' layout maths too."""
from types import SimpleNamespace

import numpy as np

from nnweb.app.session import Session
from nnweb.app.small_plots import (LINE_SAMPLES, MAX_LINES, MAX_POINTS, SIDE, checkpoint_rows, fit_into,
                                   grid_layout, row_layout)
from nnweb.app.views.layers_row import LayersRow
from nnweb.engine import Network

LAYERS = ["input", "hidden 1 · activation", "hidden 2 · activation", "output"]


def cell_points(view, cell: int, per_cell: int) -> np.ndarray:
    """The plotted points of one cell, mapped back from the cell to the layer's own axes."""
    d = view.points.data
    xy = np.stack([d["x"], d["y"]], axis=1)[cell * per_cell:(cell + 1) * per_cell].astype(float)
    fit = view.fits[cell]
    return (xy - fit.origin) / fit.scale + fit.center


def trained_session(epochs: int) -> Session:
    s = Session()
    for _ in range(epochs):
        s.step()
    return s


def test_live_row_has_one_plot_per_layer_showing_the_scenes_representation():
    s = trained_session(3)
    view = LayersRow(session=s)
    assert view.frames.data["layer"] == LAYERS and view.frames.data["checkpoint"] == [-1] * 4
    assert view.captions.data["text"] == ["input", "hidden 1 · PCA", "hidden 2", "output"]
    train = s.scene().is_train
    n = int(train.sum())  # 250 points of the circle, all drawn (fewer than MAX_POINTS)
    assert len(view.points.data["x"]) == 4 * n
    # hidden 2 has two neurons: its plot is those two neurons, point for point (float32 columns)
    rep = s.scene().data_reps["hidden 2 · activation"][train]
    np.testing.assert_allclose(cell_points(view, 2, n), rep, atol=1e-5)
    np.testing.assert_allclose(cell_points(view, 0, n), s.scene().data_reps["input"][train], atol=1e-5)
    # each plot stays inside its own square, and the grid lines of the plane are drawn in all four
    for cell, (x0, y0) in enumerate(view.layout.boxes):
        xy = np.stack([view.points.data["x"], view.points.data["y"]], axis=1)[cell * n:(cell + 1) * n]
        assert (xy >= np.array([x0, y0]) - 1e-6).all() and (xy <= np.array([x0, y0]) + SIDE + 1e-6).all()
    assert np.isnan(view.lines.data["x"]).sum() == 4 * 2 * 11
    # the row follows training: the next frame draws the new network
    before = view.points.data["x"].copy()
    s.running = True
    s.tick(0.02)
    assert not np.array_equal(before, view.points.data["x"])
    rep = s.scene().data_reps["hidden 2 · activation"][train]
    np.testing.assert_allclose(cell_points(view, 2, n), rep, atol=1e-5)


def test_checkpoint_grid_rows_are_different_checkpoints_evaluated_with_their_weights():
    s = trained_session(40)
    view = LayersRow(session=s)
    view.mode = "checkpoints"
    items = s.history.checkpoints.items
    rows = checkpoint_rows(len(items))
    assert len(rows) == 5 and rows[0] == 0 and rows[-1] == len(items) - 1
    assert view.frames.data["checkpoint"] == [i for i in rows for _ in LAYERS]
    assert view.frames.data["layer"] == LAYERS * 5
    assert [t for t in view.captions.data["text"] if t.startswith("epoch")] == [f"epoch\n{items[i][0]}" for i in rows]
    n = int(s.scene().is_train.sum())
    hidden2 = [cell_points(view, 4 * r + 2, n) for r in range(5)]
    for r, i in enumerate(rows):  # each row is its checkpoint's network, computed here independently
        net = Network(s.model_spec)
        net.load_state(items[i][2])
        rep = net.representations(s.data.x_train)["hidden 2 · activation"]
        np.testing.assert_allclose(hidden2[r], rep, atol=1e-4)
    assert all(np.abs(hidden2[r] - hidden2[r + 1]).max() > 1e-3 for r in range(4))  # the rows differ


def test_checkpoint_grid_is_recomputed_only_when_its_checkpoints_change_one_row_a_frame_while_training():
    s = trained_session(40)
    view = LayersRow(session=s)
    view.mode = "checkpoints"
    made = []
    real = s.checkpoint_scene
    s.checkpoint_scene = lambda i, *args: made.append(i) or real(i, *args)
    view.redraw()  # same checkpoints: nothing evaluated again
    assert made == []
    s.running = True
    per_frame = []
    for _ in range(60):
        before = len(made)
        s.tick(0.002)
        per_frame.append(len(made) - before)
    assert max(per_frame) == 1 and sum(per_frame) < 30  # new checkpoints come every 5th frame
    s.running = False  # paused: the grid catches up at once
    assert sorted(set(view.frames.data["checkpoint"])) == checkpoint_rows(len(s.history.checkpoints.items))


def test_clicking_a_plot_opens_it_in_layer_space():
    from nnweb.app.main import VIEW_TABS, create_app
    app = create_app(session=trained_session(12))
    s = app.session
    layers = VIEW_TABS.index("Layers")
    app.tabs.active = layers
    view = app.tab_views["Layers"]
    assert isinstance(view, LayersRow) and view.visible and not app.layer_space.visible
    x0, y0 = view.layout.boxes[1]
    view._tapped(SimpleNamespace(x=x0 + SIDE / 2, y=y0 + SIDE / 2))  # the middle of the hidden 1 plot
    assert s.view.layer == "hidden 1 · activation" and s.view.projection == "pca"
    assert app.tabs.active == VIEW_TABS.index("Layer space") and app.layer_space.visible
    # a checkpoint's plot: that checkpoint, in Layer space, paused; its two neurons as axes
    app.tabs.active = layers
    view.mode = "checkpoints"
    s.running = True
    x0, y0 = view.layout.boxes[2]
    view._tapped(SimpleNamespace(x=x0 + 0.1, y=y0 + 0.1))  # row 1 (the first checkpoint), hidden 2
    assert s.view.layer == "hidden 2 · activation" and s.view.projection == "neurons"
    assert (s.view.neuron_x, s.view.neuron_y) == (0, 1)
    assert s.view.checkpoint == 0 and not s.running and app.tabs.active == 0
    # the input and the space between plots open nothing
    app.tabs.active = layers
    view._tapped(SimpleNamespace(x=view.layout.boxes[0][0] + 0.1, y=view.layout.boxes[0][1] + 0.1))
    view._tapped(SimpleNamespace(x=-1.0, y=1.0))
    assert app.tabs.active == layers and s.view.layer == "hidden 2 · activation"


def test_a_wide_network_is_subsampled_in_its_small_plots():
    from nnweb.app.state import Experiment
    from nnweb.engine import DataSpec, LayerSpec, TrainSpec
    from nnweb.app.session import model_for
    s = Session()
    data = DataSpec(dataset="spiral", points=2000)
    s.apply(Experiment(data, model_for(data, (LayerSpec(128, "tanh"),) * 8), TrainSpec()))
    view = LayersRow(session=s)
    assert len(view.frames.data["layer"]) == 10
    assert view.captions.data["text"][1] == "hidden 1 · PCA"
    assert len(view.points.data["x"]) <= 10 * MAX_POINTS
    assert len(view.lines.data["x"]) <= 10 * 2 * MAX_LINES * (LINE_SAMPLES + 2)
    view.mode = "checkpoints"
    assert len(view.frames.data["layer"]) == 10 and view.captions.data["text"][:3] == ["in", "h1", "h2"]


def test_small_plot_layouts_are_equal_squares_that_a_click_finds():
    row = row_layout(["a", "b", "c", "d", "e", "f"], 440)
    grid = grid_layout(["in", "h1", "out"], ["epoch\n0", "epoch\n9"], 440)
    for layout, count in ((row, 6), (grid, 6)):
        assert len(layout.boxes) == count
        for i, (x0, y0) in enumerate(layout.boxes):
            assert 0 <= x0 and x0 + SIDE <= layout.width and -layout.height <= y0 and y0 + SIDE <= 0
            assert layout.cell_at(x0 + SIDE / 2, y0 + SIDE / 2) == i
        assert len({(round(x, 6), round(y, 6)) for x, y in layout.boxes}) == count
    assert row.boxes[4][1] < row.boxes[3][1]  # the fifth plot wraps onto a second row
    assert row.pixels_high(440) > row_layout(["a", "b"], 440).pixels_high(440)
    assert grid.cell_at(grid.boxes[0][0] - 0.03, grid.boxes[0][1]) is None  # the gap between cells


def test_fit_into_keeps_the_shape_and_fits_the_square():
    plot = {"points": np.array([[0.0, 0.0], [4.0, 1.0], [np.nan, 2.0]]), "lines": None}
    fit = fit_into(plot, 1.0, -2.0)
    mapped = fit.apply(plot["points"][:2])
    np.testing.assert_allclose(mapped[1] - mapped[0], np.array([4.0, 1.0]) * SIDE / 4)  # one scale, both axes
    np.testing.assert_allclose(mapped[:, 0], [1.0, 1.0 + SIDE])


def test_checkpoint_rows_pick_first_early_middle_late_and_newest():
    assert checkpoint_rows(0) == [] and checkpoint_rows(1) == [0] and checkpoint_rows(2) == [0, 1]
    assert checkpoint_rows(60) == [0, 7, 30, 44, 59]
    assert checkpoint_rows(3) == [0, 1, 2]


def test_the_checkpoint_grid_of_the_largest_network_keeps_frames_within_budget(monkeypatch):
    """Counted, not timed (as test_frame_work does): with the grid shown while 8 x 128 trains,
    a frame still sends about ``FRAME_MACS`` through the network (a checkpoint's row is
    evaluated a quarter of a frame's budget at a time), and the first row gets drawn."""
    from test_frame_work import largest_session, worst_frame_macs

    from nnweb.app.frame_work import FRAME_MACS
    s = largest_session()
    view = LayersRow(session=s)
    view.mode = "checkpoints"
    worst = worst_frame_macs(s, monkeypatch, 40)
    assert worst <= 1.3 * FRAME_MACS, f"a frame did {worst / 1e6:.0f} M multiply-adds"
    assert set(view.frames.data["checkpoint"]) == {0} and len(view.frames.data["layer"]) == 10


def test_principal_axes_are_the_pca_of_the_layer_space_view():
    from nnweb.app.geometry import projector
    from nnweb.app.small_plots import principal_axes
    rng = np.random.default_rng(3)
    x = np.tanh(rng.normal(size=(300, 16)) @ rng.normal(size=(16, 16)))
    np.testing.assert_allclose(principal_axes(x)(x), projector(x, 2, "pca")[0](x), atol=1e-8)
    bad = x.copy()
    bad[0, 0] = np.nan  # what cannot be decomposed goes the projector's way
    assert np.isfinite(principal_axes(bad)(x)).all()


def test_the_layers_before_their_activation_in_both_modes():
    s = trained_session(12)
    view = LayersRow(session=s)
    view.stage = "pre-activation"
    before = ["input", "hidden 1 · pre-activation", "hidden 2 · pre-activation", "output"]
    assert view.frames.data["layer"] == before
    n = int(s.scene().is_train.sum())
    rep = s.scene().data_reps["hidden 2 · pre-activation"][s.scene().is_train]
    np.testing.assert_allclose(cell_points(view, 2, n), rep, atol=1e-5)
    view.mode = "checkpoints"
    assert view.frames.data["layer"] == before * len(set(view.frames.data["checkpoint"]))
    view.stage = "output"
    assert view.frames.data["layer"][:4] == LAYERS
