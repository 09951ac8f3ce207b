"""The app: controls on the left, views on the right, and the training loop.

``App`` is built from a ``Session``; the loop is a periodic callback that trains for a
time budget shorter than its period, so the page stays responsive while training.
"""
from __future__ import annotations

import panel as pn
import param

from ..engine import DATASETS
from .boundary_view import DecisionBoundary
from .history_view import TrainingHistory
from .layer_space_view import LayerSpace
from .morph_view import Morph
from .network_view import NetworkDiagram
from .oned_view import OneD
from .session import Session
from .space3d_view import Space3D

FRAME_MS = 33


def _fmt(value) -> str:
    return "–" if value is None else f"{value:.3f}"


def status_html(epoch, train_loss, test_loss, message) -> str:
    text = (f"<span class='nnweb-epoch'>Epoch <b>{epoch}</b></span> · "
            f"train loss <b class='nnweb-train-loss'>{_fmt(train_loss)}</b> · "
            f"test loss <b class='nnweb-test-loss'>{_fmt(test_loss)}</b>")
    if message:
        text += f"<div class='nnweb-message' role='alert'>{message}</div>"
    return text


class App(pn.viewable.Viewer):
    session = param.ClassSelector(class_=Session)

    def __init__(self, **params):
        params.setdefault("session", Session())
        super().__init__(**params)
        s = self.session
        play = pn.widgets.Toggle.from_param(s.param.running, label="▶ Play / ❚❚", color="primary",
                                            width=120, css_classes=["nnweb-play"])
        step = pn.widgets.Button(label="Step", width=70, css_classes=["nnweb-step"])
        reset = pn.widgets.Button(label="Reset", width=70, css_classes=["nnweb-reset"])
        step.on_click(lambda _: s.step())
        reset.on_click(lambda _: s.reset())
        dataset = pn.widgets.Select.from_param(s.param.dataset, label="Dataset", width=240, options=list(DATASETS))
        status = pn.pane.HTML(pn.bind(status_html, s.param.epoch, s.param.train_loss, s.param.test_loss,
                                      s.param.message), css_classes=["nnweb-status"])
        self.boundary = DecisionBoundary(session=s)
        self.network = NetworkDiagram(session=s)
        self.layer_space = LayerSpace(session=s)
        self.space3d = Space3D(session=s, visible=False)
        self.morph = Morph(session=s, visible=False)
        self.history = TrainingHistory(session=s, visible=False)
        self.one_d = OneD(session=s, visible=False)
        self.tab_views = (self.layer_space, self.space3d, self.morph, self.history, self.one_d)
        self.tabs = pn.Tabs(("Layer space", self.layer_space), ("3D", self.space3d), ("Morph", self.morph),
                            ("History", self.history), ("1D", self.one_d), dynamic=False,
                            css_classes=["nnweb-tabs"])
        self.tabs.param.watch(self._tab_changed, "active")
        self.controls = pn.Column("## nnweb", dataset, pn.Row(play, step, reset), status, width=310)
        self._layout = pn.Row(self.controls, pn.Column(self.boundary, self.network), self.tabs,
                              css_classes=["nnweb-app"])
        self._loop = None
        pn.state.onload(self._start_loop)

    def _tab_changed(self, event) -> None:
        """Only the visible tab's view redraws while training."""
        for i, view in enumerate(self.tab_views):
            view.visible = i == event.new

    def _start_loop(self) -> None:
        if self._loop is None:
            self._loop = pn.state.add_periodic_callback(self.session.tick, period=FRAME_MS)

    def __panel__(self):
        return self._layout


def create_app(session: Session | None = None) -> App:
    return App(session=session or Session())
