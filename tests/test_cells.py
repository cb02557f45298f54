"""Behaviour of the cells: gates by hand, traces, initialisation, to/from PyTorch layout."""

import dataclasses

import numpy as np
import pytest

from lstm_lite import Dense, LSTMCell, RNNCell, sigmoid


def test_forced_gates_do_what_the_book_says():
    rng = np.random.default_rng(0)
    cell = LSTMCell(2, 3, seed=1)
    xs, c0 = rng.normal(size=(5, 2)), np.array([0.5, -2.0, 3.0])

    keep = cell.forward(xs, c0=c0, forget=1.0, input=0.0)
    assert np.array_equal(keep.c, np.tile(c0, (5, 1)))  # forget=1 keeps, input=0 blocks: the belt is untouched

    wipe = cell.forward(xs, c0=c0, forget=0.0)
    np.testing.assert_array_equal(wipe.c, wipe.input * wipe.candidate)  # forget=0 keeps only input * candidate

    write = cell.forward(xs, c0=c0, forget=0.0, input=1.0)
    np.testing.assert_array_equal(write.c, write.candidate)  # input=1 writes the whole candidate

    offer = cell.forward(xs, c0=c0, forget=0.0, input=1.0, candidate=-0.5)
    assert np.array_equal(offer.c, np.full((5, 3), -0.5))  # a candidate set by hand is what is written
    assert offer.forced == ("input", "forget", "candidate")  # in PyTorch's order i, f, g, o

    dark = cell.forward(xs, c0=c0, output=0.0)
    assert np.array_equal(dark.h, np.zeros((5, 3)))  # output=0 shows nothing
    assert np.any(dark.c != 0)  # ... while the belt still carries its values: h and c are different things


def test_forced_gate_arrays_broadcast_per_step_and_per_unit():
    cell = LSTMCell(1, 2, seed=0)
    xs = np.ones((4, 1))
    per_step = np.array([1.0, 1.0, 0.0, 1.0])[:, None]  # (T, 1): wipe at step 2 only
    trace = cell.forward(xs, c0=np.array([1.0, 2.0]), forget=per_step, input=0.0)
    assert np.array_equal(trace.c[:2], [[1.0, 2.0], [1.0, 2.0]]) and np.array_equal(trace.c[2:], np.zeros((2, 2)))
    per_unit = cell.forward(xs, c0=np.array([1.0, 2.0]), forget=np.array([1.0, 0.0]), input=0.0)
    assert np.array_equal(per_unit.c, [[1.0, 0.0]] * 4)  # gates are vectors: one value per memory cell
    assert per_unit.forced == ("forget", "input") or set(per_unit.forced) == {"forget", "input"}


def test_cell_state_is_not_bounded_to_minus_one_one():
    w_ih = np.array([[0.0], [0.0], [3.0], [0.0]])  # blocks i, f, g, o: a strong candidate, tanh(3) = 0.995
    cell = LSTMCell.from_torch(w_ih, np.zeros((4, 1)), np.zeros(4), np.zeros(4))
    trace = cell.forward(np.ones((5, 1)), forget=1.0, input=1.0)
    assert trace.c[-1, 0] > 4.9  # the candidate is added five times
    assert abs(trace.h[-1, 0]) < 1  # ... while h = o * tanh(c) stays inside (-1, 1)


