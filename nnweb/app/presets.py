"""Presets: the classic demonstrations, each a shareable experiment with a caption.

Every caption's claim is measured over ten seeds (weight, shuffle and data seed together) by
``tests/test_presets.py``; ``claim`` says what is checked, and where a caption quotes
numbers they are the range that test measures. A run stops as soon as it reaches
``stop`` (test accuracy), or after ``epochs``: a claim "reaches x within N epochs" needs no
longer run, and the tests stay fast.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace

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
    epochs: int                 # how long the claim's measurement trains, at most
    # ("accuracy_at_least", x, k): at least k of the 10 seeds reach test accuracy x;
    # ("accuracy_below", x): the median stays below x;
    # ("relu_edges", x, share): every seed reaches x and keeps at least ``share`` of the test
    # points on an edge of the positive quadrant in the viewed layer.
    claim: tuple
    stop: float | None = None   # stop a measurement once the test accuracy reaches this


def _experiment(data: DataSpec, layers, train: TrainSpec, view: dict, **model) -> Experiment:
    spec = fit_model(ModelSpec(layers=tuple(layers), **model), data)
    return Experiment(data, spec, train, check_view(view))


# The training most demonstrations use: Adam at 0.03 (PyTorch's betas), batch 10.
ADAM_003 = TrainSpec("adam", learning_rate=0.03)


def _tanh(*widths, norm="none"):
    return [LayerSpec(w, "tanh", norm) for w in widths]


# The blog's spiral: arms t (cos t, sin t) for t in 0.4 .. 4.36, the second turned by pi
# (datasets.spiral; the engine tests check the arms), 200 points.
BLOG_SPIRAL = DataSpec("spiral", points=200, noise=0.0, turns=(4.36 - 0.4) / (2 * math.pi), arm_start=0.4)
# Five tanh layers of two neurons, softmax: of the settings tried over 40-80 seeds (sigmoid or
# softmax head, Glorot or LeCun, batch 5-20, lr 0.003-0.03, 2-6 layers) this one unwound the
# blog's spiral most often (about 9 starts in 10); the others stalled at about 80% more often.
SPIRAL_NET = dict(head="softmax", outputs=2, weight_init="lecun_normal")
SPIRAL_TRAIN = TrainSpec("adam", learning_rate=0.01, batch_size=5)

PRESETS = [
    Preset("spiral-2x5", "Spiral through five 2-neuron layers",
           "The blog's spiral: two arms winding 0.63 of a turn, through five tanh layers of only two "
           "neurons. Open **Morph** and play it: layer by layer the plane is stretched and turned, the "
           "grid lines bend, and the arms come apart until a straight line separates them. "
           "*Measured:* 9 of 10 starts reach at least 98% test accuracy (within 300 epochs); the "
           "tenth gets stuck near 82%: try another weight seed.",
           _experiment(BLOG_SPIRAL, _tanh(2, 2, 2, 2, 2), SPIRAL_TRAIN, {"layer": "hidden 5 · activation"},
                       **SPIRAL_NET),
           300, ("accuracy_at_least", 0.98, 9), stop=0.98),
    Preset("spiral-2x5-tight", "Spiral of 1.75 turns, five 2-neuron layers (fails)",
           "The playground's spiral winds 1.75 turns; the network is the same five layers of two "
           "neurons. Two neurons can only bend and stretch the plane, never cut it or lift one arm "
           "over the other, and an arm wound this tightly cannot be pulled out straight between the "
           "turns of the other: *measured* 59-73% test over 10 runs. More turns "
           "need wider layers, whose extra dimensions let the arms pass each other. Lower **Turns** "
           "on the Data card and watch the same network succeed.",
           _experiment(DataSpec("spiral", points=200, noise=0.0), _tanh(2, 2, 2, 2, 2), SPIRAL_TRAIN,
                       {"layer": "hidden 5 · activation"}, **SPIRAL_NET),
           150, ("accuracy_below", 0.75)),
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
           300, ("accuracy_at_least", 0.95, 10), stop=0.95),
    Preset("layernorm-linear", "LayerNorm as a nonlinearity",
           "Linear activations only, each followed by LayerNorm, on XOR. Without the normalization "
           "this network is one linear map and no line separates XOR. LayerNorm divides each point's "
           "three values by their own spread, which bends the plane: open **3D** on hidden 1 · "
           "LayerNorm and every point lies on one closed loop, the XOR quadrants on different arcs of "
           "it. *Measured:* 10 of 10 runs reach 90% test within 150 epochs.",
           _experiment(DataSpec("xor", points=500), [LayerSpec(3, "linear", "layernorm")] * 3,
                       ADAM_003, {"layer": "hidden 1 · LayerNorm"}),
           150, ("accuracy_at_least", 0.9, 10), stop=0.9),
    Preset("batchnorm-linear", "BatchNorm with linear activations",
           "The same network with BatchNorm instead of LayerNorm. At evaluation BatchNorm only shifts "
           "and rescales each neuron, so the whole network stays one linear map: its boundary is a "
           "straight line, and on XOR a line is right for barely more than half of the points.",
           _experiment(DataSpec("xor", points=500), [LayerSpec(3, "linear", "batchnorm")] * 2,
                       ADAM_003, {"layer": "hidden 1 · BatchNorm"}),
           150, ("accuracy_below", 0.75)),
    Preset("relu-edges", "ReLU snaps data onto the edges",
           "Two moons through eight ReLU neurons, then two. ReLU sets every negative value to zero: in "
           "**Layer space** on hidden 2, points lie on the two positive half-axes or at the origin, "
           "the positive quadrant's edges, and the network still separates the moons, because the "
           "last line only has to split that folded picture. *Measured over 10 runs (30 epochs):* "
           "100% test accuracy, with 26-100% of the test points exactly on an edge.",
           _experiment(DataSpec("moons", points=500), [LayerSpec(8, "relu"), LayerSpec(2, "relu")],
                       ADAM_003, {"layer": "hidden 2 · activation"}, weight_init="he_normal"),
           30, ("relu_edges", 0.95, 0.25)),
    Preset("softmax-gaussians", "Two Gaussian clouds, softmax, one 2-D layer",
           "Two clouds, a single hidden layer of two neurons and a 2-way softmax. The clouds are "
           "linearly separable already; the hidden layer only needs to keep them apart.",
           _experiment(DataSpec("gaussians", points=400), _tanh(2), ADAM_003,
                       {"layer": "hidden 1 · activation"}, head="softmax", outputs=2),
           60, ("accuracy_at_least", 0.97, 10), stop=0.97),
    Preset("softmax-circles", "Concentric circles, softmax, one 2-D layer (fails)",
           "The same small network on a disk inside a ring. One 2-D hidden layer cannot lift the disk "
           "out of the ring, so the 2-way softmax draws the best line it can in that layer, and fails: "
           "*measured* 78-84% test over 10 runs.",
           _experiment(DataSpec("circle", points=400), _tanh(2), ADAM_003,
                       {"layer": "hidden 1 · activation"}, head="softmax", outputs=2),
           100, ("accuracy_below", 0.9)),
    Preset("softmax-circles-deep", "Concentric circles, softmax, two layers of 3",
           "The textbook's second example: the disk and ring again, with two hidden layers of three "
           "tanh neurons. A third dimension lets the first layer lift the disk above the ring (open "
           "**3D**), and the second lays them out so one plane separates them. *Measured:* 10 of 10 "
           "runs reach 97% test within 100 epochs.",
           _experiment(DataSpec("circle", points=400), _tanh(3, 3), ADAM_003,
                       {"layer": "hidden 2 · activation"}, head="softmax", outputs=2),
           100, ("accuracy_at_least", 0.97, 10), stop=0.97),
    Preset("digits-pca", "Digits through 64-128-64-10, seen by PCA",
           "The 8x8 handwritten digits through a 64-128-64-10 tanh network. Layer space shows each "
           "representation's first two principal components (the axis labels say how much of the "
           "variance they keep): from layer to layer the ten classes pull apart into clusters.",
           _experiment(DataSpec("digits", points=1797, train_ratio=0.7), _tanh(128, 64),
                       TrainSpec("adam", learning_rate=0.003, batch_size=20),
                       {"layer": "hidden 2 · activation", "projection": "pca"}),
           20, ("accuracy_at_least", 0.9, 10), stop=0.9),
    Preset("xor-2", "XOR with 2 hidden neurons",
           "Exclusive or with one hidden layer of two neurons: enough in principle, but training "
           "usually settles in a poor solution (about 75% in most runs; try other weight seeds).",
           _experiment(DataSpec("xor", points=400), _tanh(2), ADAM_003,
                       {"layer": "hidden 1 · activation"}),
           200, ("accuracy_below", 0.9)),
    Preset("xor-3", "XOR with 3 hidden neurons",
           "The same with three hidden neurons: the extra dimension makes a good solution easy to "
           "find: *measured*, 10 of 10 runs reach at least 85% test within 200 epochs.",
           _experiment(DataSpec("xor", points=400), _tanh(3), ADAM_003,
                       {"layer": "hidden 1 · activation"}),
           200, ("accuracy_at_least", 0.85, 10), stop=0.85),
]
BY_KEY = {p.key: p for p in PRESETS}


def with_seed(experiment: Experiment, seed: int, data_seed: int | None = None) -> Experiment:
    """The same experiment with another weight seed (and shuffling seed), and optionally
    other data: a claim about a kind of data must hold for other samples of it too."""
    data = experiment.data if data_seed is None else replace(experiment.data, seed=data_seed)
    return replace(experiment, data=data, model=replace(experiment.model, seed=seed),
                   train=replace(experiment.train, seed=seed))


def measure(experiment: Experiment, epochs: int, stop: float | None = None) -> dict:
    """Train up to ``epochs`` (stopping once the test accuracy reaches ``stop``) and report test
    accuracy, the epochs trained, and for ReLU layers how many points sit on an edge of the
    positive quadrant (at least one coordinate exactly zero)."""
    d = make_data(experiment.data)
    t = Trainer(experiment.model, experiment.train, d.x_train, d.y_train, d.x_test, d.y_test)
    while t.epoch < epochs and not t.diverged:
        t.train_epoch()
        if stop is not None and t.evaluate(d.x_test, t.y_test)["accuracy"] >= stop:
            break
    rep = t.network.representations(d.x_test)[experiment.view["layer"]]
    return {"accuracy": t.metrics()["test"]["accuracy"], "on_edges": float(np.mean((rep == 0).any(axis=1))),
            "epochs": t.epoch, "diverged": t.diverged, "representations": t.network.representations(d.x_test),
            "y_test": t.y_test}
