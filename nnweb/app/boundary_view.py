"""Decision boundary: the network's output painted over the input plane, with the data.

One figure, built once; each frame replaces the image column and nothing else
(the points change only when the data does).
"""
from __future__ import annotations

import numpy as np
import panel as pn
import param
from bokeh.models import ColumnDataSource
from bokeh.plotting import figure

from ..engine import DOMAIN
from .colors import CLASS_COLORS, classification_image, regression_image
from .plane import has_plane, plane_grid, plane_inputs
from .session import Session


class DecisionBoundary(pn.viewable.Viewer):
    session = param.ClassSelector(class_=Session)
    resolution = param.Integer(default=100, bounds=(20, 200), doc="Grid cells per side")

    def __init__(self, **params):
        super().__init__(**params)
        n = self.resolution
        self._grid = plane_grid(n)
        self.image = ColumnDataSource({"image": [np.zeros((n, n), dtype=np.uint32)]})
        self.points = ColumnDataSource({"x": [], "y": [], "color": []})
        fig = figure(width=420, height=420, x_range=(-DOMAIN, DOMAIN), y_range=(-DOMAIN, DOMAIN),
                     tools="save", toolbar_location="above", title="Decision boundary",
                     match_aspect=True, name="decision-boundary")
        fig.image_rgba(image="image", x=-DOMAIN, y=-DOMAIN, dw=2 * DOMAIN, dh=2 * DOMAIN, source=self.image)
        fig.scatter("x", "y", color="color", line_color="white", line_width=0.8, size=6, source=self.points)
        fig.xaxis.axis_label, fig.yaxis.axis_label = "x1", "x2"
        self.figure = fig
        self._pane = pn.pane.Bokeh(fig)
        self.session.param.watch(self._redraw, "frame")
        self._points_for = None
        self._redraw()

    def _redraw(self, *_) -> None:
        s = self.session
        if not has_plane(s.data_spec):
            return
        if self._points_for is not s.data:
            self._points_for = s.data
            pts, y = s.data.points_train, s.data.y_train
            if s.data_spec.kind == "classification":
                colors = [CLASS_COLORS[int(c)] for c in y]
            else:
                colors = ["#0877bd" if v > 0 else "#f59322" for v in y]
            self.points.data = {"x": pts[:, 0], "y": pts[:, 1], "color": colors}
        out = s.trainer.network.predict(plane_inputs(s.data_spec, self._grid))
        n = self.resolution
        if s.data_spec.kind == "classification":
            img = classification_image(out, n)
        else:
            img = regression_image(out, n)
        self.image.data = {"image": [img]}

    def __panel__(self):
        return self._pane
