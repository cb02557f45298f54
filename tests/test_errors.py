"""Bad input gets a clear ValueError/TypeError that names what was expected and what came."""

import numpy as np
import pytest

from lstm_lite import (
    Adam,
    Dense,
    GRUCell,
    LanguageModel,
    LSTMCell,
    RNNCell,
    SequenceClassifier,
    clip_grad_norm,
    cross_entropy,
    sigmoid,
    tanh,
    train,
)


@pytest.mark.parametrize("size, error", [(0, ValueError), (-3, ValueError), (2.5, TypeError), ("4", TypeError), (True, TypeError)])
@pytest.mark.parametrize("cls", [LSTMCell, RNNCell, GRUCell])
def test_bad_sizes(cls, size, error):
    with pytest.raises(error, match="hidden_size"):
        cls(3, size)
    with pytest.raises(error, match="input_size"):
        cls(size, 3)


def test_bad_dense_sizes_and_activation():
    with pytest.raises(ValueError, match="output_size"):
        Dense(2, 0)
    with pytest.raises(ValueError, match="activation"):
        Dense(2, 2, activation="relu")
    with pytest.raises(ValueError, match=r"shape \(\.\.\., 2\)"):
        Dense(2, 2).forward(np.zeros(3))


@pytest.mark.parametrize("cls", [LSTMCell, RNNCell, GRUCell])
def test_bad_sequences(cls):
    cell = cls(3, 4)
    with pytest.raises(ValueError, match=r"input_size=3.*got shape \(5, 2\)"):
        cell.forward(np.zeros((5, 2)))
    with pytest.raises(ValueError, match="got a 1-d array"):
        cell.forward(np.zeros(3))
    with pytest.raises(ValueError, match="got a 4-d array"):
        cell.forward(np.zeros((2, 2, 2, 3)))
    with pytest.raises(ValueError, match="NaN or inf"):
        cell.forward(np.array([[0.0, np.nan, 1.0]]))
    with pytest.raises(ValueError, match="NaN or inf"):
        cell.forward(np.array([[0.0, np.inf, 1.0]]))
    with pytest.raises(ValueError, match="at least one time step"):
        cell.forward(np.zeros((0, 3)))
    with pytest.raises(TypeError, match="array of numbers"):
        cell.forward([["a", "b", "c"]])


@pytest.mark.parametrize("cls", [LSTMCell, RNNCell, GRUCell])
def test_bad_initial_states(cls):
    cell = cls(3, 4)
    with pytest.raises(ValueError, match=r"h0 must have shape \(4,\), got \(3,\)"):
        cell.forward(np.zeros((5, 3)), h0=np.zeros(3))
    with pytest.raises(ValueError, match=r"h0 must have shape \(2, 4\), got \(4,\)"):
        cell.forward(np.zeros((5, 2, 3)), h0=np.zeros(4))
    if cls is LSTMCell:
        with pytest.raises(ValueError, match=r"c0 must have shape \(4,\)"):
            cell.forward(np.zeros((5, 3)), c0=np.zeros((1, 4)))


@pytest.mark.parametrize("gate", ["forget", "input", "output"])
def test_bad_gate_values(gate):
    cell = LSTMCell(2, 3)
    xs = np.zeros((4, 2))
    with pytest.raises(ValueError, match=rf"{gate} gate values must lie in \[0, 1\], got values from .* to 1.5"):
        cell.forward(xs, **{gate: 1.5})
    with pytest.raises(ValueError, match=r"must lie in \[0, 1\]"):
        cell.forward(xs, **{gate: -0.1})
    with pytest.raises(ValueError, match=r"broadcastable to \(4, 3\), got shape \(5,\)"):
        cell.forward(xs, **{gate: np.full(5, 0.5)})
    with pytest.raises(ValueError, match="NaN or inf"):
        cell.forward(xs, **{gate: np.nan})


