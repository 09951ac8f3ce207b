"""The engine and the session under extreme hyper-parameters: anything within the stated
limits either trains with finite numbers or reports divergence in words; nothing raises."""
from dataclasses import fields

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nnweb.app.session import Session, model_for
from nnweb.engine import DataSpec, LayerSpec, ModelSpec, TrainSpec, Trainer, make_data
from nnweb.engine.spec import ACTIVATIONS, NORMALIZATIONS


def edge_or_any(low, high, kind):
    """Mostly the range's ends (where things break), sometimes anything in between."""
    inner = st.integers(low, high) if kind is int else st.floats(low, high, allow_nan=False)
    return st.one_of(st.sampled_from([low, high]), inner)


def spec_fields(cls, skip=()):
    """A strategy per declared field of a Spec, from its own range/choices metadata."""
    out = {}
    for f in fields(cls):
        meta = f.metadata
        if f.name in skip:
            continue
        if "choices" in meta:
            out[f.name] = st.sampled_from(meta["choices"])
        elif "range" in meta:
            low, high = meta["range"]
            out[f.name] = edge_or_any(low, high, int if isinstance(f.default, int) else float)
    return out


layers = st.lists(st.builds(LayerSpec, width=edge_or_any(1, 16, int), activation=st.sampled_from(ACTIVATIONS),
                            norm=st.sampled_from(NORMALIZATIONS), dropout=edge_or_any(0.0, 0.9, float)),
                  min_size=0, max_size=8)


@st.composite
def runs(draw):
    data = DataSpec(dataset=draw(st.sampled_from(["circle", "xor", "blobs", "plane", "spiral"])), points=60)
    base = model_for(data, tuple(draw(layers)))
    model_fields = draw(st.fixed_dictionaries(spec_fields(ModelSpec, skip=("inputs", "layers", "head", "outputs"))))
    model = ModelSpec(**{**base.to_dict(), **model_fields, "layers": base.layers})
    train = TrainSpec(**draw(st.fixed_dictionaries(spec_fields(TrainSpec))))
    return data, model, train


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(runs())
def test_any_spec_within_limits_trains_finite_or_reports_divergence(run):
    data_spec, model, train = run
    d = make_data(data_spec)
    with np.errstate(all="raise"):  # a stray warning-level overflow would raise here
        t = Trainer(model, train, d.x_train, d.y_train, d.x_test, d.y_test)
        t.train_steps(60)
        m = t.metrics()  # may find what the batches did not: the loss over all points overflowing
    assert all(np.isfinite(p).all() for p in t.network.parameters()), "weights left non-finite"
    if t.diverged:
        assert "lower learning rate" in t.diverged
    else:
        assert np.isfinite(m["train"]["loss"]) and np.isfinite(m["test"]["loss"])


def test_adam_at_learning_rate_10_pauses_with_a_message_and_reset_recovers():
    """Adam's bounded steps keep the numbers finite at lr=10, but the loss explodes: the
    session pauses once and says so; Play goes on if asked; Reset and a sane rate learn."""
    s = Session(DataSpec(dataset="plane"), TrainSpec(optimizer="adam", learning_rate=10.0))
    start = s.train_loss
    s.running = True
    # frames, not seconds: 50 frames of 5 ms were ~100 epochs on a machine busy with other
    # work, not always enough (the loss is looked at once a frame, and it swings); it pauses
    # within 1-50 epochs when the machine is quiet
    for _ in range(2000):
        s.tick(0.005)
        if not s.running:
            break
    assert not s.running and "exploded" in s.message and "learning rate of 10 is too high" in s.message
    assert s.train_loss > 10 * start
    s.running = True  # the person insists: no second pause for the same run
    for _ in range(5):
        s.tick(0.005)
    assert s.running
    s.set_train(TrainSpec(optimizer="adam", learning_rate=0.03))
    s.reset()
    assert s.message == "" and s.epoch == 0
    s.running = True
    for _ in range(40):
        s.tick(0.005)
    assert s.running and s.message == "" and s.train_loss < start


def test_divergence_keeps_the_last_finite_weights_on_screen():
    s = Session(DataSpec(dataset="plane"), TrainSpec(learning_rate=10.0),
                model=model_for(DataSpec(dataset="plane"), (LayerSpec(8, "relu"),) * 6))
    for _ in range(40):
        before = [p.copy() for p in s.trainer.network.parameters()]
        s.running = True  # on through the "loss exploded" pause, to the overflow
        s.tick(0.002)
        if s.trainer.diverged:
            break
    assert s.trainer.diverged and not s.running and "lower learning rate" in s.message
    after = s.trainer.network.parameters()
    assert all(np.array_equal(a, b) for a, b in zip(before, after)), "not the previous frame's weights"
    assert s.scene().finite  # every view draws finite numbers
    s.reset()
    assert s.trainer.diverged is None and s.message == ""
