"""Layers: each a small class whose ``backward`` sits right under its ``forward``.

A layer keeps what its backward pass needs from the last forward pass (its cache) and
its trainable arrays in ``params`` with matching ``grads``. Shapes are (N, features).
``forward(x, train)``: ``train`` switches BatchNorm between batch and running statistics.
"""
from __future__ import annotations

import math

import numpy as np


def like(array: np.ndarray, x: np.ndarray) -> np.ndarray:
    """``array`` in ``x``'s float type. Training runs in float64; the views evaluate in
    float32 (twice as fast, and ample for pixels), so parameters follow the input."""
    return array if array.dtype == x.dtype else array.astype(x.dtype)


class Layer:
    """Base: no parameters, identity. Subclasses override ``forward`` and ``backward``."""

    name = "layer"

    def __init__(self):
        self.params: dict[str, np.ndarray] = {}
        self.grads: dict[str, np.ndarray] = {}

    def forward(self, x: np.ndarray, train: bool = False) -> np.ndarray:
        return x

    def backward(self, dout: np.ndarray) -> np.ndarray:
        return dout


class Linear(Layer):
    """y = x W + b, with W of shape (fan_in, fan_out) (PyTorch stores its transpose)."""

    name = "pre-activation"

    def __init__(self, weight: np.ndarray, bias: np.ndarray):
        super().__init__()
        self.params = {"W": weight, "b": bias}
        self.grads = {"W": np.zeros_like(weight), "b": np.zeros_like(bias)}
        # The network's first layer has no layer below it to pass a gradient to (the
        # data needs none): one matrix product a step less (Network clears it).
        self.needs_input_grad = True

    def forward(self, x, train=False):
        self.x = x
        W, b = self.params["W"], self.params["b"]
        if W.dtype != x.dtype:  # ``like``, inline: this runs three times a small net's step
            W, b = W.astype(x.dtype), b.astype(x.dtype)
        return x @ W + b

    def backward(self, dout):
        # into the gradient arrays, not new ones: they may be views of the network's one
        # flat gradient buffer (Network), which the optimizer updates in a single pass
        # (np.add.reduce is np.sum without its Python wrapper: a small step's cost is calls)
        np.matmul(self.x.T, dout, out=self.grads["W"])
        np.add.reduce(dout, axis=0, out=self.grads["b"])
        return dout @ self.params["W"].T if self.needs_input_grad else None


def _tanh(x):
    """``np.tanh``, but in float32 (the views' pass over ~12,000 points) as 1 - 2 / (e^2x + 1):
    within 2e-7 of tanh, and 2.5x faster in the browser, whose C library computes tanh one
    value at a time while NumPy's exp is its own vectorised loop (1.5 ms -> 0.6 ms a layer)."""
    if x.dtype != np.float32:
        return np.tanh(x)
    with np.errstate(over="ignore"):  # e^2x = inf gives exactly 1
        e = np.exp(2 * x)
    e += 1
    np.divide(2, e, out=e)
    np.subtract(1, e, out=e)
    return e


def _sigmoid(x):
    # tanh form: no overflow warning for large |x|, same value as 1 / (1 + exp(-x))
    return 0.5 + 0.5 * _tanh(0.5 * x)


# name -> (f(x), f'(x) given x and y = f(x)). Forward and derivative side by side.
_ACTIVATIONS = {
    "linear": (lambda x: x, lambda x, y: np.ones_like(x)),
    "sigmoid": (_sigmoid, lambda x, y: y * (1.0 - y)),
    "tanh": (_tanh, lambda x, y: 1.0 - y * y),
    "relu": (lambda x: np.maximum(x, 0.0), lambda x, y: (x > 0.0).astype(x.dtype)),
    "softplus": (lambda x: np.logaddexp(0.0, x), lambda x, y: _sigmoid(x)),
    # step: forward only. Its derivative is zero almost everywhere, so nothing below it learns.
    "step": (lambda x: (x > 0.0).astype(x.dtype), lambda x, y: np.zeros_like(x)),
}


# Python floats, not NumPy scalars: under NumPy 2's promotion rules a float64 scalar such as
# np.sqrt(2 / np.pi) turns a float32 array into float64, which took every layer after a GELU
# off the views' float32 path; a Python float takes the array's type.
_GELU_C = math.sqrt(2.0 / math.pi)
_GELU_A = 0.044715


def _gelu_tanh(x):
    """tanh(c (x + a x^3)), shared by GELU's forward and backward. x*x*x rather than x ** 3,
    which NumPy computes with pow() per element (most of GELU's time on the views' pass);
    ``_tanh`` gives float32 its fast form."""
    u = x * x
    u *= x
    u *= _GELU_A
    u += x
    u *= _GELU_C
    return _tanh(u)


def _gelu(x):
    """GELU, tanh approximation (GPT-2's; PyTorch ``gelu(approximate='tanh')``): NumPy has no erf.
    Keeps the input's float type (float64 training, float32 views)."""
    y = _gelu_tanh(x)
    y += 1.0
    y *= x
    y *= 0.5
    return y


