"""Chapter 4, the unrolled RNN: the influence of the first input, measured with backward."""


from dataclasses import replace

import ipywidgets as widgets
import numpy as np
import pytest

from lstm_book.exercises import check
from lstm_book.figures import figure_to_png
from lstm_book.unrolled_rnn import (
    FORGET_BIAS,
    INPUT_BIAS,
    UNROLLED,
    chapter_inputs,
    first_input_influence,
    influence,
    influence_compute,
    influence_draw,
    keeping_lstm,
    orthogonal,
    scaled_rnn,
    unrolled_compute,
    unrolled_draw,
)
from lstm_lite import sigmoid


@pytest.fixture(scope="module")
def result():
    return influence_compute()


def test_scaled_rnn_stretches_every_vector_by_exactly_its_scale():
    q = orthogonal(8, seed=3)
    np.testing.assert_allclose(q @ q.T, np.eye(8), atol=1e-12)
    for s in (0.5, 2.0):
        np.testing.assert_allclose(np.linalg.svd(scaled_rnn(s).weight_hh, compute_uv=False), s, rtol=1e-12)


def test_influence_is_the_jacobian_norm_by_finite_differences():
    cell, xs = scaled_rnn(1.0), chapter_inputs(12)
    eps = 1e-6
    for T in (1, 5, 12):
        moved = xs[:T].copy()
        moved[0] += eps
        jac = (cell.forward(moved).h[-1] - cell.forward(xs[:T]).h[-1]) / eps
        np.testing.assert_allclose(influence(cell, 12)[T - 1], np.linalg.norm(jac), rtol=1e-4)


@pytest.mark.parametrize("cell", [scaled_rnn(0.5), scaled_rnn(2.0), keeping_lstm()], ids=["rnn0.5", "rnn2", "lstm"])
def test_one_long_run_gives_the_same_numbers_as_a_run_per_T(cell):
    """h_T depends only on x_1..x_T, so dh_T/dx_1 read from a run of length 40 equals the run of length T."""
    xs, H, steps = chapter_inputs(40), cell.hidden_size, 40
    per_T = influence(cell, steps)
    copies = np.repeat(xs[:, None, :], H, axis=1)
    trace = cell.forward(copies)
    for T in (1, 7, 25, 40):
        dh = np.zeros((steps, H, H))
        dh[T - 1] = np.eye(H)
        np.testing.assert_allclose(np.linalg.norm(cell.backward(trace, dh)["x"][0]), per_T[T - 1], rtol=1e-10)


def test_the_inputs_are_seeded_and_shorter_runs_are_prefixes():
    np.testing.assert_array_equal(chapter_inputs(6), chapter_inputs(100)[:6])
    assert not np.array_equal(chapter_inputs(6, seed=1), chapter_inputs(6))


def test_the_chapters_claims(result):
    c, T = result["curves"], result["T"]
    for s in (0.5, 1.0):  # the bound of the chapter: at most s^(T-1) of the start
        assert np.all(c[f"RNN, scale {s:g}"] <= s ** (T - 1) * (1 + 1e-9))
    assert c["RNN, scale 0.5"][29] < 1e-10 and c["RNN, scale 1"][99] < 1e-8
    assert c["RNN, scale 2"].max() > 5 and c["RNN, scale 2"][99] < 1e-3
    assert c["LSTM, forget ~ 0.99"][99] > 0.3
    np.testing.assert_allclose(c["LSTM, forget ~ 0.99"], result["raw"]["LSTM, forget ~ 0.99"] /
                               first_input_influence(keeping_lstm(), chapter_inputs(100))[0])


def test_the_keeping_lstm_has_the_biases_of_chapter_7():
    cell, H = keeping_lstm(), 8
    total = cell.bias_ih + cell.bias_hh
    assert np.all(total[H : 2 * H] == FORGET_BIAS) and np.all(total[:H] == INPUT_BIAS)
    trace = cell.forward(chapter_inputs(100))
    assert abs(trace.forget.mean() - sigmoid(FORGET_BIAS)) < 0.002


def test_unrolled_shading_is_the_start_of_the_long_curve(result):
    r = unrolled_compute(steps=6, scale=0.5)
    np.testing.assert_allclose(r["shade"], result["curves"]["RNN, scale 0.5"][:6], rtol=1e-12)
    assert unrolled_compute(steps=4)["shade"] is None


def test_unrolled_slider_moves_and_frames_equal_a_live_drawing():
    render = lambda s: unrolled_draw(unrolled_compute(steps=6, scale=s))
    fig = replace(UNROLLED, grid={"scale": [0.5, 3.0]}, start={}).static(link=widgets.link)
    first = fig.visible_frame()
    fig.slider.index = 1
    assert fig.visible_frame() != first
    assert fig.frame(3.0) == figure_to_png(render(3.0))


def test_diagrams_and_plot_are_labelled(result):
    diagram = unrolled_draw(unrolled_compute(steps=5))
    ax = diagram.axes[0]
    labels = [t.get_text() for t in ax.texts]
    assert ax.get_title() and labels.count("cell") == 6  # the folded cell and five copies
    assert all(f"$x_{{{k}}}$" in labels and f"$h_{{{k}}}$" in labels for k in range(1, 6))
    plot = influence_draw(result).axes[0]
    assert plot.get_title() and plot.get_xlabel() and plot.get_yscale() == "log"
    assert [line.get_label() for line in plot.get_lines()][:4] == list(result["curves"])
    assert any("below 1e-12 from T = 36" in t.get_text() for t in plot.texts)  # where scale 0.5 leaves the chart


def test_exercise_answers(result):
    curve = result["curves"]["RNN, scale 0.5"]
    assert check("unrolled-rnn-1", int(np.flatnonzero(curve < 1e-3)[0]) + 1).ok
    assert check("unrolled-rnn-2", 45).ok and not check("unrolled-rnn-2", 46).ok
    assert check("unrolled-rnn-3", float(sigmoid(5.0)) ** 99).ok
