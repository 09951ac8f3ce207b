"""Morph: the data and the input plane's grid travel through the network, layer by layer.

Every representation from the input to the output is reduced to 2 axes (2 neurons as they
are; 1 neuron on a line; wider ones by PCA of the data), or to 3 for the 3D morph, and
positions are interpolated linearly between consecutive representations: affine map, then
nonlinearity, then the next. Two ways to look, both view settings (the link keeps them):

- **aligned**: each stage is turned (and flipped) to match the one before (Procrustes), so
  nothing spins; the viewpoint is not the network's own.
- **true coordinates**: each stage as it is. The axes are fitted to each stage and their
  ranges are interpolated with the points, so a ReLU's quadrant edges stay on the axes.

The 3D morph rotates and projects as the 3D tab does (``geometry.rotate``): per frame it
only interpolates, rotates and sorts the points, the stages are computed once per redraw.
"""
from __future__ import annotations

import numpy as np
import panel as pn
from bokeh.models import ColumnDataSource, Range1d

from ..colors import point_colors
from ..geometry import alignment, fitted_extent, morph, pad_axes, polylines, projector, rotate
from ..layout import wrap_row
from .base import SessionView, styled_figure
from .legend import ClassLegend, legend_names

AXIS_COLORS = ["#c0392b", "#27ae60", "#2c3e50"]


def morph_stages(scene, show_test: bool = False, coordinates: str = "aligned", k: int = 2):
    """[(points (N, k), lines (L, S, k) or None, axis labels)] for every representation:
    turned in turn to match the previous stage ("aligned"), or as they are ("true")."""
    keep = scene.is_train | show_test
    stages, previous = [], None
    for name in scene.names:
        fit = scene.data_reps[name]
        project, labels = projector(fit, k, "pca" if fit.shape[1] > k else "neurons", tuple(range(k)))
        pts = pad_axes(project(fit), k)
        lines = None
        if scene.has_plane:
            raw = scene.line_reps[name]
            lines = pad_axes(project(raw.reshape(-1, raw.shape[-1])), k)
        if coordinates == "aligned" and previous is not None:  # rotate this stage to match the previous one
            turn = alignment(previous, pts)
            pts = pts @ turn
            lines = None if lines is None else lines @ turn
        previous = pts
        stages.append((pts[keep], None if lines is None else lines.reshape(raw.shape[:2] + (k,)), labels))
    return stages


def stage_extents(stages) -> list[np.ndarray]:
    """Each stage's fitted axis ranges (k, 2), from its data points: what the true-coordinate
    axes show at that stage (``morph`` of these animates them)."""
    return [fitted_extent(points) for points, _, _ in stages]


