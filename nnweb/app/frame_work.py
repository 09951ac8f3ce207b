"""How many points one frame may send through the network, from its cost per point.

After training, a frame evaluates the network twice: the metrics (every data point, for the
status line and history) and the scene the views draw (a 100 x 100 plane grid, the grid
lines and the data points: 13,760 points for 2,000 points of data). That costs points x
multiply-adds per point: ~20 for the default 2-4-2-1 net, ~119,000 for 8 layers of 128.
Measured in CPython (one BLAS thread) for 8 x 128, 2,000 points: scene 62 ms, metrics 11 ms
a frame (training 10 ms, the views' own work ~20 ms), about 2 s a frame in the built site, and
Pause waited for the frame. So a frame's evaluation is held to ``FRAME_MACS``: a scene
that does not fit ``SCENE_FRAMES`` frames shrinks (coarser grid, fewer samples per grid line, every k-th data point
in the layer views; the boundary view still shows every point), and when metrics and scene
together do not fit, both are spread over frames (``Spread``: so many rows a frame, on a
copy of the weights) and take turns. Small networks fit whole and go on as before.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

# The old 8 x 128 frame sent 1.8 x 10^9 multiply-adds through the network (counted in
# tests/test_frame_work.py) and took ~2.1 s in the built site: ~0.9 x 10^9 a second, so this
# is ~70 ms there (Pyodide's NumPy has no optimised BLAS; CPython did the old frame in ~100 ms)
FRAME_MACS = 60e6
SCENE_FRAMES = 4  # a spread-out scene is sized to this many frames' budget
GRID_SIDES = (100, 50, 25, 20, 10)  # plane grid, points per side: the largest that fits
LINE_SAMPLES = (80, 40, 20, 10)     # points per grid line: the largest that fits


def point_cost(network) -> int:
    """Multiply-adds to take one point through ``network``: its weights, plus a few per neuron
    (bias, activation, normalization)."""
    return sum(layer.params["W"].size + 4 * layer.params["b"].size for layer in network.linear_layers())


@dataclass(frozen=True)
class SceneSize:
    resolution: int    # plane grid side
    line_samples: int  # points per grid line
    data_step: int     # every data_step-th data point goes through the network

    def points(self, n_data: int, n_lines: int, has_plane: bool = True) -> int:
        data = len(range(0, n_data, self.data_step))
        return data + has_plane * (self.resolution ** 2 + 2 * n_lines * self.line_samples)


FULL = SceneSize(GRID_SIDES[0], LINE_SAMPLES[0], 1)


def scene_size(cost: int, n_data: int, n_lines: int, has_plane: bool = True, scale: float = 1.0) -> SceneSize:
    """The full scene if it fits ``scale`` x ``FRAME_MACS``; else half of that for the data
    (every k-th point) and the rest for the grid (the larger share) and the lines."""
    budget = scale * FRAME_MACS / max(cost, 1)  # points
    if FULL.points(n_data, n_lines, has_plane) <= budget:
        return FULL
    step = max(1, math.ceil(n_data / (budget / 2))) if has_plane else max(1, math.ceil(n_data / budget))
    left = budget - len(range(0, n_data, step))
    side = next((s for s in GRID_SIDES if s * s <= 0.6 * left), GRID_SIDES[-1])
    left -= side * side
    samples = next((k for k in LINE_SAMPLES if 2 * n_lines * k <= left), LINE_SAMPLES[-1])
    return SceneSize(side, samples, step)


def spread_out(cost: int, n_data: int, n_lines: int, has_plane: bool = True) -> bool:
    """Whether metrics and scene together exceed a frame, so they are spread over frames."""
    scene = scene_size(cost, n_data, n_lines, has_plane).points(n_data, n_lines, has_plane)
    return (scene + n_data) * cost > FRAME_MACS


def rows_per_frame(cost: int) -> int:
    return max(1, int(FRAME_MACS / max(cost, 1)))


class Spread:
    """One network pass ``f`` over ``inputs``, ``rows`` rows a frame: ``advance`` does the
    next rows and says whether that was the last; ``result`` then joins the pieces (arrays,
    or dicts of arrays by name). ``f`` should run on a copy of the weights taken when the
    pass began, so the pieces all describe one network while training goes on."""

    def __init__(self, f, inputs: np.ndarray, rows: int):
        self.f, self.inputs, self.rows = f, inputs, max(1, rows)
        self.done, self.parts = 0, []

    def advance(self) -> bool:
        piece = self.inputs[self.done:self.done + self.rows]
        with np.errstate(all="ignore"):
            self.parts.append(self.f(piece))
        self.done += len(piece)
        return self.done >= len(self.inputs)

    def result(self):
        if isinstance(self.parts[0], dict):
            return {k: np.concatenate([p[k] for p in self.parts]) for k in self.parts[0]}
        return np.concatenate(self.parts)
