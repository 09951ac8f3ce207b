"""The softmax simplex: every data point at its class probabilities, so training can be seen
pulling the outputs to the vertices (one vertex a class, labelled and in its colour).

Two classes (a 2-way softmax, or a sigmoid's p and 1 - p) give a segment, three a triangle;
more are drawn by the standard projection onto a regular polygon (``head_geometry``), and
the caption says so. Points are coloured by their true class: a point near the wrong
vertex is a confident mistake. Dashed lines mark where two classes tie for the most likely.
"""
from __future__ import annotations

import numpy as np
import panel as pn
from bokeh.models import ColumnDataSource, Range1d

from ...engine.spec import MAX_CLASSES
from ..colors import CLASS_COLORS, point_colors
from ..geometry import polylines
from ..head_geometry import simplex_coordinates, simplex_ties, simplex_vertices
from .base import SessionView, styled_figure
from .legend import session_class_names

SEGMENT_SPREAD = 0.16  # two classes: points spread this far up and down, so they do not hide each other
GOLDEN = (np.sqrt(5) - 1) / 2


def spread(n: int) -> np.ndarray:
    """``n`` offsets in [-SEGMENT_SPREAD/2, SEGMENT_SPREAD/2], evenly mixed (golden-ratio
    sequence) and the same every frame, so a point only moves when its probability does."""
    return ((np.arange(n) * GOLDEN) % 1.0 - 0.5) * SEGMENT_SPREAD


def caption(head: str, k: int, names: list[str]) -> str:
    """What the picture is, for this head and number of classes."""
    if head == "sigmoid":
        return (f"A sigmoid's output p is the probability of {names[1]}: the 2-class simplex is the segment from "
                f"p = 0 ({names[0]}, left) to p = 1 ({names[1]}, right). Training pulls the points to the ends. "
                "For a triangle, take blobs or spirals with 3 classes (a softmax head).")
    if k == 2:
        return ("Each point at its two class probabilities, on the segment between the classes: training pulls "
                "the outputs to the ends. Points are spread up and down a little so they do not hide each other.")
    if k == 3:
        return ("The probability triangle: each point at its three class probabilities (barycentric coordinates), "
                "a corner = certain, the centre = all equal. Training pulls the outputs to the corners; the dashed "
                "lines are where two classes tie for the most likely.")
    return (f"{k} classes span a {k - 1}-dimensional simplex. Drawn here by its standard projection: the classes at "
            "the corners of a regular polygon, each point at the probability-weighted mean of the corners. A point "
            "at a corner is certain; different probabilities can land on the same spot inside.")


def simplex_data(scene, show_test: bool, names: list[str]) -> dict | None:
    """Columns of the simplex picture, or None when the head gives no class probabilities."""
    if scene.head not in ("sigmoid", "softmax"):
        return None
    keep = scene.is_train | show_test
    xy = simplex_coordinates(scene.data_reps["output"][keep])
    k = max(2, scene.data_reps["output"].shape[1])
    if k == 2:
        xy[:, 1] += spread(len(xy))
    vertices = simplex_vertices(k)
    # labels outside their vertex: under the ends of the segment, radially out of a polygon
    label_at = vertices + [0.0, -0.16] if k == 2 else vertices * 1.18
    return {"points": xy, "colors": point_colors("classification", scene.labels[keep]), "vertices": vertices,
            "outline": np.concatenate([vertices, vertices[:1]]) if k > 2 else vertices,
            "ties": simplex_ties(k), "names": names, "label_at": label_at,
            "align": ["right" if x < -0.2 and k > 2 else "left" if x > 0.2 and k > 2 else "center"
                      for x in vertices[:, 0]],
            "baseline": ["top" if k == 2 else "bottom" if y > 0.2 else "top" if y < -0.2 else "middle"
                         for y in vertices[:, 1]]}


