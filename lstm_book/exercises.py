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

__all__ = ["Verdict", "AnswerError", "exercise", "check", "number", "numbers", "entries", "gates_out_of_range", "code",
           "described", "key_code", "shown", "shown_apart", "all_checks", "CHECKS", "WRONG"]

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


def code(text):
    """`text` as a Markdown code span, so that a notebook shows it as typed (no curly quotes) and it pastes as is."""
    text = str(text)
    fence = "``" if "`" in text else "`"
    pad = " " if fence == "``" or text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def shown(x, digits=4):
    """A number as a reader should see it: `digits` significant digits (5.663 for 5.663096918706447), and more where
    rounding would turn digits into zeros that are not there (199.98 is not shown as 200, nor 0.99999 as 1; a
    float's noise, 0.30000000000000004 or 1 - 0.999999, is shown as 0.3 or 1e-06)."""
    x = float(x)
    if not np.isfinite(x):
        return str(x)
    for d in range(digits, 18):
        text = f"{x:.{d}g}"
        significant = text.lstrip("-").split("e")[0].replace(".", "").strip("0")
        if abs(float(text) - x) <= 1e-9 * abs(x) or len(significant) >= d:
            return text
    return repr(x)


def shown_apart(a, b, digits=4):
    """a and b as shown(), with as many more digits as it takes to tell them apart (-0.27453 and -0.27448, not
    -0.2745 twice), when they differ."""
    for d in range(digits, 18):
        if a == b or shown(a, d) != shown(b, d):
            return shown(a, d), shown(b, d)
    return repr(float(a)), repr(float(b))


def described(answer):
    """What came, for a sentence: its type and its repr as a code span, cut at 40 characters."""
    try:
        text = repr(answer)
    except Exception:  # a repr that fails is the answer's problem, not the reader's
        text = "?"
    return f"{type(answer).__name__} {code(text if len(text) <= 40 else text[:37] + '...')}"


def key_code(k):
    """A dict key as the reader would type it, as a code span (`"forget"` for forget)."""
    return code(f'"{k}"' if isinstance(k, str) else repr(k))


def _detached(answer):
    """A PyTorch tensor as a numpy array (detached from autograd, on the CPU); anything else as it is."""
    if type(answer).__module__.startswith("torch") and hasattr(answer, "detach"):
        try:
            return answer.detach().cpu().numpy()
        except Exception as err:  # e.g. a dtype numpy has no match for
            raise AnswerError(f"expected numbers, got {described(answer)} ({err})") from None
    return answer


def numbers(answer, shape=None):
    """The answer as a float64 array of finite real numbers, of `shape` if given; else AnswerError saying what came.

    A PyTorch tensor is taken as its numbers (detached, so one that requires grad is fine too)."""
    if answer is None or isinstance(answer, (str, bytes, dict, set, frozenset)):
        raise AnswerError(f"expected numbers, got {described(answer)}")
    try:
        value = np.asarray(_detached(answer))
    except AnswerError:
        raise
    except Exception as err:  # ragged lists, a list of tensors that require grad, and the like
        raise AnswerError(f"expected numbers, got {described(answer)} ({err})") from None
    if value.dtype.kind == "O":  # Fractions, Decimals, ints too large for numpy's own integers, or no numbers
        try:
            value = value.astype(np.float64)
        except OverflowError:
            raise AnswerError(f"expected numbers that fit a float, got {described(answer)}, which is too large") from None
        except (TypeError, ValueError):
            raise AnswerError(f"expected numbers, got {described(answer)}") from None
    if value.dtype.kind == "c":
        raise AnswerError(f"expected real numbers, got {described(answer)}")
    if value.dtype.kind == "b":
        raise AnswerError(f"expected numbers, got {described(answer)}, a truth value (write 1 or 0 for a number)")
    if value.dtype.kind not in "iuf":
        raise AnswerError(f"expected numbers, got {described(answer)}")
    value = value.astype(np.float64)
    if not np.all(np.isfinite(value)):
        raise AnswerError(f"expected finite numbers, got {described(answer)}, which holds NaN or infinity "
                          "(a division by zero or a log of 0 somewhere?)")
    if shape is not None and value.shape != shape:
        expected = "one number" if shape == () else f"an array of shape {shape}"
        raise AnswerError(f"expected {expected}, got {'one number' if value.shape == () else f'shape {value.shape}'}")
    return value


def number(answer):
    """The answer as one finite real number (a float); else AnswerError saying what came."""
    return float(numbers(answer, shape=()))


def entries(answer, keys, each=None):
    """The answer as a dict of exactly `keys` (missing or extra keys are AnswerErrors that name them), with each value
    passed through `each` if given (e.g. `number`; its AnswerError then names the key the value came with).
    Read the result by key, never by position: the reader's dict may list the keys in any order."""
    wanted = ", ".join(key_code(k) for k in keys)
    if not isinstance(answer, dict):
        raise AnswerError(f"expected a dict with the keys {wanted}, got {described(answer)}")
    missing = [key_code(k) for k in keys if k not in answer]
    extra = [key_code(k) for k in answer if k not in keys]
    if missing or extra:
        found = "; ".join(([f"missing {', '.join(missing)}"] if missing else [])
                          + ([f"{', '.join(extra)} is not one of them"] if extra else []))
        raise AnswerError(f"expected a dict with the keys {wanted}; {found}")
    if each is None:
        return {k: answer[k] for k in keys}
    given = {}
    for k in keys:
        try:
            given[k] = each(answer[k])
        except AnswerError as err:
            raise AnswerError(f"for {key_code(k)}, {err}") from None
    return given


def gates_out_of_range(gates):
    """The sentence for the first gate value outside [0, 1] in `gates` (name -> number or array, one value per step),
    or None if every value lies in [0, 1]: `if (why := gates_out_of_range(...)): return Verdict(False, why)`."""
    for name, value in gates.items():
        values = np.atleast_1d(value)
        bad = np.flatnonzero((values < 0) | (values > 1))
        if bad.size:
            where = f" at step {bad[0]}" if np.ndim(value) else ""
            return f"A gate lies between 0 and 1 (it is the fraction that passes); {name}{where} = {shown(values[bad[0]])} came."
    return None


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
