"""Hostile inputs: a shared link, a model file or a CSV made to hurt the person who opens it.

Each is refused with one plain sentence (or read correctly), never with a crash: deep nesting
is refused before the JSON parser recurses (in Pyodide a deep enough input ends the page, not
in a RecursionError), huge weights before a view tries to colour what they compute, booleans
wherever a number is expected. Error messages quote the offending value with repr, cut short,
so markup comes back as text (escaping it is the page's job) and a long payload not whole.
"""
import base64
import json
import time
import zlib
from dataclasses import fields
from types import SimpleNamespace

import numpy as np
import param
import pytest

from nnweb.app import state
from nnweb.app.colors import classification_image, point_colors, regression_pixels, sign_colors
from nnweb.app.model_file import export_model, import_model
from nnweb.app.presets import BY_KEY
from nnweb.app.session import Session
from nnweb.app.state import Experiment, check_view, decode, encode
from nnweb.app.view_settings import ViewSettings
from nnweb.engine import DataSpec, LayerSpec, ModelSpec, TrainSpec
from nnweb.engine.csv_data import read_table, table_to_points

MARKUP = "<img src=x onerror=alert(1)>"
LONG = "<b>" + "x" * 20_000 + "</b>"


def link(raw: str) -> str:
    """A link carrying ``raw`` as its JSON, packed the way ``encode`` packs."""
    return "1." + base64.urlsafe_b64encode(zlib.compress(raw.encode(), 9)).rstrip(b"=").decode()


def refusal(call, *args) -> str:
    with pytest.raises(ValueError) as err:
        call(*args)
    return str(err.value)


def model_file(edit=None) -> str:
    """A valid model file of the default experiment, as a dict ``edit`` may change first."""
    s = Session()
    d = json.loads(export_model(s.experiment(), s.trainer.network))
    if edit:
        edit(d)
    return json.dumps(d)


# --- A. nesting, before parsing -----------------------------------------------------------------
@pytest.fixture
def no_parsing(monkeypatch):
    """json.loads must not even be called on these inputs (CPython survives 3,000 levels by
    raising RecursionError; Pyodide does not)."""
    def refuse(*_, **__):
        raise AssertionError("json.loads was called on a deeply nested input")
    monkeypatch.setattr(state.json, "loads", refuse)  # the json module itself, for every reader


def test_a_short_deeply_nested_link_is_refused_before_parsing(no_parsing):
    from nnweb.app.state import MAX_NESTING
    depth = 3000
    text = link("[" * depth + "]" * depth)
    assert len(text) < 100  # the 85-character link
    message = refusal(decode, text)
    assert message == f"link: the state nests lists or objects {depth:,} levels deep, at most {MAX_NESTING}"


def test_a_deeply_nested_model_file_is_refused_before_parsing(no_parsing):
    from nnweb.app.state import MAX_NESTING
    depth = 5000
    text = '{"format": "nnweb-model", "weights": ' + "[" * depth + "]" * depth + "}"
    message = refusal(import_model, text)
    assert message == f"model file: the file nests lists or objects {depth + 1:,} levels deep, at most {MAX_NESTING}"
    assert refusal(import_model, text.encode()) == message  # the upload arrives as bytes


def test_brackets_inside_strings_do_not_count():
    """A string of brackets (escaped quotes too) is text, not nesting: the refusal names the field."""
    tricky = '\\"' + "[" * 500 + "{" * 500
    message = refusal(decode, link(json.dumps({"view": {"preset": tricky}})))
    assert message.startswith("view.preset: ") and "levels deep" not in message


def test_every_preset_and_its_model_file_nest_far_below_the_limit():
    """The limit leaves room: measured on every preset's link and model file (a CSV's rows too)."""
    from nnweb.app.state import MAX_NESTING, nesting_depth
    texts = {}
    for key, preset in BY_KEY.items():
        s = Session()
        s.apply(preset.experiment)
        texts[f"{key} link"] = zlib.decompress(base64.urlsafe_b64decode(encode(s.experiment())[2:] + "==")).decode()
        texts[f"{key} model file"] = export_model(s.experiment(), s.trainer.network)
    own = Experiment(data=DataSpec(dataset="own", rows=((0, 0, 0), (1, 1, 1))))
    texts["own data"] = json.dumps({"format": "nnweb-model", "experiment": own.to_dict(), "weights": [[[0.0]]]})
    depths = {name: nesting_depth(text) for name, text in texts.items()}
    assert depths == {name: json_depth(json.loads(text)) for name, text in texts.items()}  # as the parser sees it
    print(f"deepest legit input: {max(depths.values())} levels ({max(depths, key=depths.get)})")
    assert max(depths.values()) * 4 <= MAX_NESTING, depths


