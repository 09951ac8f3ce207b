"""The trained network as code a person can keep: a NumPy script and a PyTorch module.

Both are self-contained (only NumPy, or only PyTorch and NumPy), carry the weights at full
precision (Python's shortest round-trip repr of each float64), and reproduce the app's
predictions: the tests run them and compare on the plane's grid to 1e-6. Dropout is left
out of the NumPy script and kept as ``nn.Dropout`` in PyTorch (the identity in ``eval()``).
"""
from __future__ import annotations

import numpy as np

from .expressions import Expression
from .layers import Activation, BatchNorm, Dropout, L2Norm, LayerNorm, Linear
from .model import Network

# Feature name -> NumPy expression of the plane coordinates x1, x2 (see features.py).
FEATURE_CODE = {"x1": "x1", "x2": "x2", "x1^2": "x1 * x1", "x2^2": "x2 * x2", "x1*x2": "x1 * x2",
                "sin(x1)": "np.sin(x1)", "sin(x2)": "np.sin(x2)"}

NUMPY_ACTIVATIONS = {
    "linear": "x",
    "sigmoid": "0.5 + 0.5 * np.tanh(0.5 * x)",
    "tanh": "np.tanh(x)",
    "relu": "np.maximum(x, 0.0)",
    "leaky_relu": "np.where(x > 0.0, x, {slope!r} * x)",
    "gelu": "0.5 * x * (1.0 + np.tanh(np.sqrt(2.0 / np.pi) * (x + 0.044715 * x ** 3)))",
    "softplus": "np.logaddexp(0.0, x)",
    "step": "(x > 0.0).astype(x.dtype)",
}
TORCH_ACTIVATIONS = {
    "linear": "nn.Identity()", "sigmoid": "nn.Sigmoid()", "tanh": "nn.Tanh()", "relu": "nn.ReLU()",
    "leaky_relu": "nn.LeakyReLU({slope!r})", "gelu": "nn.GELU(approximate='tanh')",
    "softplus": "nn.Softplus()", "step": "Step()",
}


def _array(a: np.ndarray) -> str:
    return f"np.array({np.asarray(a, dtype=float).tolist()!r})"


def _feature_code(name: str) -> str:
    """A built-in feature's code, or a custom expression translated by the safe parser (with
    non-finite values set to 0, as apply_features does)."""
    if name in FEATURE_CODE:
        return FEATURE_CODE[name]
    return f"np.nan_to_num(({Expression(name).numpy_code}) + 0.0 * x1, nan=0.0, posinf=0.0, neginf=0.0)"


def _features_function(features) -> list[str]:
    if not features:
        return []
    columns = ", ".join(_feature_code(name) for name in features)
    return ["", "",
            "def features(points):",
            f'    """(N, 2) points (x1, x2) of the plane -> the network\'s inputs: {", ".join(features)}."""',
            "    x1, x2 = points[:, 0], points[:, 1]",
            f"    return np.stack([{columns}], axis=1)"]


def _numpy_head(network: Network) -> list[str]:
    spec = network.spec
    if spec.head == "sigmoid":
        return ["    return 0.5 + 0.5 * np.tanh(0.5 * z)"]
    if spec.head == "softmax":
        return [f"    s = z / {spec.temperature!r}", "    e = np.exp(s - s.max(axis=1, keepdims=True))",
                "    return e / e.sum(axis=1, keepdims=True)"]
    return ["    return z"]


def _torch_head(network: Network) -> str:
    spec = network.spec
    if spec.head == "sigmoid":
        return "torch.sigmoid(z)"
    if spec.head == "softmax":
        return f"torch.softmax(z / {spec.temperature!r}, dim=1)"
    return "z"


