"""Decision boundary: the network's output painted over the input plane, with the data.

Colour is the predicted class, lightness the confidence (regression: a diverging map of
the value). An invisible scalar image under the colours lets the hover read the
prediction at the cursor. Each frame replaces the image columns and nothing else.
"""
from __future__ import annotations

import numpy as np
import panel as pn
from bokeh.events import DoubleTap, Tap
from bokeh.models import ColumnDataSource, HoverTool, LinearColorMapper

from ...engine import DOMAIN
from ..colors import classification_image, point_colors, regression_image
from ..scene import RESOLUTION
from .base import SessionView, styled_figure


class DecisionBoundary(SessionView):
    def __init__(self, **params):
        super().__init__(**params)
        n = RESOLUTION
        self.image = ColumnDataSource({"image": [np.zeros((n, n), dtype=np.uint32)],
                                       "value": [np.zeros((n, n), dtype=np.float32)]})
        self.points = ColumnDataSource({"x": [], "y": [], "color": [], "label": [], "marker": []})
        fig = styled_figure("Decision boundary (input space)", "decision-boundary" + self.suffix, width=400, height=400,
                            x_range=(-DOMAIN, DOMAIN), y_range=(-DOMAIN, DOMAIN), tools="save,reset")
        value = fig.image(image="value", x=-DOMAIN, y=-DOMAIN, dw=2 * DOMAIN, dh=2 * DOMAIN, source=self.image,
                          color_mapper=LinearColorMapper(palette=["#ffffff"], low=0, high=1), global_alpha=0)
        fig.image_rgba(image="image", x=-DOMAIN, y=-DOMAIN, dw=2 * DOMAIN, dh=2 * DOMAIN, source=self.image)
        fig.scatter("x", "y", color="color", marker="marker", line_color="white", line_width=0.8, size=6,
                    source=self.points)
        fig.add_tools(HoverTool(renderers=[value], tooltips=[("x1, x2", "$x{0.00}, $y{0.00}"),
                                                             ("prediction", "@value{0.000}")]))
        fig.xaxis.axis_label, fig.yaxis.axis_label = "x1", "x2"
        self.figure = fig
        self.message = pn.pane.Markdown("", visible=False, sizing_mode="stretch_width", max_width=400)
        v = self.session.view
        self.draw_mode = pn.widgets.RadioButtonGroup(
            options={"Off": -1, "Orange": 0, "Blue": 1, "Green": 2, "Red": 3, "Purple": 4}, value=-1,
            width=330, css_classes=["nnweb-draw-mode"], margin=(0, 10))
        self.draw_hint = pn.pane.HTML("<small>Draw: pick a class, click the plane to add a point of it; "
                                      "shift-click removes the nearest point.</small>", margin=(0, 10))
        fig.on_event(Tap, self._tapped)
        fig.on_event(DoubleTap, self._tapped)  # a quick second click arrives as a double tap
        self.options = pn.Row(pn.widgets.Checkbox.from_param(v.param.show_test, label="Test points"),
                              pn.widgets.Checkbox.from_param(v.param.discretize, label="Discretize"),
                              pn.widgets.Checkbox.from_param(v.param.draw, label="Draw while training"))
        self._points_for = None
        self.session.view.param.watch(lambda *_: self._on_frame(), ["show_test", "discretize"])
        self._on_frame()  # hidden views draw when first shown (tabs render lazily)

    def _tapped(self, event) -> None:
        label = self.draw_mode.value
        if label < 0:
            return
        remove = bool(event.modifiers and event.modifiers.get("shift"))
        try:
            self.session.draw_point(float(event.x), float(event.y), None if remove else label)
        except ValueError as err:
            self.session.message = f"Point not drawn: {err}"

    def embed(self, compact: bool = True) -> None:
        super().embed(compact)
        if compact:  # fits above the smallest figure (embed_fit.SMALLEST_PX)
            self.figure.title.text = "Decision boundary"

    def redraw(self) -> None:
        s, scene = self.session, self.session.scene()
        self.message.visible = not scene.has_plane
        self.figure.visible = scene.has_plane
        if not scene.has_plane:
            self.message.object = ("**The digits have 64 inputs: there is no input plane to paint.** "
                                   "Their layers are shown by PCA in the layer-space views.")
            self._points_for = None
            return
        key = (id(s.data), s.view.show_test)
        if self._points_for != key:  # every point, also when a large net's scene has only some
            self._points_for = key
            d = s.data
            points, labels = np.concatenate([d.points_train, d.points_test]), np.concatenate([d.y_train, d.y_test])
            is_train = np.arange(len(points)) < len(d.points_train)
            keep = is_train | s.view.show_test
            self.points.data = {"x": points[keep, 0], "y": points[keep, 1],
                                "color": point_colors(scene.kind, labels[keep]),
                                "label": labels[keep].astype(float),
                                "marker": np.where(is_train[keep], "circle", "triangle").tolist()}
        out = scene.plane_reps["output"]
        n = scene.resolution  # a large network's scene has a coarser grid: the image stretches
        if scene.kind == "classification":
            image = classification_image(out, n, s.view.discretize)
            value = out[:, 0] if out.shape[1] == 1 else out.max(axis=1)
        else:
            image = regression_image(out, n)
            value = out[:, 0]
        self.image.data = {"image": [image], "value": [value.reshape(n, n).astype(np.float32)]}

    def __panel__(self):
        if self.compact:  # an embed: no options row and no draw tools (its page asks with ?embed&draw)
            return pn.Column(self.figure, self.message)
        return pn.Column(self.figure, self.options, self.draw_hint, self.draw_mode, self.message)
