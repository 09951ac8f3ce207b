"""Optimizers with PyTorch's update formulas, updating parameter arrays in place.

Each optimizer keeps its state as plain arrays in ``self.state`` (one dict per array it is
given, in order), so a checkpoint can copy it and a test can read it. The trainer gives it one
array, the network's flat parameter buffer (``Network._flatten``): every formula here is
elementwise, so one update of the whole buffer is the update of each parameter.
Hyper-parameters are attributes that may change between steps (the app changes the
learning rate mid-training without resetting anything).
"""
from __future__ import annotations

import numpy as np


class Optimizer:
    def __init__(self, lr: float):
        self.lr = lr
        self.state: list[dict[str, np.ndarray]] = []
        self.steps = 0

    def step(self, params: list[np.ndarray], grads: list[np.ndarray]) -> None:
        if not self.state:
            self.state = [{} for _ in params]
        self.steps += 1
        for p, g, s in zip(params, grads, self.state):
            self.update(p, g, s)

    def update(self, p, g, s):
        raise NotImplementedError


class SGD(Optimizer):
    """p -= lr * g; with momentum: b = mu b + g (b = g first), nesterov uses g + mu b."""

    def __init__(self, lr=0.01, momentum=0.0, nesterov=False):
        super().__init__(lr)
        self.momentum, self.nesterov = momentum, nesterov

    def update(self, p, g, s):
        if self.momentum:
            if "buf" in s:
                s["buf"] = self.momentum * s["buf"] + g
            else:
                s["buf"] = g.copy()
            g = g + self.momentum * s["buf"] if self.nesterov else s["buf"]
        p -= self.lr * g


class RMSprop(Optimizer):
    """v = a v + (1 - a) g^2; p -= lr g / (sqrt(v) + eps) (with optional momentum buffer)."""

    def __init__(self, lr=0.01, alpha=0.99, eps=1e-8, momentum=0.0):
        super().__init__(lr)
        self.alpha, self.eps, self.momentum = alpha, eps, momentum

    def update(self, p, g, s):
        v = s.setdefault("square_avg", np.zeros_like(p))
        v *= self.alpha
        v += (1 - self.alpha) * g * g
        step = g / (np.sqrt(v) + self.eps)
        if self.momentum:
            buf = s.setdefault("buf", np.zeros_like(p))
            buf *= self.momentum
            buf += step
            step = buf
        p -= self.lr * step


class Adagrad(Optimizer):
    """sum += g^2; p -= lr g / (sqrt(sum) + eps)."""

    def __init__(self, lr=0.01, eps=1e-10):
        super().__init__(lr)
        self.eps = eps

    def update(self, p, g, s):
        total = s.setdefault("sum", np.zeros_like(p))
        total += g * g
        p -= self.lr * g / (np.sqrt(total) + self.eps)


class Adam(Optimizer):
    """Adam with bias correction, and PyTorch's two weight decays: ``torch.optim.Adam``'s
    L2 form adds weight_decay * p to the gradient (so the moments see it); AdamW
    (``decoupled``) instead first shrinks p by lr * weight_decay, outside the moments."""

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0, decoupled=False):
        super().__init__(lr)
        self.beta1, self.beta2, self.eps = beta1, beta2, eps
        self.weight_decay, self.decoupled = weight_decay, decoupled

    def update(self, p, g, s):
        if self.weight_decay:
            if self.decoupled:
                p *= 1.0 - self.lr * self.weight_decay
            else:
                g = g + self.weight_decay * p  # a new array: the caller's gradient stays as it was
        m = s.setdefault("exp_avg", np.zeros_like(p))
        v = s.setdefault("exp_avg_sq", np.zeros_like(p))
        m *= self.beta1
        m += (1 - self.beta1) * g
        v *= self.beta2
        v += (1 - self.beta2) * g * g
        t = self.steps
        correction1 = 1 - self.beta1 ** t
        correction2 = 1 - self.beta2 ** t
        denom = np.sqrt(v) / np.sqrt(correction2) + self.eps
        p -= (self.lr / correction1) * m / denom


def make_optimizer(train) -> Optimizer:
    """Build the optimizer a ``TrainSpec`` names."""
    lr, kind = train.learning_rate, train.optimizer
    if kind == "sgd":
        return SGD(lr)
    if kind in ("momentum", "nesterov"):
        return SGD(lr, momentum=train.momentum, nesterov=kind == "nesterov")
    if kind == "rmsprop":
        return RMSprop(lr, alpha=train.alpha, eps=train.eps)
    if kind == "adagrad":
        return Adagrad(lr, eps=train.adagrad_eps)
    if kind in ("adam", "adamw"):
        # TrainSpec.weight_decay is AdamW's alone: plain Adam's L2 form is the L2 regularization
        # the trainer already offers for every optimizer (on weights only, never biases).
        return Adam(lr, train.beta1, train.beta2, train.eps,
                    weight_decay=train.weight_decay if kind == "adamw" else 0.0, decoupled=kind == "adamw")
    raise ValueError(f"optimizer: unknown optimizer {kind!r}")
