"""The page's layout: a top bar with the run's state, then settings and views that wrap.

The top bar holds what a person looks at while training: a Play button that says whether
it is playing (it follows ``session.running``, so a pause the run makes itself, for a
divergence, an explosion or a stop condition, shows on it too), Step and Reset, and the
epoch, losses and accuracy (RMSE for regression) in large type.

Below it, every block has a fixed width no wider than a phone (the sidebar) or a width that
shrinks to it (the figures scale), in rows that wrap: on a phone everything stacks, at
1024 px the views sit beside the settings, at 1400 px and more the two primary views
(boundary and layer space) are side by side on the first screen. Nothing has a pixel
width that could push the page sideways. Panel's FlexBox would be the natural container,
but it is ReactiveHTML, whose sanitizer needs nh3 (not shipped): rows get
``flex-wrap: wrap`` instead.
"""
from __future__ import annotations

import panel as pn

from .plain_text import as_html

PLAY, PAUSE = "▶ Play", "❚❚ Pause"
SIDEBAR_CLASS = "nnweb-sidebar"  # the settings column: a first picture draws it after the views (build/prerender.py)
SIDEBAR_WIDTH = 350  # fits a 390 px phone with the page's padding
WRAP = {"flex-wrap": "wrap"}
# A view column: beside the sidebar from 380 px, growing to its max_width (Bokeh's inline
# flex: auto would make its widest content the basis, and so wrap it below the sidebar; and
# Panel's min-width, the widest child's width, would keep it from shrinking on a phone)
VIEW_MIN_PX = 380
GROW = [f":host {{ flex: 1 1 {VIEW_MIN_PX}px !important; min-width: 280px !important; }}"]
# Below this window width the sidebar and a view no longer fit side by side (the sidebar and
# its margins, a view's basis, the row's gap and the page's own margins): everything stacks.
STACKED_BELOW_PX = SIDEBAR_WIDTH + 10 + VIEW_MIN_PX + 8 + 20
# Stacked, the views come before the settings: on a phone the boundary and the layer space
# are what a person scrolls to first, not a 1,500 px column of settings
VIEWS_FIRST = f"@media (max-width: {STACKED_BELOW_PX - 1}px) {{ :host {{ order: -1; }} }}"
PRIMARY_CSS = [*GROW, VIEWS_FIRST]
# The tab strip wraps onto a second line rather than run past a narrow column
TABS_CSS = [*PRIMARY_CSS, ".bk-header, .bk-headers-wrapper, .bk-headers { flex-wrap: wrap; max-width: 100%; }"]


class WrapRow(pn.Row):
    """A Row whose items go on to the next line when they do not fit beside each other.

    Panel gives a stretching Row the sum of its children's widths as its minimum width,
    which would keep it one line (and push the page sideways): a wrapping row has none."""

    def _compute_sizing_mode(self, children, props):
        properties = super()._compute_sizing_mode(children, props)
        properties.pop("min_width", None)
        return properties


# the settings column's cards
SIDE_CARD = dict(collapsible=True, margin=(4, 0), width=340, header_background="#f5f7fa")


def collapsed_card(title: str, *objects) -> pn.Card:
    """A settings card that starts collapsed, its contents in one column: a collapsed card hides
    each child on the page one by one, every one a layout of the whole page (the CSV card's 8
    children cost ~0.25 s of a first picture)."""
    return pn.Card(pn.Column(*objects, margin=0), title=title, collapsed=True, **SIDE_CARD)


def wrap_row(*items, **params) -> WrapRow:
    params.setdefault("margin", 0)
    styles = {**WRAP, **params.pop("styles", {})}
    return WrapRow(*items, styles=styles, **params)


def _fmt(value) -> str:
    return "–" if value is None else f"{value:.3f}"


def _percent(value) -> str:
    return "–" if value is None else f"{100 * value:.1f}%"