def test_bad_candidate_values():
    """The candidate is a tanh: a value set by hand must lie in [-1, 1], and the message says so and what came."""
    cell = LSTMCell(2, 3)
    xs = np.zeros((4, 2))
    cell.forward(xs, candidate=-1.0), cell.step(xs[0], candidate=np.array([-1.0, 0.0, 1.0]))  # the ends are allowed
    with pytest.raises(ValueError, match=r"candidate values must lie in \[-1, 1\], got values from -1.5 to 0.5"):
        cell.forward(xs, candidate=np.array([-1.5, 0.0, 0.5]))
    with pytest.raises(ValueError, match=r"candidate values must lie in \[-1, 1\], got values from 2.0 to 2.0"):
        cell.step(xs[0], candidate=2.0)
    with pytest.raises(ValueError, match=r"candidate must be a number or an array broadcastable to \(4, 3\), got shape \(5,\)"):
        cell.forward(xs, candidate=np.zeros(5))
    with pytest.raises(ValueError, match="NaN or inf"):
        cell.forward(xs, candidate=np.inf)


def test_bad_from_torch_shapes():
    H, D = 3, 2
    good = (np.zeros((4 * H, D)), np.zeros((4 * H, H)), np.zeros(4 * H), np.zeros(4 * H))
    LSTMCell.from_torch(*good)
    with pytest.raises(ValueError, match=r"weight_hh of a LSTMCell must have shape \(4 \* H, H\)"):
        LSTMCell.from_torch(good[0], np.zeros((3 * H, H)), *good[2:])
    with pytest.raises(ValueError, match=r"weight_ih must have shape \(12, input_size\)"):
        LSTMCell.from_torch(np.zeros((3 * H, D)), *good[1:])
    with pytest.raises(ValueError, match=r"bias_hh must have shape \(12,\), got \(9,\)"):
        LSTMCell.from_torch(*good[:3], np.zeros(3 * H))
    with pytest.raises(ValueError, match=r"weight_hh of a RNNCell"):
        RNNCell.from_torch(*good)


def test_bad_backward_inputs():
    cell = LSTMCell(2, 3)
    trace = cell.forward(np.zeros((4, 2)))
    with pytest.raises(ValueError, match=r"dh must have shape \(4, 3\), got \(4, 2\)"):
        cell.backward(trace, np.zeros((4, 2)))
    with pytest.raises(TypeError, match="LSTMTrace"):
        cell.backward(RNNCell(2, 3).forward(np.zeros((4, 2))), np.zeros((4, 3)))


def test_bad_training_inputs():
    with pytest.raises(ValueError, match=r"labels must lie in 0\.\.2"):
        cross_entropy(np.zeros((2, 3)), np.array([0, 3]))
    with pytest.raises(ValueError, match=r"labels must be 2 integers"):
        cross_entropy(np.zeros((2, 3)), np.array([0.5, 1.0]))
    with pytest.raises(ValueError, match="max_norm must be a positive finite number or None, got 0.0"):
        clip_grad_norm({"a": np.ones(2)}, 0.0)
    params = {"w": np.zeros(2)}
    with pytest.raises(ValueError, match=r"grads must have the keys \['w'\]"):
        Adam(params).step({"v": np.zeros(2)})
    with pytest.raises(TypeError, match="array of numbers"):
        sigmoid("ten")
    model = SequenceClassifier(LSTMCell(1, 2), n_classes=2)
    with pytest.raises(ValueError, match=r"labels must be 3 integers"):
        model.loss_and_grads(np.zeros((4, 3, 1)), np.array([0, 1]))


def test_bad_gru_gates_and_trace():
    cell = GRUCell(2, 3)
    with pytest.raises(ValueError, match=r"update gate values must lie in \[0, 1\]"):
        cell.forward(np.zeros((4, 2)), update=2.0)
    with pytest.raises(ValueError, match=r"reset gate must be a number or an array broadcastable to \(4, 3\)"):
        cell.forward(np.zeros((4, 2)), reset=np.full((2, 2), 0.5))
    with pytest.raises(TypeError, match="GRUTrace"):
        cell.backward(LSTMCell(2, 3).forward(np.zeros((4, 2))), np.zeros((4, 3)))
    with pytest.raises(ValueError, match=r"weight_hh of a GRUCell must have shape \(3 \* H, H\)"):
        GRUCell.from_torch(np.zeros((12, 2)), np.zeros((12, 3)), np.zeros(12), np.zeros(12))


