"""Layer space: where a representation puts the data, and how it warps the input plane.

Three layers of ink, all in the chosen representation's axes (two neurons, or the first
two principal components of the data there): a faint cloud of input-plane points coloured
by the class the whole network assigns them, the input plane's grid lines mapped through
the network (straight lines bend, fold and stretch), and the data points themselves. In
the layer the output unit reads, when it has two neurons, a fourth: the output's decision
boundary, the straight line(s) that finally separate the classes (``head_geometry``).

The axes are re-fitted to the data (not the plane's cloud) whenever what is shown changes
(new data or demonstration, reset weights, another layer, projection or neuron), and not
while training, so a zoom the person chose stays (while the person has not touched them,
they follow data that training moved out or shrank). The ranges are explicit ``Range1d``s
set from Python: a ``DataRange1d`` is fitted by BokehJS in the page, which never sends
its bounds back, and kept a later demonstration as a blob in a corner of the ReLU one's.
"""
from __future__ import annotations

import numpy as np
import panel as pn
from bokeh.models import ColumnDataSource, Range1d

from ..colors import point_colors
from ..geometry import fitted_extent, polylines, projector
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


def draws_boundary(scene, layer: str, k: int) -> bool:
    """Whether the view of ``layer`` in ``k`` axes draws the output's decision boundary at all
    (where it crosses the view this frame is ``boundary_in_view``'s). The note that explains the
    line follows this, not the line: a line that leaves and re-enters the view as the weights
    move (a diverging run) flipped the note on and off each frame, and each flip re-laid out the
    whole page (~80 ms of the main thread: clicks waited seconds)."""
    return (layer == scene.feeds_output and scene.data_reps[layer].shape[1] == k
            and scene.head in ("sigmoid", "softmax"))


def boundary_in_view(scene, layer: str, project, k: int) -> list:
    """[(pair, piece in the view's axes)] of the output's decision boundary, where it is exact
    and drawable: ``layer`` is the one the output layer reads (after any norm: a norm or an
    activation between them would bend it) and has exactly ``k`` neurons, so the axes are its
    own neurons. A line is clipped to the box around everything the 2-D view draws (it crosses
    the plot); a plane to the box around the data (a patch the size of the data reads as "this
    plane separates them", one as large as the warped grid hides them)."""
    if not draws_boundary(scene, layer, k):
        return []
    fit = scene.data_reps[layer]
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
                            tools="pan,wheel_zoom,reset,save", active_scroll="wheel_zoom",
                            x_range=Range1d(-1, 1), y_range=Range1d(-1, 1))
        fig.scatter("x", "y", color="color", source=self.cloud, marker="square", size=7, alpha=0.22,
                    line_color=None)
        fig.line("x", "y", source=self.lines, color="#4a4a4a", alpha=0.55, line_width=1)
        fig.scatter("x", "y", color="color", source=self.points, size=6, line_color="white", line_width=0.8)
        self.boundary = ColumnDataSource({"x": [], "y": []})
        fig.line("x", "y", source=self.boundary, **BOUNDARY_STYLE)
        self.boundary_note = pn.pane.HTML("", visible=False, margin=(0, 10), css_classes=["nnweb-boundary-note"])
        self.legend = ClassLegend()
        self.figure = fig
        self._fitted_ranges = (-1, 1, -1, 1)
        self._fitted_for, self._drawn_at = None, -1  # what the axes were fitted to (fit_key); last frame drawn
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
        explained = draws_boundary(scene, v.layer, 2)
        if explained:  # set before it is shown: one change of layout, not two
            self.boundary_note.object = boundary_note(scene.head, "Dashed")
        self.boundary_note.visible = explained
        self.legend.show(legend_names(self.session.data_spec.dataset, scene.kind, self.session.data_spec.n_classes))
        self._fit_axes(d)
        self.figure.xaxis.axis_label, self.figure.yaxis.axis_label = d["labels"]
        # compact: the menu above names the layer, and a long title would widen the smallest figure;
        # otherwise the layer alone (the tab says "Layer space", the neuron menus how many neurons):
        # "Layer space · hidden 2 · activation (4 neurons)" pushed the toolbar, its save button
        # among them, off the figure at 390 px and below 440 px
        self.figure.title.text = "Layer space" if self.compact else v.layer

    def embed(self, compact: bool = True) -> None:
        super().embed(compact)
        if compact:  # fits above the smallest figure (embed_fit.SMALLEST_PX)
            self.layer.width = 190

    def fit_key(self) -> tuple:
        """What, when it changes, re-fits the axes: the data, the network (a new one on every
        demonstration, data change or reset) and what is projected. The data and the trainer
        are the objects themselves, compared by identity (an ``id`` is reused once freed)."""
        s, v = self.session, self.session.view
        return s.data, s.trainer, v.layer, v.projection, v.neuron_x, v.neuron_y

    def _fit_axes(self, d: dict) -> None:
        key, last = self.fit_key(), self._fitted_for
        frame, drawn_at, self._drawn_at = self.session.frame, self._drawn_at, self.session.frame
        if last is not None and all(a is b or (isinstance(a, (str, int)) and a == b) for a, b in zip(key, last)):
            if self._untouched() and not self._fits(d["points"]):
                self._set_ranges(fitted_extent(d["points"]))  # training moved the data out: follow it
            return
        if last is not None and (key[0] is not last[0] or key[1] is not last[1]) and frame == drawn_at:
            return  # new data or network, but the scene is the last frame's: fit the next one
        self._fitted_for = key
        # the data, not the plane's cloud: beyond the data, ReLU's cloud runs on far enough to
        # make the data a corner of the view
        self._set_ranges(fitted_extent(d["points"]))

    def _set_ranges(self, extent) -> None:
        (x0, x1), (y0, y1) = extent.tolist()  # geometry.fitted_extent: [low, high] per axis
        # reset_* too: the reset tool comes back to this fit, not to the first one of the page
        self.figure.x_range.update(start=x0, end=x1, reset_start=x0, reset_end=x1)
        self.figure.y_range.update(start=y0, end=y1, reset_start=y0, reset_end=y1)
        self._fitted_ranges = (x0, x1, y0, y1)

    def _untouched(self) -> bool:
        """Whether the axes are still as fitted: the page sends a person's pan or zoom back."""
        x, y = self.figure.x_range, self.figure.y_range
        return (x.start, x.end, y.start, y.end) == self._fitted_ranges

    def _fits(self, points, least: float = 0.4) -> bool:
        """The data is inside the axes and fills at least ``least`` of each."""
        x0, x1, y0, y1 = self._fitted_ranges
        finite = points[np.isfinite(points).all(axis=1)]
        if not len(finite):
            return True
        lo, hi = finite.min(axis=0), finite.max(axis=0)
        return (lo[0] >= x0 and hi[0] <= x1 and lo[1] >= y0 and hi[1] <= y1
                and hi[0] - lo[0] >= least * (x1 - x0) and hi[1] - lo[1] >= least * (y1 - y0))

    def __panel__(self):
        if self.compact:  # an embed: which representation, nothing more (the link sets the projection;
            # the dashed line goes without its sentence, which would make the frame scroll)
            return pn.Column(self.layer, self.figure, self.legend)
        return pn.Column(wrap_row(self.layer, self.projection), self.figure, self.legend, self.boundary_note,
                         wrap_row(self.neuron_x, self.neuron_y, self.grid), self.show_test)
