"""Chapter 2 (feedforward nets have no memory): the net, the shuffle, the loop, the slider, the exercises."""

from dataclasses import replace

import ipywidgets as widgets
import numpy as np
import pytest

from lstm_book.exercises import check
from lstm_book.feedforward import (
    LETTERS,
    LOOP_WEIGHT,
    NEW_SEQUENCE,
    NOMEMORY,
    SEQUENCE,
    SHUFFLES,
    changed_positions,
    feedforward,
    loop_outputs,
    nomemory_alt,
    nomemory_compute,
    nomemory_draw,
    shuffled_order,
    swapped,
    tiny_net,
)
from lstm_book.figures import figure_to_png


def test_tiny_net_is_two_dense_layers_by_hand():
    first, second = tiny_net()
    xs = SEQUENCE[:, None]
    by_hand = np.tanh(xs @ first.weight.T + first.bias) @ second.weight.T + second.bias  # (T, 1)
    np.testing.assert_allclose(feedforward(tiny_net(), xs), by_hand, rtol=1e-14, atol=0)
    assert (first.input_size, first.output_size, second.output_size) == (1, 8, 1)
    assert np.ptp(by_hand) > 1  # the outputs spread enough to see in the picture


@pytest.mark.parametrize("seed", [0, 1, 7])
def test_shuffling_the_inputs_shuffles_the_outputs(seed):
    rng = np.random.default_rng(seed)
    net = tiny_net(seed)
    xs = rng.normal(size=(20, 1))
    order = rng.permutation(20)
    np.testing.assert_allclose(feedforward(net, xs[order]), feedforward(net, xs)[order], rtol=0, atol=1e-15)


def test_the_same_input_gives_the_same_output_whatever_came_before():
    net = tiny_net()
    contexts = [np.array([[a], [0.5]]) for a in (-2.0, 0.0, 3.0)]
    lasts = [feedforward(net, xs)[-1, 0] for xs in contexts]
    assert max(lasts) - min(lasts) < 1e-15


def test_the_loop_is_the_one_number_rnn_and_remembers():
    xs = SEQUENCE[:, None]
    h, expected = 0.0, []
    for x in SEQUENCE:
        h = np.tanh(x + LOOP_WEIGHT * h)
        expected.append(h)
    np.testing.assert_allclose(loop_outputs(xs)[:, 0], expected, rtol=1e-14)
    r = nomemory_compute(shuffle=1, memory=True)
    assert not np.allclose(r["y_shuffled"], r["y"][r["order"]])
    g = LETTERS.index("G")  # the chapter's example: input 0, output negative in order, positive shuffled
    assert SEQUENCE[g] == 0 and r["y"][g] < 0 < r["y_shuffled"][list(r["order"]).index(g)]


def test_orders():
    assert np.array_equal(shuffled_order(0), np.arange(8))
    orders = [tuple(shuffled_order(s)) for s in SHUFFLES]
    assert len(set(orders)) == len(orders) and tuple(range(8)) not in orders
    assert all(sorted(o) == list(range(8)) for o in orders)
    assert "".join(LETTERS[k] for k in shuffled_order(1)) == "FABECGDH"  # the chapter names this order


@pytest.mark.parametrize("shuffle", SHUFFLES)
def test_compute_keeps_every_input_with_its_output(shuffle):
    r = nomemory_compute(shuffle)
    np.testing.assert_array_equal(r["x_shuffled"], SEQUENCE[r["order"]])
    np.testing.assert_array_equal(r["y_shuffled"], r["y"][r["order"]])


def test_the_picture_shows_the_computed_pairs():
    r = nomemory_compute(shuffle=2)
    fig = nomemory_draw(r)
    top, bottom = fig.axes
    assert top.get_title() == "In order, through a feedforward net" and "shuffle 2" in bottom.get_title()
    assert bottom.get_xlabel() and top.get_ylabel() and bottom.get_ylabel()
    inputs, outputs = bottom.collections[1].get_offsets(), bottom.collections[2].get_offsets()
    np.testing.assert_array_equal(inputs[:, 1], r["x_shuffled"])
    np.testing.assert_array_equal(outputs[:, 1], r["y_shuffled"])
    assert [t.get_text() for t in bottom.texts] == [LETTERS[k] for k in r["order"]]
    assert "a loop" in nomemory_draw(nomemory_compute(2, memory=True)).axes[0].get_title()


def test_alt_texts():
    assert "F, A, B, E, C, G, D, H" in NOMEMORY.text(shuffle=1) and "same output" in NOMEMORY.text(shuffle=1)
    assert "different output" in nomemory_alt(nomemory_compute(1, memory=True))


def test_shuffle_slider_frames_are_the_live_pictures_and_moving_it_changes_the_picture():
    values = SHUFFLES[:3]
    twin = replace(NOMEMORY, grid={"shuffle": list(values)}, start={}).static(link=widgets.link)
    for v in values:
        assert twin.frame(v) == figure_to_png(nomemory_draw(nomemory_compute(v)))
    seen = []
    for index in (0, 2, 1):
        twin.slider.index = index
        seen.append(twin.visible_frame())
        assert twin.visible_frame() == twin.frame(values[index])
    assert len(set(seen)) == 3


def test_swaps():
    assert list(swapped([0.0, 1.0, 2.0, 3.0, 4.0, 5.0], 2, 5)) == [0.0, 1.0, 5.0, 3.0, 4.0, 2.0]
    layers = tiny_net()
    assert changed_positions(lambda xs: feedforward(layers, xs)) == [2, 5]
    assert changed_positions(loop_outputs) == [2, 3, 4, 5, 6, 7]
    assert changed_positions(loop_outputs, 0, 1) == list(range(8))


@pytest.mark.parametrize("name, answer, ok, words", [
    ("feedforward-1", [2, 5], True, "trade outputs"),
    ("feedforward-1", (5, 2), True, "trade outputs"),
    ("feedforward-1", [2, 3, 4, 5], False, "one input at a time"),
    ("feedforward-1", [2], False, "missed"),
    ("feedforward-1", "two and five", False, "whole numbers"),
    ("feedforward-2", 0.5, False, "0.5 is the last input"),
    ("feedforward-3", list(range(2, 8)), True, "carries what came before"),
    ("feedforward-3", [2, 5], False, "travels forward"),
    ("feedforward-3", list(range(8)), False, "before the first swap"),
])
def test_exercise_checks_explain_themselves(name, answer, ok, words):
    verdict = check(name, answer)
    assert verdict.ok is ok and words in verdict.message


def test_reading_the_table_answers_exercise_two():
    ys = feedforward(tiny_net(), SEQUENCE[:, None])
    b = LETTERS.index("B")
    assert SEQUENCE[b] == NEW_SEQUENCE[-1] == 0.5
    assert check("feedforward-2", round(float(ys[b, 0]), 3)).ok  # the value as the table prints it
    assert not check("feedforward-2", float(ys[0, 0])).ok
