"""Datasets: the playground's four and the classic shapes, plus the 8x8 digits.

Every 2D dataset lives on the plane [-6, 6]^2 (TensorFlow Playground's domain, so its
learning rates mean the same here). A generator takes (n, noise, rng, classes) and returns
points and labels; ``make_data`` adds the seeded train/test split and the input features.
``noise`` runs from 0 to 0.5 like the playground's 0..50 %.
"""
from __future__ import annotations

import gzip
import math
from dataclasses import dataclass
from importlib import resources
import numpy as np

from .features import apply_features, check_features
from .spec import MAX_SEED, Spec, choice, ranged, is_number, shown

DOMAIN = 6.0
MAX_POINTS = 2000  # digits has 1797
MAX_DRAWN = 500    # points a person draws (they travel in the link)
MAX_OWN_ROWS = 2000   # rows of a person's CSV
MAX_LINK_ROWS = 500   # ... of which a link carries at most this many; beyond, the link says "local"


def _polar(r, t):
    return np.stack([r * np.cos(t), r * np.sin(t)], axis=1)


def circle(n, noise, rng, classes):
    """Playground 'circle': a blue disk inside an orange ring."""
    inner = n // 2
    r = np.concatenate([rng.uniform(0, 2.5, inner), rng.uniform(3.5, 5.0, n - inner)])
    pts = _polar(r, rng.uniform(0, 2 * np.pi, n)) + rng.uniform(-5, 5, (n, 2)) * noise
    return pts, (np.arange(n) < inner).astype(np.int64)


def xor(n, noise, rng, classes):
    """Playground 'exclusive or': the sign of x1 * x2, points kept off the axes."""
    pts = rng.uniform(-5, 5, (n, 2))
    pts += np.where(pts > 0, 0.3, -0.3)
    labels = (pts[:, 0] * pts[:, 1] >= 0).astype(np.int64)
    return pts + rng.uniform(-5, 5, (n, 2)) * noise, labels


