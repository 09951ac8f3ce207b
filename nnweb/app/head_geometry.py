"""The output head's geometry: where it puts points on the probability simplex, and where
its decision boundaries lie in the representation that feeds it.

Pure NumPy (no Panel, no Bokeh), so each answer is tested in CPython against known ones.

*Simplex.* k class probabilities are barycentric coordinates: a point sits at the
probability-weighted mean of k vertices. Two classes give a segment and three a triangle,
exactly; for more, the vertices of a regular polygon give the standard 2-D projection of
the (k-1)-dimensional simplex (a vertex is still "certain", the centre still "uniform",
but different probabilities can land on one spot).

*Boundaries.* The output layer is affine, z = h W + b, so in the space of the layer that
feeds it (and only there: a norm or an activation in between bends it) each decision
boundary is flat: w . h + b = 0 for a sigmoid, and for a softmax the pairwise
z_i = z_j, (w_i - w_j) . h + (b_i - b_j) = 0, which decides only where i and j are the two
largest logits. Each piece is clipped to a box (the plot's extent) and to those half-spaces:
a segment in 2-D, a convex polygon in 3-D.
"""
from __future__ import annotations

import numpy as np

TINY = 1e-12  # a normal shorter than this has no boundary (all weights zero)


# --- the simplex ---------------------------------------------------------------------------------
def simplex_vertices(k: int) -> np.ndarray:
    """(k, 2) vertices: a horizontal segment [-1, 1] for 2 classes (class 2 to the right, as
    a sigmoid's p grows); for 3 or more a regular polygon on the unit circle, the first class
    at the top and the others counter-clockwise."""
    if k <= 2:
        return np.array([[-1.0, 0.0], [1.0, 0.0]])[:max(k, 1)]
    angles = np.pi / 2 + 2 * np.pi * np.arange(k) / k
    return np.stack([np.cos(angles), np.sin(angles)], axis=1)


def class_probabilities(output: np.ndarray) -> np.ndarray:
    """A head's output as (N, k) class probabilities: a sigmoid's (N, 1) p becomes (1 - p, p)."""
    output = np.asarray(output, dtype=float)
    return np.concatenate([1 - output, output], axis=1) if output.shape[1] == 1 else output


def simplex_coordinates(probabilities: np.ndarray) -> np.ndarray:
    """(N, k) probabilities -> (N, 2) positions: the probability-weighted mean of the vertices.
    A row that is not finite (a network blowing up) becomes NaN, which plots draw as nothing."""
    p = class_probabilities(probabilities)
    with np.errstate(all="ignore"):
        xy = p @ simplex_vertices(p.shape[1])
    return np.where(np.isfinite(p).all(axis=1)[:, None], xy, np.nan)


def simplex_ties(k: int) -> np.ndarray:
    """(m, 2, 2) segments inside the simplex where two classes tie for the most likely: the
    middle of the segment for 2 classes, centre-to-edge-midpoints for 3. None drawn for more:
    the projection does not keep those regions apart."""
    v = simplex_vertices(k)
    if k == 2:
        return np.array([[[0.0, -0.08], [0.0, 0.08]]])
    if k == 3:
        centre = v.mean(axis=0)
        mids = (v + np.roll(v, -1, axis=0)) / 2
        return np.stack([np.broadcast_to(centre, mids.shape), mids], axis=1)
    return np.zeros((0, 2, 2))


# --- decision boundaries -------------------------------------------------------------------------
def decision_boundaries(weight: np.ndarray, bias: np.ndarray, head: str) -> list[dict]:
    """Every flat piece of the head's decision boundary in the feeding layer's space.

    ``weight`` (d, outputs) and ``bias`` (outputs,) are the output layer's (z = h W + b).
    Each piece: ``normal`` n and ``offset`` c of its hyperplane n . h + c = 0 (z_i - z_j for
    a softmax, positive on class i's side), ``pair`` (i, j), and the half-spaces
    G h + e >= 0 where the piece is the boundary (i at least as large as every other logit).
    A linear (regression) head has none."""
    weight, bias = np.asarray(weight, dtype=float), np.asarray(bias, dtype=float)
    if head == "sigmoid":
        # p > 1/2 exactly where z > 0: class 1 on the positive side (pair reads "1 against 0")
        return [{"normal": weight[:, 0], "offset": float(bias[0]), "pair": (1, 0),
                 "G": np.zeros((0, weight.shape[0])), "e": np.zeros(0)}]
    if head != "softmax":
        return []
    k = weight.shape[1]
    pieces = []
    for i in range(k):
        for j in range(i + 1, k):
            others = [m for m in range(k) if m not in (i, j)]
            pieces.append({"normal": weight[:, i] - weight[:, j], "offset": float(bias[i] - bias[j]),
                           "pair": (i, j), "G": (weight[:, [i]] - weight[:, others]).T,
                           "e": bias[i] - bias[others]})
    return pieces


