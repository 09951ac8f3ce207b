"""nnweb's engine: a pure-NumPy multilayer perceptron, its data and its training.

It imports nothing but NumPy, so it runs unchanged in CPython and in Pyodide, and the
app (``nnweb.app``) is only ever a view of it.
"""
from .datasets import DATASETS, DOMAIN, MAX_DRAWN, ONE_D, Data, DataSpec, make_data
from .features import FEATURES, apply_features
from .model import Network
from .spec import LayerSpec, ModelSpec, TrainSpec
from .training import Trainer

__all__ = ["DATASETS", "DOMAIN", "MAX_DRAWN", "ONE_D", "Data", "DataSpec", "make_data", "FEATURES", "apply_features",
           "Network", "LayerSpec", "ModelSpec", "TrainSpec", "Trainer"]
