"""1D mode: for data with a single input, each representation is a number line and every
input position is followed from the input (top) to the output (bottom).

Lines that cross between two layers show the network folding the line onto itself;
lines that spread or bunch up show stretching and squashing. Two scales (a view setting):
each layer fitted (its largest value reaches the edge: shapes compare, not magnitudes), or
one shared scale (x_out = 2 x_in draws twice as wide as its input).

Below, a layer whose input and output are one number each is drawn as the textbook draws
it first: the graph x_out(x_in) over the data's range, with the data points on it.
"""
from __future__ import annotations

import numpy as np
import panel as pn
from bokeh.models import ColumnDataSource, Range1d

from ...engine.datasets import ONE_D
from ..colors import point_colors
from ..function_graph import function_graph, graphable_layers
from ..geometry import fitted_extent, projector
from .base import SessionView, styled_figure

GRADIENT = ["#3b4cc0", "#6788ee", "#9abbff", "#c9d7f0", "#edd1c2", "#f7a889", "#e26952", "#b40426"]
NO_GRAPH = ("*A layer is drawn as a function when its input and its output are one number each: "
            "give a hidden layer 1 neuron (the first one, or one after another 1-neuron layer).*")


def one_d_stages(reps: dict, names: list[str], fit_reps: dict, shared: bool = False) -> np.ndarray:
    """(stages, points) values: each representation reduced to 1 axis (PCA when wider), divided
    by its own largest |value| on the data, or (``shared``) by the largest over every layer."""
    rows, scales = [], []
    for name in names:
        project, _ = projector(fit_reps[name], 1, "pca" if fit_reps[name].shape[1] > 1 else "neurons", (0,))
        rows.append(project(reps[name])[:, 0])
        fitted = np.abs(project(fit_reps[name])[:, 0])
        scales.append(np.nanmax(fitted[np.isfinite(fitted)], initial=0.0) or 1.0)
    scales = np.full(len(names), max(scales)) if shared else np.array(scales)
    return np.array(rows) / scales[:, None]


