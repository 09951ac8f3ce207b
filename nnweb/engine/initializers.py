"""Initial weights and biases, drawn from one seeded ``np.random.Generator``.

The fan-in/fan-out formulas are PyTorch's (``torch.nn.init``) so that a student's
reading of "He normal" or "Glorot uniform" means the same thing here.
"""
from __future__ import annotations

import numpy as np


def init_weights(name: str, fan_in: int, fan_out: int, rng: np.random.Generator,
                 scale: float = 0.5) -> np.ndarray:
    """A (fan_in, fan_out) weight matrix; ``scale`` is a for uniform(-a, a), s for normal(0, s)."""
    shape = (fan_in, fan_out)
    if name == "zeros":
        return np.zeros(shape)
    if name == "uniform":
        return rng.uniform(-scale, scale, shape)
    if name == "normal":
        return rng.normal(0.0, scale, shape)
    if name == "glorot_uniform":
        a = np.sqrt(6.0 / (fan_in + fan_out))
        return rng.uniform(-a, a, shape)
    if name == "glorot_normal":
        return rng.normal(0.0, np.sqrt(2.0 / (fan_in + fan_out)), shape)
    if name == "he_uniform":
        a = np.sqrt(6.0 / fan_in)
        return rng.uniform(-a, a, shape)
    if name == "he_normal":
        return rng.normal(0.0, np.sqrt(2.0 / fan_in), shape)
    if name == "lecun_normal":
        return rng.normal(0.0, np.sqrt(1.0 / fan_in), shape)
    raise ValueError(f"weight_init: unknown initializer {name!r}")


def init_bias(name: str, size: int, rng: np.random.Generator, scale: float = 0.1) -> np.ndarray:
    """Biases: zeros, a constant ``scale``, uniform(-scale, scale) or normal(0, scale)."""
    if name == "zeros":
        return np.zeros(size)
    if name == "constant":
        return np.full(size, float(scale))
    if name == "uniform":
        return rng.uniform(-abs(scale), abs(scale), size)
    if name == "normal":
        return rng.normal(0.0, abs(scale), size)
    raise ValueError(f"bias_init: unknown initializer {name!r}")
