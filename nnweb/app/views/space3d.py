"""3D layer space: three neurons (or three principal components) seen from any angle.

Bokeh draws 2D, so the points and warped grid are rotated in NumPy and projected
orthographically; nearer points are drawn last and larger, and three axis arrows show
the orientation. Azimuth and elevation are sliders (arrow keys work on them). In the layer
the output unit reads, when it has three neurons, its decision boundary is a translucent
plane (pieces of planes for a softmax): "then a plane separates them". A wider layer is
shown by its first three principal components ("PCA").
The tab says when the representation is flat (fewer than 3 neurons) and names one that is not.
"""
from __future__ import annotations

import numpy as np
import panel as pn
from bokeh.models import ColumnDataSource

from ..geometry import nan_separated, polylines, rotate
from ..layout import wrap_row
from .base import SessionView, styled_figure
from .layer_space import boundary_note, draws_boundary, layer_space_data
from .legend import ClassLegend, legend_names


class Space3D(SessionView):
    def __init__(self, **params):
        super().__init__(**params)
        v = self.session.view
        self.lines = ColumnDataSource({"x": [], "y": []})
        self.points = ColumnDataSource({"x": [], "y": [], "color": [], "size": []})
        self.axes = ColumnDataSource({"x0": [], "y0": [], "x1": [], "y1": [], "color": [], "label": []})
        fig = styled_figure("3D layer space", "space-3d", width=420, height=420, tools="wheel_zoom,reset,save",
                            match_aspect=True)
        fig.segment("x0", "y0", "x1", "y1", color="color", line_width=2, source=self.axes)
        fig.text("x1", "y1", text="label", source=self.axes, text_font_size="11px", text_color="color")
        fig.line("x", "y", source=self.lines, color="#4a4a4a", alpha=0.45, line_width=1)
        fig.scatter("x", "y", color="color", size="size", source=self.points, line_color="white", line_width=0.6)
        # One patch glyph, polygons NaN-separated (as the lines are): a ``patches`` glyph whose list
        # of polygons became empty was painted from its old index and stopped the page's drawing.
        self.planes = ColumnDataSource({"x": [], "y": []})
        # under the points (they stay readable), above nothing else worth seeing
        fig.patch("x", "y", source=self.planes, fill_color="#5b6b7b", fill_alpha=0.14, line_color="#1f1f1f",
                    line_alpha=0.6, line_width=1.2, line_dash="dashed", level="underlay")
        self.boundary_note = pn.pane.HTML("", visible=False, margin=(0, 10), css_classes=["nnweb-boundary-note"])
        self.legend = ClassLegend()
        fig.xaxis.visible = fig.yaxis.visible = False
        fig.grid.visible = False
        self.figure = fig
        self.azimuth = pn.widgets.FloatSlider.from_param(v.param.azimuth, label="Azimuth", step=1, width=200)
        self.elevation = pn.widgets.FloatSlider.from_param(v.param.elevation, label="Elevation", step=1, width=200)
        self.layer = pn.widgets.Select.from_param(v.param.layer, label="Representation", width=230)
        self.projection = pn.widgets.RadioButtonGroup.from_param(v.param.projection, options={
            "Neurons": "neurons", "PCA": "pca"}, width=150, margin=(26, 10, 5, 10))
        v.param.watch(lambda *_: self._on_frame(),
                      ["layer", "projection", "neuron_x", "neuron_y", "neuron_z", "azimuth", "elevation", "show_test"])
        self._on_frame()  # hidden views draw when first shown (tabs render lazily)

    def redraw(self) -> None:
        scene, v = self.session.scene(), self.session.view
        if v.layer not in scene.data_reps:
            return
        d = layer_space_data(scene, v.layer, v.projection, (v.neuron_x, v.neuron_y, v.neuron_z), v.show_test, k=3)
        scale = np.abs(d["points"]).max() or 1.0
        view = rotate(d["points"], v.azimuth, v.elevation)
        order = np.argsort(view[:, 2])  # far first, near last
        depth = (view[order, 2] / scale + 1) / 2
        self.points.data = {"x": view[order, 0], "y": view[order, 1], "color": d["point_colors"][order],
                            "size": 4 + 4 * np.clip(depth, 0, 1)}
        if scene.has_plane:
            lines = d["lines"]
            flat = rotate(lines.reshape(-1, 3), v.azimuth, v.elevation)[:, :2]
            x, y = polylines(flat.reshape(lines.shape[:2] + (2,)))
            self.lines.data = {"x": x, "y": y}
        else:
            self.lines.data = {"x": [], "y": []}
        tips = rotate(np.eye(3) * scale * 1.1, v.azimuth, v.elevation)
        self.axes.data = {"x0": [0.0] * 3, "y0": [0.0] * 3, "x1": tips[:, 0], "y1": tips[:, 1],
                          "color": ["#c0392b", "#27ae60", "#2c3e50"], "label": d["labels"]}
        planes = [rotate(polygon, v.azimuth, v.elevation)[:, :2] for _, polygon in d["boundary"]]
        if planes or len(self.planes.data["x"]):
            x, y = nan_separated(planes)
            self.planes.data = {"x": x, "y": y}
        explained = draws_boundary(scene, v.layer, 3)  # as in the layer space: not the frame's pieces
        if explained:
            self.boundary_note.object = boundary_note(scene.head, "Shaded" if scene.head == "sigmoid" else "Shaded planes")
        self.boundary_note.visible = explained
        self.legend.show(legend_names(self.session.data_spec.dataset, scene.kind, self.session.data_spec.n_classes))
        self.figure.title.text = "3D" if self.compact else f"3D · {v.layer}"  # compact: as the layer space

    @classmethod
    def cannot_show(cls, session) -> str:
        """A representation of fewer than 3 neurons is flat in 3D: name the ones that are not."""
        widths = {name: rep.shape[1] for name, rep in session.scene().data_reps.items() if name != "input"}
        width = widths.get(session.view.layer, 3)
        if width >= 3:
            return ""
        wide = sorted((name for name, w in widths.items() if w >= 3 and "·" in name),
                      key=lambda name: not name.endswith("· activation"))  # what a layer outputs, first
        flat = f"{session.view.layer} has {width} neuron{'s' * (width != 1)}, so it is flat in 3D"
        if wide:
            return f"{flat}: pick {wide[0]} ({widths[wide[0]]} neurons) as the representation."
        return f"{flat}, and so is every layer of this network: give a hidden layer 3 neurons (Network card)."

    def embed(self, compact: bool = True) -> None:
        super().embed(compact)
        if compact:  # the rotation sliders fit under the smallest figure (embed_fit.SMALLEST_PX)
            self.azimuth.width = self.elevation.width = 160

    def __panel__(self):
        if self.compact:
            return pn.Column(self.figure, self.legend, wrap_row(self.azimuth, self.elevation))
        return pn.Column(wrap_row(self.layer, self.projection), self.figure, self.legend, self.boundary_note,
                         wrap_row(self.azimuth, self.elevation))
