"""The experiment being shown: specs, data, trainer, history, and the verbs on them.

``Session`` is a ``param.Parameterized`` with no Panel or Bokeh import, so it is tested
in CPython like the engine. Views watch ``frame`` (bumped after each batch of training
steps) and draw from ``scene()``; they never train. ``tick`` trains for a time budget, not
a step count, so a slow machine shows fewer frames rather than a frozen page.
"""
from __future__ import annotations

import math
import time
from dataclasses import replace

import numpy as np
import param

from ..engine import DATASETS, MAX_DRAWN, ONE_D, DataSpec, LayerSpec, ModelSpec, Network, TrainSpec, Trainer, make_data
from ..engine.datasets import MAX_NAME_CHARS, MAX_OWN_NAMES
from ..engine.spec import cut, is_number, shown
from .frame_work import SCENE_FRAMES, Spread, point_cost, rows_per_frame, spread_out
from .history import History
from .plane import has_plane
from .scene import Scene, SceneInPieces
from .state import VIEW_FIELDS, Experiment, model_fits_data
from .view_settings import ViewSettings

DEFAULT_LAYERS = (LayerSpec(4, "tanh"), LayerSpec(2, "tanh"))
MAX_EDIT = 100.0  # a weight or bias typed into the network diagram
EXPLODED = 10.0  # the training loss this many times where it started: the run is blowing up
CHUNK = 8  # training steps between two looks at the clock, at most (a small net's step is ~50 us)


def own_names(points) -> tuple:
    """A CSV's x1 and x2 column names, then its class names, as the link carries them (each
    cut to MAX_NAME_CHARS, line breaks as spaces); none if the file named too few or too many."""
    names = [*points.columns[:2], *points.class_names]
    printable = ("".join(c if c.isprintable() else " " for c in str(n)) for n in names)
    names = tuple(cut(" ".join(n.split()), MAX_NAME_CHARS) for n in printable)
    if len(points.columns) < 2 or len(names) > MAX_OWN_NAMES or not all(names):
        return ()
    return names


def fit_model(model: ModelSpec, data: DataSpec) -> ModelSpec:
    """``model`` with its input width and output head made to fit ``data`` (all else kept)."""
    if data.kind == "regression":
        head, outputs = "linear", 1
    elif data.n_classes > 2 or (model.head == "softmax" and data.n_classes == 2):
        head, outputs = "softmax", data.n_classes
    else:
        head, outputs = "sigmoid", 1
    return replace(model, inputs=data.n_inputs, head=head, outputs=outputs)


def model_for(data: DataSpec, layers=DEFAULT_LAYERS, seed: int = 0) -> ModelSpec:
    """The default model for a dataset."""
    return fit_model(ModelSpec(layers=tuple(layers), seed=seed), data)