def numpy_code(network: Network, features=None) -> str:
    """A script defining ``forward(inputs)`` (logits) and ``predict(inputs)`` (the app's output)."""
    params, body = [], []
    for i, layer in enumerate(network.layers):
        if isinstance(layer, Linear):
            params += [f'    "{i}.W": {_array(layer.params["W"])},', f'    "{i}.b": {_array(layer.params["b"])},']
            body.append(f'    x = x @ P["{i}.W"] + P["{i}.b"]')
        elif isinstance(layer, Activation):
            body.append("    x = " + NUMPY_ACTIVATIONS[layer.kind].format(slope=layer.leaky_slope))
        elif isinstance(layer, (BatchNorm, LayerNorm)):
            params += [f'    "{i}.gamma": {_array(layer.params["gamma"])},', f'    "{i}.beta": {_array(layer.params["beta"])},']
            if isinstance(layer, BatchNorm):
                params += [f'    "{i}.mean": {_array(layer.running_mean)},', f'    "{i}.var": {_array(layer.running_var)},']
                body.append(f'    x = (x - P["{i}.mean"]) / np.sqrt(P["{i}.var"] + {layer.eps!r}) * P["{i}.gamma"] + P["{i}.beta"]')
            else:
                body.append(f'    x = (x - x.mean(axis=1, keepdims=True)) / np.sqrt(x.var(axis=1, keepdims=True) + {layer.eps!r})'
                            f' * P["{i}.gamma"] + P["{i}.beta"]')
        elif isinstance(layer, L2Norm):
            body.append(f"    x = x / np.maximum(np.sqrt((x * x).sum(axis=1, keepdims=True)), {layer.eps!r})")
        elif isinstance(layer, Dropout):
            body.append("    # dropout: only while training")
        else:
            raise ValueError(f"export: no code for {type(layer).__name__}")
    lines = ['"""A neural network trained in nnweb, as plain NumPy (float64)."""',
             "import numpy as np", "", "P = {", *params, "}", "", "",
             "def forward(inputs):", '    """(N, inputs) -> (N, outputs) logits."""',
             "    x = np.asarray(inputs, dtype=float)", *body, "    return x", "", "",
             "def predict(inputs):",
             f'    """The app\'s output: {network.spec.head} head."""',
             "    z = forward(inputs)", *_numpy_head(network),
             *_features_function(features), ""]
    return "\n".join(lines)


def torch_code(network: Network, features=None) -> str:
    """A module ``NnwebModel`` (float64) with the trained weights; ``predict`` applies the head."""
    modules, loads = [], []
    for i, layer in enumerate(network.layers):
        if isinstance(layer, Linear):
            fan_in, fan_out = layer.params["W"].shape
            modules.append(f"nn.Linear({fan_in}, {fan_out})")
            loads += [f"            self.layers[{i}].weight.copy_(torch.tensor({_array(layer.params['W'].T)}))",
                      f"            self.layers[{i}].bias.copy_(torch.tensor({_array(layer.params['b'])}))"]
        elif isinstance(layer, Activation):
            modules.append(TORCH_ACTIVATIONS[layer.kind].format(slope=layer.leaky_slope))
        elif isinstance(layer, (BatchNorm, LayerNorm)):
            size = len(layer.params["gamma"])
            if isinstance(layer, BatchNorm):
                modules.append(f"nn.BatchNorm1d({size}, eps={layer.eps!r}, momentum={layer.momentum!r})")
                loads += [f"            self.layers[{i}].running_mean.copy_(torch.tensor({_array(layer.running_mean)}))",
                          f"            self.layers[{i}].running_var.copy_(torch.tensor({_array(layer.running_var)}))"]
            else:
                modules.append(f"nn.LayerNorm({size}, eps={layer.eps!r})")
            loads += [f"            self.layers[{i}].weight.copy_(torch.tensor({_array(layer.params['gamma'])}))",
                      f"            self.layers[{i}].bias.copy_(torch.tensor({_array(layer.params['beta'])}))"]
        elif isinstance(layer, L2Norm):
            modules.append(f"L2Normalize({layer.eps!r})")
        elif isinstance(layer, Dropout):
            modules.append(f"nn.Dropout({layer.p!r})")
        else:
            raise ValueError(f"export: no code for {type(layer).__name__}")
    lines = ['"""A neural network trained in nnweb, as a PyTorch module (float64)."""',
             "import numpy as np", "import torch", "from torch import nn", "", "",
             "class Step(nn.Module):", "    def forward(self, x):", "        return (x > 0).to(x.dtype)", "", "",
             "class L2Normalize(nn.Module):", "    def __init__(self, eps):", "        super().__init__()",
             "        self.eps = eps", "", "    def forward(self, x):",
             "        return nn.functional.normalize(x, dim=1, eps=self.eps)", "", "",
             "class NnwebModel(nn.Module):", "    def __init__(self):", "        super().__init__()",
             "        self.layers = nn.Sequential(", *[f"            {m}," for m in modules], "        ).double()",
             "        self.eval()  # dropout off, BatchNorm on its running statistics",
             "        with torch.no_grad():", *(loads or ["            pass"]), "",
             "    def forward(self, x):", '        """(N, inputs) -> (N, outputs) logits."""',
             "        return self.layers(x)", "",
             "    def predict(self, x):", f'        """The app\'s output: {network.spec.head} head."""',
             "        z = self.forward(torch.as_tensor(x, dtype=torch.float64))",
             f"        return {_torch_head(network)}", *_features_function(features), ""]
    return "\n".join(lines)
