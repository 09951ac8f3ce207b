"""Own data end to end in CPython: CSV card -> session -> link (kept, or marked local)."""
import numpy as np

from nnweb.app.csv_import import CsvImport
from nnweb.app.session import Session
from nnweb.app.state import decode, encode
from nnweb.engine.datasets import MAX_LINK_ROWS


def csv_text(n, seed=0, kind="classes"):
    rng = np.random.default_rng(seed)
    x = rng.uniform(0, 100, (n, 2))
    label = (x[:, 0] > x[:, 1]).astype(int) if kind == "classes" else x[:, 0] / 10 - x[:, 1] / 20
    lines = ["width,height,name,value"] + [f"{a:.3f},{b:.3f},row{i},{v}" for i, ((a, b), v) in enumerate(zip(x, label))]
    return "\n".join(lines + ["oops,1,bad,0"])


def test_the_card_reads_previews_picks_columns_and_trains():
    s = Session()
    card = CsvImport(s)
    card.text.value = csv_text(120)
    card.read.clicks += 1
    assert "width" in card.preview.object and card.use.visible and card.label.value == 3
    card.use.clicks += 1
    assert s.data_spec.dataset == "own" and s.dataset == "own" and s.model_spec.head == "sigmoid"
    assert "120 rows used, 1 skipped: row 122: width &#x27;oops&#x27; is not a number" in card.report.object
    assert len(s.data.points_train) + len(s.data.points_test) == 120
    assert np.abs(np.concatenate([s.data.points_train, s.data.points_test])).max() <= 5.0 + 1e-9
    s.running = True
    for _ in range(60):
        s.tick(0.005)
    assert s.trainer.metrics()["test"]["accuracy"] > 0.85  # x1 > x2 is learnable
    # the link carries the rows and reproduces the data
    again = Session()
    again.apply(decode(encode(s.experiment())))
    np.testing.assert_array_equal(again.data.points_train, s.data.points_train)


def test_regression_columns_and_a_wrong_choice():
    s = Session()
    card = CsvImport(s)
    card._load(csv_text(50, kind="numbers"))
    card.kind.value = "regression"
    card.use.clicks += 1
    assert s.data_spec.own_kind == "regression" and s.model_spec.head == "linear"
    card.label.value = card.x1.value  # the same column twice
    card.use.clicks += 1
    assert "three different columns" in card.report.object and s.data_spec.own_kind == "regression"


def test_large_data_makes_a_link_that_says_the_data_is_local():
    s = Session()
    card = CsvImport(s)
    card._load(csv_text(MAX_LINK_ROWS + 100))
    card.use.clicks += 1
    assert "the link will say the data is local" in card.report.object
    link = encode(s.experiment())
    try:
        decode(link)
        raise AssertionError("a local-data link opened without its data")
    except ValueError as err:
        assert "stayed on the sender's computer" in str(err)


def test_choosing_own_data_before_loading_any_says_how():
    s = Session()
    s.dataset = "own"
    place, text, kind = s.notice  # said beside the data choice, as advice, not in the status line
    assert s.dataset == "circle" and place == "data" and "load a CSV file" in text and kind == "advice"


def test_a_bad_file_is_refused_in_words():
    s = Session()
    card = CsvImport(s)
    card.file.value = b"\xff\xfe\x00bad"
    assert "not UTF-8" in card.report.object
    card._load("just,two\n1,2\n")
    assert "2 columns" in card.report.object and not card.use.visible
