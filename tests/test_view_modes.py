"""The Morph in true coordinates (2D and 3D) and the 1D view at a shared scale and as a
function graph: known answers for their geometry, their controls, and their link."""
import base64
import json
import zlib

import numpy as np
import pytest

from nnweb.app.function_graph import function_graph, graphable_layers, layer_spans
from nnweb.app.geometry import fitted_extent, morph
from nnweb.app.scene import Scene
from nnweb.app.session import Session, model_for
from nnweb.app.state import Experiment, decode, encode
from nnweb.app.views.morph import Morph, morph_stages, stage_extents
from nnweb.app.views.oned import OneD, one_d_stages
from nnweb.engine import DataSpec, LayerSpec, make_data

W = np.array([[2.0, 1.0], [-0.5, 3.0]])  # neither a rotation nor a reflection: aligning it changes it
B = np.array([0.5, -1.0])
WAVE = DataSpec(dataset="wave", features=("x1",))


def linear_session() -> Session:
    """Circle data through one 2-wide linear layer with the weights W, B."""
    data = DataSpec(dataset="circle")
    s = Session(data, model=model_for(data, (LayerSpec(2, "linear"),)))
    layer = s.trainer.network.layers[0]
    layer.params["W"][...], layer.params["b"][...] = W, B
    s._bump()
    return s


