"""Named actions a person can take on the built site, for the randomized stress test.

Each action is real input on a control that is visible at that moment: a Playwright click,
a key press, ``select_option`` on the visible ``<select>``, ``fill`` + Enter on a number box,
arrow keys on a focused slider handle. Its argument is drawn from the test's
``random.Random(seed)`` *before* the page is looked at, so one seed always draws the same
sequence whatever the app answers; only whether the control is there (visible, enabled)
depends on the page, and a skipped action is recorded as skipped. An argument that picks
among options the page offers at that moment (a representation, a neuron) is drawn as a
number in [0, 1) and mapped onto the options then shown.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Callable

from nnweb.app.controls import (ACTIVATION_LABELS, INIT_LABELS, LEARNING_RATES, NORM_LABELS, OPTIMIZER_LABELS,
                                 REG_LABELS, UI_MAX_WIDTH, menu, rate_label)
from nnweb.app.dataset_picker import NAMES
from nnweb.app.main import VIEW_TABS
from nnweb.app.presets import PRESETS
from nnweb.engine import DATASETS
from nnweb.engine.spec import ACTIVATIONS, OPTIMIZERS, REGULARIZATIONS, WEIGHT_INITS

TABS = (*VIEW_TABS, "Compare")
FAST_MS = 2_000  # a visible, enabled control answers to Playwright well within this


class Skipped(Exception):
    """The action's control is not on screen (or is disabled) right now: nothing was done."""


def group(page, title: str):
    """The input group (label + control) whose label is exactly ``title``."""
    return page.locator(".bk-input-group").filter(has=page.locator("label").get_by_text(title, exact=True))


def slider(page, title: str):
    """A Bokeh slider by the start of its title ("Noise (%): 20")."""
    return page.locator(".bk-input-group").filter(has=page.locator(".bk-slider-title", has_text=title))


TARGET: list = [None]  # the control the last action aimed at, to ask after a failed input


def aimed(item):
    """Remember ``item`` as the control about to get the input: if the input then fails, the
    test asks whether it is still on screen (one the previous action took away, such as
    Regenerate on choosing drawn data, is gone, not a control that ignores input)."""
    TARGET[0] = item
    return item


def visible(locator):
    """The first visible, enabled match of ``locator``, or Skipped."""
    for i in range(locator.count()):
        item = locator.nth(i)
        if item.is_visible():
            if not item.is_enabled():
                raise Skipped("disabled")
            return aimed(item)
    raise Skipped("not visible")


def neutral_focus(page) -> None:
    """Click the app's title, so that a key press goes to the page's key handler, not a field."""
    page.locator(".nnweb-title").first.click(timeout=FAST_MS)


@dataclass
class Action:
    """One kind of input: ``draw`` picks its argument from the seed's generator, ``perform``
    does it on the page (raising Skipped when its control is not there). ``refusable``: the
    app may answer it with a "Not applied" refusal, on purpose (an out-of-range value)."""
    name: str
    weight: float
    draw: Callable[[random.Random], object]
    perform: Callable[[object, object], object]
    refusable: Callable[[object], bool] = field(default=lambda arg: False)


def _select(title: str, options):
    """A menu, chosen by the label a person reads (``options``: labels)."""
    options = list(options)

    def perform(page, value):
        visible(group(page, title).locator("select")).select_option(str(value), timeout=FAST_MS)
    return lambda rng: rng.choice(list(options)), perform


def _select_shown(title: str):
    """A select whose options depend on the network on screen: the draw is a fraction."""
    def perform(page, u):
        box = visible(group(page, title).locator("select"))
        values = box.evaluate("(s) => [...s.options].map((o) => o.value)")
        value = values[int(u * len(values))]
        box.select_option(value, timeout=FAST_MS)
        return value
    return lambda rng: round(rng.random(), 3), perform


def _click(locator_of):
    def perform(page, _):
        visible(locator_of(page)).click(timeout=FAST_MS)
    return lambda rng: None, perform


def _tab(page, title):
    visible(page.locator(".bk-tab", has_text=title)).click(timeout=FAST_MS)


def _key(page, key):
    neutral_focus(page)
    page.keyboard.press(key)


def _slide(title: str):
    """Arrow keys on the focused handle: (key, presses)."""
    def perform(page, arg):
        key, presses = arg
        group_ = visible(slider(page, title))
        if group_.locator(".noUi-target[disabled]").count():
            raise Skipped("disabled")
        handle = visible(group_.locator(".noUi-handle"))
        handle.focus(timeout=FAST_MS)
        for _ in range(presses):
            page.keyboard.press(key)
    return lambda rng: (rng.choice(["ArrowLeft", "ArrowRight"]), rng.randint(1, 4)), perform


def _row_width(page, arg):
    """Type a neuron count into a layer row's box (some out of the editor's range: refused)."""
    u, width = arg
    rows = page.locator(".nnweb-layer-row")
    shown = [rows.nth(i) for i in range(rows.count()) if rows.nth(i).is_visible()]
    if not shown:
        raise Skipped("no layer rows")
    box = aimed(shown[int(u * len(shown))].locator(".nnweb-layer-width input"))
    box.fill(str(width), timeout=FAST_MS)
    box.press("Enter", timeout=FAST_MS)


