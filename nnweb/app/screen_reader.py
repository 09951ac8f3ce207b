"""Text only screen readers read: names for controls whose meaning the page shows another way.

A layer row's boxes sit under one heading ("neurons · activation · normalization") and the
custom-feature box shows its use as a placeholder: a visible label on each would crowd the
sidebar, but without one a screen reader says only "edit text" or "combo box". Such a
widget gets a real name (Bokeh writes it as the input's <label>) and a stylesheet that takes
the label out of sight and out of the flow but leaves it to assistive technology. The embed
shows no title, yet a page needs its h1: it gets one nobody sees.
(What BokehJS draws without a name, Python cannot reach: site/shell/accessibility.js.)
"""
from __future__ import annotations

import panel as pn

from .plain_text import as_html

# The usual "visually hidden" recipe: clipped, not display:none (which would hide it from readers too)
UNSEEN = ("position: absolute !important; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden;"
          " clip: rect(0 0 0 0); clip-path: inset(50%); white-space: nowrap; border: 0;")
HIDDEN_LABEL = [f":host label {{ {UNSEEN} }}"]


def unseen_label(name: str) -> dict:
    """Widget parameters for a label only screen readers read: ``pn.widgets.Select(**unseen_label(...))``."""
    return {"label": name, "stylesheets": HIDDEN_LABEL}


def unseen_heading(text: str) -> pn.pane.HTML:
    """The page's h1 where none is shown (the embed: the blog post around it has the title)."""
    return pn.pane.HTML(f"<h1 class='nnweb-unseen'>{as_html(text)}</h1>", margin=0,
                        stylesheets=[f".nnweb-unseen {{ {UNSEEN} }}"])
