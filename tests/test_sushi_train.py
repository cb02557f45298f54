"""Chapter 6, the sushi train: the belt run, its pictures, the half-life slider and the exercises' checks."""

import re
from dataclasses import replace

import ipywidgets as widgets
import numpy as np
import pytest

from lstm_book import sushi_train as sushi
from lstm_book.exercises import check
from lstm_book.figures import LIVE_DPI, figure_to_png
from lstm_book.sushi_train import plate_run
from lstm_lite import LSTMCell, sigmoid


@pytest.fixture(scope="module")
def trace():
    return sushi.belt_compute()


def test_the_forced_gates_reach_the_model(trace):
    gates = sushi.belt_gates()
    for name in ("forget", "input", "output"):
        np.testing.assert_array_equal(getattr(trace, name), gates[name])
    # the same cell with one gate changed gives another belt: the script is what decides
    gates["forget"][5, 0] = 0.0
    other = sushi.belt_compute(gates=gates)
    assert other.c[5, 0] == 0 and trace.c[5, 0] > 0.8


def test_the_belt_follows_c_equals_f_c_plus_i_g_and_h_equals_o_tanh_c(trace):
    c_prev = np.vstack([trace.c0[None], trace.c[:-1]])
    np.testing.assert_allclose(trace.c, trace.forget * c_prev + trace.input * trace.candidate, rtol=0, atol=1e-15)
    np.testing.assert_allclose(trace.h, trace.output * np.tanh(trace.c), rtol=0, atol=1e-15)
    np.testing.assert_allclose(trace.candidate, np.tanh(1.5 * sushi.BELT_DISHES) * np.ones(3), rtol=0, atol=1e-15)


def test_the_chapter_claims_about_the_script(trace):
    c, h = trace.c, trace.h
    assert np.all(c[1:, 0] == c[1, 0]) and round(c[1, 0], 2) == 0.83  # forget 1 keeps
    assert c[8, 1] == 0 and c[7, 1] > 0  # forget 0 erases
    assert np.all(c[0] == 0)  # input 0 blocks the first dish
    assert h[11, 0] == 0 and c[11, 0] > 0.8  # h is not c: the output gate hides the plate
    assert c[7, 2] > 3.5 and h[7, 2] < 1  # c can exceed 1, h cannot
    assert np.isclose(c[7, 1], 0.7**5 * c[2, 1])


def test_belt_events_say_what_the_gates_do(trace):
    assert sushi.belt_events(trace, 0) == ["the dish is turned away"]
    assert sushi.belt_events(trace, 1) == ["cell 1 takes a plate"]
    assert sushi.belt_events(trace, 3) == ["the hand shrinks cell 2 (×0.7)", "the dish is turned away"]
    assert sushi.belt_events(trace, 4) == ["the hand shrinks cell 2 (×0.7)", "cell 3 takes a plate",
                                           "the diner sees cell 3"]
    assert sushi.belt_events(trace, 8) == ["the hand clears cell 2", "the dish is turned away"]
    assert sushi.belt_events(trace, 12) == ["the diner sees cell 1", "the dish is turned away"]


def test_plate_areas_are_the_values_of_c(trace):
    fig = sushi.belt_draw(trace, 7)
    belt = fig.axes[0]
    biggest = max(np.abs(trace.c).max(), np.abs(trace.candidate).max())
    lanes = [col for col in belt.collections if len(col.get_offsets()) and col.get_offsets()[0][1] in (2, 1, 0)
             and col.get_linestyle()[0][1] is None]  # solid plates, one collection per lane (cell 1 on top)
    for k, y in enumerate((2, 1, 0)):
        plates = next(col for col in lanes if col.get_offsets()[0][1] == y)
        shown = trace.c[:8, k][np.abs(trace.c[:8, k]) > 1e-3]
        np.testing.assert_allclose(plates.get_sizes(), sushi.PLATE_AREA * np.abs(shown) / biggest)


def test_frames_of_the_belt_differ_and_the_animation_holds_one_per_step(trace):
    assert figure_to_png(sushi.belt_draw(trace, 3)) != figure_to_png(sushi.belt_draw(trace, 4))
    html = sushi.belt_animation(trace)
    assert len(re.findall(r"frames\[\d+\] = \"data:image/png;base64,", html)) == trace.c.shape[0]
    assert len(html) < 1_000_000  # the page stays light
    assert sushi.belt_animation(trace) == html  # the same page at every build: no random element ids


