"""Checks for the exercises of the book.

Every exercise has a name, its chapter's module and a number (e.g. "lstm-gates-2", the second of chapter 5, whose
module is lstm_book.lstm_gates), and a check: `check("lstm-gates-2", answer)` says whether the answer is right, or
what is wrong, with a hint. The checks live in their chapter's module, registered with `@exercise`; `check` loads
the chapters' modules the first time it is called (they need matplotlib; this module needs only numpy).
The solutions shown on the website are run through these same checks by the tests (tests/test_exercises.py), so no
exercise can become unsolvable, and every check must reject a known wrong answer (`wrong=`).
"""

import importlib
from dataclasses import dataclass

import numpy as np

__all__ = ["Verdict", "AnswerError", "exercise", "check", "number", "numbers", "entries", "all_checks", "CHECKS",
           "WRONG"]

CHECKS = {}  # name -> check function
WRONG = {}  # name -> an answer its check must reject (so the tests know every check can say no)


@dataclass(frozen=True)
class Verdict:
    """The outcome of a check: ok or not, and a message for the reader."""

    ok: bool
    message: str

    def __bool__(self):
        return self.ok

    def __repr__(self):
        return ("Right! " if self.ok else "Not yet. ") + self.message

    def _repr_markdown_(self):
        return ("**Right!** " if self.ok else "**Not yet.** ") + self.message


class AnswerError(ValueError):
    """An answer of the wrong kind (not a finite real number, the wrong shape, a missing key). `check` turns it into a
    sentence for the reader; any other exception inside a check is a bug in the check and is raised as it is."""


def _described(answer):
    text = repr(answer)
    return f"{type(answer).__name__} {text if len(text) <= 40 else text[:37] + '...'}"


def numbers(answer, shape=None):
    """The answer as a float64 array of finite real numbers, of `shape` if given; else AnswerError saying what came."""
    if answer is None or isinstance(answer, (str, bytes, dict)):
        raise AnswerError(f"expected numbers, got {_described(answer)}")
    try:
        value = np.asarray(answer)
    except (TypeError, ValueError) as err:  # ragged lists and the like
        raise AnswerError(f"expected numbers, got {_described(answer)} ({err})") from None
    if value.dtype.kind == "c":
        raise AnswerError(f"expected real numbers, got the complex {_described(answer)}")
    if value.dtype.kind not in "iuf":
        raise AnswerError(f"expected numbers, got {_described(answer)}")
    value = value.astype(np.float64)
    if not np.all(np.isfinite(value)):
        raise AnswerError(f"expected finite numbers, got {_described(answer)}, which holds NaN or infinity "
                          "(a division by zero or a log of 0 somewhere?)")
    if shape is not None and value.shape != shape:
        expected = "one number" if shape == () else f"an array of shape {shape}"
        raise AnswerError(f"expected {expected}, got {'one number' if value.shape == () else f'shape {value.shape}'}")
    return value


def number(answer):
    """The answer as one finite real number (a float); else AnswerError saying what came."""
    return float(numbers(answer, shape=()))


def entries(answer, keys):
    """The answer as a dict holding `keys`; else AnswerError naming the keys expected and what came."""
    if not isinstance(answer, dict):
        raise AnswerError(f"expected a dict with the keys {tuple(keys)}, got {_described(answer)}")
    missing = [k for k in keys if k not in answer]
    if missing:
        raise AnswerError(f"expected a dict with the keys {tuple(keys)}; missing {missing}")
    return answer


def exercise(name, wrong):
    """Register the decorated function as the check of exercise `name`; `wrong` is an answer it must reject."""

    def register(fn):
        CHECKS[name], WRONG[name] = fn, wrong
        return fn

    return register


def all_checks():
    """Every exercise's check, by name, from every chapter (importing the chapters' modules)."""
    from . import CHAPTERS

    for chapter in CHAPTERS:
        importlib.import_module(f"{__package__}.{chapter}")
    return CHECKS


def check(name, answer):
    """Check the answer to exercise `name`. Returns a Verdict (shown as a sentence in a notebook)."""
    if name not in all_checks():
        raise KeyError(f"no exercise named {name!r}; the exercises are {sorted(CHECKS)}")
    if answer is None:
        return Verdict(False, "Replace `None` with your answer and run the cell again.")
    try:
        return CHECKS[name](answer)
    except AnswerError as err:  # an answer of the wrong kind gets a sentence, not a traceback
        return Verdict(False, f"Your answer does not fit this exercise: {err}.")
