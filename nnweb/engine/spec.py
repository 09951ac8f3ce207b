"""The plain, JSON-serializable description of a network and of how it is trained.

A spec is what the app stores in the URL, what a shared link reproduces and what an
imported JSON file is checked against. Each field declares its allowed values once, in
its metadata (a range or a list of choices, like TensorFlow Playground's state table), and
one routine checks them all: building a spec with a bad value raises one ``ValueError``
that names the field and what is allowed. ``from_dict(spec.to_dict()) == spec`` always.
"""
from __future__ import annotations

from dataclasses import MISSING, asdict, dataclass, field, fields
from typing import Any

# Stated limits: the app, the URL codec and JSON import all refuse values outside them.
MAX_HIDDEN_LAYERS = 8
MAX_WIDTH = 128  # the digits preset needs 64-128-64-10; the 2D editor offers up to 16
MAX_INPUTS = 64  # 8x8 digit pixels
MAX_CLASSES = 10
MAX_SEED = 2**31 - 1

ACTIVATIONS = ("linear", "sigmoid", "tanh", "relu", "leaky_relu", "gelu", "softplus", "step")
NORMALIZATIONS = ("none", "batchnorm", "layernorm", "l2")
HEADS = ("sigmoid", "softmax", "linear")
WEIGHT_INITS = ("zeros", "uniform", "normal", "glorot_uniform", "glorot_normal",
                "he_uniform", "he_normal", "lecun_normal")
BIAS_INITS = ("zeros", "constant", "uniform", "normal")
OPTIMIZERS = ("sgd", "momentum", "nesterov", "rmsprop", "adagrad", "adam", "adamw")
REGULARIZATIONS = ("none", "l1", "l2")

# What Adagrad used before TrainSpec had its own eps (the shared eps default): TrainSpec.convert
LEGACY_ADAGRAD_EPS = 1e-8

_KINDS = {"int": int, "float": float, "bool": bool}
SHOWN_CHARS = 80  # an echoed value is cut to this many characters: a message stays a sentence


def shown(value: Any) -> str:
    """``repr(value)`` for an error message, cut to SHOWN_CHARS: a 20,000-character string in a
    link must not come back whole in the sentence that refuses it (repr also keeps markup and
    quotes visible as the text they are)."""
    return cut(repr(value))


def cut(text: str, limit: int = SHOWN_CHARS) -> str:
    """``text`` cut to ``limit`` characters, an ellipsis marking the cut."""
    return text if len(text) <= limit else f"{text[:limit - 1]}…"


def is_number(value: Any) -> bool:
    """An int or a float, not a bool: JSON's true is Python's True, which is also the int 1,
    and a switch must not be taken for a weight or a count."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def ranged(default, low, high, doc=""):
    """A number field allowed in [low, high]."""
    return field(default=default, metadata={"range": (low, high), "doc": doc})


def choice(default, choices, doc=""):
    """A field allowed to take one of ``choices``."""
    return field(default=default, metadata={"choices": tuple(choices), "doc": doc})


def check_type(name: str, value: Any, kind: type) -> Any:
    """Accept ints where floats are expected and whole floats where ints are (JSON has one
    number type: 11.0 is 11), nothing looser: a bool is never a number."""
    if kind in (int, float) and not is_number(value):
        raise ValueError(f"{name}: expected {kind.__name__}, got {shown(value)}")
    if kind is float:
        try:
            return float(value)
        except OverflowError:  # an int of hundreds of digits: no float holds it
            raise ValueError(f"{name}: {shown(value)} is far too large") from None
    if kind is int and isinstance(value, float):
        if not value.is_integer():
            raise ValueError(f"{name}: {shown(value)} must be a whole number")
        return int(value)
    if not isinstance(value, kind):
        raise ValueError(f"{name}: expected {kind.__name__}, got {shown(value)}")
    return value


def check_value(name: str, value: Any, meta, kind: type | None) -> Any:
    """Check one value against a field's declared choices or range."""
    if "choices" in meta:
        if value not in meta["choices"]:
            raise ValueError(f"{name}: {shown(value)} is not one of {', '.join(map(str, meta['choices']))}")
        return value
    if kind is None:
        return value
    value = check_type(name, value, kind)
    if "range" in meta:
        low, high = meta["range"]
        if not low <= value <= high:  # also refuses NaN
            raise ValueError(f"{name}: {shown(value)} is outside the allowed range {low} .. {high}")
    return value


class Spec:
    """Base of every spec: field checks on construction, plain-dict round trips."""

    path = "spec"  # how error messages name this spec ("model.layers[0].width: ...")

    def __post_init__(self):
        for f in fields(self):
            value = check_value(f.name, getattr(self, f.name), f.metadata, _KINDS.get(f.type))
            object.__setattr__(self, f.name, tuple(value) if isinstance(value, list) else value)
        self.check()

    def check(self) -> None:
        """Rules that involve several fields; subclasses override."""

    @classmethod
    def convert(cls, data: dict, path: str) -> dict:
        """Turn nested plain values into spec objects; subclasses override."""
        return data

    @classmethod
    def from_dict(cls, data: Any, path: str | None = None):
        path = path or cls.path
        if not isinstance(data, dict):
            raise ValueError(f"{path}: expected an object, got {type(data).__name__}")
        names = [f.name for f in fields(cls)]
        unknown = sorted(set(data) - set(names))
        if unknown:
            raise ValueError(f"{path}: unknown field {shown(unknown[0])} (known: {', '.join(names)})")
        for f in fields(cls):
            if f.default is MISSING and f.name not in data:
                raise ValueError(f"{path}.{f.name}: missing ({f.metadata.get('doc', 'required')})")
        data = cls.convert(dict(data), path)
        try:
            return cls(**data)
        except (ValueError, TypeError) as err:
            raise ValueError(f"{path}.{err}") from None

    def to_dict(self) -> dict:
        return _plain(asdict(self))