class Session(param.Parameterized):
    dataset = param.Selector(default="circle", objects=list(DATASETS), doc="Which data to learn")
    running = param.Boolean(default=False, doc="Training continuously")
    epoch = param.Integer(default=0, doc="Completed passes over the training data")
    train_loss = param.Number(default=None, allow_None=True)
    test_loss = param.Number(default=None, allow_None=True)
    message = param.String(default="", doc="What the person should know now (divergence, automatic pauses)")
    notice = param.Parameter(default=None, doc="(place, text, kind): a message for the box beside the control "
                                               "it is about (plain_text.MessageBox.follow); see say()")
    frame = param.Integer(default=0, doc="Bumped whenever views should redraw")
    checkpoints = param.Integer(default=0, doc="How many history checkpoints exist")
    state_changed = param.Event(doc="The shareable state changed (the URL follows it)")

    def __init__(self, data: DataSpec | None = None, train: TrainSpec | None = None,
                 model: ModelSpec | None = None, **params):
        data = data or DataSpec()
        super().__init__(dataset=data.dataset, **params)
        self.view = ViewSettings()
        self.data_spec = data
        self.train_spec = train or TrainSpec()
        self.model_spec = model or model_for(data)
        self._scene_key = self._scene = None
        self._checkpoint_net = (None, None)
        self.view.param.watch(lambda *_: self._bump(), ["grid_lines", "checkpoint"])
        self.view.param.watch(lambda *_: self.param.trigger("state_changed"), list(VIEW_FIELDS))
        self._applying = False
        self.steps_per_s: float | None = None  # measured while running
        self._own: DataSpec | None = None  # the last own data, to come back to (kept by _build)
        self._plane_features: tuple[str, ...] = ("x1", "x2")  # the 2-D data's, kept while on 1-D data
        self._build()

    def say(self, place: str, text: str, kind: str = "bad") -> None:
        """A message for the box at ``place`` ("data", "draw", ...): next to the control it is
        about, not the status line. ``kind``: "bad" (an error, a refusal), "advice" or "good";
        an empty ``text`` clears that box."""
        self.notice = (place, text, kind)

    # --- building --------------------------------------------------------------------------
    def _build(self) -> None:
        """(Re)generate data and a freshly initialised network from the specs."""
        if self.data_spec.dataset == "own":
            self._own = self.data_spec
        self.data = make_data(self.data_spec)
        self._new_trainer()

    def _new_trainer(self) -> None:
        self.trainer = Trainer(self.model_spec, self.train_spec, self.data.x_train, self.data.y_train,
                               self.data.x_test, self.data.y_test)
        self.history = History()
        self.view.set_layers(self.trainer.network.representation_names())
        self.view.checkpoint = -1
        self.message = ""
        self._start_loss = None  # the reference for "the loss exploded", set by the first publish
        self._last_good = self.trainer.network.state()
        n_data = len(self.data.x_train) + len(self.data.x_test)
        self._cost = (point_cost(self.trainer.network), n_data)  # what the frames' evaluation costs
        self._figures_next = True  # when metrics and drawing are spread out: metrics next
        self._job = None  # (Spread, what to do with its result) under way
        self._eval_net = None  # the copy of the weights a spread-out pass runs on
        self._publish()

    def _show_dataset(self, name: str) -> None:
        """Make the ``dataset`` parameter show ``name`` without treating it as a person's choice."""
        self._applying = True
        try:
            self.dataset = name
        finally:
            self._applying = False

    @param.depends("dataset", watch=True)
    def _dataset_changed(self) -> None:
        if self._applying or self.dataset == self.data_spec.dataset:
            return
        if self.dataset == "custom":
            try:
                self.set_data(self.drawable_data())
            except ValueError as err:
                self.say("data", f"Cannot draw on this data: {err}")
                self._show_dataset(self.data_spec.dataset)
            return
        if self.dataset == "own":
            if self._own is None:
                self.say("data", "To train on your own data, load a CSV file in the card "
                                 "\"Your data (CSV)\" below.", kind="advice")
                self._show_dataset(self.data_spec.dataset)
            else:
                self.set_data(self._own)
            return
        self.set_data(replace(self.data_spec, dataset=self.dataset, features=self._features_for(self.dataset)))
        self.say("data", "")

    def _features_for(self, dataset: str) -> tuple[str, ...]:
        """The features to feed ``dataset``, moving from the current data. Into 1-D data: only
        the features of x1 (the plane's are remembered); back onto the plane: the remembered
        ones, at least x1 and x2 (x1 alone, checkerboard could never be learned)."""
        features, was_one_d = self.data_spec.features, self.data_spec.dataset in ONE_D
        if dataset in ONE_D:
            if not was_one_d:
                self._plane_features = features
            return tuple(f for f in features if "x2" not in f) or ("x1",)
        if was_one_d:
            remembered = self._plane_features
            return remembered if any("x2" in f for f in remembered) else ("x1", "x2")
        return features

    # --- changing the experiment -----------------------------------------------------------------
    def set_data(self, data: DataSpec) -> None:
        """New data (regenerated from its seed); the model adapts its inputs and head."""
        self.running = False
        self.data_spec = data
        self.model_spec = fit_model(self.model_spec, data)
        self._show_dataset(data.dataset)
        self._build()
        self._no_longer_the_demonstration()
        self.param.trigger("state_changed")

    def load_own_data(self, points) -> None:
        """Train on rows read from a CSV (``csv_data.Points``: already scaled onto the plane)."""
        rows = tuple((float(a), float(b), v.item()) for (a, b), v in zip(points.points, points.values))
        features = tuple(f for f in self.data_spec.features if "x2" in f or "x1" in f) or ("x1", "x2")
        if self.data_spec.dataset in ONE_D or self.data_spec.dataset == "digits":
            features = ("x1", "x2")
        spec = DataSpec(dataset="own", rows=rows, own_kind=points.kind, features=features, own_names=own_names(points),
                        train_ratio=self.data_spec.train_ratio, seed=self.data_spec.seed)
        self.set_data(spec)

    def names(self) -> tuple[tuple[str, str], tuple[str, ...]]:
        """(axis names, class names) the views label the data with: own data's column and
        class names as its CSV gave them (they go with the link, as the rows do), otherwise
        x1 and x2, and no class names."""
        names = self.data_spec.own_names
        if self.data_spec.dataset == "own" and len(names) >= 2:
            return tuple(names[:2]), tuple(names[2:])
        return ("x1", "x2"), ()

    def drawable_data(self) -> DataSpec:
        """The current points as a custom (drawn) dataset, to add to or remove from; at most
        half the drawing budget is taken from generated data, so there is room to draw."""
        if self.data_spec.kind != "classification" or not has_plane(self.data_spec):
            raise ValueError("only 2D classification data can be drawn on")
        if self.data_spec.dataset in ONE_D:  # its points lie on a line: drawn ones would not
            raise ValueError("1-D data has one input, no plane to draw on; pick a 2D dataset first")
        d = self.data
        points = np.concatenate([d.points_train, d.points_test])[:MAX_DRAWN // 2]
        labels = np.concatenate([d.y_train, d.y_test])[:MAX_DRAWN // 2]
        drawn = tuple((float(x), float(y), int(c)) for (x, y), c in zip(points, labels) if int(c) < 5)
        return replace(self.data_spec, dataset="custom", drawn=drawn)

    def draw_point(self, x: float, y: float, label: int | None) -> None:
        """Add a point of class ``label`` at (x, y), or (label None) remove the nearest one."""
        copied = self.data_spec.dataset != "custom"
        spec = self.drawable_data() if copied else self.data_spec
        rows = list(spec.drawn)
        if label is None:
            if not rows:
                return
            near = int(np.argmin([(rx - x) ** 2 + (ry - y) ** 2 for rx, ry, _ in rows]))
            if (rows[near][0] - x) ** 2 + (rows[near][1] - y) ** 2 > 0.8 ** 2:
                return  # nothing close enough to remove
            rows.pop(near)
        else:
            if len(rows) >= MAX_DRAWN:
                raise ValueError(f"drawn: at most {MAX_DRAWN} points")
            rows.append((x, y, label))
        before = len(self.data.x_train) + len(self.data.x_test)
        self.set_data(replace(spec, drawn=tuple(rows)))
        if copied:  # the data was replaced: say so, and by what
            kept = len(spec.drawn)
            self.say("draw", f"Drawing made these points your own drawn data: {kept} of the {before} points "
                             f"were kept (drawn data holds at most {MAX_DRAWN}), with your point added. "
                             "Pick a dataset to go back.", kind="advice")

    def set_model(self, model: ModelSpec) -> None:
        """A new architecture or initialisation: a freshly initialised network, same data."""
        model_fits_data(model, self.data_spec)
        self.running = False
        self.model_spec = model
        self._new_trainer()
        self._no_longer_the_demonstration()
        self.param.trigger("state_changed")

    def _no_longer_the_demonstration(self) -> None:
        """The experiment changed: it is no longer the demonstration as captioned. Only once the
        new specs are in place: clearing the preset tells the controls to re-read the session,
        and read before, they put the old values back into the widgets in the middle of the
        person's change (a neuron count typed after a preset came back as the preset's, while
        Python trained the typed one)."""
        self.view.preset = ""

    def set_train(self, train: TrainSpec) -> None:
        """Learning rate, optimizer, batch, regularization: applied on the fly, nothing reset."""
        self.train_spec = train
        self.trainer.set_train_spec(train)
        if self._start_loss == float("inf"):  # after a pause for an exploding loss, watch again
            self._start_loss = self.train_loss
        self.param.trigger("state_changed")

    def experiment(self) -> Experiment:
        view = {k: getattr(self.view, k) for k in VIEW_FIELDS}
        return Experiment(self.data_spec, self.model_spec, self.train_spec, view)

    def apply(self, experiment: Experiment) -> None:
        """Become ``experiment`` (already validated): data, fresh weights, view choices."""
        self.running = False
        self.data_spec, self.model_spec, self.train_spec = experiment.data, experiment.model, experiment.train
        self._show_dataset(experiment.data.dataset)
        self._build()
        self.view.param.update(**{k: v for k, v in experiment.view.items() if k != "layer"})
        if experiment.view.get("layer") in self.view.param.layer.objects:
            self.view.layer = experiment.view["layer"]
        self.param.trigger("state_changed")

    def _publish(self, redraw: bool = True, figures=None) -> None:
        """Copy the trainer's figures into watched parameters, record history, redraw
        (unless ``redraw`` is False). ``figures``: (metrics, epoch, steps, state) of a copy
        of the network evaluated over several frames, instead of the live one's now.

        On divergence the network goes back to the previous frame's weights (finite, unlike
        the overflowed ones), so every view keeps showing the last sensible state."""
        t = self.trainer
        # may itself find the divergence (the loss over all points overflowing)
        m, epoch, steps, state = figures or (t.metrics(), t.epoch, t.steps, t.network.state)
        if t.diverged:
            t.network.load_state(self._last_good)
            m, epoch, steps, state = t.metrics(), t.epoch, t.steps, t.network.state
        self._check_explosion(m["train"]["loss"])
        self.history.record(epoch, steps, m, state)
        self.metrics = m  # accuracy and confusion matrices, or RMSE and R²: the metrics view reads them
        self.param.update(epoch=epoch, train_loss=m["train"]["loss"], test_loss=m["test"]["loss"],
                          checkpoints=len(self.history.checkpoints.items))
        if t.diverged:
            self.param.update(running=False, message=t.diverged)
        else:
            self._last_good = t.network.state()
            self._check_stop(m["test"])
        if redraw or t.diverged:
            self._bump()

    def _check_stop(self, test: dict) -> None:
        """Pause at the stop condition the person set (an epoch, a test loss, a test accuracy)."""
        if not self.running:
            return
        t, spec = self.trainer, self.train_spec
        reached = None
        if spec.stop_epoch and t.epoch >= spec.stop_epoch:
            reached = f"epoch {spec.stop_epoch}"
        elif spec.stop_test_loss and test["loss"] is not None and test["loss"] <= spec.stop_test_loss:
            reached = f"a test loss of {test['loss']:.3f} (target {spec.stop_test_loss:g})"
        elif spec.stop_test_accuracy and (test.get("accuracy") or 0) >= spec.stop_test_accuracy:
            reached = f"a test accuracy of {100 * test['accuracy']:.1f}% (target {100 * spec.stop_test_accuracy:g}%)"
        if reached:
            self.param.update(running=False, message=f"Paused: reached {reached} at epoch {t.epoch}. "
                                                     "Raise or clear the target (Training card) to go on.")

    def _check_explosion(self, loss: float | None) -> None:
        """Pause once when the loss grows EXPLODED times above its start: with finite numbers
        (Adam's steps are bounded) a far too high learning rate shows up this way, not as NaN.
        Play goes on from there if the person wants to watch; a new start re-arms the check."""
        if loss is None or self.trainer.diverged:
            return
        if self._start_loss is None:
            self._start_loss = loss
        elif self._start_loss != float("inf") and loss > EXPLODED * max(self._start_loss, 1e-3):
            lr = self.trainer.optimizer.lr
            self.param.update(running=False, message=(
                f"Training paused: the loss exploded to {loss:.3g}, {loss / max(self._start_loss, 1e-3):.0f}× "
                f"where it started ({self._start_loss:.3g}). A learning rate of {lr:g} is too high here: "
                f"try a lower learning rate ({lr / 10:g} or less) and press Reset. (Play continues anyway.)"))
            self._start_loss = float("inf")  # said once

    def _bump(self) -> None:
        self.frame += 1

    # --- what the views draw -------------------------------------------------------------------
    def network(self) -> Network:
        """The network on screen: the live one, or the checkpoint being looked at."""
        i = self.view.checkpoint
        items = self.history.checkpoints.items
        if i < 0 or i >= len(items):
            return self.trainer.network
        key, net = self._checkpoint_net
        if key != (id(self.history), i):
            net = self.checkpoint_network(i)
            self._checkpoint_net = ((id(self.history), i), net)
        return net

    def checkpoint_network(self, i: int) -> Network:
        """A new network with the weights of the ``i``-th history checkpoint."""
        net = Network(self.model_spec)
        net.load_state(self.history.checkpoints.items[i][2])
        return net

    def checkpoint_scene(self, i: int, scale: float, share: float) -> SceneInPieces:
        """The scene of the ``i``-th checkpoint's network (the Layers tab's grid draws several),
        sized to ``scale`` x a frame's budget (``frame_work.scene_size``) and evaluated in pieces
        of ``share`` x a frame's budget, so that drawing it while training slows no frame much."""
        rows = max(1, int(share * rows_per_frame(self._cost[0])))
        return SceneInPieces(self.checkpoint_network(i), self.data_spec, self.data, self.view.grid_lines, scale, rows)

    def scene(self) -> Scene:
        """The current frame's scene, computed once however many views ask for it."""
        if self._scene_key != self.frame:
            self._scene = Scene(self.network(), self.data_spec, self.data, self.view.grid_lines, SCENE_FRAMES)
            self._scene_key = self.frame
        return self._scene

    def load_weights(self, experiment: Experiment, arrays) -> None:
        """Become ``experiment`` with these trained weights (an imported model file). The weights
        are checked first (shapes, numbers within MAX_WEIGHT), so a refusal changes nothing."""
        from .model_file import check_weights, variance_indices  # model_file imports state, as we do
        network = Network(experiment.model)
        arrays = check_weights(list(arrays), network.state(), variance_indices(network))
        self.apply(experiment)
        self.trainer.network.load_state(arrays)
        self.history = History()  # the imported weights start the history
        self._start_loss, self._last_good = None, self.trainer.network.state()
        self._publish()

    def parameter(self, key: str, layer: int, i: int, j: int) -> float:
        """The value ``edit_parameter`` would change (same arguments). Edits change the live
        network, so asking for one leaves a checkpoint being looked at: the diagram then shows
        the weights an edit starts from, not an older network's."""
        array, index = self._parameter_cell(key, layer, i, j)
        self.view.checkpoint = -1
        return float(array[index])

    def edit_parameter(self, key: str, layer: int, i: int, j: int, value: float) -> None:
        """Set one weight (``key`` "W", from neuron i to neuron j of the ``layer``-th Linear) or
        one bias ("b", of neuron j), as clicked in the network diagram. Training goes on from
        the edited network."""
        what = "weight" if key == "W" else "bias"
        if not is_number(value):
            raise ValueError(f"{what}: {shown(value)} is not a number")
        if not math.isfinite(value) or abs(value) > MAX_EDIT:
            raise ValueError(f"{what}: {shown(value)} is outside the allowed range "
                             f"-{MAX_EDIT:g} .. {MAX_EDIT:g}")
        array, index = self._parameter_cell(key, layer, i, j)
        self.view.checkpoint = -1
        array[index] = float(value)
        self._last_good = self.trainer.network.state()
        self._publish()

    def _parameter_cell(self, key: str, layer: int, i: int, j: int):
        """(array, index) of one weight or bias of the live network; ValueError if none."""
        linears = self.trainer.network.linear_layers()
        if key not in ("W", "b") or not 0 <= layer < len(linears):
            raise ValueError("weight: no such layer")
        array = linears[layer].params[key]
        index = (i, j) if key == "W" else (j,)
        if not all(0 <= k < n for k, n in zip(index, array.shape)):
            raise ValueError("weight: no such neuron")
        return array, index

    # --- verbs ---------------------------------------------------------------------------------
    def reset(self) -> None:
        """Re-initialise the weights (same weight seed: the same start), keep the data."""
        self.running = False
        self._new_trainer()

    def step(self) -> None:
        """One epoch, as TensorFlow Playground's step button does."""
        self.view.checkpoint = -1
        self.trainer.train_epoch()
        self._publish()

    def tick(self, budget_s: float = 0.010) -> int:
        """While running: train as many steps as fit in ``budget_s``, then publish once."""
        if not self.running:
            return 0
        self._check_stop(self.metrics["test"])  # Play with the target still met pauses at once
        if not self.running:
            return 0
        if self.view.checkpoint >= 0:
            self.view.checkpoint = -1  # training resumes from the live network
        steps, start = 0, time.perf_counter()
        while not self.trainer.diverged:
            spent = time.perf_counter() - start
            if spent >= budget_s:
                break
            # as many steps as the measured step cost says still fit (at most CHUNK between two
            # looks at the clock): a frame ends at most one step past its budget, where a fixed 8
            # steps of 8 layers of 128 at batch 1000 took ~0.4 s in CPython
            fit = (budget_s - spent) * steps / spent if steps and spent > 0 else 1
            chunk = max(1, min(CHUNK, int(fit)))
            self.trainer.train_steps(chunk)
            steps += chunk
        spent = time.perf_counter() - start
        if spent > 0:  # training speed, smoothed over frames (compare mode shows it per run)
            rate = steps / spent
            self.steps_per_s = rate if self.steps_per_s is None else 0.8 * self.steps_per_s + 0.2 * rate
        if self.trainer.diverged or not spread_out(*self._cost, self.view.grid_lines, has_plane(self.data_spec)):
            self._job = None
            self._publish()
        else:
            self._spread_frame()
        return steps

    def _spread_frame(self) -> None:
        """A large network's frame: the next rows of the pass under way, metrics (every point)
        and scene by turns, each on a copy of the weights taken when it began, so a frame's
        evaluation stays within ``frame_work.FRAME_MACS`` however large the network."""
        if self._job is None:
            self._job = self._figures_job() if self._figures_next else self._scene_job()
            self._figures_next = not self._figures_next
        spread, finish = self._job
        if spread.advance():
            self._job = None
            finish(spread.result())

    def _copy(self) -> Network:
        if self._eval_net is None:
            self._eval_net = Network(self.model_spec)
        self._eval_net.load_state(self.trainer.network.state())
        return self._eval_net

    def _figures_job(self):
        t, net = self.trainer, self._copy()
        epoch, steps, state = t.epoch, t.steps, net.state()
        n = len(t.x_train)
        x = t.x_train if t.x_test is None else np.concatenate([t.x_train, t.x_test])

        def finish(z):
            m = {"train": t.evaluate(t.x_train, t.y_train, z[:n]), "test": t.evaluate(t.x_test, t.y_test, z[n:])}
            self._publish(redraw=False, figures=(m, epoch, steps, lambda: state))
        return Spread(net.forward, x, rows_per_frame(self._cost[0])), finish

    def _scene_job(self):
        net = self._copy()
        scene = Scene(net, self.data_spec, self.data, self.view.grid_lines, SCENE_FRAMES, deferred=True)

        def finish(reps):
            scene.finish(reps)
            self._scene, self._scene_key = scene, self.frame + 1
            self._bump()
        return Spread(lambda x: net.representations(x.astype(np.float32)), scene.inputs,
                      rows_per_frame(self._cost[0])), finish
