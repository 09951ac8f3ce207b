"""Specs: validation names the field, JSON round-trips exactly, defaults are valid."""
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnweb.engine import DataSpec, LayerSpec, ModelSpec, TrainSpec
from nnweb.engine.datasets import DATASETS, ONE_D
from nnweb.engine.features import FEATURES
from nnweb.engine.spec import (ACTIVATIONS, BIAS_INITS, HEADS, MAX_HIDDEN_LAYERS, MAX_WIDTH, NORMALIZATIONS,
                               OPTIMIZERS, REGULARIZATIONS, WEIGHT_INITS)

layer_specs = st.builds(LayerSpec, width=st.integers(1, MAX_WIDTH), activation=st.sampled_from(ACTIVATIONS),
                        norm=st.sampled_from(NORMALIZATIONS), norm_after_activation=st.booleans(),
                        leaky_slope=st.floats(0, 1))


@st.composite
def model_specs(draw):
    head = draw(st.sampled_from(HEADS))
    return ModelSpec(inputs=draw(st.integers(1, 64)),
                     layers=tuple(draw(st.lists(layer_specs, max_size=MAX_HIDDEN_LAYERS))),
                     head=head, outputs=draw(st.integers(2, 10)) if head == "softmax" else 1,
                     temperature=draw(st.floats(0.01, 100)), weight_init=draw(st.sampled_from(WEIGHT_INITS)),
                     weight_scale=draw(st.floats(0, 10)), bias_init=draw(st.sampled_from(BIAS_INITS)),
                     bias_scale=draw(st.floats(-10, 10)), seed=draw(st.integers(0, 2**31 - 1)))


train_specs = st.builds(TrainSpec, optimizer=st.sampled_from(OPTIMIZERS), learning_rate=st.floats(1e-6, 10),
                        regularization=st.sampled_from(REGULARIZATIONS), regularization_rate=st.floats(0, 10),
                        batch_size=st.integers(1, 1000), seed=st.integers(0, 2**31 - 1))

data_specs = st.builds(DataSpec, dataset=st.sampled_from([d for d in DATASETS if d not in ("digits", "custom", "own") + ONE_D]),
                       points=st.integers(10, 2000), noise=st.floats(0, 0.5), train_ratio=st.floats(0.1, 0.9),
                       classes=st.integers(3, 5), seed=st.integers(0, 2**31 - 1),
                       features=st.lists(st.sampled_from(list(FEATURES)), min_size=1, max_size=7,
                                         unique=True).map(tuple))


@settings(max_examples=200)
@given(model_specs(), train_specs, data_specs)
def test_specs_round_trip_through_json(model, train, data):
    for spec in (model, train, data):
        assert type(spec).from_dict(json.loads(json.dumps(spec.to_dict()))) == spec


def test_empty_dicts_give_the_defaults():
    assert ModelSpec.from_dict({}) == ModelSpec()
    assert TrainSpec.from_dict({}) == TrainSpec()
    assert DataSpec.from_dict({}) == DataSpec()


@pytest.mark.parametrize("data,message", [
    ({"layers": [{"width": 3, "activation": "swish"}]}, "model.layers[0].activation: 'swish' is not one of"),
    ({"layers": [{"width": 0}]}, "model.layers[0].width: 0 is outside the allowed range 1 .. 128"),
    ({"layers": [{"width": 4}] * 9}, "model.layers: 9 hidden layers, at most 8"),
    ({"layers": [{"width": "4"}]}, "model.layers[0].width: expected int"),
    ({"layers": [{}]}, "model.layers[0].width: missing"),
    ({"head": "softmax", "outputs": 11}, "model.outputs: 11 is outside the allowed range 2 .. 10"),
    ({"temperature": float("nan")}, "model.temperature"),
    ({"inputs": True}, "model.inputs: expected int"),
    ({"colour": 1}, "model: unknown field 'colour'"),
    ([1, 2], "model: expected an object"),
])
def test_bad_model_specs_name_the_field(data, message):
    with pytest.raises(ValueError) as err:
        ModelSpec.from_dict(data)
    assert message in str(err.value)


@pytest.mark.parametrize("cls,data,message", [
    (TrainSpec, {"optimizer": "lbfgs"}, "train.optimizer: 'lbfgs' is not one of"),
    (TrainSpec, {"learning_rate": 11}, "train.learning_rate: 11.0 is outside the allowed range"),
    (DataSpec, {"dataset": "mnist"}, "data.dataset: 'mnist' is not one of"),
    (DataSpec, {"points": 5000}, "data.points: 5000 is outside the allowed range 10 .. 2000"),
    (DataSpec, {"features": ["x3"]}, "data.features: 'x3': unknown name"),
    (DataSpec, {"features": []}, "data.features: choose at least one"),
])
def test_bad_train_and_data_specs_name_the_field(cls, data, message):
    with pytest.raises(ValueError) as err:
        cls.from_dict(data)
    assert message in str(err.value)
