"""1D mode: for data with a single input, each representation is a number line and every
input position is followed from the input (top) to the output (bottom).

Lines that cross between two layers show the network folding the line onto itself;
lines that spread or bunch up show stretching and squashing. Each layer is drawn on its
own scale (its largest value reaches the edge), so shapes compare, not magnitudes.
"""
from __future__ import annotations

import numpy as np
import panel as pn
from bokeh.models import ColumnDataSource, Range1d

from ..colors import point_colors
from ..geometry import projector
from .base import SessionView, styled_figure

GRADIENT = ["#3b4cc0", "#6788ee", "#9abbff", "#c9d7f0", "#edd1c2", "#f7a889", "#e26952", "#b40426"]


def one_d_stages(reps: dict, names: list[str], fit_reps: dict) -> np.ndarray:
    """(stages, points) values: each representation reduced to 1 axis (PCA when wider), scaled."""
    rows = []
    for name in names:
        project, _ = projector(fit_reps[name], 1, "pca" if fit_reps[name].shape[1] > 1 else "neurons", (0,))
        values = project(reps[name])[:, 0]
        scale = np.abs(project(fit_reps[name])[:, 0]).max() or 1.0
        rows.append(values / scale)
    return np.array(rows)


class OneD(SessionView):
    def __init__(self, **params):
        super().__init__(**params)
        self.paths = ColumnDataSource({"xs": [], "ys": [], "color": []})
        self.points = ColumnDataSource({"x": [], "y": [], "color": []})
        self.captions = ColumnDataSource({"x": [], "y": [], "text": []})
        fig = styled_figure("1D · each layer as a number line", "one-d", width=420, height=440,
                            tools="save,reset", x_range=Range1d(-1.9, 1.15), y_range=Range1d(-6.5, 0.5))
        fig.multi_line("xs", "ys", color="color", source=self.paths, line_width=1.2, alpha=0.75)
        fig.scatter("x", "y", color="color", source=self.points, size=5, line_color="white", line_width=0.5)
        fig.text("x", "y", text="text", source=self.captions, text_font_size="10px", text_baseline="middle",
                 text_color="#555555")
        fig.axis.visible = False
        fig.grid.visible = False
        self.figure = fig
        self.note = pn.pane.Markdown("", width=420, margin=(0, 10))
        self._on_frame()  # hidden views draw when first shown (tabs render lazily)

    def redraw(self) -> None:
        scene = self.session.scene()
        if not scene.one_d:
            self.note.object = "*1D mode shows data with one input: pick the **interval** or **wave** dataset.*"
            self.paths.data = {"xs": [], "ys": [], "color": []}
            self.points.data = {"x": [], "y": [], "color": []}
            self.captions.data = {"x": [], "y": [], "text": []}
            return
        self.note.object = ""
        names = scene.names
        depth = -np.arange(len(names), dtype=float)
        self.figure.y_range.start, self.figure.y_range.end = depth[-1] - 0.5, 0.5
        values = one_d_stages(scene.axis_reps, names, scene.data_reps)  # (stages, inputs)
        colors = [GRADIENT[int(i * (len(GRADIENT) - 1) / (values.shape[1] - 1))] for i in range(values.shape[1])]
        self.paths.data = {"xs": list(values.T), "ys": [depth] * values.shape[1], "color": colors}
        keep = scene.is_train
        data = one_d_stages(scene.data_reps, names, scene.data_reps)[:, keep]
        pc = point_colors(scene.kind, scene.labels[keep])
        self.points.data = {"x": data.ravel(), "y": np.repeat(depth, data.shape[1]), "color": np.tile(pc, (len(names), 1))}
        self.captions.data = {"x": [-1.85] * len(names), "y": depth, "text": names}

    def __panel__(self):
        return pn.Column(self.figure, self.note)
