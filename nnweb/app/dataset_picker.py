"""The datasets as small pictures of their data, grouped, each with a human name.

A person picks data by its look, as in TensorFlow Playground: each button shows a thumbnail
of the points in the plots' colours and a name no other dataset could be mistaken for
("Spiral, 2 arms" and "Spiral, 3-5 arms", not spiral and spirals; "Playground circle", with
its gap, and "Disk and ring", without). The thumbnails are tiny
inline SVGs (one path per colour, a point is a round dot), drawn from the engine's own
generators the first time an app is built: a few milliseconds, and ~15 kB of page.
The buttons are a button group per group of data: they take the keyboard (Tab, then Enter
or Space). ``session.dataset`` stays the one
state: a click sets it, and the highlighted button follows it, whoever changed it.
"""
from __future__ import annotations

import functools
from urllib.parse import quote

import numpy as np
import panel as pn

from ..engine import ONE_D, DataSpec, make_data
from ..engine.datasets import DATASETS
from .colors import CLASS_COLORS, diverging_palette
from .layout import wrap_row
from .plain_text import MessageBox
from .session import Session

GROUPS = {
    "2 classes": ("circle", "disks", "xor", "gaussians", "moons", "spiral", "checkerboard", "function"),
    "3-5 classes": ("blobs", "spirals"),
    "regression": ("plane", "multigauss"),
    "1-D": ("interval", "wave"),
    "images": ("digits",),
    "your own": ("custom", "own"),
}
NAMES = {"circle": "Playground circle", "disks": "Disk and ring", "xor": "Exclusive or",
         "gaussians": "Two clouds", "moons": "Two moons", "spiral": "Spiral, 2 arms",
         "checkerboard": "Checkerboard", "function": "Side of a curve", "blobs": "Blobs, 3-5",
         "spirals": "Spiral, 3-5 arms", "plane": "Tilted plane", "multigauss": "Six bumps",
         "interval": "Interval (1-D)", "wave": "Sine wave (1-D)", "digits": "Digits 8×8",
         "custom": "Drawn by you", "own": "Your CSV file"}
THUMB_POINTS = 48
THUMB_PX = 34
BUTTON_WIDTH, BUTTON_HEIGHT = 76, 78  # a 34 px picture and two lines of name
# Each group is one button group (six widgets, not seventeen buttons with their tooltips and
# icon models: the page's first document stays as small as it was); each button carries its
# picture as a background, above its name
GROUP_CSS = (".bk-btn-group { flex-wrap: wrap; gap: 4px; }"
             f" .bk-btn-group > .bk-btn {{ flex: 0 0 {BUTTON_WIDTH}px; height: {BUTTON_HEIGHT}px; margin: 0 !important;"
             f" padding: {THUMB_PX + 8}px 2px 2px; white-space: normal; font-size: 11px; line-height: 1.15;"
             " border-radius: 4px !important; background-repeat: no-repeat; background-position: center 5px;"
             f" background-size: {THUMB_PX}px {THUMB_PX}px; }}"
             " .bk-btn-group > .bk-btn.bk-active { border: 2px solid #0877bd; background-color: #e8f2fa;"
             " font-weight: 600; box-shadow: none; }")


def _svg(body: str, view: str = "-6 -6 12 12") -> str:
    return (f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='{view}' width='{THUMB_PX}' height='{THUMB_PX}' "
            f"aria-hidden='true'><rect x='-6' y='-6' width='12' height='12' fill='#fafafa'/>{body}</svg>")


def _dots(points: np.ndarray, colors: list[str], outline: bool = False) -> str:
    """One path of round dots per colour; y points up as in the plots. ``outline``: each dot on
    a grey one a little larger, for regression targets near 0, whose colour is near white and
    vanished on the thumbnail's light background (the plots draw them on their heatmap)."""
    paths = []
    if outline:
        d = "".join(f"M{x:.1f} {-y:.1f}h0" for x, y in points)
        paths.append(f"<path d='{d}' stroke='#8c8c8c' stroke-width='1.6' stroke-linecap='round'/>")
    for color in dict.fromkeys(colors):
        ours = points[[c == color for c in colors]]
        d = "".join(f"M{x:.1f} {-y:.1f}h0" for x, y in ours)
        paths.append(f"<path d='{d}' stroke='{color}' stroke-width='1.1' stroke-linecap='round'/>")
    return "".join(paths)


def _drawn() -> str:
    points = np.array([[-3, 2], [-1.5, 3.5], [2, 2.5], [3, -2], [1, -3.5], [-2.5, -2.5]])
    pencil = "<path d='M-4 4 L3 -3' stroke='#555' stroke-width='1.2' stroke-linecap='round'/>"
    return _svg(_dots(points, [CLASS_COLORS[i % 2] for i in range(len(points))]) + pencil)


