"""Chapter 5, the checks of the exercises (see lstm_book.exercises): keep without writing, and a belt that counts."""

import numpy as np

from lstm_lite import LSTMCell

from ..checks import check_seed, check_size
from ..exercises import (
    AnswerError,
    Verdict,
    code,
    described,
    entries,
    exercise,
    gates_out_of_range,
    key_code,
    number,
    shown,
)
from .gates import gates_compute

COUNT_KEYS = ("input", "forget", "w", "b")
COUNT_KEYS_SHOWN = ", ".join(key_code(k) for k in COUNT_KEYS)
COUNT_FORM = '{"input": 0.5, "forget": 0.5, "w": 1.0, "b": 0.0}'  # the form of an answer to lstm-gates-2, not the answer


def counting_sequence(steps=30, seed=0):
    """The 0s and 1s the counting check feeds in: shape (steps, 1), seeded."""
    steps, seed = check_size("steps", steps), check_seed("seed", seed)
    return np.random.default_rng(seed).integers(0, 2, size=(steps, 1)).astype(np.float64)


def counting_run(answer, xs=None):
    """Run a 1-input, 1-cell LSTM whose input and forget gates are forced and whose candidate is tanh(w x + b).

    answer : dict with numbers input, forget (each in [0, 1], used at every step), w and b (the candidate's
        weight and bias). xs : array (T, 1) of 0s and 1s, default `counting_sequence()`.
    Returns the LSTMTrace; trace.c[:, 0] is what should follow the running count of 1s.
    """
    given = entries(answer, COUNT_KEYS, each=number)  # by name: a dict may list its keys in any order
    weight_ih = np.array([[0.0], [0.0], [given["w"]], [0.0]])  # PyTorch's order i, f, g, o: only the candidate reads x
    bias = np.array([0.0, 0.0, given["b"], 0.0])
    cell = LSTMCell.from_torch(weight_ih, np.zeros((4, 1)), bias, np.zeros(4))
    xs = counting_sequence() if xs is None else xs
    return cell.forward(xs, input=given["input"], forget=given["forget"], output=1.0)


@exercise("lstm-gates-1", wrong=0.0)
def _keep_without_writing(answer):

    value = number(answer)
    target = float(gates_compute(input=0.0, forget=1.0).c[-1, 0])
    if abs(value - target) <= 0.02:
        return Verdict(True, f"c stays at {target:.2f}, the value it started with: forget = 1 keeps all of the belt "
                             "and input = 0 writes nothing, so nothing changes it.")
    if abs(value) <= 0.02:
        return Verdict(False, "An input gate at 0 blocks what is *written*; it does not erase. Which gate erases, "
                              "and what is it set to here? Look at where memory cell 1 starts, at t = 0.")
    return Verdict(False, f"{shown(value)} is not it. With forget = 1 the belt keeps everything it holds, and with "
                          "input = 0 nothing is added. So what does memory cell 1 hold at the end?")


@exercise("lstm-gates-2", wrong={"input": 1.0, "forget": 0.9, "w": 3.0, "b": 0.0})
def _count_the_ones(answer):
    if not isinstance(answer, dict):
        raise AnswerError(f"expected a dict with the keys {COUNT_KEYS_SHOWN}, for example {code(COUNT_FORM)}, got "
                          f"{described(answer)}")
    given = entries(answer, COUNT_KEYS, each=number)
    i, f, w, b = (given[k] for k in ("input", "forget", "w", "b"))
    if why := gates_out_of_range({"input": i, "forget": f}):
        return Verdict(False, why)
    xs = counting_sequence()
    with np.errstate(over="ignore"):  # w and b of 1e308 overflow to inf inside the cell, and tanh(inf) = 1 is right
        trace = counting_run(given, xs)
    count = np.cumsum(xs[:, 0])
    c = trace.c[:, 0]
    error = np.abs(c - count)
    on_zero, on_one = i * float(np.tanh(b)), i * float(np.tanh(w + b))  # what a 0 and a 1 add to the belt
    if error.max() < 0.5:
        return Verdict(True, f"After each of the {len(xs)} steps, c is the number of 1s so far to within "
                             f"{shown(error.max(), 2)}: the belt keeps (forget = {shown(f)}), every step writes (input = "
                             f"{shown(i)}), and a 1 adds {shown(on_one, 3)} while a 0 adds {shown(on_zero, 3)}.")
    t = int(np.argmax(error >= 0.5))
    where = f"At step {t} the count is {count[t]:.0f} but c = {c[t]:.2f}."
    if f < 1:
        lost = "all" if f == 0 else f"{shown(100 * (1 - f), 3)}%"
        return Verdict(False, f"{where} With forget = {shown(f)} the belt loses {lost} of the count at every step. "
                              "Which forget value keeps all of it?")
    if abs(on_zero) > 0.01:
        return Verdict(False, f"{where} Every 0 adds input · tanh(b) = {shown(on_zero, 3)} to the count: a 0 must add "
                              "(almost) nothing. Which bias gives a candidate of 0 for x = 0?")
    if i < 1:
        written = ("nothing is written onto the belt" if i == 0 else
                   f"only {shown(100 * i, 3)}% of each candidate is written onto the belt")
        return Verdict(False, f"{where} With input = {shown(i)} {written}: every 1 adds input · tanh(w + b) = "
                              f"{shown(on_one, 3)} instead of 1. Which input writes the candidate in full?")
    return Verdict(False, f"{where} Every 1 adds tanh(w + b) = {shown(on_one, 3)} instead of 1. The candidate is a "
                          "tanh, so it never reaches 1 exactly, but it comes close: tanh(3) = 0.995. Which w gets it "
                          "that close?")
