"""Bounded history: capacity holds forever, old entries thin out evenly, newest is kept."""
import numpy as np

from nnweb.app.history import Decimating, History


def test_decimating_stays_bounded_and_spans_all_time():
    d = Decimating(capacity=10)
    for i in range(10_000):
        d.offer(lambda i=i: i)
    assert len(d.items) <= 10
    assert d.items[0] == 0 and d.items[-1] > 5000          # from the start to recent times
    gaps = np.diff(d.items)
    assert (gaps > 0).all() and gaps.max() <= 2 * gaps.min()  # evenly spread


def test_history_records_curves_and_checkpoints():
    h = History(curve_capacity=50, checkpoint_capacity=4, checkpoint_every=2)
    m = {"train": {"loss": 1.0, "accuracy": 0.5}, "test": {"loss": None, "accuracy": None}}
    for epoch in range(100):
        h.record(epoch, epoch * 10, m, lambda: [np.zeros(2)])
    assert len(h.checkpoints.items) <= 4 and len(h.curve.items) <= 50
    cols = h.columns()
    assert np.isnan(cols["test_loss"]).all() and (cols["train_loss"] == 1.0).all()
    assert cols["epoch"][0] == 0
