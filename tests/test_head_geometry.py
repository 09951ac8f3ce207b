"""The output head's geometry with known answers: simplex coordinates and decision boundaries."""
import numpy as np

from nnweb.app.head_geometry import (boundary_pieces, clip_line, clip_plane, decision_boundaries, extent,
                                     simplex_coordinates, simplex_ties, simplex_vertices)
from nnweb.engine import LayerSpec, ModelSpec, Network


def test_simplex_vertices_are_where_the_certain_outputs_land():
    for k in (2, 3, 4, 10):
        vertices = simplex_vertices(k)
        np.testing.assert_allclose(simplex_coordinates(np.eye(k)), vertices, atol=1e-12)
        np.testing.assert_allclose(np.linalg.norm(vertices, axis=1), 1.0)       # on the unit circle
        sides = np.linalg.norm(vertices - np.roll(vertices, 1, axis=0), axis=1)
        np.testing.assert_allclose(sides, sides[0])                               # regular
    np.testing.assert_allclose(simplex_vertices(2), [[-1, 0], [1, 0]])
    np.testing.assert_allclose(simplex_vertices(3)[0], [0, 1], atol=1e-12)      # the first class on top


def test_simplex_centre_and_edge_midpoints():
    for k in (2, 3, 5):
        np.testing.assert_allclose(simplex_coordinates(np.full((1, k), 1 / k)), [[0, 0]], atol=1e-12)
    v = simplex_vertices(3)
    half = np.array([[0.5, 0.5, 0.0], [0.0, 0.5, 0.5], [0.5, 0.0, 0.5]])
    np.testing.assert_allclose(simplex_coordinates(half), [(v[0] + v[1]) / 2, (v[1] + v[2]) / 2, (v[0] + v[2]) / 2])
    # a point a third of the way from class 1 to class 3
    np.testing.assert_allclose(simplex_coordinates([[2 / 3, 0, 1 / 3]]), [v[0] + (v[2] - v[0]) / 3])


def test_a_sigmoid_output_is_its_p_on_the_two_class_segment():
    p = np.array([[0.0], [0.25], [0.5], [1.0]])
    np.testing.assert_allclose(simplex_coordinates(p), [[-1, 0], [-0.5, 0], [0, 0], [1, 0]])
    assert np.isnan(simplex_coordinates(np.array([[np.nan], [0.5]]))[0]).all()


def test_simplex_ties_run_from_the_centre_to_the_edge_midpoints():
    ties = simplex_ties(3)
    v = simplex_vertices(3)
    np.testing.assert_allclose(ties[:, 0], 0, atol=1e-12)
    np.testing.assert_allclose(ties[:, 1], (v + np.roll(v, -1, axis=0)) / 2)
    assert simplex_ties(2)[0, :, 0].tolist() == [0, 0] and len(simplex_ties(6)) == 0


def test_a_sigmoid_units_line_passes_where_w_h_plus_b_is_zero_and_splits_the_classes():
    w, b = np.array([[1.0], [2.0]]), np.array([-1.0])        # x + 2 y - 1 = 0
    (pair, segment), = boundary_pieces(w, b, "sigmoid", np.array([-2.0, -2.0]), np.array([2.0, 2.0]))
    assert pair == (1, 0)
    ends = sorted(map(tuple, np.round(segment, 12)))
    np.testing.assert_allclose(ends, [(-2.0, 1.5), (2.0, -0.5)])  # where the line leaves the box
    np.testing.assert_allclose(segment @ w[:, 0] + b, 0, atol=1e-12)
    # a network with this output unit classifies points on either side of the line accordingly
    net = Network(ModelSpec(layers=(LayerSpec(2, "linear"),)))
    net.layers[0].params["W"][...], net.layers[0].params["b"][...] = np.eye(2), 0.0
    net.layers[-1].params["W"][...], net.layers[-1].params["b"][...] = w, b
    on_line = segment[0] + np.linspace(0.05, 0.95, 7)[:, None] * (segment[1] - segment[0])
    normal = w[:, 0] / np.linalg.norm(w)
    p_plus, p_minus = net.predict(on_line + 1e-3 * normal), net.predict(on_line - 1e-3 * normal)
    assert (p_plus > 0.5).all() and (p_minus < 0.5).all()
    np.testing.assert_allclose(net.predict(on_line), 0.5, atol=1e-12)


