"""The experiment codec: every valid state round-trips; any other input is a clear ValueError."""
import base64
import json
import zlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nnweb.app.session import model_for
from nnweb.app.state import Experiment, check_view, decode, encode
from nnweb.engine import DataSpec, LayerSpec, Network, TrainSpec
from nnweb.engine.datasets import DATASETS, ONE_D
from nnweb.engine.spec import ACTIVATIONS, NORMALIZATIONS, OPTIMIZERS

layers = st.lists(st.builds(LayerSpec, width=st.integers(1, 16), activation=st.sampled_from(ACTIVATIONS),
                            norm=st.sampled_from(NORMALIZATIONS), dropout=st.sampled_from([0.0, 0.5])), max_size=8)


@st.composite
def experiments(draw):
    name = draw(st.sampled_from([d for d in DATASETS if d not in ("custom", "own")]))
    features = ("x1",) if name in ONE_D else draw(st.sampled_from([("x1", "x2"), ("x1", "x2", "x1*x2"),
                                                                   ("x1^2", "x2^2")]))
    data = DataSpec(dataset=name, points=draw(st.integers(10, 1797)), noise=draw(st.floats(0, 0.5)),
                    seed=draw(st.integers(0, 2**31 - 1)), features=features, classes=draw(st.integers(3, 5)),
                    turns=draw(st.floats(0.25, 3.0)), arm_start=draw(st.sampled_from([0.0, 0.4])))
    model = model_for(data, tuple(draw(layers)), draw(st.integers(0, 1000)))
    train = TrainSpec(optimizer=draw(st.sampled_from(OPTIMIZERS)), learning_rate=draw(st.floats(1e-6, 10)),
                      batch_size=draw(st.integers(1, 1000)))
    names = Network(model).representation_names()
    view = check_view({"layer": draw(st.sampled_from(names)), "neuron_x": draw(st.integers(0, 127)),
                       "azimuth": draw(st.floats(-180, 180)), "show_test": draw(st.booleans())})
    return Experiment(data, model, train, view)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(experiments())
def test_every_valid_state_round_trips_exactly(experiment):
    text = encode(experiment)
    assert decode(text) == experiment
    assert decode("#" + text) == experiment
    assert set(text) <= set("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_.")


def test_a_spirals_turns_travel_in_the_link_and_an_old_link_keeps_the_old_spiral():
    """Links made before turns existed carry no turns: they must decode to the 1.75-turn spiral."""
    spiral = DataSpec(dataset="spiral", points=200)
    state = Experiment(spiral, model_for(spiral, (LayerSpec(4), LayerSpec(2)), 0)).to_dict()
    del state["data"]["turns"], state["data"]["arm_start"]  # as a link written before them
    old_link = "1." + base64.urlsafe_b64encode(zlib.compress(json.dumps(state).encode())).decode()
    assert decode(old_link).data == spiral and spiral.turns == 1.75 and spiral.arm_start == 0.0
    blog = DataSpec(dataset="spiral", points=200, turns=3.96 / (2 * 3.141592653589793), arm_start=0.4)
    experiment = Experiment(blog, model_for(blog, (LayerSpec(2), LayerSpec(2)), 0))
    assert decode(encode(experiment)).data == blog


def test_the_default_link_is_short():
    assert len(encode(Experiment.from_dict({}))) < 40


def refuses_cleanly(text):
    """Either a valid Experiment or a ValueError with a message; nothing else escapes."""
    try:
        return decode(text)
    except ValueError as err:
        assert str(err) and "\n" not in str(err)
        return None


@settings(max_examples=4000, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_random_text_never_escapes(text):
    refuses_cleanly(text)


@settings(max_examples=3000, suppress_health_check=[HealthCheck.too_slow])
@given(experiments(), st.data())
def test_mutated_links_never_escape(experiment, data):
    text = encode(experiment)
    i = data.draw(st.integers(0, len(text) - 1))
    mutated = text[:i] + data.draw(st.sampled_from(["", "A", "_", "-", "~", "é", "=", text[i:i + 3]])) + text[i + 1:]
    refuses_cleanly(mutated)


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
                           lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                                       max_size=4), max_leaves=20)


@settings(max_examples=3000, suppress_health_check=[HealthCheck.too_slow])
@given(experiments(), st.sampled_from(["data", "model", "train", "view"]), st.text(max_size=12), json_values)
def test_mutated_json_never_escapes(experiment, section, key, value):
    d = experiment.to_dict()
    target = d[section]
    if target and key not in target:
        key = sorted(target)[len(key) % len(target)]
    target[key] = value
    try:
        Experiment.from_dict(json.loads(json.dumps(d)))
    except ValueError as err:
        assert str(err)


@pytest.mark.parametrize("state,message", [
    ({"data": {"dataset": "blobs"}, "model": {"head": "sigmoid"}}, "model.outputs: 2 classes, but blobs has 3"),
    ({"data": {"points": 99999}}, "data.points: 99999 is outside the allowed range"),
    ({"model": {"layers": [{"width": 4}] * 9}}, "model.layers: 9 hidden layers, at most 8"),
    ({"view": {"grid_lines": 500}}, "view.grid_lines: 500 is outside the allowed range 3 .. 31"),
    ({"view": {"layer": "hidden 9 · activation"}}, "view.layer: 'hidden 9 · activation' is not a representation"),
    ({"data": {"features": ["x1"]}}, "model.inputs: 2, but the data gives 1 input features"),
])
def test_out_of_range_values_name_the_limit(state, message):
    with pytest.raises(ValueError) as err:
        Experiment.from_dict(state)
    assert message in str(err.value)


# Made by the codec before TrainSpec had adagrad_eps (xor, adagrad, lr 0.1, batch 20): a
# fixture of the old format, which no code here can produce any more.
ADAGRAD_LINK_BEFORE_ADAGRAD_EPS = ("1.eNodi0EKgDAQA_-Sc5HqsZ8p0RZd0CrrHkTp362eAjOTB4lGhOffMxsCrl1RHUwp5TMjbVriKXdG"
                                   "GLzDmqlFyhyV1pDveof9MNlaoe3PxFmZUOsL41Uf7w")


def test_adagrad_links_from_before_adagrad_eps_keep_their_meaning():
    """Adagrad's eps became its own field with PyTorch's default (1e-10). An old Adagrad link
    names no eps (the app never offered one) and trained with 1e-8: it decodes to that.
    A new Adagrad link names its adagrad_eps, so it decodes to what it was made with."""
    old = decode(ADAGRAD_LINK_BEFORE_ADAGRAD_EPS)
    assert (old.data.dataset, old.train.optimizer, old.train.learning_rate, old.train.batch_size) == \
        ("xor", "adagrad", 0.1, 20)
    assert old.train.adagrad_eps == 1e-8 and old.train.eps == 1e-8
    new = Experiment(data=old.data, train=TrainSpec(optimizer="adagrad", learning_rate=0.1, batch_size=20))
    assert new.train.adagrad_eps == 1e-10 and decode(encode(new)).train == new.train
    named = Experiment(train=TrainSpec(optimizer="adagrad", eps=1e-6, adagrad_eps=1e-7))
    assert decode(encode(named)).train == named.train
    # an old file or link that named eps for Adagrad trained with it
    assert TrainSpec.from_dict({"optimizer": "adagrad", "eps": 1e-6}).adagrad_eps == 1e-6
