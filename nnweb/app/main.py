"""The app's layout: controls on the left, views on the right, and the training loop.

``create_app`` builds everything from a ``Session``; the loop is a periodic callback
that trains for a time budget shorter than its period, so the browser stays responsive.
"""
from __future__ import annotations

import panel as pn

from ..engine import DATASETS
from .boundary_view import DecisionBoundary
from .session import Session

FRAME_MS = 33


def _fmt(value) -> str:
    return "–" if value is None else f"{value:.3f}"


def create_app(session: Session | None = None) -> pn.viewable.Viewable:
    session = session or Session()
    play = pn.widgets.Toggle.from_param(session.param.running, name="▶ Play / ❚❚ Pause",
                                        button_type="primary", width=150, css_classes=["nnweb-play"])
    step = pn.widgets.Button(name="Step", width=70, css_classes=["nnweb-step"])
    reset = pn.widgets.Button(name="Reset", width=70, css_classes=["nnweb-reset"])
    step.on_click(lambda _: session.step())
    reset.on_click(lambda _: session.reset())
    dataset = pn.widgets.Select.from_param(session.param.dataset, name="Dataset",
                                           options=[d for d in DATASETS if d != "digits"], width=240)

    def status(epoch, train_loss, test_loss, message):
        text = (f"<span class='nnweb-epoch'>Epoch <b>{epoch}</b></span> · "
                f"train loss <b class='nnweb-train-loss'>{_fmt(train_loss)}</b> · "
                f"test loss <b class='nnweb-test-loss'>{_fmt(test_loss)}</b>")
        if message:
            text += f"<div class='nnweb-message'>{message}</div>"
        return pn.pane.HTML(text, css_classes=["nnweb-status"])

    status_pane = pn.bind(status, session.param.epoch, session.param.train_loss,
                          session.param.test_loss, session.param.message)
    boundary = DecisionBoundary(session=session)
    loop = pn.state.add_periodic_callback(session.tick, period=FRAME_MS, start=False)

    def start_loop():
        if not loop.running:
            loop.start()
    pn.state.onload(start_loop)

    controls = pn.Column("## nnweb", dataset, pn.Row(play, step, reset), status_pane, width=280)
    return pn.Row(controls, boundary, css_classes=["nnweb-app"])