def _table() -> str:
    lines = "".join(f"<path d='M-4.5 {y}H4.5' stroke='#888' stroke-width='0.5'/>" for y in (-3, -1, 1, 3))
    lines += "".join(f"<path d='M{x} -4.5V4.5' stroke='#888' stroke-width='0.5'/>" for x in (-1.5, 1.5))
    return _svg("<rect x='-4.5' y='-4.5' width='9' height='9' fill='#fff' stroke='#555' stroke-width='0.6'/>" + lines)


def _digit() -> str:
    """A handwritten-looking 2 on an 8 x 8 grid (the digits' own pixels would mean unpacking
    all 1797 of them at start, for one picture)."""
    grid = "".join(f"<path d='M{v} -4V4M-4 {v}H4' stroke='#d6e4ef' stroke-width='0.15'/>" for v in range(-3, 4))
    return _svg(f"<rect x='-4' y='-4' width='8' height='8' fill='#fff'/>{grid}"
                "<text x='0' y='3' font-size='8' text-anchor='middle' fill='#0877bd' "
                "font-family='serif' font-style='italic'>2</text>", view="-5 -5 10 10")


@functools.lru_cache(maxsize=None)
def thumbnail(dataset: str) -> str:
    """A small SVG of ``dataset``'s points, coloured as the plots colour them."""
    if dataset == "custom":
        return _drawn()
    if dataset == "own":
        return _table()
    if dataset == "digits":
        return _digit()
    data = make_data(DataSpec(dataset=dataset, points=THUMB_POINTS, train_ratio=0.9,
                              features=("x1",) if dataset in ONE_D else ("x1", "x2")))
    points = np.concatenate([data.points_train, data.points_test])
    values = np.concatenate([data.y_train, data.y_test])
    if DATASETS[dataset][1] == "regression":
        palette = diverging_palette(7)
        scaled = np.clip(values / (np.abs(values).max() or 1.0), -1, 1)
        colors = [palette[int(round((v + 1) * 3))] for v in scaled]
        if dataset in ONE_D:  # the target drawn over x1
            points = np.stack([points[:, 0], 4 * values / (np.abs(values).max() or 1.0)], axis=1)
        return _svg(_dots(points, colors, outline=True))
    colors = [CLASS_COLORS[int(v) % len(CLASS_COLORS)] for v in values]
    return _svg(_dots(points, colors))


def group_css(title: str, names) -> str:
    """The group's stylesheet: its title on a line of its own (no pane of its own for it), and
    button k showing the k-th dataset's picture."""
    heading = (f" .bk-btn-group::before {{ content: \"{title}\"; flex: 0 0 100%; font-size: 11px; color: #555;"
               " margin-bottom: -2px; }")
    pictures = "".join(f" .bk-btn-group > .bk-btn:nth-child({k + 1}) {{ background-image: "
                       f"url(\"data:image/svg+xml,{quote(thumbnail(name))}\"); }}" for k, name in enumerate(names))
    return GROUP_CSS + heading + pictures


class DatasetPicker(pn.viewable.Viewer):
    """Thumbnail buttons for ``session.dataset``, grouped, and a box for what the choice led to."""

    def __init__(self, session: Session, **params):
        super().__init__(**params)
        self.session = session
        self.groups = {}
        for title, names in GROUPS.items():
            per_line = min(len(names), 4)
            group = pn.widgets.RadioButtonGroup(options={NAMES[n]: n for n in names},
                                                width=per_line * (BUTTON_WIDTH + 4), margin=(0, 2),
                                                css_classes=["nnweb-dataset-group"], stylesheets=[group_css(title, names)])
            group.param.watch(self._chosen, "value")
            self.groups[title] = group
        self.note = MessageBox().follow(session, "data")  # a choice refused or one step short
        session.param.watch(lambda *_: self._follow(), "dataset")
        self._following = False
        self._follow()

    def _chosen(self, event) -> None:
        if not self._following and event.new is not None:
            self.session.dataset = event.new
            self._follow()  # a refused choice (no CSV yet) goes back to what is on screen

    def _follow(self) -> None:
        """The dataset on screen is the one pressed button, whoever chose it."""
        self._following = True
        try:
            for group in self.groups.values():
                group.value = self.session.dataset if self.session.dataset in group.options.values() else None
        finally:
            self._following = False

    def __panel__(self):
        return pn.Column(pn.pane.HTML("<b>Choose the data</b>", margin=(4, 10, 0, 10)), wrap_row(*self.groups.values()), self.note,
                         margin=(0, 4), width=340, css_classes=["nnweb-datasets"])
