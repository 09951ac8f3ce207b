"""Colours: class palettes and lookup tables that turn predictions into RGBA images.

No per-pixel Python: predictions are quantised to table indices and the table lookup
is one NumPy take. Images are uint32 RGBA (Bokeh's ``image_rgba``), little-endian.
Colour columns of glyphs are (n, 4) uint8 RGBA arrays, not lists of colour names: BokehJS
takes them as they are, and they travel to the page as one binary buffer instead of n
strings encoded one by one (which cost more than the rest of a frame in the browser).
A value that is not a number (NaN, infinity: a network blowing up) is drawn in NEUTRAL,
never used to compute a table index (NaN cast to an index is -2**31 in Pyodide).
"""
from __future__ import annotations

import functools

import numpy as np

# Playground orange / blue for the two classes; then well-separated hues for up to 10.
CLASS_COLORS = ["#f59322", "#0877bd", "#2ca02c", "#d62728", "#9467bd",
                "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]
CLASS_COLOR_NAMES = ["Orange", "Blue", "Green", "Red", "Purple", "Brown", "Pink", "Grey", "Olive", "Cyan"]
LEVELS = 64
NEUTRAL = "#9e9e9e"  # mid grey: not a class colour and not the white of "zero" or "unsure"


def class_names(dataset: str, k: int) -> list[str]:
    """Human names of ``k`` classes: the digits by their digit (label 3 is a drawn 3), other data
    by the colour they are drawn in (as the draw tool names them), which is all a class is there."""
    if dataset == "digits":
        return [str(i) for i in range(k)]
    return [CLASS_COLOR_NAMES[i % len(CLASS_COLOR_NAMES)] for i in range(k)]


def hex_to_rgb(color: str) -> np.ndarray:
    return np.array([int(color[i:i + 2], 16) for i in (1, 3, 5)], dtype=float)


def rgba_rows(colors: list[str]) -> np.ndarray:
    """'#rrggbb' names -> (n, 4) uint8 opaque RGBA rows."""
    return np.array([[*hex_to_rgb(c), 255] for c in colors], dtype=np.uint8).reshape(-1, 4)


CLASS_RGBA = rgba_rows(CLASS_COLORS)
NEUTRAL_RGBA = rgba_rows([NEUTRAL])[0]


def _not_finite(values: np.ndarray) -> np.ndarray:
    """Where ``values`` are not finite numbers (ints always are)."""
    return ~np.isfinite(values) if values.dtype.kind in "fc" else np.zeros(values.shape, dtype=bool)


def point_colors(kind: str, labels: np.ndarray) -> np.ndarray:
    """(n, 4) RGBA per point: its class colour; regression targets orange below 0, blue above."""
    labels = np.asarray(labels)
    bad = _not_finite(labels)
    if kind == "classification":
        index = np.where(bad, 0, labels).astype(int) % len(CLASS_COLORS)
    else:
        index = (labels > 0).astype(int)
    return np.where(bad[:, None], NEUTRAL_RGBA, CLASS_RGBA[index])


def sign_colors(values: np.ndarray) -> np.ndarray:
    """(n, 4) RGBA: blue for values >= 0, orange below (weights in the network diagram)."""
    values = np.asarray(values)
    return np.where(_not_finite(values)[:, None], NEUTRAL_RGBA, CLASS_RGBA[(values >= 0).astype(int)])


def pack_rgba(rgb: np.ndarray, alpha: int = 255) -> np.ndarray:
    """(..., 3) floats in 0..255 -> uint32 RGBA."""
    c = np.clip(np.rint(rgb), 0, 255).astype(np.uint32)
    return c[..., 0] | (c[..., 1] << 8) | (c[..., 2] << 16) | np.uint32(alpha << 24)


def _ramp(color: str, levels: int = LEVELS, faintest: float = 0.06, strongest: float = 0.6) -> np.ndarray:
    """``levels`` colours from almost white (no confidence) to a tint of ``color`` (full
    confidence): never the full colour, so the data points drawn on top stay visible."""
    t = np.linspace(faintest, strongest, levels)[:, None]
    return pack_rgba(255.0 * (1 - t) + hex_to_rgb(color) * t)


@functools.lru_cache(maxsize=None)
def class_table(n_classes: int) -> np.ndarray:
    """(n_classes, LEVELS) uint32: row = class, column = confidence level."""
    return np.stack([_ramp(c) for c in CLASS_COLORS[:n_classes]])


def classification_image(probabilities: np.ndarray, n: int, discretize: bool = False) -> np.ndarray:
    """(n*n, 1) sigmoid or (n*n, k) softmax outputs -> (n, n) uint32 image."""
    if probabilities.shape[1] == 1:
        p1 = probabilities[:, 0]
        probabilities = np.stack([1 - p1, p1], axis=1)
    k = probabilities.shape[1]
    bad = _not_finite(probabilities).any(axis=1)
    probabilities = np.where(bad[:, None], 1.0 / k, probabilities)  # a tie, for the lookup only
    cls = probabilities.argmax(axis=1)
    confidence = (probabilities.max(axis=1) - 1.0 / k) / (1.0 - 1.0 / k)  # 0 at a tie, 1 when sure
    if discretize:
        confidence = np.full_like(confidence, 0.6)
    level = np.clip((confidence * (LEVELS - 1)).astype(np.int64), 0, LEVELS - 1)
    pixels = np.where(bad, _NEUTRAL_PIXEL, class_table(k)[cls, level])
    return pixels.reshape(n, n)


_DIVERGING = np.stack([hex_to_rgb(CLASS_COLORS[0]), np.array([250.0, 250.0, 250.0]), hex_to_rgb(CLASS_COLORS[1])])
DIVERGING_LEVELS = 255  # odd: the middle entry is exactly zero (white)


def _diverging_table() -> np.ndarray:
    """uint32 colours from orange (-1) through white (0) to blue (+1)."""
    t = np.linspace(-1.0, 1.0, DIVERGING_LEVELS)
    w = np.abs(t)[:, None]
    end = np.where(t[:, None] < 0, _DIVERGING[0], _DIVERGING[2])
    return pack_rgba(_DIVERGING[1] * (1 - w) + end * w)


_DIVERGING_TABLE = _diverging_table()


def diverging_palette(n: int = 21) -> list[str]:
    """The regression colours, -1 to +1, as '#rrggbb' names: the palette of a colour bar."""
    t = np.linspace(-1.0, 1.0, n)
    w = np.abs(t)[:, None]
    rgb = np.rint(_DIVERGING[1] * (1 - w) + np.where(t[:, None] < 0, _DIVERGING[0], _DIVERGING[2]) * w)
    return ["#%02x%02x%02x" % tuple(int(c) for c in row) for row in rgb]
_NEUTRAL_PIXEL = pack_rgba(hex_to_rgb(NEUTRAL))


def regression_pixels(values: np.ndarray, limit: float = 1.0) -> np.ndarray:
    """Values of any shape -> uint32 colours of the same shape, over [-limit, limit]; NEUTRAL
    where a value, or the scale itself (a non-finite ``limit``), is not a number."""
    half = (DIVERGING_LEVELS - 1) / 2
    with np.errstate(all="ignore"):
        scaled = np.asarray(values, dtype=float) * (half / limit)
    bad = ~np.isfinite(scaled)
    index = np.rint(np.clip(np.where(bad, 0.0, scaled), -half, half) + half).astype(np.intp)
    return np.where(bad, _NEUTRAL_PIXEL, _DIVERGING_TABLE[index])


def regression_image(values: np.ndarray, n: int, limit: float = 1.0) -> np.ndarray:
    """Predicted values -> an (n, n) diverging orange/white/blue image over [-limit, limit]."""
    return regression_pixels(values.reshape(-1), limit).reshape(n, n)
