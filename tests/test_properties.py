"""Property tests (hypothesis): what must hold for any input, not only for the ones we thought of."""

import warnings

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from lstm_lite import GRUCell, LSTMCell, RNNCell, sigmoid, tanh

finite = st.floats(min_value=-1e4, max_value=1e4, allow_nan=False)
any_float = st.floats(allow_nan=False, allow_infinity=True)


@given(arrays(np.float64, st.integers(1, 50), elements=any_float))
def test_sigmoid_lies_in_zero_one_without_warnings(x):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        y = sigmoid(x)
    assert np.all((y >= 0) & (y <= 1))


@given(arrays(np.float64, st.integers(1, 50), elements=finite))
def test_tanh_is_odd_and_bounded(x):
    assert np.array_equal(tanh(-x), -tanh(x))
    assert np.all(np.abs(tanh(x)) <= 1)


@given(finite)
def test_sigmoid_matches_its_definition_where_exp_does_not_overflow(x):
    if abs(x) < 700:
        assert np.isclose(sigmoid(x), 1 / (1 + np.exp(-x)), rtol=1e-12, atol=1e-300)


def test_sigmoid_limits_and_centre():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert sigmoid(0.0) == 0.5
        assert sigmoid(1e4) == 1.0 and sigmoid(-1e4) == 0.0
        assert tanh(1e4) == 1.0 and tanh(-1e4) == -1.0
        assert sigmoid(np.inf) == 1.0 and sigmoid(-np.inf) == 0.0


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    T=st.integers(1, 12),
    D=st.integers(1, 4),
    H=st.integers(1, 5),
    scale=st.floats(0.1, 100.0),
)
def test_forget_one_input_zero_conserves_the_cell_state(seed, T, D, H, scale):
    """With forget = 1 and input = 0 the belt carries c0 along unchanged, whatever the inputs and weights."""
    rng = np.random.default_rng(seed)
    cell = LSTMCell(D, H, seed=seed % 1000)
    c0 = rng.normal(0, 3, H)
    trace = cell.forward(rng.normal(0, scale, (T, D)), c0=c0, forget=1.0, input=0.0)
    assert np.array_equal(trace.c, np.broadcast_to(c0, (T, H)))


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10_000), T=st.integers(1, 10), B=st.integers(1, 4))
def test_a_batch_is_its_sequences_run_one_by_one(seed, T, B):
    rng = np.random.default_rng(seed)
    for cell in (LSTMCell(3, 4, seed=seed), RNNCell(3, 4, seed=seed), GRUCell(3, 4, seed=seed)):
        xs = rng.normal(size=(T, B, 3))
        together = cell.forward(xs).h
        for b in range(B):
            np.testing.assert_allclose(together[:, b], cell.forward(xs[:, b]).h, rtol=1e-12, atol=1e-14)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10_000))
def test_gates_lie_in_their_ranges(seed):
    rng = np.random.default_rng(seed)
    trace = LSTMCell(2, 3, seed=seed).forward(rng.normal(0, 10, (8, 2)))
    for gate in (trace.input, trace.forget, trace.output):
        assert np.all((gate >= 0) & (gate <= 1))
    assert np.all(np.abs(trace.candidate) <= 1) and np.all(np.abs(trace.h) <= 1)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), T=st.integers(1, 12), scale=st.floats(0.1, 100.0))
def test_gru_update_one_carries_the_state_unchanged(seed, T, scale):
    """The GRU's update gate at 1 keeps h exactly: its one gate does the LSTM's keep-and-block in one."""
    rng = np.random.default_rng(seed)
    h0 = rng.uniform(-1, 1, 3)
    trace = GRUCell(2, 3, seed=seed % 1000).forward(rng.normal(0, scale, (T, 2)), h0=h0, update=1.0)
    assert np.array_equal(trace.h, np.broadcast_to(h0, (T, 3)))