def gaussians(n, noise, rng, classes):
    """Playground 'gaussian': two clouds at (2, 2) and (-2, -2); noise widens them."""
    labels = (np.arange(n) < n // 2).astype(np.int64)
    centers = np.where(labels[:, None] == 1, 2.0, -2.0)
    return centers + rng.normal(0, 0.5 + 7 * noise, (n, 2)), labels


SPIRAL_TURNS = 1.75  # the playground's spiral (and every link made before turns could be set)


def _arms(n, noise, rng, k, turns=SPIRAL_TURNS, start=0.0):
    """``k`` arms of the spiral r = c * angle, the angle running from ``start`` over ``turns``
    whole turns, scaled so each arm ends at radius 5; arm i is arm 0 turned by i * 2 pi / k.
    ``start = 0`` is the playground's r = 5 s (s uniform along the arm), float for float:
    ``lead`` is 0 there, so r = 5 * s / 1."""
    labels = np.arange(n) % k
    s = rng.uniform(0, 1, n)  # position along the arm
    lead = start / (turns * 2 * np.pi)  # the part of the angle before the arm starts, in turns' units
    r = 5.0 * (lead + s) / (lead + 1)
    t = turns * 2 * np.pi * s + start + labels * 2 * np.pi / k
    return _polar(r, t) + rng.uniform(-1, 1, (n, 2)) * noise * 2, labels.astype(np.int64)


def spiral(n, noise, rng, classes, turns=SPIRAL_TURNS, start=0.0):
    """Playground 'spiral': two interleaved arms, each turning ``turns`` times (1.75 in the
    playground) from the angle ``start``. The blog's spiral (arms t (cos t, sin t) for t in
    0.4 .. 4.36) is turns = 3.96 / 2 pi, start = 0.4, scaled by 5 / 4.36."""
    return _arms(n, noise, rng, 2, turns, start)


def spirals(n, noise, rng, classes):
    """``classes`` interleaved spiral arms (3 to 5)."""
    return _arms(n, noise, rng, classes, turns=1.0)


def moons(n, noise, rng, classes):
    """Two interleaving half circles (scikit-learn's moons, scaled to the plane)."""
    labels = (np.arange(n) % 2).astype(np.int64)
    t = rng.uniform(0, np.pi, n)
    upper = np.stack([np.cos(t), np.sin(t)], axis=1)
    lower = np.stack([1 - np.cos(t), 0.5 - np.sin(t)], axis=1)
    pts = np.where(labels[:, None] == 0, upper, lower) - [0.5, 0.25]
    return pts * 3.5 + rng.normal(0, 1, (n, 2)) * noise * 2, labels


def disks(n, noise, rng, classes):
    """Concentric disks: a filled inner disk (class 1) and a surrounding ring (class 0)."""
    inner = n // 2
    r = np.concatenate([2.0 * np.sqrt(rng.uniform(0, 1, inner)),
                        np.sqrt(rng.uniform(3.0 ** 2, 4.5 ** 2, n - inner))])
    pts = _polar(r, rng.uniform(0, 2 * np.pi, n)) + rng.normal(0, 1, (n, 2)) * noise * 2
    return pts, (np.arange(n) < inner).astype(np.int64)


def checkerboard(n, noise, rng, classes):
    """A 4 x 4 board of 3 x 3 squares."""
    pts = rng.uniform(-DOMAIN, DOMAIN, (n, 2))
    labels = (np.floor(pts[:, 0] / 3) + np.floor(pts[:, 1] / 3)).astype(np.int64) % 2
    return pts + rng.normal(0, 1, (n, 2)) * noise * 2, labels


def blobs(n, noise, rng, classes):
    """``classes`` Gaussian blobs on a circle of radius 4."""
    labels = np.arange(n) % classes
    angle = 2 * np.pi * labels / classes + np.pi / 2
    return _polar(np.full(n, 4.0), angle) + rng.normal(0, 0.6 + 4 * noise, (n, 2)), labels.astype(np.int64)


def plane(n, noise, rng, classes):
    """Regression: target = (x1 + x2) / 10, a tilted plane in about [-1, 1]."""
    pts = rng.uniform(-DOMAIN, DOMAIN, (n, 2))
    return pts, (pts.sum(axis=1) + rng.normal(0, 1, n) * noise * 4) / 10.0


_BUMPS = np.array([[-4, 2.5, 1], [0, 2.5, -1], [4, 2.5, 1], [-4, -2.5, -1], [0, -2.5, 1], [4, -2.5, -1]])


def multigauss(n, noise, rng, classes):
    """Regression: six Gaussian bumps of alternating sign."""
    pts = rng.uniform(-DOMAIN, DOMAIN, (n, 2))
    d2 = ((pts[:, None, :] - _BUMPS[None, :, :2]) ** 2).sum(axis=2)
    target = (_BUMPS[:, 2] * np.exp(-d2 / 2.0)).sum(axis=1)
    return pts, target + rng.normal(0, 1, n) * noise


def _on_axis(x):
    """1-D data lives on the x1 axis of the plane (x2 = 0), so every view still applies."""
    return np.stack([x, np.zeros_like(x)], axis=1)


def interval(n, noise, rng, classes):
    """1-D: class 1 inside |x| < 2.5, class 0 outside: one input, a boundary on each side."""
    x = rng.uniform(-DOMAIN + 0.5, DOMAIN - 0.5, n)
    labels = (np.abs(x) < 2.5).astype(np.int64)
    return _on_axis(x + rng.normal(0, 1, n) * noise * 2), labels


def wave(n, noise, rng, classes):
    """1-D regression: target = sin(x) (the textbook's 1D-to-1D mapping)."""
    x = rng.uniform(-DOMAIN, DOMAIN, n)
    return _on_axis(x), np.sin(x) + rng.normal(0, 1, n) * noise


# The curves x2 = f(x1) of the "function" dataset, scaled to cross the plane's middle.
CURVES = {
    "sine": lambda x: 3.0 * np.sin(x),
    "cubic": lambda x: x ** 3 / 25.0,
    "abs": lambda x: np.abs(x) - 2.5,
    "step": lambda x: np.where(x > 0, 2.0, -2.0),
}


def function(n, noise, rng, classes, curve="sine"):
    """Points labelled by the side of the curve x2 = f(x1) they lie on: above is blue (1)."""
    pts = rng.uniform(-5, 5, (n, 2))
    labels = (pts[:, 1] > CURVES[curve](pts[:, 0])).astype(np.int64)
    return pts + rng.uniform(-5, 5, (n, 2)) * noise, labels


def custom(n, noise, rng, classes, drawn=()):
    """Points a person drew: (x1, x2, label) rows, as they are."""
    rows = np.array(drawn, dtype=float).reshape(-1, 3)
    return rows[:, :2].copy(), rows[:, 2].astype(np.int64)


def load_digits() -> tuple[np.ndarray, np.ndarray]:
    """The 1797 8x8 digits (scikit-learn's copy of the UCI set): pixels scaled to [0, 1]."""
    raw = resources.files("nnweb.engine").joinpath("data/digits.bin.gz").read_bytes()
    flat = np.frombuffer(gzip.decompress(raw), dtype=np.uint8)
    table = flat.reshape(-1, 65)
    return table[:, :64] / 16.0, table[:, 64].astype(np.int64)


def digits(n, noise, rng, classes):
    """The digits, all of them or a random subset of ``n``; noise adds pixel noise."""
    x, y = load_digits()
    if n < len(x):
        keep = rng.choice(len(x), n, replace=False)
        x, y = x[keep], y[keep]
    return np.clip(x + rng.normal(0, 1, x.shape) * noise, 0, 1), y


# name -> (generator, kind, number of classes or None when set by ``classes``)
DATASETS = {
    "circle": (circle, "classification", 2),
    "xor": (xor, "classification", 2),
    "gaussians": (gaussians, "classification", 2),
    "spiral": (spiral, "classification", 2),
    "moons": (moons, "classification", 2),
    "disks": (disks, "classification", 2),
    "checkerboard": (checkerboard, "classification", 2),
    "function": (function, "classification", 2),
    "blobs": (blobs, "classification", None),
    "spirals": (spirals, "classification", None),
    "plane": (plane, "regression", 0),
    "multigauss": (multigauss, "regression", 0),
    "digits": (digits, "classification", 10),
    "interval": (interval, "classification", 2),
    "custom": (custom, "classification", None),
    "own": (None, "classification", None),   # a person's CSV: kind and classes come with the rows
    "wave": (wave, "regression", 0),
}
ONE_D = ("interval", "wave")  # datasets with a single input, x1


@dataclass(frozen=True)
class DataSpec(Spec):
    """Which data, how much, how noisy, how split, and which input features."""

    path = "data"

    dataset: str = choice("circle", DATASETS)
    points: int = ranged(500, 10, MAX_POINTS, "before the split (digits: up to 1797)")
    noise: float = ranged(0.0, 0.0, 0.5)
    train_ratio: float = ranged(0.5, 0.1, 0.9)
    classes: int = ranged(3, 3, 5, "blobs and spirals")
    seed: int = ranged(0, 0, MAX_SEED, "data seed")
    curve: str = choice("sine", tuple(CURVES), "the function dataset's boundary x2 = f(x1)")
    turns: float = ranged(SPIRAL_TURNS, 0.25, 3.0, "spiral: how many turns each arm makes")
    arm_start: float = ranged(0.0, 0.0, 6.3, "spiral: the angle (radians) each arm starts at; "
                                             "above 0 leaves a hole in the middle")
    features: tuple[str, ...] = ("x1", "x2")  # ignored by digits (64 pixels)
    drawn: tuple = ()             # custom: (x1, x2, label) rows, at most MAX_DRAWN
    rows: tuple = ()              # own: (x1, x2, label or target) rows from a CSV, at most MAX_OWN_ROWS
    own_kind: str = choice("classification", ("classification", "regression"), "own: what the third column is")
    local: bool = False           # own: the rows stayed on the computer that made the link
    own_names: tuple = ()         # own: the CSV's x1 and x2 column names, then its class names (axes, legends)

    def check(self):
        if not isinstance(self.features, tuple):
            raise ValueError("features: expected a list of feature names")
        object.__setattr__(self, "features", check_features(self.features))
        if self.dataset in ONE_D and any("x2" in f for f in self.features):
            raise ValueError(f"features: {self.dataset} has one input; use features of x1 only")
        if self.dataset == "digits" and self.points > 1797:
            raise ValueError(f"points: {self.points} is outside the allowed range 10 .. 1797 for digits")
        object.__setattr__(self, "drawn", check_drawn(self.drawn))
        if self.dataset == "custom" and len(self.drawn) < 2:
            raise ValueError("drawn: draw at least 2 points (one of each class) to train on them")
        object.__setattr__(self, "rows", check_rows(self.rows, self.own_kind))
        object.__setattr__(self, "own_names", check_names(self.own_names))
        if self.dataset == "own" and len(self.rows) < 2:
            if self.local:
                raise ValueError("rows: this link was made with data that stayed on the sender's computer "
                                 f"(more than {MAX_LINK_ROWS} rows); load the same CSV file to use it")
            raise ValueError("rows: load a CSV file (Data card) to train on your own data")

    @property
    def kind(self) -> str:
        return self.own_kind if self.dataset == "own" else DATASETS[self.dataset][1]

    @property
    def n_classes(self) -> int:
        if self.dataset == "custom":
            return _classes_in(self.drawn)
        if self.dataset == "own":
            return 0 if self.own_kind == "regression" else _classes_in(self.rows)
        count = DATASETS[self.dataset][2]
        return self.classes if count is None else count

    @property
    def n_inputs(self) -> int:
        return 64 if self.dataset == "digits" else len(self.features)


def _classes_in(rows) -> int:
    """Classes of (x1, x2, label) rows: labels count from 0, and there are at least two."""
    return max(2, 1 + max((int(r[2]) for r in rows), default=1))


def _plane_rows(field: str, rows, limit: int, unit: str, value: str):
    """(i, x1, x2, value) of rows [x1, x2, value] with finite numbers and x in the plane: the
    checks drawn points and own data share (each then checks its value)."""
    if not isinstance(rows, (list, tuple)):
        raise ValueError(f"{field}: expected a list of [x1, x2, {value}] {unit}")
    if len(rows) > limit:
        raise ValueError(f"{field}: {len(rows)} {unit}, at most {limit}")
    for i, row in enumerate(rows):
        if (not isinstance(row, (list, tuple)) or len(row) != 3
                or not all(is_number(v) and math.isfinite(v) for v in row)):
            raise ValueError(f"{field}[{i}]: expected [x1, x2, {value}]")
        x1, x2, v = row
        if not (-DOMAIN <= x1 <= DOMAIN and -DOMAIN <= x2 <= DOMAIN):
            raise ValueError(f"{field}[{i}]: ({x1}, {x2}) is outside the plane -{DOMAIN:g} .. {DOMAIN:g}")
        yield i, float(x1), float(x2), v


MAX_NAME_CHARS = 40  # a column or class name as the axes and legends show it
MAX_OWN_NAMES = 2 + 10  # two columns and up to ten classes


def check_names(names) -> tuple:
    """Own data's names as a tuple of short, printable texts: they travel in a shared link and
    are drawn as labels, so a link cannot make them long, empty or multi-line."""
    if not isinstance(names, (list, tuple)):
        raise ValueError("own_names: expected a list of names")
    if len(names) > MAX_OWN_NAMES:
        raise ValueError(f"own_names: {len(names)} names, at most {MAX_OWN_NAMES} (two columns, ten classes)")
    for i, name in enumerate(names):
        if not isinstance(name, str) or not name.strip():
            raise ValueError(f"own_names[{i}]: expected a name, got {shown(name)}")
        if len(name) > MAX_NAME_CHARS:
            raise ValueError(f"own_names[{i}]: {len(name)} characters, at most {MAX_NAME_CHARS}")
        if any(ord(c) < 32 or ord(c) == 127 for c in name):
            raise ValueError(f"own_names[{i}]: {shown(name)} holds a control character (a line break, a tab)")
    return tuple(names)


def check_rows(rows, kind: str) -> tuple:
    """Own data as a tuple of (x1, x2, value): x in the plane, a class 0 .. 9 or a finite target."""
    out = []
    for i, x1, x2, value in _plane_rows("rows", rows, MAX_OWN_ROWS, "rows", "value"):
        if kind == "classification" and value not in range(10):
            raise ValueError(f"rows[{i}]: class {shown(value)} is not one of 0 .. 9")
        out.append((round(x1, 4), round(x2, 4), int(value) if kind == "classification" else float(value)))
    return tuple(out)


def check_drawn(rows) -> tuple:
    """Drawn points as a tuple of (x1, x2, label) with x in the plane and a label 0..4."""
    out = []
    for i, x1, x2, label in _plane_rows("drawn", rows, MAX_DRAWN, "points", "label"):
        if label not in (0, 1, 2, 3, 4):
            raise ValueError(f"drawn[{i}]: label {shown(label)} is not one of 0 .. 4")
        out.append((round(x1, 3), round(x2, 3), int(label)))
    return tuple(out)


@dataclass
class Data:
    """Generated data: raw points (for plots) and network inputs, split into train and test."""

    points_train: np.ndarray
    y_train: np.ndarray
    points_test: np.ndarray
    y_test: np.ndarray
    x_train: np.ndarray
    x_test: np.ndarray


def make_data(spec: DataSpec) -> Data:
    """Generate, shuffle and split with ``spec.seed``; the same spec gives the same arrays."""
    generate, _, _ = DATASETS[spec.dataset]
    rng = np.random.default_rng(spec.seed)
    if spec.dataset == "custom":
        points, labels = custom(0, 0, rng, 0, spec.drawn)
    elif spec.dataset == "own":
        table = np.array(spec.rows, dtype=float).reshape(-1, 3)
        points = table[:, :2].copy()
        labels = table[:, 2].astype(np.int64) if spec.own_kind == "classification" else table[:, 2]
    elif spec.dataset == "function":
        points, labels = function(spec.points, spec.noise, rng, spec.classes, spec.curve)
    elif spec.dataset == "spiral":
        points, labels = spiral(spec.points, spec.noise, rng, spec.classes, spec.turns, spec.arm_start)
    else:
        points, labels = generate(spec.points, spec.noise, rng, spec.classes)
    if spec.dataset == "custom":
        # each drawn point keeps its place in the order whatever is drawn after it, so a new
        # point moves at most one other across the train/test split (a fresh permutation of
        # n + 1 points re-split them all at every click)
        order = np.argsort(rng.random(MAX_DRAWN)[:len(points)], kind="stable")
    else:
        order = rng.permutation(len(points))
    points, labels = points[order], labels[order]
    n_train = max(1, min(len(points) - 1, int(round(len(points) * spec.train_ratio))))
    if spec.dataset == "digits":
        x = points
    else:
        x = apply_features(spec.features, points)
    return Data(points[:n_train], labels[:n_train], points[n_train:], labels[n_train:],
                x[:n_train], x[n_train:])