def _box_halfspaces(lo: np.ndarray, hi: np.ndarray):
    """The box lo <= h <= hi as half-spaces G h + e >= 0."""
    eye = np.eye(len(lo))
    return np.concatenate([eye, -eye]), np.concatenate([-lo, hi])


def clip_line(normal, offset, G, e, lo, hi):
    """The segment (2, 2) of the 2-D line normal . h + offset = 0 inside the box [lo, hi] and
    the half-planes G h + e >= 0, or None where nothing of it is left."""
    n = np.asarray(normal, dtype=float)
    length2 = n @ n
    if not np.isfinite(length2) or length2 < TINY:
        return None
    start = -offset * n / length2                  # the line's point nearest the origin
    direction = np.array([-n[1], n[0]]) / np.sqrt(length2)
    bg, be = _box_halfspaces(np.asarray(lo, dtype=float), np.asarray(hi, dtype=float))
    G, e = np.concatenate([np.asarray(G, dtype=float).reshape(-1, 2), bg]), np.concatenate([e, be])
    # along start + t direction each half-plane is (G d) t >= -(G start + e)
    slope, value = G @ direction, G @ start + e
    t_lo, t_hi = -np.inf, np.inf
    parallel = np.abs(slope) < TINY
    if np.any(parallel & (value < 0)):
        return None
    bound = -value[~parallel] / slope[~parallel]
    rising = slope[~parallel] > 0
    if rising.any():
        t_lo = bound[rising].max()
    if (~rising).any():
        t_hi = bound[~rising].min()
    if not t_lo < t_hi or not np.isfinite(t_lo) or not np.isfinite(t_hi):
        return None
    return np.stack([start + t_lo * direction, start + t_hi * direction])


def clip_polygon(polygon: np.ndarray, g: np.ndarray, e: float) -> np.ndarray:
    """The part of a convex polygon (m, d) where g . h + e >= 0 (Sutherland-Hodgman); a
    polygon cut through a vertex keeps that vertex once."""
    if len(polygon) == 0:
        return polygon
    side = polygon @ g + e
    out = []
    for a in range(len(polygon)):
        b = (a + 1) % len(polygon)
        if side[a] >= 0:
            out.append(polygon[a])
        if side[a] * side[b] < 0:  # the edge crosses (a vertex on the line is kept as it is)
            f = side[a] / (side[a] - side[b])
            out.append(polygon[a] + f * (polygon[b] - polygon[a]))
    return np.array(out).reshape(-1, polygon.shape[1])


def clip_plane(normal, offset, G, e, lo, hi):
    """The convex polygon (m, 3) of the 3-D plane normal . h + offset = 0 inside the box
    [lo, hi] and the half-spaces G h + e >= 0, or None where nothing of it is left."""
    n = np.asarray(normal, dtype=float)
    lo, hi = np.asarray(lo, dtype=float), np.asarray(hi, dtype=float)
    length2 = n @ n
    if not np.isfinite(length2) or length2 < TINY:
        return None
    centre = (lo + hi) / 2
    centre = centre - (n @ centre + offset) * n / length2     # the box centre, moved onto the plane
    unit = n / np.sqrt(length2)
    u = np.cross(unit, np.eye(3)[np.abs(unit).argmin()])      # two directions in the plane
    u /= np.linalg.norm(u)
    v = np.cross(unit, u)
    reach = np.linalg.norm(hi - lo) + 1.0                      # a square bigger than the box
    polygon = centre + reach * np.array([u + v, -u + v, -u - v, u - v])
    bg, be = _box_halfspaces(lo, hi)
    for g, c in zip(np.concatenate([np.asarray(G, dtype=float).reshape(-1, 3), bg]), np.concatenate([e, be])):
        polygon = clip_polygon(polygon, g, c)
    return polygon if len(polygon) >= 3 else None


def boundary_pieces(weight, bias, head: str, lo, hi) -> list[tuple[tuple[int, int], np.ndarray]]:
    """[(pair, segment (2, 2) or polygon (m, 3))] of the head's decision boundary inside the
    box [lo, hi] of a 2- or 3-neuron feeding layer; pieces that fall outside are left out."""
    clip = clip_line if len(lo) == 2 else clip_plane
    found = []
    for piece in decision_boundaries(weight, bias, head):
        with np.errstate(all="ignore"):
            shape = clip(piece["normal"], piece["offset"], piece["G"], piece["e"], lo, hi)
        if shape is not None:
            found.append((piece["pair"], shape))
    return found


def extent(*arrays: np.ndarray, margin: float = 0.05) -> tuple[np.ndarray, np.ndarray] | None:
    """The box (lo, hi) around every finite row of ``arrays`` (same width), ``margin`` of its
    size wider on each side; None when no row is finite."""
    rows = np.concatenate([a.reshape(-1, a.shape[-1]) for a in arrays])
    rows = rows[np.isfinite(rows).all(axis=1)]
    if not len(rows):
        return None
    lo, hi = rows.min(axis=0), rows.max(axis=0)
    pad = np.maximum((hi - lo) * margin, 1e-6)
    return lo - pad, hi + pad
