"""What the views show: every choice a person makes in a view, in one Parameterized.

Kept apart from the training specs so that looking (changing a neuron, rotating the 3D
view, scrubbing history) never touches training; both are part of the shareable state.
"""
from __future__ import annotations

import param

from .function_graph import layer_spans


class ViewSettings(param.Parameterized):
    layer = param.Selector(default="hidden 2 · activation", objects=["hidden 2 · activation"],
                           doc="Which representation the layer-space views show")
    projection = param.Selector(default="neurons", objects=["neurons", "pca"],
                                doc="Axes: chosen neurons, or principal components of the data")
    neuron_x = param.Integer(default=0, bounds=(0, 127), doc="Neuron on the horizontal axis")
    neuron_y = param.Integer(default=1, bounds=(0, 127), doc="Neuron on the vertical axis")
    neuron_z = param.Integer(default=2, bounds=(0, 127), doc="Third neuron (3D view)")
    grid_lines = param.Integer(default=11, bounds=(3, 31), doc="Grid lines per direction")
    show_test = param.Boolean(default=False, doc="Also draw the test points")
    discretize = param.Boolean(default=False, doc="Paint classes without confidence shading")
    azimuth = param.Number(default=35.0, bounds=(-180, 180), doc="3D view: turn (degrees)")
    elevation = param.Number(default=20.0, bounds=(-90, 90), doc="3D view: tilt (degrees)")
    morph_t = param.Number(default=0.0, bounds=(0, 1), doc="Morph: 0 = input, 1 = output")
    morph_coordinates = param.Selector(default="aligned", objects=["aligned", "true"],
                                       doc="Morph: each stage turned to match the one before, or as it is")
    morph_dimensions = param.Selector(default="2d", objects=["2d", "3d"],
                                      doc="Morph: two axes, or three seen from azimuth and elevation")
    one_d_scale = param.Selector(default="fitted", objects=["fitted", "shared"],
                                 doc="1D: each layer on its own scale, or all on one (magnitudes compare)")
    function_layer = param.String(default="", doc="1D: the 1-neuron layer drawn as a function graph "
                                                  "('' = the first one that can be)")
    preset = param.String(default="", doc="The demonstration being shown (its caption), if any")
    draw = param.Boolean(default=True, doc="Redraw the views while training (off: train faster)")
    checkpoint = param.Integer(default=-1, bounds=(-1, None), doc="-1: live; else a history checkpoint")

    def set_layers(self, names: list[str]) -> None:
        """New network: offer its representations; keep the choice if it still exists."""
        choices = [n for n in names if n != "input"] or names
        default = next((n for n in reversed(choices) if n.startswith("hidden")), choices[0])
        self.param.layer.objects = choices
        if self.layer not in choices:
            self.layer = default
        if self.function_layer not in [label for label, _, _ in layer_spans(names)]:
            self.function_layer = ""  # a link must name a layer of its own model