def test_trace_is_immutable_and_does_not_alias_the_inputs():
    xs = np.zeros((3, 2))
    h0 = np.zeros(4)
    trace = LSTMCell(2, 4).forward(xs, h0=h0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        trace.h = None
    for name in ("x", "h0", "c0", "h", "c", "input", "forget", "candidate", "output"):
        with pytest.raises(ValueError):
            getattr(trace, name)[...] = 1.0
    xs[0, 0] = 5.0
    h0[0] = 1.0
    assert trace.x[0, 0] == 0.0 and trace.h0[0] == 0.0  # the reader's arrays stay theirs and writable


def test_trace_shapes_single_and_batch():
    cell = LSTMCell(3, 5)
    one = cell.forward(np.zeros((7, 3)))
    many = cell.forward(np.zeros((7, 2, 3)))
    for name in ("h", "c", "input", "forget", "candidate", "output"):
        assert getattr(one, name).shape == (7, 5)
        assert getattr(many, name).shape == (7, 2, 5)
    assert RNNCell(3, 5).forward(np.zeros((7, 2, 3))).h.shape == (7, 2, 5)


def test_seeded_init_is_reproducible_and_seed_dependent():
    a, b, c = LSTMCell(3, 4, seed=7), LSTMCell(3, 4, seed=7), LSTMCell(3, 4, seed=8)
    assert all(np.array_equal(x, y) for x, y in zip(a.to_torch(), b.to_torch()))
    assert not np.array_equal(a.weight_ih, c.weight_ih)


def test_lstm_starts_with_a_positive_forget_bias():
    cell = LSTMCell(3, 4)
    H = 4
    total = cell.bias_ih + cell.bias_hh
    np.testing.assert_array_equal(total[H : 2 * H], np.ones(H))
    trace = cell.forward(np.zeros((1, 3)))
    np.testing.assert_allclose(trace.forget, sigmoid(1.0) * np.ones((1, H)))  # ~0.73: keeps most of the belt
    default = LSTMCell(3, 4, forget_bias=None)
    assert np.abs(default.bias_ih).max() <= 0.5 and not np.all(default.bias_ih[H : 2 * H] == 1.0)


@pytest.mark.parametrize("cls, blocks", [(LSTMCell, 4), (RNNCell, 1)])
def test_to_torch_returns_from_torch_bit_for_bit(cls, blocks):
    rng = np.random.default_rng(3)
    H, D = 3, 2
    arrays = (rng.normal(size=(blocks * H, D)), rng.normal(size=(blocks * H, H)), rng.normal(size=blocks * H), rng.normal(size=blocks * H))
    back = cls.from_torch(*arrays).to_torch()
    assert all(a.tobytes() == b.tobytes() and a.shape == b.shape and a.dtype == b.dtype for a, b in zip(arrays, back))
    cell = cls.from_torch(*arrays)
    arrays[0][0, 0] = 99.0
    assert cell.weight_ih[0, 0] != 99.0  # from_torch copies


def test_dense_has_no_memory():
    rng = np.random.default_rng(0)
    net = Dense(2, 3, seed=0, activation="tanh")
    xs = rng.normal(size=(6, 2))
    order = rng.permutation(6)
    np.testing.assert_array_equal(net.forward(xs)[order], net.forward(xs[order]))


def test_a_gate_set_by_hand_in_one_memory_cell_leaves_the_others_computed():
    """forget={1: 1.0} holds memory cell 1's belt (nothing written: input 0 there too) while cells 0 and 2 compute
    their gates as if nothing were set; backward sends no gradient through the forced rows only."""
    cell = LSTMCell(2, 3, seed=4)
    xs = np.random.default_rng(0).normal(size=(9, 2))
    c0 = np.array([0.3, -0.7, 0.5])
    free = cell.forward(xs, c0=c0)
    held = cell.forward(xs, c0=c0, forget={1: 1.0}, input={1: 0.0})
    assert np.all(held.forget[:, 1] == 1.0) and np.all(held.input[:, 1] == 0.0) and np.all(held.c[:, 1] == -0.7)
    assert held.forced == ("input", "forget") and held.forced_cells == (("input", (1,)), ("forget", (1,)))
    # the other memory cells see memory cell 1 only through h, so their first step is the free run's exactly
    np.testing.assert_array_equal(held.forget[0, [0, 2]], free.forget[0, [0, 2]])
    assert not np.allclose(held.c[:, [0, 2]], free.c[:, [0, 2]])  # ... and later steps differ through h
    grads = cell.backward(held, np.ones_like(held.h))
    H = 3
    for block in (0, 1):  # input, forget: no gradient through the rows of memory cell 1
        assert np.all(grads["weight_ih"][block * H + 1] == 0) and np.any(grads["weight_ih"][block * H + 0] != 0)
    # the same as setting the whole gate by hand where it is set everywhere
    every = cell.forward(xs, c0=c0, forget={k: 0.5 for k in range(3)})
    np.testing.assert_array_equal(every.c, cell.forward(xs, c0=c0, forget=0.5).c)


def test_a_gate_set_by_hand_over_time_in_one_memory_cell():
    cell = LSTMCell(1, 2, seed=0)
    xs = np.ones((4, 3, 1))  # a batch of 3
    schedule = np.array([1.0, 0.0, 1.0, 0.0])  # one value per step, for memory cell 0
    trace = cell.forward(xs, forget={0: schedule[:, None]})
    np.testing.assert_array_equal(trace.forget[:, :, 0], np.tile(schedule[:, None], (1, 3)))


def test_float32_runs_in_float32_and_agrees_with_float64():
    cell = LSTMCell(3, 5, seed=2)
    xs = np.random.default_rng(1).normal(size=(30, 4, 3))
    dh = np.random.default_rng(2).normal(size=(30, 4, 5))
    small = cell.astype(np.float32)
    assert small.dtype == np.float32 and cell.dtype == np.float64
    t32, t64 = small.forward(xs), cell.forward(xs)
    assert t32.h.dtype == t32.c.dtype == np.float32
    np.testing.assert_allclose(t32.h, t64.h, atol=2e-6)
    g32, g64 = small.backward(t32, dh), cell.backward(t64, dh)
    for name, g in g32.items():
        assert g.dtype == np.float32, name
        np.testing.assert_allclose(g, g64[name], rtol=2e-4, atol=2e-5, err_msg=name)
    np.testing.assert_array_equal(small.astype(np.float64).weight_hh, cell.weight_hh.astype(np.float32))
