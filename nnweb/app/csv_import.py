"""Your own data: a CSV file (uploaded or pasted), previewed, its columns picked, then trained on.

Reading and checking live in the engine (``engine/csv_data.py``); this card only shows the
preview, the column choices and what was skipped, and hands the points to the session.
"""
from __future__ import annotations

import panel as pn

from ..engine.csv_data import MAX_CSV_BYTES, Table, read_table, table_to_points
from ..engine.datasets import MAX_LINK_ROWS
from .layout import collapsed_card
from .plain_text import as_html
from .session import Session

KINDS = {"guess from the values": None, "classes": "classification", "numbers (regression)": "regression"}


def preview_html(table: Table, rows: int = 5) -> str:
    head = "".join(f"<th>{as_html(h)}</th>" for h in table.header)
    body = "".join("<tr>" + "".join(f"<td>{as_html(c)}</td>" for c in row) + "</tr>" for row in table.rows[:rows])
    return (f"<table class='nnweb-csv-preview'><tr>{head}</tr>{body}</table>"
            f"<small>{len(table.rows)} data rows</small>")


class CsvImport(pn.viewable.Viewer):
    def __init__(self, session: Session, **params):
        super().__init__(**params)
        self.session = session
        self.table: Table | None = None
        w = pn.widgets
        self.file = w.FileInput(accept=".csv,.tsv,.txt", width=290, css_classes=["nnweb-csv-file"])
        self.text = w.TextAreaInput(placeholder="…or paste CSV here: x1,x2,label", height=70, width=290,
                                    css_classes=["nnweb-csv-text"])
        self.read = w.Button(label="Read", width=70, css_classes=["nnweb-csv-read"])
        self.preview = pn.pane.HTML("", margin=(0, 10))
        self.x1, self.x2, self.label = (w.Select(label=name, width=92, visible=False) for name in ("x1", "x2", "label"))
        self.kind = w.Select(label="The label column holds", options=KINDS, width=190, visible=False)
        self.use = w.Button(label="Train on this data", color="primary", width=150, visible=False,
                            css_classes=["nnweb-csv-use"])
        self.report = pn.pane.HTML("", margin=(0, 10), css_classes=["nnweb-csv-report"])
        # an empty file leaves value None (Panel's reading of it): its new filename tells of it
        self.file.param.watch(self._uploaded, ["value", "filename"])
        self.read.on_click(lambda _: self._load(self.text.value or ""))
        self.use.on_click(lambda _: self._use())

    def _say(self, text: str, bad: bool = False) -> None:
        color = "#c0392b" if bad else "#2d6a2d"
        self.report.object = f"<small style='color:{color}'>{as_html(text)}</small>"

    def _uploaded(self, *events) -> None:
        """A file was picked (both value and filename may change, in one call or two)."""
        content = self.file.value
        if not content:
            if self.file.filename and any(e.name == "filename" for e in events):
                self._say(f"Not read: {self.file.filename} is empty.", bad=True)
            return
        if len(content) > MAX_CSV_BYTES:
            self._say(f"Not read: the file is larger than {MAX_CSV_BYTES // 1_000_000} MB.", bad=True)
            return
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            self._say("Not read: the file is not UTF-8 text.", bad=True)
            return
        self._load(text)

    def _load(self, text: str) -> None:
        """Read the text: show the preview and the column choices (nothing is trained yet)."""
        try:
            self.table = read_table(text)
        except ValueError as err:
            self.table = None
            for widget in (self.x1, self.x2, self.label, self.kind, self.use):
                widget.visible = False
            self.preview.object = ""
            self._say(f"Not read: {str(err).removeprefix('csv: ')}.", bad=True)
            return
        columns = {f"{i + 1}: {name}": i for i, name in enumerate(self.table.header)}
        for widget, default in ((self.x1, 0), (self.x2, 1), (self.label, len(columns) - 1)):
            widget.options, widget.value, widget.visible = columns, default, True
        self.kind.visible = self.use.visible = True
        self.preview.object = preview_html(self.table)
        self._say("Pick the columns, then train.")

    def _use(self) -> None:
        if self.table is None:
            return
        try:
            points = table_to_points(self.table, self.x1.value, self.x2.value, self.label.value, self.kind.value)
            self.session.load_own_data(points)
        except ValueError as err:
            self._say(f"Not used: {str(err).removeprefix('csv: ')}.", bad=True)
            return
        where = ("kept in the link" if len(points.points) <= MAX_LINK_ROWS else
                 f"too many rows for a link (more than {MAX_LINK_ROWS}): the link will say the data is local")
        classes = f"{len(points.class_names)} classes ({', '.join(points.class_names)})" if points.class_names else "regression"
        guess = f" The {self.table.header[self.label.value]} column was read as {points.guess}." if points.guess else ""
        self._say(f"{points.summary()} {classes}; scaled onto the plane; {where}.{guess}", bad=points.skipped > 0)
        if points.skipped > 1:  # every skipped row, with its line and reason, one click away
            items = "".join(f"<li>{as_html(p)}</li>" for p in points.problems)
            self.report.object += (f"<details><summary><small>All {points.skipped} skipped rows</small></summary>"
                                   f"<ul style='max-height:8em;overflow:auto;font-size:0.85em'>{items}</ul></details>")

    def __panel__(self):
        return collapsed_card("Your data (CSV)", self.file, self.text, self.read, self.preview,
                              pn.Row(self.x1, self.x2, self.label), self.kind, self.use, self.report)
