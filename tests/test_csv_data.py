"""Own data from CSV: good files load exactly, bad rows are counted and named, nothing else escapes."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnweb.engine.csv_data import MAX_ROWS, PLANE_EXTENT, read_table, table_to_points


def test_a_good_file_with_a_header_and_word_labels():
    text = "height,weight,species\n1.0,10,cat\n2.0,30,dog\n3.0,20,cat\n"
    table = read_table(text)
    assert table.header == ["height", "weight", "species"] and table.preview(1) == [table.header, ["1.0", "10", "cat"]]
    data = table_to_points(table)
    assert data.kind == "classification" and data.class_names == ["cat", "dog"]
    assert data.values.tolist() == [0, 1, 0] and data.skipped == 0
    assert np.allclose(data.points.min(axis=0), -PLANE_EXTENT) and np.allclose(data.points.max(axis=0), PLANE_EXTENT)
    (o1, f1), (o2, f2) = data.scale
    assert np.allclose(data.points[:, 0], (np.array([1.0, 2.0, 3.0]) - o1) * f1)


def test_bad_rows_are_skipped_with_line_and_reason():
    text = "x,y,label\n0,0,0\n1,abc,1\n2\n3,3,\n4,4,1\n5,5,0\n"
    data = table_to_points(read_table(text))
    assert len(data.points) == 3 and data.skipped == 3
    assert data.problems == ["row 3: y 'abc' is not a number", "row 4 has 1 columns, expected 3", "row 5: the label is empty"]
    assert data.summary().startswith("3 rows used, 3 skipped: row 3: y 'abc' is not a number")


def test_regression_columns_and_choices():
    text = "a;b;c;target\n1;2;9;0.5\n2;3;8;1.25\n4;1;7;-3.0\n"
    table = read_table(text)  # semicolons are sniffed
    data = table_to_points(table, x1=0, x2=2, label=3)
    assert data.kind == "regression" and data.values.tolist() == [0.5, 1.25, -3.0]
    with pytest.raises(ValueError, match="three different columns"):
        table_to_points(table, 0, 0, 3)
    with pytest.raises(ValueError, match="column 9 does not exist"):
        table_to_points(table, 0, 1, 8)


@pytest.mark.parametrize("text, message", [
    ("", "is empty"), ("a,b\n1,2\n", "2 columns"), ("a,b,c\n", "no data rows"),
    ("x,y,l\n1,1,a\n2,2,a\n", "two classes"), ("x,y,l\n" + "".join(f"{i},{i},{i}\n" for i in range(12)) + "1,1,x\n",
                                                    "at most 10 classes"),
    ("x,y,l\n" + "1,1,0\n" * (MAX_ROWS + 1), f"at most {MAX_ROWS}"),
])
def test_files_that_cannot_be_used_say_why(text, message):
    with pytest.raises(ValueError, match=message):
        table_to_points(read_table(text))


cell = st.one_of(st.floats(-1e6, 1e6, allow_nan=False).map(repr), st.integers(-9, 9).map(str),
                 st.sampled_from(["", "abc", "nan", "inf", "1e999", '"1,5"']))


@settings(max_examples=300)
@given(st.lists(st.lists(cell, min_size=1, max_size=5), min_size=1, max_size=40))
def test_generated_files_load_or_refuse_cleanly(rows):
    text = "\n".join(",".join(r) for r in rows)
    try:
        data = table_to_points(read_table(text))
    except ValueError as err:
        assert str(err).startswith("csv: ")
        return
    assert len(data.points) + data.skipped <= len(rows)
    assert np.isfinite(data.points).all() and np.abs(data.points).max() <= PLANE_EXTENT + 1e-9
    assert len(data.points) == len(data.values) >= 2


@given(st.lists(st.tuples(st.floats(-100, 100), st.floats(-100, 100), st.integers(0, 3)), min_size=2, max_size=50))
def test_good_generated_files_keep_every_row_and_label(points):
    text = "x1,x2,label\n" + "\n".join(f"{a!r},{b!r},{c}" for a, b, c in points)
    if len({c for _, _, c in points}) < 2:
        with pytest.raises(ValueError, match="two classes"):
            table_to_points(read_table(text))
        return
    data = table_to_points(read_table(text))
    assert data.skipped == 0 and len(data.points) == len(points)
    names = data.class_names
    assert [names[v] for v in data.values] == [str(c) for _, _, c in points]
