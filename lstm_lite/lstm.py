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
        xs, h_init, batched, by_hand = self._start(
            xs, h0, [("input", input), ("forget", forget), ("output", output), ("candidate", candidate)], per_cell=True)
        T, B, _ = xs.shape
        H, dtype = self.hidden_size, self.dtype
        c_init = as_state("c0", c0, B, H, batched, dtype)
        held = [(GATES.index(name), np.swapaxes(gate, 1, 2), ~np.isnan(gate[0, 0])[:, None])  # (T, H, B) ...
                for name, gate in by_hand.items()]  # ... and which memory cells, (H, 1)

        # The batch runs along the columns (h is (H, B)), so the products read as the equations' W h and each gate is
        # one block of rows. (Rows of (B, 4H), as in GRUCell.forward, ran 20% slower at (16, 64, 200, 16).)
        # Every input is projected at once, (T, 4H, B); the biases ride along as one more input that is always 1.
        w_ih = np.hstack([self.weight_ih, (self.bias_ih + self.bias_hh)[:, None]])  # (4H, D + 1)
        zs = np.matmul(w_ih, np.swapaxes(np.concatenate([xs, np.ones((T, B, 1), dtype)], axis=2), 1, 2))
        i_all, f_all, g_all, o_all = np.swapaxes(zs.reshape(T, 4, H, B), 0, 1)  # (T, H, B) views, PyTorch's order
        cs, hs = np.empty((T, H, B), dtype), np.empty((T, H, B), dtype)
        recurrent, g_new, written = np.empty((4 * H, B), dtype), np.empty((H, B), dtype), np.empty((H, B), dtype)
        h, c = h_init.T, c_init.T
        for t in range(T):  # out=: every step writes into arrays made once, not new ones
            z = zs[t]
            z += np.dot(self.weight_hh, h, out=recurrent)  # (4H, B): the blocks' pre-activations ...
            i, f, g, o = i_all[t], f_all[t], g_all[t], o_all[t]  # ... which become the gates, in place
            np.tanh(g, out=g_new)  # the candidate
            sigmoid(z, out=z)  # the input, forget and output gates (one call for all four blocks: g is put back next)
            g[...] = g_new
            for k, value, cells in held:  # a gate set by hand replaces the one computed
                np.copyto(z[k * H : (k + 1) * H], value[t], where=cells)
            c = np.multiply(f, c, out=cs[t])
            c += np.multiply(i, g, out=written)  # the belt: keep some of the old, write some new
            h = np.tanh(c, out=hs[t])
            h *= o  # what the cell shows

        forced = tuple(g for g in GATES if g in by_hand)  # in PyTorch's order
        gates = dict(zip(GATES, (i_all, f_all, g_all, o_all)))
        return self._trace(LSTMTrace, batched, {"x": xs, "h0": h_init, "c0": c_init},
                           {name: np.swapaxes(v, 1, 2) for name, v in ({"h": hs, "c": cs} | gates).items()},  # (T, B, H)
                           forced=forced,
                           forced_cells=tuple((g, tuple(np.flatnonzero(~np.isnan(by_hand[g][0, 0])).tolist())) for g in forced))

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
        i, f, g, o, cs = (np.swapaxes(a, 1, 2) for a in trace.batch_axis(*GATES, "c"))  # (T, H, B), as forward ran
        T, H, B = cs.shape
        c_prev = np.concatenate([np.atleast_2d(trace.c0).T[None], cs[:-1]])  # the belt each step started from
        forced = [(GATES.index(name), list(cells)) for name, cells in trace.forced_cells]

        dz_all = np.empty((T, B, 4 * H), cs.dtype)  # dLoss / d(pre-activation) of every step, as PyTorch lays it out
        dz = np.empty((4, H, B), cs.dtype)  # the same for one step, a block of rows per gate
        dh_next = np.zeros((H, B), cs.dtype)  # what step t+1 sends back to h_t
        dc_next = np.zeros((H, B), cs.dtype)  # ... and to c_t
        w_t = np.ascontiguousarray(self.weight_hh.T)  # (H, 4H)
        # What does not depend on the error (the slopes) is computed for a block of steps at a time, small enough to
        # stay in the cache. (All the steps at once made this backward pass 30% slower at (16, 64, 200, 16).)
        block = max(1, 16384 // (H * B))
        for end in range(T, 0, -block):
            start = max(0, end - block)
            steps = slice(start, end)
            slope, h_to_c = _slopes(i[steps], f[steps], g[steps], o[steps], cs[steps], c_prev[steps], forced)
            for t in reversed(range(start, end)):
                dh_t = dh[t].T + dh_next
                dc_t = dh_t * h_to_c[t - start]  # the error reaches c_t from h_t ...
                dc_t += dc_next  # ... and from c_{t+1}
                np.multiply(slope[:3, t - start], dc_t, out=dz[:3])  # input, forget, candidate act through c_t
                np.multiply(slope[3, t - start], dh_t, out=dz[3])  # the output gate acts through h_t
                dz_all[t] = dz.reshape(4 * H, B).T
                dh_next = np.dot(w_t, dz.reshape(4 * H, B))
                dc_next = dc_t * f[t]
        h_prev = np.concatenate([np.atleast_2d(trace.h0)[None], trace.batch_axis("h")[0][:-1]])  # each step's start
        grads = self._gradients(trace, h_prev, dz_all, dz_all)
        return grads | {"h0": self._unbatch(trace, dh_next.T), "c0": self._unbatch(trace, dc_next.T)}


def _slopes(i, f, g, o, c, c_prev, forced):
    """For a block of steps (each array (n, H, B)): each block's slope times what it multiplied, (4, n, H, B) in
    PyTorch's order, and how h moves with c, (n, H, B).

    sigmoid' = s (1 - s) and tanh' = 1 - g^2. The input gate scaled the candidate, the forget gate the old belt,
    the candidate was scaled by the input gate, the output gate scaled tanh(c); h = o * tanh(c) moves with c by
    o * (1 - tanh(c)^2). A gate set by hand (forced: [(block, memory cells)]) is a constant: its slope is 0 there.
    """
    slope = np.empty((4,) + c.shape, c.dtype)
    si, sf, sg, so = slope  # (n, H, B) each
    tanh_c = np.tanh(c)
    # written in place, out=: a temporary array here would cost more than the arithmetic
    np.subtract(1.0, i, out=si), np.multiply(si, i, out=si), np.multiply(si, g, out=si)  # i (1 - i) g
    np.subtract(1.0, f, out=sf), np.multiply(sf, f, out=sf), np.multiply(sf, c_prev, out=sf)  # f (1 - f) c_prev
    np.multiply(g, g, out=sg), np.subtract(1.0, sg, out=sg), np.multiply(sg, i, out=sg)  # (1 - g^2) i
    np.subtract(1.0, o, out=so), np.multiply(so, o, out=so), np.multiply(so, tanh_c, out=so)  # o (1 - o) tanh(c)
    h_to_c = np.multiply(tanh_c, tanh_c, out=tanh_c)
    np.subtract(1.0, h_to_c, out=h_to_c), np.multiply(h_to_c, o, out=h_to_c)  # o (1 - tanh(c)^2)
    for k, cells in forced:
        slope[k][:, cells] = 0.0
    return slope, h_to_c
