"""Squashing functions: sigmoid maps any number into (0, 1), tanh into (-1, 1).

A number in (0, 1) can act as a gate: the fraction of something that passes. A number in (-1, 1) can push a
value up or down by a bounded amount. Both are written to be stable for any input: no overflow warning and the
correct limits even at x = +-1e4.
"""

import numpy as np


def _numbers(x):
    """x as a float64 array (a float32 array stays float32: a float32 model's numbers stay float32)."""
    if x is None:  # np.asarray(None, dtype=float) is NaN, silently
        raise TypeError("expected a number or an array of numbers, got None")
    try:
        return np.asarray(x, dtype=np.float32 if getattr(x, "dtype", None) == np.float32 else np.float64)
    except (TypeError, ValueError) as err:
        raise TypeError(f"expected a number or an array of numbers, got {type(x).__name__}: {err}") from None


def sigmoid(x):
    """Logistic function sigmoid(x) = 1 / (1 + exp(-x)), elementwise.

    Computed as 1 / (1 + e) for x >= 0 and e / (1 + e) for x < 0, with e = exp(-|x|) <= 1, so exp never
    overflows, tiny results keep their relative accuracy, sigmoid(0) = 0.5 exactly, sigmoid(+1e4) = 1 and
    sigmoid(-1e4) = 0. (The LSTM's inner loop uses the identity sigmoid(x) = 0.5 + 0.5 * tanh(x / 2) instead,
    which is as accurate in absolute terms and lets one tanh serve all four gates.)

    Parameters
    ----------
    x : array_like of numbers

    Returns
    -------
    ndarray (or float64 for a scalar) in [0, 1], the shape of x; float32 for a float32 array
    """
    x = _numbers(x)
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0, e) / (1.0 + e)


def tanh(x):
    """Hyperbolic tangent, elementwise: tanh(x) = (exp(x) - exp(-x)) / (exp(x) + exp(-x)), in [-1, 1].

    numpy's tanh is already stable (tanh(+-1e4) = +-1, no overflow); this wrapper only fixes the dtype.
    """
    return np.tanh(_numbers(x))
