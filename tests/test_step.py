"""`step`, the plain one-step function that the book shows, against `forward` (the fast path) and PyTorch's cells.

`forward` reorders the gate blocks, computes the sigmoids through tanh and keeps the batch on the last axis; `step`
reads like the equations. Run step by step, `step` must give what `forward` gives to 1e-12, gates set by hand
included, and one `step` must give what torch.nn.LSTMCell / RNNCell / GRUCell give (float64).
"""

import numpy as np
import pytest
import torch

from lstm_lite import GRUCell, GRUStep, LSTMCell, LSTMStep, RNNCell

torch.set_default_dtype(torch.float64)

CASES = [(1, 1, None), (3, 5, None), (4, 8, 3), (7, 2, 1), (16, 32, 6)]  # (D, H, batch or None)
T = 9


def _params(rng, n_blocks, D, H):
    G = n_blocks * H  # larger than PyTorch's start, so that the gates saturate somewhere
    return rng.normal(0, 0.8, (G, D)), rng.normal(0, 0.8, (G, H)), rng.normal(0, 0.5, G), rng.normal(0, 0.5, G)


def _inputs(rng, D, H, B):
    lead, state = ((T,), (H,)) if B is None else ((T, B), (B, H))
    return rng.normal(size=lead + (D,)), rng.normal(0, 0.5, state), rng.normal(size=state)


def _gates(rng, names, H, B, how):
    """Gates set by hand: none, numbers, or arrays of one value per step and cell."""
    if how == "computed":
        return {}
    low = {"candidate": -1.0}  # the candidate is a tanh, in [-1, 1]; the gates are sigmoids, in [0, 1]
    if how == "numbers":
        return {name: float(rng.uniform(low.get(name, 0.0), 1)) for name in names}
    return {name: rng.uniform(low.get(name, 0.0), 1, (T, H) if B is None else (T, B, H)) for name in names}


def _at(gates, t):
    return {name: (g if np.ndim(g) == 0 else g[t]) for name, g in gates.items()}


@pytest.mark.parametrize("how", ["computed", "numbers", "arrays"])
@pytest.mark.parametrize("D,H,B", CASES)
def test_lstm_step_by_step_is_forward(D, H, B, how):
    rng = np.random.default_rng(D * 100 + H)
    cell = LSTMCell.from_torch(*_params(rng, 4, D, H))
    xs, h, c = _inputs(rng, D, H, B)
    gates = _gates(rng, ("forget", "input", "output", "candidate"), H, B, how)
    trace = cell.forward(xs, h0=h, c0=c, **gates)
    for t in range(T):
        out = cell.step(xs[t], h, c, **_at(gates, t))
        assert isinstance(out, LSTMStep)
        for name in ("h", "c", "input", "forget", "candidate", "output"):
            np.testing.assert_allclose(getattr(out, name), getattr(trace, name)[t], rtol=1e-12, atol=1e-14,
                                       err_msg=f"{name} at step {t}")
        h, c = out.h, out.c


@pytest.mark.parametrize("how", ["computed", "numbers", "arrays"])
@pytest.mark.parametrize("D,H,B", CASES)
def test_gru_step_by_step_is_forward(D, H, B, how):
    rng = np.random.default_rng(D * 100 + H + 1)
    cell = GRUCell.from_torch(*_params(rng, 3, D, H))
    xs, h, _ = _inputs(rng, D, H, B)
    gates = _gates(rng, ("reset", "update"), H, B, how)
    trace = cell.forward(xs, h0=h, **gates)
    for t in range(T):
        out = cell.step(xs[t], h, **_at(gates, t))
        assert isinstance(out, GRUStep)
        for name in ("h", "reset", "update", "new"):
            np.testing.assert_allclose(getattr(out, name), getattr(trace, name)[t], rtol=1e-12, atol=1e-14,
                                       err_msg=f"{name} at step {t}")
        h = out.h


@pytest.mark.parametrize("D,H,B", CASES)
def test_rnn_step_by_step_is_forward(D, H, B):
    rng = np.random.default_rng(D * 100 + H + 2)
    cell = RNNCell.from_torch(*_params(rng, 1, D, H))
    xs, h, _ = _inputs(rng, D, H, B)
    trace = cell.forward(xs, h0=h)
    for t in range(T):
        h = cell.step(xs[t], h)  # the new hidden state itself
        assert isinstance(h, np.ndarray)
        np.testing.assert_allclose(h, trace.h[t], rtol=1e-12, atol=1e-14, err_msg=f"h at step {t}")


def _torch_cell(module, params):
    for name, value in zip(("weight_ih", "weight_hh", "bias_ih", "bias_hh"), params):
        getattr(module, name).data = torch.tensor(value)
    return module


@pytest.mark.parametrize("D,H,B", CASES)
def test_one_step_is_torch_cells_step(D, H, B):
    rng = np.random.default_rng(D * 100 + H + 3)
    xs, h, c = _inputs(rng, D, H, B)
    x = xs[0]
    as_t = torch.tensor
    with torch.no_grad():
        p = _params(rng, 4, D, H)
        h_t, c_t = _torch_cell(torch.nn.LSTMCell(D, H), p)(as_t(x), (as_t(h), as_t(c)))
        ours = LSTMCell.from_torch(*p).step(x, h, c)
        np.testing.assert_allclose(ours.h, h_t.numpy(), rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(ours.c, c_t.numpy(), rtol=1e-12, atol=1e-14)
        p = _params(rng, 3, D, H)
        h_t = _torch_cell(torch.nn.GRUCell(D, H), p)(as_t(x), as_t(h))
        np.testing.assert_allclose(GRUCell.from_torch(*p).step(x, h).h, h_t.numpy(), rtol=1e-12, atol=1e-14)
        p = _params(rng, 1, D, H)
        h_t = _torch_cell(torch.nn.RNNCell(D, H), p)(as_t(x), as_t(h))
        np.testing.assert_allclose(RNNCell.from_torch(*p).step(x, h), h_t.numpy(), rtol=1e-12, atol=1e-14)


def test_step_starts_from_zeros_and_its_results_are_frozen():
    cell = LSTMCell(2, 3, seed=0)
    out = cell.step(np.array([0.5, -1.0]))
    np.testing.assert_array_equal(out.c, out.input * out.candidate)  # an empty belt: c is what was written
    with pytest.raises(AttributeError):
        out.h = np.zeros(3)


@pytest.mark.parametrize("call, message", [
    (lambda c: c.step(np.zeros(3)), r"x must have shape \(2,\) for one input or \(B, 2\) for a batch, got \(3,\)"),
    (lambda c: c.step(np.zeros((4, 2)), h=np.zeros(3)), r"h must have shape \(4, 3\), got \(3,\)"),
    (lambda c: c.step(np.zeros(2), c=np.zeros((1, 3))), r"c must have shape \(3,\), got \(1, 3\)"),
    (lambda c: c.step(np.array([np.nan, 0.0])), r"x must hold finite numbers"),
    (lambda c: c.step(np.zeros(2), forget=1.5), r"forget gate values must lie in \[0, 1\]"),
    (lambda c: c.step(np.zeros(2), candidate=-1.5), r"candidate values must lie in \[-1, 1\], got values from -1.5"),
    (lambda c: c.step(None), r"x must be an array of numbers"),
])
def test_step_refuses_bad_input_with_a_clear_message(call, message):
    with pytest.raises((ValueError, TypeError), match=message):
        call(LSTMCell(2, 3, seed=0))
