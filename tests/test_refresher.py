"""Chapter 1 (squashing functions): the pictures, the sliders' wiring, the chapter's numbers, the exercises."""


from dataclasses import replace

import ipywidgets as widgets
import numpy as np
import pytest

from lstm_book.figures import LIVE_DPI, figure_to_png
from lstm_book.refresher import (
    BIASES,
    INPUTS,
    SQUASH,
    SQUASH_INPUT,
    WEIGHTS,
    XS,
    gate_compute,
    gate_draw,
    squash_alt,
    squash_compute,
    squash_draw,
)
from lstm_lite import sigmoid, tanh


def test_compute_squashes_weight_times_x_plus_bias():
    r = squash_compute(weight=3.0, bias=-2.0, x=1.5)
    np.testing.assert_array_equal(r["z"], 3.0 * XS - 2.0)
    np.testing.assert_array_equal(r["sigmoid"], sigmoid(3.0 * XS - 2.0))
    np.testing.assert_array_equal(r["tanh"], np.tanh(3.0 * XS - 2.0))
    np.testing.assert_array_equal(r["plain_sigmoid"], sigmoid(XS))
    assert r["at_x"] == {"z": 2.5, "sigmoid": float(sigmoid(2.5)), "tanh": float(np.tanh(2.5))}
    assert squash_compute(1.0, 0.0)["at_x"] is None


@pytest.mark.parametrize("weight", [w for w in WEIGHTS if w != 0])
@pytest.mark.parametrize("bias", BIASES)
def test_the_middle_is_where_the_curves_cross_one_half_and_zero(weight, bias):
    r = squash_compute(weight, bias, x=-bias / weight)
    assert r["middle"] == -bias / weight
    assert abs(r["at_x"]["sigmoid"] - 0.5) < 1e-15 and abs(r["at_x"]["tanh"]) < 1e-15
    assert f"{r['middle']:.3g}" != "-0"  # the label never reads "-0"


def test_weight_stretches_flips_and_flattens():
    assert squash_compute(0.0, 2.0)["middle"] is None
    assert np.ptp(squash_compute(0.0, 2.0)["sigmoid"]) == 0 and squash_compute(0.0, 2.0)["sigmoid"][0] == sigmoid(2.0)
    assert np.all(np.diff(squash_compute(-1.0, 0.0)["sigmoid"]) < 0)  # a negative weight: the curve falls
    steep, plain = squash_compute(3.0, 0.0, x=0.5)["at_x"], squash_compute(1.0, 0.0, x=0.5)["at_x"]
    assert steep["sigmoid"] > plain["sigmoid"] and steep["tanh"] > plain["tanh"]


def test_chapter_numbers():
    grid = np.linspace(-30, 30, 601)
    assert sigmoid(0) == 0.5 and tanh(0) == 0
    assert sigmoid(-10) < 1e-4 and 1 - sigmoid(10) < 1e-4 and 1 - tanh(10) < 1e-4
    np.testing.assert_allclose(tanh(-grid), -tanh(grid), rtol=0, atol=1e-15)
    np.testing.assert_allclose(tanh(grid), 2 * sigmoid(2 * grid) - 1, rtol=0, atol=1e-15)
    # The walls, where each curve rounds to exactly 1.0, move by a few hundredths with the maths kernels
    # (tanh's lies at 19.00 or 19.07 on the machines of tools/numpy_machines.py): the book claims "near 19 and 37".
    xs = np.arange(0, 50, 0.01)
    tanh_wall, sigmoid_wall = xs[np.argmax(tanh(xs) == 1.0)], xs[np.argmax(sigmoid(xs) == 1.0)]
    assert 18 < tanh_wall < 20.5 and 36 < sigmoid_wall < 38.5
    assert tanh(17.0) < 1 and sigmoid(35.0) < 1 and tanh(21.0) == 1 and sigmoid(39.0) == 1
    assert round(sigmoid(1) - sigmoid(0), 3) == 0.231 and round(sigmoid(4) - sigmoid(3), 3) == 0.029
    assert round(tanh(1) - tanh(0), 3) == 0.762 and round(tanh(4) - tanh(3), 4) == 0.0043


def test_gate_passes_a_fraction_of_the_value():
    r = gate_compute(value=3.0)
    np.testing.assert_array_equal(r["passed"], 3.0 * sigmoid(r["zs"]))
    assert [f"{p:.2f}" for p in r["passed"]] == ["0.05", "0.36", "1.50", "2.64", "2.95"]
    assert np.all((0 < r["passed"]) & (r["passed"] < 3)) and np.all(np.diff(r["passed"]) > 0)
    negative = gate_compute(value=-2.0, zs=[0.0])
    assert negative["passed"][0] == -1.0  # a gate scales, it never flips the sign


