"""Chapter NN: a gate lets a share of a value through (the chapter skeleton: copy it, see CONTRIBUTING.md).

The pictures of the chapter, each a pair of pure functions (see lstm_book.figures) with its alt text, declared once
as a slider picture (lstm_book.sliders.SliderPicture), and its exercise checks:

    share_compute / share_draw / share_alt   sigmoid(z), the share of a value that a gate at z passes: SHARE

The checks of the chapter's exercises are at the end of this module (see lstm_book.exercises).
"""

import numpy as np

from lstm_lite import sigmoid

from .checks import check_number
from .exercises import Verdict, exercise, number, shown
from .figures import GATE_COLORS, OKABE_ITO, new_figure
from .sliders import SliderPicture

ZS = np.linspace(-6.0, 6.0, 241)  # (241,) the z axis of the picture
SLIDER_ZS = (-4.0, -2.0, 0.0, 2.0, 4.0)  # the static slider's values: closed, mostly closed, half, mostly open, open


def share_compute(z=2.0, value=1.0):
    """The share that a gate at `z` lets through, along the z axis and at one z.

    gate = sigmoid(z), passed = gate * value: the gate is the fraction of the value that passes.

    Parameters
    ----------
    z : float, the gate's input (its weighted sum)
    value : float, what the gate lets a share of through

    Returns
    -------
    dict with zs (241,) the z axis, gates (241,) sigmoid(zs), z, value, gate = sigmoid(z), passed = gate * value
    """
    z, value = check_number("z", z), check_number("value", value)
    gate = float(sigmoid(z))
    return {"zs": ZS, "gates": sigmoid(ZS), "z": z, "value": value, "gate": gate, "passed": gate * value}


def share_draw(r):
    """The gate's curve over z, and the point at r["z"] with the share it passes."""
    fig = new_figure(6.4, 2.6)
    ax = fig.subplots()
    ax.axhline(0.5, color="0.6", lw=0.8, ls=":")
    ax.plot(r["zs"], r["gates"], color=GATE_COLORS["input"], lw=2.4)
    ax.plot([r["z"]], [r["gate"]], "o", color=OKABE_ITO["vermillion"], ms=7)
    ax.annotate(f"{r['gate']:.0%} passes", (r["z"], r["gate"]), xytext=(8, -14), textcoords="offset points",
                fontsize=10, color=OKABE_ITO["vermillion"])
    ax.set(xlabel="the gate's input z", ylabel="share that passes", xlim=(-6, 6), ylim=(-0.05, 1.05),
           title=f"A gate at z = {r['z']:g} lets {r['gate']:.0%} of the value through")
    return fig


def share_alt(r):
    """The alt text of the picture of `r` (a result of share_compute): what it shows, read from the numbers it
    draws, never computed again."""
    return (f"The S-shaped curve sigmoid(z) from 0 on the left to 1 on the right; a dot at z = {r['z']:g} marks the "
            f"share that passes there, {r['gate']:.0%}.")


# The chapter's slider picture, declared once: SHARE.static() is its static twin (the notebook's remove-input cell).
# For a live version too, add controls=<a function that returns {"z": widgets.FloatSlider(...)}> and call
# SHARE.live() in a remove-cell cell (CONTRIBUTING.md, "Sliders that work on the website too").
SHARE = SliderPicture(share_compute, share_draw, share_alt, grid={"z": list(SLIDER_ZS)}, start={"z": 2.0},
                      descriptions={"z": "gate input z"}, label_format="{:g}")


@exercise("my-chapter-1", wrong=2.0)
def _check_half(answer):
    z = number(answer)
    gate = float(sigmoid(z))
    if abs(gate - 0.5) < 1e-3:
        return Verdict(True, f"sigmoid({shown(z)}) = {shown(gate)}: at z = 0 the gate passes exactly half.")
    side = "more" if gate > 0.5 else "less"
    return Verdict(False, f"At z = {shown(z)} the gate passes {shown(gate)}, {side} than half. Which z is in the "
                          "middle of the curve?")


@exercise("my-chapter-2", wrong=float(sigmoid(2.0)))
def _check_passed(answer):
    passed, right = number(answer), 10 * float(sigmoid(2.0))
    if abs(passed - right) < 1e-3:
        return Verdict(True, f"10 · sigmoid(2) = {shown(right)}: the gate passes {shown(right / 10)} of the 10.")
    if abs(passed - right / 10) < 1e-3:
        return Verdict(False, f"{shown(passed)} is the share the gate passes, sigmoid(2); how much of the 10 is that?")
    return Verdict(False, f"{shown(passed)} is not it: the gate passes the share sigmoid(2) of the value 10.")
