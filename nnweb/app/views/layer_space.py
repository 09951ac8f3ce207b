"""Layer space: where a representation puts the data, and how it warps the input plane.

Three layers of ink, all in the chosen representation's axes (two neurons, or the first
two principal components of the data there): a faint cloud of input-plane points coloured
by the class the whole network assigns them, the input plane's grid lines mapped through
the network (straight lines bend, fold and stretch), and the data points themselves. In
the layer the output unit reads, when it has two neurons, a fourth: the output's decision
boundary, the straight line(s) that finally separate the classes (``head_geometry``).
"""
from __future__ import annotations

import numpy as np
import panel as pn
from bokeh.models import ColumnDataSource

from ..colors import point_colors
from ..geometry import polylines, projector
from ..head_geometry import boundary_pieces, extent
from ..layout import wrap_row
from ..scene import CLOUD_STEP
from .base import SessionView, styled_figure
from .legend import ClassLegend, legend_names

BOUNDARY_STYLE = dict(color="#1f1f1f", line_width=2.5, line_dash="dashed", alpha=0.9)


def boundary_note(head: str, drawn_as: str) -> str:
    """What the drawn boundary is, under the figure (not a legend over the data)."""
    if head == "sigmoid":
        what = "where the output's logit w · h + b is 0 (p = 1/2)"
    else:
        what = "where two classes' logits tie, (w_i − w_j) · h + b_i − b_j = 0, and lead the others"
    return (f"<small>{drawn_as}: the output's decision boundary, {what}. Exact here, as this layer "
            "feeds the output layer directly.</small>")


def boundary_in_view(scene, layer: str, project, k: int) -> list:
    """[(pair, piece in the view's axes)] of the output's decision boundary, where it is exact
    and drawable: ``layer`` is the one the output layer reads (after any norm: a norm or an
    activation between them would bend it) and has exactly ``k`` neurons, so the axes are its
    own neurons. A line is clipped to the box around everything the 2-D view draws (it crosses
    the plot); a plane to the box around the data (a patch the size of the data reads as "this
    plane separates them", one as large as the warped grid hides them)."""
    fit = scene.data_reps[layer]
    if layer != scene.feeds_output or fit.shape[1] != k or scene.head not in ("sigmoid", "softmax"):
        return []
    drawn = [fit] + ([scene.plane_reps[layer], scene.line_reps[layer]] if scene.has_plane and k == 2 else [])
    box = extent(*drawn)
    if box is None:
        return []
    pieces = boundary_pieces(scene.output_weight, scene.output_bias, scene.head, *box)
    return [(pair, project(shape)) for pair, shape in pieces]


def layer_space_data(scene, layer: str, mode: str, neurons, show_test: bool, k: int = 2):
    """Plot columns for ``layer`` in ``k`` axes: cloud, lines (NaN-separated), points; labels."""
    fit = scene.data_reps[layer]
    project, labels = projector(fit, k, mode, neurons)
    keep = scene.is_train | show_test
    points = project(fit[keep])
    out = {"points": points, "point_colors": point_colors(scene.kind, scene.labels[keep]),
           "labels": labels, "keep": keep, "boundary": boundary_in_view(scene, layer, project, k)}
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
        self.boundary = ColumnDataSource({"x": [], "y": []})
        fig.line("x", "y", source=self.boundary, **BOUNDARY_STYLE)
        self.boundary_note = pn.pane.HTML("", visible=False, margin=(0, 10), css_classes=["nnweb-boundary-note"])
        self.legend = ClassLegend()
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
        if d["boundary"] or len(self.boundary.data["x"]):
            x, y = polylines(np.array([piece for _, piece in d["boundary"]]).reshape(-1, 2, 2))
            self.boundary.data = {"x": x, "y": y}
        self.boundary_note.visible = bool(d["boundary"])
        if d["boundary"]:
            self.boundary_note.object = boundary_note(scene.head, "Dashed")
        self.legend.show(legend_names(self.session.data_spec.dataset, scene.kind, self.session.data_spec.n_classes))
        self.figure.xaxis.axis_label, self.figure.yaxis.axis_label = d["labels"]
        # compact: the menu above names the layer, and a long title would widen the smallest figure
        self.figure.title.text = ("Layer space" if self.compact else
                                  f"Layer space · {v.layer} ({width} neuron{'s' * (width != 1)})")

    def embed(self, compact: bool = True) -> None:
        super().embed(compact)
        if compact:  # fits above the smallest figure (embed_fit.SMALLEST_PX)
            self.layer.width = 190

    def __panel__(self):
        if self.compact:  # an embed: which representation, nothing more (the link sets the projection;
            # the dashed line goes without its sentence, which would make the frame scroll)
            return pn.Column(self.layer, self.figure, self.legend)
        return pn.Column(wrap_row(self.layer, self.projection), self.figure, self.legend, self.boundary_note,
                         wrap_row(self.neuron_x, self.neuron_y, self.grid), self.show_test)
