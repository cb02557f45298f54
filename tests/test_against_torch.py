"""lstm_lite against PyTorch in float64: states, gates and every gradient of backward agree to 1e-8 relative.

PyTorch is a test-only dependency (requirements-dev.txt). These tests never skip: if torch is missing, they fail.
"""

import numpy as np
import pytest
import torch
from conftest import assert_close

from lstm_lite import Dense, Embedding, GRUCell, LanguageModel, LSTMCell, RNNCell

torch.set_default_dtype(torch.float64)

# (input_size, hidden_size, T, batch or None for one sequence): small, odd and larger shapes
CASES = [(1, 1, 1, None), (3, 5, 7, None), (4, 8, 20, 3), (7, 2, 11, 1), (16, 32, 25, 6), (5, 12, 40, None)]


def _random_params(rng, n_blocks, D, H):
    """Random parameters in PyTorch's layout, biases non-zero, larger than the default init to exercise saturation."""
    G = n_blocks * H
    return (rng.normal(0, 0.8, (G, D)), rng.normal(0, 0.8, (G, H)), rng.normal(0, 0.5, G), rng.normal(0, 0.5, G))


def _inputs(rng, D, H, T, B):
    lead = (T,) if B is None else (T, B)
    state = (H,) if B is None else (B, H)
    return rng.normal(0, 1.0, lead + (D,)), rng.normal(0, 0.5, state), rng.normal(0, 1.0, state), rng.normal(0, 1.0, lead + (H,))


def _torch_module(module, params):
    for name, value in zip(("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"), params):
        getattr(module, name).data = torch.tensor(value)
    return module


def _t(a, grad=True):
    return torch.tensor(a, requires_grad=grad)


@pytest.mark.parametrize("D,H,T,B", CASES)
def test_lstm_matches_torch(D, H, T, B):
    rng = np.random.default_rng(D * 1000 + H * 10 + T)
    params = _random_params(rng, 4, D, H)
    xs, h0, c0, dh = _inputs(rng, D, H, T, B)

    cell = LSTMCell.from_torch(*params)
    trace = cell.forward(xs, h0=h0, c0=c0)
    grads = cell.backward(trace, dh)

    lstm = _torch_module(torch.nn.LSTM(D, H), params)
    x_t, h0_t, c0_t = _t(xs), _t(h0[None]), _t(c0[None])  # torch wants (num_layers, [B,] H)
    out, (h_n, c_n) = lstm(x_t, (h0_t, c0_t))
    (out * torch.tensor(dh)).sum().backward()

    assert_close(trace.h, out.detach().numpy(), what="hidden states")
    assert_close(trace.c[-1], c_n[0].detach().numpy(), what="last cell state")
    for name, tname in [("weight_ih", "weight_ih_l0"), ("weight_hh", "weight_hh_l0"), ("bias_ih", "bias_ih_l0"), ("bias_hh", "bias_hh_l0")]:
        assert_close(grads[name], getattr(lstm, tname).grad.numpy(), what=name)
    assert_close(grads["x"], x_t.grad.numpy(), what="x")
    assert_close(grads["h0"], h0_t.grad[0].numpy(), what="h0")
    assert_close(grads["c0"], c0_t.grad[0].numpy(), what="c0")
    for name in ("x", "h0", "c0"):
        assert grads[name].shape == np.shape(locals()[{"x": "xs", "h0": "h0", "c0": "c0"}[name]])


@pytest.mark.parametrize("D,H,T,B", CASES)
def test_lstm_every_cell_state_and_gate_matches_torch_lstmcell(D, H, T, B):
    rng = np.random.default_rng(7 + D + H + T)
    params = _random_params(rng, 4, D, H)
    xs, h0, c0, _ = _inputs(rng, D, H, T, B)
    trace = LSTMCell.from_torch(*params).forward(xs, h0=h0, c0=c0)

    step = torch.nn.LSTMCell(D, H)
    for name, value in zip(("weight_ih", "weight_hh", "bias_ih", "bias_hh"), params):
        getattr(step, name).data = torch.tensor(value)
    h, c = torch.tensor(h0), torch.tensor(c0)
    w_ih, w_hh, b = (torch.tensor(p) for p in (params[0], params[1], params[2] + params[3]))
    with torch.no_grad():
        for t in range(T):
            x = torch.tensor(xs[t])
            i, f, g, o = (x @ w_ih.T + h @ w_hh.T + b).chunk(4, dim=-1)
            h, c = step(x, (h, c))
            assert_close(trace.c[t], c.numpy(), what=f"c at step {t}")
            assert_close(trace.h[t], h.numpy(), what=f"h at step {t}")
            assert_close(trace.input[t], torch.sigmoid(i).numpy(), what="input gate")
            assert_close(trace.forget[t], torch.sigmoid(f).numpy(), what="forget gate")
            assert_close(trace.candidate[t], torch.tanh(g).numpy(), what="candidate")
            assert_close(trace.output[t], torch.sigmoid(o).numpy(), what="output gate")


