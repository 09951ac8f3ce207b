"""Network diagram, as in TensorFlow Playground: every neuron a thumbnail of its own output
over the input plane, every weight an edge (blue positive, orange negative, thicker when
larger; hover reads it). Clicking a neuron shows its layer in the layer-space views and
opens its bias for editing; clicking an edge opens that weight.

The thumbnails stay square at any depth: the figure matches its aspect (BokehJS fits the
ranges to the diagram in the page, with one data unit as many pixels across as down; Python
never needs those bounds). A layer fed by more than THIN_ABOVE inputs (the digits' 64
pixels) draws only the K_PER_NEURON strongest weights into each neuron, and says so.
"""
from __future__ import annotations

import numpy as np
import panel as pn
from bokeh.models import ColumnDataSource, DataRange1d, HoverTool, TapTool

from ..colors import regression_pixels, sign_colors
from ..plain_text import MessageBox
from ..scene import THUMB_STEP
from .base import SessionView, styled_figure

MAX_SHOWN = 12        # neurons drawn per layer; wider layers say how many more there are
MAX_EDGES = 400       # the strongest weights, when a network has more
THIN_ABOVE = 8        # a layer with more inputs than this draws ...
K_PER_NEURON = 3      # ... only this many of the strongest weights into each neuron
COLUMN_GAP, ROW_GAP, CELL = 3.2, 1.3, 1.0
TITLE = "Network"
# under the figure, not in its title: a Bokeh title is drawn on the canvas and never wraps
# (at 390 px the whole sentence ran past the figure's edge)
HINT = "Click a neuron or an edge to look at it and edit its value."


def diagram_columns(names: list[str]) -> list[tuple[str, str]]:
    """(caption, representation) per column: inputs, each hidden layer's output, output."""
    columns = [("input", "input")]
    hidden = sorted({int(n.split()[1]) for n in names if n.startswith("hidden ")})
    for i in hidden:
        last = [n for n in names if n.startswith(f"hidden {i} ·")][-1]
        columns.append((f"hidden {i}", last))
    columns.append(("output", "output"))
    return columns


def short_caption(caption: str) -> str:
    """A column's caption where many columns share a figure: "h3", "in", "out"."""
    return {"input": "in", "output": "out"}.get(caption, caption.replace("hidden ", "h"))


# The figure's plot area, at its narrowest (a phone), and a caption's height with its gap to the
# nodes, in px: what the y range must leave room for (the text is drawn outside its anchor point)
PLOT_PX = (340, 260)
CAPTION_PX, CAPTION_GAP = 15, 0.2


def column_captions(columns: list[tuple[str, str]], widths: list[int], ys: list[np.ndarray]) -> dict:
    """The captions source: a header above each column and, under a column wider than it can
    show, how many neurons are not drawn. Why two rows, and short headers past five columns:
    with 8 hidden layers (10 columns in ~380 px, ~38 px each) "hidden 1 (+116)" ran into its
    neighbours on both sides. Each row of text also gets an empty caption at its far edge:
    the figure's range covers the anchor points of text, not the text, and the digits' tall
    columns (12 neurons) had their headers cut off at the top of the figure."""
    many = len(columns) > 5
    top = max(y.max() for y in ys if len(y)) + CELL / 2
    bottom = min(y.min() for y in ys if len(y)) - CELL / 2
    # data units a px, as match_aspect makes them: the wider of the two spans decides
    x_span, y_span = (len(columns) - 1) * COLUMN_GAP + CELL, top - bottom + 2 * CAPTION_GAP
    unit = max(x_span / PLOT_PX[0], y_span / (PLOT_PX[1] - 2 * CAPTION_PX))
    text = {"x": [], "y": [], "text": [], "anchor": []}

    def add(x: float, y: float, words: str, anchor: str) -> None:
        text["x"].append(x), text["y"].append(y), text["text"].append(words), text["anchor"].append(anchor)

    footers = False
    for c, ((caption, _), width, y) in enumerate(zip(columns, widths, ys)):
        add(c * COLUMN_GAP, top + CAPTION_GAP, short_caption(caption) if many else caption, "bottom")
        if width > MAX_SHOWN:
            add(c * COLUMN_GAP, y.min() - CELL / 2 - CAPTION_GAP, f"+{width - MAX_SHOWN}", "top")
            footers = True
    add(0.0, top + CAPTION_GAP + CAPTION_PX * unit, "", "bottom")  # room for the headers
    if footers:
        add(0.0, bottom - CAPTION_GAP - CAPTION_PX * unit, "", "top")
    return text


