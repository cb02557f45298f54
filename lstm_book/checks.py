"""Input checks at the edge of the book's helpers: a sentence for every mistake a reader can type.

A chapter's function checks the arguments a reader types (steps, a unit, a name, a gate value, a piece of text)
where it is called, and raises TypeError for a wrong type, ValueError for a wrong value, in the sentence style of
lstm_lite's own checks (`lstm_lite._checks`, reused here): the argument, what was expected, what came. What the
checks return is what the function then uses, so nothing fails later deep inside numpy.
"""

import numbers

import numpy as np

from lstm_lite._checks import as_float_array, check_size

__all__ = ["check_size", "check_count", "check_index", "check_number", "check_numbers", "check_choice", "check_text",
           "check_flag", "check_seed", "check_words", "check_dtype"]


def _got(value):
    """What came, for a message: its repr (shortened) and its type."""
    text = repr(value)
    return f"{text[:60] + '...' if len(text) > 60 else text} of type {type(value).__name__}"


def _is_int(value):
    return isinstance(value, numbers.Integral) and not isinstance(value, (bool, np.bool_))


def check_count(name, value, minimum=0):
    """Return `value` as an int if it is a whole number >= minimum (a length, a number of steps), else raise."""
    if minimum == 1:
        return check_size(name, value)
    if not _is_int(value):
        raise TypeError(f"{name} must be an int of at least {minimum}, got {_got(value)}")
    if value < minimum:
        raise ValueError(f"{name} must be an int of at least {minimum}, got {value}")
    return int(value)


def check_index(name, value, size, what):
    """Return `value` as an int if it numbers one of `size` things (0 .. size - 1), else raise; `what` names them."""
    if not _is_int(value):
        raise TypeError(f"{name} must be an int from 0 to {size - 1} ({what}), got {_got(value)}")
    if not 0 <= value < size:
        raise ValueError(f"{name} must be an int from 0 to {size - 1} ({what}), got {value}")
    return int(value)


def _range(low, high):
    return f" in [{low:g}, {high:g}]" if low is not None and high is not None else (
        f" of at least {low:g}" if low is not None else f" of at most {high:g}" if high is not None else "")


def check_number(name, value, low=None, high=None):
    """Return `value` as a float if it is one finite real number (in [low, high] when given), else raise."""
    scalar = isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "iuf"
    if not (scalar or isinstance(value, numbers.Real)) or isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be a number{_range(low, high)}, got {_got(value)}")
    number = float(value)
    if not np.isfinite(number):
        raise ValueError(f"{name} must be a finite number{_range(low, high)}, got {number}")
    if (low is not None and number < low) or (high is not None and number > high):
        raise ValueError(f"{name} must be a number{_range(low, high)}, got {number:g}")
    return number


def check_numbers(name, value, low=None, high=None):
    """A number (returned as a float, by `check_number`) or an array of finite numbers (returned as a float64
    array), each in [low, high] when given; else raise."""
    if isinstance(value, (str, bytes)) or np.ndim(value) == 0:
        return check_number(name, value, low, high)
    try:
        arr = as_float_array(name, value)
    except TypeError:
        raise TypeError(f"{name} must be a number or an array of numbers{_range(low, high)}, got {_got(value)}") from None
    if arr.size and ((low is not None and arr.min() < low) or (high is not None and arr.max() > high)):
        raise ValueError(f"{name} must hold numbers{_range(low, high)}, got values from {arr.min():g} to {arr.max():g}")
    return arr


def check_choice(name, value, choices):
    """Return `value` if it is one of `choices`, else raise ValueError listing them."""
    choices = tuple(choices)
    try:
        known = value in choices
    except (TypeError, ValueError):  # an array compared with strings, say
        known = False
    if not known or not isinstance(value, type(choices[0])):
        raise ValueError(f"{name} must be one of {', '.join(map(repr, choices))}, got {_got(value)}")
    return value


def check_text(name, value, empty=True):
    """Return `value` if it is a str (not empty, unless `empty`), else raise."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, got {_got(value)}")
    if not empty and not value:
        raise ValueError(f"{name} must hold at least one character, got ''")
    return value


def check_flag(name, value):
    """Return `value` as a bool if it is True or False, else raise (a string such as 'no' would count as True)."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {_got(value)}")
    return bool(value)


def check_seed(name, value):
    """Return `value` as an int if it can seed numpy's generator (a non-negative int), else raise.

    None is refused: numpy would then draw a new seed at every call, and a picture would change each time."""
    if not _is_int(value):
        raise TypeError(f"{name} must be a non-negative int (a seed), got {_got(value)}")
    if value < 0:
        raise ValueError(f"{name} must be a non-negative int (a seed), got {value}")
    return int(value)


def check_words(name, value):
    """Return `value` as a tuple of str if it is a non-empty list or tuple of words, else raise."""
    if isinstance(value, str) or not isinstance(value, (list, tuple, np.ndarray)) or not all(
            isinstance(w, str) for w in value):
        raise TypeError(f"{name} must be a list or tuple of words (each a str), got {_got(value)}")
    if len(value) == 0:
        raise ValueError(f"{name} must hold at least one word, got {_got(value)}")
    return tuple(str(w) for w in value)


def check_dtype(name, value, allowed=(np.float32, np.float64)):
    """Return `value` as a numpy dtype if it is one of `allowed`, else raise."""
    shown = " or ".join(f"np.{np.dtype(a).name}" for a in allowed)
    try:
        dtype = np.dtype(value) if value is not None else None  # np.dtype(None) would be float64
    except TypeError:
        dtype = None
    if dtype is None:
        raise TypeError(f"{name} must be {shown}, got {_got(value)}")
    if dtype not in [np.dtype(a) for a in allowed]:
        raise ValueError(f"{name} must be {shown}, got {dtype.name}")
    return dtype
