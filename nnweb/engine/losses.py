"""Output heads with their losses, fused so that both stay numerically stable.

A head turns the last Linear layer's output ``z`` (N, outputs) into predictions and
gives the mean loss over the batch and its gradient with respect to ``z``. Fusing
sigmoid with binary cross-entropy and softmax with cross-entropy avoids log(0): the
loss is written with softplus / log-sum-exp of the logits, never of probabilities.
"""
from __future__ import annotations

import numpy as np


class SigmoidBCE:
    """Two classes: p = sigmoid(z); loss = mean(softplus(z) - y z)  (BCEWithLogitsLoss)."""

    name = "sigmoid"

    def predict(self, z):
        return 0.5 + 0.5 * np.tanh(0.5 * z)

    def loss_and_grad(self, z, y):
        # called once a training step: sums by np.add.reduce (np.mean's Python wrapper cost
        # a small network's step more than the arithmetic)
        z, n = z[:, 0], z.shape[0]
        loss = float(np.add.reduce(np.logaddexp(0.0, z) - y * z)) / n
        grad = (self.predict(z) - y) / n
        return loss, grad[:, None]

    def classes(self, z):
        return (z[:, 0] > 0.0).astype(np.int64)


class SoftmaxCE:
    """k classes: p = softmax(z / T); loss = mean(logsumexp(z/T) - z_y / T)."""

    name = "softmax"

    def __init__(self, temperature: float = 1.0):
        self.temperature = temperature

    def _log_softmax(self, z):
        # reductions by the ufuncs' own methods, as SigmoidBCE's (no Python wrapper a step)
        s = z / self.temperature
        s = s - np.maximum.reduce(s, axis=1, keepdims=True)
        return s - np.log(np.add.reduce(np.exp(s), axis=1, keepdims=True))

    def predict(self, z):
        return np.exp(self._log_softmax(z))

    def loss_and_grad(self, z, y):
        n = z.shape[0]
        logp = self._log_softmax(z)
        rows = np.arange(n)
        loss = -float(np.add.reduce(logp[rows, y])) / n
        grad = np.exp(logp)
        grad[rows, y] -= 1.0
        return loss, grad / (n * self.temperature)

    def classes(self, z):
        return z.argmax(axis=1)


class LinearMSE:
    """Regression: prediction = z; loss = mean((z - y)^2)  (MSELoss)."""

    name = "linear"

    def predict(self, z):
        return z

    def loss_and_grad(self, z, y):
        diff = z - y.reshape(z.shape)
        return float(np.add.reduce(diff * diff, axis=None)) / diff.size, 2.0 * diff / diff.size

    def classes(self, z):
        raise ValueError("a regression head has no classes")


def make_head(name: str, temperature: float = 1.0):
    if name == "sigmoid":
        return SigmoidBCE()
    if name == "softmax":
        return SoftmaxCE(temperature)
    if name == "linear":
        return LinearMSE()
    raise ValueError(f"head: unknown head {name!r}")
