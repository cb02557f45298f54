"""Chapter 3, the feedback loop: the one-number RNN, its slider, and the real RNNCell pictures."""

from dataclasses import replace

import ipywidgets as widgets
import numpy as np
import pytest

from lstm_book.exercises import check
from lstm_book.figures import LIVE_DPI, figure_to_png
from lstm_book.rnn import (
    SCALAR_RNN,
    demo_cell,
    demo_inputs,
    echo_compute,
    echo_draw,
    loop_diagram,
    rnn_heatmap,
    rnn_states_compute,
    scalar_rnn_compute,
    scalar_rnn_draw,
    tanh_fixed_point,
)
from lstm_lite import RNNCell


@pytest.mark.parametrize("w", [-1.5, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0])
def test_scalar_rnn_is_the_loop_written_by_hand(w):
    r = scalar_rnn_compute(w=w, steps=15, pulse=1.0)
    h, by_hand = 0.0, []
    for x in [1.0] + [0.0] * 14:
        h = np.tanh(x + w * h)
        by_hand.append(h)
    np.testing.assert_allclose(r["h"], by_hand, rtol=1e-14, atol=1e-300)
    np.testing.assert_allclose(r["h_lin"], np.tanh(1.0) * w ** np.arange(15), rtol=1e-14)
    assert list(r["t"]) == list(range(1, 16))  # time steps start at 1, as in the book


@pytest.mark.parametrize("w", [1.2, 1.5, 2.0, 4.0])
@pytest.mark.parametrize("pulse", [0.2, 1.0, 5.0, -3.0])
def test_tanh_loop_settles_below_one_at_its_fixed_point_keeping_only_the_sign(w, pulse):
    h = scalar_rnn_compute(w=w, steps=80, pulse=pulse)["h"]
    star = tanh_fixed_point(w)
    assert np.all(np.abs(h) < 1)  # it cannot blow past 1
    assert abs(np.tanh(w * star) - star) < 1e-12 and 0 < star < 1
    assert abs(h[-1] - np.sign(pulse) * star) < 1e-6  # the size of the pulse is forgotten, its sign kept
    lin = scalar_rnn_compute(w=w, steps=80, pulse=pulse)["h_lin"]
    assert abs(lin[-1]) > 1e5  # while the loop without tanh blows up


def test_below_one_the_memory_fades_and_at_one_it_fades_slowly():
    assert abs(scalar_rnn_compute(0.9, steps=200)["h"][-1]) < 1e-8
    at_one = scalar_rnn_compute(1.0, steps=200)["h"]
    assert np.all(np.diff(at_one) < 0) and 0.05 < at_one[-1] < 0.15  # ~ sqrt(3 / (2 t)), slow
    assert abs(tanh_fixed_point(0.9)) < 1e-6 and tanh_fixed_point(1.0) < 0.1


@pytest.mark.parametrize("w, steps", [(-1.95, 40), (1.95, 40), (0.8, 20), (-0.5, 5)])
def test_the_legend_and_the_off_chart_note_leave_the_curves_readable(w, steps):
    """A negative w swings the curves through every corner of the frame: the legend sits under the axes, and the
    note on the curve that leaves the chart has a white patch of its own above the curves."""
    fig = scalar_rnn_draw(scalar_rnn_compute(w=w, steps=steps))
    fig.canvas.draw()
    ax = fig.axes[0]
    renderer = fig.canvas.get_renderer()
    legend, frame = ax.get_legend().get_window_extent(renderer), ax.get_window_extent(renderer)
    assert legend.y1 < frame.y0, (legend, frame)  # wholly under the axes
    note = ax.loop["off_chart"]
    assert note.get_zorder() > ax.loop["linear"].get_zorder() and note.get_bbox_patch().get_facecolor()[:3] == (1, 1, 1)


def test_the_drawn_title_says_what_the_loop_does():
    titles = {w: scalar_rnn_draw(scalar_rnn_compute(w)).axes[0].get_title() for w in (0.5, 1.0, 1.5)}
    assert "fades away" in titles[0.5] and "fades, slowly" in titles[1.0]
    assert "holds at 0.86" in titles[1.5] and "never past 1" in titles[1.5]
    flipped = scalar_rnn_draw(scalar_rnn_compute(-1.5)).axes[0].get_title()
    assert "holds at 0.86" in flipped and "flipping sign" in flipped
    h = scalar_rnn_compute(-1.5, steps=60)["h"]
    assert abs(abs(h[-1]) - tanh_fixed_point(1.5)) < 1e-6 and np.all(h[1:] * h[:-1] < 0)
    texts = [t.get_text() for t in scalar_rnn_draw(scalar_rnn_compute(1.5)).axes[0].texts]
    assert any("1.69e+03" in t and "off the chart" in t for t in texts)  # the linear loop's value is written down
    assert not [t for t in scalar_rnn_draw(scalar_rnn_compute(0.5)).axes[0].texts if t.get_visible() and t.get_text()]


