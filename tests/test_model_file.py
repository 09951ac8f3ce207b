"""Model files: export then import restores the function exactly; bad files are refused clearly."""
import json

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nnweb.app.model_file import export_model, import_model
from nnweb.app.presets import BY_KEY
from nnweb.app.session import Session


def trained_session():
    s = Session()
    s.apply(BY_KEY["disks-3"].experiment)
    s.trainer.train_steps(300)
    return s


def test_export_import_restores_predictions_exactly():
    s = trained_session()
    text = export_model(s.experiment(), s.trainer.network)
    other = Session()
    other.load_weights(*import_model(text))
    x = s.data.x_test
    np.testing.assert_array_equal(other.trainer.network.predict(x), s.trainer.network.predict(x))
    assert other.experiment() == s.experiment()


@pytest.mark.parametrize("edit,message", [
    (lambda d: d.update(format="other"), "not an nnweb model"),
    (lambda d: d.update(version=7), "version 7"),
    (lambda d: d["weights"].pop(), "expected 8 arrays"),
    (lambda d: d["weights"].__setitem__(0, [[1, 2]]), "weights[0]: shape (1, 2)"),
    (lambda d: d["weights"][1].__setitem__(0, "x"), "weights[1]: not an array of numbers"),
    (lambda d: d["experiment"]["model"].update(seed=-1), "model.seed"),
])
def test_bad_files_say_what_is_wrong(edit, message):
    s = trained_session()
    data = json.loads(export_model(s.experiment(), s.trainer.network))
    edit(data)
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("(", r"\(").replace(")", r"\)")):
        import_model(json.dumps(data))


def test_non_finite_weights_are_refused():
    s = trained_session()
    text = export_model(s.experiment(), s.trainer.network).replace("[[", "[[NaN,", 1)
    with pytest.raises(ValueError):
        import_model(text)


@settings(max_examples=500, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400) | st.text(max_size=400))
def test_random_files_never_escape(blob):
    try:
        import_model(blob)
    except ValueError as err:
        assert str(err)
