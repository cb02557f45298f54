"""Input checks at the public edge of lstm_lite.

Each check turns a reader's mistake into a ValueError/TypeError that names what was expected and what came,
so nothing fails deep inside numpy. The inner loops of the cells trust what these functions return.
"""

import numbers

import numpy as np


def check_size(name, value):
    """Return `value` as an int if it is a positive whole number, else raise."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a positive int, got {value!r} of type {type(value).__name__}")
    if value <= 0:
        raise ValueError(f"{name} must be a positive int, got {value}")
    return int(value)


def check_seed(seed):
    """Return `seed` if numpy's generator takes it (a non-negative int or a SeedSequence), else raise."""
    if isinstance(seed, np.random.SeedSequence) or (isinstance(seed, numbers.Integral) and not isinstance(seed, bool)
                                                    and seed >= 0):
        return seed
    raise TypeError(f"seed must be a non-negative int (or a numpy SeedSequence), got {seed!r}")


def stream(seed, k):
    """The k-th stream of random numbers under `seed`, independent of the seed's own (a readout's, an embedding's)."""
    if isinstance(seed := check_seed(seed), np.random.SeedSequence):
        return np.random.SeedSequence(seed.entropy, spawn_key=(*seed.spawn_key, k))
    return np.random.SeedSequence([seed, k])


def recheck(layer):
    """Check a layer's parameters where they are used, since a reader may assign them (chapter 3 scales weight_ih):
    the layer's `_checked(*parameters, dtype)` returns them as finite float arrays or raises. The layer computes in float32 only if
    every parameter is float32, else in float64; a parameter assigned as a list or as ints is kept as floats.
    Returns the dtype."""
    params = layer.parameters()
    dtype = np.float32 if all(getattr(p, "dtype", None) == np.float32 for p in params.values()) else np.float64
    for name, value in zip(params, layer._checked(*params.values(), dtype=dtype)):
        setattr(layer, name, value)  # the same array, unless it came as a list, as ints or in another precision
    return dtype


def as_float_array(name, value, dtype=np.float64):
    """Return `value` as an ndarray of `dtype` (float64 unless a float32 model asks) of finite real numbers, else raise. A PyTorch tensor is taken as it
    comes (a Parameter that requires grad included): detached and copied to numpy."""
    if value is None:
        raise TypeError(f"{name} must be an array of numbers, got None")
    if hasattr(value, "detach") and hasattr(value, "numpy"):  # torch.Tensor / Parameter, without importing torch
        value = value.detach().cpu().numpy()
    try:
        arr = np.asarray(value)
    except (TypeError, ValueError) as err:  # e.g. ragged lists
        raise TypeError(f"{name} must be an array of numbers, got {type(value).__name__}: {err}") from None
    if arr.dtype.kind == "c":
        raise TypeError(f"{name} must hold real numbers, got complex values ({type(value).__name__} of {arr.dtype})")
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be an array of numbers, got {type(value).__name__} of dtype {arr.dtype}")
    arr = arr.astype(dtype, copy=False)
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} must hold finite numbers, but it contains NaN or inf")
    return arr


def kept_precision(value):
    """float32 for a float32 array (a float32 model's numbers stay float32), float64 for anything else."""
    return np.float32 if getattr(value, "dtype", None) == np.float32 else np.float64


def as_sequence(xs, input_size, dtype=np.float64):
    """Check a sequence or a batch of sequences; return it as (T, B, D) and whether it was batched."""
    xs = as_float_array("xs", xs, dtype)
    if xs.ndim not in (2, 3):
        raise ValueError("xs must have shape (T, input_size) for one sequence or (T, B, input_size) for a batch, "
                         f"got a {xs.ndim}-d array of shape {xs.shape}")
    if xs.shape[-1] != input_size:
        raise ValueError(f"xs must have input_size={input_size} features in its last axis, got shape {xs.shape}")
    if xs.shape[0] == 0 or (xs.ndim == 3 and xs.shape[1] == 0):
        raise ValueError(f"xs must hold at least one time step and one sequence, got shape {xs.shape}")
    return (xs if xs.ndim == 3 else xs[:, None, :]), xs.ndim == 3


def as_input(x, input_size, dtype=np.float64):
    """Check the input of one step, x (D,) or (B, D); return it and its batch size (None for a single input)."""
    x = as_float_array("x", x, dtype)
    if x.ndim not in (1, 2) or x.shape[-1] != input_size:
        raise ValueError(f"x must have shape ({input_size},) for one input or (B, {input_size}) for a batch, got {x.shape}")
    return x, (x.shape[0] if x.ndim == 2 else None)


def as_state(name, value, batch, size, batched, dtype=np.float64):
    """Check an initial state (h0 or c0), (B, H) for a batch, else (H,); return it as (B, H). None means zeros."""
    if value is None:
        return np.zeros((batch, size), dtype)
    return check_like(name, value, (batch, size) if batched else (size,), dtype).reshape(batch, size)


def as_gate(name, value, shape, dtype=np.float64):
    """Check a gate set by hand: a number or an array in [0, 1] (the candidate, a tanh: [-1, 1]) broadcastable to
    `shape`; return it as `shape`, a copy (what the caller changes later does not change a result)."""
    arr, low = as_float_array(name, value, dtype), -1 if name == "candidate" else 0
    if np.any((arr < low) | (arr > 1)):
        raise ValueError(f"{name}{' gate' * (low == 0)} values must lie in [{low}, 1], got values from {arr.min()} to {arr.max()}")
    try:
        return np.broadcast_to(arr, shape).copy()
    except ValueError:
        raise ValueError(f"{name}{' gate' * (low == 0)} must be a number or an array broadcastable to {shape}, got shape {arr.shape}") from None


def as_matrix(name, value, axes, dtype=np.float64):
    """Check that `value` is a finite 2-d array with no empty axis, its axes named by `axes`; return it as `dtype`."""
    arr = as_float_array(name, value, dtype)
    if arr.ndim != 2 or 0 in arr.shape:
        raise ValueError(f"{name} must have shape {axes}, each > 0, got {arr.shape}")
    return arr


def check_like(name, value, shape, dtype=np.float64):
    """Check that `value` is a finite array of exactly `shape`; return it as `dtype`."""
    arr = as_float_array(name, value, dtype)
    if arr.shape != shape:
        raise ValueError(f"{name} must have shape {shape}, got {arr.shape}")
    return arr
