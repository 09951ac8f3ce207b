"""Everything the views draw in one frame, from a single vectorised forward pass.

The plane grid (decision boundary, layer-space background, neuron thumbnails), the input
plane's grid lines and the data points are concatenated, sent through the network once,
and split back by name. Views only slice a ``Scene``; none of them runs the network. A
large network gets a smaller scene (``frame_work.scene_size``): ``resolution`` grid points
per side, fewer samples per line, and ``points`` / ``labels`` / ``data_reps`` for every
``size.data_step``-th data point.
"""
from __future__ import annotations

import numpy as np

from ..engine import DOMAIN, ONE_D, Data, DataSpec, Network
from .frame_work import Spread, point_cost, scene_size
from .geometry import grid_lines
from .plane import has_plane, plane_grid, plane_inputs

RESOLUTION = 100       # boundary image, cells per side (at most: see frame_work)
CLOUD_STEP = 4         # every 4th grid point of 100 colours the layer-space background (25 x 25)
THUMB_STEP = 5         # every 5th grid point of 100 makes a neuron thumbnail (20 x 20)
AXIS_SAMPLES = 61      # 1-D data: inputs along x1 whose paths the 1D view draws


def _finite(reps: dict) -> bool:
    """A sum is non-finite if any term is (inf - inf = nan): one pass, no boolean array."""
    return all(np.isfinite(v.sum()) for v in reps.values())


class Scene:
    def __init__(self, network: Network, spec: DataSpec, data: Data, n_lines: int = 11, scale: float = 1.0,
                 deferred: bool = False):
        """``scale`` multiplies the frame budget the scene is sized to (``scene_size``);
        ``deferred``: the network pass is left to the caller, who sends ``self.inputs``
        through it (in float32, in pieces over several frames if it likes) and hands the
        representations to ``finish``."""
        self.names = network.representation_names()
        self.kind = spec.kind
        # The output layer as this scene saw it (the network's weights move on while a large
        # scene is computed over several frames): decision boundaries are drawn from these,
        # exact in ``feeds_output``, the representation the output layer reads.
        readout = network.linear_layers()[-1]
        self.head = network.spec.head
        self.output_weight, self.output_bias = readout.params["W"].copy(), readout.params["b"].copy()
        self.feeds_output = self.names[-3]
        self.has_plane = has_plane(spec)
        n_data = len(data.x_train) + len(data.x_test)
        self.size = size = scene_size(point_cost(network), n_data, n_lines, self.has_plane, scale)
        self.resolution = size.resolution
        shown = slice(None, None, size.data_step)
        self.points = np.concatenate([data.points_train, data.points_test])[shown]
        self.labels = np.concatenate([data.y_train, data.y_test])[shown]
        self.is_train = (np.arange(n_data) < len(data.points_train))[shown]
        x_data = np.concatenate([data.x_train, data.x_test])[shown]
        self.one_d = spec.dataset in ONE_D
        ticks = np.linspace(-DOMAIN, DOMAIN, AXIS_SAMPLES if self.one_d else 0)
        self.axis = np.stack([ticks, np.zeros_like(ticks)], axis=1)
        if self.has_plane:
            self.plane = plane_grid(size.resolution)
            self.lines = grid_lines(n_lines, size.line_samples, DOMAIN)
            inputs = np.concatenate([plane_inputs(spec, self.plane),
                                     plane_inputs(spec, self.lines.reshape(-1, 2)),
                                     plane_inputs(spec, self.axis), x_data])
        else:
            self.plane = np.zeros((0, 2))
            self.lines = np.zeros((0, size.line_samples, 2))
            inputs = x_data
        self.inputs, self._network = inputs, network
        if not deferred:
            with np.errstate(all="ignore"):  # float32: pixels need no more, and it is twice as fast
                self.finish(network.representations(inputs.astype(np.float32)))

    def finish(self, reps: dict) -> None:
        """Take the float32 representations of ``self.inputs`` and split them by name."""
        with np.errstate(all="ignore"):
            self.finite = _finite(reps)
            if not self.finite:  # beyond float32's range (a run blowing up): float64 again
                reps = self._network.representations(self.inputs)
                self.finite = _finite(reps)
        sizes = [len(self.plane), self.lines.shape[0] * self.lines.shape[1], len(self.axis) * self.has_plane]
        ends = np.cumsum(sizes)
        self.plane_reps = {k: v[:ends[0]] for k, v in reps.items()}
        self.line_reps = {k: v[ends[0]:ends[1]].reshape(self.lines.shape[:2] + v.shape[1:]) for k, v in reps.items()}
        self.axis_reps = {k: v[ends[1]:ends[2]] for k, v in reps.items()}
        self.data_reps = {k: v[ends[2]:] for k, v in reps.items()}

    def plane_subgrid(self, step: int) -> np.ndarray:
        """Row indices of every ``step``-th grid point of a 100-point grid in both directions
        (a coarser grid), scaled to this scene's grid: about the same number of points when
        the grid is finer than that, all of it when not. Its side is ``sqrt(len)``."""
        step = max(1, round(step * self.resolution / RESOLUTION))
        idx = np.arange(0, self.resolution, step)
        return (idx[:, None] * self.resolution + idx[None, :]).ravel()

    def predicted_class(self, output: np.ndarray) -> np.ndarray:
        """Class index (classification) from the head's output."""
        return (output[:, 0] > 0.5).astype(int) if output.shape[1] == 1 else output.argmax(axis=1)


class SceneInPieces:
    """A scene whose network pass is done ``rows`` inputs at a time (``frame_work.Spread``), for
    scenes drawn besides the frame's own (the Layers tab's checkpoints): ``advance`` does the
    next rows and returns the finished ``Scene`` after the last, else None."""

    def __init__(self, network: Network, spec: DataSpec, data: Data, n_lines: int, scale: float, rows: int):
        self.scene = Scene(network, spec, data, n_lines, scale, deferred=True)
        self._spread = Spread(lambda x: network.representations(x.astype(np.float32)), self.scene.inputs, rows)

    def advance(self) -> Scene | None:
        if not self._spread.advance():
            return None
        self.scene.finish(self._spread.result())
        return self.scene
