"""The control panel: data, network and training settings, grouped like a product.

Every widget writes through one of the session's verbs (``set_data``, ``set_model``,
``set_train``), which validate the new spec; a refused value shows its message instead
of silently changing anything. Widgets are re-read from the session whenever the state
changes (a link opened, a preset applied), so they always show what is running.
"""
from __future__ import annotations

from dataclasses import replace

import panel as pn

from ..engine import FEATURES, ONE_D, LayerSpec
from ..engine.datasets import CURVES
from ..engine.spec import ACTIVATIONS, OPTIMIZERS, REGULARIZATIONS, WEIGHT_INITS
from .layout import SIDE_CARD, wrap_row
from .plain_text import MessageBox
from .screen_reader import unseen_label
from .session import Session

UI_MAX_LAYERS = 8
UI_MAX_WIDTH = 16          # the editor's limit per hidden layer (presets may go wider)
LEARNING_RATES = [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0]
REG_RATES = [0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0]
# What each control does, shown as its tooltip. The keys are also the names a classroom link
# can hide (``?hide=lr,optimizer``; see main.layout_from_query).
TOOLTIPS = {
    "noise": "How much the points scatter across the class boundaries (0-50 %).",
    "points": "How many points are generated; the split below divides them into training and test.",
    "ratio": "The share of the points the network learns from; the rest only measure it (test).",
    "classes": "How many classes blobs and spirals have.",
    "curve": "The function whose graph separates the two classes.",
    "turns": "How many times each spiral arm winds around the middle: more turns need wider layers.",
    "features": "What the network is fed for each point (x1, x2): the coordinates or functions of them.",
    "custom_feature": "Type an expression of x1 and x2, e.g. sin(3*x1)*x2, then Add. Allowed: + - * / ^, "
                      "numbers, pi, e, sin cos tan tanh exp log sqrt abs sign step.",
    "regenerate": "New random points of the same kind (the data seed goes up by one).",
    "add_layer": "Add a hidden layer like the last one.",
    "all_activation": "The nonlinearity after every hidden layer's weighted sum.",
    "all_dropout": "While training, zero this share of each hidden layer's outputs at random (never in the views).",
    "init": "How the initial weights are drawn.",
    "weight_seed": "The random seed of the initial weights: Reset with the same seed starts from the same weights.",
    "temperature": "Softmax temperature: above 1 softens the class probabilities, below 1 sharpens them.",
    "lr": "How big each step down the loss is. Too small: slow. Too large: the loss jumps or explodes.",
    "optimizer": "How gradients become steps: plain SGD, with momentum, or adaptive (RMSprop, Adagrad, Adam).",
    "momentum": "How much of the previous step carries into the next.",
    "beta1": "Adam: how long the average gradient remembers (0.9 = about 10 steps).",
    "beta2": "Adam: how long the average squared gradient remembers.",
    "batch": "Points per training step: small batches are noisy, large ones smooth but slower per epoch.",
    "reg": "Penalise large weights: L2 shrinks them all, L1 pushes many to exactly zero.",
    "reg_rate": "How strongly weights are penalised.",
    "stop_epoch": "Pause training at this epoch (0: never).",
    "stop_loss": "Pause once the test loss is at most this (0: never).",
    "stop_accuracy": "Pause once the test accuracy reaches this percentage (0: never).",
}
CARDS = ("data", "network", "training")  # whole cards a classroom link can hide too
MIXED = "(per layer)"
DROPOUTS = {MIXED: MIXED, "none": 0.0, "10%": 0.1, "20%": 0.2, "30%": 0.3, "50%": 0.5}  # while training only
FEATURE_LABELS = {"x1": "x1", "x2": "x2", "x1²": "x1^2", "x2²": "x2^2", "x1·x2": "x1*x2", "sin x1": "sin(x1)",
                  "sin x2": "sin(x2)"}
# What the menus show for each value (the values, and so links, stay the engine's names)
NORM_LABELS = {"none": "none", "batchnorm": "BatchNorm", "layernorm": "LayerNorm",
               "l2": "unit length (L2)"}  # not "L2": that would read as L2 regularization
ACTIVATION_LABELS = {"linear": "linear", "sigmoid": "sigmoid", "tanh": "tanh", "relu": "ReLU",
                     "leaky_relu": "Leaky ReLU", "gelu": "GELU", "softplus": "softplus", "step": "step"}
