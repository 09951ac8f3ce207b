"""View data in CPython: grid lines, PCA, rotation, alignment and morphing."""
import numpy as np
import pytest

from nnweb.app.geometry import PCA, alignment, grid_lines, morph, polylines, rotate
from nnweb.engine import LayerSpec, ModelSpec, Network


def test_grid_lines_cover_the_plane():
    lines = grid_lines(5, 11, 6.0)
    assert lines.shape == (10, 11, 2)
    np.testing.assert_allclose(lines[0, :, 0], -6.0)          # first vertical line at x = -6
    np.testing.assert_allclose(lines[0, :, 1], np.linspace(-6, 6, 11))
    np.testing.assert_allclose(lines[5, :, 1], -6.0)          # first horizontal line at y = -6


def test_grid_lines_through_a_known_linear_layer_land_where_the_matrix_says():
    net = Network(ModelSpec(layers=(LayerSpec(2, "linear"),)))
    W = np.array([[2.0, 1.0], [-0.5, 3.0]])
    b = np.array([0.5, -1.0])
    net.layers[0].params["W"][...] = W
    net.layers[0].params["b"][...] = b
    lines = grid_lines(4, 9, 6.0)
    mapped = net.representations(lines.reshape(-1, 2))["hidden 1 · pre-activation"].reshape(lines.shape)
    np.testing.assert_allclose(mapped, lines @ W + b)
    # a straight line stays straight under an affine map: second differences vanish
    np.testing.assert_allclose(np.diff(mapped, 2, axis=1), 0, atol=1e-12)


def test_polylines_separate_lines_with_nan():
    x, y = polylines(np.arange(12, dtype=float).reshape(2, 3, 2))
    assert len(x) == 8 and np.isnan(x[3]) and np.isnan(y[7])
    np.testing.assert_array_equal(x[:3], [0, 2, 4])


def test_pca_recovers_known_components():
    rng = np.random.default_rng(0)
    basis = np.array([[1, 1, 0], [1, -1, 0]]) / np.sqrt(2)     # two orthonormal directions
    x = rng.normal(size=(2000, 2)) * [5.0, 1.0] @ basis + [3, -2, 7]
    p = PCA(x, 2)
    np.testing.assert_allclose(np.abs(p.components @ basis.T), np.eye(2), atol=0.02)
    assert p.explained[0] == pytest.approx(25 / 26, abs=0.01)
    np.testing.assert_allclose(p.mean, [3, -2, 7], atol=0.2)
    assert (p.components[np.arange(2), np.abs(p.components).argmax(1)] > 0).all()


def test_rotation_is_orthographic_and_angle_zero_looks_from_the_front():
    pts = np.random.default_rng(1).normal(size=(50, 3))
    front = rotate(pts, 0, 0)
    np.testing.assert_allclose(front[:, :2], pts[:, [0, 2]])  # x right, z up
    turned = rotate(pts, 37, 20)
    np.testing.assert_allclose(np.linalg.norm(turned, axis=1), np.linalg.norm(pts, axis=1))
    np.testing.assert_allclose(rotate(pts, 90, 0)[:, 0], -pts[:, 1], atol=1e-12)


def test_align_undoes_a_rotation_and_reflection():
    a = np.random.default_rng(2).normal(size=(40, 2))
    c, s = np.cos(1.1), np.sin(1.1)
    b = a @ np.array([[c, -s], [s, c]]) @ np.diag([1, -1])
    np.testing.assert_allclose(b @ alignment(a, b), a, atol=1e-9)


def test_morph_runs_from_input_to_output():
    stages = [np.zeros((3, 2)), np.ones((3, 2)), np.full((3, 2), 5.0)]
    np.testing.assert_array_equal(morph(stages, 0.0), stages[0])
    np.testing.assert_array_equal(morph(stages, 1.0), stages[-1])
    np.testing.assert_allclose(morph(stages, 0.25), 0.5)
    np.testing.assert_allclose(morph(stages, 0.75), 3.0)


def test_projector_never_uses_a_neuron_twice():
    from nnweb.app.geometry import projector
    fit = np.arange(20.0).reshape(5, 4)
    project, labels = projector(fit, 3, "neurons", (2, 1, 2))
    assert labels == ["neuron 3", "neuron 2", "neuron 1"]
    np.testing.assert_array_equal(project(fit), fit[:, [2, 1, 0]])
    project, labels = projector(fit[:, :1], 2, "neurons", (0, 1))
    assert labels[1].startswith("(layer has no more") and (project(fit[:, :1])[:, 1] == 0).all()


def test_nan_separated_joins_pieces_of_any_length_with_a_nan_after_each():
    from nnweb.app.geometry import nan_separated
    x, y = nan_separated([np.array([[0.0, 1.0], [2.0, 3.0]]), np.array([[4.0, 5.0], [6.0, 7.0], [8.0, 9.0]])])
    np.testing.assert_array_equal(x, [0, 2, np.nan, 4, 6, 8, np.nan])
    np.testing.assert_array_equal(y, [1, 3, np.nan, 5, 7, 9, np.nan])
    assert [len(a) for a in nan_separated([])] == [0, 0]