def test_the_rnn_loses_the_first_value_and_the_belt_keeps_it():
    r = sushi.first_value_compute(steps=120)
    assert r["rnn_gap"][100] < 1e-12 * r["rnn_gap"][0]
    assert np.all(r["lstm_gap"] == r["lstm_gap"][0]) and r["lstm_gap"][0] > 1
    # a forget gate of 0.99 instead of 1: the belt keeps exactly 0.99**t of the gap
    leaky = sushi.first_value_compute(steps=120, keep=0.99)
    np.testing.assert_allclose(leaky["lstm_gap"], leaky["lstm_gap"][0] * 0.99 ** np.arange(120), rtol=1e-12)


def test_the_two_sequences_differ_only_in_the_first_value():
    xs = sushi.first_value_sequences(steps=50)
    assert xs.shape == (50, 2, 1) and list(xs[0, :, 0]) == [1.0, -1.0]
    np.testing.assert_array_equal(xs[1:, 0], xs[1:, 1])


@pytest.mark.parametrize("f, expected", [(0.5, 1.0), (0.9, 6.5788), (0.99, 68.9676), (0.999, 692.8005)])
def test_half_life(f, expected):
    assert sushi.half_life(f) == pytest.approx(expected, abs=1e-4)
    r = sushi.half_life_compute(f, steps=2000)
    # the step at which less than half is left is the first step past the half-life
    assert np.argmax(r["left"] < 0.5) + 1 == int(np.floor(expected)) + 1


def test_forget_gate_bias_numbers_of_the_chapter():
    assert sushi.half_life(sigmoid(0.0)) == 1.0  # PyTorch's start: a half-life of one step
    assert round(sushi.half_life(sigmoid(1.0)), 1) == 2.2  # Jozefowicz et al.'s bias of 1
    assert sigmoid(1.0) == sushi.FORGET_VALUES[1]
    f = LSTMCell(1, 16, seed=0, forget_bias=None).forward(np.zeros((1, 1))).forget[0]
    assert 0.35 < f.min() and f.max() < 0.65


def render(f):
    return sushi.half_life_draw(sushi.half_life_compute(f))


def test_static_half_life_slider_changes_the_picture_and_frames_are_live_renders():
    fig = replace(sushi.HALF_LIFE, start={}).static(link=widgets.link)
    first = fig.visible_frame()
    fig.slider.index = sushi.FORGET_VALUES.index(0.99)
    assert fig.visible_frame() != first and fig.visible_frame() == fig.frame(0.99)
    assert fig.frame(0.99) == figure_to_png(render(0.99))
    assert len(set(fig.frames)) == len(sushi.FORGET_VALUES)


def test_what_the_diner_sees_is_written_over_the_zero_line_not_through_it():
    trace = sushi.belt_cell().forward(sushi.BELT_DISHES, **sushi.belt_gates())
    fig = sushi.belt_draw(trace, 12)
    diner = fig.axes[1]
    zero = max(line.get_zorder() for line in diner.get_lines())
    words = [t for t in diner.texts if t.get_text().startswith("o = ")]
    assert len(words) == 3 and {t.get_text() for t in words} >= {"o = 1, h = 0.68"}
    for t in words:
        assert t.get_zorder() > zero and t.get_bbox_patch().get_facecolor()[:3] == (1, 1, 1)


def test_live_half_life_plot_redraws_when_the_slider_moves(capsys):
    drawn = []

    def draw(r):
        drawn.append(r["f"])
        return sushi.half_life_draw(r)

    box = replace(sushi.HALF_LIFE, draw=draw, update=None).live()
    control = box.children[0]
    assert control.description == "forget gate f" and control.value == 0.9
    control.value = 0.95
    assert drawn[-1] == 0.95
    assert figure_to_png(render(0.9)) != figure_to_png(render(0.95))


IN_PLACE_VALUES = (*sushi.FORGET_VALUES, 0.6, 0.97, 0.998, 0.5, 0.9)  # the static slider's values and a few more


def pixels_apart(png_a, png_b, by=30):
    """How many pixels of two PNG pictures differ by more than `by` in some colour: a stale marker or label left
    from an earlier value is a few dozen pixels, too few to move picture_difference's mean or 99th percentile."""
    import io

    from PIL import Image

    a, b = (np.asarray(Image.open(io.BytesIO(p)).convert("RGB"), dtype=int) for p in (png_a, png_b))
    return int((np.abs(a - b).max(axis=-1) > by).sum())


@pytest.fixture(scope="module")
def fast_half_life():
    from lstm_book.sliders import FastFigure

    return FastFigure(sushi.half_life_draw, sushi.half_life_update, sushi.half_life_compute(forget=0.9))