def test_a_linear_layers_true_coordinate_morph_starts_at_x_and_ends_at_w_x_plus_b():
    scene = linear_session().scene()
    assert scene.names[1] == "hidden 1 · pre-activation"
    x = scene.data_reps["input"][scene.is_train]
    true = morph_stages(scene, coordinates="true")
    step = [true[0][0], true[1][0]]
    np.testing.assert_allclose(morph(step, 0.0), x)
    np.testing.assert_allclose(morph(step, 1.0), x @ W + B, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(morph(step, 0.5), x @ (np.eye(2) + W) / 2 + B / 2, rtol=1e-5, atol=1e-5)
    whole = morph([p for p, _, _ in true], 1 / (len(true) - 1))  # the whole morph passes through it
    np.testing.assert_allclose(whole, x @ W + B, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(true[1][1], scene.lines @ W + B, rtol=1e-5, atol=1e-4)  # the grid too
    aligned = morph_stages(scene, coordinates="aligned")
    assert np.abs(aligned[1][0] - (x @ W + B)).max() > 1.0  # what the aligned mode shows instead
    assert true[1][2] == ["neuron 1", "neuron 2"]


def test_a_relus_true_coordinates_keep_the_data_on_the_quadrants_edges():
    """The issue's complaint: aligned, a ReLU's quadrant edges disappear; as it is, every point
    is in the positive quadrant and those the ReLU cut off lie on its edges."""
    data = DataSpec(dataset="circle")
    s = Session(data, model=model_for(data, (LayerSpec(2, "relu"),)))
    layer = s.trainer.network.layers[0]
    layer.params["W"][...], layer.params["b"][...] = W, B
    s._bump()
    scene = s.scene()
    relu = scene.names.index("hidden 1 · activation")
    true = morph_stages(scene, coordinates="true")[relu][0]
    assert true.min() == 0.0 and (true == 0).any(axis=1).mean() > 0.2  # on the edges, none below
    aligned = morph_stages(scene, coordinates="aligned")[relu][0]
    assert aligned.min() < -0.5  # turned to match the pre-activation: the edges are not axes any more


def test_the_3d_morph_has_three_axes_and_pads_a_plane_flat():
    scene = linear_session().scene()
    stages = morph_stages(scene, coordinates="true", k=3)
    x = scene.data_reps["input"][scene.is_train]
    assert all(points.shape[1] == 3 and lines.shape[2] == 3 for points, lines, _ in stages)
    np.testing.assert_allclose(stages[1][0][:, :2], x @ W + B, rtol=1e-5, atol=1e-5)
    np.testing.assert_array_equal(stages[1][0][:, 2], 0.0)


def test_fitted_extents_frame_each_stage_and_interpolate_between_them():
    a = fitted_extent(np.array([[0.0, 0.0], [2.0, 4.0]]), pad=0.0)
    np.testing.assert_allclose(a, [[0, 2], [0, 4]])
    np.testing.assert_allclose(fitted_extent(np.array([[0.0, 0.0], [2.0, 4.0]]), pad=0.5), [[-0.5, 2.5], [-1, 5]])
    flat = fitted_extent(np.array([[1.0, 0.0], [3.0, 0.0], [np.nan, 7.0]]), pad=0.0)
    np.testing.assert_allclose(flat, [[1, 3], [-1, 1]])  # the NaN row is left out; flat y gets x's half-width
    b = fitted_extent(np.array([[10.0, -2.0], [14.0, 2.0]]), pad=0.0)
    np.testing.assert_allclose(morph([a, b], 0.25), [[2.5, 5.0], [-0.5, 3.5]])


def test_true_coordinates_and_3d_answer_their_controls_in_the_morph():
    s = linear_session()
    view = Morph(session=s)
    stages = len(s.scene().names) - 1
    s.view.morph_t = 1 / stages  # the first layer's pre-activation
    aligned = np.array(view.points.data["x"])
    assert view.figure.name == "morph" and view.figure.visible
    view.coordinates.value = "true"
    assert s.view.morph_coordinates == "true" and view.figure.name == "morph-true"
    assert [f.visible for f in view.all_figures] == [False, True, False]
    scene = s.scene()
    x = scene.data_reps["input"][scene.is_train]
    np.testing.assert_allclose(view.points.data["x"], (x @ W + B)[:, 0], rtol=1e-5, atol=1e-5)
    assert not np.allclose(view.points.data["x"], aligned)
    extents = stage_extents(morph_stages(scene, coordinates="true"))
    s.view.morph_t = 0.5 / stages  # halfway from the input to the pre-activation: the axes are halfway too
    halfway = (extents[0] + extents[1]) / 2
    assert (view.figure.x_range.start, view.figure.x_range.end) == pytest.approx(tuple(halfway[0]))
    assert (view.figure.y_range.start, view.figure.y_range.end) == pytest.approx(tuple(halfway[1]))

    view.dimensions.value = "3d"
    assert view.figure.name == "morph-3d" and view.turn.visible
    sizes, screen = np.array(view.points.data["size"]), np.array(view.points.data["x"])
    assert sizes.min() < sizes.max()  # nearer points drawn larger
    assert list(view.arrows.data["label"]) == ["neuron 1", "neuron 2", "(layer has no more neurons)"]
    s.view.azimuth = 100.0
    assert not np.allclose(view.points.data["x"], screen)  # turning answers
    view.coordinates.value = "aligned"
    assert len(view.arrows.data["x0"]) == 0  # turned stages have no axes of their own to show


def test_a_shared_scale_keeps_the_ratio_of_a_layer_that_doubles():
    x = np.linspace(-3, 3, 7)[:, None]
    reps = {"in": x, "out": 2 * x}
    fitted = one_d_stages(reps, ["in", "out"], reps)
    np.testing.assert_allclose(fitted[0], fitted[1])  # each fitted: the doubling is invisible
    shared = one_d_stages(reps, ["in", "out"], reps, shared=True)
    np.testing.assert_allclose(shared[1], 2 * shared[0])
    np.testing.assert_allclose(shared[1], x[:, 0] / 3)  # the largest value over both reaches the edge


def test_layer_spans_and_a_known_1_neuron_layers_function_graph():
    names = ["input", "hidden 1 · pre-activation", "hidden 1 · activation", "hidden 2 · pre-activation",
             "hidden 2 · layernorm", "hidden 2 · activation", "output · logits", "output"]
    assert layer_spans(names) == [("hidden 1", "input", "hidden 1 · activation"),
                                  ("hidden 2", "hidden 1 · activation", "hidden 2 · activation"),
                                  ("output", "hidden 2 · activation", "output")]
    widths = dict.fromkeys(names, 1) | {"hidden 2 · layernorm": 3, "hidden 2 · activation": 3}
    assert [label for label, _, _ in graphable_layers(names, widths)] == ["hidden 1"]
    x, y = function_graph(np.array([2.0, -1.0, np.nan, 0.5, 9.0]), np.array([4.0, 1.0, 0.0, 0.25, 81.0]), (-1, 3))
    np.testing.assert_array_equal(x, [-1.0, 0.5, 2.0])
    np.testing.assert_array_equal(y, [1.0, 0.25, 4.0])

    s = Session(WAVE, model=model_for(WAVE, (LayerSpec(1, "tanh"), LayerSpec(3, "tanh"))))
    first = s.trainer.network.layers[0]
    first.params["W"][...], first.params["b"][...] = [[0.7]], [0.5]
    s._bump()
    view = OneD(session=s)
    assert view.graph.visible and not view.function_layer.visible  # one graphable layer: no picker
    curve_x, curve_y = np.array(view.curve.data["x"]), np.array(view.curve.data["y"])
    assert len(curve_x) > 40 and np.all(np.diff(curve_x) > 0)
    np.testing.assert_allclose(curve_y, np.tanh(0.7 * curve_x + 0.5), rtol=1e-5, atol=1e-6)
    dots_x, dots_y = np.array(view.graph_points.data["x"]), np.array(view.graph_points.data["y"])
    np.testing.assert_allclose(dots_y, np.tanh(0.7 * dots_x + 0.5), rtol=1e-5, atol=1e-6)
    assert curve_x.min() >= dots_x.min() and curve_x.max() <= dots_x.max()  # over the data's range
    assert view.graph.title.text.startswith("hidden 1")
    assert s.view.function_layer == ""  # drawing the default is not a choice the link records


def test_the_1d_scale_control_changes_the_number_lines():
    s = Session(WAVE, model=model_for(WAVE, (LayerSpec(4, "tanh"), LayerSpec(1, "linear"))))
    view = OneD(session=s)
    fitted = [np.array(p) for p in view.paths.data["xs"]]
    view.scale.value = "shared"
    assert s.view.one_d_scale == "shared"
    shared = [np.array(p) for p in view.paths.data["xs"]]
    assert not all(np.allclose(a, b) for a, b in zip(fitted, shared))
    assert max(np.abs(p).max() for p in shared) <= max(np.abs(p).max() for p in fitted) + 1e-9
    assert view.graph.title.text.startswith("output")  # hidden 2's input is 4 wide, the output's is 1
    narrow = OneD(session=Session(WAVE, model=model_for(WAVE, (LayerSpec(4, "tanh"), LayerSpec(2, "tanh")))))
    assert not narrow.graph.visible and "1 neuron" in narrow.note.object


def test_the_new_view_settings_travel_in_the_link_and_an_old_link_keeps_todays_views():
    s = Session(WAVE, model=model_for(WAVE, (LayerSpec(1, "tanh"), LayerSpec(1, "tanh"))))
    s.view.param.update(morph_coordinates="true", morph_dimensions="3d", one_d_scale="shared",
                        function_layer="hidden 2")
    opened = decode(encode(s.experiment()))
    keys = ("morph_coordinates", "morph_dimensions", "one_d_scale", "function_layer")
    assert [opened.view[k] for k in keys] == ["true", "3d", "shared", "hidden 2"]
    other = Session()
    other.apply(opened)
    assert (other.view.morph_coordinates, other.view.function_layer) == ("true", "hidden 2")

    state = s.experiment().to_dict()
    for key in ("morph_coordinates", "morph_dimensions", "one_d_scale", "function_layer"):
        del state["view"][key]  # as a link written before these settings
    old = decode("1." + base64.urlsafe_b64encode(zlib.compress(json.dumps(state).encode())).decode())
    assert (old.view["morph_coordinates"], old.view["morph_dimensions"], old.view["one_d_scale"],
            old.view["function_layer"]) == ("aligned", "2d", "fitted", "")
    state["view"]["function_layer"] = "hidden 7"
    with pytest.raises(ValueError, match="view.function_layer"):
        Experiment.from_dict(state)
    state["view"] = {"morph_coordinates": "sideways"}
    with pytest.raises(ValueError, match="view.morph_coordinates"):
        Experiment.from_dict(state)


def test_a_changed_network_forgets_a_function_layer_it_no_longer_has():
    s = Session(WAVE, model=model_for(WAVE, (LayerSpec(1, "tanh"), LayerSpec(1, "tanh"))))
    s.view.function_layer = "hidden 2"
    s.view.set_layers(["input", "hidden 1 · pre-activation", "hidden 1 · activation", "output · logits", "output"])
    assert s.view.function_layer == ""
    decode(encode(s.experiment()))  # still a link that opens