@pytest.mark.parametrize("D,H,T,B", CASES)
def test_rnn_matches_torch(D, H, T, B):
    rng = np.random.default_rng(D * 999 + H * 7 + T)
    params = _random_params(rng, 1, D, H)
    xs, h0, _, dh = _inputs(rng, D, H, T, B)

    cell = RNNCell.from_torch(*params)
    trace = cell.forward(xs, h0=h0)
    grads = cell.backward(trace, dh)

    rnn = _torch_module(torch.nn.RNN(D, H, nonlinearity="tanh"), params)
    x_t, h0_t = _t(xs), _t(h0[None])
    out, _ = rnn(x_t, h0_t)
    (out * torch.tensor(dh)).sum().backward()

    assert_close(trace.h, out.detach().numpy(), what="hidden states")
    for name, tname in [("weight_ih", "weight_ih_l0"), ("weight_hh", "weight_hh_l0"), ("bias_ih", "bias_ih_l0"), ("bias_hh", "bias_hh_l0")]:
        assert_close(grads[name], getattr(rnn, tname).grad.numpy(), what=name)
    assert_close(grads["x"], x_t.grad.numpy(), what="x")
    assert_close(grads["h0"], h0_t.grad[0].numpy(), what="h0")


@pytest.mark.parametrize("activation", [None, "tanh", "sigmoid"])
def test_dense_matches_torch_linear(activation):
    rng = np.random.default_rng(3)
    layer = Dense(5, 3, seed=1, activation=activation)
    x, dy = rng.normal(size=(4, 6, 5)), rng.normal(size=(4, 6, 3))
    lin = torch.nn.Linear(5, 3)
    lin.weight.data, lin.bias.data = torch.tensor(layer.weight), torch.tensor(layer.bias)
    x_t = _t(x)
    y_t = {None: lambda z: z, "tanh": torch.tanh, "sigmoid": torch.sigmoid}[activation](lin(x_t))
    (y_t * torch.tensor(dy)).sum().backward()
    grads = layer.backward(x, dy)
    assert_close(layer.forward(x), y_t.detach().numpy())
    assert_close(grads["weight"], lin.weight.grad.numpy())
    assert_close(grads["bias"], lin.bias.grad.numpy())
    assert_close(grads["x"], x_t.grad.numpy())


def test_default_init_has_torch_layout_and_range():
    lstm = LSTMCell(6, 10, seed=0, forget_bias=None)
    ref = torch.nn.LSTM(6, 10)
    for mine, theirs in zip(lstm.to_torch(), (ref.weight_ih_l0, ref.weight_hh_l0, ref.bias_ih_l0, ref.bias_hh_l0)):
        assert mine.shape == tuple(theirs.shape)
        assert np.abs(mine).max() <= 1 / np.sqrt(10)


