"""The GRU cell, as torch.nn.GRU (one layer), with its two gates open to be set by hand.

    r_t = sigmoid(W_ir x_t + b_ir + W_hr h_{t-1} + b_hr)           reset gate:  how much of the old state the new value sees
    z_t = sigmoid(W_iz x_t + b_iz + W_hz h_{t-1} + b_hz)           update gate: how much of the old state is kept
    n_t = tanh   (W_in x_t + b_in + r_t * (W_hn h_{t-1} + b_hn))   new value (the GRU's candidate)
    h_t = (1 - z_t) * n_t + z_t * h_{t-1}

The blocks are stacked in PyTorch's order r, z, n. Note, as in PyTorch, that the reset gate multiplies the whole
recurrent projection of the new value, its bias b_hn included. There is no separate cell state: h is both the belt and
what is read, and one update gate does the work of the LSTM's forget and input gates (keep z, write 1 - z).

Reference: Cho et al., "Learning Phrase Representations using RNN Encoder-Decoder for Statistical Machine
Translation", EMNLP (2014).
"""

from dataclasses import dataclass

import numpy as np

from ._recurrent import RecurrentCell, Trace
from .activations import sigmoid, tanh

GATES = ("reset", "update", "new")  # PyTorch's order of the three blocks


@dataclass(frozen=True)
class GRUTrace(Trace):
    """Everything one run of GRUCell.forward saw and computed (read-only arrays).

    x : inputs, shape (T, D) or (T, B, D); h0 : initial state, shape (H,) or (B, H).
    h, reset, update, new : one row per step, shape (T, H) or (T, B, H).
    forced : the names of the gates that were set by hand in this run.
    """

    x: np.ndarray
    h0: np.ndarray
    h: np.ndarray
    reset: np.ndarray
    update: np.ndarray
    new: np.ndarray
    weights: tuple = ()  # read-only copies of the parameters that made this trace
    forced: tuple = ()


@dataclass(frozen=True)
class GRUStep:
    """One step of GRUCell.step: the new state and the gates, each (H,) or (B, H)."""

    h: np.ndarray
    reset: np.ndarray
    update: np.ndarray
    new: np.ndarray


