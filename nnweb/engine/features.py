"""Input features: what the network sees of a point (x1, x2) of the plane.

TensorFlow Playground's seven features. They are applied to data points and to every
point of the input-plane grid alike, so the views always show the plane (x1, x2)
whatever the network is fed.
"""
from __future__ import annotations

import numpy as np

FEATURES = {
    "x1": lambda x1, x2: x1,
    "x2": lambda x1, x2: x2,
    "x1^2": lambda x1, x2: x1 * x1,
    "x2^2": lambda x1, x2: x2 * x2,
    "x1*x2": lambda x1, x2: x1 * x2,
    "sin(x1)": lambda x1, x2: np.sin(x1),
    "sin(x2)": lambda x1, x2: np.sin(x2),
}


def check_features(names) -> tuple[str, ...]:
    names = tuple(names)
    if not names:
        raise ValueError("features: choose at least one input feature")
    for name in names:
        if name not in FEATURES:
            raise ValueError(f"features: {name!r} is not one of {', '.join(FEATURES)}")
    if len(set(names)) != len(names):
        raise ValueError("features: a feature is listed twice")
    return names


def apply_features(names, points: np.ndarray) -> np.ndarray:
    """(N, 2) points of the plane -> (N, len(names)) network inputs."""
    x1, x2 = points[:, 0], points[:, 1]
    return np.stack([FEATURES[name](x1, x2) for name in names], axis=1)
