"""What every view shares: it watches the session's ``frame`` and redraws from the scene.

A hidden view (an inactive tab) does no work; it redraws once when shown again. Views
build their Bokeh figures once and afterwards only replace ColumnDataSource columns.

A view that can show nothing for the current session (1D for data with two inputs) says
so with ``cannot_show(session)``: a class method, so the App can ask it of tabs whose view
is not built yet, and put the view's sentence (how to get something) in its tab.
"""
from __future__ import annotations

import panel as pn
import param
from bokeh.models import Plot
from bokeh.plotting import figure

from ..embed_fit import SMALLEST_PX
from ..session import Session

FIGURE_STYLE = dict(toolbar_location="above", background_fill_color="#ffffff",
                    border_fill_color="#ffffff", outline_line_color="#dddddd")
# In an embed the figures let the host page's background through (the blog's own colour):
# only the plot's outline and the data are drawn
EMBED_FIGURE_STYLE = dict(background_fill_color=None, border_fill_color=None)
COMPACT_TICKS = 4  # an embed's axes ask for this many labels (Bokeh's default: 6)
# ... and draw one minor tick between two labels (Bokeh's default: four, a comb under a 130 px frame)
COMPACT_MINOR_TICKS = 2


def styled_figure(title: str, name: str, width: int = 420, height: int = 420, **kwargs):
    """A figure ``width`` x ``height`` at most, scaled down (same shape) to a narrower screen."""
    kwargs = {"sizing_mode": "scale_width", "max_width": width, "min_width": min(width, 260), **kwargs}
    fig = figure(title=title, name=name, width=width, height=height, **FIGURE_STYLE, **kwargs)
    fig.title.text_font_size = "13px"
    fig.title.text_color = "#333333"
    fig.grid.grid_line_color = "#f0f0f0"
    fig.toolbar.logo = None  # the page is nnweb's, not an advertisement
    return fig


class SessionView(pn.viewable.Viewer):
    session = param.ClassSelector(class_=Session)
    visible = param.Boolean(default=True, doc="Hidden views skip their redraws")
    suffix = param.String(default="", doc="Added to figure names when a view is shown twice (compare)")
    compact = param.Boolean(default=False, doc="Embedded in a page: the figure and what reading it needs, "
                                                "without the full app's tools (draw, grid, neuron pickers)")

    def __init__(self, **params):
        super().__init__(**params)
        self.session.param.watch(self._on_frame, "frame")
        self.param.watch(self._on_frame, "visible")
        self.session.view.param.watch(self._on_frame, "draw")
        self.session.param.watch(self._on_frame, "running")

    def _on_frame(self, *_) -> None:
        drawing = self.session.view.draw or not self.session.running  # a paused view always catches up
        if self.visible and drawing:  # otherwise the next frame or showing the view redraws it
            self.redraw()

    @classmethod
    def cannot_show(cls, session: Session) -> str:
        """Why this view shows nothing for ``session`` and how to get something ("" when it can)."""
        return ""

    def redraw(self) -> None:
        raise NotImplementedError

    def embed(self, compact: bool = True) -> None:
        """Show this view in an embed: its figures transparent over the host page, and (unless
        the embed asks for the tools) compact."""
        self.compact = compact
        for fig in self._own_figures():  # as small as a short frame needs (embed_fit)
            fig.update(**EMBED_FIGURE_STYLE, min_width=min(fig.min_width or SMALLEST_PX, SMALLEST_PX))
            if compact:  # seven labels ("-0.15" .. "0.15") ran together under a ~130 px wide frame
                for axis in fig.axis:
                    if hasattr(axis.ticker, "desired_num_ticks"):
                        axis.ticker.desired_num_ticks = COMPACT_TICKS
                    if hasattr(axis.ticker, "num_minor_ticks"):
                        axis.ticker.num_minor_ticks = COMPACT_MINOR_TICKS
        self._on_frame()  # what a view writes on its figures (titles) may differ when compact

    def _own_figures(self) -> list:
        """The Bokeh figures this view holds, alone or in a tuple, list or dict (the morph's)."""
        found = []
        for value in vars(self).values():
            items = value.values() if isinstance(value, dict) else value if isinstance(value, (list, tuple)) else [value]
            found += [item for item in items if isinstance(item, Plot) and item not in found]
        return found
