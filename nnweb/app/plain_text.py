"""Text that reaches the page: always as text, never as markup.

Messages quote what a person or a link gave (a refused value, an unknown name, a file's
field), and a shared link is written by whoever sent it. Panel's HTML and Markdown panes
put their text into the page as markup (and Panel runs the scripts in it), so a refused
``?hide=<a style="position:fixed;inset:0">…`` used to cover the page. Every message goes
through ``as_html`` here, and the boxes that show messages are ``MessageBox``es, which
accept nothing but text.
"""
from __future__ import annotations

import html

import panel as pn

# the message wraps inside its card however long the quoted value is
STYLE = (":host { max-width: 100%; } div { overflow-wrap: anywhere; }"
         " .nnweb-message-bad { color: #b03a2e; } .nnweb-message-good { color: #2d6a2d; }")


def as_html(text) -> str:
    """``text`` as HTML that shows exactly those characters (quotes included)."""
    return html.escape(str(text), quote=True)


class MessageBox(pn.viewable.Viewer):
    """A box for one message at a time (a refusal, a confirmation), hidden while empty."""

    def __init__(self, css_class: str = "nnweb-refusal", **params):
        super().__init__(**params)
        self._pane = pn.pane.HTML("", visible=False, margin=(0, 10), css_classes=[css_class],
                                  stylesheets=[STYLE])

    @property
    def text(self) -> str:
        return html.unescape(self._pane.object or "") if self._pane.visible else ""

    @property
    def visible(self) -> bool:
        return self._pane.visible

    def show(self, text: str, bad: bool = True) -> None:
        role = "alert" if bad else "status"
        kind = "bad" if bad else "good"
        self._pane.object = f"<div role='{role}' class='nnweb-message-{kind}'>{as_html(text)}</div>"
        self._pane.visible = True

    def clear(self) -> None:
        self._pane.visible = False

    def __panel__(self):
        return self._pane