@pytest.mark.parametrize("by_hand", ["forget and output", "candidate and input"])
def test_forced_gate_gradients_match_torch_with_the_gate_as_a_constant(by_hand):
    """Setting a gate (or the candidate) by hand = replacing sigmoid(z) (tanh(z)) by a constant; PyTorch with that
    substitution agrees."""
    rng = np.random.default_rng(11)
    D, H, T = 3, 4, 9
    params = _random_params(rng, 4, D, H)
    xs, h0, c0, dh = _inputs(rng, D, H, T, None)
    if by_hand == "forget and output":
        forced = {"forget": rng.uniform(0, 1, (T, H)), "output": 0.7}
    else:
        forced = {"candidate": rng.uniform(-1, 1, (T, H)), "input": 0.6}
    cell = LSTMCell.from_torch(*params)
    trace = cell.forward(xs, h0=h0, c0=c0, **forced)
    grads = cell.backward(trace, dh)

    w_ih, w_hh, b_ih, b_hh = (_t(p) for p in params)
    x_t, h, c = _t(xs), _t(h0), _t(c0)
    h0_t, c0_t, hs = h, c, []
    for t in range(T):
        i, f, g, o = (x_t[t] @ w_ih.T + b_ih + h @ w_hh.T + b_hh).chunk(4)
        parts = {"input": torch.sigmoid(i), "forget": torch.sigmoid(f), "candidate": torch.tanh(g),
                 "output": torch.sigmoid(o)}
        parts |= {name: torch.tensor(v[t] if np.ndim(v) else v) for name, v in forced.items()}  # constants
        c = parts["forget"] * c + parts["input"] * parts["candidate"]
        h = parts["output"] * torch.tanh(c)
        hs.append(h)
    (torch.stack(hs) * torch.tensor(dh)).sum().backward()
    assert_close(trace.h, torch.stack(hs).detach().numpy())
    for name, p in zip(("weight_ih", "weight_hh", "bias_ih", "bias_hh"), (w_ih, w_hh, b_ih, b_hh)):
        assert_close(grads[name], p.grad.numpy(), what=name)
    for name, p in (("x", x_t), ("h0", h0_t), ("c0", c0_t)):
        assert_close(grads[name], p.grad.numpy(), what=name)


@pytest.mark.parametrize("D,H,T,B", CASES)
def test_gru_matches_torch(D, H, T, B):
    rng = np.random.default_rng(D * 313 + H * 17 + T)
    params = _random_params(rng, 3, D, H)
    xs, h0, _, dh = _inputs(rng, D, H, T, B)

    cell = GRUCell.from_torch(*params)
    trace = cell.forward(xs, h0=h0)
    grads = cell.backward(trace, dh)

    gru = _torch_module(torch.nn.GRU(D, H), params)
    x_t, h0_t = _t(xs), _t(h0[None])
    out, _ = gru(x_t, h0_t)
    (out * torch.tensor(dh)).sum().backward()

    assert_close(trace.h, out.detach().numpy(), what="hidden states")
    for name, tname in [("weight_ih", "weight_ih_l0"), ("weight_hh", "weight_hh_l0"), ("bias_ih", "bias_ih_l0"), ("bias_hh", "bias_hh_l0")]:
        assert_close(grads[name], getattr(gru, tname).grad.numpy(), what=name)
    assert_close(grads["x"], x_t.grad.numpy(), what="x")
    assert_close(grads["h0"], h0_t.grad[0].numpy(), what="h0")

    # the gates, step by step, from PyTorch's own formulas (reset multiplies W_hn h + b_hn, bias included)
    w_ih, w_hh, b_ih, b_hh = (torch.tensor(p) for p in params)
    h = torch.tensor(h0)
    with torch.no_grad():
        for t in range(T):
            xr, xz, xn = (torch.tensor(xs[t]) @ w_ih.T + b_ih).chunk(3, dim=-1)
            hr, hz, hn = (h @ w_hh.T + b_hh).chunk(3, dim=-1)
            r, z = torch.sigmoid(xr + hr), torch.sigmoid(xz + hz)
            n = torch.tanh(xn + r * hn)
            h = (1 - z) * n + z * h
            assert_close(trace.reset[t], r.numpy(), what="reset")
            assert_close(trace.update[t], z.numpy(), what="update")
            assert_close(trace.new[t], n.numpy(), what="new")


