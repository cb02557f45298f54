"""Checks for the exercises of the book.

Every exercise has a name (topic-number, e.g. "gates-2") and a check: `check("gates-2", answer)` says whether the
answer is right, or what is wrong, with a hint. The checks of each chapter live in a module of this package named
like the chapter's pictures (squash, nomemory, loop, unrolled, gates, sushi, memory); all are loaded on import.
The solutions shown on the website are run through these same checks by the tests (tests/test_exercises.py), so no
exercise can become unsolvable, and every check must reject a known wrong answer (`wrong=`).
"""

import importlib
import pkgutil
from dataclasses import dataclass

import numpy as np

__all__ = ["Verdict", "exercise", "check", "CHECKS", "WRONG"]

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


def exercise(name, wrong):
    """Register the decorated function as the check of exercise `name`; `wrong` is an answer it must reject."""

    def register(fn):
        CHECKS[name], WRONG[name] = fn, wrong
        return fn

    return register


def check(name, answer):
    """Check the answer to exercise `name`. Returns a Verdict (shown as a sentence in a notebook)."""
    if name not in CHECKS:
        raise KeyError(f"no exercise named {name!r}; the exercises are {sorted(CHECKS)}")
    if answer is None:
        return Verdict(False, "Replace `None` with your answer and run the cell again.")
    try:
        return CHECKS[name](answer)
    except Exception as err:  # a reader's answer of the wrong kind gets a sentence, not a traceback
        return Verdict(False, f"Checking your answer raised {type(err).__name__}: {err}")


def number(answer):
    value = np.asarray(answer, dtype=np.float64)
    if value.shape != ():
        raise ValueError(f"expected one number, got an array of shape {value.shape}")
    return float(value)


for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")
