"""The whole experiment as one plain value, and its URL-hash codec.

An ``Experiment`` is what a shared link carries: the data, model and training specs and
what the views show. ``encode`` turns it into a short URL-safe string; ``decode`` turns
any string back into a valid ``Experiment`` or raises one ``ValueError`` that says what
was wrong (a hostile or truncated link never gets further than that).
"""
from __future__ import annotations

import base64
import binascii
import json
import zlib
from dataclasses import dataclass, field
from typing import Any

from ..engine import DataSpec, ModelSpec, TrainSpec
from ..engine.datasets import MAX_LINK_ROWS
from .view_settings import ViewSettings

VERSION = "1"
MAX_HASH_CHARS = 20_000  # a link longer than this is refused before decoding
# "checkpoint" points into this tab's own history, which a link cannot carry.
VIEW_FIELDS = [name for name in ViewSettings.param if name not in ("name", "checkpoint")]


def model_fits_data(model: ModelSpec, data: DataSpec) -> None:
    """The model's input width and head must match the data it trains on."""
    if model.inputs != data.n_inputs:
        raise ValueError(f"model.inputs: {model.inputs}, but the data gives {data.n_inputs} input features")
    if data.kind == "regression" and model.head != "linear":
        raise ValueError(f"model.head: {data.dataset} is a regression dataset and needs the 'linear' head")
    if data.kind == "classification":
        if model.head == "linear":
            raise ValueError(f"model.head: {data.dataset} is a classification dataset; use sigmoid or softmax")
        classes = 2 if model.head == "sigmoid" else model.outputs
        if classes != data.n_classes:
            raise ValueError(f"model.outputs: {classes} classes, but {data.dataset} has {data.n_classes}")


def check_view(values: Any) -> dict:
    """View settings as a dict, each value checked by the parameter's own bounds and type."""
    if not isinstance(values, dict):
        raise ValueError("view: expected an object")
    unknown = sorted(set(values) - set(VIEW_FIELDS))
    if unknown:
        raise ValueError(f"view: unknown field {unknown[0]!r}")
    probe = ViewSettings()
    probe.param.layer.objects = [values.get("layer", probe.layer)]  # checked against the model later
    for key, value in values.items():
        try:
            setattr(probe, key, value)
        except Exception as err:  # param raises ValueError/TypeError with its own wording
            bounds = getattr(probe.param[key], "bounds", None)
            if bounds and isinstance(value, (int, float)) and not isinstance(value, bool):
                low, high = bounds
                raise ValueError(f"view.{key}: {value!r} is outside the allowed range {low} .. "
                                 f"{'any' if high is None else high}") from None
            raise ValueError(f"view.{key}: {value!r} is not allowed ({str(err).splitlines()[0]})") from None
    return {key: getattr(probe, key) for key in VIEW_FIELDS}


@dataclass(frozen=True)
class Experiment:
    data: DataSpec = field(default_factory=DataSpec)
    model: ModelSpec = field(default_factory=ModelSpec)
    train: TrainSpec = field(default_factory=TrainSpec)
    view: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"data": self.data.to_dict(), "model": self.model.to_dict(), "train": self.train.to_dict(),
                "view": dict(self.view)}

    @classmethod
    def from_dict(cls, d: Any) -> "Experiment":
        if not isinstance(d, dict):
            raise ValueError("state: expected an object")
        unknown = sorted(set(d) - {"data", "model", "train", "view"})
        if unknown:
            raise ValueError(f"state: unknown field {unknown[0]!r}")
        data = DataSpec.from_dict(d.get("data", {}))
        model = ModelSpec.from_dict(d.get("model", {}))
        model_fits_data(model, data)
        view = check_view(d.get("view", {}))
        from .presets import BY_KEY
        if view["preset"] and view["preset"] not in BY_KEY:
            raise ValueError(f"view.preset: {view['preset']!r} is not one of the presets")
        from ..engine import Network  # the layer name must exist in this model
        names = Network(model).representation_names()
        if view["layer"] not in names:
            raise ValueError(f"view.layer: {view['layer']!r} is not a representation of this model")
        return cls(data, model, TrainSpec.from_dict(d.get("train", {})), view)


def _changes(value: dict, default: dict) -> dict:
    """Only the entries that differ from the defaults (decoding fills the rest back in)."""
    return {k: v for k, v in value.items() if default.get(k, object()) != v}


def encode(experiment: Experiment) -> str:
    """``1.<base64url(deflate(json))>`` of the non-default fields: short, URL-safe, versioned."""
    full, default = experiment.to_dict(), Experiment().to_dict()
    if len(experiment.data.rows) > MAX_LINK_ROWS:  # too much own data for a link: it says so instead
        full["data"]["rows"], full["data"]["local"] = [], True
    default["view"] = check_view({})
    minimal = {k: _changes(full[k], default[k]) for k in full}
    if experiment.train.optimizer == "adagrad":  # without it the link reads as an old one (TrainSpec.convert)
        minimal["train"]["adagrad_eps"] = experiment.train.adagrad_eps
    raw = json.dumps({k: v for k, v in minimal.items() if v}, separators=(",", ":"), sort_keys=True).encode()
    packed = base64.urlsafe_b64encode(zlib.compress(raw, 9)).rstrip(b"=").decode()
    return f"{VERSION}.{packed}"


def decode(text: str) -> Experiment:
    """Any string -> a valid Experiment, or ValueError saying why not."""
    if not isinstance(text, str):
        raise ValueError("link: the state must be text")
    text = text.lstrip("#")
    if len(text) > MAX_HASH_CHARS:
        raise ValueError(f"link: the state is {len(text)} characters long, at most {MAX_HASH_CHARS}")
    version, dot, packed = text.partition(".")
    if not dot or version != VERSION:
        raise ValueError(f"link: not an nnweb state (expected it to start with '{VERSION}.')")
    try:
        raw = zlib.decompressobj().decompress(base64.urlsafe_b64decode(packed + "=" * (-len(packed) % 4)),
                                              max_length=1_000_000)
        value = json.loads(raw.decode())
    except (binascii.Error, zlib.error, UnicodeDecodeError, ValueError, RecursionError) as err:
        raise ValueError(f"link: the state is damaged and could not be read ({type(err).__name__})") from None
    return Experiment.from_dict(value)
