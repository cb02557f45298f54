"""Exercises of chapter 7: long memory, measured."""

import numpy as np

from ..activations import sigmoid
from ..gru import GRUCell
from ..pictures.sushi import half_life as belt_half_life
from . import Verdict, exercise, number, numbers


@exercise("memory-1", wrong=0.5)
def _left_after_200(answer):
    left = number(answer)
    truth = float(sigmoid(5.0)) ** 200
    if not 0 <= left <= 1:
        return Verdict(False, f"What is left is a fraction of the first symbol, between 0 and 1; you gave {left}.")
    if abs(left - truth) <= 0.01 * truth:
        return Verdict(True, f"sigmoid(5) ** 200 = {truth:.3f}: about a quarter of the first symbol is still on the belt "
                             "at step 200, before any training, enough for its gradient to reach the end.")
    if abs(left - 0.5 ** 200) < 1e-9 or left < 1e-6:
        hint = "That is what a forget gate of 0.5 (the default start) would leave. Here the bias is 5."
    else:
        hint = "Each step keeps the fraction f = sigmoid(5) of the belt, so 200 steps keep f ** 200."
    return Verdict(False, f"{left:.4g} is not it. {hint}")


@exercise("memory-2", wrong=4.0)
def _bias_for_200(answer):
    b = number(answer)
    f = sigmoid(b)
    half_life = belt_half_life(f) if f < 1 else np.inf
    if half_life < 200 - 1e-9:  # allow for rounding in an exact answer
        return Verdict(False, f"A bias of {b} gives f = {f:.5f} and a half-life of {half_life:.1f} steps, short of 200. "
                              "Hint: find f from the half-life first, then invert the sigmoid: b = ln(f / (1 - f)).")
    if b > 10:
        return Verdict(False, f"A bias of {b} works (f = {f:.6f}), but it is far more than needed, and a gate stuck that "
                              "close to 1 learns slowly. Look for the smallest bias that reaches 200 steps.")
    return Verdict(True, f"A bias of {b} gives f = {f:.5f}: the belt keeps half its load for {half_life:.0f} steps.")


@exercise("memory-3", wrong=np.r_[0.0, np.full(9, 0.99)])
def _gru_write_then_keep(answer):
    update = numbers(answer)
    if update.shape != (10,):
        return Verdict(False, f"Give one update-gate value per step: an array of shape (10,), not {update.shape}.")
    if np.any((update < 0) | (update > 1)):
        return Verdict(False, "Gate values lie in [0, 1].")
    gru = GRUCell(1, 1, seed=0)
    xs = np.random.default_rng(0).normal(size=(10, 1))
    trace = gru.forward(xs, h0=np.array([0.7]), update=update[:, None])
    if np.isclose(trace.h[-1, 0], trace.new[0, 0], rtol=0, atol=1e-12):
        return Verdict(True, "Update 0 at step 0 replaces the state by the new value; update 1 afterwards keeps it.")
    hint = "At step 0 the state must be replaced (what update value writes the new value fully?)"
    if update[0] == 0:
        hint = "Step 0 is right; after it, which update value keeps the state exactly?"
    return Verdict(False, f"The last state is {trace.h[-1, 0]:.4f}, but the new value of step 0 was "
                          f"{trace.new[0, 0]:.4f}. {hint}")
