"""Exercises of chapter 4: the unrolled RNN, and how the first input fades."""

import numpy as np

from ..activations import sigmoid
from ..memory import FORGET_BIAS
from . import Verdict, exercise, number


def _first_below(curve, level):
    """The first T (1-based) at which a curve (index T - 1) drops below `level`."""
    return int(np.flatnonzero(curve < level)[0]) + 1


@exercise("unrolled-1", wrong=50)
def _below_1e3(answer):
    from ..pictures.unrolled import influence, scaled_rnn  # needs matplotlib, so only when asked

    curve = influence(scaled_rnn(0.5), steps=100)  # the chapter's curve
    curve = curve / curve[0]
    T = _first_below(curve, 1e-3)
    guess = number(answer)
    if guess == T:
        return Verdict(True, f"At T = {T} the influence is {curve[T - 1]:.1e} of its start; at T = {T - 1} it was "
                             f"still {curve[T - 2]:.1e}. Scale 0.5 alone would give 0.5^{T - 1} = "
                             f"{0.5 ** (T - 1):.1e}: the slopes of tanh shrink it a little more.")
    if not 1 <= guess <= len(curve) or guess != int(guess):
        return Verdict(False, f"Give a whole number T between 1 and {len(curve)}. Hint: 0.5^10 is about 1e-3.")
    side = "too late: by then it is" if guess > T else "too early: there it is still"
    return Verdict(False, f"T = {guess:g} is {side} {curve[int(guess) - 1]:.1e}. Hint: 0.5^10 is about 1e-3, so look near there, in "
                          "`curve` (entry T - 1 is T).")


@exercise("unrolled-2", wrong=44)
def _linear_loop_to_1_percent(answer):
    T = number(answer)
    exact = int(np.floor(np.log(0.01) / np.log(0.9))) + 2  # the first T with 0.9 ** (T - 1) < 0.01
    if T == exact:
        return Verdict(True, f"0.9^{exact - 1} = {0.9 ** (exact - 1):.4f} is the first power below 0.01 "
                             f"(0.9^{exact - 2} = {0.9 ** (exact - 2):.4f}).")
    return Verdict(False, f"At T = {T:g} the influence is 0.9^{T - 1:g} = {0.9 ** (T - 1):.4f}. The first input "
                          "is multiplied by 0.9 once per step after step 1, so you want the first T with "
                          "0.9^(T-1) < 0.01. Hint: T - 1 > ln 0.01 / ln 0.9.")


@exercise("unrolled-3", wrong=0.34)
def _belt_only(answer):
    share = number(answer)
    f = float(sigmoid(FORGET_BIAS))
    belt = f ** 99
    if abs(share - belt) <= 0.01:
        return Verdict(True, f"{f:.4f}^99 = {belt:.3f}: along the belt alone half the influence survives 100 steps. "
                             "The measured curve ends lower because the gates and tanh(c) also pass on less than all.")
    if abs(share - f ** 100) <= 0.01 or abs(share - f ** 98) <= 0.01:
        return Verdict(True, f"Close enough: the exact count is 99 multiplications, {f:.4f}^99 = {belt:.3f}.")
    return Verdict(False, f"{share:g} is not it. From step 1 to step 100 the belt is multiplied by the forget gate "
                          f"99 times, and the gate is sigmoid({FORGET_BIAS:g}) = {f:.4f}. What is {f:.4f}^99?")
