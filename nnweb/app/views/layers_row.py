"""Layers: every representation of the network side by side, live or at checkpoints of training.

"Live" is a wrapping row of small layer-space plots, input to output (each hidden layer's
output, two neurons or the first two principal components), with the warped grid lines and
the data, redrawn every frame from the scene the other views draw. "Checkpoints" is the
textbook's grid: rows are moments of training (first, early, middle, late, newest
checkpoint), columns the layers; it is recomputed when those checkpoints change, not every
frame, and while training at most one new row a frame (the session evaluates it).

Clicking a plot opens that layer in the large layer-space view (a checkpoint's plot: at that
checkpoint, training paused, as scrubbing the history does): the view sets the view settings
and fires ``opened``; the app switches tabs.
"""
from __future__ import annotations

import numpy as np
import panel as pn
import param
from bokeh.events import Tap
from bokeh.models import ColumnDataSource, Range1d
from bokeh.plotting import figure

from ..colors import point_colors
from ..frame_work import SCENE_FRAMES
from ..layout import wrap_row
from ..small_plots import SIDE, checkpoint_rows, compose, grid_layout, row_layout, small_plot
from .base import FIGURE_STYLE, SessionView
from .network import diagram_columns, short_caption

WIDTH_PX = 440
CHECKPOINT_SCALE = 1 / SCENE_FRAMES  # a checkpoint's scene: one frame's budget, not a live scene's four ...
CHECKPOINT_SHARE = 1 / 4  # ... evaluated while training a quarter of a frame's budget at a time
REFIT_EVERY_FRAME = 16  # layers up to this wide get their PCA axes refitted every frame
HINT = {"live": "Every layer as training goes, input to output. Click a plot to open it in Layer space.",
        "checkpoints": "Rows: checkpoints of training (oldest at the top); columns: the layers. "
                       "Click a plot to look at it in Layer space."}


