"""Compare two runs: the current experiment (A) and a duplicate (B) with settings changed.

"Duplicate" copies A's whole experiment into a second Session, so both start from the same
data and the same initial weights; B's own settings card changes whatever should differ.
Both then train together (the app's loop gives each half of the frame) and are drawn side
by side: boundaries, layer spaces, one loss plot with both curves, and steps/s for each.
"""
from __future__ import annotations

import panel as pn
from bokeh.models import ColumnDataSource

from ..controls import Controls
from ..session import Session
from .base import styled_figure
from .boundary import DecisionBoundary
from .layer_space import LayerSpace

# What the tab is for and how to start, before anything else (a bare button said neither)
INTRO = ("<p>Compare trains a copy of this experiment beside it: same data, same initial weights, one setting "
         "changed by you. Press <b>Duplicate</b>, change B's settings below the plots, then Play: "
         "both runs train together.</p>")


class Compare(pn.viewable.Viewer):
    def __init__(self, session: Session, **params):
        super().__init__(**params)
        self.a = session
        self.b: Session | None = None
        self.duplicate = pn.widgets.Button(label="Duplicate this experiment as run B", width=260,
                                           css_classes=["nnweb-compare-start"])
        self.stop = pn.widgets.Button(label="Stop comparing", width=140, visible=False)
        self.duplicate.on_click(lambda _: self.start())
        self.stop.on_click(lambda _: self.end())
        self.intro = pn.pane.HTML(INTRO, margin=(0, 10), css_classes=["nnweb-compare-intro"])
        self.speeds = pn.pane.HTML("", margin=(0, 10), css_classes=["nnweb-compare-speeds"])
        self.curves = {run: ColumnDataSource({"epoch": [], "loss": []}) for run in "ab"}
        loss = styled_figure("Test loss: A (blue) and B (orange)", "compare-loss", width=420, height=220,
                             tools="save")
        loss.line("epoch", "loss", source=self.curves["a"], color="#0877bd", line_width=2)
        loss.line("epoch", "loss", source=self.curves["b"], color="#f59322", line_width=2)
        loss.xaxis.axis_label = "epoch"
        self.loss_figure = loss
        self.body = pn.Column(margin=0)
        self.views = ()  # A's and B's boundary and layer space while comparing
        self._shown = True
        self.session_watchers = []

    @property
    def active(self) -> bool:
        return self.b is not None

    @property
    def shown(self) -> bool:
        return self._shown

    @shown.setter
    def shown(self, value: bool) -> None:
        """Only a visible Compare tab redraws its views (training goes on regardless)."""
        self._shown = value
        for view in self.views:
            view.visible = value

    def start(self) -> None:
        """B := a copy of A (same data, same initial weights); both restart from epoch 0."""
        self.end()
        self.a.reset()
        self.b = Session()
        self.b.apply(self.a.experiment())
        views_a = (DecisionBoundary(session=self.a, suffix="-a"), LayerSpace(session=self.a, suffix="-a"))
        views_b = (DecisionBoundary(session=self.b, suffix="-b"), LayerSpace(session=self.b, suffix="-b"))
        self.views = views_a + views_b
        self.shown = self._shown
        self.session_watchers = [self.a.param.watch(self._follow_running, "running"),
                                 self.a.param.watch(lambda *_: self._redraw_speeds(), "frame")]
        self.b.param.watch(lambda *_: self._redraw_speeds(), "frame")
        self.body.objects = [
            pn.Row(pn.Column(pn.pane.HTML("<b>A</b>: this experiment", margin=(0, 10)), *views_a),
                   pn.Column(pn.pane.HTML("<b>B</b>: change its settings below", margin=(0, 10)), *views_b)),
            self.loss_figure, self.speeds,
            pn.Card(Controls(self.b), title="B's settings", collapsed=False, width=340),
        ]
        self.duplicate.visible, self.stop.visible = False, True
        self._redraw_speeds()

    def end(self) -> None:
        if self.b is None:
            return
        for watcher in self.session_watchers:
            self.a.param.unwatch(watcher)
        self.b.running = False
        self.b = None
        self.body.objects = []
        self.duplicate.visible, self.stop.visible = True, False

    def _follow_running(self, event) -> None:
        if self.b is not None:
            self.b.running = event.new

    def tick(self, budget_s: float) -> None:
        """One frame of both runs, half the budget each."""
        self.a.tick(budget_s / 2)
        if self.b is not None:  # B's running follows A's (watcher); its own pauses stand
            self.b.tick(budget_s / 2)

    def _redraw_speeds(self) -> None:
        if self.b is None or not self._shown:
            return
        for run, s in (("a", self.a), ("b", self.b)):
            h = s.history.columns()
            self.curves[run].data = {"epoch": h["epoch"], "loss": h["test_loss"]}
        rows = []
        for name, s in (("A", self.a), ("B", self.b)):
            loss = "–" if s.test_loss is None else f"{s.test_loss:.3f}"
            rows.append(f"<b>{name}</b>: epoch {s.epoch} · test loss {loss} · "
                        f"{s.steps_per_s or 0:,.0f} steps/s")
        self.speeds.object = "<br>".join(rows)

    def __panel__(self):
        return pn.Column(self.intro, pn.Row(self.duplicate, self.stop), self.body, margin=0)