@pytest.mark.parametrize("cls", [LSTMCell, RNNCell, GRUCell])
def test_none_complex_and_text_are_named_for_what_they_are(cls):
    cell = cls(3, 4)
    with pytest.raises(TypeError, match="xs must be an array of numbers, got None"):
        cell.forward(None)
    with pytest.raises(TypeError, match="xs must hold real numbers, got complex values"):
        cell.forward(np.ones((2, 3)) * 1j)
    with pytest.raises(TypeError, match="xs must be an array of numbers, got list of dtype <U1"):
        cell.forward([["a", "b", "c"]])


@pytest.mark.parametrize("cls, module", [("LSTMCell", "LSTM"), ("RNNCell", "RNN"), ("GRUCell", "GRU")])
def test_from_torch_takes_torchs_parameters_as_they_come(cls, module):
    import torch  # a test dependency (requirements-dev.txt): never skipped

    import lstm_lite

    net = getattr(torch.nn, module)(3, 4).double()
    params = [getattr(net, f"{name}_l0") for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")]
    assert all(p.requires_grad for p in params)  # what torch's own `.numpy()` refuses
    cell = getattr(lstm_lite, cls).from_torch(*params)
    for ours, theirs in zip(cell.to_torch(), params):
        np.testing.assert_array_equal(ours, theirs.detach().numpy())
    with torch.no_grad():
        params[0].add_(1.0)  # a copy was taken: changing torch's weights afterwards does not change the cell
    assert not np.array_equal(cell.weight_ih, params[0].detach().numpy())


@pytest.mark.parametrize("cls", [LSTMCell, RNNCell, GRUCell])
def test_backward_refuses_a_stale_or_foreign_trace(cls):
    cell, xs = cls(2, 3, seed=0), np.ones((4, 2))
    trace = cell.forward(xs)
    cell.backward(trace, np.ones((4, 3)))  # its own, fresh trace: fine
    stale = "this trace was made with other weights: by another cell, or by this one before its weights changed"
    with pytest.raises(ValueError, match=stale):
        cls(2, 3, seed=1).backward(trace, np.ones((4, 3)))  # another cell of the same size
    cell.weight_hh[0, 0] += 0.1  # what an optimiser step does
    with pytest.raises(ValueError, match=stale):
        cell.backward(trace, np.ones((4, 3)))


def test_clip_grad_norm_at_the_extremes():
    clipped, norm = clip_grad_norm({"a": np.array([1e200, 1e200]), "b": np.array([0.0])}, 2.0)
    assert norm == pytest.approx(np.sqrt(2) * 1e200, rel=1e-15)  # the squares overflow; the norm must not
    np.testing.assert_allclose(clipped["a"], [np.sqrt(2), np.sqrt(2)], rtol=1e-15)
    clipped, norm = clip_grad_norm({"a": np.array([3e-200, 4e-200])}, 1.0)  # the squares underflow to 0
    assert norm == pytest.approx(5e-200, rel=1e-15) and np.array_equal(clipped["a"], [3e-200, 4e-200])
    same, norm = clip_grad_norm({"a": np.array([30.0, 40.0])}, None)  # None: no clipping, as `train` documents
    assert norm == 50.0 and np.array_equal(same["a"], [30.0, 40.0])
    for bad in (np.inf, np.nan):
        with pytest.raises(ValueError, match=r"grads\['a'\] must hold finite numbers"):
            clip_grad_norm({"a": np.array([1.0, bad])}, 1.0)
    with pytest.raises(TypeError, match="grads must be a dict"):
        clip_grad_norm([np.ones(2)], 1.0)
    with pytest.raises(ValueError, match="max_norm must be a positive finite number or None, got 'one'"):
        clip_grad_norm({"a": np.ones(2)}, "one")


@pytest.mark.parametrize("kwargs, message", [
    ({"lr": np.inf}, "lr must be a positive finite number, got inf"),
    ({"lr": -0.1}, "lr must be a positive finite number"),
    ({"betas": (0.9, 1.0)}, r"betas must be two numbers in \[0, 1\), got \(0.9, 1.0\)"),
    ({"betas": (0.9,)}, r"betas must be two numbers in \[0, 1\)"),
    ({"eps": 0.0}, "eps must be a positive finite number"),
])
def test_adam_refuses_settings_that_write_nan_or_inf(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Adam({"w": np.zeros(2)}, **kwargs)


def test_adam_refuses_gradients_it_cannot_use_and_leaves_the_weights_alone():
    params = {"w": np.zeros(2)}
    opt = Adam(params)
    with pytest.raises(ValueError, match=r"grads\['w'\] must hold finite numbers"):
        opt.step({"w": np.array([np.nan, 0.0])})
    with pytest.raises(ValueError, match=r"grads\['w'\] must have the shape of its parameter, \(2,\), got \(3,\)"):
        opt.step({"w": np.ones(3)})  # it would broadcast silently
    with pytest.raises(ValueError, match=r"must have the shape of its parameter, \(2,\), got \(2, 1\)"):
        opt.step({"w": np.ones((2, 1))})
    assert np.array_equal(params["w"], [0.0, 0.0]) and opt.t == 0


@pytest.mark.parametrize("bias", [np.nan, np.inf, "1", True])
def test_forget_bias_must_be_a_finite_number(bias):
    with pytest.raises(ValueError, match="forget_bias must be a finite number or None"):
        LSTMCell(2, 3, forget_bias=bias)


def test_the_readout_draws_from_a_stream_of_its_own():
    cell = LSTMCell(8, 16, seed=0)  # the readout reads 16 numbers, so both draw from U(-1/4, 1/4)
    readout = SequenceClassifier(cell, 4, seed=0).readout
    # With one stream reused, the readout's 64 weights were the cell's first 64 weight_ih entries, bit for bit.
    assert not np.any(np.isin(readout.weight, cell.weight_ih)) and not np.any(np.isin(readout.bias, cell.weight_ih))


@pytest.mark.parametrize("fn", [sigmoid, tanh])
def test_squashing_functions_refuse_none_instead_of_returning_nan(fn):
    with pytest.raises(TypeError, match="expected a number or an array of numbers, got None"):
        fn(None)


@pytest.mark.parametrize("seed", ["a", -1, 2.5, True, None])
@pytest.mark.parametrize("make", [lambda seed: LSTMCell(2, 3, seed=seed), lambda seed: Dense(2, 3, seed=seed)],
                         ids=["cell", "dense"])
def test_a_bad_seed_is_named_as_such(make, seed):
    with pytest.raises(TypeError, match=r"seed must be a non-negative int \(or a numpy SeedSequence\), got "):
        make(seed)


def test_a_seed_sequence_is_a_seed():
    a, b = (Dense(2, 3, seed=np.random.SeedSequence([7, 1])) for _ in range(2))
    assert np.array_equal(a.weight, b.weight)


def test_cross_entropy_refuses_an_empty_batch():
    with pytest.raises(ValueError, match=r"logits must have shape \(B, K\) with B, K > 0, got \(0, 3\)"):
        cross_entropy(np.ones((0, 3)), np.array([], dtype=int))


@pytest.mark.parametrize("cell", [None, Dense(2, 3), "LSTMCell"])
def test_a_classifier_needs_a_recurrent_cell(cell):
    with pytest.raises(TypeError, match="cell must be an RNNCell, LSTMCell or GRUCell, got "):
        SequenceClassifier(cell, 2)


@pytest.mark.parametrize("steps, error", [(0, ValueError), (-1, ValueError), (2.5, TypeError), ("3", TypeError)])
def test_train_needs_a_positive_whole_number_of_steps(steps, error):
    params = {"w": np.ones(1)}
    with pytest.raises(error, match="steps must be a positive int, got "):
        train(lambda step: (1.0, {"w": np.ones(1)}), params, steps, progress=False)


def test_train_needs_a_function():
    with pytest.raises(TypeError, match=r"loss_and_grads must be a function step -> \(loss, grads\), got NoneType"):
        train(None, {"w": np.ones(1)}, 2, progress=False)


@pytest.mark.parametrize("kwargs, error, message", [
    ({"check": 0.95}, TypeError, r"check must be None or a function updates -> bool, got float"),
    ({"check": lambda n: False, "check_every": 0}, ValueError, r"check_every must be a positive int, got 0"),
    ({"check": lambda n: False, "check_every": 2.5}, TypeError, r"check_every must be a positive int, got 2\.5"),
    ({"progress": None}, TypeError, r"progress must be True, False or a progress bar \(with update\(\)\), got NoneType"),
    ({"progress": "yes"}, TypeError, r"progress must be True, False or a progress bar \(with update\(\)\), got str"),
])
def test_train_needs_a_check_and_a_bar_it_can_call(kwargs, error, message):
    params = {"w": np.ones(1)}
    with pytest.raises(error, match=message):
        train(lambda step: (1.0, {"w": np.ones(1)}), params, 3, **({"progress": False} | kwargs))
    assert params["w"][0] == 1.0  # refused before any update


@pytest.mark.parametrize("loss", [float("nan"), float("inf"), "x", None])
def test_train_stops_at_a_loss_that_is_not_a_finite_number(loss):
    params = {"w": np.ones(1)}
    with pytest.raises(ValueError, match=r"the loss at step 0 must be a finite number, got "):
        train(lambda step: (loss, {"w": np.ones(1)}), params, 3, progress=False)
    assert params["w"][0] == 1.0  # nothing was updated


@pytest.mark.parametrize("gates, message", [
    ({"forget": {3: 1.0}}, r"forget: the memory cells set by hand must be ints in 0..2, got 3"),
    ({"forget": {"a": 1.0}}, r"forget: the memory cells set by hand must be ints in 0..2, got 'a'"),
    ({"input": {0: 1.5}}, r"input gate values must lie in \[0, 1\]"),
    ({"candidate": {1: -2.0}}, r"candidate values must lie in \[-1, 1\]"),
])
def test_a_gate_set_in_some_memory_cells_is_checked(gates, message):
    with pytest.raises(ValueError, match=message):
        LSTMCell(2, 3).forward(np.zeros((4, 2)), **gates)


def test_only_the_lstm_sets_a_gate_per_memory_cell():
    with pytest.raises(TypeError, match=r"update: GRUCell takes a number or an array; a gate set per memory cell"):
        GRUCell(2, 3).forward(np.zeros((4, 2)), update={0: 1.0})


def test_the_language_model_names_a_symbol_it_does_not_know():
    model = LanguageModel(LSTMCell(4, 3), vocab_size=5)
    with pytest.raises(ValueError, match=r"symbols must lie in 0..4, got 0 to 7"):
        model.loss_and_grads(np.array([[0], [7]]), np.array([[1], [2]]))
    with pytest.raises(ValueError, match="symbols must be a non-empty array of ints, got float64"):
        model.forward(np.zeros((3, 2)))
    with pytest.raises(TypeError, match="cell must be an RNNCell, LSTMCell or GRUCell, got Dense"):
        LanguageModel(Dense(3, 4), vocab_size=5)


@pytest.mark.parametrize("logits", [[[1.0, 2.0], [3.0]], [["a", "b"]]])
def test_cross_entropy_names_logits_that_are_no_numbers(logits):
    with pytest.raises(TypeError, match="logits must be an array of numbers"):
        cross_entropy(logits, [0])


def test_float32_logits_stay_float32_and_the_loss_is_a_float():
    loss, d = cross_entropy(np.array([[1.0, 2.0, 0.5]], dtype=np.float32), [1])
    assert d.dtype == np.float32 and isinstance(loss, float)
    np.testing.assert_allclose(loss, cross_entropy(np.array([[1.0, 2.0, 0.5]]), [1])[0], rtol=1e-6)
