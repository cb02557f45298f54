"""What every recurrent cell of lstm_lite shares: PyTorch's parameter layout, seeded initialisation, moving
weights to and from PyTorch, and the gradients of the two input projections.

A cell with `n_blocks` blocks (RNN 1, GRU 3, LSTM 4) holds, exactly as torch.nn.RNN/GRU/LSTM do:
    weight_ih  (n_blocks * H, D)   input  -> blocks
    weight_hh  (n_blocks * H, H)   hidden -> blocks
    bias_ih    (n_blocks * H,)
    bias_hh    (n_blocks * H,)
"""

import numbers

import numpy as np

from ._checks import as_float_array, as_gate, as_sequence, as_state, as_step_input, check_like, check_seed, check_size

PARAMETER_NAMES = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")


class RecurrentCell:
    n_blocks = 1

    def __init__(self, input_size, hidden_size, seed=0):
        D = check_size("input_size", input_size)
        H = check_size("hidden_size", hidden_size)
        rng = np.random.default_rng(check_seed(seed))
        k = 1.0 / np.sqrt(H)  # PyTorch's default: every parameter ~ U(-1/sqrt(H), 1/sqrt(H))
        G = self.n_blocks * H
        self.weight_ih = rng.uniform(-k, k, (G, D))
        self.weight_hh = rng.uniform(-k, k, (G, H))
        self.bias_ih = rng.uniform(-k, k, G)
        self.bias_hh = rng.uniform(-k, k, G)

    @property
    def input_size(self):
        return self.weight_ih.shape[1]

    @property
    def hidden_size(self):
        return self.weight_hh.shape[1]

    @property
    def dtype(self):
        """float64, or float32 after `astype`: forward and backward compute in the parameters' precision."""
        return self.weight_hh.dtype

    def astype(self, dtype):
        """A copy with every parameter in `dtype`: np.float32 trains about twice as fast, np.float64 is what the tests
        hold to PyTorch."""
        return type(self).from_torch(*(p.astype(dtype) for p in self.to_torch()), dtype=dtype)

    @classmethod
    def from_torch(cls, weight_ih, weight_hh, bias_ih, bias_hh, dtype=np.float64):
        """Build a cell from parameters in PyTorch's layout: numpy arrays, or PyTorch's own parameters as they come,
        e.g. `LSTMCell.from_torch(lstm.weight_ih_l0, lstm.weight_hh_l0, lstm.bias_ih_l0, lstm.bias_hh_l0)` (they are
        detached and copied)."""
        weight_hh = as_float_array("weight_hh", weight_hh, dtype)
        if weight_hh.ndim != 2 or weight_hh.shape[0] != cls.n_blocks * weight_hh.shape[1] or weight_hh.shape[1] == 0:
            raise ValueError(f"weight_hh of a {cls.__name__} must have shape ({cls.n_blocks} * H, H) with H > 0, "
                             f"got {weight_hh.shape}")
        G, H = weight_hh.shape
        weight_ih = as_float_array("weight_ih", weight_ih, dtype)
        if weight_ih.ndim != 2 or weight_ih.shape[0] != G or weight_ih.shape[1] == 0:
            raise ValueError(f"weight_ih must have shape ({G}, input_size) to match weight_hh {weight_hh.shape}, got {weight_ih.shape}")
        cell = cls.__new__(cls)
        cell.weight_ih, cell.weight_hh = weight_ih.copy(), weight_hh.copy()
        cell.bias_ih = check_like("bias_ih", bias_ih, (G,), dtype).copy()
        cell.bias_hh = check_like("bias_hh", bias_hh, (G,), dtype).copy()
        return cell

    def to_torch(self):
        """The parameters in PyTorch's layout: (weight_ih, weight_hh, bias_ih, bias_hh), copies."""
        return tuple(getattr(self, name).copy() for name in PARAMETER_NAMES)

    def parameters(self):
        """The parameter arrays by name (the arrays themselves, so an optimiser can update them in place)."""
        return {name: getattr(self, name) for name in PARAMETER_NAMES}

    def __repr__(self):
        return f"{type(self).__name__}(input_size={self.input_size}, hidden_size={self.hidden_size})"

    # -- shared by step, forward and backward ------------------------------------------------------------------

    def _step_start(self, x, states, gates=()):
        """Check the inputs of step: x (D,) or (B, D), the states [(name, value)] and the gates set by hand
        [(name, value or None)]; return x, the states and the gates (None where computed), each (H,) or (B, H)."""
        x, batch = as_step_input(x, self.input_size)
        shape = (self.hidden_size,) if batch is None else (batch, self.hidden_size)
        states = [np.zeros(shape) if value is None else check_like(name, value, shape) for name, value in states]
        gates = [None if value is None else as_gate(name, value, shape) for name, value in gates]
        return x, states, gates

    def _start(self, xs, h0, gates=(), per_cell=False):
        """Check the inputs of forward: xs, h0 and the gates set by hand [(name, value or None)]. Return xs as
        (T, B, D), h0 as (B, H), whether xs was batched and {name: gate as (T, B, H)} for the gates given. With
        per_cell, a gate may be a dict {memory cell: value}: set by hand in those cells, NaN (computed) elsewhere."""
        xs, batched = as_sequence(xs, self.input_size, self.dtype)
        T, B, _ = xs.shape
        H = self.hidden_size
        by_hand = {}
        for name, value in gates:
            if isinstance(value, dict) and not per_cell:
                raise TypeError(f"{name}: {type(self).__name__} takes a number or an array; a gate set per memory cell "
                                "({cell: value}) is for LSTMCell")
            if isinstance(value, dict):
                gate = np.full((T, B, H), np.nan)
                for cell, v in value.items():
                    if isinstance(cell, bool) or not isinstance(cell, numbers.Integral) or not 0 <= cell < H:
                        raise ValueError(f"{name}: the memory cells set by hand must be ints in 0..{H - 1}, got {cell!r}")
                    gate[..., cell] = as_gate(name, v, (T, B) if batched else (T,)).reshape(T, -1)
                by_hand[name] = gate
            elif value is not None:
                gate = as_gate(name, value, (T, B, H) if batched else (T, H))
                by_hand[name] = gate if batched else gate[:, None, :]
        return xs, as_state("h0", h0, B, H, batched, self.dtype), batched, by_hand

    def _weights(self):
        """A read-only copy of the parameters, kept in every trace: backward checks it made the trace."""
        return tuple(frozen(p.copy()) for p in self.parameters().values())

    def _check_trace(self, trace, kind):
        if not isinstance(trace, kind):
            raise TypeError(f"trace must be the {kind.__name__} returned by {type(self).__name__}.forward, "
                            f"got {type(trace).__name__}")
        now = self.parameters().values()
        if len(trace.weights) != len(now) or not all(np.array_equal(a, b) for a, b in zip(trace.weights, now)):
            raise ValueError(
                "this trace was made with other weights: by another cell, or by this one before its weights changed "
                "(an optimiser step between forward and backward?). Run forward again with the current weights, "
                "then backward.")

    def _check_dh(self, trace, dh):
        dh = check_like("dh", dh, trace.h.shape, trace.h.dtype)
        return dh if trace.batched else dh[:, None, :]  # (T, B, H)

    def _gradients(self, trace, h_prev, dz_ih, dz_hh):
        """Gradients of the parameters and of x from the gradients of the two projections.

        h_prev (T, B, H) is the state each step started from; dz_ih (T, B, G) is dLoss/d(W_ih x + b_ih) and
        dz_hh (T, B, G) is dLoss/d(W_hh h + b_hh). Each sum over time and batch is one matrix product. For the RNN
        and the LSTM the two are the same array.
        """
        T, B, G = dz_ih.shape
        D, H = self.input_size, self.hidden_size
        flat_ih = dz_ih.reshape(T * B, G)
        flat_hh = flat_ih if dz_hh is dz_ih else dz_hh.reshape(T * B, G)
        dx = (flat_ih @ self.weight_ih).reshape(T, B, D)
        return {
            "weight_ih": flat_ih.T @ trace.x.reshape(T * B, D),
            "weight_hh": flat_hh.T @ h_prev.reshape(T * B, H),
            "bias_ih": (bias := flat_ih.sum(axis=0)),
            "bias_hh": bias.copy() if flat_hh is flat_ih else flat_hh.sum(axis=0),
            "x": dx if trace.batched else dx[:, 0],
        }

    @staticmethod
    def _unbatch(trace, state):
        return state if trace.batched else state[0]


class Trace:
    """What every trace shares: whether its run was a batch (then h is (T, B, H), else (T, H))."""

    @property
    def batched(self):
        return self.h.ndim == 3

    def batch_axis(self, *names):
        """The named (T, ...) arrays of the trace with a batch axis, (T, B, ...), whether the run was a batch or not."""
        return [getattr(self, name) if self.batched else getattr(self, name)[:, None] for name in names]


def frozen(array):
    """Make an array read-only, so a trace cannot be changed after the fact."""
    array.flags.writeable = False
    return array
