"""Bad input gets a clear ValueError/TypeError that names what was expected and what came."""

import numpy as np
import pytest

from lstm_lite import Adam, Dense, GRUCell, LSTMCell, RNNCell, SequenceClassifier, clip_grad_norm, cross_entropy, mse, sigmoid


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
    with pytest.raises(ValueError, match=r"target must have shape \(3,\)"):
        mse(np.zeros(3), np.zeros(4))
    with pytest.raises(ValueError, match="max_norm must be positive"):
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