def json_depth(value) -> int:
    """Nesting of a parsed value, the parser's way (a reference for ``nesting_depth``)."""
    if isinstance(value, dict):
        return 1 + max(map(json_depth, value.values()), default=0)
    if isinstance(value, list):
        return 1 + max(map(json_depth, value), default=0)
    return 0


def test_the_nesting_scan_is_cheap_on_the_largest_inputs():
    """5 MB of brackets (the worst case for the count), of escapes, of tiny strings (the worst
    case for the string pass) and one unterminated string."""
    from nnweb.app.model_file import MAX_BYTES
    from nnweb.app.state import nesting_depth
    worst = {"brackets": "[" * (MAX_BYTES // 2) + "]" * (MAX_BYTES // 2),
             "strings": '["' + '\\"[' * (MAX_BYTES // 3 - 2) + '"]',
             "empty strings": "[" + '"",' * (MAX_BYTES // 3 - 1) + '""]',
             "unterminated": '"' + '\\"' * (MAX_BYTES // 2 - 1)}
    for name, text in worst.items():
        start = time.perf_counter()
        depth = nesting_depth(text)
        spent = time.perf_counter() - start
        print(f"{name}: {len(text):,} characters, depth {depth:,}, {1000 * spent:.0f} ms")
        assert spent < 2.0, name  # measured ~0.1 s; generous for a loaded machine
    assert nesting_depth(worst["brackets"]) == MAX_BYTES // 2 and nesting_depth(worst["strings"]) == 1


def test_a_link_that_inflates_to_a_flood_is_refused_by_its_size():
    from nnweb.app.state import MAX_STATE_CHARS
    message = refusal(decode, link(json.dumps({"view": {"preset": "a" * (2 * MAX_STATE_CHARS)}})))
    assert message == f"link: the state unpacks to more than {MAX_STATE_CHARS:,} characters"


# --- B. huge weights ---------------------------------------------------------------------------
def test_huge_weights_in_a_model_file_are_refused_naming_the_limit():
    from nnweb.app.model_file import MAX_WEIGHT
    message = refusal(import_model, model_file(lambda d: d["weights"][0][0].__setitem__(0, 1e308)))
    assert message == f"weights[0]: 1e+308 is outside the allowed range {-MAX_WEIGHT:g} .. {MAX_WEIGHT:g}"
    at_limit = model_file(lambda d: d["weights"][0][0].__setitem__(0, MAX_WEIGHT))
    assert import_model(at_limit)[1][0][0, 0] == MAX_WEIGHT


def test_a_negative_running_variance_is_refused():
    """BatchNorm divides by sqrt(variance + eps): a negative one makes every output NaN."""
    s = Session()
    s.set_model(ModelSpec(layers=(LayerSpec(4, norm="batchnorm"),)))
    d = json.loads(export_model(s.experiment(), s.trainer.network))
    d["weights"][-1][0] = -1.0
    assert "(a running variance)" in refusal(import_model, json.dumps(d))


def test_the_weight_limit_keeps_the_largest_network_finite_where_the_views_compute():
    """The justification of MAX_WEIGHT: every parameter at the limit, in the deepest and widest
    network the specs allow, ReLUs (unbounded) after BatchNorm on a zero running variance (the
    largest gain), inputs from the largest built-in features: the scene, which falls back to
    float64 when float32 overflows, is still finite, so the views draw numbers."""
    from nnweb.app.model_file import MAX_WEIGHT, variance_indices
    from nnweb.app.scene import Scene
    from nnweb.engine.spec import MAX_HIDDEN_LAYERS, MAX_WIDTH
    data = DataSpec(features=("x1^2", "x2^2", "x1*x2"))
    layer = LayerSpec(MAX_WIDTH, "relu", norm="batchnorm", norm_after_activation=False)
    model = ModelSpec(inputs=3, layers=(layer,) * MAX_HIDDEN_LAYERS, norm_eps=1e-12)
    s = Session(data=data, model=model)
    net = s.trainer.network
    variances = variance_indices(net)
    s.load_weights(s.experiment(), [np.zeros_like(a) if i in variances else np.full_like(a, MAX_WEIGHT)
                                    for i, a in enumerate(net.state())])
    scene = Scene(s.network(), s.data_spec, s.data, s.view.grid_lines)
    assert scene.finite


def test_a_session_refuses_huge_weights_and_keeps_what_it_had():
    s = Session()
    before = [a.copy() for a in s.trainer.network.state()]
    arrays = s.trainer.network.state()
    arrays[0][0, 0] = 1e308
    assert "outside the allowed range" in refusal(s.load_weights, s.experiment(), arrays)
    for a, b in zip(s.trainer.network.state(), before):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("key", ["xor-2", "digits-pca", "batchnorm-linear", "wave", "plane"])
def test_a_network_that_computes_no_numbers_still_steps_and_draws_every_view(key):
    """The issue's 1e308 weights forced in (as a run blowing up could leave them): every view
    draws, Step says the run diverged instead of raising, and a change redraws."""
    from nnweb.app.main import VIEW_TABS, create_app
    s = Session()
    if key in BY_KEY:
        s.apply(BY_KEY[key].experiment)
    else:  # a regression dataset (no preset is one)
        s.set_data(DataSpec(dataset=key, features=("x1",) if key == "wave" else ("x1", "x2")))
    app = create_app(s)
    s.trainer.network.load_state([np.full_like(a, 1e308) for a in s.trainer.network.state()])
    s._last_good = s.trainer.network.state()
    with np.errstate(all="ignore"):
        s._publish()
        s.step()
        assert "diverged" in s.message
        for i in range(len(VIEW_TABS)):
            app._tab_changed(SimpleNamespace(new=i))
        s.view.projection = "pca"
        s.view.grid_lines = 13
        app.boundary.redraw()


def test_colour_lookups_draw_nan_and_infinity_in_the_neutral_colour():
    from nnweb.app.colors import NEUTRAL, hex_to_rgb, pack_rgba, rgba_rows
    pixel, row = pack_rgba(hex_to_rgb(NEUTRAL)), rgba_rows([NEUTRAL])[0]
    bad = np.array([np.nan, np.inf, -np.inf])
    assert (regression_pixels(bad) == pixel).all()
    assert (regression_pixels(np.array([0.5, 1.0]), limit=np.nan) == pixel).all()
    assert (classification_image(np.array([[np.nan], [np.inf], [-np.inf], [np.nan]]), 2) == pixel).all()
    assert (classification_image(np.array([[np.nan, 0.5], [np.inf, 0.0], [0.2, np.nan], [0.5, 0.5]]), 2)[:1]
            == pixel).all()
    for colours in (sign_colors(bad), point_colors("regression", bad), point_colors("classification", bad)):
        assert colours.dtype == np.uint8 and (colours == row).all()
    assert (regression_pixels(np.array([np.nan, 0.0]))[1] != pixel)  # a number keeps its colour


# --- C. booleans, whole numbers ------------------------------------------------------------------
def numeric_fields():
    """(spec class, field) for every number field of every spec, and every number view setting."""
    out = [(cls, f.name) for cls in (DataSpec, ModelSpec, LayerSpec, TrainSpec)
           for f in fields(cls) if f.type in ("int", "float")]
    out += [("view", name) for name in state.VIEW_FIELDS if isinstance(ViewSettings.param[name], param.Number)]
    return out


@pytest.mark.parametrize("spec,name", numeric_fields(), ids=lambda v: getattr(v, "__name__", v))
def test_booleans_are_refused_wherever_a_number_is_expected(spec, name):
    if spec == "view":
        kind = "int" if isinstance(ViewSettings.param[name], param.Integer) else "float"
        assert refusal(check_view, {name: True}) == f"view.{name}: expected {kind}, got True"
        return
    data = {name: True}
    if spec is LayerSpec:
        data["width"] = data.get("width", 4)
    assert "got True" in refusal(spec.from_dict, data)


def test_booleans_are_refused_as_weights_and_as_edits():
    assert refusal(import_model, model_file(lambda d: d["weights"][0][0].__setitem__(0, True))) \
        == "weights[0]: True is not a number"
    assert refusal(Session().edit_parameter, "W", 0, 0, 0, True) == "weight: True is not a number"


def test_an_integral_float_is_the_integer_and_a_fraction_says_whole_number():
    assert decode(link('{"view": {"grid_lines": 11.0}}')).view["grid_lines"] == 11
    assert refusal(decode, link('{"view": {"grid_lines": 11.5}}')) == "view.grid_lines: 11.5 must be a whole number"
    assert refusal(DataSpec.from_dict, {"points": 100.5}) == "data.points: 100.5 must be a whole number"


# --- D. markup and long values in messages ------------------------------------------------------
def string_fields():
    """Every place a link puts a string: choice fields of the specs, features, the view's strings,
    and field names themselves."""
    out = [({"data" if cls is DataSpec else "model" if cls is ModelSpec else "train": {f.name: None}}, f.name)
           for cls in (DataSpec, ModelSpec, TrainSpec) for f in fields(cls) if "choices" in f.metadata]
    out += [({"model": {"layers": [{"width": 4, f.name: None}]}}, f.name)
            for f in fields(LayerSpec) if "choices" in f.metadata]
    out += [({"data": {"features": [None]}}, "features"), ({"view": {"layer": None}}, "layer"),
            ({"view": {"projection": None}}, "projection"), ({"view": {"preset": None}}, "preset"),
            ({"data": {None: 1}}, "data key"), ({"view": {None: 1}}, "view key"), ({None: 1}, "state key")]
    return out


def fill(value, payload):
    if isinstance(value, dict):
        return {(payload if k is None else k): fill(v, payload) for k, v in value.items()}
    if isinstance(value, list):
        return [fill(v, payload) for v in value]
    return payload if value is None else value


@pytest.mark.parametrize("shape,name", string_fields(), ids=lambda v: v if isinstance(v, str) else "")
def test_markup_comes_back_quoted_unchanged_and_long_values_cut(shape, name):
    from nnweb.engine.spec import SHOWN_CHARS
    message = refusal(decode, link(json.dumps(fill(shape, MARKUP))))
    assert repr(MARKUP) in message
    message = refusal(decode, link(json.dumps(fill(shape, LONG))))
    assert repr(LONG)[:SHOWN_CHARS - 1] + "…" in message and len(message) < 4 * SHOWN_CHARS, message


def test_model_file_and_csv_messages_cut_long_values_too():
    from nnweb.engine.spec import SHOWN_CHARS
    message = refusal(import_model, model_file(lambda d: d.update(version=LONG)))
    assert len(message) < 2 * SHOWN_CHARS and repr(LONG)[:20] in message
    points = table_to_points(read_table(f"x,y,l\n{LONG},1,a\n1,2,a\n3,4,b\n"))
    assert len(points.problems[0]) < 2 * SHOWN_CHARS and "'<b>xxx" in points.problems[0]


# --- C. CSV files and empty files -----------------------------------------------------------------
def test_a_csv_with_old_mac_line_endings_is_read_row_by_row():
    text = "x,y,label\r1,2,a\r3,4,b\r5,6,a\r"
    table = read_table(text)
    assert table.header == ["x", "y", "label"] and table.rows == read_table(text.replace("\r", "\n")).rows


def test_an_over_long_field_is_refused_in_a_sentence():
    import csv
    message = refusal(read_table, "x,y,l\n1,2,a\n3,4," + "b" * (csv.field_size_limit() + 1) + "\n")
    assert message == (f"csv: line 3 has a value longer than {csv.field_size_limit():,} characters; "
                       "is this really a table?")


@pytest.mark.parametrize("bad", ["inf", "nan", "-Infinity"])
def test_a_regression_target_that_is_not_finite_skips_its_row(bad):
    rng = np.random.default_rng(1)
    rows = [f"{a:.3f},{b:.3f},{a * b:.4f}" for a, b in rng.normal(size=(41, 2))]
    rows.insert(7, f"1,2,{bad}")
    points = table_to_points(read_table("x,y,t\n" + "\n".join(rows)))
    assert points.kind == "regression" and len(points.points) == 41
    assert points.problems == [f"row 9: the t {bad!r} is not a finite number"]


def test_a_guessed_kind_says_why_eleven_whole_numbers_are_a_regression():
    from nnweb.engine.spec import MAX_CLASSES
    n = MAX_CLASSES + 1
    table = read_table("x,y,t\n" + "\n".join(f"{i},{i % 3},{i % n}" for i in range(3 * n)))
    points = table_to_points(table)
    assert points.kind == "regression"
    assert points.guess == (f"numbers to predict, because the column holds {n} different whole numbers, "
                            f"more than the {MAX_CLASSES} classes nnweb can show")
    assert "classes, because" in table_to_points(read_table("x,y,t\n1,2,0\n3,4,1\n")).guess
    assert table_to_points(table, kind="regression").guess == ""  # chosen, not guessed


def test_the_csv_card_says_what_it_guessed():
    from nnweb.app.csv_import import CsvImport
    card = CsvImport(Session())
    card._load("x,y,t\n" + "\n".join(f"{i},{i % 3},{i % 11}" for i in range(33)))
    card._use()
    assert "The t column was read as numbers to predict, because the column holds 11" in card.report.object


def test_empty_files_say_so():
    from nnweb.app.csv_import import CsvImport
    assert refusal(read_table, " \n\n") == "csv: the file is empty"
    assert refusal(import_model, b"") == "model file: the file is empty"
    card = CsvImport(Session())
    card.file.param.update(**card.file._process_property_change({"value": "", "filename": "empty.csv"}))
    assert "Not read: empty.csv is empty." in card.report.object
