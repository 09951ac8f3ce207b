"""Morph: the data and the input plane's grid travel through the network, layer by layer.

Every representation from the input to the output is reduced to 2D (2 neurons as they
are; 1 neuron on a line; wider ones by PCA of the data), each view turned to match the
one before (Procrustes) so nothing spins, and positions are interpolated linearly
between consecutive representations: affine map, then nonlinearity, then the next.
"""
from __future__ import annotations

import panel as pn
from bokeh.models import ColumnDataSource

from ..colors import point_colors
from ..geometry import alignment, morph, pad_axes, polylines, projector
from .base import SessionView, styled_figure


def morph_stages(scene, show_test: bool = False):
    """[(points (N, 2), lines (L, S, 2) or None)] for every representation, aligned in turn."""
    keep = scene.is_train | show_test
    stages, previous = [], None
    for name in scene.names:
        fit = scene.data_reps[name]
        project, _ = projector(fit, 2, "pca" if fit.shape[1] > 2 else "neurons", (0, 1))
        pts = pad_axes(project(fit), 2)
        lines = None
        if scene.has_plane:
            raw = scene.line_reps[name]
            lines = pad_axes(project(raw.reshape(-1, raw.shape[-1])), 2)
        if previous is not None:  # rotate this stage to match the previous one
            turn = alignment(previous, pts)
            pts = pts @ turn
            lines = None if lines is None else lines @ turn
        previous = pts
        stages.append((pts[keep], None if lines is None else lines.reshape(raw.shape[:2] + (2,))))
    return stages


class Morph(SessionView):
    def __init__(self, **params):
        super().__init__(**params)
        v = self.session.view
        self.lines = ColumnDataSource({"x": [], "y": []})
        self.points = ColumnDataSource({"x": [], "y": [], "color": []})
        fig = styled_figure("Morph", "morph", width=420, height=400, tools="pan,wheel_zoom,reset,save",
                            match_aspect=True)
        fig.line("x", "y", source=self.lines, color="#4a4a4a", alpha=0.5, line_width=1)
        fig.scatter("x", "y", color="color", source=self.points, size=6, line_color="white", line_width=0.8)
        self.figure = fig
        # The player's own slider is the scrubber: 0 = input ... 200 = output.
        self.player = pn.widgets.Player(label="Input → output", start=0, end=200, value=0, step=1, interval=40,
                                        loop_policy="reflect", width=420, show_value=False,
                                        show_loop_controls=False, visible_buttons=["reverse", "pause", "play"])
        self.player.param.watch(lambda e: setattr(v, "morph_t", e.new / 200), "value")
        # A hidden morph does not play on: when its tab is shown again it waits for a click.
        self.param.watch(lambda e: e.new or self.player.pause(), "visible")
        self._stages = None
        v.param.watch(lambda *_: self.visible and self._draw(), "morph_t")
        self._on_frame()  # hidden views draw when first shown (tabs render lazily)

    def redraw(self) -> None:
        scene = self.session.scene()
        self._names = scene.names
        self._stages = morph_stages(scene, self.session.view.show_test)
        self._colors = point_colors(scene.kind, scene.labels[scene.is_train | self.session.view.show_test])
        self._draw()

    def _draw(self) -> None:
        if not self._stages:
            return
        t = self.session.view.morph_t
        pts = morph([p for p, _ in self._stages], t)
        self.points.data = {"x": pts[:, 0], "y": pts[:, 1], "color": self._colors}
        if self._stages[0][1] is not None:
            x, y = polylines(morph([line for _, line in self._stages], t))
            self.lines.data = {"x": x, "y": y}
        else:
            self.lines.data = {"x": [], "y": []}
        k = int(round(t * (len(self._names) - 1)))
        self.figure.title.text = f"Morph · {self._names[k]}"

    def __panel__(self):
        return pn.Column(self.figure, self.player)
