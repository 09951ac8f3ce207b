"""Metrics beyond the loss: the test confusion matrix as a heatmap, and a table of accuracy
(classes) or RMSE and R² (regression) for the training and the test points."""
from __future__ import annotations

import numpy as np
import panel as pn
from bokeh.models import ColumnDataSource, FactorRange

from .base import SessionView, styled_figure
from .legend import ClassLegend, legend_names, session_class_names


def _fmt(value, percent=False) -> str:
    if value is None:
        return "–"
    return f"{100 * value:.1f}%" if percent else f"{value:.3f}"


def confusion_columns(matrix: np.ndarray, names: list[str] | None = None) -> dict:
    """One cell per (true, predicted) pair, shaded by the share of its true class; the classes
    called by ``names`` (colors.class_names: their colour, or the digit), "0", "1", ... without."""
    k = len(matrix)
    names = names or [str(i) for i in range(k)]
    true, predicted = (g.ravel() for g in np.meshgrid(np.arange(k), np.arange(k), indexing="ij"))
    counts = matrix.ravel()
    totals = np.maximum(matrix.sum(axis=1), 1)[true]
    share = counts / totals
    diagonal = true == predicted
    color = [f"rgba({8 if d else 245}, {119 if d else 147}, {189 if d else 34}, {0.08 + 0.85 * f:.3f})"
             for d, f in zip(diagonal, share)]
    return {"true": [names[t] for t in true], "predicted": [names[p] for p in predicted],
            "count": counts.tolist(), "share": share.tolist(), "color": color,
            "label": [str(c) for c in counts]}


class Metrics(SessionView):
    def __init__(self, **params):
        super().__init__(**params)
        self.cells = ColumnDataSource({k: [] for k in ("true", "predicted", "count", "share", "color", "label")})
        fig = styled_figure("Confusion matrix, test points", "confusion", width=360, height=330,
                            tools="hover,save", x_range=FactorRange(), y_range=FactorRange(),
                            tooltips=[("true", "@true"), ("predicted", "@predicted"), ("points", "@count"),
                                      ("share of the class", "@share{0.0%}")])
        fig.rect("predicted", "true", width=0.95, height=0.95, fill_color="color", line_color=None, source=self.cells)
        fig.text("predicted", "true", text="label", source=self.cells, text_align="center",
                 text_baseline="middle", text_font_size="12px")
        fig.xaxis.axis_label, fig.yaxis.axis_label = "predicted class", "true class"
        self.figure = fig
        self.table = pn.pane.HTML("", margin=(0, 10), css_classes=["nnweb-metrics"])
        self.legend = ClassLegend()
        self._on_frame()

    def redraw(self) -> None:
        s = self.session
        m = s.metrics
        tr, te = m["train"], m["test"]
        if s.data_spec.kind == "regression":
            self.figure.visible = False
            self.legend.show([])
            self.table.object = ("<table><tr><th></th><th>train</th><th>test</th></tr>"
                                 f"<tr><td>RMSE</td><td>{_fmt(tr.get('rmse'))}</td><td>{_fmt(te.get('rmse'))}</td></tr>"
                                 f"<tr><td>R²</td><td>{_fmt(tr.get('r2'))}</td><td>{_fmt(te.get('r2'))}</td></tr></table>")
            return
        self.figure.visible = True
        matrix = te.get("confusion") if te.get("confusion") is not None else tr.get("confusion")
        if matrix is not None:
            k = session_class_names(s, len(matrix))
            if list(self.figure.x_range.factors) != k:
                self.figure.x_range.factors, self.figure.y_range.factors = k, k[::-1]
            self.legend.show(legend_names(s.data_spec.dataset, s.data_spec.kind, len(matrix)))
            self.cells.data = confusion_columns(matrix, k)
        self.table.object = ("<table><tr><th></th><th>train</th><th>test</th></tr>"
                             f"<tr><td>accuracy</td><td>{_fmt(tr.get('accuracy'), True)}</td>"
                             f"<td>{_fmt(te.get('accuracy'), True)}</td></tr></table>")

    def __panel__(self):
        return pn.Column(self.table, self.figure, self.legend)
