"""Training: minibatch steps over seeded shuffles, metrics, and divergence detection.

``Trainer`` owns one network, one optimizer and the training data. It never raises
because numbers blew up: a non-finite loss or gradient stops the update, leaves the
weights as they were (finite) and sets ``diverged`` to a sentence a person can read.
"""
from __future__ import annotations

import math

import numpy as np

from .metrics import classification_metrics, regression_metrics
from .layers import BatchNorm
from .model import Network
from .optimizers import make_optimizer
from .spec import ModelSpec, TrainSpec


def _targets(head: str, y: np.ndarray) -> np.ndarray:
    """Labels as each head wants them: class indices for softmax, floats otherwise."""
    return np.asarray(y, dtype=np.int64 if head == "softmax" else float)


class Trainer:
    def __init__(self, model: ModelSpec, train: TrainSpec, x_train, y_train, x_test=None, y_test=None):
        self.model_spec = model
        self.network = Network(model)
        self.x_train = np.asarray(x_train, dtype=float)
        self.y_train = _targets(model.head, y_train)
        self.x_test = None if x_test is None else np.asarray(x_test, dtype=float)
        self.y_test = None if y_test is None else _targets(model.head, y_test)
        self.rng = np.random.default_rng(train.seed)
        self.optimizer = None
        self.set_train_spec(train)
        self.steps = 0
        self.epoch = 0               # completed passes over the training set
        self.diverged: str | None = None
        self._kept: np.ndarray | None = None
        self._order = np.arange(len(self.x_train))
        # BatchNorm cannot normalize one point (its batch variance is 0): see next_batch.
        self._smallest_batch = 2 if any(isinstance(layer, BatchNorm) for layer in self.network.layers) else 1
        self._cursor = len(self._order)  # forces a shuffle before the first batch

    def set_train_spec(self, train: TrainSpec) -> None:
        """Change hyper-parameters on the fly: weights are kept, and so is the optimizer's
        state (moments, step count) while the optimizer kind stays the same."""
        fresh = make_optimizer(train)
        old = self.optimizer
        if old is not None and type(old) is type(fresh) and self.train_spec.optimizer == train.optimizer:
            fresh.state, fresh.steps = old.state, old.steps
        self.optimizer = fresh
        self.train_spec = train

    # --- one update -------------------------------------------------------------------
    def penalty(self) -> float:
        """The regularization term (weights only): rate/2 * sum w^2 (L2) or rate * sum |w| (L1)."""
        kind, rate = self.train_spec.regularization, self.train_spec.regularization_rate
        weights = [p for p, w in zip(self.network.parameters(), self.network.is_weight) if w]
        if kind == "l2":
            return 0.5 * rate * sum(float((w * w).sum()) for w in weights)
        if kind == "l1":
            return rate * sum(float(np.abs(w).sum()) for w in weights)
        return 0.0

    def _diverge(self, step: int, what: str) -> None:
        """Stop for good (until a new Trainer) with a sentence a person can act on."""
        self.diverged = (f"Training diverged at step {step}: {what}. "
                         f"Try a lower learning rate than {self.optimizer.lr:g}.")

    def step(self, xb: np.ndarray, yb: np.ndarray) -> float:
        """One optimizer update on a batch; returns the batch's data loss (before the update)."""
        with np.errstate(all="ignore"):
            return self._step(xb, yb)

    def _step(self, xb: np.ndarray, yb: np.ndarray) -> float:
        """``step`` without its floating-point context, which ``train_steps`` enters once
        for all its steps (entering it is a cost of the same order as a small layer's)."""
        net = self.network
        loss, dz = net.head.loss_and_grad(net.forward(xb, train=True), yb)
        net.backward(dz)
        # all parameters at once: the network's flat buffers (Network._flatten)
        params, grads = net.flat_params, net.flat_grads
        kind, rate = self.train_spec.regularization, self.train_spec.regularization_rate
        if kind != "none" and rate:
            shrink = rate * params if kind == "l2" else rate * np.sign(params)
            grads = grads + np.where(net.weight_mask, shrink, 0.0)
        if not math.isfinite(loss + float(np.add.reduce(grads))):
            self._diverge(self.steps + 1, f"the loss became "
                          f"{loss if not math.isfinite(loss) else 'finite but a gradient overflowed'}")
            return loss
        # A copy to undo an update that overflows: the price of never showing weights that
        # are not numbers (one copy of one buffer).
        if self._kept is None:
            self._kept = np.empty_like(params)
        np.copyto(self._kept, params)
        self.optimizer.step([params], [grads])
        if not math.isfinite(float(np.add.reduce(params))):
            params[...] = self._kept  # back to the weights before this step
            self._diverge(self.steps + 1, "a weight overflowed")
        self.steps += 1
        return loss

    # --- epochs of minibatches ----------------------------------------------------------
    def next_batch(self) -> tuple[np.ndarray, np.ndarray]:
        """The next minibatch; a new seeded shuffle starts each pass, and ``epoch`` counts passes.

        With BatchNorm no batch holds a single point (unless the whole training set is one):
        PyTorch refuses such a batch, and here it would output beta, pass back a zero gradient
        and shrink running_var by the momentum. So a lone last point of a pass joins the batch
        before it (training set size modulo batch size 1), and batch size 1 trains on pairs.
        Networks without BatchNorm keep their batches exactly as before."""
        n, size = len(self._order), max(self.train_spec.batch_size, self._smallest_batch)
        if self._cursor >= n:
            self._order = self.rng.permutation(n)
            self._cursor = 0
        if n - (self._cursor + size) < self._smallest_batch:  # too few would be left for a batch
            size = n - self._cursor
        idx = self._order[self._cursor:self._cursor + size]
        self._cursor += size
        if self._cursor >= n:
            self.epoch += 1
        return self.x_train[idx], self.y_train[idx]

    def train_steps(self, count: int) -> float:
        """Up to ``count`` steps, stopping at divergence; returns the last batch loss."""
        loss = float("nan")
        with np.errstate(all="ignore"):
            for _ in range(count):
                if self.diverged:
                    break
                loss = self._step(*self.next_batch())
        return loss

    def train_epoch(self) -> None:
        """Train until the current pass over the training data is complete."""
        start = self.epoch
        with np.errstate(all="ignore"):
            while not self.diverged and self.epoch == start:
                self._step(*self.next_batch())

    # --- metrics --------------------------------------------------------------------------
    def evaluate(self, x: np.ndarray, y: np.ndarray, z: np.ndarray | None = None) -> dict:
        """Mean data loss, in evaluation mode, and for classes accuracy and the confusion
        matrix (rows: true class), for regression RMSE and R². ``z``: the logits of ``x``,
        if the caller has them (the app computes them in pieces over several frames)."""
        if x is None or len(x) == 0:
            return {"loss": None, "accuracy": None}
        net = self.network
        with np.errstate(all="ignore"):
            z = net.forward(x) if z is None else z
            loss, _ = net.head.loss_and_grad(z, y)
            if net.spec.head == "linear":
                extra = {"accuracy": None, **regression_metrics(y, z)}
            else:
                n_classes = max(2, net.spec.outputs)
                extra = classification_metrics(y, net.head.classes(z), n_classes)
        if not math.isfinite(loss) and not self.diverged:  # the batches were finite, the full set is not
            self._diverge(self.steps, f"the loss over all points became {loss}")
        return {"loss": loss, **extra}

    def metrics(self) -> dict[str, dict]:
        return {"train": self.evaluate(self.x_train, self.y_train),
                "test": self.evaluate(self.x_test, self.y_test)}
