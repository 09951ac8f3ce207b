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

import numpy as np
import param

from ..engine import DataSpec, ModelSpec, TrainSpec
from ..engine.datasets import MAX_LINK_ROWS
from ..engine.spec import SHOWN_CHARS, check_type, cut, shown
from .function_graph import layer_spans
from .view_settings import ViewSettings

VERSION = "1"
MAX_HASH_CHARS = 20_000  # a link longer than this is refused before decoding
MAX_STATE_CHARS = 1_000_000  # the JSON a link inflates to, at most
# Arrays and objects inside each other, at most. A legit state nests 4 deep and a model file 5
# (tests/test_hostile_inputs.py measures every preset). json.loads recurses once per level:
# CPython raises RecursionError, but Pyodide's smaller C stack ends the whole page ("Maximum
# call stack size exceeded") at 3,000 levels (2,500 still raise), so the depth is checked first.
MAX_NESTING = 32
# "checkpoint" points into this tab's own history, which a link cannot carry.
VIEW_FIELDS = [name for name in ViewSettings.param if name not in ("name", "checkpoint")]


def nesting_depth(text: str | bytes) -> int:
    """How deeply the arrays and objects of JSON text nest, brackets inside strings ignored,
    without parsing it: the parser recurses once per level, and in Pyodide a deep enough
    input kills the page instead of raising. Escaped backslashes, then escaped quotes are
    dropped (left to right, as the parser pairs them); then a byte is inside a string when an
    odd number of quotes precede it, and the depth is the largest running count of the
    brackets outside (+1 opening, -1 closing). All of it is bytes.replace and whole-array
    NumPy, no Python loop per character: ~0.1 s on 5 MB. UTF-8 is scanned as bytes: no byte
    of a multi-byte character is a quote, a backslash or a bracket."""
    raw = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else bytes(text)
    codes = np.frombuffer(raw.replace(b"\\\\", b"").replace(b'\\"', b""), np.uint8)
    outside = (np.cumsum(codes == ord('"'), dtype=np.int32) & 1) == 0
    opening = outside & ((codes == ord("[")) | (codes == ord("{")))
    closing = outside & ((codes == ord("]")) | (codes == ord("}")))
    step = np.where(opening, np.int32(1), np.int32(0)) - closing
    return int(np.cumsum(step, dtype=np.int32).max(initial=0))


def read_json(text: str | bytes, what: str, max_chars: int) -> Any:
    """JSON text -> its value, refusing before parsing what is too long or nested too deeply:
    the one reader of links and model files, so both refuse the same way in CPython and in
    Pyodide. Every refusal is a ValueError starting with ``what``."""
    if len(text) > max_chars:
        unit = "characters" if isinstance(text, str) else "bytes"
        raise ValueError(f"{what} is {len(text):,} {unit} long, at most {max_chars:,}")
    if isinstance(text, (bytes, bytearray)):
        try:
            text = bytes(text).decode(json.detect_encoding(text))
        except UnicodeDecodeError:
            raise ValueError(f"{what} is not text (it is not UTF-8)") from None
    if not text.strip():
        raise ValueError(f"{what} is empty")
    depth = nesting_depth(text)
    if depth > MAX_NESTING:
        raise ValueError(f"{what} nests lists or objects {depth:,} levels deep, at most {MAX_NESTING}")
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as err:
        raise ValueError(f"{what} is not valid JSON ({type(err).__name__})") from None


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
        raise ValueError(f"view: unknown field {shown(unknown[0])}")
    probe = ViewSettings()
    probe.param.layer.objects = [values.get("layer", probe.layer)]  # checked against the model later
    for key, value in values.items():
        kind = probe.param[key]
        if isinstance(kind, param.Number):  # the specs' rule: no bools, and 11.0 is the integer 11
            value = check_type(f"view.{key}", value, int if isinstance(kind, param.Integer) else float)
        try:
            setattr(probe, key, value)
        except Exception as err:  # param raises ValueError/TypeError with its own wording
            bounds = getattr(probe.param[key], "bounds", None)
            if bounds and isinstance(value, (int, float)) and not isinstance(value, bool):
                low, high = bounds
                raise ValueError(f"view.{key}: {shown(value)} is outside the allowed range {low} .. "
                                 f"{'any' if high is None else high}") from None
            reason = cut(str(err).splitlines()[0], 2 * SHOWN_CHARS)  # param's own words quote the value
            raise ValueError(f"view.{key}: {shown(value)} is not allowed ({reason})") from None
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
            raise ValueError(f"state: unknown field {shown(unknown[0])}")
        data = DataSpec.from_dict(d.get("data", {}))
        model = ModelSpec.from_dict(d.get("model", {}))
        model_fits_data(model, data)
        view = check_view(d.get("view", {}))
        from .presets import BY_KEY
        if view["preset"] and view["preset"] not in BY_KEY:
            raise ValueError(f"view.preset: {shown(view['preset'])} is not one of the presets")
        from ..engine import Network  # the layer name must exist in this model
        names = Network(model).representation_names()
        if view["layer"] not in names:
            raise ValueError(f"view.layer: {shown(view['layer'])} is not a representation of this model")
        if view["function_layer"] not in ["", *(label for label, _, _ in layer_spans(names))]:
            raise ValueError(f"view.function_layer: {shown(view['function_layer'])} is not a layer of this model")
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
        inflate = zlib.decompressobj()
        raw = inflate.decompress(base64.urlsafe_b64decode(packed + "=" * (-len(packed) % 4)),
                                 max_length=MAX_STATE_CHARS)
        text = raw.decode()
    except (binascii.Error, zlib.error, UnicodeDecodeError, ValueError) as err:
        raise ValueError(f"link: the state is damaged and could not be read ({type(err).__name__})") from None
    if inflate.unconsumed_tail:  # a small link that inflates to a flood (a "zip bomb")
        raise ValueError(f"link: the state unpacks to more than {MAX_STATE_CHARS:,} characters")
    return Experiment.from_dict(read_json(text, "link: the state", MAX_STATE_CHARS))
