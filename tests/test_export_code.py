"""Exported NumPy and PyTorch code reproduces the app's predictions on the plane's grid."""
import runpy

import numpy as np
import pytest
import torch  # test-only oracle

from nnweb.app.plane import plane_grid
from nnweb.engine import DataSpec, LayerSpec, ModelSpec, TrainSpec, Trainer, make_data
from nnweb.engine.export_code import numpy_code, torch_code
from nnweb.engine.features import apply_features

CASES = {
    "tanh, sigmoid head": (DataSpec(), (LayerSpec(4, "tanh"), LayerSpec(2, "tanh")), "sigmoid"),
    "every activation": (DataSpec(features=("x1", "x2", "x1*x2", "sin(x1)", "step(x1 - 1)*x2^2 + e", "abs(x2)^0.5")),
                         tuple(LayerSpec(3, a) for a in ("relu", "leaky_relu", "gelu", "softplus", "sigmoid", "linear")),
                         "sigmoid"),
    "norms and dropout, softmax": (DataSpec(dataset="blobs", features=("x1", "x2", "x1^2", "x2^2")),
                                   (LayerSpec(6, "relu", norm="batchnorm", dropout=0.2),
                                    LayerSpec(5, "tanh", norm="layernorm", norm_after_activation=False),
                                    LayerSpec(4, "linear", norm="l2")), "softmax"),
    "regression with a step": (DataSpec(dataset="plane"), (LayerSpec(5, "step"), LayerSpec(3, "tanh")), "linear"),
}


def trained(data_spec, layers, head):
    data = make_data(data_spec)
    outputs = 3 if head == "softmax" else 1
    spec = ModelSpec(inputs=data.x_train.shape[1], layers=layers, head=head, outputs=outputs, temperature=0.7)
    trainer = Trainer(spec, TrainSpec(optimizer="adam", learning_rate=0.01), data.x_train, data.y_train)
    trainer.train_steps(200)
    return trainer.network


@pytest.mark.parametrize("case", CASES)
def test_exports_reproduce_the_predictions_on_the_grid(case, tmp_path):
    data_spec, layers, head = CASES[case]
    net = trained(data_spec, layers, head)
    grid = plane_grid(100)
    expected = net.predict(apply_features(data_spec.features, grid))

    script = tmp_path / "model_numpy.py"
    script.write_text(numpy_code(net, data_spec.features))
    ns = runpy.run_path(str(script))
    assert set(ns) >= {"forward", "predict", "features"} and "nnweb" not in script.read_text().split('"""', 2)[2]
    np.testing.assert_allclose(ns["predict"](ns["features"](grid)), expected, atol=1e-6, rtol=0)

    module = tmp_path / "model_torch.py"
    module.write_text(torch_code(net, data_spec.features))
    ns = runpy.run_path(str(module))
    model = ns["NnwebModel"]()
    with torch.no_grad():
        got = model.predict(ns["features"](grid)).numpy()
    np.testing.assert_allclose(got, expected, atol=1e-6, rtol=0)
    # weights are exact (shortest round-trip repr), so the match is much closer than asked
    assert np.abs(got - expected).max() < 1e-9
