"""Small multiples: many little layer-space plots drawn in one figure, each in its own square.

The "Layers" tab shows every representation of the network at once (and, in its checkpoint
grid, at several moments of training). One Bokeh figure holds all of them: each small plot
is fitted into a square cell of the figure's own coordinates, so the page gets one canvas and
one update per frame for the lines and one for the points, however many layers there are
(ten small figures would be ten canvases and twenty updates). Everything here maps arrays to
arrays and is tested in CPython; ``views/layers_row.py`` only puts the columns into sources.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .geometry import projector

MAX_POINTS = 250      # data points drawn per small plot (every k-th beyond that)
FIT_POINTS = 500      # points a small plot's PCA is fitted on: the 8 x 128 net's SVDs stay small
MAX_LINES = 11        # grid lines per direction in a small plot (more would be a grey blur)
LINE_SAMPLES = 40     # points per grid line in a small plot
SIDE = 0.9            # a cell is 1 x 1 (plus its title strip); the plot inside is SIDE x SIDE
PAD = (1 - SIDE) / 2
LIVE_COLUMNS = 4      # the live row wraps after this many plots
TEXT_PX = 16          # height of a caption strip, in pixels
LABEL_PX = 50         # width of the checkpoint grid's row labels, in pixels


def _stride(n: int, most: int) -> slice:
    return slice(None, None, max(1, -(-n // most)))


def principal_axes(fit: np.ndarray, k: int = 2):
    """``geometry.projector``'s PCA for a wide layer, from the eigenvectors of the (width x
    width) covariance instead of an SVD of the points: the same axes, signs fixed the same
    way (largest loading positive), but ~8x cheaper for 500 points of 128 neurons (24 -> 3 ms
    in CPython, one BLAS thread), which a row of eight such plots pays every frame. Falls back
    to ``projector`` (which copes with what cannot be decomposed) when the points are not
    finite or too few."""
    x = np.asarray(fit, dtype=float)
    if len(x) <= k or not np.isfinite(x).all():
        return projector(fit, k, "pca")[0]
    mean = x.mean(axis=0)
    with np.errstate(all="ignore"):
        cov = (x - mean).T @ (x - mean)
    if not np.isfinite(cov).all():
        return projector(fit, k, "pca")[0]
    comps = np.linalg.eigh(cov)[1][:, ::-1][:, :k].T  # (k, width), largest variance first
    signs = np.sign(comps[np.arange(k), np.abs(comps).argmax(axis=1)])
    comps = comps * np.where(signs == 0, 1, signs)[:, None]
    return lambda z: (z - mean) @ comps.T


def small_plot(scene, layer: str, show_test: bool = False, project=None) -> dict:
    """One small plot of ``layer``: points (n, 2), lines (L, S, 2) or None, the label index of
    each point in ``scene.labels``, how the axes were chosen ("pca" for layers wider than 2,
    else the neurons themselves, as the morph does) and the projection itself (``project``
    given: those axes, fitted on an earlier frame; the plot is re-centred and scaled anyway).
    Only some points and lines are kept: the plot is ~110 px wide."""
    reps = scene.data_reps[layer]
    width = reps.shape[1]
    mode = "pca" if width > 2 else "neurons"
    if project is None:
        fit = reps[_stride(len(reps), FIT_POINTS)]
        project = principal_axes(fit) if mode == "pca" else projector(fit, 2, mode, (0, 1))[0]
    shown = np.flatnonzero(scene.is_train | show_test)[_stride(int((scene.is_train | show_test).sum()), MAX_POINTS)]
    lines = None
    if scene.has_plane and scene.line_reps[layer].size:
        raw = scene.line_reps[layer]  # (2 n, samples, width): n vertical lines, then n horizontal
        n = raw.shape[0] // 2
        keep = np.arange(n)[_stride(n, MAX_LINES)]
        samples = np.unique(np.r_[np.arange(raw.shape[1])[_stride(raw.shape[1], LINE_SAMPLES)], raw.shape[1] - 1])
        raw = raw[np.r_[keep, n + keep]][:, samples]
        lines = project(raw.reshape(-1, width)).reshape(raw.shape[:2] + (2,))
    return {"points": project(reps[shown]), "lines": lines, "shown": shown, "mode": mode, "width": width,
            "project": project}


@dataclass
class Fit:
    """How a plot's coordinates map into its cell: ``(p - center) * scale + origin``."""
    center: np.ndarray
    scale: float
    origin: np.ndarray  # where ``center`` lands: the middle of the cell's square

    def apply(self, p: np.ndarray) -> np.ndarray:
        return (p - self.center) * self.scale + self.origin