class OneD(SessionView):
    def __init__(self, **params):
        super().__init__(**params)
        v = self.session.view
        self.paths = ColumnDataSource({"xs": [], "ys": [], "color": []})
        self.points = ColumnDataSource({"x": [], "y": [], "color": []})
        self.captions = ColumnDataSource({"x": [], "y": [], "text": []})
        fig = styled_figure("1D · each layer as a number line", "one-d", width=420, height=440,
                            tools="save", x_range=Range1d(-1.9, 1.15), y_range=Range1d(-6.5, 0.5))
        fig.multi_line("xs", "ys", color="color", source=self.paths, line_width=1.2, alpha=0.75)
        fig.scatter("x", "y", color="color", source=self.points, size=5, line_color="white", line_width=0.5)
        fig.text("x", "y", text="text", source=self.captions, text_font_size="10px", text_baseline="middle",
                 text_color="#555555")
        fig.axis.visible = False
        fig.grid.visible = False
        self.figure = fig
        self.scale = pn.widgets.RadioButtonGroup.from_param(v.param.one_d_scale, options={
            "Each layer fitted": "fitted", "Shared scale": "shared"}, width=260, margin=(5, 10), description=(
                "Each layer fitted: every layer fills the width, so shapes compare. Shared scale: one scale "
                "for all, so sizes compare (a layer that doubles its input draws twice as wide)."))
        self.curve = ColumnDataSource({"x": [], "y": []})
        self.graph_points = ColumnDataSource({"x": [], "y": [], "color": []})
        graph = styled_figure("Layer as a function", "one-d-graph", width=420, height=320, tools="save,reset",
                              x_range=Range1d(-1, 1), y_range=Range1d(-1, 1))
        graph.line("x", "y", source=self.curve, color="#333333", line_width=2)
        graph.scatter("x", "y", color="color", source=self.graph_points, size=6, line_color="white",
                      line_width=0.6, alpha=0.85)
        self.graph = graph
        self.function_layer = pn.widgets.Select(label="Layer as a function", width=200, visible=False)
        self._showing = False  # the view itself is setting the picker: not a person's choice
        self.function_layer.param.watch(lambda e: self._showing or setattr(v, "function_layer", e.new), "value")
        self.note = pn.pane.Markdown("", sizing_mode="stretch_width", max_width=420, margin=(0, 10))
        v.param.watch(lambda *_: self._on_frame(), ["one_d_scale", "function_layer"])
        self._on_frame()  # hidden views draw when first shown (tabs render lazily)

    @classmethod
    def cannot_show(cls, session) -> str:
        if session.data_spec.dataset in ONE_D:
            return ""
        return (f"1D follows data with a single input through the layers: pick {' or '.join(ONE_D)} "
                "in the Dataset menu to see it.")

    def redraw(self) -> None:
        scene = self.session.scene()
        self.figure.visible = self.scale.visible = scene.one_d  # an empty frame says nothing; the tab's notice does
        if not scene.one_d:
            self.note.object = ""
            self.paths.data = {"xs": [], "ys": [], "color": []}
            self.points.data = {"x": [], "y": [], "color": []}
            self.captions.data = {"x": [], "y": [], "text": []}
            self.graph.visible = self.function_layer.visible = False
            return
        self.note.object = ""
        names = scene.names
        shared = self.session.view.one_d_scale == "shared"
        depth = -np.arange(len(names), dtype=float)
        self.figure.y_range.start, self.figure.y_range.end = depth[-1] - 0.5, 0.5
        values = one_d_stages(scene.axis_reps, names, scene.data_reps, shared)  # (stages, inputs)
        colors = [GRADIENT[int(i * (len(GRADIENT) - 1) / (values.shape[1] - 1))] for i in range(values.shape[1])]
        self.paths.data = {"xs": list(values.T), "ys": [depth] * values.shape[1], "color": colors}
        keep = scene.is_train
        data = one_d_stages(scene.data_reps, names, scene.data_reps, shared)[:, keep]
        pc = point_colors(scene.kind, scene.labels[keep])
        self.points.data = {"x": data.ravel(), "y": np.repeat(depth, data.shape[1]), "color": np.tile(pc, (len(names), 1))}
        self.captions.data = {"x": [-1.85] * len(names), "y": depth, "text": names}
        self.figure.title.text = f"1D · each layer as a number line ({'shared scale' if shared else 'each fitted'})"
        self._draw_graph(scene, pc)

    def _draw_graph(self, scene, colors) -> None:
        """The chosen graphable layer's curve x_out(x_in) and the training points on it."""
        spans = {label: (src, dst) for label, src, dst in
                 graphable_layers(scene.names, {n: r.shape[1] for n, r in scene.data_reps.items()})}
        self.graph.visible = bool(spans)
        self.function_layer.visible = len(spans) > 1
        if not spans:
            self.note.object = NO_GRAPH
            return
        options = list(spans)
        if self.function_layer.options != options:
            self.function_layer.options = options
        label = self.session.view.function_layer
        label = label if label in spans else options[0]
        self._showing = True
        try:
            self.function_layer.value = label
        finally:
            self._showing = False
        src, dst = spans[label]
        keep = scene.is_train
        x_data, y_data = scene.data_reps[src][keep, 0], scene.data_reps[dst][keep, 0]
        (low, high), = fitted_extent(x_data[:, None], pad=0.0)
        x, y = function_graph(scene.axis_reps[src][:, 0], scene.axis_reps[dst][:, 0], (low, high))
        self.curve.data = {"x": x, "y": y}
        self.graph_points.data = {"x": x_data, "y": y_data, "color": colors}
        (x0, x1), (y0, y1) = fitted_extent(np.stack([np.concatenate([x, x_data]), np.concatenate([y, y_data])], 1))
        self.graph.x_range.update(start=x0, end=x1)
        self.graph.y_range.update(start=y0, end=y1)
        self.graph.xaxis.axis_label = f"x_in: {src}"
        self.graph.yaxis.axis_label = f"x_out: {dst}"
        self.graph.title.text = f"{label} as a function: x_out = f(x_in)"

    def __panel__(self):
        # The graph in a column of its own: Bokeh would otherwise indent the number lines' frame
        # to line up with the graph's axis.
        return pn.Column(self.scale, self.figure, self.note,
                         pn.Column(self.function_layer, self.graph, margin=0, sizing_mode="stretch_width"))
