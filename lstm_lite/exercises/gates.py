"""Exercises of chapter 5: the LSTM's gates by hand."""

import numpy as np

from ..lstm import LSTMCell
from . import Verdict, entries, exercise, number

COUNT_KEYS = ("forget", "input", "w", "b")


def counting_sequence(steps=30, seed=0):
    """The 0s and 1s the counting check feeds in: shape (steps, 1), seeded."""
    return np.random.default_rng(seed).integers(0, 2, size=(steps, 1)).astype(np.float64)


def counting_run(answer, xs=None):
    """Run a 1-input, 1-cell LSTM whose forget and input gates are forced and whose candidate is tanh(w x + b).

    answer : dict with numbers forget, input (each in [0, 1], used at every step), w and b (the candidate's
        weight and bias). xs : array (T, 1) of 0s and 1s, default `counting_sequence()`.
    Returns the LSTMTrace; trace.c[:, 0] is what should follow the running count of 1s.
    """
    f, i, w, b = (number(entries(answer, COUNT_KEYS)[k]) for k in COUNT_KEYS)
    weight_ih = np.array([[0.0], [0.0], [w], [0.0]])  # PyTorch's order i, f, g, o: only the candidate reads x
    bias = np.array([0.0, 0.0, b, 0.0])
    cell = LSTMCell.from_torch(weight_ih, np.zeros((4, 1)), bias, np.zeros(4))
    xs = counting_sequence() if xs is None else xs
    return cell.forward(xs, forget=f, input=i, output=1.0)


@exercise("gates-1", wrong=0.0)
def _keep_without_writing(answer):
    from ..pictures.gates import gates_compute  # here, not at the top: checks load without matplotlib

    value = number(answer)
    target = float(gates_compute(forget=1.0, input=0.0).c[-1, 0])
    if abs(value - target) <= 0.02:
        return Verdict(True, f"c stays at {target:.2f}, the value it started with: forget = 1 keeps all of the belt "
                             "and input = 0 writes nothing, so nothing changes it.")
    if abs(value) <= 0.02:
        return Verdict(False, "An input gate at 0 blocks what is *written*; it does not erase. Which gate erases, "
                              "and what is it set to here? Look at where memory cell 1 starts, at t = 0.")
    return Verdict(False, f"{value:g} is not it. With forget = 1 the belt keeps everything it holds, and with "
                          "input = 0 nothing is added. So what does memory cell 1 hold at the end?")


@exercise("gates-2", wrong={"forget": 0.9, "input": 1.0, "w": 3.0, "b": 0.0})
def _count_the_ones(answer):
    if not isinstance(answer, dict):
        return Verdict(False, f"Give a dict with the keys {COUNT_KEYS}, for example "
                              "{'forget': 0.5, 'input': 0.5, 'w': 1.0, 'b': 0.0}.")
    xs = counting_sequence()
    trace = counting_run(answer, xs)
    count = np.cumsum(xs[:, 0])
    c = trace.c[:, 0]
    error = np.abs(c - count)
    if error.max() < 0.5:
        return Verdict(True, f"After each of the {len(xs)} steps, c is the number of 1s so far to within "
                             f"{error.max():.2f}: the belt keeps (forget 1), every step writes (input 1), and the "
                             "candidate is about 1 for a 1 and 0 for a 0.")
    f, i, w, b = (number(answer[k]) for k in COUNT_KEYS)
    t = int(np.argmax(error >= 0.5))
    where = f"At step {t} the count is {count[t]:.0f} but c = {c[t]:.2f}."
    if f < 1:
        return Verdict(False, f"{where} With forget = {f:g} the belt loses {1 - f:.0%} of the count at every step. "
                              "Which forget value keeps all of it?")
    g0, g1 = np.tanh(b), np.tanh(w + b)
    if abs(i * g0) > 0.01:
        return Verdict(False, f"{where} Every 0 adds input · tanh(b) = {i * g0:.3f} to the count: a 0 must add "
                              "(almost) nothing. Which bias gives a candidate of 0 for x = 0?")
    return Verdict(False, f"{where} Every 1 adds input · tanh(w + b) = {i * g1:.3f} instead of 1. The candidate "
                          "is a tanh, so it never reaches 1 exactly, but it comes close: tanh(3) = 0.995.")
