"""The gallery of presets: pick a classic demonstration, read what to watch."""
from __future__ import annotations

from dataclasses import replace

import panel as pn

from .presets import BY_KEY, PRESETS
from .session import Session

NONE = "Choose a demonstration…"


class Gallery(pn.viewable.Viewer):
    def __init__(self, session: Session, **params):
        super().__init__(**params)
        self.session = session
        self.select = pn.widgets.Select(label="Demonstrations", options={NONE: ""} | {p.title: p.key for p in PRESETS},
                                        width=300, css_classes=["nnweb-presets"])
        self.caption = pn.pane.Markdown("", width=300, margin=(0, 10), css_classes=["nnweb-caption"])
        self.layout = pn.Column(self.select, self.caption, margin=0)
        self.select.param.watch(self._chosen, "value")
        session.view.param.watch(lambda *_: self._show(), "preset")
        self._show()

    def _chosen(self, event) -> None:
        preset = BY_KEY.get(event.new)
        if preset and self.session.view.preset != preset.key:
            experiment = preset.experiment
            self.session.apply(replace(experiment, view={**experiment.view, "preset": preset.key}))

    def _show(self) -> None:
        preset = BY_KEY.get(self.session.view.preset)
        self.select.value = preset.key if preset else ""
        self.caption.object = preset.caption if preset else ""
        self.caption.visible = preset is not None

    def hide(self) -> None:
        """Not offered (a classroom link that hides settings: a demonstration would change them)."""
        self.layout.visible = False

    def __panel__(self):
        return self.layout
