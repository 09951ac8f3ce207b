"""PyTorch parity (float64): same initial weights, same batches -> same weights and losses.

The nnweb ``Trainer`` picks the batches; each one is replayed through an equivalent
``torch.nn.Sequential`` trained by the matching ``torch.optim`` optimizer.
"""
import numpy as np
import pytest
import torch  # test-only oracle (pip install -e .[test]); a missing torch fails, never skips

from nnweb.engine import DataSpec, LayerSpec, ModelSpec, TrainSpec, Trainer, make_data
from nnweb.engine.layers import Activation, BatchNorm, LayerNorm, Linear

torch.set_default_dtype(torch.float64)
STEPS = 50
TOL = 1e-6


def torch_model(net):
    """An equivalent torch model, initialised with ``net``'s current parameters."""
    modules = []
    for layer in net.layers:
        if isinstance(layer, Linear):
            m = torch.nn.Linear(*layer.params["W"].shape)
            m.weight.data = torch.tensor(layer.params["W"].T.copy())
            m.bias.data = torch.tensor(layer.params["b"].copy())
        elif isinstance(layer, BatchNorm):
            m = torch.nn.BatchNorm1d(len(layer.params["gamma"]), eps=layer.eps, momentum=layer.momentum)
        elif isinstance(layer, LayerNorm):
            m = torch.nn.LayerNorm(len(layer.params["gamma"]), eps=layer.eps)
        elif isinstance(layer, Activation):
            m = {"tanh": torch.nn.Tanh(), "relu": torch.nn.ReLU(), "sigmoid": torch.nn.Sigmoid(),
                 "linear": torch.nn.Identity(), "softplus": torch.nn.Softplus(),
                 "gelu": torch.nn.GELU(approximate="tanh"),
                 "leaky_relu": torch.nn.LeakyReLU(0.01)}[layer.kind]
        modules.append(m)
    return torch.nn.Sequential(*modules)


def torch_optimizer(train, params):
    o, lr = train.optimizer, train.learning_rate
    if o == "sgd":
        return torch.optim.SGD(params, lr=lr)
    if o in ("momentum", "nesterov"):
        return torch.optim.SGD(params, lr=lr, momentum=train.momentum, nesterov=o == "nesterov")
    if o == "rmsprop":
        return torch.optim.RMSprop(params, lr=lr, alpha=train.alpha, eps=train.eps)
    if o == "adagrad":
        return torch.optim.Adagrad(params, lr=lr, eps=train.adagrad_eps)
    betas = (train.beta1, train.beta2)
    if o == "adam":
        return torch.optim.Adam(params, lr=lr, betas=betas, eps=train.eps)
    return torch.optim.AdamW(params, lr=lr, betas=betas, eps=train.eps, weight_decay=train.weight_decay)


def torch_loss(head, z, y, temperature):
    if head == "sigmoid":
        return torch.nn.functional.binary_cross_entropy_with_logits(z[:, 0], y)
    if head == "softmax":
        return torch.nn.functional.cross_entropy(z / temperature, y)
    return torch.nn.functional.mse_loss(z[:, 0], y)


def torch_params(model):
    """torch parameters in nnweb's order, as nnweb-shaped arrays (Linear weights transposed)."""
    out = []
    for m in model:
        if isinstance(m, torch.nn.Linear):
            out += [m.weight.detach().numpy().T, m.bias.detach().numpy()]
        elif isinstance(m, (torch.nn.BatchNorm1d, torch.nn.LayerNorm)):
            out += [m.weight.detach().numpy(), m.bias.detach().numpy()]
    return out


def run_both(model_spec, train_spec, data_spec=DataSpec(points=200, noise=0.1)):
    data = make_data(data_spec)
    trainer = Trainer(model_spec, train_spec, data.x_train, data.y_train)
    model = torch_model(trainer.network)
    optimizer = torch_optimizer(train_spec, model.parameters())
    weights = [m.weight for m in model if isinstance(m, torch.nn.Linear)]
    for _ in range(STEPS):
        xb, yb = trainer.next_batch()
        ours = trainer.step(xb, yb)
        optimizer.zero_grad()
        z = model(torch.tensor(xb))
        loss = torch_loss(model_spec.head, z, torch.tensor(yb), model_spec.temperature)
        rate = train_spec.regularization_rate
        if train_spec.regularization == "l2":
            loss_total = loss + 0.5 * rate * sum((w * w).sum() for w in weights)
        elif train_spec.regularization == "l1":
            loss_total = loss + rate * sum(w.abs().sum() for w in weights)
        else:
            loss_total = loss
        loss_total.backward()
        optimizer.step()
        assert ours == pytest.approx(loss.item(), abs=TOL)
    assert trainer.diverged is None
    for a, b in zip(trainer.network.parameters(), torch_params(model)):
        np.testing.assert_allclose(a, b, atol=TOL, rtol=0)
    return trainer, model


