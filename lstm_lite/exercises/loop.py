"""Exercises of chapter 3: the feedback loop."""

import numpy as np

from . import Verdict, exercise, number


@exercise("loop-1", wrong=2.0)
def _weight_that_halves(answer):
    w = number(answer)
    if abs(w - 0.5) <= 0.005:
        return Verdict(True, f"w = {w:g}: in the loop without tanh each step multiplies the state by w, so it "
                             "halves every step. With the tanh it is close: 0.76, then 0.36, 0.18, ... (tanh of a "
                             "small number is almost the number itself).")
    if abs(w + 0.5) <= 0.005:
        return Verdict(False, "w = -0.5 halves the size, but it also flips the sign at every step (0.76, -0.38, "
                              "0.19, ...). Which weight halves it and keeps the sign?")
    hint = "it grows" if abs(w) > 1 else "it shrinks by a factor " + f"{abs(w):g}" + " a step"
    return Verdict(False, f"With w = {w:g} {hint}. Each step multiplies the state by w: what w turns 1 into 1/2?")


@exercise("loop-2", wrong=1.0)
def _level_at_w2(answer):
    level = number(answer)
    h = 0.7616  # tanh(1), the state after the pulse
    for _ in range(200):
        h = float(np.tanh(2.0 * h))
    if abs(level - h) <= 0.01:
        return Verdict(True, f"The loop settles at h = {h:.4f}, where h = tanh(2 h): one more step gives back the "
                             "same number. It is below 1 because tanh never reaches 1.")
    if level >= 1:
        return Verdict(False, "tanh never reaches 1, so the state cannot either. Hint: the state stops changing "
                              "where h = tanh(2 h); run the loop h = tanh(2 * h) a few dozen times from 0.76.")
    return Verdict(False, f"{level:g} is not where it settles: at h = {level:g} the next step gives "
                          f"tanh(2 h) = {np.tanh(2 * level):.4f}, a different number. Read the w = 2 picture, or "
                          "run h = tanh(2 * h) a few dozen times.")
