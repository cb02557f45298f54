"""Exercises of chapter 1: squashing functions."""

from ..activations import sigmoid, tanh
from . import Verdict, exercise, number


@exercise("squash-1", wrong=2.0)
def _middle_with_bias(answer):
    x = number(answer)
    z = 1.0 * x + 2.0
    if abs(z) <= 1e-6:
        return Verdict(True, f"At x = {x:g}, 1·x + 2 = 0 and sigmoid(0) = 0.5: a bias of +2 moves the middle "
                             "to the left.")
    if abs(x - 2.0) < 1e-6:
        hint = "right size, wrong side: a positive bias adds to x, so the curve reaches its middle earlier (left)."
    else:
        hint = "sigmoid is 0.5 exactly where what goes into it is 0: solve 1·x + 2 = 0."
    return Verdict(False, f"At x = {x:g}, sigmoid(1·x + 2) = {sigmoid(z):.3f}, not 0.5. Hint: {hint}")


@exercise("squash-2", wrong=0.5)
def _flat_height(answer):
    y = number(answer)
    target = float(sigmoid(2.0))
    if abs(y - target) <= 0.005:
        return Verdict(True, f"With weight 0 the input is multiplied away: sigmoid(0·x + 2) = sigmoid(2) = "
                             f"{target:.3f} for every x, a flat line.")
    if abs(y - float(tanh(2.0))) <= 0.005:
        return Verdict(False, f"{y:g} is the height of the flat tanh line (tanh(2)); the question asks about sigmoid.")
    if abs(y - 0.5) <= 0.005:
        return Verdict(False, "0.5 is sigmoid(0), the flat line for bias 0. Hint: with weight 0 the curve is "
                              "sigmoid(0·x + 2) = sigmoid(2) for every x: what is sigmoid(2)?")
    return Verdict(False, f"{y:g} is not it. Hint: with weight 0, every x gives sigmoid(0·x + 2) = sigmoid(2); "
                          "compute `sigmoid(2)` or read the flat line's height off the picture.")


@exercise("squash-3", wrong=0.9)
def _gate_for_ninety_percent(answer):
    z = number(answer)
    gate = float(sigmoid(z))
    if abs(10.0 * gate - 9.0) <= 0.01:
        return Verdict(True, f"sigmoid({z:.3f}) = {gate:.4f}, so the gate lets {10 * gate:.3f} of the 10 through. "
                             "(Exactly: z = ln(0.9 / 0.1) = ln 9 = 2.197.)")
    if abs(z - 0.9) < 1e-9:
        hint = "0.9 is the fraction you want out of the gate; z is what goes *into* sigmoid."
    elif gate < 0.9:
        hint = "z must be larger: the gate opens as z grows."
    else:
        hint = "z must be smaller: the gate is too open."
    return Verdict(False, f"With z = {z:g} the gate is sigmoid(z) = {gate:.3f}, so {10 * gate:.3f} of the 10 "
                          f"passes, not 9. Hint: {hint} Try a few values with `sigmoid`, or solve "
                          "1 / (1 + e^(-z)) = 0.9 for z.")
