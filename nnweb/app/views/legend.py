"""Which colour is which class: a row of swatches under a view.

Shown only where a class has a name other than its colour (the digits: ten hues and no way
to tell the 3s from the 8s without it); for the other data the colour is the name. A view
calls ``show`` from its redraw; the pane changes only when the classes do.
"""
from __future__ import annotations

import panel as pn

from ..colors import CLASS_COLORS, class_names
from ..plain_text import as_html

STYLE = (".nnweb-legend { display: flex; flex-wrap: wrap; gap: 2px 12px; font-size: 12px; color: #333; }"
         " .nnweb-swatch { display: inline-block; width: 10px; height: 10px; border-radius: 50%;"
         " margin-right: 4px; vertical-align: -1px; }")


def session_class_names(session, k: int) -> list[str]:
    """The names of ``k`` classes as every view shows them: own CSV data's class names where it
    has them (its file said "cat" and "dog": the confusion matrix and the simplex say so too),
    otherwise colors.class_names (the colour, or the digit)."""
    _, own = session.names()
    return list(own) if len(own) == k else class_names(session.data_spec.dataset, k)


def legend_names(dataset: str, kind: str, k: int) -> list[str]:
    """The class names a legend should show for this data ([] where the colours say it all)."""
    return class_names(dataset, k) if kind == "classification" and dataset == "digits" else []


def legend_html(names: list[str]) -> str:
    """Swatches in the classes' colours, each followed by its name (as text, never markup)."""
    items = "".join(f"<span><span class='nnweb-swatch' style='background:{CLASS_COLORS[i % len(CLASS_COLORS)]}'>"
                    f"</span>{as_html(name)}</span>" for i, name in enumerate(names))
    return f"<div class='nnweb-legend'>{items}</div>"


class ClassLegend(pn.viewable.Viewer):
    def __init__(self, **params):
        super().__init__(**params)
        self._names = None
        self._pane = pn.pane.HTML("", visible=False, margin=(2, 10), stylesheets=[STYLE],
                                  css_classes=["nnweb-class-legend"])

    @property
    def shown(self) -> list[str]:
        """The class names on screen ([] while hidden)."""
        return list(self._names or []) if self._pane.visible else []

    def show(self, names: list[str]) -> None:
        """Show these class names (none: hide the legend)."""
        if names != self._names:
            self._names = list(names)
            self._pane.object = legend_html(names) if names else ""
            self._pane.visible = bool(names)

    def __panel__(self):
        return self._pane
