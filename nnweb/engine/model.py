"""A multilayer perceptron built from a ``ModelSpec``, as an ordered list of named layers.

Every layer's output has a human name ("hidden 2 · pre-activation", "hidden 2 · LayerNorm",
"output"): ``representations`` returns them all from one forward pass, which is what
the layer-space views draw. Training uses ``forward(train=True)`` then ``backward``.
"""
from __future__ import annotations

import numpy as np

from .initializers import init_bias, init_weights
from .layers import Activation, BatchNorm, Dropout, L2Norm, Layer, LayerNorm, Linear
from .losses import make_head
from .spec import ModelSpec


def _normalization(kind: str, size: int, spec: ModelSpec) -> Layer | None:
    if kind == "batchnorm":
        return BatchNorm(size, spec.batchnorm_momentum, spec.norm_eps)
    if kind == "layernorm":
        return LayerNorm(size, spec.norm_eps)
    if kind == "l2":
        return L2Norm()
    return None


class Network:
    """Layers in order, each tagged with the name of the representation it produces."""

    def __init__(self, spec: ModelSpec):
        self.spec = spec
        rng = np.random.default_rng(spec.seed)
        self.named_layers: list[tuple[str, Layer]] = []  # what the views can show, by name
        self.layers: list[Layer] = []                     # what training runs through, in order
        fan_in = spec.inputs
        for i, layer_spec in enumerate(spec.layers, start=1):
            width = layer_spec.width
            block = [self._linear(fan_in, width, rng)]
            norm = _normalization(layer_spec.norm, width, spec)
            act = Activation(layer_spec.activation, layer_spec.leaky_slope)
            if norm is None:
                block.append(act)
            elif layer_spec.norm_after_activation:
                block += [act, norm]
            else:
                block += [norm, act]
            self.named_layers += [(f"hidden {i} · {layer.name}", layer) for layer in block]
            self.layers += block
            if layer_spec.dropout:  # identity outside training: no representation of its own
                self.layers.append(Dropout(layer_spec.dropout, np.random.default_rng((spec.seed, i))))
            fan_in = width
        self.named_layers.append(("output · logits", self._linear(fan_in, spec.outputs, rng)))
        self.layers.append(self.named_layers[-1][1])
        self.head = make_head(spec.head, spec.temperature)
        # Parameter order is fixed: optimizer state and checkpoints index into it.
        self._param_keys = [(layer, key) for layer in self.layers for key in layer.params]
        self.is_weight = [isinstance(layer, Linear) and key == "W" for layer, key in self._param_keys]
        self.layers[0].needs_input_grad = False
        self.flat_params, self.flat_grads, self.weight_mask = self._flatten()

    def _flatten(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every parameter (and gradient) becomes a view of one flat array, so that a training
        step checks, keeps and updates all of them in one NumPy call each instead of one per
        array: a small network's step is mostly the fixed cost of each call (2-4-2-1 has six
        arrays; in the browser that cost is ~3x CPython's). ``weight_mask`` marks the
        weights, which regularization shrinks (biases and norm scales it leaves alone)."""
        arrays = self.parameters()
        total = sum(a.size for a in arrays)
        flat_params, flat_grads, weight_mask = np.empty(total), np.zeros(total), np.zeros(total, dtype=bool)
        start = 0
        for (layer, key), array, is_weight in zip(self._param_keys, arrays, self.is_weight):
            end = start + array.size
            flat_params[start:end] = array.ravel()
            layer.params[key] = flat_params[start:end].reshape(array.shape)
            layer.grads[key] = flat_grads[start:end].reshape(array.shape)
            weight_mask[start:end] = is_weight
            start = end
        return flat_params, flat_grads, weight_mask

    def _linear(self, fan_in: int, fan_out: int, rng: np.random.Generator) -> Linear:
        s = self.spec
        return Linear(init_weights(s.weight_init, fan_in, fan_out, rng, s.weight_scale),
                      init_bias(s.bias_init, fan_out, rng, s.bias_scale))

    # --- training -------------------------------------------------------------------
    def forward(self, x: np.ndarray, train: bool = False) -> np.ndarray:
        """Logits (N, outputs)."""
        for layer in self.layers:
            x = layer.forward(x, train)
        return x

    def backward(self, dout: np.ndarray) -> None:
        for layer in reversed(self.layers):
            dout = layer.backward(dout)

    def linear_layers(self) -> list[Linear]:
        """The weighted layers in order: each hidden layer's, then the output's."""
        return [layer for layer in self.layers if isinstance(layer, Linear)]

    def parameters(self) -> list[np.ndarray]:
        return [layer.params[key] for layer, key in self._param_keys]

    def gradients(self) -> list[np.ndarray]:
        return [layer.grads[key] for layer, key in self._param_keys]

    # --- evaluation -----------------------------------------------------------------
    def predict(self, x: np.ndarray) -> np.ndarray:
        """Probabilities (sigmoid: (N, 1), softmax: (N, k)) or values (regression)."""
        return self.head.predict(self.forward(x))

    def representations(self, x: np.ndarray) -> dict[str, np.ndarray]:
        """Every intermediate representation of ``x`` by name, in evaluation mode."""
        reps = {"input": x}
        for name, layer in self.named_layers:
            x = layer.forward(x, train=False)
            reps[name] = x
        reps["output"] = self.head.predict(x)
        return reps

    def representation_names(self) -> list[str]:
        return ["input"] + [name for name, _ in self.named_layers] + ["output"]

    # --- state: checkpoints and export ----------------------------------------------
    def state(self) -> list[np.ndarray]:
        """Copies of every array that defines the function: parameters and running stats."""
        arrays = [p.copy() for p in self.parameters()]
        for layer in self.layers:
            if isinstance(layer, BatchNorm):
                arrays += [layer.running_mean.copy(), layer.running_var.copy()]
        return arrays

    def load_state(self, arrays: list[np.ndarray]) -> None:
        """Restore a ``state()``; shapes must match this network's."""
        arrays = list(arrays)
        expected = self.state()
        if len(arrays) != len(expected) or any(np.shape(a) != e.shape for a, e in zip(arrays, expected)):
            raise ValueError("weights: the arrays do not match this network's shapes")
        params = self.parameters()
        for p, a in zip(params, arrays):
            p[...] = a
        rest = iter(arrays[len(params):])
        for layer in self.layers:
            if isinstance(layer, BatchNorm):
                layer.running_mean = np.array(next(rest), dtype=float)
                layer.running_var = np.array(next(rest), dtype=float)
