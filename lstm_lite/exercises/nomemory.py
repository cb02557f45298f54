"""Exercises of chapter 2: a feedforward net has no memory."""

import numpy as np

from ..pictures.nomemory import SEQUENCE, feedforward, loop_outputs, tiny_net
from . import AnswerError, Verdict, exercise, number, numbers

NEW_SEQUENCE = np.array([2.0, -2.0, 1.5, 0.5])  # exercise nomemory-2: old inputs in a new order


def swapped(xs, i=2, j=5):
    """A copy of xs with steps i and j swapped."""
    out = np.array(xs, dtype=np.float64)
    out[[i, j]] = out[[j, i]]
    return out


def changed_positions(run, i=2, j=5):
    """The positions whose output differs once inputs i and j of SEQUENCE are swapped (run: xs (T, 1) -> (T, 1))."""
    xs = SEQUENCE[:, None]
    before, after = run(xs)[:, 0], run(swapped(xs, i, j))[:, 0]
    return sorted(int(t) for t in np.flatnonzero(np.abs(before - after) > 1e-12))


def _positions(answer):
    values = None if isinstance(answer, str) else np.atleast_1d(numbers(answer))  # NaN and the like: said by numbers
    if values is None or values.ndim != 1 or not np.all(np.mod(values, 1) == 0):
        raise AnswerError(f"expected the positions as a list of whole numbers, e.g. [0, 1], got {answer!r}")
    return sorted({int(v) for v in values})


def _check_positions(answer, right, why, hint_more, hint_fewer):
    given = _positions(answer)
    if given == right:
        return Verdict(True, why)
    missing, extra = sorted(set(right) - set(given)), sorted(set(given) - set(right))
    if extra:
        return Verdict(False, f"The outputs at {extra} do not change. Hint: {hint_fewer}")
    return Verdict(False, f"You missed position(s) {missing}. Hint: {hint_more}")


@exercise("nomemory-1", wrong=[2, 3, 4, 5])
def _swap_in_dense(answer):
    layers = tiny_net()
    right = changed_positions(lambda xs: feedforward(layers, xs))
    return _check_positions(
        answer, right,
        f"Only positions {right} change, and they simply trade outputs: each output belongs to its own input.",
        "the inputs at 2 and 5 both moved, so both their outputs move with them.",
        "a feedforward net looks at one input at a time; an output can change only if its own input changed.")


@exercise("nomemory-2", wrong=0.5)
def _output_without_running(answer):
    y = number(answer)
    layers = tiny_net()
    right = float(feedforward(layers, NEW_SEQUENCE[:, None])[-1, 0])
    if abs(y - right) <= 0.002:
        return Verdict(True, f"The last input is 0.5, input B of the first sequence, so the output is B's: "
                             f"{right:.3f}. What came before it does not matter.")
    return Verdict(False, f"{y:g} is not the output at the last step. Hint: the last input is 0.5. Find 0.5 in the "
                          "first sequence and read its output from the table; the steps before it make no difference.")


@exercise("nomemory-3", wrong=[2, 5])
def _swap_in_loop(answer):
    right = changed_positions(loop_outputs)
    return _check_positions(
        answer, right,
        f"Positions {right} change: from the first swapped step on, every output carries what came before it.",
        "in the loop each output feeds the next step, so a change at step 2 travels forward to every later step.",
        "the steps before the first swap saw exactly the same inputs, so their outputs cannot change.")