def node_positions(widths: list[int]) -> list[np.ndarray]:
    """Centre y of each shown neuron, per column, centred on 0."""
    return [(np.arange(min(w, MAX_SHOWN)) - (min(w, MAX_SHOWN) - 1) / 2) * -ROW_GAP for w in widths]


def strongest_into_each(W: np.ndarray, k: int) -> np.ndarray:
    """Mask of ``W`` (fan_in, fan_out): the ``k`` largest weights (by size) into each neuron."""
    keep = np.zeros(W.shape, dtype=bool)
    top = np.argsort(-np.abs(W), axis=0)[:k]
    keep[top, np.arange(W.shape[1])[None, :]] = True
    return keep


def edge_data(weights: list[np.ndarray], ys: list[np.ndarray]) -> dict:
    """Segments between consecutive columns from each Linear layer's (fan_in, fan_out) weights;
    only the ``K_PER_NEURON`` strongest into each neuron of a layer with more than ``THIN_ABOVE``
    inputs, and the ``MAX_EDGES`` strongest overall, in the order of (layer, from, to): while the
    same edges are drawn, a frame changes only the columns in ``EDGE_MOTION`` (a frame sends
    numbers only; the hover's names, ``edge_names``, are made and sent when the edges drawn change)."""
    parts = []
    for c, W in enumerate(weights):
        a, b = ys[c], ys[c + 1]
        i, j = (g.ravel() for g in np.meshgrid(np.arange(len(a)), np.arange(len(b)), indexing="ij"))
        shown = W[:len(a), :len(b)]
        rows = np.stack([np.full(len(i), c), i, j, shown.ravel()], axis=1)
        if W.shape[0] > THIN_ABOVE:
            rows = rows[strongest_into_each(shown, K_PER_NEURON).ravel()]
        parts.append(rows)
    table = np.concatenate(parts) if parts else np.zeros((0, 4))
    if len(table) > MAX_EDGES:
        table = table[np.sort(np.argsort(-np.abs(table[:, 3]), kind="stable")[:MAX_EDGES])]
    c, i, j, w = table[:, 0].astype(int), table[:, 1].astype(int), table[:, 2].astype(int), table[:, 3]
    flat = np.concatenate(ys) if ys else np.zeros(0)
    first = np.concatenate([[0], np.cumsum([len(y) for y in ys])]).astype(int)  # column -> index of its neuron 0
    scale = np.abs(w).max() if len(w) else 1.0
    return {
        "x0": c * COLUMN_GAP + CELL / 2, "x1": (c + 1) * COLUMN_GAP - CELL / 2,
        "y0": flat[first[c] + i], "y1": flat[first[c + 1] + j],
        "w": w, "color": sign_colors(w), "width": 0.4 + 4.5 * np.abs(w) / (scale or 1.0),
        "layer": c, "i": i, "j": j,
    }


def edge_names(edges: dict, captions: list[str]) -> dict:
    """The hover's "from" and "to" of each edge, as the diagram's captions and the weight editor
    name them (neurons 1-based): "hidden 1 · neuron 3"."""
    c, i, j = edges["layer"], edges["i"], edges["j"]
    return {"from": [f"{captions[a]} · neuron {n + 1}" for a, n in zip(c, i)],
            "to": [f"{captions[a + 1]} · neuron {n + 1}" for a, n in zip(c, j)]}


EDGE_MOTION = ("w", "color", "width")  # what training changes in an edge, while the same edges are drawn
EDGE_IDENTITY = ("layer", "i", "j", "y0", "y1")


def column_image(pixels: np.ndarray, side: int) -> np.ndarray:
    """One image for a column of neuron thumbnails: (neurons, side*side) colours -> the
    thumbnails stacked top to bottom, ROW_GAP apart, transparent between. One image per
    column instead of one per neuron: each array is a separate buffer to send and draw."""
    n = len(pixels)
    step = int(round(ROW_GAP / CELL * side))
    image = np.zeros(((n - 1) * step + side, side), dtype=np.uint32)
    for k in range(n):  # an image's row 0 is drawn at the bottom, and neuron 0 is the top one
        first_row = (n - 1 - k) * step
        image[first_row:first_row + side] = pixels[k].reshape(side, side)
    return image