INIT_LABELS = {"zeros": "zeros", "uniform": "uniform", "normal": "normal", "glorot_uniform": "Glorot (Xavier) uniform",
               "glorot_normal": "Glorot (Xavier) normal", "he_uniform": "He uniform", "he_normal": "He normal",
               "lecun_normal": "LeCun normal"}
OPTIMIZER_LABELS = {"sgd": "SGD", "momentum": "SGD + momentum", "nesterov": "Nesterov momentum", "rmsprop": "RMSprop",
                    "adagrad": "Adagrad", "adam": "Adam", "adamw": "AdamW"}
REG_LABELS = {"none": "none", "l1": "L1 (sparse weights)", "l2": "L2 (small weights)"}


def menu(labels: dict, values) -> dict:
    """{label: value} options for a Select, in the engine's order (a value without a label shows as itself)."""
    return {labels.get(v, v): v for v in values}


def rate_label(rate: float) -> str:
    """0.00001, not 1e-05: a rate written as a person writes it."""
    return f"{rate:.6f}".rstrip("0").rstrip(".") if rate < 1 else f"{rate:g}"


class LayerRow:
    """One hidden layer in the editor: neurons, activation, normalization and a remove button."""

    def __init__(self, i: int):
        w = pn.widgets
        layer = f"hidden layer {i + 1}"
        # 4 px on the left, not Bokeh's 12: a link's (the digits') 128 showed as "12" in 52 px
        label = unseen_label(f"Neurons, {layer}")
        self.width = w.IntInput(value=1, start=1, end=UI_MAX_WIDTH, width=52, margin=(2, 1),
                                css_classes=["nnweb-layer-width"], label=label["label"],
                                stylesheets=[*label["stylesheets"], ".bk-input { padding-left: 4px; }"])
        self.activation = w.Select(options=menu(ACTIVATION_LABELS, ACTIVATIONS), width=109, margin=(2, 1),
                                   **unseen_label(f"Activation, {layer}"))
        self.norm = w.Select(options=menu(NORM_LABELS, NORM_LABELS), width=124, margin=(2, 1),
                             **unseen_label(f"Normalization, {layer}"))
        self.remove = w.Button(label="×", width=26, margin=(2, 1), description=f"Remove hidden layer {i + 1}")
        self.layout = pn.Row(pn.pane.HTML(f"<b>{i + 1}</b>", width=12, margin=(8, 1)), self.width, self.activation,
                             self.norm, self.remove, margin=0, visible=False, css_classes=["nnweb-layer-row"])

    def show(self, layer) -> None:
        """Show ``layer``'s settings (a link may carry up to 128 neurons: the box then allows it)."""
        self.width.end = max(UI_MAX_WIDTH, layer.width)
        self.width.value = layer.width
        self.activation.value, self.norm.value = layer.activation, layer.norm
        self.layout.visible = True

    def hide(self) -> None:
        self.layout.visible = False


