"""Datasets: shapes, labels, domain, seeding and splitting."""
import numpy as np
import pytest

from nnweb.engine import DATASETS, DOMAIN, ONE_D, DataSpec, apply_features, make_data
from nnweb.engine.datasets import load_digits


@pytest.mark.parametrize("name", [d for d in DATASETS if d not in ("digits", "custom", "own")])
def test_2d_datasets(name):
    features = ("x1",) if name in ONE_D else ("x1", "x2")
    spec = DataSpec(dataset=name, points=300, noise=0.0, classes=4, features=features)
    d = make_data(spec)
    points = np.concatenate([d.points_train, d.points_test])
    labels = np.concatenate([d.y_train, d.y_test])
    assert points.shape == (300, 2) and len(labels) == 300
    assert np.abs(points).max() <= DOMAIN + 1e-9
    if spec.kind == "classification":
        assert set(np.unique(labels)) == set(range(spec.n_classes))
    else:
        assert labels.dtype == float and labels.std() > 0.05


def test_circle_labels_follow_the_radius():
    d = make_data(DataSpec(dataset="circle", noise=0.0))
    r = np.hypot(*d.points_train.T)
    assert (r[d.y_train == 1] <= 2.5).all() and (r[d.y_train == 0] >= 3.5).all()


def test_seed_and_split():
    a, b = make_data(DataSpec(seed=5)), make_data(DataSpec(seed=5))
    assert np.array_equal(a.points_train, b.points_train) and np.array_equal(a.y_test, b.y_test)
    c = make_data(DataSpec(seed=6))
    assert not np.array_equal(a.points_train, c.points_train)
    d = make_data(DataSpec(points=200, train_ratio=0.8))
    assert len(d.points_train) == 160 and len(d.points_test) == 40


def test_features_are_applied_to_points():
    d = make_data(DataSpec(features=("x1*x2", "sin(x2)", "x1^2")))
    p = d.points_train
    np.testing.assert_allclose(d.x_train, np.stack([p[:, 0] * p[:, 1], np.sin(p[:, 1]), p[:, 0] ** 2], 1))
    np.testing.assert_array_equal(apply_features(("x2",), p)[:, 0], p[:, 1])


def test_digits_ship_with_the_package():
    x, y = load_digits()
    assert x.shape == (1797, 64) and 0 <= x.min() and x.max() == 1.0
    assert np.bincount(y).tolist() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
    d = make_data(DataSpec(dataset="digits", points=1797))
    assert d.x_train.shape[1] == 64 and DataSpec(dataset="digits").n_inputs == 64


def test_1d_datasets_live_on_the_x1_axis_and_refuse_x2_features():
    d = make_data(DataSpec(dataset="wave", features=("x1",)))
    assert (d.points_train[:, 1] == 0).all() and d.x_train.shape[1] == 1
    np.testing.assert_allclose(d.y_train, np.sin(d.points_train[:, 0]))
    with pytest.raises(ValueError, match="data.features: wave has one input"):
        DataSpec.from_dict({"dataset": "wave", "features": ["x1", "x2"]})


def test_drawn_points_are_the_data_and_are_checked():
    drawn = ((0.5, 1.0, 0), (-2.0, 3.0, 1), (4.0, -4.0, 2), (1.0, 1.0, 1))
    spec = DataSpec(dataset="custom", drawn=drawn, train_ratio=0.5)
    d = make_data(spec)
    rows = {(x, y, int(c)) for (x, y), c in zip(np.concatenate([d.points_train, d.points_test]),
                                                 np.concatenate([d.y_train, d.y_test]))}
    assert rows == set(drawn) and spec.n_classes == 3
    assert DataSpec.from_dict(spec.to_dict()) == spec
    for bad, message in [({"drawn": [[0, 0, 7]]}, "label 7"), ({"drawn": [[0, 0]]}, "expected \\[x1, x2, label\\]"),
                         ({"drawn": [[0, 0, 0]] * 501}, "501 points, at most 500"),
                         ({"dataset": "custom", "drawn": [[0, 0, 0]]}, "at least 2 points")]:
        with pytest.raises(ValueError, match=message):
            DataSpec.from_dict(bad)