class LayersRow(SessionView):
    mode = param.Selector(default="live", objects=["live", "checkpoints"], doc="Live row or checkpoint grid")
    stage = param.Selector(default="output", objects=["output", "pre-activation"],
                           doc="Each hidden layer's output, or its neurons' sums before the activation")
    opened = param.Event(doc="A plot was clicked: show Layer space (the app switches tabs)")

    def __init__(self, **params):
        super().__init__(**params)
        self.lines = ColumnDataSource({"x": [], "y": []})
        self.points = ColumnDataSource({"x": [], "y": [], "color": []})
        self.frames = ColumnDataSource({"x": [], "y": [], "layer": [], "checkpoint": []})
        self.captions = ColumnDataSource({"x": [], "y": [], "text": [], "align": []})
        fig = figure(name="layers-row" + self.suffix, width=WIDTH_PX, height=WIDTH_PX // 4, tools="",
                     x_range=Range1d(0, 1), y_range=Range1d(-1, 0), min_border=0,
                     sizing_mode="scale_width", max_width=WIDTH_PX, min_width=260,
                     **{**FIGURE_STYLE, "outline_line_color": None, "toolbar_location": None})
        fig.rect("x", "y", width=SIDE, height=SIDE, source=self.frames, fill_color="#fbfbfb",
                 line_color="#dddddd")
        fig.line("x", "y", source=self.lines, color="#4a4a4a", alpha=0.45, line_width=0.8)
        self.dots = fig.scatter("x", "y", color="color", source=self.points, size=3.5, line_color=None)
        fig.text("x", "y", text="text", source=self.captions, text_align="align", text_baseline="middle",
                 text_font_size="10px", text_color="#555555")
        fig.axis.visible = fig.grid.visible = False
        fig.on_event(Tap, self._tapped)
        self.figure = fig
        self.layout = None
        self.switch = pn.widgets.RadioButtonGroup.from_param(
            self.param.mode, options={"Live": "live", "Checkpoints": "checkpoints"}, width=150,
            css_classes=["nnweb-layers-mode"])
        self.stage_switch = pn.widgets.RadioButtonGroup.from_param(
            self.param.stage, options={"Outputs": "output", "Before activation": "pre-activation"},
            width=200, css_classes=["nnweb-layers-stage"])
        self.hint = pn.pane.HTML("", margin=(0, 10))
        self._scenes: dict = {}  # checkpoint key -> its scene, for the rows on screen
        self._plots: dict = {}  # (checkpoint key, show_test, stage) -> that row's small plots
        self._jobs: dict = {}  # checkpoint key -> its scene being evaluated (scene.SceneInPieces)
        self._drawn = ("none",)  # what the figure shows: ("live",) or the checkpoint rows' keys and options
        self._modes: list[str] = []  # per cell: "pca" or "neurons", as drawn
        self._axes: dict = {}  # (history, layer, width) -> its PCA axes (small_plots.principal_axes)
        self._turn = 0  # whose axes are refitted this frame (of the wide layers)
        self.fits = []  # per cell: how its plot was fitted into it (small_plots.Fit)
        self.param.watch(lambda *_: self._on_frame(), ["mode", "stage"])
        self.session.view.param.watch(lambda *_: self._on_frame(), "show_test")
        self._on_frame()  # hidden views draw when first shown (tabs render lazily)

    # --- drawing ------------------------------------------------------------------------------
    def redraw(self) -> None:
        if self.mode == "live":
            self._draw_live()
        else:
            self._draw_checkpoints()

    def _columns(self, scene) -> list[tuple[str, str]]:
        """(caption, representation): the input, each hidden layer's output (or what its neurons
        sum up before the activation: ``stage``), the output."""
        columns = diagram_columns(scene.names)
        if self.stage != "output":
            columns = [(cap, f"{cap} · {self.stage}" if f"{cap} · {self.stage}" in scene.data_reps else rep)
                       for cap, rep in columns]
        return [(cap, rep) for cap, rep in columns if rep in scene.data_reps]

    def _draw_live(self) -> None:
        s, scene = self.session, self.session.scene()
        columns = self._columns(scene)
        wide = [rep for _, rep in columns if scene.data_reps[rep].shape[1] > REFIT_EVERY_FRAME]
        refit = wide[self._turn % len(wide)] if wide else None
        plots = [small_plot(scene, rep, s.view.show_test, None if rep == refit else self._axes_for(scene, rep))
                 for _, rep in columns]
        self._axes = {(s.history, rep, p["width"]): p["project"] for (_, rep), p in zip(columns, plots)}
        self._turn += 1
        titles = [cap + (" · PCA" if p["mode"] == "pca" else "") for (cap, _), p in zip(columns, plots)]
        self._show(row_layout(titles, WIDTH_PX), scene, plots, [rep for _, rep in columns], [-1] * len(plots))
        self._drawn = ("live",)
        self._say(HINT["live"])

    def _axes_for(self, scene, layer: str):
        """The PCA axes of a wide layer kept from an earlier frame, or None (fit them now). While
        training, a frame refits the axes of one layer wider than ``REFIT_EVERY_FRAME`` neurons
        (in turn) and of every narrower one: fitting 8 layers of 128 every frame was ~150 ms in
        CPython. Paused, every frame's axes are fitted on it."""
        width = scene.data_reps[layer].shape[1]
        if not self.session.running or width <= REFIT_EVERY_FRAME:
            return None
        return self._axes.get((self.session.history, layer, width))

    def _draw_checkpoints(self) -> None:
        s = self.session
        items = s.history.checkpoints.items
        rows = checkpoint_rows(len(items))
        if not rows:
            return
        # the history itself (not its id, which a new one could reuse), the checkpoint, the grid
        keys = [(s.history, items[i][0], items[i][1], s.view.grid_lines) for i in rows]
        missing = [(i, k) for i, k in zip(rows, keys) if k not in self._scenes]
        for i, key in missing[:1] if s.running else missing:  # training: one piece of one row a frame
            job = self._jobs.get(key) or s.checkpoint_scene(i, CHECKPOINT_SCALE, CHECKPOINT_SHARE)
            self._jobs = {key: job}
            scene = job.advance()
            while scene is None and not s.running:
                scene = job.advance()
            if scene is not None:
                self._scenes[key], self._jobs = scene, {}
        ready = [(i, k) for i, k in zip(rows, keys) if k in self._scenes]
        self._scenes = {k: self._scenes[k] for _, k in ready}
        if len(ready) < len(rows) and self._drawn[0] == "checkpoints":
            return  # the grid on screen stays until every new row is ready (no rows coming and going)
        options = (s.view.show_test, self.stage)
        drawn = ("checkpoints", tuple(ready), options)
        if not ready or drawn == self._drawn:
            return  # the same checkpoints as on screen: nothing to redo
        scenes = [self._scenes[k] for _, k in ready]
        columns = self._columns(scenes[0])
        many = len(columns) > 5
        plots, layers, checkpoints = [], [], []
        for (i, key), scene in zip(ready, scenes):
            row = self._plots.get((key, *options))
            if row is None:  # a row's plots are made once (its PCA fits are most of the work)
                row = [small_plot(scene, rep, s.view.show_test) for _, rep in columns]
            self._plots[(key, *options)] = row
            plots += row
            layers += [rep for _, rep in columns]
            checkpoints += [i] * len(columns)
        self._plots = {k: self._plots[k] for k in [(key, *options) for _, key in ready]}
        row_titles = [f"epoch\n{items[i][0]}" for i, _ in ready]
        layout = grid_layout([short_caption(cap) if many else cap for cap, _ in columns], row_titles, WIDTH_PX)
        self._show(layout, scenes[-1], plots, layers, checkpoints)
        self._drawn = drawn
        self._say(HINT["checkpoints"])

    def _show(self, layout, scene, plots, layers, checkpoints) -> None:
        """Put the plots into the sources; the figure's frame changes only with the layout."""
        self.lines.data, self.points.data, self.fits = compose(plots, layout, point_colors(scene.kind, scene.labels))
        frames = {"x": [x0 + SIDE / 2 for x0, _ in layout.boxes], "y": [y0 + SIDE / 2 for _, y0 in layout.boxes],
                  "layer": layers, "checkpoint": checkpoints}
        if frames != self.frames.data:
            self.frames.data = frames
        if layout.texts != self.captions.data:
            self.captions.data = layout.texts
        fig = self.figure
        if (fig.x_range.end, fig.y_range.start) != (layout.width, -layout.height):
            fig.x_range.end, fig.y_range.start = layout.width, -layout.height
            fig.height = layout.pixels_high(WIDTH_PX)
            # dots in proportion to the cells (a 10-layer grid's cells are ~40 px wide)
            self.dots.glyph.size = float(np.clip(WIDTH_PX / layout.width / 30, 2.0, 3.5))
        self.layout, self._modes = layout, [p["mode"] for p in plots]

    def _say(self, hint: str) -> None:
        if self.hint.object != hint:  # not a page update every frame
            self.hint.object = hint

    # --- clicking -----------------------------------------------------------------------------
    def _tapped(self, event) -> None:
        if self.layout is not None:
            self.open(self.layout.cell_at(float(event.x), float(event.y)))

    def open(self, cell: int | None) -> None:
        """Show the plot in ``cell`` in the large layer-space view, with the same axes."""
        if cell is None or cell >= len(self.frames.data["layer"]):
            return
        v = self.session.view
        layer, checkpoint = self.frames.data["layer"][cell], int(self.frames.data["checkpoint"][cell])
        if layer not in v.param.layer.objects:  # the input: Layer space shows what layers make of it
            return
        if checkpoint >= 0:  # as scrubbing the history does: look at that checkpoint, paused
            self.session.running = False
            v.checkpoint = checkpoint
        pca = self._modes[cell] == "pca"
        v.param.update(layer=layer, projection="pca" if pca else "neurons",
                       **({} if pca else {"neuron_x": 0, "neuron_y": 1}))
        self.param.trigger("opened")

    def __panel__(self):
        return pn.Column(wrap_row(self.switch, self.stage_switch), self.hint, self.figure, margin=0)