def test_a_line_outside_the_box_or_without_weights_is_not_drawn():
    lo, hi = np.array([-1.0, -1.0]), np.array([1.0, 1.0])
    assert clip_line([1.0, 0.0], -5.0, np.zeros((0, 2)), np.zeros(0), lo, hi) is None   # x = 5
    assert clip_line([0.0, 0.0], 1.0, np.zeros((0, 2)), np.zeros(0), lo, hi) is None
    assert boundary_pieces(np.ones((2, 1)), np.zeros(1), "linear", lo, hi) == []


def test_pairwise_boundaries_of_a_three_class_softmax_meet_where_all_three_tie():
    # logits z1 = x, z2 = y, z3 = 0: class 1 wins right, class 2 up, class 3 down-left
    w, b = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]), np.zeros(3)
    pieces = dict(boundary_pieces(w, b, "softmax", np.array([-2.0, -2.0]), np.array([2.0, 2.0])))
    assert sorted(pieces) == [(0, 1), (0, 2), (1, 2)]
    def ends(pair):
        return sorted(map(tuple, np.round(pieces[pair], 12) + 0.0))
    assert ends((0, 1)) == [(0.0, 0.0), (2.0, 2.0)]       # x = y, only where x = y >= 0
    assert ends((0, 2)) == [(0.0, -2.0), (0.0, 0.0)]      # x = 0, only where y <= 0
    assert ends((1, 2)) == [(-2.0, 0.0), (0.0, 0.0)]      # y = 0, only where x <= 0
    # on each piece its two classes tie for the largest logit
    for (i, j), segment in pieces.items():
        z = np.linspace(segment[0], segment[1], 9)[1:-1] @ w + b
        np.testing.assert_allclose(z[:, i], z[:, j], atol=1e-12)
        assert (z[:, i] >= np.delete(z, [i, j], axis=1).max(axis=1) - 1e-12).all()


def test_decision_boundaries_of_a_softmax_are_the_differences_of_its_logits():
    rng = np.random.default_rng(3)
    w, b = rng.normal(size=(2, 4)), rng.normal(size=4)
    pieces = decision_boundaries(w, b, "softmax")
    assert [p["pair"] for p in pieces] == [(0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (2, 3)]
    h = rng.normal(size=(50, 2))
    for p in pieces:
        i, j = p["pair"]
        z = h @ w + b
        np.testing.assert_allclose(h @ p["normal"] + p["offset"], z[:, i] - z[:, j])
    # every point of a clipped piece is on the argmax boundary: i and j are the two largest logits
    for (i, j), segment in boundary_pieces(w, b, "softmax", np.array([-3.0, -3.0]), np.array([3.0, 3.0])):
        z = np.linspace(segment[0], segment[1], 11) @ w + b
        top2 = np.sort(np.argsort(z, axis=1)[:, -2:], axis=1)
        assert (top2[1:-1] == [i, j]).all()


def test_a_sigmoid_plane_in_a_cube_is_the_square_at_its_height():
    square = clip_plane([0.0, 0.0, 1.0], -0.5, np.zeros((0, 3)), np.zeros(0), -np.ones(3), np.ones(3))
    assert len(square) == 4
    np.testing.assert_allclose(square[:, 2], 0.5)
    assert sorted(map(tuple, np.round(square[:, :2], 12) + 0.0)) == [(-1, -1), (-1, 1), (1, -1), (1, 1)]


def test_pairwise_planes_of_a_three_class_softmax_in_three_d():
    # logits are the coordinates: classes 1 and 2 tie on the plane x = y, where x >= z
    polygons = dict(boundary_pieces(np.eye(3), np.zeros(3), "softmax", -np.ones(3), np.ones(3)))
    triangle = polygons[(0, 1)]
    assert sorted(map(tuple, np.round(triangle, 12) + 0.0)) == [(-1, -1, -1), (1, 1, -1), (1, 1, 1)]
    for (i, j), polygon in polygons.items():
        np.testing.assert_allclose(polygon[:, i], polygon[:, j], atol=1e-12)


def test_extent_ignores_points_that_are_not_finite():
    lo, hi = extent(np.array([[0.0, 1.0], [2.0, 3.0], [np.nan, 9.0]]), margin=0.5)
    np.testing.assert_allclose(lo, [-1.0, 0.0])
    np.testing.assert_allclose(hi, [3.0, 4.0])
    assert extent(np.full((2, 2), np.inf)) is None
