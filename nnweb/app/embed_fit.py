"""An embed lays itself out to its iframe: the views' size follows the frame's height too.

A blogger copies a snippet with one fixed height and puts it in a column of any width
(480 to 1200 px). Figures that only followed the width came out taller than the frame at
some widths (a cut-off layer space, or a scrollbar) and left empty space at others. Here
each view is at most as wide as the frame's height allows: with ``per_row`` views side by
side (a view needs ``VIEW_MIN_PX`` of width), the rows of ``ceil(views / per_row)`` views
share the height left under the run's bar, and a figure's height is its width (they are
square). Media queries on the viewport (the iframe) pick the case; CSS computes the rest,
so the page resizes itself with no script and no message to the host.
"""
from __future__ import annotations

import math

VIEW_MIN_PX = 370   # a view's narrowest width: two sit side by side from ~760 px
# the run's bar (Play, Reset, the status line), one view a row (the status wraps once under
# ~620 px) or more (one line); measured in Chromium: 129 and 98 px; plus a few px to spare
BAR_PX = {1: 134, 2: 102}
ROW_EXTRA_PX = 58   # what a view shows above its figure (the layer space's representation menu)
VIEW_MAX_PX = 440   # the widest figure (420 px) and its margins: wider frames centre the views
SMALLEST_PX = 200   # below this a figure is unreadable: a frame too low for it scrolls instead
INNER = ".bk-panel-models-layout-Column"  # the view's own column, inside the column given this sheet


def view_css(views: int) -> str:
    """The stylesheet of each view's column in an embed of ``views`` views. The column itself
    keeps its share of the row (it decides how many views fit side by side); the view inside
    it, centred, gets the width the height allows."""
    rules = [f":host {{ flex: 1 1 {VIEW_MIN_PX}px !important; min-width: min({VIEW_MIN_PX}px, 100%) !important; "
             f"max-width: {VIEW_MAX_PX}px !important; }}",
             f"{INNER} {{ width: 100% !important; margin-inline: auto !important; }}"]
    for per_row in range(1, views + 1):
        rows = math.ceil(views / per_row)
        low, high = per_row * VIEW_MIN_PX if per_row > 1 else 0, (per_row + 1) * VIEW_MIN_PX
        bar = BAR_PX[min(per_row, 2)]
        width = (f"calc((100vh - {bar}px) / {rows} - {ROW_EXTRA_PX}px)" if rows > 1
                 else f"calc(100vh - {bar + ROW_EXTRA_PX}px)")
        media = [f"(min-width: {low}px)"] * (low > 0) + [f"(max-width: {high - 1}px)"] * (per_row < views)
        body = f"{INNER} {{ max-width: max({SMALLEST_PX}px, {width}) !important; }}"
        rules.append(f"@media {' and '.join(media)} {{ {body} }}" if media else body)
    return "\n".join(rules)
