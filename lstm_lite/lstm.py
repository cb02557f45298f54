"""The LSTM cell, as torch.nn.LSTM (one layer), with every gate open to be set by hand.

    i_t = sigmoid(W_ii x_t + b_ii + W_hi h_{t-1} + b_hi)    input gate:  how much of the candidate is written
    f_t = sigmoid(W_if x_t + b_if + W_hf h_{t-1} + b_hf)    forget gate: how much of the old cell state is kept
    g_t = tanh   (W_ig x_t + b_ig + W_hg h_{t-1} + b_hg)    candidate:   the new value, pushed up or down
    o_t = sigmoid(W_io x_t + b_io + W_ho h_{t-1} + b_ho)    output gate: how much of the cell is shown
    c_t = f_t * c_{t-1} + i_t * g_t                         cell state: the conveyor belt
    h_t = o_t * tanh(c_t)                                   hidden state: what the next layer reads

The four blocks are stacked in PyTorch's order i, f, g, o in weight_ih (4H, D), weight_hh (4H, H), bias_ih (4H,)
and bias_hh (4H,). A forget gate at 1 keeps the belt, at 0 wipes it; an input gate at 1 writes the candidate, at 0
blocks it. The gates are vectors: one value per memory cell.

References: Hochreiter & Schmidhuber, "Long Short-Term Memory", Neural Computation 9(8) (1997);
Gers, Schmidhuber & Cummins, "Learning to Forget", Neural Computation 12(10) (2000) (the forget gate);
Jozefowicz, Zaremba & Sutskever, ICML (2015) (forget-gate bias 1).
"""

import numbers
from dataclasses import dataclass

import numpy as np

from ._checks import as_state
from ._recurrent import RecurrentCell, Trace
from .activations import sigmoid, tanh

GATES = ("input", "forget", "candidate", "output")  # PyTorch's order of the four blocks
LOOP_ORDER = ("input", "forget", "output", "candidate")  # forward's inner order: the three sigmoids side by side


@dataclass(frozen=True)
class LSTMTrace(Trace):
    """Everything one run of LSTMCell.forward saw and computed (read-only arrays).

    x : inputs, shape (T, D) or (T, B, D); h0, c0 : initial states, shape (H,) or (B, H).
    h, c, input, forget, candidate, output : one row per step, shape (T, H) or (T, B, H).
    forced : the names of the gates that were set by hand in this run (in some memory cells or in all).
    """

    x: np.ndarray
    h0: np.ndarray
    c0: np.ndarray
    h: np.ndarray
    c: np.ndarray
    input: np.ndarray
    forget: np.ndarray
    candidate: np.ndarray
    output: np.ndarray
    weights: tuple = ()  # read-only copies of the parameters that made this trace
    forced: tuple = ()
    forced_cells: tuple = ()  # (name, the memory cells it was set in) for every gate in forced


@dataclass(frozen=True)
class LSTMStep:
    """One step of LSTMCell.step: the new states and the four gates, each (H,) or (B, H)."""

    h: np.ndarray
    c: np.ndarray
    input: np.ndarray
    forget: np.ndarray
    candidate: np.ndarray
    output: np.ndarray


