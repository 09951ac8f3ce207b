"""Metrics against plain-Python references, on random labels and values."""
import math

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from nnweb.engine.metrics import classification_metrics, confusion_matrix, regression_metrics


@given(st.integers(2, 6).flatmap(lambda k: st.tuples(
    st.just(k), st.lists(st.tuples(st.integers(0, k - 1), st.integers(0, k - 1)), min_size=1, max_size=60))))
def test_confusion_matrix_counts_every_pair(case):
    k, pairs = case
    labels, predicted = np.array([p[0] for p in pairs]), np.array([p[1] for p in pairs])
    matrix = confusion_matrix(labels, predicted, k)
    for t in range(k):
        for p in range(k):
            assert matrix[t, p] == sum(1 for a, b in pairs if a == t and b == p)
    assert classification_metrics(labels, predicted, k)["accuracy"] == sum(a == b for a, b in pairs) / len(pairs)


@given(st.lists(st.tuples(st.floats(-100, 100), st.floats(-100, 100)), min_size=2, max_size=50))
def test_rmse_and_r2(pairs):
    t, p = np.array([a for a, _ in pairs]), np.array([b for _, b in pairs])
    m = regression_metrics(t, p)
    assert math.isclose(m["rmse"], math.sqrt(sum((a - b) ** 2 for a, b in pairs) / len(pairs)), rel_tol=1e-9, abs_tol=1e-12)
    mean = sum(t) / len(t)
    sst = sum((a - mean) ** 2 for a in t)
    if sst > 1e-9:
        expected = 1 - sum((a - b) ** 2 for a, b in pairs) / sst
        assert math.isclose(m["r2"], expected, rel_tol=1e-6, abs_tol=1e-6)


def test_perfect_and_constant_cases():
    assert regression_metrics([1.0, 2.0, 3.0], [1.0, 2.0, 3.0]) == {"rmse": 0.0, "r2": 1.0}
    assert regression_metrics([2.0, 2.0], [1.0, 3.0])["r2"] is None  # R² undefined for constant targets
    assert regression_metrics([], [])["rmse"] is None


def test_the_trainer_reports_them_for_train_and_test():
    from nnweb.engine import DataSpec, ModelSpec, TrainSpec, Trainer, make_data
    d = make_data(DataSpec(dataset="blobs", noise=0.3))
    t = Trainer(ModelSpec(head="softmax", outputs=3), TrainSpec(learning_rate=0.1), d.x_train, d.y_train, d.x_test, d.y_test)
    t.train_steps(100)
    for part, y in (("train", d.y_train), ("test", d.y_test)):
        m = t.metrics()[part]
        assert m["confusion"].shape == (3, 3) and m["confusion"].sum() == len(y)
        assert np.array_equal(m["confusion"].sum(axis=1), np.bincount(y.astype(int), minlength=3))
        assert m["accuracy"] == np.trace(m["confusion"]) / len(y)
    d = make_data(DataSpec(dataset="plane", noise=0.1))
    t = Trainer(ModelSpec(head="linear"), TrainSpec(), d.x_train, d.y_train, d.x_test, d.y_test)
    before = t.metrics()["test"]
    t.train_steps(300)
    after = t.metrics()["test"]
    assert after["r2"] > before["r2"] and after["rmse"] < before["rmse"]
    assert math.isclose(after["rmse"] ** 2, after["loss"], rel_tol=1e-9)  # MSE loss = RMSE²