class SimplexView(SessionView):
    def __init__(self, **params):
        super().__init__(**params)
        self.outline = ColumnDataSource({"x": [], "y": []})
        self.ties = ColumnDataSource({"x": [], "y": []})
        self.points = ColumnDataSource({"x": [], "y": [], "color": []})
        self.vertices = ColumnDataSource({"x": [], "y": [], "color": [], "label_x": [], "label_y": [],
                                          "name": [], "align": [], "baseline": []})
        fig = styled_figure("Softmax simplex", "simplex", width=420, height=420, tools="wheel_zoom,reset,save",
                            x_range=Range1d(-1.4, 1.4), y_range=Range1d(-1.4, 1.4))
        fig.line("x", "y", source=self.outline, color="#555555", line_width=1.5)
        fig.line("x", "y", source=self.ties, color="#888888", line_width=1, line_dash="dashed")
        # vertices under the points: a trained network puts its points right on them
        fig.scatter("x", "y", color="color", source=self.vertices, size=22, fill_alpha=0.2, line_width=2)
        fig.scatter("x", "y", color="color", source=self.points, size=6, alpha=0.75, line_color="white",
                    line_width=0.6)
        fig.text("label_x", "label_y", text="name", source=self.vertices, text_align="align",
                 text_baseline="baseline", text_font_size="13px", text_font_style="bold", text_color="color")
        fig.xaxis.visible = fig.yaxis.visible = False
        fig.grid.visible = False
        self.figure = fig
        self.caption = pn.pane.Markdown("", max_width=420, sizing_mode="stretch_width", margin=(0, 10),
                                       css_classes=["nnweb-simplex-caption"])
        self.session.view.param.watch(lambda *_: self._on_frame(), ["show_test"])
        self._shape = None
        self._on_frame()  # hidden views draw when first shown (tabs render lazily)

    def redraw(self) -> None:
        s = self.session
        scene = s.scene()
        k = max(2, scene.data_reps["output"].shape[1])
        names = session_class_names(s, k)
        d = simplex_data(scene, s.view.show_test, names)
        self.figure.visible = d is not None
        if d is None:
            self.caption.object = ("The simplex shows a classifier's class probabilities; this network predicts "
                                   "numbers (a regression head). Pick a dataset with classes.")
            self._shape = None
            return
        self.points.data = {"x": d["points"][:, 0], "y": d["points"][:, 1], "color": d["colors"]}
        shape = (scene.head, k, tuple(names))
        if shape != self._shape:  # the picture itself changes only with the head or the classes
            self._shape = shape
            self._draw_simplex(d, k)
            self.caption.object = caption(scene.head, k, names)
            self.figure.title.text = ("Output p on [0, 1]" if scene.head == "sigmoid" else
                                      f"Softmax simplex · {k} classes")

    def _draw_simplex(self, d: dict, k: int) -> None:
        v = d["vertices"]
        self.outline.data = {"x": d["outline"][:, 0], "y": d["outline"][:, 1]}
        x, y = polylines(d["ties"])
        self.ties.data = {"x": x, "y": y}
        # Always MAX_CLASSES rows (the unused ones not drawn: no position, no text). BokehJS lays
        # text out asynchronously, and a label column that got shorter while it did read past
        # the end of the new colours ("Offset is outside the bounds of the DataView").
        rest = MAX_CLASSES - k
        at, nowhere = d["label_at"], [np.nan] * rest
        self.vertices.data = {"x": [*v[:, 0], *nowhere], "y": [*v[:, 1], *nowhere], "color": CLASS_COLORS[:MAX_CLASSES],
                              "label_x": [*at[:, 0], *nowhere], "label_y": [*at[:, 1], *nowhere],
                              "name": [*d["names"], *[""] * rest], "align": [*d["align"], *["center"] * rest],
                              "baseline": [*d["baseline"], *["middle"] * rest]}
        lo, hi = v.min(axis=0), v.max(axis=0)
        centre, half = (lo + hi) / 2, max((hi - lo).max() / 2, 0.5) + 0.6  # square: no distortion, room for labels
        self.figure.x_range.start, self.figure.x_range.end = centre[0] - half, centre[0] + half
        self.figure.y_range.start, self.figure.y_range.end = centre[1] - half, centre[1] + half

    def __panel__(self):
        return pn.Column(self.figure, self.caption)
