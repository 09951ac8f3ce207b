"""Presets: the classic demonstrations, each a shareable experiment with a caption.

Every caption's claim is measured, over several seeds, by ``tests/test_presets.py``
(``claim`` says what is checked: "at least" must hold for every seed, "below" for the
median, "relu edges" for every seed). Where a claim of the seed texts did not hold as stated,
the caption says what the app actually shows.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..engine import DataSpec, LayerSpec, ModelSpec, TrainSpec, Trainer, make_data
from .session import fit_model
from .state import Experiment, check_view


@dataclass(frozen=True)
class Preset:
    key: str
    title: str
    caption: str
    experiment: Experiment
    epochs: int                 # how long the claim's measurement trains
    claim: tuple                # ("accuracy_at_least", x) | ("accuracy_below", x) | ("relu_edges_at_least", x)


def _experiment(data: DataSpec, layers, train: TrainSpec, view: dict, **model) -> Experiment:
    spec = fit_model(ModelSpec(layers=tuple(layers), **model), data)
    return Experiment(data, spec, train, check_view(view))


# The training most demonstrations use: Adam at 0.03 (PyTorch's betas), batch 10.
ADAM_003 = TrainSpec("adam", learning_rate=0.03)


def _tanh(*widths, norm="none"):
    return [LayerSpec(w, "tanh", norm) for w in widths]


PRESETS = [
    Preset("spiral-2x5", "Spiral through five 2-neuron layers",
           "Five tanh layers of only two neurons each. Open **Morph** and play it: every layer "
           "stretches, turns and squashes the plane, and the grid lines show the arms being twisted "
           "apart. *What nnweb measures:* with two neurons per layer the plane can only be deformed, "
           "never cut or lifted, and training finds only a partial unwinding of this two-turn spiral "
           "(52-67% test accuracy over 9 runs, up to 800 epochs). Compare with two layers of 8.",
           _experiment(DataSpec("spiral", points=600, noise=0.0), _tanh(2, 2, 2, 2, 2),
                       TrainSpec("adam", learning_rate=0.003, batch_size=10),
                       {"layer": "hidden 5 · activation"}),
           300, ("accuracy_below", 0.8)),
    Preset("disks-2", "Disks, two neurons per layer (fails)",
           "A disk inside a ring, and hidden layers of two neurons. A 2-D layer can stretch and fold "
           "the plane but can never lift the inner disk out of the ring, so no line in any layer "
           "separates them: the accuracy stays well below the 3-neuron version.",
           _experiment(DataSpec("disks", points=500), _tanh(2, 2, 2),
                       ADAM_003, {"layer": "hidden 3 · activation"}),
           300, ("accuracy_below", 0.9)),
    Preset("disks-3", "Disks, three neurons per layer (3D)",
           "The same disks with three neurons per layer. Open **3D** on the last hidden layer and "
           "rotate: the inner disk bulges into the third dimension, above the ring, and a plane "
           "separates them.",
           _experiment(DataSpec("disks", points=500), _tanh(3, 3, 3),
                       ADAM_003, {"layer": "hidden 3 · activation"}),
           300, ("accuracy_at_least", 0.95)),
    Preset("layernorm-linear", "LayerNorm as a nonlinearity",
           "Linear activations only, each followed by LayerNorm, on XOR. Without the normalization "
           "this network is one linear map and no line separates XOR. LayerNorm divides each sample "
           "by its own spread, which bends the plane (three neurons land on a circle), so the network "
           "separates XOR. (On the disk-in-a-ring it cannot: dividing by the spread erases the radius "
           "that tells the two apart, about 80%.)",
           _experiment(DataSpec("xor", points=500), [LayerSpec(3, "linear", "layernorm")] * 2,
                       ADAM_003, {"layer": "hidden 1 · LayerNorm"}),
           150, ("accuracy_at_least", 0.9)),
    Preset("batchnorm-linear", "BatchNorm with linear activations",
           "The same network with BatchNorm instead of LayerNorm. At evaluation BatchNorm only shifts "
           "and rescales each neuron, so the whole network stays one linear map: its boundary is a "
           "straight line, and on XOR a line is right for barely more than half of the points.",
           _experiment(DataSpec("xor", points=500), [LayerSpec(3, "linear", "batchnorm")] * 2,
                       ADAM_003, {"layer": "hidden 1 · BatchNorm"}),
           150, ("accuracy_below", 0.75)),
    Preset("relu-edges", "ReLU snaps data onto the edges",
           "ReLU sets every negative coordinate to zero. In **Layer space**, look at a ReLU layer: most "
           "points lie on the two positive half-axes or at the origin, the positive quadrant's edges; "
           "the next layer only sees that folded picture.",
           _experiment(DataSpec("xor", points=500), [LayerSpec(2, "relu"), LayerSpec(2, "relu")],
                       ADAM_003, {"layer": "hidden 1 · activation"}, seed=3,
                       weight_init="he_normal"),
           100, ("relu_edges_at_least", 0.5)),
    Preset("softmax-gaussians", "Two Gaussian clouds, softmax, one 2-D layer",
           "Two clouds, a single hidden layer of two neurons and a 2-way softmax. The clouds are "
           "linearly separable already; the hidden layer only needs to keep them apart.",
           _experiment(DataSpec("gaussians", points=400), _tanh(2), ADAM_003,
                       {"layer": "hidden 1 · activation"}, head="softmax", outputs=2),
           60, ("accuracy_at_least", 0.97)),
    Preset("softmax-circles", "Concentric circles, softmax, one 2-D layer",
           "The same small network on a disk inside a ring. One 2-D hidden layer cannot lift the disk "
           "out of the ring, so the 2-way softmax draws the best line it can in that layer, and fails.",
           _experiment(DataSpec("circle", points=400), _tanh(2), ADAM_003,
                       {"layer": "hidden 1 · activation"}, head="softmax", outputs=2),
           100, ("accuracy_below", 0.9)),
    Preset("digits-pca", "Digits through 64-128-64-10, seen by PCA",
           "The 8x8 handwritten digits through a 64-128-64-10 tanh network. Layer space shows each "
           "representation's first two principal components (the axis labels say how much of the "
           "variance they keep): from layer to layer the ten classes pull apart into clusters.",
           _experiment(DataSpec("digits", points=1797, train_ratio=0.7), _tanh(128, 64),
                       TrainSpec("adam", learning_rate=0.003, batch_size=20),
                       {"layer": "hidden 2 · activation", "projection": "pca"}),
           20, ("accuracy_at_least", 0.9)),
    Preset("xor-2", "XOR with 2 hidden neurons",
           "Exclusive or with one hidden layer of two neurons: enough in principle, but training "
           "usually settles in a poor solution (about 75% in most runs; try other weight seeds).",
           _experiment(DataSpec("xor", points=400), _tanh(2), ADAM_003,
                       {"layer": "hidden 1 · activation"}),
           200, ("accuracy_below", 0.9)),
    Preset("xor-3", "XOR with 3 hidden neurons",
           "The same with three hidden neurons: the extra dimension makes a good solution easy to "
           "find, and training reaches over 90% from every start we measured.",
           _experiment(DataSpec("xor", points=400), _tanh(3), ADAM_003,
                       {"layer": "hidden 1 · activation"}),
           200, ("accuracy_at_least", 0.9)),
]
BY_KEY = {p.key: p for p in PRESETS}


def with_seed(experiment: Experiment, seed: int) -> Experiment:
    """The same experiment with another weight seed (and shuffling seed)."""
    from dataclasses import replace
    return replace(experiment, model=replace(experiment.model, seed=seed),
                   train=replace(experiment.train, seed=seed))


def measure(experiment: Experiment, epochs: int) -> dict:
    """Train ``epochs`` and report test accuracy, and for ReLU layers how many points sit on
    an edge of the positive quadrant (at least one coordinate exactly zero)."""
    d = make_data(experiment.data)
    t = Trainer(experiment.model, experiment.train, d.x_train, d.y_train, d.x_test, d.y_test)
    for _ in range(epochs):
        t.train_epoch()
    rep = t.network.representations(d.x_test)[experiment.view["layer"]]
    return {"accuracy": t.metrics()["test"]["accuracy"], "on_edges": float(np.mean((rep == 0).any(axis=1))),
            "diverged": t.diverged}
