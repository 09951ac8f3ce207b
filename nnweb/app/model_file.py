"""The model as a JSON file: the whole experiment plus every weight, and its checked import.

Import accepts only what export writes: the format tag, a valid experiment, and arrays of
finite numbers whose shapes match the network the experiment builds. Anything else is a
``ValueError`` that says what is wrong, and the running experiment is left untouched.
"""
from __future__ import annotations

import json

import numpy as np

from ..engine import Network
from .state import Experiment

FORMAT = "nnweb-model"
VERSION = 1
MAX_BYTES = 5_000_000


def export_model(experiment: Experiment, network: Network) -> str:
    return json.dumps({"format": FORMAT, "version": VERSION, "experiment": experiment.to_dict(),
                       "weights": [a.tolist() for a in network.state()]}, separators=(",", ":"))


def import_model(text: str | bytes) -> tuple[Experiment, list[np.ndarray]]:
    """Parse and check a model file; returns the experiment and the arrays to load."""
    if len(text) > MAX_BYTES:
        raise ValueError(f"model file: {len(text):,} bytes, at most {MAX_BYTES:,}")
    try:
        data = json.loads(text)
    except (ValueError, UnicodeDecodeError, RecursionError) as err:
        raise ValueError(f"model file: not valid JSON ({type(err).__name__})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError(f"model file: not an nnweb model (no \"format\": \"{FORMAT}\")")
    if data.get("version") != VERSION:
        raise ValueError(f"model file: version {data.get('version')!r}, this nnweb reads version {VERSION}")
    experiment = Experiment.from_dict(data.get("experiment"))
    expected = Network(experiment.model).state()
    weights = data.get("weights")
    if not isinstance(weights, list) or len(weights) != len(expected):
        raise ValueError(f"weights: expected {len(expected)} arrays for this network")
    arrays = []
    for i, (values, ref) in enumerate(zip(weights, expected)):
        try:
            array = np.array(values, dtype=float)
        except (ValueError, TypeError, OverflowError):
            raise ValueError(f"weights[{i}]: not an array of numbers") from None
        if array.shape != ref.shape:
            raise ValueError(f"weights[{i}]: shape {array.shape}, the network needs {ref.shape}")
        if not np.isfinite(array).all():
            raise ValueError(f"weights[{i}]: contains NaN or infinity")
        arrays.append(array)
    return experiment, arrays