def test_gru_forced_gate_gradients_match_torch_with_the_gate_as_a_constant():
    rng = np.random.default_rng(12)
    D, H, T = 3, 4, 8
    params = _random_params(rng, 3, D, H)
    xs, h0, _, dh = _inputs(rng, D, H, T, None)
    update = rng.uniform(0, 1, (T, H))
    cell = GRUCell.from_torch(*params)
    trace = cell.forward(xs, h0=h0, update=update, reset=0.3)
    grads = cell.backward(trace, dh)

    w_ih, w_hh, b_ih, b_hh = (_t(p) for p in params)
    x_t, h = _t(xs), _t(h0)
    h0_t, hs = h, []
    for t in range(T):
        xr, xz, xn = (x_t[t] @ w_ih.T + b_ih).chunk(3)
        hr, hz, hn = (h @ w_hh.T + b_hh).chunk(3)
        z = torch.tensor(update[t])
        n = torch.tanh(xn + 0.3 * hn)
        h = (1 - z) * n + z * h
        hs.append(h)
    (torch.stack(hs) * torch.tensor(dh)).sum().backward()
    assert_close(trace.h, torch.stack(hs).detach().numpy())
    for name, p in zip(("weight_ih", "weight_hh", "bias_ih", "bias_hh"), (w_ih, w_hh, b_ih, b_hh)):
        assert_close(grads[name], p.grad.numpy(), what=name)
    for name, p in (("x", x_t), ("h0", h0_t)):
        assert_close(grads[name], p.grad.numpy(), what=name)


@pytest.mark.parametrize("kind", ["lstm", "gru"])
def test_language_model_matches_torch_over_two_chunks_with_the_state_carried(kind):
    """Embedding -> cell -> readout at every step, cross-entropy of the next symbol: the loss and every gradient agree
    with torch.nn.Embedding/LSTM/Linear, on a first chunk and on a second that starts from the state the first
    ended in, detached (truncated BPTT)."""
    V, E, H, T, B = 11, 5, 7, 9, 4
    rng = np.random.default_rng(3)
    cell_class, torch_class = (LSTMCell, torch.nn.LSTM) if kind == "lstm" else (GRUCell, torch.nn.GRU)
    model = LanguageModel(cell_class(E, H, seed=1), V, seed=2)
    for p in model.params.values():
        p[...] = rng.normal(0, 0.7, p.shape)
    emb, rnn, out = torch.nn.Embedding(V, E), torch_class(E, H), torch.nn.Linear(H, V)
    emb.weight.data = torch.tensor(model.embedding.weight)
    _torch_module(rnn, model.cell.to_torch())
    out.weight.data, out.bias.data = torch.tensor(model.readout.weight), torch.tensor(model.readout.bias)
    stream = rng.integers(0, V, (2 * T + 1, B))
    state, torch_state = None, None
    for chunk in range(2):
        symbols, targets = stream[chunk * T:(chunk + 1) * T], stream[chunk * T + 1:(chunk + 1) * T + 1]
        loss, grads, state_next = model.loss_and_grads(symbols, targets, state)
        for m in (emb, rnn, out):
            m.zero_grad()
        hs, torch_next = rnn(emb(torch.tensor(symbols)), torch_state)
        torch_loss = torch.nn.functional.cross_entropy(out(hs).reshape(-1, V), torch.tensor(targets).reshape(-1))
        torch_loss.backward()
        assert_close(loss, torch_loss.item(), what=f"loss, chunk {chunk}")
        expected = {"embedding.weight": emb.weight, "readout.weight": out.weight, "readout.bias": out.bias,
                    **{f"cell.{k}": getattr(rnn, f"{k}_l0") for k in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")}}
        assert sorted(grads) == sorted(expected) == sorted(model.params)
        for name, param in expected.items():
            assert_close(grads[name], param.grad.numpy(), what=f"{name}, chunk {chunk}")
        torch_state = tuple(s.detach() for s in torch_next) if kind == "lstm" else torch_next.detach()
        carried = (torch_state[0], torch_state[1]) if kind == "lstm" else (torch_state,)
        for mine, theirs in zip(state_next.values(), carried):
            assert_close(mine, theirs[0].numpy(), what=f"carried state, chunk {chunk}")
        state = state_next


def test_embedding_is_a_dense_layer_fed_one_hot_inputs():
    table = Embedding(6, 3, seed=0)
    symbols = np.array([[0, 5], [2, 2]])
    one_hot = np.eye(6)[symbols]  # (2, 2, 6)
    assert_close(table.forward(symbols), one_hot @ table.weight)
    dy = np.random.default_rng(0).normal(size=(2, 2, 3))
    assert_close(table.backward(symbols, dy)["weight"], one_hot.reshape(-1, 6).T @ dy.reshape(-1, 3))
    emb = torch.nn.Embedding(6, 3)
    assert table.weight.shape == tuple(emb.weight.shape)
