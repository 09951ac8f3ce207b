"""A layer as a function: which representations a layer maps from and to, and its graph.

The textbook draws a 1-neuron layer first as the curve x_out = f(x_in) over the data's
range, with the data on it. Representation names say where each layer starts and ends
("hidden 2 · pre-activation" ... "hidden 2 · activation"); a layer is graphable when what
goes in and what comes out are both one number. Pure NumPy: the 1D view draws the result.
"""
from __future__ import annotations

import numpy as np


def layer_spans(names: list[str]) -> list[tuple[str, str, str]]:
    """[(layer label, input representation, output representation)] in network order, from
    the representation names: "hidden k · ..." belong to layer "hidden k"; "output · logits"
    and "output" to the layer "output"."""
    spans, previous = [], names[0]
    for name in names[1:]:
        label = name.split(" · ")[0]
        if spans and spans[-1][0] == label:
            spans[-1] = (label, spans[-1][1], name)  # the layer ends at its last representation
        else:
            spans.append((label, previous, name))
        previous = name
    return spans


def graphable_layers(names: list[str], widths: dict) -> list[tuple[str, str, str]]:
    """The spans whose input and output are both one neuron wide (``widths``: name -> width)."""
    return [span for span in layer_spans(names) if widths[span[1]] == 1 and widths[span[2]] == 1]


def function_graph(x_in: np.ndarray, x_out: np.ndarray, span=None) -> tuple[np.ndarray, np.ndarray]:
    """The curve x_out(x_in) from samples of the layer's input and output (N,) sorted by
    x_in, non-finite samples left out: every sample lies on the layer's graph (the output
    is a function of the input), so in x order they trace it even where earlier layers fold
    the line (the same x_in reached twice gives the same x_out). ``span`` (low, high): only
    the samples whose input lies in it (the data's range), and no others."""
    keep = np.isfinite(x_in) & np.isfinite(x_out)
    if span is not None:
        keep &= (x_in >= span[0]) & (x_in <= span[1])
    order = np.argsort(x_in[keep], kind="stable")
    return x_in[keep][order], x_out[keep][order]