class Morph(SessionView):
    def __init__(self, **params):
        super().__init__(**params)
        v = self.session.view
        self.arrows = ColumnDataSource({"x0": [], "y0": [], "x1": [], "y1": [], "color": [], "label": []})
        tools = "pan,wheel_zoom,reset,save"
        # One figure per way of looking: aligned keeps equal aspect (its ranges follow the data),
        # true coordinates owns fixed ranges it animates, 3D has no axes. Each has its own sources
        # and only the shown one is updated: hidden figures cost nothing per frame.
        aligned = styled_figure("Morph", "morph", width=420, height=400, tools=tools, match_aspect=True)
        true = styled_figure("Morph", "morph-true", width=420, height=400, tools=tools,
                             x_range=Range1d(-1, 1), y_range=Range1d(-1, 1))
        space = styled_figure("Morph", "morph-3d", width=420, height=400, tools="wheel_zoom,reset,save",
                              match_aspect=True)
        space.segment("x0", "y0", "x1", "y1", color="color", line_width=2, source=self.arrows)
        space.text("x1", "y1", text="label", source=self.arrows, text_font_size="11px", text_color="color")
        self._sources = {}
        for fig in (aligned, true, space):
            lines = ColumnDataSource({"x": [], "y": []})
            points = ColumnDataSource({"x": [], "y": [], "color": []} | ({"size": []} if fig is space else {}))
            fig.line("x", "y", source=lines, color="#4a4a4a", alpha=0.5, line_width=1)
            fig.scatter("x", "y", color="color", size="size" if fig is space else 6, source=points,
                        line_color="white", line_width=0.8)
            self._sources[fig] = (lines, points)
        space.xaxis.visible = space.yaxis.visible = False
        space.grid.visible = False
        self.all_figures = (aligned, true, space)
        self.figures = {("aligned", "2d"): aligned, ("true", "2d"): true, ("aligned", "3d"): space,
                        ("true", "3d"): space}
        # Only the right-hand group has a tooltip: it opens to the right, where it covers nothing.
        self.dimensions = pn.widgets.RadioButtonGroup.from_param(v.param.morph_dimensions, options={
            "2D": "2d", "3D": "3d"}, width=100, margin=(5, 10), description=None)
        self.coordinates = pn.widgets.RadioButtonGroup.from_param(v.param.morph_coordinates, options={
            "Aligned": "aligned", "True coordinates": "true"}, width=220, margin=(5, 10), description=(
                "Aligned: each layer turned to match the one before, so nothing spins. True coordinates: "
                "each layer as the network computes it, the axes fitted to it."))
        self.azimuth = pn.widgets.FloatSlider.from_param(v.param.azimuth, label="Azimuth", step=1, width=200)
        self.elevation = pn.widgets.FloatSlider.from_param(v.param.elevation, label="Elevation", step=1, width=200)
        self.turn = wrap_row(self.azimuth, self.elevation)
        self.legend = ClassLegend()
        # The player's own slider is the scrubber: 0 = input ... 200 = output.
        self.player = pn.widgets.Player(label="Input → output", start=0, end=200, value=0, step=1, interval=40,
                                        loop_policy="reflect", sizing_mode="stretch_width", max_width=420,
                                        show_value=False, show_loop_controls=False,
                                        visible_buttons=["reverse", "pause", "play"])
        self.player.param.watch(lambda e: setattr(v, "morph_t", e.new / 200), "value")
        # A hidden morph does not play on: when its tab is shown again it waits for a click.
        self.param.watch(lambda e: e.new or self.player.pause(), "visible")
        self._stages = None
        self._show_mode()
        v.param.watch(lambda *_: self.visible and self._draw(), ["morph_t", "azimuth", "elevation"])
        v.param.watch(self._mode_changed, ["morph_coordinates", "morph_dimensions"])
        self._on_frame()  # hidden views draw when first shown (tabs render lazily)

    @property
    def figure(self):
        """The figure of the current way of looking."""
        v = self.session.view
        return self.figures[(v.morph_coordinates, v.morph_dimensions)]

    @property
    def lines(self) -> ColumnDataSource:
        return self._sources[self.figure][0]

    @property
    def points(self) -> ColumnDataSource:
        return self._sources[self.figure][1]

    def _show_mode(self) -> None:
        for fig in self.all_figures:
            fig.visible = fig is self.figure
        self.turn.visible = self.session.view.morph_dimensions == "3d"

    def _mode_changed(self, *_) -> None:
        self._show_mode()
        self._stages = None  # recomputed for the new mode (aligned or not, 2 or 3 axes)
        if self.visible:
            self.redraw()

    def redraw(self) -> None:
        scene, v = self.session.scene(), self.session.view
        self._names = scene.names
        k = 3 if v.morph_dimensions == "3d" else 2
        self._stages = morph_stages(scene, v.show_test, v.morph_coordinates, k)
        self._extents = stage_extents(self._stages)
        self._colors = point_colors(scene.kind, scene.labels[scene.is_train | v.show_test])
        spec = self.session.data_spec
        self.legend.show(legend_names(spec.dataset, scene.kind, spec.n_classes))
        self._draw()

    def _draw(self) -> None:
        if not self._stages:
            return
        v = self.session.view
        t = v.morph_t
        pts = morph([p for p, _, _ in self._stages], t)
        lines = None if self._stages[0][1] is None else morph([line for _, line, _ in self._stages], t)
        k = int(round(t * (len(self._names) - 1)))
        if v.morph_dimensions == "3d":
            pts, lines, colors, size = self._project(pts, lines, self._stages[k][2])
            self.points.data = {"x": pts[:, 0], "y": pts[:, 1], "color": colors, "size": size}
        else:
            self.points.data = {"x": pts[:, 0], "y": pts[:, 1], "color": self._colors}
        if lines is not None:
            x, y = polylines(lines)
            self.lines.data = {"x": x, "y": y}
        else:
            self.lines.data = {"x": [], "y": []}
        fig = self.figure
        if (v.morph_coordinates, v.morph_dimensions) == ("true", "2d"):
            (x0, x1), (y0, y1) = morph(self._extents, t)
            fig.x_range.update(start=x0, end=x1, reset_start=x0, reset_end=x1)  # reset: this stage's fit
            fig.y_range.update(start=y0, end=y1, reset_start=y0, reset_end=y1)
            fig.xaxis.axis_label, fig.yaxis.axis_label = self._stages[k][2]
        fig.title.text = f"Morph · {self._names[k]}"

    def _project(self, pts: np.ndarray, lines, labels):
        """3D points and lines at this t -> screen x, y (far points first, nearer ones larger),
        with the points' colours in that order and their sizes."""
        v = self.session.view
        view = rotate(pts, v.azimuth, v.elevation)
        finite = view[np.isfinite(view).all(axis=1)]
        scale = np.abs(finite).max() if len(finite) else 1.0
        order = np.argsort(view[:, 2])  # far first, near last
        depth = np.clip((view[order, 2] / (scale or 1.0) + 1) / 2, 0, 1)
        flat = None
        if lines is not None:
            flat = rotate(lines.reshape(-1, 3), v.azimuth, v.elevation)[:, :2].reshape(lines.shape[:2] + (2,))
        if v.morph_coordinates == "true":  # the network's own axes, turned with the points
            tips = rotate(np.eye(3) * (scale or 1.0) * 1.1, v.azimuth, v.elevation)
            self.arrows.data = {"x0": [0.0] * 3, "y0": [0.0] * 3, "x1": tips[:, 0], "y1": tips[:, 1],
                                "color": AXIS_COLORS, "label": labels}
        elif len(self.arrows.data["x0"]):
            self.arrows.data = {k: [] for k in self.arrows.data}
        return view[order], flat, self._colors[order], 4 + 4 * depth

    def __panel__(self):
        return pn.Column(wrap_row(self.dimensions, self.coordinates), *self.all_figures, self.legend,
                         self.turn, self.player)
