"""The plain, JSON-serializable description of a network and of how it is trained.

A spec is what the app stores in the URL, what a shared link reproduces and what an
imported JSON file is checked against, so every field is validated here, in one place,
and a bad value raises one ``ValueError`` that names the field and what is allowed.
``from_dict(spec.to_dict()) == spec`` holds for every valid spec.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

# Stated limits: the app, the URL codec and JSON import all refuse values outside them.
MAX_HIDDEN_LAYERS = 8
MAX_WIDTH = 128  # the digits preset needs 64-128-64-10; the 2D editor offers up to 16
MAX_INPUTS = 64  # 8x8 digit pixels
MAX_CLASSES = 10

ACTIVATIONS = ("linear", "sigmoid", "tanh", "relu", "leaky_relu", "gelu", "softplus", "step")
NORMALIZATIONS = ("none", "batchnorm", "layernorm", "l2")
HEADS = ("sigmoid", "softmax", "linear")
WEIGHT_INITS = ("zeros", "uniform", "normal", "glorot_uniform", "glorot_normal",
                "he_uniform", "he_normal", "lecun_normal")
BIAS_INITS = ("zeros", "constant", "uniform", "normal")
OPTIMIZERS = ("sgd", "momentum", "nesterov", "rmsprop", "adagrad", "adam", "adamw")
REGULARIZATIONS = ("none", "l1", "l2")


def check_type(path: str, value: Any, kind: type) -> Any:
    """Accept ints where floats are expected (JSON has one number type), nothing looser."""
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if kind is int and isinstance(value, float) and value.is_integer():
        return int(value)
    if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
        raise ValueError(f"{path}: expected {kind.__name__}, got {value!r}")
    return value


def check_choice(path: str, value: Any, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise ValueError(f"{path}: {value!r} is not one of {', '.join(allowed)}")
    return value


def check_number(path: str, value: Any, kind: type, low: float, high: float) -> Any:
    value = check_type(path, value, kind)
    if not low <= value <= high:  # also refuses NaN
        raise ValueError(f"{path}: {value!r} is outside the allowed range {low} .. {high}")
    return value


def check_keys(path: str, data: Any, cls: type) -> dict:
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected an object, got {type(data).__name__}")
    names = {f.name for f in fields(cls)}
    unknown = sorted(set(data) - names)
    if unknown:
        raise ValueError(f"{path}: unknown field {unknown[0]!r} (known: {', '.join(sorted(names))})")
    return data


@dataclass(frozen=True)
class LayerSpec:
    """One hidden layer: Linear -> (normalization) -> activation, or activation first."""

    width: int                  # neurons, 1 .. MAX_WIDTH
    activation: str = "tanh"    # one of ACTIVATIONS
    norm: str = "none"          # one of NORMALIZATIONS
    norm_after_activation: bool = True  # where the normalization sits in the block
    leaky_slope: float = 0.01   # negative slope of leaky_relu (ignored otherwise)

    @classmethod
    def from_dict(cls, data: Any, path: str = "layer") -> "LayerSpec":
        data = check_keys(path, data, cls)
        if "width" not in data:
            raise ValueError(f"{path}.width: missing (1 .. {MAX_WIDTH})")
        return cls(
            width=check_number(f"{path}.width", data["width"], int, 1, MAX_WIDTH),
            activation=check_choice(f"{path}.activation", data.get("activation", "tanh"), ACTIVATIONS),
            norm=check_choice(f"{path}.norm", data.get("norm", "none"), NORMALIZATIONS),
            norm_after_activation=check_type(f"{path}.norm_after_activation",
                                              data.get("norm_after_activation", True), bool),
            leaky_slope=check_number(f"{path}.leaky_slope", data.get("leaky_slope", 0.01), float, 0.0, 1.0),
        )


@dataclass(frozen=True)
class ModelSpec:
    """Everything needed to build a network and its initial weights, bit for bit."""

    inputs: int = 2                     # input features, 1 .. MAX_INPUTS
    layers: tuple[LayerSpec, ...] = (LayerSpec(4), LayerSpec(2))
    head: str = "sigmoid"               # sigmoid+BCE, softmax+CE or linear+MSE
    outputs: int = 1                    # 1 for sigmoid/linear, classes for softmax
    temperature: float = 1.0            # softmax temperature
    weight_init: str = "glorot_uniform"
    weight_scale: float = 0.5           # a for uniform(-a, a), s for normal(0, s)
    bias_init: str = "zeros"
    bias_scale: float = 0.1             # constant value, or a / s as above
    seed: int = 0                       # weight seed: same seed, same initial weights
    batchnorm_momentum: float = 0.1     # PyTorch convention
    norm_eps: float = 1e-5

    def __post_init__(self):
        object.__setattr__(self, "layers", tuple(self.layers))

    @classmethod
    def from_dict(cls, data: Any, path: str = "model") -> "ModelSpec":
        data = check_keys(path, data, cls)
        d = cls()
        layers = data.get("layers", [asdict(layer) for layer in d.layers])
        if not isinstance(layers, (list, tuple)):
            raise ValueError(f"{path}.layers: expected a list of layers")
        if len(layers) > MAX_HIDDEN_LAYERS:
            raise ValueError(f"{path}.layers: {len(layers)} hidden layers, at most {MAX_HIDDEN_LAYERS}")
        head = check_choice(f"{path}.head", data.get("head", d.head), HEADS)
        if head == "softmax":
            outputs = check_number(f"{path}.outputs", data.get("outputs", 2), int, 2, MAX_CLASSES)
        else:
            outputs = check_number(f"{path}.outputs", data.get("outputs", 1), int, 1, 1)
        return cls(
            inputs=check_number(f"{path}.inputs", data.get("inputs", d.inputs), int, 1, MAX_INPUTS),
            layers=tuple(LayerSpec.from_dict(x, f"{path}.layers[{i}]") for i, x in enumerate(layers)),
            head=head,
            outputs=outputs,
            temperature=check_number(f"{path}.temperature", data.get("temperature", d.temperature),
                                float, 0.01, 100.0),
            weight_init=check_choice(f"{path}.weight_init", data.get("weight_init", d.weight_init), WEIGHT_INITS),
            weight_scale=check_number(f"{path}.weight_scale", data.get("weight_scale", d.weight_scale),
                                 float, 0.0, 10.0),
            bias_init=check_choice(f"{path}.bias_init", data.get("bias_init", d.bias_init), BIAS_INITS),
            bias_scale=check_number(f"{path}.bias_scale", data.get("bias_scale", d.bias_scale), float, -10.0, 10.0),
            seed=check_number(f"{path}.seed", data.get("seed", d.seed), int, 0, 2**31 - 1),
            batchnorm_momentum=check_number(f"{path}.batchnorm_momentum",
                                       data.get("batchnorm_momentum", d.batchnorm_momentum), float, 0.0, 1.0),
            norm_eps=check_number(f"{path}.norm_eps", data.get("norm_eps", d.norm_eps), float, 1e-12, 1.0),
        )

    def to_dict(self) -> dict:
        out = asdict(self)
        out["layers"] = [asdict(layer) for layer in self.layers]
        return out


@dataclass(frozen=True)
class TrainSpec:
    """How the network learns: optimizer (PyTorch's formulas and defaults), batch, regularization."""

    optimizer: str = "sgd"
    learning_rate: float = 0.03
    momentum: float = 0.9          # momentum and nesterov
    beta1: float = 0.9             # adam / adamw
    beta2: float = 0.999
    alpha: float = 0.99            # rmsprop smoothing
    eps: float = 1e-8
    weight_decay: float = 0.01     # adamw's decoupled decay (PyTorch's default)
    regularization: str = "none"   # penalty on weights, never biases
    regularization_rate: float = 0.0
    batch_size: int = 10
    seed: int = 0                  # shuffling seed

    @classmethod
    def from_dict(cls, data: Any, path: str = "train") -> "TrainSpec":
        data = check_keys(path, data, cls)
        d = cls()
        g = data.get
        return cls(
            optimizer=check_choice(f"{path}.optimizer", g("optimizer", d.optimizer), OPTIMIZERS),
            learning_rate=check_number(f"{path}.learning_rate", g("learning_rate", d.learning_rate), float, 1e-6, 10.0),
            momentum=check_number(f"{path}.momentum", g("momentum", d.momentum), float, 0.0, 0.999),
            beta1=check_number(f"{path}.beta1", g("beta1", d.beta1), float, 0.0, 0.9999),
            beta2=check_number(f"{path}.beta2", g("beta2", d.beta2), float, 0.0, 0.99999),
            alpha=check_number(f"{path}.alpha", g("alpha", d.alpha), float, 0.0, 0.99999),
            eps=check_number(f"{path}.eps", g("eps", d.eps), float, 1e-12, 1.0),
            weight_decay=check_number(f"{path}.weight_decay", g("weight_decay", d.weight_decay), float, 0.0, 1.0),
            regularization=check_choice(f"{path}.regularization", g("regularization", d.regularization),
                                   REGULARIZATIONS),
            regularization_rate=check_number(f"{path}.regularization_rate",
                                        g("regularization_rate", d.regularization_rate), float, 0.0, 10.0),
            batch_size=check_number(f"{path}.batch_size", g("batch_size", d.batch_size), int, 1, 1000),
            seed=check_number(f"{path}.seed", g("seed", d.seed), int, 0, 2**31 - 1),
        )

    def to_dict(self) -> dict:
        return asdict(self)


__all__ = ["LayerSpec", "ModelSpec", "TrainSpec", "ACTIVATIONS", "NORMALIZATIONS", "HEADS",
           "WEIGHT_INITS", "BIAS_INITS", "OPTIMIZERS", "REGULARIZATIONS", "MAX_HIDDEN_LAYERS",
           "MAX_WIDTH", "MAX_INPUTS", "MAX_CLASSES"]