def _plain(value):
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


@dataclass(frozen=True)
class LayerSpec(Spec):
    """One hidden layer: Linear -> (normalization) -> activation, or activation first;
    then dropout, if any (training only)."""

    path = "layer"

    width: int = field(metadata={"range": (1, MAX_WIDTH), "doc": f"neurons, 1 .. {MAX_WIDTH}"})
    activation: str = choice("tanh", ACTIVATIONS)
    norm: str = choice("none", NORMALIZATIONS)
    norm_after_activation: bool = True   # where the normalization sits in the block
    leaky_slope: float = ranged(0.01, 0.0, 1.0, "negative slope of leaky_relu")
    dropout: float = ranged(0.0, 0.0, 0.9, "fraction of the block's outputs dropped while training")


@dataclass(frozen=True)
class ModelSpec(Spec):
    """Everything needed to build a network and its initial weights, bit for bit."""

    path = "model"

    inputs: int = ranged(2, 1, MAX_INPUTS, "input features")
    layers: tuple[LayerSpec, ...] = (LayerSpec(4), LayerSpec(2))
    head: str = choice("sigmoid", HEADS, "sigmoid+BCE, softmax+CE or linear+MSE")
    outputs: int = 1  # 1 for sigmoid/linear, classes (2 .. MAX_CLASSES) for softmax: see check()
    temperature: float = ranged(1.0, 0.01, 100.0, "softmax temperature")
    weight_init: str = choice("glorot_uniform", WEIGHT_INITS)
    weight_scale: float = ranged(0.5, 0.0, 10.0, "a for uniform(-a, a), s for normal(0, s)")
    bias_init: str = choice("zeros", BIAS_INITS)
    bias_scale: float = ranged(0.1, -10.0, 10.0, "constant value, or a / s as above")
    seed: int = ranged(0, 0, MAX_SEED, "weight seed: same seed, same initial weights")
    batchnorm_momentum: float = ranged(0.1, 0.0, 1.0, "PyTorch convention")
    norm_eps: float = ranged(1e-5, 1e-12, 1.0)

    def check(self):
        if len(self.layers) > MAX_HIDDEN_LAYERS:
            raise ValueError(f"layers: {len(self.layers)} hidden layers, at most {MAX_HIDDEN_LAYERS}")
        if not all(isinstance(layer, LayerSpec) for layer in self.layers):
            raise ValueError("layers: expected a list of layers")
        if self.head == "softmax" and not 2 <= self.outputs <= MAX_CLASSES:
            raise ValueError(f"outputs: {self.outputs} is outside the allowed range 2 .. {MAX_CLASSES}")
        if self.head != "softmax" and self.outputs != 1:
            raise ValueError(f"outputs: a {self.head} head has exactly 1 output, not {self.outputs}")

    @classmethod
    def convert(cls, data, path):
        if "layers" in data:
            if not isinstance(data["layers"], (list, tuple)):
                raise ValueError(f"{path}.layers: expected a list of layers")
            data["layers"] = tuple(LayerSpec.from_dict(x, f"{path}.layers[{i}]")
                                   for i, x in enumerate(data["layers"]))
        if data.get("head") == "softmax" and "outputs" not in data:
            data["outputs"] = 2
        return data


@dataclass(frozen=True)
class TrainSpec(Spec):
    """How the network learns: optimizer (PyTorch's formulas and defaults), batch, regularization."""

    path = "train"

    optimizer: str = choice("sgd", OPTIMIZERS)
    learning_rate: float = ranged(0.03, 1e-6, 10.0)
    momentum: float = ranged(0.9, 0.0, 0.999, "momentum and nesterov")
    beta1: float = ranged(0.9, 0.0, 0.9999, "adam / adamw")
    beta2: float = ranged(0.999, 0.0, 0.99999, "adam / adamw")
    alpha: float = ranged(0.99, 0.0, 0.99999, "rmsprop smoothing")
    eps: float = ranged(1e-8, 1e-12, 1.0, "rmsprop / adam / adamw")
    # Adagrad's own, since PyTorch's default for it is 1e-10, not the others' 1e-8 (see convert).
    adagrad_eps: float = ranged(1e-10, 1e-12, 1.0, "adagrad")
    weight_decay: float = ranged(0.01, 0.0, 1.0, "adamw's decoupled decay (PyTorch's default)")
    regularization: str = choice("none", REGULARIZATIONS, "penalty on weights, never biases")
    regularization_rate: float = ranged(0.0, 0.0, 10.0)
    batch_size: int = ranged(10, 1, 1000)
    seed: int = ranged(0, 0, MAX_SEED, "shuffling seed")
    stop_epoch: int = ranged(0, 0, 1_000_000, "pause after this many epochs (0: never)")
    stop_test_loss: float = ranged(0.0, 0.0, 1000.0, "pause once the test loss is this low (0: never)")
    stop_test_accuracy: float = ranged(0.0, 0.0, 1.0, "pause once the test accuracy is this high (0: never)")

    @classmethod
    def convert(cls, data, path):
        """An Adagrad spec written before ``adagrad_eps`` existed (a link, a model file) trained
        with ``eps``, 1e-8 unless named: it keeps that meaning. The link codec therefore
        always writes ``adagrad_eps`` for Adagrad, so a new link gets the 1e-10 it was made with."""
        if data.get("optimizer") == "adagrad" and "adagrad_eps" not in data:
            data["adagrad_eps"] = data.get("eps", LEGACY_ADAGRAD_EPS)
        return data