OPTIMIZERS = {
    "sgd": TrainSpec(optimizer="sgd", learning_rate=0.1),
    "momentum": TrainSpec(optimizer="momentum", learning_rate=0.05, momentum=0.9),
    "nesterov": TrainSpec(optimizer="nesterov", learning_rate=0.05, momentum=0.8),
    "rmsprop": TrainSpec(optimizer="rmsprop", learning_rate=0.01),
    "adagrad": TrainSpec(optimizer="adagrad", learning_rate=0.05),
    "adam": TrainSpec(optimizer="adam", learning_rate=0.01),
    "adamw": TrainSpec(optimizer="adamw", learning_rate=0.01, weight_decay=0.05),
}


@pytest.mark.parametrize("norm", ["none", "batchnorm", "layernorm"])
@pytest.mark.parametrize("activation", ["tanh", "relu", "sigmoid"])
@pytest.mark.parametrize("optimizer", list(OPTIMIZERS))
def test_parity(optimizer, activation, norm):
    spec = ModelSpec(layers=(LayerSpec(6, activation, norm), LayerSpec(4, activation, norm)),
                     weight_init="he_normal", bias_init="uniform", seed=7)
    trainer, model = run_both(spec, OPTIMIZERS[optimizer])
    if norm == "batchnorm":  # running statistics drive evaluation, so they must agree too
        bn = [m for m in model if isinstance(m, torch.nn.BatchNorm1d)]
        ours = [layer for layer in trainer.network.layers if isinstance(layer, BatchNorm)]
        for t, o in zip(bn, ours):
            np.testing.assert_allclose(o.running_mean, t.running_mean.numpy(), atol=TOL)
            np.testing.assert_allclose(o.running_var, t.running_var.numpy(), atol=TOL)
        model.eval()
        x = make_data(DataSpec(points=50, seed=3)).x_train
        np.testing.assert_allclose(trainer.network.forward(x), model(torch.tensor(x)).detach().numpy(),
                                   atol=TOL)


def test_batchnorm_parity_when_a_pass_would_end_with_one_point():
    """101 training points in batches of 10: torch.nn.BatchNorm1d refuses the one-point
    batch each pass used to end with; the batches nnweb takes instead train both alike,
    running statistics included (50 steps: five passes)."""
    spec = ModelSpec(layers=(LayerSpec(6, "tanh", "batchnorm"), LayerSpec(4, "relu", "batchnorm", False)), seed=7)
    data = DataSpec(points=202, noise=0.1)
    assert len(make_data(data).x_train) % OPTIMIZERS["momentum"].batch_size == 1
    trainer, model = run_both(spec, OPTIMIZERS["momentum"], data)
    assert trainer.epoch >= 4
    bn = [m for m in model if isinstance(m, torch.nn.BatchNorm1d)]
    ours = [layer for layer in trainer.network.layers if isinstance(layer, BatchNorm)]
    for t, o in zip(bn, ours):
        np.testing.assert_allclose(o.running_var, t.running_var.numpy(), atol=TOL)


@pytest.mark.parametrize("reg", ["l1", "l2"])
def test_regularization_parity(reg):
    spec = ModelSpec(layers=(LayerSpec(5, "tanh"),), seed=2)
    run_both(spec, TrainSpec(optimizer="sgd", learning_rate=0.1, regularization=reg, regularization_rate=0.01))


def test_softmax_temperature_parity():
    spec = ModelSpec(layers=(LayerSpec(8, "relu", "batchnorm", False),), head="softmax", outputs=4,
                     temperature=0.5, seed=4)
    run_both(spec, OPTIMIZERS["adam"], DataSpec(dataset="blobs", classes=4, points=200))


@pytest.mark.parametrize("activation", ["gelu", "softplus", "leaky_relu", "linear"])
def test_regression_parity(activation):
    spec = ModelSpec(layers=(LayerSpec(6, activation, "layernorm"),), head="linear", seed=5)
    run_both(spec, OPTIMIZERS["momentum"], DataSpec(dataset="multigauss", points=200))


@pytest.mark.parametrize("kind", ["rmsprop", "adagrad", "adam", "adamw"])
def test_default_hyperparameters_are_torchs(kind):
    """TrainSpec promises PyTorch's defaults: the optimizer a default spec of each kind
    builds has the hyper-parameters torch.optim's constructor defaults to (Adagrad's eps
    is 1e-10 there, not the 1e-8 the others share)."""
    import inspect
    from nnweb.engine.optimizers import make_optimizer
    reference = {"rmsprop": torch.optim.RMSprop, "adagrad": torch.optim.Adagrad,
                 "adam": torch.optim.Adam, "adamw": torch.optim.AdamW}[kind]
    torchs = {k: v.default for k, v in inspect.signature(reference).parameters.items()}
    ours = make_optimizer(TrainSpec(optimizer=kind))
    assert ours.eps == torchs["eps"]
    if kind == "rmsprop":
        assert ours.alpha == torchs["alpha"]
    if kind in ("adam", "adamw"):
        assert (ours.beta1, ours.beta2) == torchs["betas"]
        assert ours.weight_decay == (torchs["weight_decay"] if kind == "adamw" else 0.0)