def fit_into(plot: dict, x0: float, y0: float, side: float = SIDE) -> Fit:
    """The map that puts ``plot`` (points and lines) into the square at (x0, y0): same scale on
    both axes, so the plot keeps its shape (a circle stays a circle, a flat layer is flat).
    Values that are not finite (a network blowing up) are left out of the fit."""
    parts = [plot["points"].reshape(-1, 2)]
    if plot["lines"] is not None:
        parts.append(plot["lines"].reshape(-1, 2))
    xy = np.concatenate(parts)
    xy = xy[np.isfinite(xy).all(axis=1)]
    origin = np.array([x0 + side / 2, y0 + side / 2])
    if not len(xy):
        return Fit(np.zeros(2), 1.0, origin)
    low, high = xy.min(axis=0), xy.max(axis=0)
    extent = float((high - low).max())
    scale = side / extent if extent > 0 and np.isfinite(extent) else 1.0
    return Fit((low + high) / 2, scale, origin)


@dataclass
class Layout:
    """Where the cells of a grid of small plots are, in the figure's units; and its captions."""
    boxes: list[tuple[float, float]]            # lower-left corner of each cell's square
    width: float                                # figure extent in units: x from 0, y from -height
    height: float
    texts: dict = field(default_factory=lambda: {"x": [], "y": [], "text": [], "align": []})

    def pixels_high(self, pixels_wide: int) -> int:
        return int(round(pixels_wide * self.height / self.width))

    def cell_at(self, x: float, y: float) -> int | None:
        """Index of the cell whose square holds (x, y), if any (a click between cells: none)."""
        for i, (x0, y0) in enumerate(self.boxes):
            if x0 <= x <= x0 + SIDE and y0 <= y <= y0 + SIDE:
                return i
        return None


def _caption(texts: dict, x: float, y: float, text: str, align: str = "center") -> None:
    texts["x"].append(x), texts["y"].append(y), texts["text"].append(text), texts["align"].append(align)


def row_layout(titles: list[str], pixels_wide: int, columns: int = LIVE_COLUMNS) -> Layout:
    """Plots side by side, ``columns`` to a row, each with its title above it."""
    columns = max(1, min(columns, len(titles)))
    title = TEXT_PX * columns / pixels_wide  # the title strip, in units
    rows = -(-len(titles) // columns)
    layout = Layout([], columns, rows * (1 + title))
    for i, text in enumerate(titles):
        r, c = divmod(i, columns)
        top = -r * (1 + title)
        layout.boxes.append((c + PAD, top - title - 1 + PAD))
        _caption(layout.texts, c + 0.5, top - title / 2, text)
    return layout


def grid_layout(column_titles: list[str], row_titles: list[str], pixels_wide: int) -> Layout:
    """Rows x columns of plots: a header above each column, a label left of each row."""
    columns, rows = len(column_titles), len(row_titles)
    label = LABEL_PX * columns / (pixels_wide - LABEL_PX)  # so that it stays LABEL_PX wide
    header = TEXT_PX * (columns + label) / pixels_wide
    layout = Layout([], label + columns, header + rows)
    for c, text in enumerate(column_titles):
        _caption(layout.texts, label + c + 0.5, -header / 2, text)
    for r, text in enumerate(row_titles):
        _caption(layout.texts, label / 2, -header - r - 0.5, text)
        layout.boxes += [(label + c + PAD, -header - r - 1 + PAD) for c in range(columns)]
    return layout


def checkpoint_rows(n: int, rows: int = 5) -> list[int]:
    """Which of ``n`` checkpoints make the grid's rows: the first, early, middle, late and the
    newest (fewer when there are fewer checkpoints). History keeps its checkpoints spread
    evenly over training, so a fraction of the list is about that fraction of the time;
    "early" is at an eighth, where most of the change is."""
    if n <= 0:
        return []
    fractions = (0, 1 / 8, 1 / 2, 3 / 4, 1)[:rows] if rows <= 5 else np.linspace(0, 1, rows)
    chosen = sorted({int(round(f * (n - 1))) for f in fractions} | {n - 1})
    return chosen


def compose(plots: list[dict], layout: Layout, colors: np.ndarray) -> tuple[dict, dict, list[Fit]]:
    """The figure's columns: all lines (one NaN-separated polyline), all points with their
    colours (``colors`` per label index: ``plots[i]["shown"]`` picks from it), and each
    plot's ``Fit``."""
    xs, ys, px, py, pc, fits = [], [], [], [], [], []
    for plot, (x0, y0) in zip(plots, layout.boxes):
        fit = fit_into(plot, x0, y0)
        fits.append(fit)
        points = fit.apply(plot["points"])
        px.append(points[:, 0]), py.append(points[:, 1]), pc.append(colors[plot["shown"]])
        if plot["lines"] is not None:
            lines = fit.apply(plot["lines"])
            lines = np.concatenate([lines, np.full((lines.shape[0], 1, 2), np.nan)], axis=1).reshape(-1, 2)
            xs.append(lines[:, 0]), ys.append(lines[:, 1])
    joined = (lambda parts: np.concatenate(parts).astype(np.float32) if parts else np.zeros(0, np.float32))
    lines = {"x": joined(xs), "y": joined(ys)}
    points = {"x": joined(px), "y": joined(py),
              "color": np.concatenate(pc) if pc else np.zeros((0, 4), np.uint8)}
    return lines, points, fits
