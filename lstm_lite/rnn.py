"""The plain (Elman) recurrent cell, as torch.nn.RNN with nonlinearity='tanh'.

    h_t = tanh(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh)

In words: the new hidden state mixes the new input with the previous hidden state and squashes the sum into
(-1, 1). Feeding h back in is the whole memory of the cell, and it fades (or blows up) as it is multiplied by
W_hh again and again: chapter 4 measures how fast.

Reference: Elman, "Finding Structure in Time", Cognitive Science 14 (1990).
"""

from dataclasses import dataclass

import numpy as np

from ._recurrent import RecurrentCell, Trace
from .activations import tanh


@dataclass(frozen=True)
class RNNTrace(Trace):
    """Everything one run of RNNCell.forward saw and computed (read-only arrays).

    x  : inputs,            shape (T, D) or (T, B, D)
    h0 : initial state,     shape (H,)   or (B, H)
    h  : every hidden state, shape (T, H) or (T, B, H); h[t] is the state after step t
    """

    x: np.ndarray
    h0: np.ndarray
    h: np.ndarray
    weights: tuple = ()  # read-only copies of the parameters that made this trace


class RNNCell(RecurrentCell):
    """A tanh RNN cell with PyTorch's parameter names and layout.

    Parameters
    ----------
    input_size : int, the number of features D of each input x_t
    hidden_size : int, the size H of the hidden state
    seed : int, seeds the initialisation, U(-1/sqrt(H), 1/sqrt(H)) for every parameter as in PyTorch

    Attributes
    ----------
    weight_ih (H, D), weight_hh (H, H), bias_ih (H,), bias_hh (H,)
    """

    n_blocks = 1

    def step(self, x, h=None):
        """One step, as the equation reads; `forward` computes the same faster for a whole sequence.

        x : (D,) or (B, D); h : the state before the step, (H,) or (B, H), zeros if None. Returns the new hidden
        state, (H,) or (B, H): an RNN has nothing else to show (an LSTM's and a GRU's step return their gates too).
        """
        x, (h,), _ = self._step_start(x, [("h", h)])
        return tanh(x @ self.weight_ih.T + self.bias_ih + h @ self.weight_hh.T + self.bias_hh)

    def forward(self, xs, h0=None):
        """Run the cell over a sequence.

        Parameters
        ----------
        xs : array, shape (T, D) for one sequence or (T, B, D) for a batch (time-major, as in PyTorch)
        h0 : array, shape (H,) or (B, H); zeros if None

        Returns
        -------
        RNNTrace with .h of shape (T, H) or (T, B, H)
        """
        xs, h_init, batched, _ = self._start(xs, h0)
        T, B, _ = xs.shape
        h = h_init
        hs = np.empty((T, B, self.hidden_size), xs.dtype)  # the parameters' precision, as xs
        xp = xs @ self.weight_ih.T + (self.bias_ih + self.bias_hh)  # (T, B, H): every input projected at once
        w = np.ascontiguousarray(self.weight_hh.T)  # C order keeps the matmul fast
        for t in range(T):
            h = np.tanh(xp[t] + h @ w, out=hs[t])
        return self._trace(RNNTrace, batched, {"x": xs, "h0": h_init}, {"h": hs})

    def backward(self, trace, dh):
        """Backpropagation through time.

        Parameters
        ----------
        trace : RNNTrace from this cell's forward
        dh : array shaped like trace.h, dLoss/dh_t for every step t (the loss may read any hidden state)

        Returns
        -------
        dict of gradients, each shaped like what it is the gradient of:
        weight_ih, weight_hh, bias_ih, bias_hh, x, h0
        """
        self._check_trace(trace, RNNTrace)
        dh = self._check_dh(trace, dh)
        (hs,), h0 = trace.batch_axis("h"), np.atleast_2d(trace.h0)  # (T, B, H), (B, H)
        T = hs.shape[0]
        slope = 1.0 - hs * hs  # tanh'(z_t), (T, B, H)
        dz = np.empty_like(hs)
        dh_next = np.zeros_like(h0)  # what step t+1 sends back to h_t
        w = self.weight_hh
        for t in reversed(range(T)):
            np.multiply(dh[t] + dh_next, slope[t], out=dz[t])
            dh_next = dz[t] @ w
        h_prev = np.concatenate([h0[None], hs[:-1]])  # (T, B, H): the state each step started from
        return self._gradients(trace, h_prev, dz, dz) | {"h0": self._unbatch(trace, dh_next)}