@pytest.mark.parametrize("decoupled", [False, True])
def test_adam_weight_decay_matches_torch(decoupled):
    """Adam(weight_decay=x) is torch.optim.Adam's L2 decay (x * p added to the gradient),
    AdamW's decoupled decay with decoupled=True; both over a run of seeded gradients."""
    from nnweb.engine.optimizers import Adam
    rng = np.random.default_rng(3)
    ours = rng.normal(size=(3, 4))
    grads = [rng.normal(size=(3, 4)) for _ in range(STEPS)]
    theirs = torch.tensor(ours.copy(), requires_grad=True)
    optimizer = Adam(lr=0.05, weight_decay=0.3, decoupled=decoupled)
    reference = (torch.optim.AdamW if decoupled else torch.optim.Adam)([theirs], lr=0.05, weight_decay=0.3)
    for g in grads:
        given = g.copy()
        optimizer.step([ours], [g])
        assert np.array_equal(g, given)  # the decay never writes into the caller's gradient
        theirs.grad = torch.tensor(g)
        reference.step()
    np.testing.assert_allclose(ours, theirs.detach().numpy(), atol=1e-12, rtol=0)


@pytest.mark.parametrize("kind", ["gelu", "tanh", "sigmoid", "softplus"])
def test_float32_activations_match_torch_float32(kind):
    """The views' pass is float32 end to end: each activation must return float32 values
    that agree with PyTorch's float32 ones (GELU returned float64, which hid nothing here
    but the type)."""
    layer = Activation(kind)
    x = np.linspace(-12, 12, 4801, dtype=np.float32)[:, None]
    ours = layer.forward(x)
    theirs = torch_model(type("One", (), {"layers": [layer]})())[0](torch.tensor(x)).numpy()
    assert ours.dtype == theirs.dtype == np.float32
    np.testing.assert_allclose(ours, theirs, rtol=2e-6, atol=1e-6)


class ReplayMask(torch.nn.Module):
    """Multiplies by the mask nnweb's Dropout drew for the same batch: torch's own dropout
    draws other masks, so parity of the maths (scaling, gradient) needs the same mask."""

    def __init__(self, layer):
        super().__init__()
        self.layer = layer

    def forward(self, x):
        return x * torch.tensor(self.layer.mask)


def test_dropout_parity_and_torch_semantics():
    from nnweb.engine.layers import Dropout
    spec = ModelSpec(layers=(LayerSpec(8, "tanh", dropout=0.25), LayerSpec(6, "relu", dropout=0.5)))
    data = make_data(DataSpec(points=200, noise=0.1))
    train = TrainSpec(optimizer="adam", learning_rate=0.01)
    trainer = Trainer(spec, train, data.x_train, data.y_train)
    modules = []
    for layer in trainer.network.layers:  # the same model, with mask replays where nnweb drops
        modules.append(ReplayMask(layer) if isinstance(layer, Dropout) else
                       torch_model(type("One", (), {"layers": [layer]})())[0])
    model = torch.nn.Sequential(*modules)
    optimizer = torch_optimizer(train, model.parameters())
    for _ in range(STEPS):
        xb, yb = trainer.next_batch()
        ours = trainer.step(xb, yb)
        optimizer.zero_grad()
        loss = torch_loss("sigmoid", model(torch.tensor(xb)), torch.tensor(yb), 1.0)
        loss.backward()
        optimizer.step()
        assert ours == pytest.approx(loss.item(), abs=TOL)
    for a, b in zip(trainer.network.parameters(), torch_params(model)):
        np.testing.assert_allclose(a, b, atol=TOL, rtol=0)
    # outside training both are the identity; in training both scale survivors by 1 / (1 - p)
    x = np.random.default_rng(0).normal(size=(4000, 8))
    ours = Dropout(0.25, np.random.default_rng(1))
    theirs = torch.nn.Dropout(0.25)
    np.testing.assert_array_equal(ours.forward(x, train=False), x)
    np.testing.assert_array_equal(theirs.eval()(torch.tensor(x)).numpy(), x)
    kept_ours = ours.forward(x, train=True)[ours.mask > 0] / x[ours.mask > 0]
    t = theirs.train()(torch.tensor(x)).numpy()
    kept_theirs = t[t != 0] / x[t != 0]
    np.testing.assert_allclose(kept_ours, 1 / 0.75)
    np.testing.assert_allclose(kept_theirs, 1 / 0.75)
    assert abs((ours.mask == 0).mean() - 0.25) < 0.01 and abs((t == 0).mean() - 0.25) < 0.01
