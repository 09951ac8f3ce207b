"""The experiment being shown: specs, data, trainer, and the play/step/reset verbs.

``Session`` is a ``param.Parameterized`` with no Panel or Bokeh import, so it is tested
in CPython like the engine. Views watch ``frame`` (bumped after each batch of training
steps) and redraw; they never train. ``tick`` trains for a time budget, not a step count,
so a slow machine shows fewer frames rather than a frozen page.
"""
from __future__ import annotations

import time

import param

from ..engine import DATASETS, DataSpec, LayerSpec, ModelSpec, TrainSpec, Trainer, make_data

DEFAULT_LAYERS = (LayerSpec(4, "tanh"), LayerSpec(2, "tanh"))


def model_for(data: DataSpec, layers=DEFAULT_LAYERS, seed: int = 0) -> ModelSpec:
    """The model spec that fits a dataset: input width and output head follow the data."""
    if data.kind == "regression":
        head, outputs = "linear", 1
    elif data.n_classes > 2:
        head, outputs = "softmax", data.n_classes
    else:
        head, outputs = "sigmoid", 1
    return ModelSpec(inputs=data.n_inputs, layers=tuple(layers), head=head, outputs=outputs, seed=seed)


class Session(param.Parameterized):
    dataset = param.Selector(default="circle", objects=list(DATASETS), doc="Which data to learn")
    running = param.Boolean(default=False, doc="Training continuously")
    epoch = param.Integer(default=0, doc="Completed passes over the training data")
    train_loss = param.Number(default=None, allow_None=True)
    test_loss = param.Number(default=None, allow_None=True)
    message = param.String(default="", doc="What the person should know now (divergence, errors)")
    frame = param.Integer(default=0, doc="Bumped whenever views should redraw")

    def __init__(self, data: DataSpec | None = None, train: TrainSpec | None = None, **params):
        data = data or DataSpec()
        super().__init__(dataset=data.dataset, **params)
        self.data_spec = data
        self.train_spec = train or TrainSpec()
        self.model_spec = model_for(data)
        self._build()

    # --- building --------------------------------------------------------------------------
    def _build(self) -> None:
        """(Re)generate data and a freshly initialised network from the specs."""
        self.data = make_data(self.data_spec)
        self.trainer = Trainer(self.model_spec, self.train_spec, self.data.x_train, self.data.y_train,
                               self.data.x_test, self.data.y_test)
        self.message = ""
        self._publish()

    @param.depends("dataset", watch=True)
    def _dataset_changed(self) -> None:
        self.data_spec = DataSpec.from_dict({**self.data_spec.to_dict(), "dataset": self.dataset})
        self.model_spec = model_for(self.data_spec, self.model_spec.layers, self.model_spec.seed)
        self._build()

    def _publish(self) -> None:
        """Copy the trainer's figures into watched parameters, then ask views to redraw."""
        m = self.trainer.metrics()
        self.param.update(epoch=self.trainer.epoch, train_loss=m["train"]["loss"],
                          test_loss=m["test"]["loss"])
        if self.trainer.diverged:
            self.param.update(running=False, message=self.trainer.diverged)
        self.frame += 1

    # --- verbs ---------------------------------------------------------------------------------
    def reset(self) -> None:
        """Re-initialise the weights (same weight seed: the same start), keep the data."""
        self.running = False
        self.trainer = Trainer(self.model_spec, self.train_spec, self.data.x_train, self.data.y_train,
                               self.data.x_test, self.data.y_test)
        self.message = ""
        self._publish()

    def step(self) -> None:
        """One epoch, as TensorFlow Playground's step button does."""
        self.trainer.train_epoch()
        self._publish()

    def tick(self, budget_s: float = 0.012) -> int:
        """While running: train as many steps as fit in ``budget_s``, then publish once."""
        if not self.running:
            return 0
        steps, start = 0, time.perf_counter()
        chunk = 8
        while time.perf_counter() - start < budget_s and not self.trainer.diverged:
            self.trainer.train_steps(chunk)
            steps += chunk
        self._publish()
        return steps