def test_the_picture_shows_the_computed_curves():
    r = squash_compute(0.5, 2.0, x=-4.0)
    fig = squash_draw(r)
    axes = fig.axes
    assert [ax.get_title() for ax in axes] == ["sigmoid(0.5·x + 2)", "tanh(0.5·x + 2)"]
    for ax, name in zip(axes, ("sigmoid", "tanh")):
        assert ax.get_xlabel() == "input x" and ax.get_ylabel().startswith("output")
        curves = [line for line in ax.lines if len(line.get_xdata()) == len(XS)]
        np.testing.assert_array_equal(curves[1].get_ydata(), r[name])  # the coloured curve is the computed one
        texts = [t.get_text() for t in ax.texts]
        assert f"{r['at_x'][name]:.3f}" in texts  # the value at the input, printed by its dot
        assert "middle\nx = -4" in [t.get_text() for t in squash_draw(squash_compute(0.5, 2.0)).axes[0].texts]
    gate = gate_draw(gate_compute())
    assert gate.axes[0].get_title() and gate.axes[0].get_xlabel() and gate.axes[0].get_ylabel()


def test_labels_of_the_formula():
    titles = {(w, b): squash_draw(squash_compute(w, b)).axes[0].get_title() for w in (-1.0, 0.0, 1.0) for b in BIASES}
    assert titles[1.0, 0.0] == "sigmoid(x)" and titles[-1.0, 2.0] == "sigmoid(−x + 2)"
    assert titles[0.0, -2.0] == "sigmoid(-2)" and titles[1.0, -2.0] == "sigmoid(x − 2)"


def test_alt_texts_say_what_each_frame_shows():
    alts = {(w, b): SQUASH.text(weight=w, bias=b) for w in WEIGHTS for b in BIASES}
    assert len(set(alts.values())) == len(alts)  # each frame has its own description
    assert "flat" in alts[0.0, 2.0] and "0.881" in alts[0.0, 2.0]
    assert "falling" in alts[-1.0, 0.0] and "steeper" in alts[3.0, 0.0] and "middle at x = -2" in alts[1.0, 2.0]
    assert "sigmoid gives 0.731" in SQUASH_INPUT.text(x=1.0) == squash_alt(squash_compute(1.0, 0.0, 1.0))


def test_input_slider_frames_are_the_live_pictures_and_moving_it_changes_the_picture():
    values = INPUTS[3:6]  # a few frames are enough: every frame comes from the same code path
    twin = replace(SQUASH_INPUT, grid={"x": list(values)}, start={"x": 0.0}).static(link=widgets.link)
    assert twin.visible_frame() == twin.frame(0.0)  # `start` picks the first picture, and the Stack follows
    assert twin.slider.description == "input x" and [label for label, _ in twin.slider.options] == ["-1", "0", "1"]
    for v in values:
        assert twin.frame(v) == figure_to_png(squash_draw(squash_compute(1.0, 0.0, v)))
    seen = set()
    for index in range(len(values)):
        twin.slider.index = index
        seen.add(twin.visible_frame())
        assert twin.visible_frame() == twin.frame(values[index])
    assert len(seen) == len(values)


def test_weight_and_bias_grid_moves_as_the_chapter_sets_it_up():
    grid = {"weight": [0.0, 1.0, 3.0], "bias": [0.0, 2.0]}
    twin = replace(SQUASH, grid=grid).static(link=widgets.link)  # it starts at the plain curve, as the chapter's
    assert twin.visible_frame() == twin.frame(1.0, 0.0) == figure_to_png(squash_draw(squash_compute(1.0, 0.0)))
    twin.controls["bias"].index = 1
    assert twin.visible_frame() == twin.frame(1.0, 2.0) == figure_to_png(squash_draw(squash_compute(1.0, 2.0)))
    twin.controls["weight"].index = 0
    assert twin.visible_frame() == twin.frame(0.0, 2.0)
    assert len(set(twin.frames)) == len(twin.frames)  # every setting draws a different picture


@pytest.mark.parametrize("weight, bias, x", [(3.0, -2.0, None), (-1.0, 2.0, None), (0.0, 2.0, None), (1.0, 0.0, 3.0),
                                              (0.5, 0.0, -4.0), (1.0, 0.0, None)])
def test_the_live_slider_redrawn_in_place_shows_the_same_picture(weight, bias, x):
    """The live version redraws one figure in place (FastFigure); it must show what a new figure shows."""
    from conftest import picture_difference, pixels_apart

    from lstm_book.figures import figure_to_png
    from lstm_book.refresher import squash_update
    from lstm_book.sliders import FastFigure

    fast = FastFigure(squash_draw, squash_update, squash_compute(1.0, 0.0, 1.0))
    r = squash_compute(weight, bias, x)
    png, fresh = fast.png(r), figure_to_png(squash_draw(r), dpi=LIVE_DPI, palette=False)
    mean, p99 = picture_difference(png, fresh)
    assert mean < 0.5 and p99 < 30 and pixels_apart(png, fresh) <= 10, (mean, p99, pixels_apart(png, fresh))
