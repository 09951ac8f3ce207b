"""Training behaviour: determinism, learning, epochs, divergence, representations, state."""
import numpy as np
import pytest

from nnweb.engine import DataSpec, LayerSpec, ModelSpec, Network, TrainSpec, Trainer, make_data
from nnweb.engine.spec import ACTIVATIONS


def trained(model=ModelSpec(), train=TrainSpec(), data=DataSpec(), epochs=5):
    d = make_data(data)
    t = Trainer(model, train, d.x_train, d.y_train, d.x_test, d.y_test)
    for _ in range(epochs):
        t.train_epoch()
    return t


def test_same_spec_and_seed_give_bit_identical_weights():
    a, b = trained(), trained()
    assert all(np.array_equal(x, y) for x, y in zip(a.network.parameters(), b.network.parameters()))
    c = trained(train=TrainSpec(seed=1))  # another shuffle
    assert not all(np.array_equal(x, y) for x, y in zip(a.network.parameters(), c.network.parameters()))


def test_weight_seed_sets_the_initial_weights():
    same = [Network(ModelSpec(seed=3)).parameters() for _ in range(2)]
    assert all(np.array_equal(x, y) for x, y in zip(*same))
    other = Network(ModelSpec(seed=4)).parameters()
    assert not np.array_equal(same[0][0], other[0])


def test_circle_is_learned():
    t = trained(train=TrainSpec(learning_rate=0.1), epochs=40)
    assert t.metrics()["test"]["accuracy"] > 0.95


def test_epoch_is_one_pass_over_the_training_points():
    t = trained(data=DataSpec(points=100, train_ratio=0.5), train=TrainSpec(batch_size=10), epochs=3)
    assert t.epoch == 3 and t.steps == 15


def test_batches_cover_every_point_once_per_epoch():
    d = make_data(DataSpec(points=64))
    t = Trainer(ModelSpec(), TrainSpec(batch_size=7), d.x_train, d.y_train)
    seen = np.concatenate([t.next_batch()[0] for _ in range(5)])  # 32 points: 7*4 + 4
    assert len(seen) == 32 and len(np.unique(seen, axis=0)) == 32


def epoch_batches(trainer):
    """The batches of the trainer's next pass over its training set."""
    start, batches = trainer.epoch, []
    while trainer.epoch == start:
        batches.append(trainer.next_batch()[0])
    return batches


@pytest.mark.parametrize("batch", [10, 3, 1])
def test_batchnorm_never_gets_a_batch_of_one_point(batch):
    """31 training points: 31 % 10 == 31 % 3 == 1 ended every pass with a one-point batch,
    which BatchNorm cannot normalize (PyTorch refuses it). That point joins the batch
    before it, batch size 1 trains on pairs, and each point still comes once a pass."""
    x = np.random.default_rng(0).normal(size=(31, 2))
    model = ModelSpec(layers=(LayerSpec(4, "relu", "batchnorm"),))
    t = Trainer(model, TrainSpec(batch_size=batch), x, x[:, 0] > 0)
    for _ in range(3):
        batches = epoch_batches(t)
        assert min(map(len, batches)) >= 2 and max(map(len, batches)) <= max(batch, 2) + 1
        np.testing.assert_array_equal(np.sort(np.concatenate(batches), axis=0), np.sort(x, axis=0))


def test_batches_without_batchnorm_are_as_before():
    """Only BatchNorm changes the batching: other networks (and the links that train them)
    keep their one-point last batch."""
    x = np.random.default_rng(0).normal(size=(31, 2))
    for norm in ("none", "layernorm"):
        t = Trainer(ModelSpec(layers=(LayerSpec(4, "relu", norm),)), TrainSpec(batch_size=10), x, x[:, 0] > 0)
        assert [len(b) for b in epoch_batches(t)] == [10, 10, 10, 1]


def test_divergence_is_reported_and_weights_stay_finite():
    spec = ModelSpec(layers=(LayerSpec(8, "relu"),) * 6, head="linear", weight_init="he_normal")
    t = trained(model=spec, train=TrainSpec(optimizer="sgd", learning_rate=10.0), epochs=3,
                data=DataSpec(dataset="multigauss"))
    assert t.diverged and "lower learning rate" in t.diverged
    assert all(np.isfinite(p).all() for p in t.network.parameters())
    steps = t.steps
    t.train_steps(10)  # refuses to go on
    assert t.steps == steps


def test_every_parameter_and_gradient_is_a_view_of_the_networks_one_buffer():
    """A step checks, keeps and updates the flat buffers only: a parameter that is not a view
    of them would silently stop learning (or escape the overflow check)."""
    spec = ModelSpec(layers=(LayerSpec(3, "relu", "layernorm"), LayerSpec(4, "tanh", "batchnorm", False)))
    t = trained(model=spec, epochs=0)
    net = t.network
    params, grads = net.parameters(), net.gradients()
    assert sum(p.size for p in params) == net.flat_params.size == net.flat_grads.size
    assert all(np.shares_memory(p, net.flat_params) for p in params)
    assert all(np.shares_memory(g, net.flat_grads) for g in grads)
    assert net.weight_mask.sum() == sum(p.size for p, w in zip(params, net.is_weight) if w)
    before = [p.copy() for p in params]
    t.train_steps(1)
    assert all(not np.array_equal(a, b) for a, b in zip(before, net.parameters())), "a parameter did not move"
    net.layers[0].params["W"][0, 0] = 0.25  # an edit (the diagram's) is an edit of the buffer
    assert net.flat_params[0] == 0.25


