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

from ._checks import as_gate, as_input, as_matrix, as_sequence, as_state, check_like, check_seed, check_size, recheck

PARAMETER_NAMES = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")


class RecurrentCell:
    n_blocks = 1

    def __init__(self, input_size, hidden_size, seed=0):
        D = check_size("input_size", input_size)
        H = check_size("hidden_size", hidden_size)
        rng = np.random.default_rng(check_seed(seed))
        k = 1.0 / np.sqrt(H)  # PyTorch's default: every parameter ~ U(-1/sqrt(H), 1/sqrt(H))
        G = self.n_blocks * H
        self.weight_ih, self.weight_hh, self.bias_ih, self.bias_hh = (rng.uniform(-k, k, shape) for shape in ((G, D), (G, H), G, G))

    input_size = property(lambda self: np.shape(self.weight_ih)[1])
    hidden_size = property(lambda self: np.shape(self.weight_hh)[1])
    dtype = property(lambda self: self.weight_hh.dtype, doc="float64, or float32 after `astype`: the parameters' precision")

    def astype(self, dtype):
        """A copy with every parameter in `dtype`: np.float32 trains about twice as fast, np.float64 is what the tests
        hold to PyTorch. step, forward and backward compute in the parameters' precision, states and gradients too."""
        return type(self).from_torch(*self.to_torch(), dtype=dtype)

    @classmethod
    def from_torch(cls, weight_ih, weight_hh, bias_ih, bias_hh, dtype=np.float64):
        """Build a cell from parameters in PyTorch's layout: numpy arrays, or PyTorch's own parameters as they come,
        e.g. `LSTMCell.from_torch(lstm.weight_ih_l0, lstm.weight_hh_l0, lstm.bias_ih_l0, lstm.bias_hh_l0)` (they are
        detached and copied)."""
        if dtype not in (np.float32, np.float64):
            raise TypeError(f"dtype must be np.float32 or np.float64 (a cell computes in floats), got {dtype!r}")
        cell = cls.__new__(cls)
        for name, value in zip(PARAMETER_NAMES, cls._checked(weight_ih, weight_hh, bias_ih, bias_hh, dtype=dtype)):
            setattr(cell, name, value.copy())
        return cell

    @classmethod
    def _checked(cls, weight_ih, weight_hh, bias_ih, bias_hh, dtype):
        """The four parameters as finite arrays of `dtype` in this cell's layout, else an error that names the one."""
        weight_hh = as_matrix("weight_hh", weight_hh, f"({cls.n_blocks} * H, H)", dtype)
        G, H = weight_hh.shape
        if G != cls.n_blocks * H:
            raise ValueError(f"weight_hh of a {cls.__name__} must have shape ({cls.n_blocks} * H, H), got {weight_hh.shape}")
        weight_ih = as_matrix("weight_ih", weight_ih, f"({G}, input_size)", dtype)
        if weight_ih.shape[0] != G:
            raise ValueError(f"weight_ih must have shape ({G}, input_size) to match weight_hh {weight_hh.shape}, got {weight_ih.shape}: the two must agree (one assigned a wrong shape?)")
        return weight_ih, weight_hh, check_like("bias_ih", bias_ih, (G,), dtype), check_like("bias_hh", bias_hh, (G,), dtype)

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
        dtype = recheck(self)
        x, batch = as_input(x, self.input_size, dtype)
        shape = (self.hidden_size,) if batch is None else (batch, self.hidden_size)
        states = [np.zeros(shape, dtype) if v is None else check_like(name, v, shape, dtype) for name, v in states]
        gates = [None if v is None else as_gate(name, v, shape, dtype) for name, v in gates]
        return x, states, gates

    def _start(self, xs, h0, gates=(), per_cell=False):
        """Check the inputs of forward: xs, h0 and the gates set by hand [(name, value or None)]. Return xs as
        (T, B, D), h0 as (B, H), whether xs was batched and {name: gate as (T, B, H)} for the gates given. With
        per_cell, a gate may be a dict {memory cell: value}: set by hand in those cells, NaN (computed) elsewhere."""
        dtype = recheck(self)
        xs, batched = as_sequence(xs, self.input_size, dtype)
        T, B, _ = xs.shape
        H = self.hidden_size
        by_hand = {}
        for name, value in gates:
            if isinstance(value, dict) and not value:  # no memory cell set by hand: nothing is forced
                continue
            if isinstance(value, dict) and not per_cell:
                raise TypeError(f"{name}: {type(self).__name__} takes a number or an array; a gate set per memory cell "
                                "({cell: value}) is for LSTMCell")
            if isinstance(value, dict):
                gate = np.full((T, B, H), np.nan, dtype)
                for cell, v in value.items():
                    if isinstance(cell, bool) or not isinstance(cell, numbers.Integral) or not 0 <= cell < H:
                        raise ValueError(f"{name}: the memory cells set by hand must be ints in 0..{H - 1}, got {cell!r}")
                    gate[..., cell] = as_gate(name, v, (T, B) if batched else (T,), dtype).reshape(T, -1)
                by_hand[name] = gate
            elif value is not None:
                gate = as_gate(name, value, (T, B, H) if batched else (T, H), dtype)
                by_hand[name] = gate if batched else gate[:, None, :]
        return xs, as_state("h0", h0, B, H, batched, dtype), batched, by_hand

    def _weights(self):
        """A read-only copy of the parameters, kept in every trace: backward checks it made the trace."""
        return tuple(frozen(p.copy()) for p in self.parameters().values())

    def _check_trace(self, trace, kind):
        if not isinstance(trace, kind):
            raise TypeError(f"trace must be the {kind.__name__} returned by {type(self).__name__}.forward, "
                            f"got {type(trace).__name__}")
        recheck(self)
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

    def _trace(self, kind, batched, inputs, run, **extra):
        """A `kind` of trace, read-only: the inputs {x (T, B, D), h0 (B, H), ...}, copied, and the run's arrays
        {name: (T, B, H)}, each without its batch axis if xs had none."""
        one = lambda a: a if batched else (a[:, 0] if a.ndim == 3 else a[0])
        return kind(weights=self._weights(), **{k: frozen(one(v).copy()) for k, v in inputs.items()},
                    **{k: frozen(one(v)) for k, v in run.items()}, **extra)


class Trace:
    """What every trace shares: whether its run was a batch (then h is (T, B, H), else (T, H))."""

    batched = property(lambda self: self.h.ndim == 3)

    def batch_axis(self, *names):
        """The named (T, ...) arrays of the trace with a batch axis, (T, B, ...), whether the run was a batch or not."""
        return [getattr(self, name) if self.batched else getattr(self, name)[:, None] for name in names]


def frozen(array):
    """Make an array read-only, so a trace cannot be changed after the fact."""
    array.flags.writeable = False
    return array
