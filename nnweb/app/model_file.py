"""The model as a JSON file: the whole experiment plus every weight, and its checked import.

Import accepts only what export writes: the format tag, a valid experiment, and arrays of
numbers within MAX_WEIGHT whose shapes match the network the experiment builds. Anything
else is a ``ValueError`` that says what is wrong, and the running experiment is left untouched.
"""
from __future__ import annotations

import json

import numpy as np

from ..engine import Network
from ..engine.layers import BatchNorm
from ..engine.spec import is_number, shown
from .state import Experiment, read_json

FORMAT = "nnweb-model"
VERSION = 1
MAX_BYTES = 5_000_000
# Every weight, bias and normalization parameter is within +-MAX_WEIGHT (BatchNorm's running
# variance within 0 .. MAX_WEIGHT**2, the variance of such values). Trained networks stay far
# below it (measured: every preset after 5,000 steps |w| < 10, running variances < 100; 20,000
# steps at learning rate 10, the highest allowed: adam 61, rmsprop 101). At the limit, the
# largest network the specs allow (8 ReLU layers of 128, BatchNorm on a zero variance) still
# computes finite float64 outputs from the built-in features (tests/test_hostile_inputs.py
# checks it), so the views draw numbers; 1e308 was accepted before and none of its outputs was.
MAX_WEIGHT = 1e6


def check_weights(values, expected: list[np.ndarray], stats: set[int] = frozenset()) -> list[np.ndarray]:
    """``values`` (lists of numbers or arrays) as float arrays shaped like ``expected``, each
    number finite, not a bool and within MAX_WEIGHT; ``stats`` are the indices of BatchNorm
    running variances (0 .. MAX_WEIGHT**2). Raises ValueError naming the array and the limit."""
    if not isinstance(values, (list, tuple)) or len(values) != len(expected):
        raise ValueError(f"weights: expected {len(expected)} arrays for this network")
    arrays = []
    for i, (value, ref) in enumerate(zip(values, expected)):
        try:
            cells = np.array(value, dtype=object)
            numbers = cells.shape == ref.shape and all(is_number(v) for v in cells.ravel().tolist())
            array = np.array(cells.tolist() if numbers else value, dtype=float)
        except (ValueError, TypeError, OverflowError):
            raise ValueError(f"weights[{i}]: not an array of numbers") from None
        if array.shape != ref.shape:
            raise ValueError(f"weights[{i}]: shape {array.shape}, the network needs {ref.shape}")
        if not numbers:
            bad = next(v for v in cells.ravel().tolist() if not is_number(v))
            raise ValueError(f"weights[{i}]: {shown(bad)} is not a number")
        low, high = (0.0, MAX_WEIGHT ** 2) if i in stats else (-MAX_WEIGHT, MAX_WEIGHT)
        outside = ~((array >= low) & (array <= high))  # NaN is outside too
        if outside.any():
            raise ValueError(f"weights[{i}]: {shown(array[outside][0].item())} is outside the allowed range "
                             f"{low:g} .. {high:g}" + (" (a running variance)" if i in stats else ""))
        arrays.append(array)
    return arrays


def variance_indices(network: Network) -> set[int]:
    """Where BatchNorm running variances sit in ``network.state()`` (after the parameters,
    a mean then a variance per BatchNorm layer)."""
    first = len(network.parameters())
    count = sum(isinstance(layer, BatchNorm) for layer in network.layers)
    return {first + 2 * k + 1 for k in range(count)}


def export_model(experiment: Experiment, network: Network) -> str:
    return json.dumps({"format": FORMAT, "version": VERSION, "experiment": experiment.to_dict(),
                       "weights": [a.tolist() for a in network.state()]}, separators=(",", ":"))


def import_model(text: str | bytes) -> tuple[Experiment, list[np.ndarray]]:
    """Parse and check a model file; returns the experiment and the arrays to load."""
    data = read_json(text, "model file: the file", MAX_BYTES)
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError(f"model file: not an nnweb model (no \"format\": \"{FORMAT}\")")
    if data.get("version") != VERSION:
        raise ValueError(f"model file: version {shown(data.get('version'))}, this nnweb reads version {VERSION}")
    experiment = Experiment.from_dict(data.get("experiment"))
    network = Network(experiment.model)
    return experiment, check_weights(data.get("weights"), network.state(), variance_indices(network))