def _row_select(which: int):
    """A layer row's activation (which=0) or normalization (which=1) select."""
    options = list(menu(ACTIVATION_LABELS, ACTIVATIONS)) if which == 0 else list(NORM_LABELS.values())  # labels

    def perform(page, arg):
        u, value = arg
        rows = page.locator(".nnweb-layer-row")
        shown = [rows.nth(i) for i in range(rows.count()) if rows.nth(i).is_visible()]
        if not shown:
            raise Skipped("no layer rows")
        aimed(shown[int(u * len(shown))].locator("select").nth(which)).select_option(value, timeout=FAST_MS)
    return lambda rng: (round(rng.random(), 3), rng.choice(options)), perform


def _remove_layer(page, u):
    buttons = page.get_by_role("button", name="×", exact=True)
    shown = [buttons.nth(i) for i in range(buttons.count()) if buttons.nth(i).is_visible()]
    if not shown:
        raise Skipped("no layer rows")
    aimed(shown[int(u * len(shown))]).click(timeout=FAST_MS)


def _radio(page, label):
    visible(page.locator(".bk-btn-group button", has_text=label)).click(timeout=FAST_MS)


def _checkbox(page, label):
    visible(page.locator("label").filter(has=page.get_by_text(label, exact=True))).click(timeout=FAST_MS)


def _player(page, which):
    visible(page.locator(f"button.{which}")).click(timeout=FAST_MS)


def _seed(page, value):
    box = visible(group(page, "Weight seed").locator("input"))
    box.fill(str(value), timeout=FAST_MS)
    box.press("Enter", timeout=FAST_MS)


ACTIONS = [
    Action("tab", 3, lambda rng: rng.choice(TABS), _tab),
    Action("play", 3, *_click(lambda p: p.locator(".nnweb-play button"))),
    Action("step", 2, *_click(lambda p: p.locator(".nnweb-step button"))),
    Action("reset", 1, *_click(lambda p: p.locator(".nnweb-reset button"))),
    Action("key", 2, lambda rng: rng.choice(["Space", "s", "r"]), _key),
    # drawn data ("custom") is refused, beside the choice, on regression and 1-D data
    Action("dataset", 2, *_select("Dataset", [NAMES[d] for d in DATASETS if d != "digits"]),
           refusable=lambda name: name == NAMES["custom"]),
    Action("preset", 1, *_select("Demonstrations", [p.title for p in PRESETS if not p.key.startswith("digits")])),
    Action("optimizer", 1.5, *_select("Optimizer", menu(OPTIMIZER_LABELS, OPTIMIZERS))),
    Action("learning_rate", 1.5, *_select("Learning rate", map(rate_label, LEARNING_RATES))),
    Action("activation_all", 1.5, *_select("Activation, all layers", menu(ACTIVATION_LABELS, ACTIVATIONS))),
    Action("initializer", 0.5, *_select("Initializer", menu(INIT_LABELS, WEIGHT_INITS))),
    Action("regularization", 0.5, *_select("Regularization", menu(REG_LABELS, REGULARIZATIONS))),
    Action("add_layer", 2, *_click(lambda p: p.get_by_role("button", name="+ layer", exact=True))),
    Action("remove_layer", 2, lambda rng: round(rng.random(), 3), _remove_layer),
    Action("layer_width", 2, lambda rng: (round(rng.random(), 3), rng.choice([*range(1, UI_MAX_WIDTH + 1), 0, 17, 40])),
           _row_width, refusable=lambda arg: not 1 <= arg[1] <= UI_MAX_WIDTH),
    Action("layer_activation", 1, *_row_select(0)),
    Action("layer_norm", 1, *_row_select(1)),
    Action("weight_seed", 0.5, lambda rng: rng.randint(0, 99), _seed),
    Action("noise", 1, *_slide("Noise (%)")),
    Action("points", 1, *_slide("Points")),
    Action("train_ratio", 0.5, *_slide("Training data (%)")),
    Action("batch", 1, *_slide("Batch size")),
    Action("grid_lines", 1, *_slide("Grid lines")),
    Action("azimuth", 1, *_slide("Azimuth")),
    Action("elevation", 0.5, *_slide("Elevation")),
    Action("checkpoint", 1, *_slide("Checkpoint")),
    Action("representation", 1, *_select_shown("Representation")),
    Action("neuron_x", 0.5, *_select_shown("Horizontal")),
    Action("neuron_y", 0.5, *_select_shown("Vertical")),
    Action("projection", 0.5, lambda rng: rng.choice(["Neurons", "PCA"]), _radio),
    Action("feature", 1, lambda rng: rng.choice(["x1", "x2", "x1²", "x2²", "x1·x2", "sin x1", "sin x2"]), _checkbox,
           refusable=lambda arg: True),  # unticking the last feature is refused, on purpose
    Action("show_test", 0.5, lambda rng: "Show test points", _checkbox),
    Action("morph_player", 1.5, lambda rng: rng.choice(["play", "pause", "reverse"]), _player),
    Action("regenerate", 0.5, *_click(lambda p: p.locator(".nnweb-regenerate button"))),
]
BY_NAME = {a.name: a for a in ACTIONS}


def draw_action(rng: random.Random) -> tuple[Action, object]:
    """The next action and its argument: a function of the generator's state only."""
    action = rng.choices(ACTIONS, weights=[a.weight for a in ACTIONS])[0]
    return action, action.draw(rng)
