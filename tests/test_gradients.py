"""Finite-difference checks of backward (no torch needed): central differences in float64."""

import numpy as np
import pytest

from lstm_lite import Dense, GRUCell, LSTMCell, RNNCell


def _numeric_grad(f, x, eps=1e-6):
    """d f / d x by central differences, element by element (x is changed in place and restored)."""
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        keep = x[idx]
        x[idx] = keep + eps
        up = f()
        x[idx] = keep - eps
        down = f()
        x[idx] = keep
        grad[idx] = (up - down) / (2 * eps)
    return grad


@pytest.mark.parametrize(
    "make", [lambda: LSTMCell(3, 4, seed=5), lambda: RNNCell(3, 4, seed=5), lambda: GRUCell(3, 4, seed=5)], ids=["lstm", "rnn", "gru"]
)
@pytest.mark.parametrize("batched", [False, True])
def test_backward_matches_finite_differences(make, batched):
    rng = np.random.default_rng(0)
    cell = make()
    shape = (6, 2, 3) if batched else (6, 3)
    xs = rng.normal(size=shape)
    state = (2, 4) if batched else (4,)
    states = {"h0": rng.normal(size=state)}
    if isinstance(cell, LSTMCell):
        states["c0"] = rng.normal(size=state)
    weights = rng.normal(size=shape[:-1] + (4,))  # loss = sum(weights * h): reads every step

    def loss():
        return float(np.sum(weights * cell.forward(xs, **states).h))

    grads = cell.backward(cell.forward(xs, **states), weights)
    targets = dict(cell.parameters(), x=xs, **states)
    for name, array in targets.items():
        np.testing.assert_allclose(grads[name], _numeric_grad(loss, array), rtol=1e-6, atol=1e-8, err_msg=name)


def test_forced_gates_backward_matches_finite_differences():
    rng = np.random.default_rng(1)
    cell = LSTMCell(2, 3, seed=2)
    xs, c0 = rng.normal(size=(5, 2)), rng.normal(size=3)
    forget = rng.uniform(0.2, 0.9, size=(5, 3))
    weights = rng.normal(size=(5, 3))

    def loss():
        return float(np.sum(weights * cell.forward(xs, c0=c0, forget=forget, input=0.5).h))

    grads = cell.backward(cell.forward(xs, c0=c0, forget=forget, input=0.5), weights)
    for name, array in dict(cell.parameters(), x=xs, c0=c0).items():
        np.testing.assert_allclose(grads[name], _numeric_grad(loss, array), rtol=1e-6, atol=1e-8, err_msg=name)


def test_forced_candidate_backward_matches_finite_differences():
    """A candidate set by hand is a constant: its weights get no gradient, the rest of the cell still does."""
    rng = np.random.default_rng(3)
    cell = LSTMCell(2, 3, seed=4)
    xs, c0 = rng.normal(size=(5, 2)), rng.normal(size=3)
    candidate = rng.uniform(-1, 1, size=(5, 3))
    weights = rng.normal(size=(5, 3))

    def loss():
        return float(np.sum(weights * cell.forward(xs, c0=c0, candidate=candidate).h))

    grads = cell.backward(cell.forward(xs, c0=c0, candidate=candidate), weights)
    for name, array in dict(cell.parameters(), x=xs, c0=c0).items():
        np.testing.assert_allclose(grads[name], _numeric_grad(loss, array), rtol=1e-6, atol=1e-8, err_msg=name)
    g_rows = slice(2 * 3, 3 * 3)  # the candidate's block, PyTorch's order i, f, g, o
    assert np.all(grads["weight_ih"][g_rows] == 0) and np.all(grads["bias_hh"][g_rows] == 0)
    assert np.abs(grads["weight_ih"][:g_rows.start]).max() > 1e-3  # ... while the gates' weights learn


def test_dense_backward_matches_finite_differences():
    rng = np.random.default_rng(2)
    layer = Dense(3, 2, seed=1, activation="tanh")
    x, w = rng.normal(size=(4, 3)), rng.normal(size=(4, 2))

    def loss():
        return float(np.sum(w * layer.forward(x)))

    grads = layer.backward(x, w)
    for name, array in dict(layer.parameters(), x=x).items():
        np.testing.assert_allclose(grads[name], _numeric_grad(loss, array), rtol=1e-6, atol=1e-8, err_msg=name)