def quality(metrics: dict | None) -> str:
    """Train and test accuracy (classes) or RMSE (regression), as the status line shows them."""
    train, test = (metrics or {}).get("train", {}), (metrics or {}).get("test", {})
    if "rmse" in train or "rmse" in test:
        return (f"<span class='nnweb-stat'>train RMSE <b class='nnweb-train-rmse'>{_fmt(train.get('rmse'))}</b></span>"
                f"<span class='nnweb-stat'>test RMSE <b class='nnweb-test-rmse'>{_fmt(test.get('rmse'))}</b></span>")
    return (f"<span class='nnweb-stat'>train acc. <b class='nnweb-train-acc'>{_percent(train.get('accuracy'))}</b></span>"
            f"<span class='nnweb-stat'>test acc. <b class='nnweb-test-acc'>{_percent(test.get('accuracy'))}</b></span>")


def status_html(epoch, train_loss, test_loss, message, metrics: dict | None = None) -> str:
    text = (f"<div class='nnweb-stats'><span class='nnweb-epoch nnweb-stat'>Epoch <b>{epoch}</b></span>"
            f"<span class='nnweb-stat'>train loss <b class='nnweb-train-loss'>{_fmt(train_loss)}</b></span>"
            f"<span class='nnweb-stat'>test loss <b class='nnweb-test-loss'>{_fmt(test_loss)}</b></span>"
            f"{quality(metrics)}</div>")
    if message:  # a message may quote a link or a file: text, never markup
        text += f"<div class='nnweb-message' role='alert'>{as_html(message)}</div>"
    return text


# The status pane's own stylesheet (it renders in a shadow root: the page's CSS does not reach it)
STATUS_CSS = """
.nnweb-stats { display: flex; flex-wrap: wrap; gap: 2px 18px; align-items: baseline; font-size: 14px; color: #555; }
.nnweb-stat { white-space: nowrap; }
.nnweb-stat b { font-size: 20px; color: #222; font-variant-numeric: tabular-nums; }
.nnweb-epoch b { font-size: 24px; }
.nnweb-message { color: #c0392b; margin-top: 0.3em; font-size: 14px; max-width: 60em; overflow-wrap: anywhere; }
"""
TITLE_CSS = """
.nnweb-title { margin: 0; font-size: 26px; color: #0877bd; letter-spacing: 0.02em; }
.nnweb-sub { color: #666; font-size: 13px; font-weight: normal; margin: 0; }
"""


def play_button(session) -> pn.widgets.Toggle:
    """Play/pause, labelled with what pressing it does, following ``session.running``."""
    play = pn.widgets.Toggle.from_param(session.param.running, name=PLAY, color="primary", width=130,
                                        height=44, css_classes=["nnweb-play"],
                                        stylesheets=[":host .bk-btn { font-size: 17px; font-weight: 600; }"])

    def follow(*_):
        play.name = PAUSE if session.running else PLAY
    session.param.watch(follow, "running")
    follow()
    return play


def top_bar(header, play, step, reset, status, keys_hint) -> pn.Row:
    """Title, the run's buttons and its state: one wrapping row across the page."""
    buttons = pn.Row(play, step, reset, margin=(0, 10), align="center")
    return wrap_row(header, pn.Column(buttons, keys_hint, margin=0), status, sizing_mode="stretch_width",
                    css_classes=["nnweb-top"], styles={"align-items": "center", "gap": "4px 16px"})


def page_layout(top, sidebar_items, primary, tabs) -> pn.Column:
    """The full page: the top bar, then the sidebar, the primary views and the tabbed views,
    side by side as far as they fit."""
    sidebar = pn.Column(*sidebar_items, width=SIDEBAR_WIDTH, margin=(0, 5), css_classes=[SIDEBAR_CLASS])
    body = wrap_row(sidebar, primary, tabs, sizing_mode="stretch_width", styles={"gap": "8px"})
    return pn.Column(top, body, sizing_mode="stretch_width", margin=0, css_classes=["nnweb-app"])