def test_learning_rate_changes_without_losing_state():
    t = trained(train=TrainSpec(optimizer="adam", learning_rate=0.01), epochs=2)
    before = [p.copy() for p in t.network.parameters()]
    moments = t.optimizer.state[0]["exp_avg"].copy()
    t.set_train_spec(TrainSpec(optimizer="adam", learning_rate=0.001))
    assert all(np.array_equal(a, b) for a, b in zip(before, t.network.parameters()))
    assert np.array_equal(t.optimizer.state[0]["exp_avg"], moments) and t.optimizer.lr == 0.001


def test_representations_are_named_and_consistent():
    spec = ModelSpec(layers=(LayerSpec(3, "relu", "layernorm"), LayerSpec(2, "tanh", "batchnorm", False)),
                     head="softmax", outputs=3)
    net = Network(spec)
    x = np.random.default_rng(0).normal(size=(10, 2))
    reps = net.representations(x)
    assert list(reps) == net.representation_names() == [
        "input", "hidden 1 · pre-activation", "hidden 1 · activation", "hidden 1 · LayerNorm",
        "hidden 2 · pre-activation", "hidden 2 · BatchNorm", "hidden 2 · activation",
        "output · logits", "output"]
    W, b = net.layers[0].params["W"], net.layers[0].params["b"]
    np.testing.assert_allclose(reps["hidden 1 · pre-activation"], x @ W + b)
    np.testing.assert_allclose(reps["hidden 1 · activation"], np.maximum(x @ W + b, 0))
    np.testing.assert_allclose(reps["output"].sum(axis=1), 1.0)
    np.testing.assert_allclose(reps["output"], net.predict(x))


def test_state_round_trip_restores_the_function():
    spec = ModelSpec(layers=(LayerSpec(4, "tanh", "batchnorm"),))
    t = trained(model=spec, epochs=2)
    x = make_data(DataSpec(seed=9)).x_test
    saved, expected = t.network.state(), t.network.predict(x)
    fresh = Network(spec)
    assert not np.allclose(fresh.predict(x), expected)
    fresh.load_state(saved)
    np.testing.assert_array_equal(fresh.predict(x), expected)
    with pytest.raises(ValueError, match="shapes"):
        Network(ModelSpec()).load_state(saved)


@pytest.mark.parametrize("head,data", [("linear", DataSpec(dataset="plane")),
                                       ("softmax", DataSpec(dataset="blobs", classes=4))])
def test_other_heads_learn(head, data):
    outputs = 4 if head == "softmax" else 1
    t = trained(model=ModelSpec(head=head, outputs=outputs, layers=(LayerSpec(8, "tanh"),)),
                train=TrainSpec(optimizer="adam", learning_rate=0.02), data=data, epochs=30)
    m = t.metrics()["test"]
    if head == "linear":
        assert m["accuracy"] is None and m["loss"] < 0.01
    else:
        assert m["accuracy"] > 0.9


@pytest.mark.parametrize("kind", ["tanh", "sigmoid", "gelu"])
def test_float32_activations_match_float64_for_the_views(kind):
    """The views evaluate in float32 with their own tanh (1 - 2 / (e^2x + 1)); it must agree
    with NumPy's float64 tanh to float32 precision, saturate exactly, and keep NaN."""
    from nnweb.engine.layers import Activation
    x = np.concatenate([np.linspace(-30, 30, 20001), [0.0, 1e-8, -1e-8, 88.0, -88.0, 1e30, -1e30, np.inf, -np.inf]])
    layer = Activation(kind)
    with np.errstate(all="ignore"):  # GELU's x*x*x overflows at the extremes, in both precisions
        exact = layer.forward(x[:, None])
        fast = layer.forward(x[:, None].astype(np.float32))
    np.testing.assert_allclose(fast, exact, rtol=1e-6, atol=5e-7)  # NaN where float64 has NaN
    if kind != "gelu":
        assert set(fast[-4:, 0].tolist()) <= {-1.0, 0.0, 1.0}  # saturated ends are exact
    assert np.isnan(layer.forward(np.array([[np.nan]], dtype=np.float32))).all()


@pytest.mark.parametrize("kind", ACTIVATIONS)
def test_the_views_pass_stays_float32_through_every_layer(kind):
    """The views evaluate in float32 (twice as fast); one layer that returns float64 (GELU
    did, through a NumPy float64 constant) takes every layer after it off that path."""
    layers = (LayerSpec(8, kind, "batchnorm"), LayerSpec(8, kind, "layernorm", False), LayerSpec(8, kind, "l2"))
    net = Network(ModelSpec(layers=layers, head="softmax", outputs=3))
    reps = net.representations(np.linspace(-2, 2, 20, dtype=np.float32).reshape(10, 2))
    assert {name: str(r.dtype) for name, r in reps.items() if r.dtype != np.float32} == {}
