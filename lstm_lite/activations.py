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


def sigmoid(x, out=None):
    """Logistic function sigmoid(x) = 1 / (1 + exp(-x)), elementwise, computed as it reads.

    exp(-x) overflows to inf below x = -709 (float32: -88), where 1 / (1 + inf) = 0 is the right answer, so that
    overflow is let pass without a warning. Everywhere else each of the three operations is accurate to the last
    digit or so, tiny results too: sigmoid(-40) = 4.25e-18. sigmoid(0) = 0.5 exactly, sigmoid(+1e4) = 1,
    sigmoid(-1e4) = 0.

    Parameters
    ----------
    x : array_like of numbers
    out : None, or an array of x's shape and dtype to write the result into (the LSTM's loop does, to make no new
        array at every step)

    Returns
    -------
    ndarray (or float64 for a scalar) in [0, 1], the shape of x; float32 for a float32 array
    """
    x = x if type(x) is np.ndarray and x.dtype in (np.float32, np.float64) else _numbers(x)
    y = np.empty_like(x) if out is None else out
    np.negative(x, out=y)
    with np.errstate(over="ignore"):
        np.exp(y, out=y)
    y += 1.0
    np.reciprocal(y, out=y)
    return y[()] if out is None else y  # a scalar for a scalar


def tanh(x):
    """Hyperbolic tangent, elementwise: tanh(x) = (exp(x) - exp(-x)) / (exp(x) + exp(-x)), in [-1, 1].

    numpy's tanh is already stable (tanh(+-1e4) = +-1, no overflow); this wrapper only fixes the dtype.
    """
    return np.tanh(_numbers(x))
