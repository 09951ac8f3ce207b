"""Decision boundary: the network's output painted over the input plane, with the data.

Colour is the predicted class, lightness the confidence (regression: a diverging map of
the value, titled "Prediction", with its colour bar). An invisible scalar image under the
colours lets the hover read the prediction at the cursor. Each frame replaces the image
columns and nothing else. Only what applies to the data is offered: drawing, test points
and discretizing need a plane of two coordinates (not the digits, not 1-D data). Own CSV
data is labelled with its column names and a legend of its class names.
"""
from __future__ import annotations

import numpy as np
import panel as pn
from bokeh.events import DoubleTap, Tap
from bokeh.models import ColorBar, ColumnDataSource, HoverTool, Legend, LegendItem, LinearColorMapper

from ...engine import DOMAIN
from ..colors import classification_image, diverging_palette, point_colors, regression_image
from ..plain_text import MessageBox
from ..plane import is_2d
from ..scene import RESOLUTION
from .base import SessionView, styled_figure

TITLES = {"classification": "Decision boundary (input space)", "regression": "Prediction (input space)"}


class DecisionBoundary(SessionView):
    def __init__(self, **params):
        super().__init__(**params)
        n = RESOLUTION
        self.image = ColumnDataSource({"image": [np.zeros((n, n), dtype=np.uint32)],
                                       "value": [np.zeros((n, n), dtype=np.float32)]})
        self.points = ColumnDataSource({"x": [], "y": [], "color": [], "label": [], "marker": []})
        fig = styled_figure("Decision boundary (input space)", "decision-boundary" + self.suffix, width=400, height=400,
                            x_range=(-DOMAIN, DOMAIN), y_range=(-DOMAIN, DOMAIN), tools="save")
        value = fig.image(image="value", x=-DOMAIN, y=-DOMAIN, dw=2 * DOMAIN, dh=2 * DOMAIN, source=self.image,
                          color_mapper=LinearColorMapper(palette=["#ffffff"], low=0, high=1), global_alpha=0)
        fig.image_rgba(image="image", x=-DOMAIN, y=-DOMAIN, dw=2 * DOMAIN, dh=2 * DOMAIN, source=self.image)
        self.dots = fig.scatter("x", "y", color="color", marker="marker", line_color="white", line_width=0.8,
                                size=6, source=self.points)
        fig.add_tools(HoverTool(renderers=[value], tooltips=[("x1, x2", "$x{0.00}, $y{0.00}"),
                                                             ("prediction", "@value{0.000}")]))
        fig.xaxis.axis_label, fig.yaxis.axis_label = "x1", "x2"
        # the colour bar (regression) and the legend (own data), hidden until needed. Made now, not
        # when first needed: a Legend added to a figure already on the page broke BokehJS ("cannot
        # find a view for Legend"), and every later change in that patch was lost with it
        self.color_bar = ColorBar(color_mapper=LinearColorMapper(palette=diverging_palette(), low=-1, high=1),
                                  width=10, title="prediction", visible=False)
        fig.add_layout(self.color_bar, "right")
        self.legend = Legend(location="top_left", background_fill_alpha=0.75, label_text_font_size="11px",
                             padding=4, spacing=0, margin=4, visible=False)
        fig.add_layout(self.legend)
        self.figure = fig
        self.message = pn.pane.Markdown("", visible=False, sizing_mode="stretch_width", max_width=400)
        v = self.session.view
        self.draw_mode = pn.widgets.RadioButtonGroup(
            options={"Off": -1, "Orange": 0, "Blue": 1, "Green": 2, "Red": 3, "Purple": 4}, value=-1,
            width=330, css_classes=["nnweb-draw-mode"], margin=(0, 10))
        self.draw_hint = pn.pane.HTML("<small>Draw: pick a class, click the plane to add a point of it; "
                                      "shift-click removes the nearest point.</small>", margin=(0, 10))
        self.draw_note = MessageBox().follow(self.session, "draw")  # replaced data, refused points
        fig.on_event(Tap, self._tapped)
        fig.on_event(DoubleTap, self._tapped)  # a quick second click arrives as a double tap
        self.show_test = pn.widgets.Checkbox.from_param(v.param.show_test, label="Test points")
        self.discretize = pn.widgets.Checkbox.from_param(v.param.discretize, label="Discretize")
        self.options = pn.Row(self.show_test, self.discretize,
                              pn.widgets.Checkbox.from_param(v.param.draw, label="Draw while training"))
        self._points_for = None
        self.session.view.param.watch(lambda *_: self._on_frame(), ["show_test", "discretize"])
        self.session.param.watch(lambda *_: self._relevant(), "state_changed")
        self._relevant()
        self._on_frame()  # hidden views draw when first shown (tabs render lazily)

    def _tapped(self, event) -> None:
        label = self.draw_mode.value
        if label < 0:
            return
        remove = bool(event.modifiers and event.modifiers.get("shift"))
        try:
            self.session.draw_point(float(event.x), float(event.y), None if remove else label)
        except ValueError as err:
            self.draw_note.show(f"Point not drawn: {err}")

    def _relevant(self) -> None:
        """Offer only what applies to the data on screen, and label it as its kind needs."""
        spec = self.session.data_spec
        plane, regression = is_2d(spec), spec.kind == "regression"
        drawable = plane and not regression
        self.draw_mode.visible = self.draw_hint.visible = drawable
        if not drawable:
            self.draw_mode.value = -1
            self.draw_note.clear()
        self.show_test.visible = plane
        self.discretize.visible = plane and not regression
        title = TITLES[spec.kind]
        self.figure.title.text = title.split(" (")[0] if self.compact else title  # an embed's fits its figure
        self.color_bar.visible = regression  # what the colours mean: the image's scale, -1 .. +1
        (x1, x2), _ = self.session.names()
        self.figure.xaxis.axis_label, self.figure.yaxis.axis_label = x1, x2

    def _legend(self, labels: np.ndarray) -> None:
        """Own data's class names, each shown as the first point of its class."""
        _, classes = self.session.names()
        items = []
        for i, name in enumerate(classes):
            first = np.flatnonzero(labels == i)
            if len(first):
                items.append(LegendItem(label=name, renderers=[self.dots], index=int(first[0])))
        if items or self.legend.items:
            self.legend.items = items
        self.legend.visible = bool(items)

    def embed(self, compact: bool = True) -> None:
        super().embed(compact)
        if compact:  # fits above the smallest figure (embed_fit.SMALLEST_PX)
            self.figure.title.text = TITLES[self.session.data_spec.kind].split(" (")[0]

    def redraw(self) -> None:
        s, scene = self.session, self.session.scene()
        self.message.visible = not scene.has_plane
        self.figure.visible = scene.has_plane
        if not scene.has_plane:
            self.message.object = ("**The digits have 64 inputs: there is no input plane to paint.** "
                                   "Their layers are shown by PCA in the layer-space views.")
            self._points_for = None
            return
        # drawn points are all shown (test ones as triangles): a point drawn must not vanish
        # because the split put it among the test points
        with_test = s.view.show_test or s.data_spec.dataset == "custom"
        key = (id(s.data), with_test)
        if self._points_for != key:  # every point, also when a large net's scene has only some
            self._points_for = key
            d = s.data
            points, labels = np.concatenate([d.points_train, d.points_test]), np.concatenate([d.y_train, d.y_test])
            is_train = np.arange(len(points)) < len(d.points_train)
            keep = is_train | with_test
            self.points.data = {"x": points[keep, 0], "y": points[keep, 1],
                                "color": point_colors(scene.kind, labels[keep]),
                                "label": labels[keep].astype(float),
                                "marker": np.where(is_train[keep], "circle", "triangle").tolist()}
            self._legend(labels[keep])
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
        return pn.Column(self.figure, self.options, self.draw_hint, self.draw_mode, self.draw_note, self.message)