@pytest.mark.parametrize("curve", ["sine", "cubic", "abs", "step"])
def test_function_dataset_labels_the_side_of_its_curve(curve):
    from nnweb.engine.datasets import CURVES
    d = make_data(DataSpec(dataset="function", curve=curve, points=400))
    points = np.concatenate([d.points_train, d.points_test])
    labels = np.concatenate([d.y_train, d.y_test])
    np.testing.assert_array_equal(labels, points[:, 1] > CURVES[curve](points[:, 0]))
    assert 0.1 < labels.mean() < 0.9  # both sides are populated
    other = make_data(DataSpec(dataset="function", curve="cubic" if curve != "cubic" else "sine", points=400))
    assert not np.array_equal(np.concatenate([other.y_train, other.y_test]), labels)


def _old_spiral(n, noise, seed):
    """The spiral as generated before turns could be set (copied from that version): every
    link made then must keep its points exactly."""
    rng = np.random.default_rng(seed)
    labels = np.arange(n) % 2
    s = rng.uniform(0, 1, n)
    t = 1.75 * 2 * np.pi * s + labels * 2 * np.pi / 2
    pts = np.stack([5.0 * s * np.cos(t), 5.0 * s * np.sin(t)], axis=1) + rng.uniform(-1, 1, (n, 2)) * noise * 2
    order = rng.permutation(n)
    return pts[order], labels[order]


@pytest.mark.parametrize("noise", [0.0, 0.3])
def test_the_default_spiral_is_the_old_one_bit_for_bit(noise):
    spec = DataSpec(dataset="spiral", points=300, noise=noise, seed=7, train_ratio=0.5)
    assert spec.turns == 1.75 and spec.arm_start == 0.0
    d = make_data(spec)
    pts, labels = _old_spiral(300, noise, 7)
    np.testing.assert_array_equal(np.concatenate([d.points_train, d.points_test]), pts)
    np.testing.assert_array_equal(np.concatenate([d.y_train, d.y_test]), labels)
    assert DataSpec.from_dict({"dataset": "spiral", "points": 300, "noise": noise, "seed": 7}) == spec


def test_the_blogs_spiral_is_its_arms_t_cos_t_t_sin_t():
    """turns = 3.96 / 2 pi from 0.4: arm 0 is t (cos t, sin t), t in 0.4 .. 4.36, arm 1 the same
    turned by pi, both scaled by 5 / 4.36 (every spiral ends at radius 5)."""
    spec = DataSpec(dataset="spiral", points=200, noise=0.0, turns=3.96 / (2 * np.pi), arm_start=0.4)
    d = make_data(spec)
    pts, labels = np.concatenate([d.points_train, d.points_test]), np.concatenate([d.y_train, d.y_test])
    assert np.bincount(labels).tolist() == [100, 100]
    blog = pts * 4.36 / 5
    blog[labels == 1] *= -1  # turned back by pi
    t = np.hypot(*blog.T)    # on t (cos t, sin t) the radius is t
    assert t.min() >= 0.4 - 1e-9 and t.max() <= 4.36 + 1e-9 and t.min() < 0.5 and t.max() > 4.2
    np.testing.assert_allclose(blog, np.stack([t * np.cos(t), t * np.sin(t)], axis=1), atol=1e-12)


def test_turns_wind_the_arms_and_are_refused_outside_their_range():
    for turns in (0.5, 1.0, 2.5):
        d = make_data(DataSpec(dataset="spiral", points=400, noise=0.0, turns=turns))
        pts = d.points_train[d.y_train == 0]
        r, angle = np.hypot(*pts.T), np.arctan2(pts[:, 1], pts[:, 0])
        # on arm 0 the angle is turns * 2 pi * r / 5, up to whole turns
        np.testing.assert_allclose(np.cos(angle - turns * 2 * np.pi * r / 5), 1.0, atol=1e-9)
    for bad in (0.2, 3.5, float("nan"), True, "1"):
        with pytest.raises(ValueError, match="turns"):
            DataSpec(dataset="spiral", turns=bad)
    with pytest.raises(ValueError, match=r"data.turns: 4.0 is outside the allowed range 0.25 .. 3.0"):
        DataSpec.from_dict({"dataset": "spiral", "turns": 4})
    with pytest.raises(ValueError, match="arm_start"):
        DataSpec(dataset="spiral", arm_start=-0.1)
