"""Layer space: where a representation puts the data, and how it warps the input plane.

Three layers of ink, all in the chosen representation's axes (two neurons, or the first
two principal components of the data there): a faint cloud of input-plane points coloured
by the class the whole network assigns them, the input plane's grid lines mapped through
the network (straight lines bend, fold and stretch), and the data points themselves.
"""
from __future__ import annotations

import panel as pn
from bokeh.models import ColumnDataSource

from ..colors import point_colors
from ..geometry import polylines, projector
from ..layout import wrap_row
from ..scene import CLOUD_STEP
from .base import SessionView, styled_figure


def layer_space_data(scene, layer: str, mode: str, neurons, show_test: bool, k: int = 2):
    """Plot columns for ``layer`` in ``k`` axes: cloud, lines (NaN-separated), points; labels."""
    fit = scene.data_reps[layer]
    project, labels = projector(fit, k, mode, neurons)
    keep = scene.is_train | show_test
    points = project(fit[keep])
    out = {"points": points, "point_colors": point_colors(scene.kind, scene.labels[keep]),
           "labels": labels, "keep": keep}
    if scene.has_plane:
        sub = scene.plane_subgrid(CLOUD_STEP)
        out["cloud"] = project(scene.plane_reps[layer][sub])
        pred = scene.plane_reps["output"][sub]
        cls = scene.predicted_class(pred) if scene.kind == "classification" else (pred[:, 0] > 0).astype(int)
        out["cloud_colors"] = point_colors("classification", cls)
        lines = scene.line_reps[layer]
        out["lines"] = project(lines.reshape(-1, lines.shape[-1])).reshape(lines.shape[:2] + (k,))
    return out


class LayerSpace(SessionView):
    def __init__(self, **params):
        super().__init__(**params)
        v = self.session.view
        self.cloud = ColumnDataSource({"x": [], "y": [], "color": []})
        self.lines = ColumnDataSource({"x": [], "y": []})
        self.points = ColumnDataSource({"x": [], "y": [], "color": []})
        fig = styled_figure("Layer space", "layer-space" + self.suffix, width=420, height=420,
                            tools="pan,wheel_zoom,reset,save", active_scroll="wheel_zoom")
        fig.scatter("x", "y", color="color", source=self.cloud, marker="square", size=7, alpha=0.22,
                    line_color=None)
        fig.line("x", "y", source=self.lines, color="#4a4a4a", alpha=0.55, line_width=1)
        fig.scatter("x", "y", color="color", source=self.points, size=6, line_color="white", line_width=0.8)
        self.figure = fig
        self.layer = pn.widgets.Select.from_param(v.param.layer, label="Representation", width=230)
        self.projection = pn.widgets.RadioButtonGroup.from_param(v.param.projection, options={
            "Neurons": "neurons", "PCA": "pca"}, width=150, margin=(26, 10, 5, 10))
        self.neuron_x = pn.widgets.Select(label="Horizontal", width=105)
        self.neuron_y = pn.widgets.Select(label="Vertical", width=105)
        self.neuron_x.link(v, value="neuron_x")
        self.neuron_y.link(v, value="neuron_y")
        self.grid = pn.widgets.IntSlider.from_param(v.param.grid_lines, label="Grid lines", width=170)
        self.show_test = pn.widgets.Checkbox.from_param(v.param.show_test, label="Show test points")
        v.param.watch(lambda *_: self._on_frame(), ["layer", "projection", "neuron_x", "neuron_y", "show_test"])
        self._on_frame()  # hidden views draw when first shown (tabs render lazily)

    def _neuron_options(self, width: int) -> None:
        options = {f"neuron {i + 1}": i for i in range(width)}
        v = self.session.view
        for widget, value in ((self.neuron_x, v.neuron_x), (self.neuron_y, v.neuron_y)):
            if widget.options != options:
                widget.options = options
            widget.value = min(value, width - 1)
            widget.disabled = v.projection == "pca" and width > 2

    def redraw(self) -> None:
        scene, v = self.session.scene(), self.session.view
        if v.layer not in scene.data_reps:
            return
        width = scene.data_reps[v.layer].shape[1]
        self._neuron_options(width)
        d = layer_space_data(scene, v.layer, v.projection, (v.neuron_x, v.neuron_y), v.show_test)
        self.points.data = {"x": d["points"][:, 0], "y": d["points"][:, 1], "color": d["point_colors"]}
        if scene.has_plane:
            self.cloud.data = {"x": d["cloud"][:, 0], "y": d["cloud"][:, 1], "color": d["cloud_colors"]}
            x, y = polylines(d["lines"])
            self.lines.data = {"x": x, "y": y}
        elif len(self.lines.data["x"]):  # no input plane (digits): only the data
            self.cloud.data = {"x": [], "y": [], "color": []}
            self.lines.data = {"x": [], "y": []}
        self.figure.xaxis.axis_label, self.figure.yaxis.axis_label = d["labels"]
        # compact: the menu above names the layer, and a long title would widen the smallest figure
        self.figure.title.text = ("Layer space" if self.compact else
                                  f"Layer space · {v.layer} ({width} neuron{'s' * (width != 1)})")

    def embed(self, compact: bool = True) -> None:
        super().embed(compact)
        if compact:  # fits above the smallest figure (embed_fit.SMALLEST_PX)
            self.layer.width = 190

    def __panel__(self):
        if self.compact:  # an embed: which representation, nothing more (the link sets the projection)
            return pn.Column(self.layer, self.figure)
        return pn.Column(wrap_row(self.layer, self.projection), self.figure,
                         wrap_row(self.neuron_x, self.neuron_y, self.grid), self.show_test)