def _gelu_grad(x, y):
    t = _gelu_tanh(x)
    return 0.5 * (1.0 + t) + 0.5 * x * (1.0 - t * t) * _GELU_C * (1.0 + 3 * _GELU_A * x * x)


_ACTIVATIONS["gelu"] = (_gelu, _gelu_grad)


class Activation(Layer):
    """An elementwise nonlinearity picked by name (leaky_relu takes its slope)."""

    name = "activation"

    def __init__(self, kind: str, leaky_slope: float = 0.01):
        super().__init__()
        self.kind, self.leaky_slope = kind, leaky_slope
        if kind == "leaky_relu":
            s = leaky_slope
            self.f = lambda x: np.where(x > 0.0, x, s * x)
            self.df = lambda x, y: np.where(x > 0.0, 1.0, s).astype(x.dtype)
        else:
            self.f, self.df = _ACTIVATIONS[kind]

    def forward(self, x, train=False):
        self.x = x
        self.y = self.f(x)
        return self.y

    def backward(self, dout):
        return dout * self.df(self.x, self.y)


class _Normalization(Layer):
    """Shared by BatchNorm (statistics over the batch, axis 0) and LayerNorm (over the
    neurons of each sample, axis 1): xhat = (x - mean) / std, then y = gamma xhat + beta."""

    axis = 0

    def __init__(self, size: int, eps: float = 1e-5):
        super().__init__()
        self.eps = eps
        self.params = {"gamma": np.ones(size), "beta": np.zeros(size)}
        self.grads = {"gamma": np.zeros(size), "beta": np.zeros(size)}

    def normalize(self, x, mean, var):
        self.inv_std = 1.0 / np.sqrt(var + self.eps)
        self.xhat = (x - mean) * self.inv_std
        return self.xhat * like(self.params["gamma"], x) + like(self.params["beta"], x)

    def backward(self, dout):
        np.add.reduce(dout * self.xhat, axis=0, out=self.grads["gamma"])  # in place, as Linear's
        np.add.reduce(dout, axis=0, out=self.grads["beta"])
        # through xhat, then through the mean and the variance along ``axis``
        dxhat, xhat, a = dout * self.params["gamma"], self.xhat, self.axis
        n = xhat.shape[a]
        return self.inv_std / n * (n * dxhat - dxhat.sum(a, keepdims=True)
                                   - xhat * (dxhat * xhat).sum(a, keepdims=True))


class BatchNorm(_Normalization):
    """Normalize each neuron over the batch; running statistics are used outside training.

    Running variance is updated with the unbiased batch variance, as PyTorch does.
    """

    name = "BatchNorm"
    axis = 0

    def __init__(self, size: int, momentum: float = 0.1, eps: float = 1e-5):
        super().__init__(size, eps)
        self.momentum = momentum
        self.running_mean = np.zeros(size)
        self.running_var = np.ones(size)

    def forward(self, x, train=False):
        if not train:
            gamma, beta = like(self.params["gamma"], x), like(self.params["beta"], x)
            std = like(np.sqrt(self.running_var + self.eps), x)
            return (x - like(self.running_mean, x)) / std * gamma + beta
        n, m = x.shape[0], self.momentum
        mean, var = x.mean(axis=0), x.var(axis=0)
        self.running_mean = (1 - m) * self.running_mean + m * mean
        self.running_var = (1 - m) * self.running_var + m * var * (n / max(n - 1, 1))
        return self.normalize(x, mean, var)


class LayerNorm(_Normalization):
    """Normalize each sample over its neurons; the same in training and evaluation."""

    name = "LayerNorm"
    axis = 1

    def forward(self, x, train=False):
        return self.normalize(x, x.mean(axis=1, keepdims=True), x.var(axis=1, keepdims=True))


class L2Norm(Layer):
    """Project each sample onto the unit sphere: y = x / max(|x|, eps) (``F.normalize``)."""

    name = "L2-normalization"

    def __init__(self, eps: float = 1e-12):
        super().__init__()
        self.eps = eps

    def forward(self, x, train=False):
        self.norm = np.maximum(np.sqrt((x * x).sum(axis=1, keepdims=True)), self.eps)
        self.y = x / self.norm
        return self.y

    def backward(self, dout):
        # d(x/|x|) = (I - y y^T) / |x|; where the eps clamp is active the map is x / eps.
        clamped = self.norm <= self.eps
        radial = np.where(clamped, 0.0, (dout * self.y).sum(axis=1, keepdims=True))
        return (dout - self.y * radial) / self.norm


class Dropout(Layer):
    """Inverted dropout: while training, each output is zeroed with probability ``p`` and the
    survivors are scaled by 1 / (1 - p), so that outside training (every metric and every
    view) the layer is the identity, with nothing to rescale. ``rng`` draws the masks."""

    name = "dropout"

    def __init__(self, p: float, rng):
        super().__init__()
        self.p, self.rng = p, rng
        self.mask = None

    def forward(self, x, train=False):
        if not train or self.p == 0.0:
            self.mask = None
            return x
        self.mask = (self.rng.random(x.shape) >= self.p) / (1.0 - self.p)
        return x * self.mask

    def backward(self, dout):
        return dout if self.mask is None else dout * self.mask