class Controls(pn.viewable.Viewer):
    def __init__(self, session: Session, **params):
        super().__init__(**params)
        self.session = session
        # each refusal beside what was refused: one box per card, and the custom feature's
        # own, floating under its box so that a refusal does not move the controls below
        self.errors = {card: MessageBox() for card in CARDS}
        self.feature_error = MessageBox(floating=True)
        self._syncing = False
        w = pn.widgets
        # --- data
        self.noise = w.IntSlider(label="Noise (%)", start=0, end=50, step=5, width=250)
        self.points = w.IntSlider(label="Points", start=50, end=2000, step=50, width=250)
        self.ratio = w.IntSlider(label="Training data (%)", start=10, end=90, step=10, width=250)
        self.classes = w.IntSlider(label="Classes", start=3, end=5, width=250)
        self.curve = w.Select(label="Boundary x2 = f(x1)", options=list(CURVES), width=250)
        self.turns = w.FloatSlider(label="Turns", start=0.25, end=3.0, step=0.05, width=250)
        self.features = w.CheckBoxGroup(options=FEATURE_LABELS, inline=True, width=300,  # custom ones wrap
                                        stylesheets=[".bk-input-group { flex-wrap: wrap; row-gap: 4px; }"])
        self.custom_feature = w.TextInput(placeholder="custom feature, e.g. sin(3*x1)*x2", width=230,
                                          css_classes=["nnweb-custom-feature"], **unseen_label("Custom feature"))
        self.add_feature = w.Button(label="Add", width=60, css_classes=["nnweb-add-feature"])
        self.add_feature.on_click(lambda _: self._add_feature())
        self.custom_feature.param.watch(lambda _: self._add_feature(), "enter_pressed")
        self.regenerate = w.Button(label="Regenerate data", width=130, css_classes=["nnweb-regenerate"])
        self.as_they_are = pn.pane.HTML("<small>Your own points are used as they are: noise, point count "
                                        "and Regenerate apply to generated data only.</small>", margin=(0, 10),
                                        css_classes=["nnweb-as-they-are"])
        for widget in (self.noise, self.points, self.ratio, self.classes, self.curve, self.turns, self.features):
            widget.param.watch(self._data_changed, "value")
        self.regenerate.on_click(lambda _: self._guard(lambda: session.set_data(
            replace(session.data_spec, seed=(session.data_spec.seed + 1) % 2**31)), "data"))
        # --- network
        # a row per hidden layer, made when a network first has that many (sync: _layer_rows)
        self.rows: list[LayerRow] = []
        self.layers_box = pn.Column(margin=0)
        self.add_layer = w.Button(label="+ layer", width=80)
        self.add_layer.on_click(lambda _: self._edit_layers(lambda ls: ls + [ls[-1] if ls else LayerSpec(4)]))
        self.all_activation = w.Select(label="Activation, all layers", options={MIXED: MIXED, **menu(ACTIVATION_LABELS, ACTIVATIONS)}, width=140)
        self.all_activation.param.watch(lambda e: self._set_all_layers("activation", e.new), "value")
        self.all_dropout = w.Select(label="Dropout, all layers", options=DROPOUTS, width=140)
        self.all_dropout.param.watch(lambda e: self._set_all_layers("dropout", e.new), "value")
        self.init = w.Select(label="Initializer", options=menu(INIT_LABELS, WEIGHT_INITS), width=175)
        self.weight_seed = w.IntInput(label="Weight seed", start=0, end=2**31 - 1, width=120)
        self.temperature = w.FloatInput(label="Softmax temperature", start=0.01, end=100, step=0.1, width=125)
        for widget in (self.init, self.weight_seed, self.temperature):
            widget.param.watch(self._model_changed, "value")
        # --- training
        self.lr = w.Select(label="Learning rate", options={rate_label(r): r for r in LEARNING_RATES}, width=125)
        self.optimizer = w.Select(label="Optimizer", options=menu(OPTIMIZER_LABELS, OPTIMIZERS), width=165)
        self.momentum = w.FloatInput(label="Momentum", start=0, end=0.999, step=0.05, width=80)
        self.beta1 = w.FloatInput(label="β1", start=0, end=0.9999, step=0.01, width=80)
        self.beta2 = w.FloatInput(label="β2", start=0, end=0.99999, step=0.001, width=80)
        self.batch = w.IntSlider(label="Batch size", start=1, end=100, width=250)
        self.reg = w.Select(label="Regularization", options=menu(REG_LABELS, REGULARIZATIONS), width=165)
        self.reg_rate = w.Select(label="Rate", options={rate_label(r): r for r in REG_RATES}, width=125)
        self.stop_epoch = w.IntInput(label="Pause at epoch", start=0, end=1_000_000, width=100)
        self.stop_loss = w.FloatInput(label="or test loss ≤", start=0, end=1000, step=0.01, width=100)
        self.stop_accuracy = w.FloatInput(label="or test acc. ≥ %", start=0, end=100, step=1, width=100)
        for widget in (self.lr, self.optimizer, self.momentum, self.beta1, self.beta2, self.batch, self.reg,
                       self.reg_rate, self.stop_epoch, self.stop_loss, self.stop_accuracy):
            widget.param.watch(self._train_changed, "value")
        for name, text in TOOLTIPS.items():
            getattr(self, name).description = text
        self.hidden: set[str] = set()
        session.param.watch(lambda *_: self.sync(), "state_changed")
        self.sync()

    def hide(self, names) -> list[str]:
        """Hide controls (and whole cards) by name, for a classroom link; returns unknown names."""
        known = set(TOOLTIPS) | set(CARDS)
        self.hidden = {n for n in names if n in known}
        self.sync()
        return [n for n in names if n not in known]

    # --- from the session to the widgets ---------------------------------------------------------
    def sync(self) -> None:
        d, m, t = self.session.data_spec, self.session.model_spec, self.session.train_spec
        self._syncing = True
        try:
            self.noise.value = int(round(d.noise * 100))
            self.points.end = 1797 if d.dataset == "digits" else 2000
            self.points.value = d.points
            self.ratio.value = int(round(d.train_ratio * 100))
            self.classes.value = d.classes
            self.classes.visible = d.dataset in ("blobs", "spirals")  # drawn data: classes come from the points
            # a person's own points (drawn or from a CSV) are used as they are: nothing to generate
            generated = d.dataset not in ("own", "custom")
            self.noise.visible = self.points.visible = self.regenerate.visible = generated
            self.as_they_are.visible = not generated
            self.curve.value, self.curve.visible = d.curve, d.dataset == "function"
            self.turns.value, self.turns.visible = d.turns, d.dataset == "spiral"
            custom = {name: name for name in d.features if name not in FEATURES}
            self.features.options = {**FEATURE_LABELS, **custom}
            self.features.value = list(d.features)
            self.custom_feature.visible = self.add_feature.visible = d.dataset not in ONE_D + ("digits",)
            self.features.visible = d.dataset != "digits"
            self.features.disabled = d.dataset in ONE_D
            self.init.value, self.weight_seed.value = m.weight_init, m.seed
            self.temperature.value, self.temperature.visible = m.temperature, m.head == "softmax"
            self.lr.value = min(LEARNING_RATES, key=lambda r: abs(r - t.learning_rate))
            self.optimizer.value, self.batch.value = t.optimizer, min(t.batch_size, 100)
            self.momentum.value, self.beta1.value, self.beta2.value = t.momentum, t.beta1, t.beta2
            self.momentum.visible = t.optimizer in ("momentum", "nesterov")
            self.beta1.visible = self.beta2.visible = t.optimizer in ("adam", "adamw")
            self.reg.value = t.regularization
            self.reg_rate.value = min(REG_RATES, key=lambda r: abs(r - t.regularization_rate))
            self.reg_rate.disabled = t.regularization == "none"
            self.stop_epoch.value, self.stop_loss.value = t.stop_epoch, t.stop_test_loss
            self.stop_accuracy.value = round(100 * t.stop_test_accuracy, 2)
            self.stop_accuracy.visible = d.kind == "classification"
            kinds = {layer.activation for layer in m.layers}
            self.all_activation.value = kinds.pop() if len(kinds) == 1 else MIXED
            rates = {layer.dropout for layer in m.layers}
            self.all_dropout.value = rates.pop() if len(rates) == 1 and rates <= set(DROPOUTS.values()) else MIXED
            self._layer_rows(m.layers)
            for name in self.hidden & set(TOOLTIPS):  # a classroom link hid these
                getattr(self, name).visible = False
            if "custom_feature" in self.hidden:
                self.add_feature.visible = False
        finally:
            self._syncing = False

    def _layer_row(self, i: int) -> LayerRow:
        """The editor's row for hidden layer ``i``: made the first time a network has that many
        layers, then kept, shown while that layer exists. Rows are never rebuilt, so a click on
        one always reaches the app (a row replaced while the click travelled from the page used
        to swallow it); nor made ahead: the eight rows of UI_MAX_LAYERS, most of them hidden,
        were ~40 of the page's ~430 models, each drawn in the first picture."""
        row = LayerRow(i)
        for widget in (row.width, row.activation, row.norm):
            widget.param.watch(lambda _, i=i: self._layer_edited(i), "value")
        row.remove.on_click(lambda _, i=i: self._edit_layers(lambda ls: ls[:i] + ls[i + 1:]))
        return row

    def _layer_rows(self, layers) -> None:
        new = [self._layer_row(i) for i in range(len(self.rows), len(layers))]
        if new:  # appended: the rows on the page keep their models
            self.rows += new
            self.layers_box.extend(row.layout for row in new)
        for row, layer in zip(self.rows, layers):
            row.show(layer)
        for row in self.rows[len(layers):]:
            row.hide()
        self.add_layer.disabled = len(layers) >= UI_MAX_LAYERS

    def _layer_edited(self, i: int) -> None:
        if self._syncing or i >= len(self.session.model_spec.layers):
            return
        row, was = self.rows[i], self.session.model_spec.layers[i].width
        if row.width.value != was and not 1 <= row.width.value <= UI_MAX_WIDTH:
            return self._refuse(f"layer {i + 1}: {row.width.value} neurons is outside the editor's range "
                                f"1 .. {UI_MAX_WIDTH}", self.errors["network"])
        self._edit_layers(lambda ls: ls[:i] + [replace(ls[i], width=row.width.value, activation=row.activation.value,
                                                       norm=row.norm.value)] + ls[i + 1:])

    # --- from the widgets to the session ---------------------------------------------------------
    def _guard(self, action, where: str | MessageBox) -> None:
        """Run a change made by a person; a refused value shows why, in the box of the card
        (``where``: a card's name) or control (a MessageBox) it came from, and the widgets go
        back to what runs. Widget events caused by ``sync`` itself are not changes and are ignored."""
        if self._syncing:
            return
        box = self.errors[where] if isinstance(where, str) else where
        try:
            action()
            for refusal in (*self.errors.values(), self.feature_error):  # a change went through: all out of date
                refusal.clear()
        except ValueError as err:
            self._refuse(str(err), box)

    def _refuse(self, message: str, box: MessageBox) -> None:
        box.show(f"Not applied: {message}")
        self.sync()

    def _data_changed(self, _) -> None:
        s = self.session
        self._guard(lambda: s.set_data(replace(
            s.data_spec, noise=self.noise.value / 100, points=self.points.value, train_ratio=self.ratio.value / 100,
            classes=self.classes.value, curve=self.curve.value, features=self._chosen_features(),
            # the slider shows 0.05 steps: a link's 0.6303 stays as it is until the slider moves
            turns=s.data_spec.turns if abs(self.turns.value - s.data_spec.turns) < 1e-9 else self.turns.value)), "data")

    def _chosen_features(self, extra: str | None = None) -> tuple[str, ...]:
        """Ticked built-in features in their usual order, then custom ones in the order added."""
        ticked = list(self.features.value) + ([extra] if extra else [])
        return tuple(f for f in FEATURES if f in ticked) + tuple(dict.fromkeys(f for f in ticked if f not in FEATURES))

    def _add_feature(self) -> None:
        """A typed expression of x1 and x2 becomes an input feature (checked by the safe parser)."""
        text = (self.custom_feature.value or "").strip()
        if not text:
            return
        s = self.session
        self._guard(lambda: s.set_data(replace(s.data_spec, features=self._chosen_features(text))), self.feature_error)
        if not self.feature_error.visible:
            self.custom_feature.value = ""

    def _edit_layers(self, edit) -> None:
        s = self.session
        self._guard(lambda: s.set_model(replace(s.model_spec, layers=tuple(edit(list(s.model_spec.layers))))), "network")

    def _set_all_layers(self, field: str, value) -> None:
        """One setting for every hidden layer ("(per layer)" is only a display, not a choice)."""
        if value != MIXED:
            self._edit_layers(lambda ls: [replace(layer, **{field: value}) for layer in ls])

    def _model_changed(self, _) -> None:
        s = self.session
        self._guard(lambda: s.set_model(replace(s.model_spec, weight_init=self.init.value, seed=self.weight_seed.value,
                                                temperature=self.temperature.value)), "network")

    def _train_changed(self, _) -> None:
        s = self.session
        self._guard(lambda: s.set_train(replace(
            s.train_spec, learning_rate=self.lr.value, optimizer=self.optimizer.value, momentum=self.momentum.value,
            beta1=self.beta1.value, beta2=self.beta2.value, batch_size=self.batch.value,
            regularization=self.reg.value, regularization_rate=self.reg_rate.value,
            stop_epoch=self.stop_epoch.value or 0, stop_test_loss=self.stop_loss.value or 0.0,
            stop_test_accuracy=(self.stop_accuracy.value or 0.0) / 100)), "training")

    def __panel__(self):
        data = pn.Card(self.as_they_are, self.noise, self.points, self.ratio, self.classes, self.curve, self.turns,
                       pn.pane.HTML("<small>Input features</small>", margin=(0, 10)), self.features,
                       wrap_row(self.custom_feature, self.add_feature), self.feature_error,
                       self.regenerate, self.errors["data"], title="Data", **SIDE_CARD)
        network = pn.Card(pn.pane.HTML("<small>Hidden layers: neurons · activation · normalization</small>",
                                       margin=(0, 10)),
                          self.layers_box, self.add_layer, wrap_row(self.all_activation, self.init),
                          wrap_row(self.weight_seed, self.temperature), self.all_dropout, self.errors["network"],
                          title="Network", **SIDE_CARD)
        training = pn.Card(wrap_row(self.lr, self.optimizer), wrap_row(self.momentum, self.beta1, self.beta2),
                           self.batch, wrap_row(self.reg, self.reg_rate),
                           wrap_row(self.stop_epoch, self.stop_loss, self.stop_accuracy), self.errors["training"],
                           title="Training", **SIDE_CARD)
        cards = {"data": data, "network": network, "training": training}
        for name, card in cards.items():
            card.visible = name not in self.hidden
        return pn.Column(*cards.values(), margin=0)