class NetworkDiagram(SessionView):
    def __init__(self, **params):
        super().__init__(**params)
        self.thumbs = ColumnDataSource({"image": [], "x": [], "y": [], "dw": [], "dh": []})
        self.nodes = ColumnDataSource({"x": [], "y": [], "layer": [], "neuron": [], "name": []})
        self.edges = ColumnDataSource({k: [] for k in ("x0", "y0", "x1", "y1", "w", "color", "width", "layer", "i",
                                                       "j", "from", "to")})
        self.captions = ColumnDataSource({"x": [], "y": [], "text": [], "anchor": []})
        self._edge_captions: list[str] = []  # the column captions the edges' names were made with
        fig = styled_figure(TITLE, "network", width=400, height=330, tools="save", match_aspect=True,
                            x_range=DataRange1d(range_padding=0.04), y_range=DataRange1d(range_padding=0.04))
        edges = fig.segment("x0", "y0", "x1", "y1", color="color", line_width="width", alpha=0.65, source=self.edges)
        fig.image_rgba(image="image", x="x", y="y", dw="dw", dh="dh", source=self.thumbs)
        nodes = fig.rect("x", "y", width=CELL, height=CELL, source=self.nodes, fill_alpha=0, line_color="#888888",
                         selection_line_color="#222222", selection_line_width=2.5, nonselection_line_alpha=1)
        fig.text("x", "y", text="text", source=self.captions, text_align="center", text_baseline="anchor",
                 text_font_size="11px", text_color="#555555")
        fig.add_tools(HoverTool(renderers=[edges], tooltips=[("weight", "@w{0.000}"), ("from", "@from"),
                                                             ("to", "@to")], line_policy="interp"),
                      HoverTool(renderers=[nodes], tooltips=[("neuron", "@name")]),
                      TapTool(renderers=[nodes, edges]))
        fig.axis.visible = False
        fig.grid.visible = False
        self.figure = fig
        self.nodes.selected.on_change("indices", self._clicked)
        self.edges.selected.on_change("indices", self._edge_clicked)
        # the weight or bias being edited: (key, linear layer, i, j), and its input box
        self.editing = self._edited_network = None  # and in which trainer's network
        # no start/end: the page would clamp or drop a value out of range without a word;
        # Python refuses it beside the box and puts the kept value back
        self.editor = pn.widgets.FloatInput(label="", value=0.0, step=0.1, width=160,
                                            visible=False, css_classes=["nnweb-edit-weight"])
        self.editor.param.watch(self._edited, "value")
        self.edit_error = MessageBox()
        self.thinned = pn.pane.HTML(f"<small>Layers with more than {THIN_ABOVE} inputs: only the {K_PER_NEURON} "
                                    "strongest weights into each neuron are drawn.</small>", visible=False,
                                    margin=(0, 10), css_classes=["nnweb-thinned-edges"])
        self.hint = pn.pane.HTML(f"<small>{HINT}</small>", margin=(0, 10), css_classes=["nnweb-network-hint"])
        self._on_frame()  # hidden views draw when first shown (tabs render lazily)

    def _clicked(self, attr, old, new) -> None:
        if not new:
            return
        i = new[0]
        v = self.session.view
        layer, neuron = self.nodes.data["layer"][i], int(self.nodes.data["neuron"][i])
        if layer in v.param.layer.objects:
            v.layer = layer
        v.neuron_x, v.neuron_y = neuron, (v.neuron_y if v.neuron_y != neuron else (neuron + 1))
        column = int(round(self.nodes.data["x"][i] / COLUMN_GAP))
        if column > 0:  # a hidden or output neuron: its bias can be edited
            caption = diagram_columns(self.session.scene().names)[column][0]
            self._edit(("b", column - 1, 0, neuron), f"Bias of {caption}, neuron {neuron + 1}")

    def _edge_clicked(self, attr, old, new) -> None:
        """The edge under the click, captured now: edges are re-sorted by strength every frame."""
        if not new:
            return
        d = self.edges.data
        k = new[0]
        c, i, j = int(d["layer"][k]), int(d["i"][k]), int(d["j"][k])
        captions = [caption for caption, _ in diagram_columns(self.session.scene().names)]
        self._edit(("W", c, i, j), f"Weight {captions[c]}, neuron {i + 1} → {captions[c + 1]}, neuron {j + 1}")
        self.edges.selected.indices = []

    def _edit(self, target, label: str) -> None:
        self.editing = None  # setting the box's value below is not an edit
        self.editor.param.update(label=label, value=round(self.session.parameter(*target), 6), visible=True)
        self.edit_error.clear()
        self.editing, self._edited_network = target, self.session.trainer

    def _close_editor(self) -> None:
        """A new network (demonstration, data, reset): the weight in the box is not in it."""
        self.editing = self._edited_network = None
        self.editor.visible = False
        self.edit_error.clear()

    def _edited(self, event) -> None:
        if self.editing is None or event.new is None:
            return
        try:
            self.session.edit_parameter(*self.editing, event.new)
            self.edit_error.clear()
        except ValueError as err:
            target = self.editing
            kept = self.session.parameter(*target)
            self.edit_error.show(f"Not applied: {err}; it stays {kept:.6g}.")

            def restore():  # later: Panel sends no change of the value it is applying back to the page
                if self.editing == target:
                    self.editing = None
                    self.editor.value = round(kept, 6)
                    self.editing = target
            pn.state.execute(restore)

    def redraw(self) -> None:
        if self.editing is not None and self._edited_network is not self.session.trainer:
            self._close_editor()
        scene, net = self.session.scene(), self.session.network()
        columns = diagram_columns(scene.names)
        widths = [scene.data_reps[rep].shape[1] for _, rep in columns]
        ys = node_positions(widths)
        thumbs = {k: [] for k in ("image", "x", "y", "dw", "dh")}
        nodes = {k: [] for k in ("x", "y", "layer", "neuron", "name")}
        sub = scene.plane_subgrid(THUMB_STEP) if scene.has_plane else None
        side = int(round(np.sqrt(len(sub)))) if sub is not None else 0
        for c, ((caption, rep), y) in enumerate(zip(columns, ys)):
            x = c * COLUMN_GAP
            for n, yy in enumerate(y):
                nodes["x"].append(x), nodes["y"].append(yy), nodes["layer"].append(rep)
                nodes["neuron"].append(n), nodes["name"].append(f"{caption} · neuron {n + 1}")
            if sub is None or not len(y):
                continue
            values = scene.plane_reps[rep][sub]
            if rep == "output" and scene.kind == "classification":
                values = 2 * values - 1  # probabilities -> [-1, 1]
            scale = np.abs(values).max() if values.size else 1.0
            # the shown neurons of the column coloured at once, then stacked into one image
            pixels = regression_pixels(values[:, :len(y)], scale or 1.0).T
            thumbs["image"].append(column_image(pixels, side))
            thumbs["x"].append(x - CELL / 2), thumbs["y"].append(y.min() - CELL / 2)
            thumbs["dw"].append(CELL), thumbs["dh"].append(y.max() - y.min() + CELL)
        self.thumbs.data = thumbs
        if self.nodes.data["name"] != nodes["name"]:  # architecture changed: new nodes, new frame
            self.nodes.data = nodes
            self.captions.data = column_captions(columns, widths, ys)
        weights = [layer.params["W"] for layer in net.linear_layers()]
        edges, captions = edge_data(weights, ys), [caption for caption, _ in columns]
        old = self.edges.data
        if captions == self._edge_captions and len(old["w"]) == len(edges["w"]) \
                and all(np.array_equal(old[k], edges[k]) for k in EDGE_IDENTITY):
            self.edges.data.update({k: edges[k] for k in EDGE_MOTION})  # the same edges: only what moved
        else:
            self.edges.data = {**edges, **edge_names(edges, captions)}
            self._edge_captions = captions
        thinned = any(W.shape[0] > THIN_ABOVE for W in weights)
        if self.thinned.visible != thinned:
            self.thinned.visible = thinned

    def __panel__(self):
        return pn.Column(self.figure, self.hint, self.thinned, self.editor, self.edit_error, margin=0)
