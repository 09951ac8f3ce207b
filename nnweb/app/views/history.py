"""Training history: loss and accuracy curves, and a slider back through checkpoints.

Scrubbing pauses training and makes every view draw that checkpoint's weights; "Live"
(or pressing play) returns to the network being trained.
"""
from __future__ import annotations

import panel as pn
from bokeh.models import ColumnDataSource, Range1d

from ..layout import wrap_row
from .base import SessionView, styled_figure


class TrainingHistory(SessionView):
    def __init__(self, **params):
        super().__init__(**params)
        s = self.session
        self.curve = ColumnDataSource({k: [] for k in ("epoch", "train_loss", "test_loss", "train_acc", "test_acc")})
        self.marker = ColumnDataSource({"epoch": []})
        loss = styled_figure("Loss", "history-loss", width=420, height=200, tools="save")
        loss.line("epoch", "train_loss", source=self.curve, color="#0877bd", line_width=2, legend_label="train")
        loss.line("epoch", "test_loss", source=self.curve, color="#f59322", line_width=2, legend_label="test")
        loss.legend.location, loss.legend.label_text_font_size = "top_right", "11px"
        acc = styled_figure("Accuracy", "history-accuracy", width=420, height=160, tools="save",
                            x_range=loss.x_range, y_range=Range1d(0, 1.02))
        acc.line("epoch", "train_acc", source=self.curve, color="#0877bd", line_width=2)
        acc.line("epoch", "test_acc", source=self.curve, color="#f59322", line_width=2)
        for fig in (loss, acc):
            fig.ray(x="epoch", y=0, length=0, angle=1.5708, source=self.marker, color="#888888", line_dash="dashed")
        acc.xaxis.axis_label = "epoch"
        self.loss_figure, self.acc_figure = loss, acc
        self.slider = pn.widgets.IntSlider(label="Checkpoint", start=0, end=1, value=0, width=300, max_width=300,
                                           sizing_mode="stretch_width", disabled=True)
        self.live = pn.widgets.Button(label="Live", width=80, disabled=True)
        self._syncing = False  # True while this view moves the slider itself
        self.slider.param.watch(self._scrub, "value")
        self.live.on_click(lambda _: setattr(s.view, "checkpoint", -1))
        self.caption = pn.pane.Markdown("", margin=(0, 10))
        self._on_frame()  # hidden views draw when first shown (tabs render lazily)

    def _scrub(self, event) -> None:
        if self._syncing:
            return
        self.session.running = False
        self.session.view.checkpoint = int(event.new)

    def redraw(self) -> None:
        s = self.session
        self.curve.data = s.history.columns()
        items = s.history.checkpoints.items
        self._syncing = True
        self.slider.end = max(1, len(items) - 1)
        self.slider.disabled = len(items) < 2
        i = s.view.checkpoint
        self.live.disabled = i < 0
        if 0 <= i < len(items):
            epoch, steps, _ = items[i]
            self.marker.data = {"epoch": [epoch]}
            self.caption.object = f"Showing checkpoint {i + 1} of {len(items)}: epoch {epoch}, step {steps}."
        else:
            self.slider.value = self.slider.end  # live: the slider rests on the newest checkpoint
            self.marker.data = {"epoch": []}
            self.caption.object = f"Live · {len(items)} checkpoints kept (older ones thinned out evenly)."
        self._syncing = False

    def __panel__(self):
        return pn.Column(self.loss_figure, self.acc_figure, wrap_row(self.slider, self.live), self.caption)
