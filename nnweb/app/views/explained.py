"""A tab that explains itself: the view's own sentence when it can show nothing now, above it.

Every tab's view answers ``cannot_show(session)`` (views/base.py): "" when it has something
to show, otherwise what it needs and how to get it ("pick interval or wave"). The sentence
is asked of the view's class, so a tab whose view is not built yet (tabs build on first
opening) explains itself all the same, and a new tab gets this by answering the question.
Only a shown tab rewrites its notice (``shown``): the page holds no models of the others
(dynamic tabs), and a change to one of theirs reached it as an unknown reference.
"""
from __future__ import annotations

import panel as pn

from ..plain_text import as_html

NOTICE_CSS = (":host { max-width: 100%; } div { color: #444; background: #f5f7fa; border-left: 3px solid #0877bd;"
              " padding: 6px 10px; font-size: 14px; overflow-wrap: anywhere; }")


def cannot_show(view_class, session) -> str:
    """The view's sentence for ``session`` ("" when it can show something, or does not say)."""
    ask = getattr(view_class, "cannot_show", None)
    return ask(session) if ask else ""


class ExplainedTab:
    """A tab's content: a notice (hidden while the view can show something), then the view."""

    def __init__(self, view_class, session, content, shown: bool = False):
        self.view_class, self.session, self._shown = view_class, session, shown
        self.notice = pn.pane.HTML("", visible=False, margin=(6, 10), css_classes=["nnweb-view-notice"],
                                   stylesheets=[NOTICE_CSS])
        self.column = pn.Column(self.notice, content, margin=0, sizing_mode="stretch_width")
        self.view = None  # the built view, once it replaces the placeholder
        session.param.watch(lambda *_: self._shown and self.explain(), "state_changed")
        self.explain()

    @property
    def shown(self) -> bool:
        return self._shown

    @shown.setter
    def shown(self, value: bool) -> None:
        """Shown (its tab opened, or in an embed): the notice catches up at once."""
        self._shown = value
        if value:
            self.explain()

    @property
    def text(self) -> str:
        return cannot_show(self.view_class, self.session)

    def show(self, view) -> None:
        """The built view in place of its placeholder."""
        if self.view is not view:  # the column holds what the view's __panel__ gave, not the view
            self.view = view
            self.column[1] = view

    def explain(self) -> None:
        reason = self.text
        html = f"<div role='note'>{as_html(reason)}</div>" if reason else ""
        if html != self.notice.object:  # a page update only when the sentence changes
            self.notice.object = html
            self.notice.visible = bool(reason)
