"""Training history in bounded memory: loss/accuracy curves and weight checkpoints.

Both keep at most ``capacity`` entries. When full, every other old entry is dropped and
the recording interval doubles, so an afternoon of training keeps a curve and checkpoints
spread over all of it, in constant memory (the textbook's "checkpoints over training").
"""
from __future__ import annotations

import numpy as np


class Decimating:
    """Append-only records, thinned 2:1 (and the interval doubled) whenever full."""

    def __init__(self, capacity: int, every: int = 1):
        self.capacity, self.every = capacity, every
        self.items: list = []
        self._count = 0

    def offer(self, make) -> bool:
        """Record ``make()`` if this call falls on the interval; returns whether it did."""
        due = self._count % self.every == 0
        self._count += 1
        if not due:
            return False
        if len(self.items) >= self.capacity:
            self.items = self.items[::2]
            self.every *= 2
            self._count = 1
        self.items.append(make())
        return True


class History:
    def __init__(self, curve_capacity: int = 400, checkpoint_capacity: int = 60, checkpoint_every: int = 5):
        self.curve = Decimating(curve_capacity)
        self.checkpoints = Decimating(checkpoint_capacity, checkpoint_every)

    def record(self, epoch: int, steps: int, metrics: dict, state) -> None:
        """Called once per published frame with the trainer's figures and a state factory."""
        tr, te = metrics["train"], metrics["test"]
        self.curve.offer(lambda: (epoch, tr["loss"], te["loss"], tr["accuracy"], te["accuracy"]))
        self.checkpoints.offer(lambda: (epoch, steps, state()))

    def columns(self) -> dict[str, np.ndarray]:
        """The curve as plot columns (None -> NaN, so Bokeh leaves gaps)."""
        rows = np.array([[np.nan if v is None else v for v in row] for row in self.curve.items], dtype=float)
        rows = rows.reshape(-1, 5)
        return dict(zip(["epoch", "train_loss", "test_loss", "train_acc", "test_acc"], rows.T))
