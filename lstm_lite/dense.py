"""A fully connected (dense) layer: the feedforward building block of chapter 2, and the readout of chapter 7.

    y = activation(W x + b)

In words: every output is a weighted sum of the inputs plus a bias, optionally squashed. It has no memory:
the same x always gives the same y, whatever came before.
"""

import numpy as np

from ._checks import as_float_array, as_matrix, check_like, check_seed, check_size, recheck
from .activations import sigmoid

ACTIVATIONS = (None, "tanh", "sigmoid")


class Dense:
    """A dense layer with torch.nn.Linear's parameter layout.

    Parameters
    ----------
    input_size, output_size : int
    seed : int (or a numpy SeedSequence), seeds the initialisation U(-1/sqrt(input_size), 1/sqrt(input_size)), as in PyTorch
    activation : None, "tanh" or "sigmoid"

    Attributes
    ----------
    weight (output_size, input_size), bias (output_size,)
    """

    def __init__(self, input_size, output_size, seed=0, activation=None):
        D = check_size("input_size", input_size)
        n_out = check_size("output_size", output_size)
        if activation not in ACTIVATIONS:
            raise ValueError(f"activation must be one of {ACTIVATIONS}, got {activation!r}")
        rng = np.random.default_rng(check_seed(seed))
        k = 1.0 / np.sqrt(D)
        self.weight, self.bias = rng.uniform(-k, k, (n_out, D)), rng.uniform(-k, k, n_out)
        self.activation = activation

    input_size = property(lambda self: np.shape(self.weight)[1])
    output_size = property(lambda self: np.shape(self.weight)[0])

    def parameters(self):
        """The parameter arrays by name (the arrays themselves, so an optimiser can update them in place)."""
        return {"weight": self.weight, "bias": self.bias}

    def __repr__(self):
        return f"Dense(input_size={self.input_size}, output_size={self.output_size}, activation={self.activation!r})"

    @staticmethod
    def _checked(weight, bias, dtype):
        weight = as_matrix("weight", weight, "(output_size, input_size)", dtype)
        return weight, check_like("bias", bias, weight.shape[:1], dtype)

    def _check_x(self, x):
        x = as_float_array("x", x, recheck(self))
        if x.ndim == 0 or x.shape[-1] != self.input_size:
            raise ValueError(f"x must have shape (..., {self.input_size}), got {x.shape}")
        return x

    def forward(self, x):
        """x : array, shape (..., input_size) -> array, shape (..., output_size)."""
        return self._output(self._check_x(x))

    def _output(self, x):
        z = x @ self.weight.T + self.bias
        return {"tanh": np.tanh, "sigmoid": sigmoid}.get(self.activation, lambda v: v)(z)

    def backward(self, x, dy):
        """Gradients given the input x and dLoss/dy (shaped like forward(x)): dict weight, bias, x."""
        x = self._check_x(x)
        y = self._output(x) if self.activation else None  # only a squashed output's slope needs y
        dy = check_like("dy", dy, x.shape[:-1] + (self.output_size,), self.weight.dtype)
        if self.activation == "tanh":
            dy = dy * (1.0 - y * y)
        elif self.activation == "sigmoid":
            dy = dy * y * (1.0 - y)
        flat_x, flat_dy = x.reshape(-1, self.input_size), dy.reshape(-1, self.output_size)
        return {"weight": flat_dy.T @ flat_x, "bias": flat_dy.sum(axis=0), "x": dy @ self.weight}


class Embedding:
    """A table of vectors, one row per symbol, with torch.nn.Embedding's layout: weight (num_symbols, size),
    ~ N(0, 1) as in PyTorch. forward(symbols) looks each symbol's row up; it is a Dense layer fed one-hot inputs,
    without the multiplications by 0."""

    def __init__(self, num_symbols, size, seed=0):
        self.weight = np.random.default_rng(check_seed(seed)).standard_normal(
            (check_size("num_symbols", num_symbols), check_size("size", size)))

    def parameters(self):
        return {"weight": self.weight}

    _checked = staticmethod(lambda weight, dtype: (as_matrix("weight", weight, "(num_symbols, size)", dtype),))

    def _check(self, symbols):
        recheck(self)
        symbols = np.asarray(symbols)
        if not np.issubdtype(symbols.dtype, np.integer) or symbols.size == 0:
            raise ValueError(f"symbols must be a non-empty array of ints, got {symbols.dtype} of shape {symbols.shape}")
        if symbols.min() < 0 or symbols.max() >= len(self.weight):
            raise ValueError(f"symbols must lie in 0..{len(self.weight) - 1}, got {symbols.min()} to {symbols.max()}")
        return symbols

    def forward(self, symbols):
        """symbols : ints, any shape (...,) -> vectors (..., size)."""
        return self.weight[self._check(symbols)]

    def backward(self, symbols, dy):
        """Gradient of the table given dLoss/d(forward(symbols)): each row adds up the errors of its symbol."""
        symbols = self._check(symbols)
        dy = check_like("dy", dy, symbols.shape + self.weight.shape[1:], self.weight.dtype)
        grad, flat = np.zeros_like(self.weight), symbols.ravel()
        order = np.argsort(flat, kind="stable")  # each symbol's errors side by side: one sum per run of a symbol
        ranked = flat[order]
        starts = np.flatnonzero(np.r_[True, ranked[1:] != ranked[:-1]])
        grad[ranked[starts]] = np.add.reduceat(dy.reshape(-1, self.weight.shape[1])[order], starts, axis=0)
        return {"weight": grad}  # (np.add.at gives the same sums, four times slower at chapter 8's size)