class LSTMCell(RecurrentCell):
    """An LSTM cell with PyTorch's parameter names and layout, and gates that can be set by hand.

    Parameters
    ----------
    input_size : int, the number of features D of each input x_t
    hidden_size : int, the number H of memory cells
    seed : int, seeds the initialisation, U(-1/sqrt(H), 1/sqrt(H)) for every parameter as in PyTorch
    forget_bias : float or None. The forget gate's total bias (bias_ih + bias_hh of the f block) starts here,
        1.0 by default, so the gate starts at about sigmoid(1) = 0.73: the belt keeps most of what it carries
        from the first step of training, and gradients reach far back in time instead of fading at once
        (Gers et al. 2000; Jozefowicz et al. 2015 found a bias of 1 helps on almost every task).
        None keeps PyTorch's default initialisation.
    """

    n_blocks = 4

    def __init__(self, input_size, hidden_size, seed=0, forget_bias=1.0):
        super().__init__(input_size, hidden_size, seed)
        if forget_bias is not None:
            if isinstance(forget_bias, bool) or not isinstance(forget_bias, numbers.Real) or not np.isfinite(forget_bias):
                raise ValueError(f"forget_bias must be a finite number or None, got {forget_bias!r}")
            H = self.hidden_size
            self.bias_ih[H : 2 * H], self.bias_hh[H : 2 * H] = forget_bias, 0.0

    def step(self, x, h=None, c=None, input=None, forget=None, output=None, candidate=None):
        """One step of the cell, as the six equations read.

        x : (D,), or (B, D) for a batch; h, c : the states before the step,
        (H,) or (B, H), zeros if None. input, forget, output : None (computed)
        or a value in [0, 1] set by hand; candidate : None or a value in
        [-1, 1] (a tanh's range). Returns an LSTMStep (h, c, gates).
        `forward` computes the same for a whole sequence, faster.
        """
        x, (h, c), (input, forget, output, candidate) = self._step_start(
            x, [("h", h), ("c", c)],
            [("input", input), ("forget", forget), ("output", output), ("candidate", candidate)])
        W_ii, W_if, W_ig, W_io = np.split(self.weight_ih, 4)  # x -> gate, (H, D)
        W_hi, W_hf, W_hg, W_ho = np.split(self.weight_hh, 4)  # h -> gate, (H, H)
        b_ii, b_if, b_ig, b_io = np.split(self.bias_ih, 4)
        b_hi, b_hf, b_hg, b_ho = np.split(self.bias_hh, 4)
        # x and h are rows (a batch is a stack of rows), so W x is x @ W.T
        i = sigmoid(x @ W_ii.T + b_ii + h @ W_hi.T + b_hi)  # input gate
        f = sigmoid(x @ W_if.T + b_if + h @ W_hf.T + b_hf)  # forget gate
        g = tanh(x @ W_ig.T + b_ig + h @ W_hg.T + b_hg)     # candidate
        o = sigmoid(x @ W_io.T + b_io + h @ W_ho.T + b_ho)  # output gate
        i = i if input is None else input     # a gate set by hand
        f = f if forget is None else forget   # replaces the one
        o = o if output is None else output   # computed above
        g = g if candidate is None else candidate
        c = f * c + i * g  # the belt: keep some of the old, write some new
        h = o * tanh(c)    # what the cell shows
        return LSTMStep(h=h, c=c, input=i, forget=f, candidate=g, output=o)

    def forward(self, xs, h0=None, c0=None, input=None, forget=None, output=None, candidate=None):
        """Run the cell over a sequence, optionally with gates set by hand.

        Parameters
        ----------
        xs : array, shape (T, D) for one sequence or (T, B, D) for a batch (time-major, as in PyTorch)
        h0, c0 : arrays, shape (H,) or (B, H); zeros if None
        input, forget, output : None (computed as usual) or a number in [0, 1] or an array broadcastable to
            (T, H) / (T, B, H) that replaces that gate's value. forget=1 with input=0 carries c0 along unchanged;
            forget=0 keeps only input * candidate; output=0 gives h = 0.
        candidate : None or a number in [-1, 1] (a tanh's range) or an array as above: the value on offer, set by
            hand. A part set by hand is a constant: backward sends no gradient through its weights.
            Any of the four may be a dict {memory cell: value} instead, to set it by hand in those memory cells only
            and leave it computed in the others: forget={3: 1.0} holds memory cell 3's belt whatever comes.

        Returns
        -------
        LSTMTrace with h, c and the four gates, each of shape (T, H) or (T, B, H)
        """
        xs, h_init, batched, gates = self._start(
            xs, h0, [("input", input), ("forget", forget), ("output", output), ("candidate", candidate)], per_cell=True)
        T, B, _ = xs.shape
        H, dtype = self.hidden_size, self.dtype
        c_init = as_state("c0", c0, B, H, batched, dtype)
        by_hand = {LOOP_ORDER.index(name): (np.swapaxes(gate, 1, 2), ~np.isnan(gate[0, 0])[:, None])  # (T, H, B)
                   for name, gate in gates.items()}  # ... and which memory cells, (H, 1)

        # Inside the loop the blocks run i, f, o, g and the batch is the last axis, so every gate is one contiguous
        # (H, B) block. sigmoid(z) = 0.5 + 0.5 * tanh(z / 2): halving the weights of the sigmoid blocks (exact in
        # floating point) lets one tanh compute all four gates, then one scale and shift serves the three sigmoids.
        rows = np.concatenate([np.arange(k * H, (k + 1) * H) for k in (0, 1, 3, 2)])  # torch order -> loop order
        scale = np.repeat(np.array([0.5, 0.5, 0.5, 1.0], dtype), H)[:, None]
        w_hh = self.weight_hh[rows] * scale  # (4H, H)
        # The biases ride along as one more input that is always 1: one product projects every input and adds them.
        w_ih = np.hstack([self.weight_ih, (self.bias_ih + self.bias_hh)[:, None]])[rows] * scale  # (4H, D + 1)
        ones = np.ones((T, B, 1), dtype)
        acts = np.matmul(w_ih, np.swapaxes(np.concatenate([xs, ones], axis=2), 1, 2))  # (T, 4H, B)
        cs, hs = np.empty((T, H, B), dtype), np.empty((T, H, B), dtype)
        h, c = np.ascontiguousarray(h_init.T), np.ascontiguousarray(c_init.T)  # (H, B)
        recurrent = np.empty((4 * H, B), dtype)
        written = np.empty((H, B), dtype)  # i * g of one step
        i_all, f_all, o_all, g_all = (acts[:, k * H : (k + 1) * H] for k in range(4))  # (T, H, B) views
        sig_all = acts[:, : 3 * H]  # the three sigmoids of every step
        for t in range(T):
            a = acts[t]
            a += np.dot(w_hh, h, out=recurrent)  # np.dot: less overhead than matmul on small matrices
            np.tanh(a, out=a)
            sig = sig_all[t]  # one view a step: at small sizes the loop's overhead is the time
            sig *= 0.5
            sig += 0.5
            for k, (gate, cells) in by_hand.items():
                np.copyto(a[k * H : (k + 1) * H], gate[t], where=cells)
            c = np.multiply(f_all[t], c, out=cs[t])
            c += np.multiply(i_all[t], g_all[t], out=written)
            h = np.tanh(c, out=hs[t])
            h *= o_all[t]

        forced = [g for g in GATES if LOOP_ORDER.index(g) in by_hand]  # in PyTorch's order
        views = {"h": hs, "c": cs, **{name: acts[:, k * H : (k + 1) * H] for k, name in enumerate(LOOP_ORDER)}}
        return self._trace(LSTMTrace, batched, {"x": xs, "h0": h_init, "c0": c_init},
                           {name: np.swapaxes(v, 1, 2) for name, v in views.items()}, forced=tuple(forced),  # (T, B, H)
                           forced_cells=tuple((g, tuple(np.flatnonzero(by_hand[LOOP_ORDER.index(g)][1]).tolist())) for g in forced))

    def backward(self, trace, dh):
        """Backpropagation through time.

        Parameters
        ----------
        trace : LSTMTrace from this cell's forward
        dh : array shaped like trace.h, dLoss/dh_t for every step t (the loss may read any hidden state)

        Returns
        -------
        dict of gradients, each shaped like what it is the gradient of:
        weight_ih, weight_hh, bias_ih, bias_hh, x, h0, c0.
        A gate (or candidate) set by hand is a constant: no gradient flows through its weights.

        The error reaches c_t two ways: from h_t (through o_t * tanh'(c_t)) and from c_{t+1} (through f_{t+1}).
        That second path multiplies by the forget gate alone, which is why an LSTM whose forget gate stays near 1
        carries gradients across many steps.
        """
        self._check_trace(trace, LSTMTrace)
        dh = self._check_dh(trace, dh)  # (T, B, H)
        # every array gate-major, (T, H, B), as forward keeps them
        i, f, g, o, cs, hs = (np.swapaxes(a, 1, 2) for a in trace.batch_axis(*GATES, "c", "h"))
        c0 = np.atleast_2d(trace.c0).T
        T, H, B = hs.shape
        by_hand = [(GATES.index(name), list(cells)) for name, cells in trace.forced_cells]
        dtype = hs.dtype

        dz_all = np.empty((T, B, 4 * H), dtype)  # dLoss / d(pre-activation) of every step, PyTorch's block order
        dz = np.empty((4, H, B), dtype)  # the same, for one step, gate-major
        flat = dz.reshape(4 * H, B)
        dh_next = np.zeros((H, B), dtype)  # what step t+1 sends back to h_t
        dh_back = np.empty((H, B), dtype)
        dc_next = np.zeros((H, B), dtype)  # ... and to c_t
        w_t = np.ascontiguousarray(self.weight_hh.T)  # (H, 4H)
        # What does not depend on the error (the gates' slopes) is computed for a block of steps at once, small
        # enough to stay in the cache; the loop over the steps only carries the errors back.
        block = max(1, 16384 // (H * B))
        for end in range(T, 0, -block):
            start = max(0, end - block)
            slope, h_to_c = _slopes(i[start:end], f[start:end], g[start:end], o[start:end], cs[start:end],
                                    cs[start - 1] if start else c0, by_hand)
            for t in reversed(range(start, end)):
                k = t - start
                dh_t = dh[t].T + dh_next
                dc_t = dh_t * h_to_c[k]  # the error reaches c_t from h_t ...
                dc_t += dc_next  # ... and from c_{t+1}
                np.multiply(slope[:3, k], dc_t, out=dz[:3])  # input, forget, candidate act through c_t
                np.multiply(slope[3, k], dh_t, out=dz[3])  # the output gate acts through h_t
                dz_all[t] = flat.T
                dh_next = np.dot(w_t, flat, out=dh_back)  # read at the top of the next step, before it is overwritten
                dc_next = dc_t * f[t]
        h_prev = np.concatenate([trace.h0[None], trace.h[:-1]])  # the state each step started from
        grads = self._gradients(trace, h_prev if trace.batched else h_prev[:, None], dz_all, dz_all)
        return grads | {"h0": self._unbatch(trace, dh_next.T), "c0": self._unbatch(trace, dc_next.T)}


def _slopes(i, f, g, o, cs, c_start, by_hand):
    """For a block of n steps (every array (n, H, B), c_start (H, B) the belt before the first of them): each
    gate's slope times what it multiplied, (4, n, H, B) in PyTorch's block order, and how h moves with c, (n, H, B).

    sigmoid' = s (1 - s) and tanh' = 1 - g^2. The input gate scaled the candidate, the forget gate the old belt,
    the candidate was scaled by the input gate, the output gate scaled tanh(c); h = o * tanh(c) moves with c by
    o * (1 - tanh(c)^2). A gate set by hand (by_hand: [(block, memory cells)]) is a constant: its slope is 0 there.
    Computed in place, with no temporaries.
    """
    slope = np.empty((4,) + cs.shape, cs.dtype)
    si, sf, sg, so = slope
    tc = np.tanh(cs)
    np.subtract(1.0, i, out=si), np.multiply(si, i, out=si), np.multiply(si, g, out=si)
    np.subtract(1.0, f, out=sf), np.multiply(sf, f, out=sf)
    sf[0] *= c_start
    np.multiply(sf[1:], cs[:-1], out=sf[1:])
    np.multiply(g, g, out=sg), np.subtract(1.0, sg, out=sg), np.multiply(sg, i, out=sg)
    np.subtract(1.0, o, out=so), np.multiply(so, o, out=so), np.multiply(so, tc, out=so)
    h_to_c = np.multiply(tc, tc, out=tc)
    np.subtract(1.0, h_to_c, out=h_to_c), np.multiply(h_to_c, o, out=h_to_c)
    for k, cells in by_hand:
        slope[k][:, cells] = 0.0
    return slope, h_to_c
