"""The long-memory experiment (chapter 7): the task, the three models, and the stored grid."""

import json
from pathlib import Path

import numpy as np
import pytest

from lstm_lite import LSTMCell, sigmoid
from lstm_lite.memory import FORGET_BIAS, INPUT_BIAS, MODELS, first_symbol_batch, make_model, train_until_solved

RESULTS = Path(__file__).resolve().parent.parent / "notebooks" / "data" / "long_memory.json"


def test_task_has_the_first_symbol_as_its_label_and_distractors_elsewhere():
    xs, labels = first_symbol_batch(T=7, batch=50, rng=np.random.default_rng(0), n_symbols=4, n_noise=3)
    assert xs.shape == (7, 50, 7) and labels.shape == (50,)
    assert np.array_equal(xs[0].argmax(axis=1), labels) and np.all(xs[0, :, 4:] == 0)
    assert np.all(xs[1:, :, :4] == 0)  # no class symbol after the first step
    assert np.all(xs.sum(axis=2) == 1)  # one symbol per step
    assert set(np.unique(labels)) == {0, 1, 2, 3}


def test_models_are_initialised_as_the_chapter_says():
    H = 8
    biased = make_model("lstm-biased", 8, H, 4, seed=0).cell
    total = biased.bias_ih + biased.bias_hh
    assert np.all(total[H : 2 * H] == FORGET_BIAS) and sigmoid(FORGET_BIAS) > 0.99  # the belt starts out keeping
    assert np.all(total[:H] == INPUT_BIAS) and sigmoid(INPUT_BIAS) < 0.5  # ... and mostly closed to writes
    default = make_model("lstm", 8, H, 4, seed=0).cell
    assert np.abs(default.bias_ih).max() <= 1 / np.sqrt(H)  # PyTorch's default, no forget bias
    assert isinstance(default, LSTMCell)
    with pytest.raises(ValueError, match="kind must be one of"):
        make_model("transformer", 8, H, 4, seed=0)


def test_the_stored_grid_is_complete():
    data = json.loads(RESULTS.read_text())
    cells = {(r["kind"], r["T"], r["seed"]) for r in data["runs"]}
    assert cells == {(k, T, s) for k in MODELS for T in (10, 30, 100, 200) for s in range(5)}


# One cell per model, each a few seconds: a solved RNN run that takes hundreds of updates, a GRU run of 1775
# updates at T = 100, a default LSTM that fails for its whole budget of 4000, and the keeping LSTM at T = 200.
# Training is chaotic, so a change anywhere in the code (even the order of a sum) shows up in these numbers.
@pytest.mark.parametrize("kind, T, seed", [("rnn", 10, 3), ("gru", 100, 2), ("lstm", 10, 0), ("lstm-biased", 200, 0)])
def test_a_stored_cell_is_reproduced_by_the_code(kind, T, seed):
    """Re-run cells of the grid with their seeds: the stored numbers must come out again."""
    stored = next(r for r in json.loads(RESULTS.read_text())["runs"] if (r["kind"], r["T"], r["seed"]) == (kind, T, seed))
    run = train_until_solved(kind, T, seed)
    assert (run.solved, run.steps, run.accuracy) == (stored["solved"], stored["steps"], stored["accuracy"])
    assert [list(c) for c in run.checks] == stored["checks"]
    blocks = [float(np.mean(run.loss[i : i + 25])) for i in range(0, len(run.loss), 25)]
    np.testing.assert_allclose(blocks, stored["loss_blocks"], rtol=1e-9)
