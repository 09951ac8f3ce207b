"""Numerical gradient checks (float64, central differences) for every layer, norm and head."""
import numpy as np
import pytest

from nnweb.engine.layers import Activation, BatchNorm, L2Norm, LayerNorm, Linear
from nnweb.engine.losses import LinearMSE, SigmoidBCE, SoftmaxCE
from nnweb.engine.model import Network
from nnweb.engine.spec import ACTIVATIONS, LayerSpec, ModelSpec

H = 1e-6


def rel_error(a, b):
    """Largest elementwise relative error; entries where both are ~0 (below 1e-7) count
    by their absolute difference, since a finite difference cannot resolve a true zero."""
    scale = np.abs(a) + np.abs(b)
    return np.max(np.where(scale > 1e-7, np.abs(a - b) / np.maximum(scale, 1e-300), np.abs(a - b) * 1e3))


def numeric_grad(f, x):
    """d f / d x for a scalar f, perturbing ``x`` in place."""
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + H
        up = f()
        x[i] = old - H
        down = f()
        x[i] = old
        grad[i] = (up - down) / (2 * H)
    return grad


def check_layer(layer, x, train=True):
    rng = np.random.default_rng(1)
    dout = rng.normal(size=layer.forward(x, train).shape)

    def loss():
        return float((layer.forward(x, train) * dout).sum())

    layer.forward(x, train)
    dx = layer.backward(dout)
    analytic = {k: g.copy() for k, g in layer.grads.items()}
    assert rel_error(dx, numeric_grad(loss, x)) < 1e-6
    for key, p in layer.params.items():
        assert rel_error(analytic[key], numeric_grad(loss, p)) < 1e-6, key


# Points chosen away from the kinks of relu / leaky relu / step at 0.
def sample(shape, seed=0):
    x = np.random.default_rng(seed).normal(size=shape)
    return np.where(np.abs(x) < 0.05, 0.3, x)


def test_linear():
    rng = np.random.default_rng(0)
    check_layer(Linear(rng.normal(size=(3, 4)), rng.normal(size=4)), sample((5, 3)))


@pytest.mark.parametrize("kind", [a for a in ACTIVATIONS if a != "step"])
def test_activation(kind):
    check_layer(Activation(kind, leaky_slope=0.1), sample((6, 4)))


def test_step_gradient_is_zero():
    layer = Activation("step")
    x = sample((4, 3))
    assert np.array_equal(layer.forward(x), (x > 0).astype(float))
    assert not layer.backward(np.ones_like(x)).any()


def test_batchnorm_training():
    layer = BatchNorm(3)
    layer.params["gamma"][:] = [0.5, 1.5, -1.0]
    layer.params["beta"][:] = [0.1, -0.2, 0.3]
    check_layer(layer, sample((7, 3)), train=True)


def test_layernorm():
    layer = LayerNorm(4)
    layer.params["gamma"][:] = [0.5, 1.5, -1.0, 2.0]
    check_layer(layer, sample((5, 4)), train=False)


def test_l2norm():
    check_layer(L2Norm(), sample((5, 3)))


@pytest.mark.parametrize("head,y", [
    (SigmoidBCE(), np.array([0.0, 1.0, 1.0, 0.0, 1.0])),
    (SoftmaxCE(temperature=0.7), np.array([0, 2, 1, 2, 0])),
    (LinearMSE(), np.array([0.3, -1.2, 2.0, 0.0, 0.5])),
])
def test_heads(head, y):
    z = sample((5, 3 if isinstance(head, SoftmaxCE) else 1))
    _, grad = head.loss_and_grad(z, y)
    assert rel_error(grad, numeric_grad(lambda: head.loss_and_grad(z, y)[0], z)) < 1e-6


def test_heads_are_stable_for_huge_logits():
    z = np.array([[1e4], [-1e4]])
    loss, grad = SigmoidBCE().loss_and_grad(z, np.array([0.0, 1.0]))
    assert np.isfinite(loss) and np.isfinite(grad).all() and loss == pytest.approx(1e4)
    loss, grad = SoftmaxCE().loss_and_grad(np.array([[1e4, -1e4]]), np.array([1]))
    assert np.isfinite(loss) and loss == pytest.approx(2e4)


@pytest.mark.parametrize("norm,after", [("none", True), ("batchnorm", True), ("batchnorm", False),
                                        ("layernorm", True), ("l2", False)])
def test_whole_network(norm, after):
    spec = ModelSpec(inputs=3, head="softmax", outputs=3, seed=3,
                     layers=(LayerSpec(4, "tanh", norm, after), LayerSpec(3, "gelu", norm, after)))
    net = Network(spec)
    x, y = sample((6, 3)), np.array([0, 1, 2, 1, 0, 2])

    def loss():
        return net.head.loss_and_grad(net.forward(x, train=True), y)[0]

    net.backward(net.head.loss_and_grad(net.forward(x, train=True), y)[1])
    for p, g in zip(net.parameters(), [g.copy() for g in net.gradients()]):
        assert rel_error(g, numeric_grad(loss, p)) < 1e-6


class FixedMasks:
    """An rng whose draws repeat, so a dropout mask stays put under finite differences."""

    def random(self, shape):
        return np.random.default_rng(7).random(shape)


def test_dropout_with_a_fixed_mask():
    from nnweb.engine.layers import Dropout
    layer = Dropout(0.4, FixedMasks())
    check_layer(layer, sample((6, 5)))
    assert layer.mask is not None and set(np.unique(layer.mask)) <= {0.0, 1 / 0.6}


def test_network_with_dropout_end_to_end():
    from nnweb.engine.layers import Dropout
    net = Network(ModelSpec(layers=(LayerSpec(5, "tanh", dropout=0.3), LayerSpec(4, "relu", dropout=0.5))))
    drops = [layer for layer in net.layers if isinstance(layer, Dropout)]
    assert len(drops) == 2 and "dropout" not in " ".join(net.representation_names())
    for layer in drops:
        layer.rng = FixedMasks()
    x, y = sample((8, 2), seed=3), (np.arange(8) % 2).astype(float)

    def loss():
        return net.head.loss_and_grad(net.forward(x, train=True), y)[0]

    _, dz = net.head.loss_and_grad(net.forward(x, train=True), y)
    net.backward(dz)
    for p, g in zip(net.parameters(), [g.copy() for g in net.gradients()]):
        assert rel_error(g, numeric_grad(loss, p)) < 1e-6
