"""Every preset's caption claim, measured over several weight/shuffle seeds."""
import statistics

import pytest

from nnweb.app.presets import PRESETS, measure, with_seed
from nnweb.app.state import decode, encode

SEEDS = (0, 1, 2)


@pytest.mark.parametrize("preset", PRESETS, ids=[p.key for p in PRESETS])
def test_preset_claim_holds(preset):
    results = [measure(with_seed(preset.experiment, seed), preset.epochs) for seed in SEEDS]
    assert not any(r["diverged"] for r in results)
    kind, value = preset.claim
    accuracies = [r["accuracy"] for r in results]
    if kind == "accuracy_at_least":
        assert min(accuracies) >= value, accuracies
    elif kind == "accuracy_below":
        assert statistics.median(accuracies) < value, accuracies
    elif kind == "relu_edges_at_least":
        assert min(r["on_edges"] for r in results) >= value, [r["on_edges"] for r in results]
    else:
        raise AssertionError(f"unknown claim {kind}")


def test_presets_are_valid_shareable_states():
    keys = [p.key for p in PRESETS]
    assert len(set(keys)) == len(keys) >= 11
    for p in PRESETS:
        assert decode(encode(p.experiment)) == p.experiment
        assert len(p.caption) > 80 and p.title


def test_the_pairs_differ_as_the_captions_say():
    """The contrasts the seed texts draw, on the same seed."""
    by = {p.key: p for p in PRESETS}
    for weak, strong in [("disks-2", "disks-3"), ("batchnorm-linear", "layernorm-linear"),
                         ("softmax-circles", "softmax-gaussians"), ("xor-2", "xor-3")]:
        a = measure(with_seed(by[weak].experiment, 0), by[weak].epochs)["accuracy"]
        b = measure(with_seed(by[strong].experiment, 0), by[strong].epochs)["accuracy"]
        assert b > a + 0.05, (weak, a, strong, b)
