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

# One style for every message box: errors and refusals red, advice neutral, confirmations
# green; the message wraps inside its card however long the quoted value is
STYLE = (":host { max-width: 100%; } div { overflow-wrap: anywhere; font-size: 13px; }"
         " .nnweb-message-bad { color: #b03a2e; } .nnweb-message-advice { color: #555; }"
         " .nnweb-message-good { color: #2d6a2d; }")
# A box that floats over what follows it instead of pushing it down (a refused feature
# must not move the controls under the pointer); it takes no room of its own
FLOATING = (":host { height: 0 !important; min-height: 0 !important; overflow: visible !important; z-index: 10;"
            " position: relative; }"
            " div { position: absolute; left: 0; right: 0; top: 0; background: #fff; border: 1px solid #e3c4c0;"
            " pointer-events: none;"  # clicks reach the control it floats over
            " border-radius: 4px; padding: 4px 8px; box-shadow: 0 2px 6px rgba(0, 0, 0, 0.15); }")
KINDS = ("bad", "advice", "good")
# Refusals are what a person must act on; the stress test counts the boxes of this class
REFUSAL_CLASS, NOTE_CLASS = "nnweb-refusal", "nnweb-note"


def as_html(text) -> str:
    """``text`` as HTML that shows exactly those characters (quotes included)."""
    return html.escape(str(text), quote=True)


class MessageBox(pn.viewable.Viewer):
    """A box for one message at a time, next to the control it is about, hidden while empty.

    ``place`` names the box for the session: ``Session.say(place, text, kind)`` reaches the
    box that ``follow``s that place, so the session (which imports no Panel) can put a
    message next to the control that caused it instead of into the status line."""

    def __init__(self, css_class: str = REFUSAL_CLASS, floating: bool = False, **params):
        super().__init__(**params)
        self._class = css_class
        sheets = [STYLE, FLOATING] if floating else [STYLE]
        width = {"sizing_mode": "stretch_width"} if floating else {}
        self._pane = pn.pane.HTML("", visible=False, margin=(0, 10), css_classes=[css_class], stylesheets=sheets,
                                  **width)
        self.kind = ""

    @property
    def text(self) -> str:
        return html.unescape(self._pane.object or "").split(">", 1)[-1].rsplit("<", 1)[0] if self._pane.visible else ""

    @property
    def visible(self) -> bool:
        return self._pane.visible

    def show(self, text: str, bad: bool = True, kind: str | None = None) -> None:
        """``kind``: "bad" (an error or refusal), "advice" or "good"; ``bad`` is the short form."""
        kind = kind or ("bad" if bad else "good")
        role = "alert" if kind == "bad" else "status"
        self.kind = kind
        self._pane.css_classes = [self._class if kind == "bad" else NOTE_CLASS]
        self._pane.object = f"<div role='{role}' class='nnweb-message-{kind}'>{as_html(text)}</div>"
        self._pane.visible = True

    def clear(self) -> None:
        self._pane.visible = False
        self.kind = ""

    def follow(self, session, place: str) -> "MessageBox":
        """Show what the session says to ``place`` (an empty text clears the box)."""
        def said(event):
            notice = event.new
            if notice and notice[0] == place:
                self.show(notice[1], kind=notice[2]) if notice[1] else self.clear()
        session.param.watch(said, "notice")
        return self

    def __panel__(self):
        return self._pane