class GRUCell(RecurrentCell):
    """A GRU cell with PyTorch's parameter names and layout, and gates that can be set by hand.

    Parameters
    ----------
    input_size : int, the number of features D of each input x_t
    hidden_size : int, the size H of the hidden state
    seed : int, seeds the initialisation, U(-1/sqrt(H), 1/sqrt(H)) for every parameter as in PyTorch

    Attributes
    ----------
    weight_ih (3H, D), weight_hh (3H, H), bias_ih (3H,), bias_hh (3H,), blocks in the order r, z, n
    """

    n_blocks = 3

    def step(self, x, h=None, reset=None, update=None):
        """One step, as the four equations read; `forward` computes the same faster for a whole sequence.

        x : (D,) or (B, D); h : the state before the step, (H,) or (B, H), zeros if None. reset, update : None
        (computed) or a value in [0, 1] that replaces the gate, as in `forward`. Returns a GRUStep.
        """
        x, (h,), (reset, update) = self._step_start(x, [("h", h)], [("reset", reset), ("update", update)])
        W_ir, W_iz, W_in = np.split(self.weight_ih, 3)  # x -> block, (H, D)
        W_hr, W_hz, W_hn = np.split(self.weight_hh, 3)  # h -> block, (H, H)
        b_ir, b_iz, b_in = np.split(self.bias_ih, 3)
        b_hr, b_hz, b_hn = np.split(self.bias_hh, 3)
        r = sigmoid(x @ W_ir.T + b_ir + h @ W_hr.T + b_hr)  # reset gate
        z = sigmoid(x @ W_iz.T + b_iz + h @ W_hz.T + b_hz)  # update gate
        r = r if reset is None else reset    # a gate set by hand replaces
        z = z if update is None else update  # the one computed above
        n = tanh(x @ W_in.T + b_in + r * (h @ W_hn.T + b_hn))  # new value
        return GRUStep(h=(1 - z) * n + z * h, reset=r, update=z, new=n)

    def forward(self, xs, h0=None, reset=None, update=None):
        """Run the cell over a sequence, optionally with gates set by hand.

        Parameters
        ----------
        xs : array, shape (T, D) for one sequence or (T, B, D) for a batch (time-major, as in PyTorch)
        h0 : array, shape (H,) or (B, H); zeros if None
        reset, update : None (computed as usual) or a number in [0, 1] or an array broadcastable to (T, H) /
            (T, B, H) that replaces that gate's value. update=1 carries h0 along unchanged; update=0 replaces the
            state by the new value at every step.

        Returns
        -------
        GRUTrace with h and the three blocks, each of shape (T, H) or (T, B, H)
        """
        xs, h_init, batched, by_hand = self._start(xs, h0, [("reset", reset), ("update", update)])
        T, B, _ = xs.shape
        H = self.hidden_size

        xp = xs @ self.weight_ih.T + self.bias_ih  # (T, B, 3H): every input projected at once
        w = np.ascontiguousarray(self.weight_hh.T)  # (H, 3H)
        rs, zs, ns, hs = (np.empty((T, B, H), xs.dtype) for _ in range(4))  # the parameters' precision, as xs
        h = h_init
        for t in range(T):
            hp = h @ w + self.bias_hh  # (B, 3H)
            r = by_hand["reset"][t] if "reset" in by_hand else sigmoid(xp[t, :, :H] + hp[:, :H])
            z = by_hand["update"][t] if "update" in by_hand else sigmoid(xp[t, :, H : 2 * H] + hp[:, H : 2 * H])
            n = np.tanh(xp[t, :, 2 * H :] + r * hp[:, 2 * H :])
            rs[t], zs[t], ns[t] = r, z, n
            h = np.add(np.multiply(1.0 - z, n, out=hs[t]), z * h, out=hs[t])  # written this way, update=1 keeps h exactly

        return self._trace(GRUTrace, batched, {"x": xs, "h0": h_init}, {"h": hs, "reset": rs, "update": zs, "new": ns},
                           forced=tuple(by_hand))

    def backward(self, trace, dh):
        """Backpropagation through time.

        Parameters
        ----------
        trace : GRUTrace from this cell's forward
        dh : array shaped like trace.h, dLoss/dh_t for every step t

        Returns
        -------
        dict of gradients, each shaped like what it is the gradient of:
        weight_ih, weight_hh, bias_ih, bias_hh, x, h0. A gate set by hand is a constant: no gradient flows
        through its weights.
        """
        self._check_trace(trace, GRUTrace)
        dh = self._check_dh(trace, dh)  # (T, B, H)
        hs, r, z, n = trace.batch_axis("h", "reset", "update", "new")  # (T, B, H)
        h0 = np.atleast_2d(trace.h0)
        T, B, H = hs.shape
        h_prev = np.concatenate([h0[None], hs[:-1]])  # (T, B, H): the state each step started from
        hp_new = h_prev @ self.weight_hh[2 * H :].T + self.bias_hh[2 * H :]  # W_hn h + b_hn, what reset multiplied

        # the slope of each block's squashing function at every step (zero for a gate set by hand)
        slope_r = np.zeros_like(r) if "reset" in trace.forced else r * (1.0 - r)
        slope_z = np.zeros_like(z) if "update" in trace.forced else z * (1.0 - z)
        slope_n = 1.0 - n * n

        dz_ih = np.empty((T, B, 3 * H), hs.dtype)  # dLoss / d(W_ih x + b_ih), blocks r, z, n
        dz_hh = np.empty_like(dz_ih)  # dLoss / d(W_hh h + b_hh)
        dh_next = np.zeros_like(h0)
        w = self.weight_hh  # (3H, H)
        for t in reversed(range(T)):
            dh_t = dh[t] + dh_next
            d_new = dh_t * (1.0 - z[t]) * slope_n[t]  # through n, into its pre-activation
            dz_ih[t, :, 2 * H :] = d_new
            dz_ih[t, :, :H] = d_new * hp_new[t] * slope_r[t]  # reset scaled W_hn h + b_hn
            dz_ih[t, :, H : 2 * H] = dh_t * (h_prev[t] - n[t]) * slope_z[t]  # update mixes old state and new value
            dz_hh[t, :, : 2 * H] = dz_ih[t, :, : 2 * H]
            dz_hh[t, :, 2 * H :] = d_new * r[t]
            dh_next = dh_t * z[t] + dz_hh[t] @ w
        return self._gradients(trace, h_prev, dz_ih, dz_hh) | {"h0": self._unbatch(trace, dh_next)}

