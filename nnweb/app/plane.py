"""The input plane: a regular grid of points of [-DOMAIN, DOMAIN]^2 and its network inputs."""
from __future__ import annotations

import numpy as np

from ..engine import DOMAIN, DataSpec, apply_features


def plane_grid(n: int) -> np.ndarray:
    """(n*n, 2) points, row-major from the bottom-left corner (image_rgba's row order)."""
    ticks = np.linspace(-DOMAIN, DOMAIN, n)
    xx, yy = np.meshgrid(ticks, ticks)
    return np.stack([xx.ravel(), yy.ravel()], axis=1)


def has_plane(data: DataSpec) -> bool:
    """Digits have 64 inputs: there is no input plane to paint."""
    return data.dataset != "digits"


def plane_inputs(data: DataSpec, points: np.ndarray) -> np.ndarray:
    return apply_features(data.features, points)
