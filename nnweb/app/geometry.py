"""Pure geometry for the layer-space views: grid lines, projections, rotation, morphing.

Everything here maps arrays to arrays (no Panel, no Bokeh), so each view's data is
tested in CPython: lines of the input plane, a representation reduced to 2 or 3 axes
(chosen neurons or PCA), a 3D rotation, and the interpolation that animates the data
from one layer to the next.
"""
from __future__ import annotations

import numpy as np


def grid_lines(n_lines: int, samples: int, domain: float) -> np.ndarray:
    """Points of ``n_lines`` vertical and ``n_lines`` horizontal lines of [-domain, domain]^2,
    ``samples`` points per line: shape (2 * n_lines, samples, 2)."""
    at = np.linspace(-domain, domain, n_lines)
    along = np.linspace(-domain, domain, samples)
    vertical = np.stack(np.broadcast_arrays(at[:, None], along[None, :]), axis=-1)
    horizontal = vertical[..., ::-1]
    return np.concatenate([vertical, horizontal])


def polylines(xy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(lines, samples, 2) -> flat x and y with a NaN between lines: Bokeh draws all the
    lines as one glyph, and the columns travel as two binary arrays."""
    lines = np.concatenate([xy, np.full((xy.shape[0], 1, 2), np.nan)], axis=1).reshape(-1, 2)
    return lines[:, 0], lines[:, 1]


def nan_separated(pieces: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Polylines or polygons of any lengths, [(m, 2)], -> flat x and y with a NaN after each:
    one Bokeh line or patch glyph draws them all (its NaNs end a piece)."""
    if not pieces:
        return np.zeros(0), np.zeros(0)
    flat = np.concatenate([np.concatenate([p, np.full((1, 2), np.nan)]) for p in pieces])
    return flat[:, 0], flat[:, 1]


def _svd(x: np.ndarray):
    """``np.linalg.svd(x, full_matrices=False)``, or None where it cannot be computed: LAPACK
    raises on NaN or infinity (a network blowing up), and the views must still draw."""
    if not np.isfinite(x).all():
        return None
    try:
        with np.errstate(all="ignore"):
            return np.linalg.svd(x, full_matrices=False)
    except np.linalg.LinAlgError:
        return None


class PCA:
    """Principal axes of a point set; signs fixed so the largest loading is positive. Points
    that are not finite are left out of the fit; with too few left (or values too large for
    the decomposition) the axes are the first neurons, explaining nothing."""

    def __init__(self, x: np.ndarray, k: int):
        x = x[np.isfinite(x).all(axis=1)]
        self.mean = x.mean(axis=0) if len(x) else np.zeros(x.shape[1])
        found = _svd(x - self.mean)
        if found is None or len(found[2]) < min(k, x.shape[1]):  # too few finite points for k axes
            self.mean = np.zeros(x.shape[1])
            found = (None, np.zeros(min(x.shape[1], k)), np.eye(x.shape[1])[:k])
        _, s, vt = found
        k = min(k, vt.shape[0])
        comps = vt[:k]
        signs = np.sign(comps[np.arange(k), np.abs(comps).argmax(axis=1)])
        self.components = comps * np.where(signs == 0, 1, signs)[:, None]  # (k, d)
        var = s ** 2
        self.explained = var[:k] / var.sum() if var.sum() > 0 else np.zeros(k)

    def transform(self, x: np.ndarray) -> np.ndarray:
        return (x - self.mean) @ self.components.T


def pad_axes(x: np.ndarray, k: int) -> np.ndarray:
    """Give a representation narrower than ``k`` zero columns, so it can be drawn in k axes."""
    return x if x.shape[1] >= k else np.concatenate([x, np.zeros((len(x), k - x.shape[1]))], axis=1)


def rotate(xyz: np.ndarray, azimuth: float, elevation: float) -> np.ndarray:
    """Orthographic view of 3D points: turn by ``azimuth`` around the vertical axis, tilt by
    ``elevation`` (degrees); returns (N, 3) screen x, screen y and depth (larger = nearer)."""
    a, e = np.radians(azimuth), np.radians(elevation)
    turn = np.array([[np.cos(a), 0, -np.sin(a)], [0, 1, 0], [np.sin(a), 0, np.cos(a)]])
    tilt = np.array([[1, 0, 0], [0, np.cos(e), np.sin(e)], [0, -np.sin(e), np.cos(e)]])
    # data axes (x, y, z) -> camera axes: z is "up" in the data, y on screen
    up = xyz[:, [0, 2, 1]]
    return up @ turn.T @ tilt.T


def alignment(reference: np.ndarray, moving: np.ndarray) -> np.ndarray:
    """The rotation/reflection R (k, k) that makes ``moving @ R`` best match ``reference``
    (orthogonal Procrustes): consecutive PCA views would otherwise flip and spin between
    layers in the morph. Distances are kept: only the viewpoint changes."""
    with np.errstate(all="ignore"):
        found = _svd(moving.T @ reference)
    if found is None:  # not finite: keep the viewpoint
        return np.eye(moving.shape[1])
    u, _, vt = found
    return u @ vt


def morph(stages: list[np.ndarray], t: float) -> np.ndarray:
    """Positions at ``t`` in [0, 1] along stages[0] -> stages[-1], linear between stages."""
    t = float(np.clip(t, 0.0, 1.0)) * (len(stages) - 1)
    k = min(int(t), len(stages) - 2) if len(stages) > 1 else 0
    if len(stages) == 1:
        return stages[0]
    f = t - k
    return stages[k] * (1 - f) + stages[k + 1] * f


def projector(fit: np.ndarray, k: int, mode: str = "neurons", neurons=(0, 1, 2)):
    """How to show a representation in ``k`` axes: (function of (N, width) arrays, axis labels).

    ``mode`` "pca" fits principal axes on ``fit`` (the data points' representation) when the
    layer is wider than ``k``; otherwise the chosen neurons are the axes (padded with zero
    axes for narrower layers). Labels say which neuron, or how much variance a PC explains.
    """
    width = fit.shape[1]
    if mode == "pca" and width > k:
        p = PCA(fit, k)
        return p.transform, [f"PC{i + 1} ({100 * e:.0f}% of variance)" for i, e in enumerate(p.explained)]
    chosen = list(dict.fromkeys(int(n) for n in neurons[:k] if 0 <= int(n) < width))  # no axis twice
    for n in range(width):  # fill in distinct neurons when too few valid ones were chosen
        if len(chosen) >= min(k, width):
            break
        if n not in chosen:
            chosen.append(n)
    labels = [f"neuron {n + 1}" for n in chosen] + ["(layer has no more neurons)"] * (k - len(chosen))
    return (lambda x: pad_axes(x[:, chosen], k)), labels


def fitted_extent(points: np.ndarray, pad: float = 0.08) -> np.ndarray:
    """(k, 2) [low, high] per axis that frames ``points`` (N, k) with ``pad`` of margin: the
    true-coordinate morph fits its axes to each stage and animates between these (``morph``
    of the extents), so the ranges move smoothly while the points stay where they are.
    Non-finite points are left out; a flat axis (a padded one, or all points equal) gets the
    half-width of the widest axis (or 1), so it is drawn, not divided by zero."""
    finite = points[np.isfinite(points).all(axis=1)] if len(points) else points
    if not len(finite):
        return np.tile([-1.0, 1.0], (points.shape[1], 1))
    low, high = finite.min(axis=0), finite.max(axis=0)
    half = (high - low) / 2
    flat = half <= 1e-12 * np.maximum(1.0, np.abs(low))
    half = np.where(flat, half.max() if (~flat).any() else 1.0, half) * (1 + pad)
    middle = (low + high) / 2
    return np.stack([middle - half, middle + half], axis=1)