@pytest.mark.parametrize("f", IN_PLACE_VALUES)
def test_the_half_life_picture_redrawn_in_place_is_the_one_drawn_anew(fast_half_life, f):
    from conftest import picture_difference

    # one FastFigure for every value, in turn: nothing of an earlier value may stay behind
    in_place, anew = fast_half_life.png(sushi.half_life_compute(f)), figure_to_png(render(f), dpi=LIVE_DPI, palette=False)
    mean, p99 = picture_difference(in_place, anew)
    assert mean < 0.5 and p99 < 30, (f, mean, p99)
    assert pixels_apart(in_place, anew) <= 10, f


def test_the_in_place_comparison_can_tell_two_half_lives_apart(fast_half_life):
    from conftest import picture_difference

    assert picture_difference(fast_half_life.png(sushi.half_life_compute(0.9)), figure_to_png(render(0.95), dpi=LIVE_DPI, palette=False))[0] > 1


def test_half_life_update_returns_the_same_artists_and_all_else_is_the_same_for_every_f():
    fig = render(0.9)
    first = sushi.half_life_update(fig, sushi.half_life_compute(0.5))
    assert sushi.half_life_update(fig, sushi.half_life_compute(0.999)) == first
    assert fig._suptitle in first and fig.half_life["curve"] in first
    # hide what update returns: what is left does not depend on f (it is the background of the blitting)
    backgrounds = set()
    for f in (0.5, 0.9, 0.999):
        fig = render(f)
        for artist in sushi.half_life_update(fig, sushi.half_life_compute(f)):
            artist.set_visible(False)
        backgrounds.add(figure_to_png(fig))
    assert len(backgrounds) == 1


def test_half_life_update_asks_for_a_new_figure_when_the_axes_would_change(fast_half_life):
    from conftest import picture_difference

    assert sushi.half_life_update(render(0.9), sushi.half_life_compute(0.9, steps=200)) is None
    other = sushi.half_life_compute(0.99, steps=200)
    mean, p99 = picture_difference(fast_half_life.png(other), figure_to_png(sushi.half_life_draw(other), dpi=LIVE_DPI, palette=False))
    assert mean < 0.5 and p99 < 30
    fast_half_life.png(sushi.half_life_compute(0.9))  # back to 1000 steps for the other tests


def test_live_half_life_plot_with_update_shows_the_moved_slider():
    from conftest import picture_difference

    box = sushi.HALF_LIFE.live()
    control = box.children[0]
    shown = []
    box.picture.observe(lambda change: shown.append(change["new"]), names="value")
    shown.append(box.picture.value)
    control.value = 0.95
    control.value = 0.5
    assert len(shown) == 3  # the first picture, then one per move, each into the same picture
    for png, f in zip(shown, (0.9, 0.95, 0.5)):
        mean, p99 = picture_difference(png, figure_to_png(render(f), dpi=LIVE_DPI, palette=False))
        assert mean < 0.5 and p99 < 30, (f, mean, p99)
    assert picture_difference(shown[1], shown[2])[0] > 1


def test_sushi_1_accepts_the_20th_root_of_a_half():
    assert check("sushi-train-1", 0.5 ** (1 / 20)).ok
    verdict = check("sushi-train-1", 0.95)
    assert not verdict.ok and "13.5" in verdict.message


def _gates(write=3, show=10):
    keep, put, see = np.ones(11), np.zeros(11), np.zeros(11)
    put[write] = 1.0
    see[show] = 1.0
    return {"forget": keep, "input": put, "output": see}


def test_sushi_2_accepts_keep_write_at_3_show_at_10():
    assert check("sushi-train-2", _gates()).ok
    run = plate_run(_gates())
    assert run.c[10, 0] == run.candidate[3, 0] and np.all(run.h[:10, 0] == 0)


def test_sushi_2_says_what_is_wrong():
    leaky = _gates()
    leaky["forget"][6] = 0.9
    assert "forget 1" in check("sushi-train-2", leaky).message
    early = _gates()
    early["output"][5] = 1.0
    assert "step 5" in check("sushi-train-2", early).message
    late = _gates(write=4)
    assert not check("sushi-train-2", late).ok
    half = _gates()
    half["output"][10] = 0.5
    assert "output gate fully" in check("sushi-train-2", half).message
    assert "shape (11,)" in check("sushi-train-2", {"forget": 1, "input": 0, "output": 0}).message


def test_sushi_3_catches_the_h_equals_o_times_c_mistake():
    assert check("sushi-train-3", 0.5 / np.tanh(1.0)).ok
    assert "o · tanh(c)" in check("sushi-train-3", 0.5).message
    assert not check("sushi-train-3", 1.0).ok
