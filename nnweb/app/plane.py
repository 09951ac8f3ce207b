"""The input plane: a regular grid of points of [-DOMAIN, DOMAIN]^2 and its network inputs."""
from __future__ import annotations

import numpy as np

from ..engine import DOMAIN, ONE_D, DataSpec, apply_features


def plane_grid(n: int) -> np.ndarray:
    """(n*n, 2) points, row-major from the bottom-left corner (image_rgba's row order)."""
    ticks = np.linspace(-DOMAIN, DOMAIN, n)
    xx, yy = np.meshgrid(ticks, ticks)
    return np.stack([xx.ravel(), yy.ravel()], axis=1)


def has_plane(data: DataSpec) -> bool:
    """Digits have 64 inputs: there is no input plane to paint."""
    return data.dataset != "digits"


def is_2d(data: DataSpec) -> bool:
    """Data with two coordinates a person can point at: not the digits (64 inputs) and not
    1-D data (its points lie on the x1 axis). Drawing, test points and discretizing are
    offered only for it."""
    return has_plane(data) and data.dataset not in ONE_D


def plane_inputs(data: DataSpec, points: np.ndarray) -> np.ndarray:
    return apply_features(data.features, points)