@pytest.mark.parametrize("w", [-1.5, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0])
def test_the_live_slider_redrawn_in_place_shows_the_same_picture(w):
    """The live version redraws one figure in place (FastFigure); it must show what a new figure shows."""
    from conftest import picture_difference, pixels_apart

    from lstm_book.figures import figure_to_png
    from lstm_book.rnn import scalar_rnn_update
    from lstm_book.sliders import FastFigure

    fast = FastFigure(scalar_rnn_draw, scalar_rnn_update, scalar_rnn_compute(0.8))
    r = scalar_rnn_compute(w)
    png, fresh = fast.png(r), figure_to_png(scalar_rnn_draw(r), dpi=LIVE_DPI, palette=False)
    mean, p99 = picture_difference(png, fresh)
    assert mean < 0.5 and p99 < 30 and pixels_apart(png, fresh) <= 10, (mean, p99, pixels_apart(png, fresh))


@pytest.mark.parametrize("w, steps", [(0.8, 40), (-1.95, 40), (1.5, 5), (0.5, 13)])
def test_another_number_of_steps_redraws_the_axes_not_a_new_figure(w, steps):
    """The steps slider: the time axis is drawn again on the same figure (fig.static_changed), and the picture is
    the one a new figure shows."""
    from conftest import picture_difference, pixels_apart

    from lstm_book.figures import figure_to_png
    from lstm_book.rnn import scalar_rnn_update
    from lstm_book.sliders import FastFigure

    fast = FastFigure(scalar_rnn_draw, scalar_rnn_update, scalar_rnn_compute(0.8))
    first = fast.fig
    r = scalar_rnn_compute(w, steps=steps)
    png, fresh = fast.png(r), figure_to_png(scalar_rnn_draw(r), dpi=LIVE_DPI, palette=False)
    assert fast.fig is first and not first.static_changed
    mean, p99 = picture_difference(png, fresh)
    assert mean < 0.5 and p99 < 30 and pixels_apart(png, fresh) <= 10, (mean, p99, pixels_apart(png, fresh))
    back = scalar_rnn_compute(0.3)  # and back to 20 steps
    assert picture_difference(fast.png(back), figure_to_png(scalar_rnn_draw(back), dpi=LIVE_DPI, palette=False))[0] < 0.5


def _slider(link=None):
    render = lambda w: scalar_rnn_draw(scalar_rnn_compute(w=w))
    return render, replace(SCALAR_RNN, grid={"w": [0.5, 1.0, 1.5]}, start={}).static(link=link)


def test_moving_the_slider_changes_the_picture_and_frames_equal_a_live_drawing():
    render, fig = _slider(link=widgets.link)
    shown = []
    for index in range(3):
        fig.slider.index = index
        shown.append(fig.visible_frame())
    assert len(set(shown)) == 3
    for w in (0.5, 1.0, 1.5):
        assert fig.frame(w) == figure_to_png(render(w))


def test_the_real_cell_is_the_equation_step_by_step():
    cell, xs = demo_cell(), demo_inputs()
    trace = rnn_states_compute()
    h = np.zeros(8)
    for t, x in enumerate(xs):
        h = np.tanh(cell.weight_ih @ x + cell.bias_ih + cell.weight_hh @ h + cell.bias_hh)
        np.testing.assert_allclose(trace.h[t], h, rtol=1e-12, atol=1e-15)
    plain = RNNCell(1, 8, seed=0)
    np.testing.assert_array_equal(cell.weight_ih, 3.0 * plain.weight_ih)  # only the input weights are scaled
    np.testing.assert_array_equal(cell.weight_hh, plain.weight_hh)


def test_echo_is_the_difference_of_two_runs_changed_only_at_the_first_input():
    r = echo_compute(change=1.0)
    cell, xs = demo_cell(), demo_inputs()
    moved = xs.copy()
    moved[0] += 1.0
    gap = np.linalg.norm(cell.forward(xs).h - cell.forward(moved).h, axis=1)
    np.testing.assert_allclose(r["gap"], gap, rtol=1e-10)
    assert np.all(np.diff(r["gap"]) < 0) and r["gap"][29] / r["gap"][0] < 1e-5
    assert np.all(echo_compute(change=0.0)["gap"] == 0)


def test_pictures_have_titles_and_labelled_axes():
    for fig in (scalar_rnn_draw(scalar_rnn_compute()), echo_draw(echo_compute()),
                rnn_heatmap(rnn_states_compute(), xs=demo_inputs())):
        assert fig.axes[0].get_title() and fig.axes[0].get_ylabel()
        assert any(ax.get_xlabel() for ax in fig.axes)
    diagram = loop_diagram()
    assert diagram.axes[0].get_title() and len(diagram.axes[0].patches) >= 4  # the box and its three arrows


def test_exercise_answers():
    assert check("rnn-1", 0.5).ok and not check("rnn-1", -0.5).ok
    assert check("rnn-2", tanh_fixed_point(2.0)).ok and not check("rnn-2", 0.9).ok
